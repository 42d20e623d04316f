// The session runner page: wires the clock and timeline maths (runner/timing.js), the
// outbox (runner/outbox.js), the cues (runner/cues.js) and the markup (runner/view.js) to
// the person's buttons and keys. Time comes from timestamps, not counted ticks, so a
// hidden tab or a busy machine never puts it wrong; each completed step waits in the
// outbox until the server has it, so a dropped connection loses nothing and a retry
// carries the same key.

import { adviceFor } from "./runner/advice.js";
import { createCues } from "./runner/cues.js";
import { createFigure, figurePose } from "./runner/figure.js";
import { createOutbox } from "./runner/outbox.js";
import {
  cuesBetween,
  elapsedAt,
  instantOf,
  isRunning,
  nextOpenStep,
  pauseClock,
  plannedWorkSeconds,
  positionAt,
  resumeClock,
  secondsDone,
  segmentAnnouncement,
  sessionProgress,
  shownSecond,
  startClock,
  stepCalls,
  stepMilliseconds,
  stepTones,
  TEN_LEFT_SECONDS,
  upNext,
} from "./runner/timing.js";
import { createView } from "./runner/view.js";

// Right after the step changes, a second click of a double click must not finish the
// step that just appeared under the pointer.
const DOUBLE_CLICK_MS = 700;
const SAFETY_TICK_MS = 1000; // tick() itself schedules the precise wake-ups
const RETRY_MS = 5000;

const now = () => performance.now();

let data, labels, steps, view, outbox, cues;
const state = {
  index: 0,
  clock: null, // the current step's clock (timing.js) while it plays, else null
  begun: false, // Start was pressed on this page
  finishing: false, // every step is done: leave once the outbox is empty
  leaving: false,
  reloadWhenSaved: false, // a pain report is waiting: go where the server says once sent
  acceptClicksAfter: 0,
  shownSegment: -1,
  nextTick: null,
  resumeAfterHurts: false,
  reporting: false,
  reportInDialog: null, // the key of the report the dialog is waiting on
  wakeLock: null,
  figure: null, // the figure of the step on screen (runner/figure.js), if it has one
  painAfterSent: false,
  figuresLoading: false,
  afterUrl: null, // where the server said to go once pain after was taken
};
const figures = new Map(); // one driver per step's drawing, so Back finds its pose
// Reduced motion: the figure takes each pose at once instead of moving into it.
const stillFigures = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches ?? false;

function start(runnerData) {
  data = runnerData;
  labels = data.labels;
  steps = data.steps;
  view = createView(document, labels);
  cues = createCues({ sound: data.sound, speech: data.speech, window });
  outbox = createOutbox({
    storage: localStorageOrNull(),
    storageKey: `backcare:outbox:${data.session}`,
    fetch: (url, init) => fetch(url, init),
    csrfToken,
    onStatus: showQueueState,
    onAnswer: handleAnswer,
  });
  listen();
  const firstOpenOnServer = Math.max(0, steps.findIndex((step) => !step.done));
  // Steps sent from this device but not yet acknowledged count as done.
  for (const item of outbox.pending()) {
    const step = steps.find((s) => s.completeUrl === item.url);
    if (step) step.done = true;
  }
  const firstOpen = steps.findIndex((step) => !step.done);
  showStep(firstOpen >= 0 ? firstOpen : firstOpenOnServer, { focus: false });
  if (firstOpen < 0) state.finishing = true;
  flushQueue();
}

function localStorageOrNull() {
  try {
    return window.localStorage;
  } catch {
    return null; // storage blocked: the outbox lives in memory for this page
  }
}

function csrfToken() {
  const cookie = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
  return cookie
    ? decodeURIComponent(cookie.split("=")[1])
    : document.querySelector("input[name=csrfmiddlewaretoken]").value;
}

// ---- What is on screen ----

const current = () => steps[state.index];

function showStep(index, options) {
  state.index = index;
  view.showStep(current().id, options);
  showProgress(0);
  showFigureFor(current());
  if (state.begun) loadFigures();
}

