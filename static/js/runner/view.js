// The runner page's markup: finds its parts by id and data-* hook (templates/programs/
// runner.html) and shows what it is told. It keeps no state but which step is on screen.

import { describe, formatCountdown } from "./timing.js";

export function createView(document, labels) {
  const articles = new Map(
    [...document.querySelectorAll(".runner-step")].map((el) => [Number(el.dataset.step), el]),
  );
  const announcer = document.getElementById("runner-announce");
  const saveStatus = document.getElementById("save-status");
  const progress = document.getElementById("session-progress");
  const hurtsLink = document.getElementById("hurts-open");
  const hurtsDialog = document.getElementById("hurts-dialog");
  const skipDialog = document.getElementById("skip-dialog");
  const painAfter = document.getElementById("pain-after");
  // The script asks in a dialog before a warm-up is skipped: the form's tick box is for
  // the page without script.
  for (const el of document.querySelectorAll(".confirm-skip")) el.hidden = true;
  let shown = null; // the id of the step on screen
  let shownSecond = null;

  const article = () => articles.get(shown);
  const part = (name) => article().querySelector(`[data-${name}]`);
  const button = (action) => article().querySelector(`[data-action="${action}"]`);

  /** Shows one step, its controls ready to start, and points "It hurts" at it. */
  function showStep(stepId, { focus = true } = {}) {
    shown = stepId;
    shownSecond = null;
    for (const el of articles.values()) {
      el.hidden = el !== article();
      for (const control of el.querySelectorAll("[data-action]")) control.hidden = false;
      el.querySelector('[data-action="pause"]').hidden = true;
    }
    const link = new URL(hurtsLink.href);
    link.searchParams.set("step", stepId);
    hurtsLink.href = link;
    const stepField = hurtsDialog.querySelector("input[name=step]");
    if (stepField) stepField.value = stepId;
    if (focus) article().querySelector("h1").focus();
  }

  /** `moving`: a timed movement (a walk), whose time is kept going rather than held. */
  function showSegment(timeline, index, moving = false) {
    const segment = timeline[index];
    const label = moving && segment.kind === "hold" ? labels.keepGoing : labels[segment.kind];
    part("segment-label").textContent = label;
    part("segment-detail").textContent = describe(timeline, segment, labels);
  }

  function showUpNext(text) {
    const line = part("up-next");
    if (line.textContent !== text) line.textContent = text;
    line.hidden = !text;
  }

  /** After the last step, when the server cannot be reached: pain after, asked here. */
  function showPainAfter(stoppedText = "") {
    for (const el of articles.values()) el.hidden = true;
    painAfter.hidden = false;
    const stopped = painAfter.querySelector("[data-stopped]");
    stopped.textContent = stoppedText;
    stopped.hidden = !stoppedText;
    painAfter.querySelector("h1").focus();
  }

  function showCountdown(second) {
    if (second === shownSecond) return;
    shownSecond = second;
    part("countdown").textContent = formatCountdown(second);
  }

  function showProgress({ max, value }) {
    progress.max = max;
    progress.value = value;
  }

  function showPlaying(playing) {
    button("start").hidden = true;
    button("pause").hidden = false;
    button("pause").textContent = playing ? labels.pause : labels.resume;
    part("timer").classList.toggle("is-paused", !playing);
  }

  function showStatus(text, kind = "") {
    saveStatus.textContent = text;
    saveStatus.classList.toggle("is-offline", kind === "offline");
  }

  /** "It hurts": the rule's advice for the chosen level, its choice marked. */
  function showAdvice(advice) {
    const form = hurtsDialog.querySelector(".hurts-form");
    const box = form?.querySelector("[data-hurts-advice]");
    if (!box || !advice) return;
    const headline = {
      stop: labels.adviseStop,
      slower: labels.adviseSlower,
      carry_on: labels.adviseCarryOn,
    }[advice.outcome];
    const line = document.createElement("p");
    line.className = `advice advice-${advice.outcome}`;
    const strong = document.createElement("strong");
    strong.textContent = headline;
    const why = document.createElement("span");
    why.dataset.why = "";
    why.textContent = advice.why;
    line.append(strong, " ", why);
    box.replaceChildren(line);
    for (const button of form.querySelectorAll("[data-outcome]")) {
      const outcome = button.dataset.outcome;
      const recommended = outcome === advice.outcome;
      button.hidden = !advice.offered.includes(outcome);
      button.classList.toggle("is-recommended", recommended);
      if (outcome !== "stop") button.classList.toggle("secondary", !recommended);
      if (outcome === "carry_on") button.classList.toggle("outline", !recommended);
    }
  }

  /** For screen readers (an assertive live region); speech is the cue player's. */
  function announce(text) {
    announcer.textContent = text;
  }

  return {
    articles,
    hurtsLink,
    hurtsDialog,
    skipDialog,
    painAfter,
    currentArticle: () => article(),
    figureSvg: () => article().querySelector("svg.figure-player"),
    doneButton: () => article().querySelector('.complete-form button[type="submit"]:not([name])'),
    skipButton: () => article().querySelector('.complete-form button[name="skipped"]'),
    showStep,
    showSegment,
    showCountdown,
    showUpNext,
    showPainAfter,
    showProgress,
    showPlaying,
    showStatus,
    showAdvice,
    announce,
  };
}
