// Sound and speech cues.
//
// Tones are scheduled on the AudioContext's own clock (oscillator.start(when)) as soon as
// a step starts, for the whole step: the audio thread plays them on time even when the tab
// is hidden and its timers are throttled, or the main thread is busy. A page instant
// (performance.now() ms) becomes an audio time through a stamp, a reading of both clocks
// at once; getOutputTimestamp() gives the time being heard, so output latency is allowed
// for. Pause, resume, skip and back plan again: tones no longer wanted are cancelled.
// The two clocks can move apart (drift; a frozen page or a starved audio thread, by
// hundreds of ms): refresh() reads them again and hands the tones still to come over anew.
//
// Speech cannot be scheduled on the audio clock: speechSynthesis.speak() only starts it,
// on the main thread, and the engine then takes its own time (tens to hundreds of ms,
// unknown to the page). Timed calls (announcements) get as close as the page can: a timer
// aimed at the exact instant, and, when there is an AudioContext, a silent oscillator that
// ends at that instant, whose "ended" event reaches a hidden tab whose timers are held
// back. Neither helps while the main thread is stalled or the page frozen: a call that
// comes after `until` is dropped rather than said too late.

// A tone that could only sound more than this late is dropped, not played out of place.
export const STALE_TONE_MS = 250;
// Plan the tones again when the two clocks have drifted apart by more than this.
export const DRIFT_MS = 3;
// Tones due sooner than this are left where they are when the clocks are read again.
const SETTLED_MS = 100;
// How soon to read the clocks again after an estimate (a context that has just started).
const RESTAMP_MS = 150;
// A timer may fire a hair early (clock rounding). The audio alarm comes when the audio
// thread renders its instant, up to a render buffer before that is heard: in a visible
// tab the timer is the more exact, so an early alarm waits for it; in a hidden tab,
// whose timers may be a second late, the alarm is taken up to this early.
const TIMER_EARLY_MS = 2;
const HIDDEN_ALARM_EARLY_MS = 50;
const TONE_GAIN = 0.25;

/** A reading of the audio clock and the page clock at one moment. */
export function clockStamp(audio, now) {
  const stamp = audio.getOutputTimestamp?.();
  if (stamp && stamp.performanceTime > 0) {
    return { contextTime: stamp.contextTime, performanceTime: stamp.performanceTime };
  }
  // No output timestamp (older browsers, or a context not yet rendering): what is rendered
  // now is heard about one output latency later. An estimate: read again soon.
  const latency = audio.outputLatency || audio.baseLatency || 0;
  return { contextTime: audio.currentTime - latency, performanceTime: now, estimated: true };
}

/** The audio-clock time (s) at which a sound is heard at page instant `at` (ms). */
export function audioTimeAt(at, stamp) {
  return stamp.contextTime + (at - stamp.performanceTime) / 1000;
}

/** How far apart two stamps put the clocks, in ms: drift, or a better reading. */
export function stampDrift(a, b) {
  const offset = (stamp) => stamp.contextTime * 1000 - stamp.performanceTime;
  return Math.abs(offset(a) - offset(b));
}

/**
 * Oscillator start and stop times for `tones` ({ at, frequency, duration } in page ms):
 * a tone already more than STALE_TONE_MS past is dropped, a slightly late one starts now
 * (`currentTime`) rather than never.
 */
export function toneSchedule(tones, stamp, currentTime) {
  return tones.flatMap((tone) => {
    const when = audioTimeAt(tone.at, stamp);
    if (when < currentTime - STALE_TONE_MS / 1000) return [];
    const start = Math.max(when, currentTime);
    return [{ ...tone, when: start, stop: start + tone.duration / 1000 }];
  });
}

/** "early" (wait), "due" (give it now) or "stale" (too late to be true) at `now`. */
export function callState(call, now, early = TIMER_EARLY_MS) {
  if (now >= call.until) return "stale";
  return now >= call.at - early ? "due" : "early";
}

const toneKey = (tone) => `${tone.frequency}@${Math.round(tone.at)}`;

/**
 * The cue player. `plan({ tones, calls })` replaces what is planned: tones
 * ({ at, frequency, duration }) and calls ({ at, until, run }), all at page instants.
 */