/**
 * The page comes with the figures of the step on show and the next; the others are
 * fetched once the person starts, so the first load stays light (and tried again at the
 * next step if the connection was down).
 */
function loadFigures() {
  const missing = [...view.articles.values()].some((el) => !el.querySelector("[data-figure] svg"));
  if (!missing || state.figuresLoading) return;
  state.figuresLoading = true;
  fetch(data.figuresUrl, { credentials: "same-origin" })
    .then((response) => (response.ok ? response.text() : ""))
    .then(placeFigures)
    .catch(() => {}) // offline: those steps go without a figure for now
    .finally(() => {
      state.figuresLoading = false;
    });
}

function placeFigures(html) {
  const parsed = new DOMParser().parseFromString(html, "text/html");
  for (const template of parsed.querySelectorAll("template[data-step]")) {
    const slot = view.articles.get(Number(template.dataset.step))?.querySelector("[data-figure]");
    if (slot && !slot.querySelector("svg")) slot.append(document.importNode(template.content, true));
  }
  if (!state.figure) showFigureFor(current());
}

function showFigureFor(step) {
  const svg = view.figureSvg();
  if (svg && !figures.has(step.id)) figures.set(step.id, createFigure(svg, { still: stillFigures }));
  state.figure = svg ? figures.get(step.id) : null;
  state.figure?.reset(figurePose(step.timeline, 0, 0, state.figure.count).mirror);
}

function showSegment(index) {
  state.shownSegment = index;
  const timeline = current().timeline;
  view.showSegment(timeline, index, current().moving);
  const following = nextOpenStep(steps, state.index);
  const nextName = following >= 0 ? steps[following].name : "";
  view.showUpNext(upNext(timeline, index, nextName, labels));
}

function showProgress(elapsedSeconds) {
  view.showProgress(sessionProgress(steps, state.index, elapsedSeconds));
}

function announce(text) {
  view.announce(text);
  cues.speak(text);
}

async function keepScreenOn() {
  if (!("wakeLock" in navigator) || state.wakeLock) return;
  try {
    state.wakeLock = await navigator.wakeLock.request("screen");
    state.wakeLock.addEventListener("release", () => {
      state.wakeLock = null;
    });
  } catch {
    // Refused (battery saver, hidden tab): the timer still keeps time.
  }
}

// ---- The clock ----

function playStep(from = now()) {
  // `from` is when the previous step ended: after a hidden tab or a stall the next step
  // starts on time, not when the browser next got round to it.
  state.clock = startClock(from);
  state.shownSegment = -1;
  view.showPlaying(true);
  state.figure?.pause(false);
  planCues(0);
  tick();
}

/** Shows where the step is at instant `at`, moving on when it has ended. */
function tick(at = now()) {
  if (!isRunning(state.clock)) return;
  const timeline = current().timeline;
  // Never before the step's start: a step that follows on starts on the instant the one
  // before ended, which the audio clock may report a few ms ahead of the page clock.
  const elapsed = Math.max(0, elapsedAt(state.clock, at));
  const position = positionAt(timeline, elapsed);
  if (position.finished) {
    finishStep(false, instantOf(state.clock, stepMilliseconds(timeline)));
    return;
  }
  if (position.index !== state.shownSegment) showSegment(position.index);
  // The figure moves into the pose of the moment: the end pose as a hold begins, back as
  // the person relaxes, mirrored for the right side.
  const figure = state.figure;
  figure?.show(figurePose(timeline, position.index, elapsed - position.start, figure.count));
  // Wake again exactly when the shown second changes (and so when the segment ends),
  // not on a coarse interval that would be up to a whole interval late.
  clearTimeout(state.nextTick);
  state.nextTick = setTimeout(tick, position.remaining % 1000 || 1000);
  view.showCountdown(shownSecond(position.remaining));
  showProgress(elapsed / 1000);
  // Cheap unless the clocks have moved apart (drift, or a page frozen for a while): then
  // the tones still to come are handed over again.
  cues.refresh();
}

