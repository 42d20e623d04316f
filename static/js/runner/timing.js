// The runner's clock and timeline maths: pure functions over plain numbers (milliseconds
// from performance.now()), no DOM and no timers, so every case is a unit test.
//
// A step's clock is a value, { origin, pausedAt }: elapsed time is now - origin, frozen at
// pausedAt while paused; resuming moves the origin on by the length of the pause. Time
// always comes from timestamps, never from counting ticks, so a hidden tab or a stalled
// main thread finds the right place as soon as it runs again.

export const COUNT_IN_SECONDS = 3; // the 3-2-1 tones before a hold or repetitions end
export const TEN_LEFT_SECONDS = 10; // "10 seconds left" ...
export const TEN_LEFT_MIN_SECONDS = 20; // ... only in segments longer than this
export const TONES = {
  work: { frequency: 880, duration: 350 }, // a hold or repetitions begin
  pause: { frequency: 520, duration: 350 }, // anything else begins (get ready, relax, rest)
  count: { frequency: 660, duration: 120 }, // 3, 2, 1
};
// A spoken "10 seconds left" that comes later than this would mislead: drop it.
const TEN_LEFT_STALE_MS = 1500;

const isWork = (segment) => segment.kind === "hold" || segment.kind === "reps";

// ---- The clock ----

export function startClock(at) {
  return { origin: at, pausedAt: null };
}

export function pauseClock(clock, at) {
  return clock.pausedAt === null ? { ...clock, pausedAt: at } : clock;
}

export function resumeClock(clock, at) {
  if (clock.pausedAt === null) return clock;
  return { origin: clock.origin + (at - clock.pausedAt), pausedAt: null };
}

export function isRunning(clock) {
  return Boolean(clock) && clock.pausedAt === null;
}

/** Milliseconds of the step played by `at`, pauses left out. */
export function elapsedAt(clock, at) {
  return (clock.pausedAt ?? at) - clock.origin;
}

/** The instant (performance.now() time) at which the running step reaches `elapsed`. */
export function instantOf(clock, elapsed) {
  return clock.origin + elapsed;
}

// ---- The timeline ----

/** Start and end of every segment, in milliseconds from the start of the step. */
export function segmentBounds(timeline) {
  let start = 0;
  return timeline.map((segment) => {
    const bounds = { start, end: start + segment.seconds * 1000 };
    start = bounds.end;
    return bounds;
  });
}

export function stepMilliseconds(timeline) {
  return timeline.reduce((sum, segment) => sum + segment.seconds * 1000, 0);
}

/**
 * Where the step is after `elapsed` ms: the current segment, when it ends and how much of
 * it is left. A segment ends at its end instant exactly, so `elapsed` equal to an end is
 * already in the next segment; past the last one the step is finished.
 */
export function positionAt(timeline, elapsed) {
  const bounds = segmentBounds(timeline);
  const index = bounds.findIndex(({ end }) => elapsed < end);
  if (index < 0) {
    const end = stepMilliseconds(timeline);
    return { index: timeline.length, finished: true, start: end, end, remaining: 0 };
  }
  const { start, end } = bounds[index];
  return { index, finished: false, start, end, remaining: end - elapsed };
}

/** The whole seconds a countdown shows with `remaining` ms left: 0.2 s left shows 1. */
export function shownSecond(remaining) {
  return Math.ceil(remaining / 1000);
}

