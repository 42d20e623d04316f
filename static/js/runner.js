// The session runner: plays each step's timeline, keeps time from timestamps (not by
// counting ticks, so a hidden tab or a busy machine never puts it wrong), and records each
// completed step once. Completions wait in an outbox in localStorage until the server has
// them, so a dropped connection loses nothing and a retry carries the same key.

const dataElement = document.getElementById("runner-data");
if (dataElement) start(JSON.parse(dataElement.textContent));

function start(data) {
  const L = data.labels;
  const steps = data.steps;
  const articles = new Map(
    [...document.querySelectorAll(".runner-step")].map((el) => [Number(el.dataset.step), el]),
  );
  const announcer = document.getElementById("runner-announce");
  const saveStatus = document.getElementById("save-status");
  const progress = document.getElementById("session-progress");
  const hurtsLink = document.getElementById("hurts-open");
  const hurtsDialog = document.getElementById("hurts-dialog");
  const outboxKey = `backcare:outbox:${data.session}`;
  const totalSeconds = steps.reduce((sum, step) => sum + step.seconds, 0);

  let index = Math.max(0, steps.findIndex((step) => !step.done));
  let segment = 0;
  let segmentEndsAt = 0;
  let pausedRemaining = null;
  let running = false;
  let begun = false;
  let lastShownSecond = null;
  let nextTick = null;
  let finishing = false;
  let flushing = false;
  let reloadWhenSaved = false;
  let outbox = readOutbox();
  // Right after the step changes, a second click of a double click must not finish the
  // step that just appeared under the pointer.
  let acceptClicksAfter = 0;

  // ---- Outbox: what the server has not acknowledged yet ----
  function readOutbox() {
    try {
      return JSON.parse(localStorage.getItem(outboxKey)) || [];
    } catch {
      return [];
    }
  }
  // Keys the server has acknowledged, so another tab's copy never brings them back.
  const acknowledged = new Set();
  function writeOutbox() {
    // Another tab of the same session may have queued items too: merge, never overwrite.
    const mine = new Set(outbox.map((item) => item.body.key));
    const theirs = readOutbox().filter(
      (item) => !mine.has(item.body.key) && !acknowledged.has(item.body.key),
    );
    outbox = [...outbox, ...theirs];
    try {
      localStorage.setItem(outboxKey, JSON.stringify(outbox));
    } catch {
      // Private mode or a full disk: the outbox still lives in memory for this page.
    }
  }
  function csrfToken() {
    const cookie = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
    return cookie
      ? decodeURIComponent(cookie.split("=")[1])
      : document.querySelector("input[name=csrfmiddlewaretoken]").value;
  }
  function post(url, body) {
    return fetch(url, {
      method: "POST",
      headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" },
      body: new URLSearchParams(body),
      credentials: "same-origin",
      redirect: "manual",
    });
  }
  function send(item) {
    outbox.push(item);
    writeOutbox();
    return flush();
  }
  async function flush() {
    if (flushing) return;
    flushing = true;
    try {
      while (outbox.length) {
        const item = outbox[0];
        let response;
        try {
          response = await post(item.url, item.body);
        } catch {
          showStatus(L.offline, "offline");
          return;
        }
        if (response.type === "opaqueredirect" || response.status === 403) {
          showStatus(L.loginAgain, "offline");
          return;
        }
        if (response.status >= 500) {
          showStatus(L.offline, "offline");
          return;
        }
        outbox.shift();
        acknowledged.add(item.body.key);
        writeOutbox();
        if (response.ok && item.kind === "hurts") {
          if (response.headers.get("BackCare-Outcome") !== "carry_on") reloadWhenSaved = true;
        } else if (!response.ok) {
          const reason = new DOMParser()
            .parseFromString(await response.text(), "text/html")
            .body.textContent.trim();
          showStatus(L.rejected.replace("%(reason)s", reason), "offline");
          continue;
        }
        showStatus(outbox.length ? L.saving : L.saved);
      }
    } finally {
      flushing = false;
    }
    if (reloadWhenSaved || finishing) window.location.assign(data.nextUrl);
  }
  function showStatus(text, kind = "") {
    saveStatus.textContent = text;
    saveStatus.classList.toggle("is-offline", kind === "offline");
  }

  // ---- Sound, speech, screen ----
  let audio = null;
  function unlockAudio() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!data.sound || !Context) return;
    audio = audio || new Context();
    if (audio.state === "suspended") audio.resume();
  }
  function tone(frequency, milliseconds) {
    if (!audio) return;
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    const end = audio.currentTime + milliseconds / 1000;
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.25, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, end);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start();
    oscillator.stop(end);
  }
  function speak(text) {
    if (!data.speech || !("speechSynthesis" in window)) return;
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(new SpeechSynthesisUtterance(text));
  }
  function announce(text) {
    announcer.textContent = text;
    speak(text);
  }
  let wakeLock = null;
  async function keepScreenOn() {
    if (!("wakeLock" in navigator) || wakeLock) return;
    try {
      wakeLock = await navigator.wakeLock.request("screen");
      wakeLock.addEventListener("release", () => {
        wakeLock = null;
      });
    } catch {
      // Refused (battery saver, hidden tab): the timer still keeps time.
    }
  }

  // ---- What is on screen ----
  const current = () => steps[index];
  const article = () => articles.get(current().id);
  const part = (name) => article().querySelector(`[data-${name}]`);
  const button = (action) => article().querySelector(`[data-action="${action}"]`);

  function showStep(newIndex, { focus = true } = {}) {
    for (const el of articles.values()) el.hidden = true;
    index = newIndex;
    article().hidden = false;
    for (const el of articles.values()) {
      for (const control of el.querySelectorAll("[data-action]")) control.hidden = false;
      el.querySelector('[data-action="pause"]').hidden = true;
    }
    const link = new URL(hurtsLink.href);
    link.searchParams.set("step", current().id);
    hurtsLink.href = link;
    const stepField = hurtsDialog.querySelector("input[name=step]");
    if (stepField) stepField.value = current().id;
    if (focus) article().querySelector("h1").focus();
    updateProgress(0);
  }

  function formatSeconds(seconds) {
    if (seconds < 60) return String(seconds);
    const minutes = Math.floor(seconds / 60);
    return `${minutes}:${String(seconds % 60).padStart(2, "0")}`;
  }

  function describe(seg) {
    const parts = [];
    if (seg.side) parts.push(L[seg.side]);
    const timeline = current().timeline;
    const holds = timeline.filter((s) => s.kind === "hold" && s.set_number === seg.set_number);
    const reps = Math.max(0, ...holds.map((s) => s.rep_number));
    if (seg.kind === "hold" && reps > 1) parts.push(`${seg.rep_number} / ${reps}`);
    if (seg.kind === "reps") parts.push(L.doReps.replace("%(n)s", seg.reps));
    const sets = Math.max(...timeline.map((s) => s.set_number));
    if (sets > 1 && seg.kind !== "lead_in") parts.push(`${seg.set_number} / ${sets}`);
    return parts.join(" · ");
  }

  function enterSegment(seg) {
    const label = L[seg.kind];
    const detail = describe(seg);
    part("segment-label").textContent = label;
    part("segment-detail").textContent = detail;
    const name = seg.kind === "lead_in" ? `: ${current().name}` : "";
    announce(`${label}${name}${detail ? `, ${detail}` : ""}, ${seg.seconds} s`);
    tone(seg.kind === "hold" || seg.kind === "reps" ? 880 : 520, 350);
  }

  function secondsDone() {
    // Work time only: the get-ready time and pauses do not count. "Done" without the
    // timer means it was done on the person's own clock: count the planned work.
    const timeline = current().timeline;
    if (!begun) {
      return timeline.filter((s) => s.kind !== "lead_in").reduce((sum, s) => sum + s.seconds, 0);
    }
    let done = 0;
    for (let i = 0; i < segment && i < timeline.length; i += 1) {
      if (timeline[i].kind !== "lead_in") done += timeline[i].seconds;
    }
    const seg = timeline[segment];
    if (seg && seg.kind !== "lead_in") {
      const remaining = pausedRemaining ?? Math.max(0, segmentEndsAt - performance.now());
      done += seg.seconds - remaining / 1000;
    }
    return Math.max(0, Math.round(done));
  }

  function updateProgress(elapsedInStep) {
    const before = steps.reduce(
      (sum, step, i) => sum + (step.done && i !== index ? step.seconds : 0),
      0,
    );
    progress.max = totalSeconds;
    progress.value = Math.min(totalSeconds, before + elapsedInStep);
  }

  // ---- The clock ----
  function playStep(from = performance.now()) {
    // `from` is when the previous step ended: after a hidden tab or a stall the next step
    // starts on time, not when the browser next got round to it.
    segment = 0;
    pausedRemaining = null;
    running = true;
    lastShownSecond = null;
    const timeline = current().timeline;
    segmentEndsAt = from + timeline[0].seconds * 1000;
    button("start").hidden = true;
    button("pause").hidden = false;
    button("pause").textContent = L.pause;
    part("timer").classList.remove("is-paused");
    enterSegment(timeline[0]);
    tick();
  }

  function tick() {
    if (!running) return;
    const now = performance.now();
    const timeline = current().timeline;
    // After a hidden tab or a stall, walk past every segment that ended meanwhile.
    while (segmentEndsAt <= now) {
      segment += 1;
      if (segment >= timeline.length) {
        finishStep(false, segmentEndsAt);
        return;
      }
      segmentEndsAt += timeline[segment].seconds * 1000;
      if (segmentEndsAt > now) enterSegment(timeline[segment]);
    }
    const remaining = segmentEndsAt - now;
    // Wake again exactly when the shown second changes (and so when the segment ends),
    // not on a coarse interval that would be up to a whole interval late.
    clearTimeout(nextTick);
    nextTick = setTimeout(tick, remaining % 1000 || 1000);
    const second = Math.ceil(remaining / 1000);
    if (second !== lastShownSecond) {
      lastShownSecond = second;
      part("countdown").textContent = formatSeconds(second);
      const kind = timeline[segment].kind;
      if ((kind === "hold" || kind === "reps") && second <= 3 && second >= 1) tone(660, 120);
      if (second === 10 && timeline[segment].seconds > 20) announce(L.secondsLeft.replace("%(s)s", 10));
    }
    const stepElapsed =
      timeline.slice(0, segment).reduce((sum, s) => sum + s.seconds, 0) +
      timeline[segment].seconds -
      remaining / 1000;
    updateProgress(stepElapsed);
  }

  function pause() {
    if (!running) return;
    pausedRemaining = Math.max(0, segmentEndsAt - performance.now());
    running = false;
    button("pause").textContent = L.resume;
    part("timer").classList.add("is-paused");
    announce(L.paused);
  }

  function resume() {
    if (running || pausedRemaining === null) return;
    segmentEndsAt = performance.now() + pausedRemaining;
    pausedRemaining = null;
    running = true;
    button("pause").textContent = L.pause;
    part("timer").classList.remove("is-paused");
    unlockAudio();
    announce(L[current().timeline[segment].kind]);
    keepScreenOn();
    tick();
  }

  function begin() {
    begun = true;
    unlockAudio();
    keepScreenOn();
    playStep();
  }

  function finishStep(skipped, endedAt = performance.now()) {
    const step = current();
    const seconds = skipped ? 0 : secondsDone();
    running = false;
    step.done = true;
    send({
      kind: "complete",
      url: step.completeUrl,
      body: { key: step.key, seconds_done: String(seconds), skipped: skipped ? "on" : "" },
    });
    const next = steps.findIndex((s, i) => i > index && !s.done);
    const earlier = steps.findIndex((s) => !s.done);
    const target = next >= 0 ? next : earlier;
    if (target < 0) {
      finishing = true;
      updateProgress(step.seconds);
      showStatus(L.finishing);
      announce(L.finishing);
      flush();
      return;
    }
    acceptClicksAfter = performance.now() + 700;
    showStep(target);
    announce(L.stepOf.replace("%(n)s", target + 1).replace("%(total)s", steps.length));
    if (begun) playStep(endedAt);
  }

  function back() {
    if (index === 0) return;
    running = false;
    showStep(index - 1);
    if (begun) playStep();
  }

  function togglePause() {
    if (!begun) begin();
    else if (running) pause();
    else if (pausedRemaining !== null) resume();
    else playStep();
  }

  // ---- "It hurts" ----
  let wasRunning = false;
  function openHurts() {
    wasRunning = running;
    pause();
    hurtsDialog.showModal();
    hurtsDialog.querySelector("input[type=radio]")?.focus();
  }
  hurtsLink.addEventListener("click", (event) => {
    event.preventDefault();
    openHurts();
  });
  hurtsDialog.addEventListener("close", () => {
    if (wasRunning && !reloadWhenSaved) resume();
  });
  let reporting = false;
  hurtsDialog.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (reporting) return; // one report per click, however many clicks
    reporting = true;
    const form = event.target;
    const body = Object.fromEntries(new FormData(form, event.submitter));
    for (const control of form.querySelectorAll("button")) control.disabled = true;
    try {
      await reportPain(form, body);
    } finally {
      reporting = false;
      for (const control of form.querySelectorAll("button")) control.disabled = false;
    }
  });

  async function reportPain(form, body) {
    // Steps done before the pain come first, so the report never overtakes them.
    await flush();
    let response;
    try {
      response = await post(form.action, body);
    } catch {
      response = null;
    }
    if (response === null || response.status >= 500) {
      queueReport(form, body, L.hurtsSavedOffline);
      return;
    }
    if (response.type === "opaqueredirect" || response.status === 403) {
      queueReport(form, body, L.loginAgain);
      return;
    }
    if (response.status === 204) {
      if (response.headers.get("BackCare-Outcome") === "carry_on") {
        hurtsDialog.close();
        return;
      }
      wasRunning = false;
      window.location.assign(response.headers.get("HX-Redirect") || data.nextUrl);
      return;
    }
    // Not accepted: show the server's form, with its message next to what was wrong.
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = page.querySelector(".hurts-form");
    if (fresh) form.replaceWith(fresh);
    else window.location.assign(data.nextUrl);
  }

  function queueReport(form, body, message) {
    // Kept with the same key, sent when the connection (or the sign-in) is back.
    wasRunning = false;
    reloadWhenSaved = true;
    outbox.push({ kind: "hurts", url: form.action, body });
    writeOutbox();
    hurtsDialog.close();
    showStatus(message, "offline");
  }

  // ---- Controls ----
  for (const el of articles.values()) {
    el.querySelector('[data-action="start"]').addEventListener("click", begin);
    el.querySelector('[data-action="pause"]').addEventListener("click", togglePause);
    el.querySelector('[data-action="back"]').addEventListener("click", back);
    el.querySelector(".complete-form").addEventListener("submit", (event) => {
      event.preventDefault();
      if (performance.now() < acceptClicksAfter) return;
      finishStep(event.submitter?.name === "skipped");
    });
  }

  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || hurtsDialog.open) return;
    const target = event.target;
    if (target.closest("input, select, textarea, [contenteditable]")) return;
    const key = event.key.toLowerCase();
    if (key === " ") {
      if (target.closest("button, a, summary")) return; // the focused control acts itself
      event.preventDefault();
      togglePause();
    } else if (key === "d") {
      article().querySelector(".complete-form button:not([name])").click();
    } else if (key === "s") {
      article().querySelector('.complete-form button[name="skipped"]').click();
    } else if (key === "b") {
      back();
    } else if (key === "h") {
      openHurts();
    }
  });

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") {
      if (running) {
        keepScreenOn();
        unlockAudio();
      }
      tick();
    }
  });
  window.addEventListener("online", flush);
  setInterval(tick, 1000); // a safety net: tick() itself schedules the precise wake-ups
  setInterval(() => outbox.length && flush(), 5000);

  // Steps sent from this device but not yet acknowledged count as done.
  for (const item of outbox) {
    const step = steps.find((s) => s.completeUrl === item.url);
    if (step) step.done = true;
  }
  const firstOpen = steps.findIndex((step) => !step.done);
  showStep(firstOpen >= 0 ? firstOpen : index, { focus: false });
  if (firstOpen < 0) finishing = true;
  flush();
}