/** Hands the cues of the playing step from `from` ms on to the cue player. */
function planCues(from) {
  const clock = state.clock;
  const step = current();
  const following = nextOpenStep(steps, state.index);
  const next = following >= 0 ? steps[following].timeline.find((s) => s.seconds > 0) : null;
  const tones = cuesBetween(stepTones(step.timeline, next), from).map((tone) => ({
    ...tone,
    at: instantOf(clock, tone.at),
  }));
  const calls = cuesBetween(stepCalls(step.timeline), from).map((call) => ({
    at: instantOf(clock, call.at),
    until: instantOf(clock, call.until),
    run: () => announce(callText(step, call)),
  }));
  // The end of the step is a call too, so the audio clock can wake a hidden tab to move
  // on in time (and a call may come a little early: the step still ends at its end).
  const end = instantOf(clock, stepMilliseconds(step.timeline));
  calls.push({ at: end, until: Infinity, run: () => tick(Math.max(now(), end)) });
  cues.plan({ tones, calls });
}

function callText(step, call) {
  if (call.kind === "ten-left") return labels.secondsLeft.replace("%(s)s", TEN_LEFT_SECONDS);
  return segmentAnnouncement(step.timeline, step.timeline[call.index], step.name, labels);
}

function pause() {
  if (!isRunning(state.clock)) return;
  state.clock = pauseClock(state.clock, now());
  cues.cancel();
  view.showPlaying(false);
  state.figure?.pause(true);
  announce(labels.paused);
}

function resume() {
  if (!state.clock || isRunning(state.clock)) return;
  state.clock = resumeClock(state.clock, now());
  view.showPlaying(true);
  state.figure?.pause(false);
  cues.unlock();
  const elapsed = elapsedAt(state.clock, now());
  planCues(elapsed);
  const at = positionAt(current().timeline, elapsed);
  if (!at.finished) announce(labels[current().timeline[at.index].kind]);
  keepScreenOn();
  tick();
}

function begin() {
  // The step starts at the press: creating the audio context can take tens of ms.
  const pressed = now();
  state.begun = true;
  cues.unlock();
  keepScreenOn();
  playStep(pressed);
  loadFigures();
}

function togglePause() {
  if (!state.begun) begin();
  else if (isRunning(state.clock)) pause();
  else if (state.clock) resume();
  else playStep();
}

function back() {
  if (state.index === 0) return;
  state.clock = null;
  cues.cancel();
  showStep(state.index - 1);
  if (state.begun) playStep();
}

/** Seconds of work to record for the current step, were it finished at `at`. */
function workDone(at) {
  const timeline = current().timeline;
  // "Done" without the timer means it was done on the person's own clock.
  if (!state.begun) return plannedWorkSeconds(timeline);
  return state.clock ? secondsDone(timeline, elapsedAt(state.clock, at)) : 0;
}

function finishStep(skipped, endedAt = now(), confirmed = false) {
  const step = current();
  const seconds = skipped ? 0 : workDone(endedAt);
  state.clock = null;
  step.done = true;
  const body = { key: step.key, seconds_done: String(seconds), skipped: skipped ? "on" : "" };
  if (confirmed) body.confirm_skip = "on";
  outbox.add({ kind: "complete", url: step.completeUrl, body });
  flushQueue();
  const target = nextOpenStep(steps, state.index);
  if (target < 0) {
    finishSession(step);
    return;
  }
  state.acceptClicksAfter = now() + DOUBLE_CLICK_MS;
  showStep(target);
  announce(labels.stepOf.replace("%(n)s", target + 1).replace("%(total)s", steps.length));
  if (state.begun) playStep(endedAt);
}

function finishSession(lastStep) {
  state.finishing = true;
  cues.cancel();
  showProgress(lastStep.seconds);
  view.showStatus(labels.finishing);
  announce(labels.finishing);
  flushQueue();
}

// ---- Saving ----

async function flushQueue() {
  const result = await outbox.flush();
  if (state.leaving) return;
  if (result.stopped) {
    // Every step done but no server to take them: ask pain after here, and keep it too.
    if (state.finishing && result.stopped !== "login") askPainAfterHere();
    return;
  }
  if (state.reloadWhenSaved || state.finishing) {
    state.leaving = true;
    window.location.assign(state.afterUrl || data.nextUrl);
  }
}