export function createCues({ sound, speech, window: win = globalThis }) {
  const clock = () => win.performance.now();
  let audio = null;
  let scheduled = []; // tones handed to the audio thread: { at, frequency, nodes, stop }
  let armed = []; // calls waiting: { call, done, timer, alarm }
  let stamp = null;
  let wanted = { tones: [], calls: [] };

  function unlock() {
    const Context = win.AudioContext || win.webkitAudioContext;
    if (!(sound || speech) || !Context) return;
    if (!audio) {
      audio = new Context();
      // A context resumed by a gesture starts later: plan the tones again when it runs.
      audio.addEventListener("statechange", () => running() && planTones(wanted.tones));
    }
    if (audio.state === "suspended") audio.resume();
  }

  const running = () => audio !== null && audio.state === "running";
  const alarmTolerance = () =>
    win.document?.visibilityState === "hidden" ? HIDDEN_ALARM_EARLY_MS : TIMER_EARLY_MS;

  function speak(text) {
    if (!speech || !win.speechSynthesis) return;
    win.speechSynthesis.cancel();
    win.speechSynthesis.speak(new win.SpeechSynthesisUtterance(text));
  }

  function plan(next) {
    wanted = { tones: next.tones ?? [], calls: next.calls ?? [] };
    planTones(wanted.tones);
    planCalls(wanted.calls);
  }

  function cancel() {
    plan({ tones: [], calls: [] });
  }

  /** Re-maps the planned tones when the clocks have drifted (call now and then). */
  function refresh() {
    if (!running() || !stamp) return;
    if (stampDrift(stamp, clockStamp(audio, clock())) <= DRIFT_MS) return;
    // A tone about to sound stays as it is: moving it now could only make it late.
    const settled = audio.currentTime + SETTLED_MS / 1000;
    for (const tone of scheduled) if (tone.when > settled) silence(tone);
    scheduled = scheduled.filter((tone) => tone.when <= settled);
    planTones(wanted.tones);
  }

  // ---- Tones ----

  function planTones(tones) {
    if (!sound || !running()) return;
    stamp = clockStamp(audio, clock());
    const now = audio.currentTime;
    // Forget tones long played; cancel the ones no longer wanted that have not started.
    scheduled = scheduled.filter((tone) => tone.stop > now - 1);
    const keys = new Set(tones.map(toneKey));
    for (const tone of scheduled) if (!keys.has(toneKey(tone)) && tone.when > now) silence(tone);
    scheduled = scheduled.filter((tone) => keys.has(toneKey(tone)) || tone.when <= now);
    // Keep the ones already handed over (a step that follows on keeps the tone that the
    // step before scheduled for its start); hand over the rest.
    const have = new Set(scheduled.map(toneKey));
    const fresh = tones.filter((tone) => !have.has(toneKey(tone)));
    for (const tone of toneSchedule(fresh, stamp, now)) scheduled.push(playTone(tone));
    if (stamp.estimated) win.setTimeout(refresh, RESTAMP_MS);
  }

  function playTone(tone) {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.frequency.value = tone.frequency;
    gain.gain.setValueAtTime(TONE_GAIN, tone.when);
    gain.gain.exponentialRampToValueAtTime(0.001, tone.stop);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(tone.when);
    oscillator.stop(tone.stop);
    return { ...tone, nodes: [oscillator, gain] };
  }

  function silence(tone) {
    const [oscillator, gain] = tone.nodes;
    try {
      oscillator.stop(0); // a stop before its start: it never sounds
    } catch {
      // Already stopped in an older browser: disconnecting below is enough.
    }
    gain.disconnect();
  }

  // ---- Timed calls ----

  function planCalls(calls) {
    for (const entry of armed) disarm(entry);
    armed = calls.map(arm);
    // Give the calls already due once all are armed: a call may plan again (a step that
    // ends starts the next), which disarms what is left of this plan.
    for (const entry of armed) if (entry.dueNow && !entry.done) give(entry);
  }

  function arm(call) {
    const entry = { call, done: false, dueNow: false, timer: null, alarm: null };
    const state = callState(call, clock());
    if (state === "stale") entry.done = true;
    else if (state === "due") entry.dueNow = true;
    else {
      entry.timer = win.setTimeout(() => attempt(entry, TIMER_EARLY_MS), call.at - clock());
      entry.alarm = audioAlarm(call.at, () => attempt(entry, alarmTolerance()));
    }
    return entry;
  }

  function attempt(entry, early) {
    if (entry.done) return;
    const now = clock();
    const state = callState(entry.call, now, early);
    if (state === "early") {
      win.clearTimeout(entry.timer);
      entry.timer = win.setTimeout(() => attempt(entry, TIMER_EARLY_MS), entry.call.at - now);
    } else if (state === "stale") {
      disarm(entry);
    } else {
      give(entry);
    }
  }

  function give(entry) {
    disarm(entry);
    entry.call.run();
  }

  function disarm(entry) {
    entry.done = true;
    win.clearTimeout(entry.timer);
    if (entry.alarm) {
      entry.alarm.onended = null;
      entry.alarm.disconnect();
    }
  }

  /** A silent oscillator that ends at page instant `at`: its "ended" event calls `then`. */
  function audioAlarm(at, then) {
    if (!running()) return null;
    // The ended event comes when the audio thread renders `at`, so map by the rendering
    // clock (currentTime), not by what is being heard.
    const when = audio.currentTime + (at - clock()) / 1000;
    const oscillator = audio.createOscillator();
    const mute = audio.createGain();
    mute.gain.value = 0;
    oscillator.connect(mute).connect(audio.destination);
    oscillator.onended = then;
    // Started just before its end, so it costs nothing while it waits.
    oscillator.start(Math.max(audio.currentTime, when - 0.05));
    oscillator.stop(when);
    return oscillator;
  }

  return { unlock, speak, plan, cancel, refresh };
}