export function formatCountdown(seconds) {
  if (seconds < 60) return String(seconds);
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, "0")}`;
}

/**
 * Seconds of work done after `elapsed` ms of the step: the get-ready time does not count
 * (and pauses are already left out of `elapsed`). Relax, switch and rest are part of the
 * dose, as the server's planned seconds count them.
 */
export function secondsDone(timeline, elapsed) {
  const bounds = segmentBounds(timeline);
  let done = 0;
  timeline.forEach((segment, i) => {
    if (segment.kind === "lead_in") return;
    done += Math.min(Math.max(elapsed - bounds[i].start, 0), segment.seconds * 1000);
  });
  return Math.max(0, Math.round(done / 1000));
}

/** The work a step asks for, for a step marked done without the timer running. */
export function plannedWorkSeconds(timeline) {
  return timeline.filter((s) => s.kind !== "lead_in").reduce((sum, s) => sum + s.seconds, 0);
}

/** The session progress bar: steps done elsewhere plus how far into this one. */
export function sessionProgress(steps, index, elapsedSeconds) {
  const max = steps.reduce((sum, step) => sum + step.seconds, 0);
  const before = steps.reduce(
    (sum, step, i) => sum + (step.done && i !== index ? step.seconds : 0),
    0,
  );
  return { max, value: Math.min(max, before + Math.max(0, elapsedSeconds)) };
}

/** The step to go to after `index`: the next open one, else the first open one before. */
export function nextOpenStep(steps, index) {
  const open = (step, i) => i !== index && !step.done;
  const later = steps.findIndex((step, i) => i > index && open(step, i));
  return later >= 0 ? later : steps.findIndex(open);
}

// ---- What to say ----

/** The detail line under a segment's label: side, which hold, how many, which set. */
export function describe(timeline, segment, labels) {
  const parts = [];
  if (segment.side) parts.push(labels[segment.side]);
  const holds = timeline.filter((s) => s.kind === "hold" && s.set_number === segment.set_number);
  const reps = Math.max(0, ...holds.map((s) => s.rep_number));
  if (segment.kind === "hold" && reps > 1) parts.push(`${segment.rep_number} / ${reps}`);
  if (segment.kind === "reps") parts.push(labels.doReps.replace("%(n)s", segment.reps));
  const sets = Math.max(...timeline.map((s) => s.set_number));
  if (sets > 1 && segment.kind !== "lead_in") parts.push(`${segment.set_number} / ${sets}`);
  return parts.join(" · ");
}

/** What is announced as a segment begins, e.g. "Hold, left side · 2 / 3, 30 s". */
export function segmentAnnouncement(timeline, segment, stepName, labels) {
  const name = segment.kind === "lead_in" ? `: ${stepName}` : "";
  const detail = describe(timeline, segment, labels);
  return `${labels[segment.kind]}${name}${detail ? `, ${detail}` : ""}, ${segment.seconds} s`;
}

// ---- Cues ----

export function startTone(segment) {
  return { ...(isWork(segment) ? TONES.work : TONES.pause) };
}

/**
 * Every tone of a step, at ms from its start: a tone as each segment begins, and 3-2-1
 * in the last three seconds of a hold or repetitions (fewer in a shorter segment, the
 * first of them then with the start tone). `next`, the first segment of the step that
 * follows, adds its start tone at this step's end, so it can be scheduled ahead too.
 */
export function stepTones(timeline, next = null) {
  const bounds = segmentBounds(timeline);
  const tones = [];
  timeline.forEach((segment, i) => {
    const { start, end } = bounds[i];
    if (end === start) return; // a zero-length segment is never entered
    tones.push({ at: start, ...startTone(segment) });
    if (!isWork(segment)) return;
    for (let count = COUNT_IN_SECONDS; count >= 1; count -= 1) {
      const at = end - count * 1000;
      if (at >= start) tones.push({ at, ...TONES.count });
    }
  });
  if (next) tones.push({ at: stepMilliseconds(timeline), ...startTone(next) });
  return tones;
}

/**
 * The spoken (and screen-reader) cues of a step, at ms from its start: each segment's
 * announcement, and "10 seconds left" in segments longer than 20 s. `until` is when a cue
 * stops being true: one that could only be given later than that is dropped.
 */
export function stepCalls(timeline) {
  const bounds = segmentBounds(timeline);
  const calls = [];
  timeline.forEach((segment, i) => {
    const { start, end } = bounds[i];
    if (end === start) return;
    calls.push({ kind: "segment", index: i, at: start, until: end });
    if (segment.seconds > TEN_LEFT_MIN_SECONDS) {
      const at = end - TEN_LEFT_SECONDS * 1000;
      calls.push({ kind: "ten-left", index: i, at, until: at + TEN_LEFT_STALE_MS });
    }
  });
  return calls;
}

/** The cues due in [from, to) ms of the step: what is left to give, or what a stretch held. */
export function cuesBetween(cues, from, to = Infinity) {
  return cues.filter((cue) => cue.at >= from && cue.at < to);
}

/**
 * What comes after segment `index`, said while resting: the next segment of the step after
 * a relax, a rest or a switch of sides, and the next exercise (`nextName`) in the step's
 * last segment. "" while working, so the count has the person's whole attention.
 */
export function upNext(timeline, index, nextName, labels) {
  const segment = timeline[index];
  if (!segment || isWork(segment)) return "";
  const following = timeline.slice(index + 1).find((s) => s.seconds > 0);
  let what = nextName || "";
  if (following) {
    const detail = describe(timeline, following, labels);
    what = segment.kind === "lead_in" ? "" : `${labels[following.kind]}${detail ? `, ${detail}` : ""}`;
  }
  return what ? labels.upNext.replace("%(what)s", what) : "";
}