function askPainAfterHere(stoppedText = "") {
  if (state.painAfterSent || !view.painAfter.hidden) return;
  cues.cancel();
  view.showPainAfter(stoppedText);
}

function submitPainAfter(event) {
  event.preventDefault();
  if (state.painAfterSent || !event.submitter?.value) return;
  state.painAfterSent = true;
  for (const button of event.target.querySelectorAll("button")) {
    button.disabled = true;
    button.setAttribute("aria-pressed", String(button === event.submitter));
  }
  outbox.add({
    kind: "pain-after",
    url: event.target.action,
    body: { key: newKey(), pain: event.submitter.value },
  });
  view.showStatus(labels.painAfterKept, "offline");
  state.finishing = true;
  flushQueue();
}

function newKey() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

function showQueueState(queueState) {
  const texts = {
    saving: labels.saving,
    saved: labels.saved,
    offline: labels.offline,
    unavailable: labels.offline,
    login: labels.loginAgain,
  };
  const saved = queueState === "saving" || queueState === "saved";
  view.showStatus(texts[queueState], saved ? "" : "offline");
}

/** Answers to writes sent from the queue; the "It hurts" dialog reads its own. */
function handleAnswer(item, answer) {
  if (item.body.key === state.reportInDialog) return;
  if (!answer.ok) {
    view.showStatus(labels.rejected.replace("%(reason)s", answer.data.error), "offline");
  } else if (item.kind === "pain-after") {
    state.afterUrl = answer.data.next || null;
  } else if (item.kind === "hurts" && answer.data.outcome !== "carry_on") {
    state.reloadWhenSaved = true;
  }
}

// ---- "It hurts" ----

function openHurts() {
  state.resumeAfterHurts = isRunning(state.clock);
  pause();
  view.hurtsDialog.showModal();
  view.hurtsDialog.querySelector("input[type=radio]")?.focus();
}

function onLevelChosen(event) {
  if (event.target.name !== "level") return;
  view.showAdvice(adviceFor(data.rules, Number(event.target.value), data.painBefore));
}

async function submitHurts(event) {
  event.preventDefault();
  if (state.reporting) return; // one report per click, however many clicks
  state.reporting = true;
  const form = event.target;
  const body = Object.fromEntries(new FormData(form, event.submitter));
  for (const control of form.querySelectorAll("button")) control.disabled = true;
  try {
    await reportPain(form, body);
  } finally {
    state.reporting = false;
    for (const control of form.querySelectorAll("button")) control.disabled = false;
  }
}

async function reportPain(form, body) {
  // Through the outbox: steps done before the pain go first, so the report never
  // overtakes them, and a report that cannot go now waits with its key.
  state.reportInDialog = body.key;
  const answer = await outbox.send({ kind: "hurts", url: form.action, body });
  state.reportInDialog = null;
  if (answer === null) keepReport(body);
  else if (answer.ok) followOutcome(answer.data);
  else if (answer.data.form) showRefusedForm(form, answer.data.form);
  else window.location.assign(data.nextUrl);
}

function followOutcome({ outcome, next }) {
  if (outcome === "carry_on") {
    view.hurtsDialog.close();
    return;
  }
  state.resumeAfterHurts = false;
  window.location.assign(next || data.nextUrl);
}

function keepReport(body) {
  // Kept with the same key, sent when the connection (or the sign-in) is back. Carrying
  // on and taking it more slowly go on at once (the gentler steps load once the server
  // has the report); stopping ends the steps here and asks how the back is now.
  const outcome = body.choice;
  const wasRunning = state.resumeAfterHurts;
  state.resumeAfterHurts = false;
  if (outcome !== "carry_on") state.reloadWhenSaved = true;
  view.hurtsDialog.close();
  if (outbox.state === "login") {
    view.showStatus(labels.loginAgain, "offline");
  } else if (outcome === "stop") {
    state.clock = null;
    state.finishing = true;
    askPainAfterHere(labels.stoppedOffline);
  } else {
    view.showStatus(outcome === "slower" ? labels.slowerOffline : labels.reportKept, "offline");
    if (wasRunning) resume();
  }
}

function showRefusedForm(form, html) {
  // The server's form, with its message next to what was wrong.
  const fresh = new DOMParser().parseFromString(html, "text/html").querySelector(".hurts-form");
  if (fresh) {
    for (const el of fresh.querySelectorAll(".no-script-only")) el.hidden = true;
    form.replaceWith(fresh);
  } else window.location.assign(data.nextUrl);
}

// ---- Controls ----

function listen() {
  for (const el of view.articles.values()) {
    el.querySelector('[data-action="start"]').addEventListener("click", begin);
    el.querySelector('[data-action="pause"]').addEventListener("click", togglePause);
    el.querySelector('[data-action="back"]').addEventListener("click", back);
    el.querySelector(".complete-form").addEventListener("submit", (event) => {
      event.preventDefault();
      if (now() < state.acceptClicksAfter) return;
      const skipping = event.submitter?.name === "skipped";
      if (skipping && el.dataset.phase === "warmup") askToSkipWarmUp();
      else finishStep(skipping);
    });
    el.querySelector("[data-instructions]")?.addEventListener("toggle", readInstructions);
  }
  view.painAfter.querySelector("form").addEventListener("submit", submitPainAfter);
  view.hurtsLink.addEventListener("click", (event) => {
    event.preventDefault();
    openHurts();
  });
  view.hurtsDialog.addEventListener("close", () => {
    if (state.resumeAfterHurts && !state.reloadWhenSaved) resume();
  });
  view.hurtsDialog.addEventListener("submit", submitHurts);
  view.hurtsDialog.addEventListener("change", onLevelChosen);
  // The script shows the advice as a level is chosen: no need to ask the server for it.
  for (const el of view.hurtsDialog.querySelectorAll(".no-script-only")) el.hidden = true;
  document.addEventListener("keydown", onKey);
  document.addEventListener("visibilitychange", onVisible);
  // After the browser froze the page: catch up, and re-map the tones if the clocks moved.
  document.addEventListener("resume", () => tick());
  window.addEventListener("online", flushQueue);
  setInterval(tick, SAFETY_TICK_MS);
  setInterval(() => outbox.pending().length && flushQueue(), RETRY_MS);
}

/** The warm-up is skipped only when the person says so. */
function askToSkipWarmUp() {
  const asked = state.index;
  view.skipDialog.returnValue = "";
  view.skipDialog.addEventListener(
    "close",
    () => {
      if (view.skipDialog.returnValue === "skip" && state.index === asked) {
        finishStep(true, now(), true);
      }
    },
    { once: true },
  );
  view.skipDialog.showModal();
}

/** Opening "How to do it" reads the steps aloud when spoken cues are on. */
function readInstructions(event) {
  if (!event.target.open) return;
  const lines = [...event.target.querySelectorAll(".steps li")].map((li) => li.textContent);
  cues.speak(lines.join(" "));
}

function onKey(event) {
  if (event.altKey || event.ctrlKey || event.metaKey) return;
  if (view.hurtsDialog.open || view.skipDialog.open) return;
  if (state.finishing) return; // every step is done: nothing left for the keys to act on
  const target = event.target;
  if (target.closest("input, select, textarea, [contenteditable]")) return;
  const key = event.key.toLowerCase();
  if (key === " ") {
    if (target.closest("button, a, summary")) return; // the focused control acts itself
    event.preventDefault();
    togglePause();
  } else if (key === "d") {
    view.doneButton().click();
  } else if (key === "s") {
    view.skipButton().click();
  } else if (key === "b") {
    back();
  } else if (key === "h") {
    openHurts();
  }
}

function onVisible() {
  if (document.visibilityState !== "visible") return;
  if (isRunning(state.clock)) {
    keepScreenOn();
    cues.unlock();
  }
  tick();
}

// Last, once every constant above is defined.
const dataElement = document.getElementById("runner-data");
if (dataElement) start(JSON.parse(dataElement.textContent));
