import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  audioTimeAt,
  callState,
  clockStamp,
  createCues,
  STALE_TONE_MS,
  stampDrift,
  toneSchedule,
} from "../../static/js/runner/cues.js";
import { instantOf, startClock, stepTones, TONES } from "../../static/js/runner/timing.js";
import { longHold, reps, segment } from "./helpers.mjs";

const close = (actual, expected, message) =>
  assert.ok(Math.abs(actual - expected) < 1e-9, message ?? `${actual} is not ${expected}`);

/** The tones of a step started at page instant `origin`, as the runner hands them over. */
const tonesAt = (timeline, origin, next = null) =>
  stepTones(timeline, next).map((tone) => ({
    ...tone,
    at: instantOf(startClock(origin), tone.at),
  }));

describe("the audio clock", () => {
  test("a page instant maps through a stamp of both clocks", () => {
    const stamp = { contextTime: 2, performanceTime: 10_000 };
    close(audioTimeAt(10_000, stamp), 2);
    close(audioTimeAt(15_500, stamp), 7.5);
    close(audioTimeAt(9_000, stamp), 1);
  });

  test("the output timestamp is used when the browser has one", () => {
    const audio = {
      currentTime: 4.04,
      getOutputTimestamp: () => ({ contextTime: 4, performanceTime: 1_000 }),
    };
    assert.deepEqual(clockStamp(audio, 1_010), { contextTime: 4, performanceTime: 1_000 });
  });

  test("without one, the output latency is taken off the rendering clock", () => {
    const before = { currentTime: 3, outputLatency: 0.04 };
    const notYet = {
      ...before,
      getOutputTimestamp: () => ({ contextTime: 0, performanceTime: 0 }),
    };
    for (const audio of [before, notYet]) {
      const stamp = clockStamp(audio, 2_000);
      close(stamp.contextTime, 2.96);
      assert.equal(stamp.performanceTime, 2_000);
      assert.equal(stamp.estimated, true);
    }
  });

  test("drift is how far the two stamps put the clocks apart, in ms", () => {
    const a = { contextTime: 2, performanceTime: 10_000 };
    close(stampDrift(a, { contextTime: 12, performanceTime: 20_000 }), 0);
    close(stampDrift(a, { contextTime: 12.004, performanceTime: 20_000 }), 4);
  });
});

describe("tone times", () => {
  // The audio clock reads 1.5 s when the page clock reads 20 s.
  const stamp = { contextTime: 1.5, performanceTime: 20_000 };

  test("a 5-minute hold: its start, then 3-2-1 on the audio clock, and the next step", () => {
    const tones = tonesAt(longHold, 20_000, segment("lead_in", 5));
    const schedule = toneSchedule(tones, stamp, 1.5);
    assert.deepEqual(
      schedule.map((tone) => [Number(tone.when.toFixed(3)), tone.frequency]),
      [
        [1.5, 520], // get ready
        [6.5, 880], // hold
        [303.5, 660], // 3
        [304.5, 660], // 2
        [305.5, 660], // 1
        [306.5, 520], // the next step's get ready
      ],
    );
    for (const tone of schedule) close(tone.stop - tone.when, tone.duration / 1000);
  });

  test("the same step started later on the page clock moves by as much", () => {
    const later = toneSchedule(tonesAt(reps, 50_000), stamp, 1.5);
    assert.deepEqual(
      later.map((tone) => Number(tone.when.toFixed(3))),
      [31.5, 36.5, 65.5, 66.5, 67.5],
    );
  });

  test("a tone a little late starts at once, one long gone is dropped", () => {
    const tones = [
      { at: 19_900, ...TONES.count }, // 100 ms ago
      { at: 20_000 - STALE_TONE_MS - 50, ...TONES.count },
      { at: 21_000, ...TONES.work },
    ];
    const schedule = toneSchedule(tones, stamp, 1.5);
    assert.deepEqual(
      schedule.map((tone) => Number(tone.when.toFixed(3))),
      [1.5, 2.5],
    );
  });
});

describe("timed calls", () => {
  const call = { at: 1_000, until: 5_000 };

  test("a call is early before its instant, due from it, stale at its end", () => {
    assert.equal(callState(call, 900), "early");
    assert.equal(callState(call, 999), "due"); // a timer may fire a hair early
    assert.equal(callState(call, 4_999), "due");
    assert.equal(callState(call, 5_000), "stale");
  });

  test("a wider tolerance lets a slightly early alarm through", () => {
    assert.equal(callState(call, 960, 50), "due");
    assert.equal(callState(call, 900, 50), "early");
  });
});

// ---- The player, with a fake AudioContext and fake timers ----

class FakeParam {
  constructor() {
    this.value = 1;
    this.events = [];
  }
  setValueAtTime(value, when) {
    this.events.push(["set", value, when]);
  }
  exponentialRampToValueAtTime(value, when) {
    this.events.push(["ramp", value, when]);
  }
}

class FakeNode {
  constructor(audio) {
    this.audio = audio;
    this.disconnected = false;
  }
  connect(node) {
    return node;
  }
  disconnect() {
    this.disconnected = true;
  }
}

class FakeOscillator extends FakeNode {
  constructor(audio) {
    super(audio);
    this.frequency = { value: 0 };
    this.stops = [];
    this.onended = null;
    audio.oscillators.push(this);
  }
  start(when = 0) {
    this.startedAt = when;
  }
  stop(when = 0) {
    this.stops.push(when);
  }
}

class FakeGain extends FakeNode {
  constructor(audio) {
    super(audio);
    this.gain = new FakeParam();
    audio.gains.push(this);
  }
}

class FakeAudio {
  constructor() {
    this.currentTime = 10;
    this.state = "running";
    this.stamp = { contextTime: 9.96, performanceTime: 5_000 };
    this.oscillators = [];
    this.gains = [];
    this.listeners = [];
    this.destination = new FakeNode(this);
  }
  getOutputTimestamp() {
    return this.stamp;
  }
  createOscillator() {
    return new FakeOscillator(this);
  }
  createGain() {
    return new FakeGain(this);
  }
  addEventListener(type, listener) {
    this.listeners.push(listener);
  }
  resume() {}
  // Tones are the oscillators heard through a gain above zero; the rest are alarms.
  tones() {
    return this.oscillators.filter((osc) => osc.frequency.value > 0);
  }
  alarms() {
    return this.oscillators.filter((osc) => osc.frequency.value === 0);
  }
}

/** A window with a page clock and timers that run only when told to. */
function fakeWindow({ state = "running" } = {}) {
  const win = {
    time: 5_000,
    timers: new Map(),
    nextId: 1,
    spoken: [],
    audio: null,
    performance: { now: () => win.time },
    setTimeout(fn, delay) {
      const id = win.nextId++;
      win.timers.set(id, { fn, at: win.time + Math.max(0, delay) });
      return id;
    },
    clearTimeout(id) {
      win.timers.delete(id);
    },
    AudioContext: function AudioContext() {
      win.audio = new FakeAudio();
      win.audio.state = state;
      return win.audio;
    },
    speechSynthesis: {
      cancel: () => win.spoken.push("(cancel)"),
      speak: (utterance) => win.spoken.push(utterance.text),
    },
    SpeechSynthesisUtterance: class {
      constructor(text) {
        this.text = text;
      }
    },
    runUntil(time) {
      for (;;) {
        const due = [...win.timers]
          .filter(([, timer]) => timer.at <= time)
          .sort((a, b) => a[1].at - b[1].at);
        if (!due.length) break;
        const [id, timer] = due[0];
        win.timers.delete(id);
        win.time = timer.at;
        timer.fn();
      }
      win.time = time;
    },
  };
  return win;
}

function player(options = {}) {
  const win = fakeWindow(options);
  const cues = createCues({ sound: true, speech: false, window: win, ...options });
  cues.unlock();
  return { win, cues, audio: win.audio };
}

describe("the tone player", () => {
  test("it hands each tone to the audio thread at its audio-clock time", () => {
    const { cues, audio } = player();
    // The output clock reads 9.96 s at page instant 5 s: page 8 s is audio 12.96 s.
    cues.plan({ tones: [{ at: 8_000, ...TONES.count }, { at: 9_000, ...TONES.work }] });
    const tones = audio.tones();
    assert.deepEqual(
      tones.map((osc) => [Number(osc.startedAt.toFixed(3)), osc.frequency.value]),
      [
        [12.96, 660],
        [13.96, 880],
      ],
    );
    assert.deepEqual(
      tones[0].stops.map((when) => Number(when.toFixed(3))),
      [13.08],
    );
  });

  test("planning the same tones again does not double them", () => {
    const { cues, audio } = player();
    const tones = [{ at: 8_000, ...TONES.count }];
    cues.plan({ tones });
    cues.plan({ tones });
    assert.equal(audio.tones().length, 1);
  });

  test("tones no longer wanted are silenced before they sound", () => {
    const { cues, audio } = player();
    cues.plan({ tones: [{ at: 8_000, ...TONES.count }, { at: 9_000, ...TONES.count }] });
    cues.plan({ tones: [{ at: 9_000, ...TONES.count }] }); // skip, back or pause
    const [dropped, kept] = audio.tones();
    assert.equal(dropped.stops.at(-1), 0);
    assert.ok(audio.gains[0].disconnected);
    assert.equal(kept.stops.length, 1);
    assert.equal(audio.gains[1].disconnected, false);
  });

  test("cancel silences what has not started and leaves a sounding tone alone", () => {
    const { cues, audio } = player();
    cues.plan({ tones: [{ at: 5_000, ...TONES.work }, { at: 8_000, ...TONES.count }] });
    audio.currentTime = 10.1; // the first one is sounding
    cues.cancel();
    const [sounding, waiting] = audio.tones();
    assert.equal(sounding.stops.length, 1);
    assert.equal(waiting.stops.at(-1), 0);
  });

  test("a step that follows on keeps the tone the step before scheduled for its start", () => {
    const { cues, audio } = player();
    const first = tonesAt(reps, 5_000, segment("lead_in", 5));
    cues.plan({ tones: first });
    const end = 5_000 + 37_000;
    const second = tonesAt(reps, end);
    cues.plan({ tones: second });
    const atEnd = audio.tones().filter((osc) => Math.abs(osc.startedAt - (9.96 + 37)) < 1e-9);
    assert.equal(atEnd.length, 1);
    assert.equal(atEnd[0].stops.length, 1); // not cancelled
  });

  test("drift between the clocks moves the tones still to come", () => {
    const { cues, audio } = player();
    cues.plan({ tones: [{ at: 8_000, ...TONES.count }] });
    audio.stamp = { contextTime: 9.961, performanceTime: 5_000 }; // 1 ms: left alone
    cues.refresh();
    assert.equal(audio.tones().length, 1);
    audio.stamp = { contextTime: 9.97, performanceTime: 5_000 }; // 10 ms
    cues.refresh();
    const [old, moved] = audio.tones();
    assert.equal(old.stops.at(-1), 0);
    close(moved.startedAt, 12.97);
  });

  test("a context just started is read again soon, and its tones moved", () => {
    const { win, cues, audio } = player();
    audio.stamp = { contextTime: 0, performanceTime: 0 }; // not rendering yet
    audio.baseLatency = 0.01;
    cues.plan({ tones: [{ at: 8_000, ...TONES.count }] });
    close(audio.tones()[0].startedAt, 12.99); // 10 s now, less 10 ms, plus 3 s
    audio.stamp = { contextTime: 9.96, performanceTime: 5_000 }; // the output, 40 ms behind
    win.runUntil(5_200);
    const [estimated, measured] = audio.tones();
    assert.equal(estimated.stops.at(-1), 0);
    close(measured.startedAt, 12.96);
  });

  test("a tone about to sound is not moved", () => {
    const { cues, audio } = player();
    cues.plan({ tones: [{ at: 5_090, ...TONES.count }, { at: 8_000, ...TONES.count }] });
    audio.stamp = { contextTime: 9.97, performanceTime: 5_000 }; // 10 ms of drift
    cues.refresh();
    const [imminent, later, moved] = audio.tones();
    assert.equal(imminent.stops.length, 1); // due in 50 ms of audio time: left alone
    assert.equal(later.stops.at(-1), 0);
    close(moved.startedAt, 12.97);
    assert.equal(audio.tones().length, 3);
  });

  test("no tones when sound is off", () => {
    const { cues, audio } = player({ sound: false, speech: true });
    cues.plan({ tones: [{ at: 8_000, ...TONES.count }] });
    assert.equal(audio.tones().length, 0);
  });

  test("a context still starting gets its tones when it runs", () => {
    const { cues, audio } = player({ state: "suspended" });
    cues.plan({ tones: [{ at: 8_000, ...TONES.count }] });
    assert.equal(audio.tones().length, 0);
    audio.state = "running";
    for (const listener of audio.listeners) listener();
    assert.equal(audio.tones().length, 1);
  });
});

describe("the call player", () => {
  test("a call runs once, on its instant", () => {
    const { win, cues } = player();
    const runs = [];
    cues.plan({ calls: [{ at: 6_000, until: 9_000, run: () => runs.push(win.time) }] });
    win.runUntil(5_999);
    assert.deepEqual(runs, []);
    win.runUntil(20_000);
    assert.deepEqual(runs, [6_000]);
  });

  test("a call already due runs at once; one past its end never", () => {
    const { cues } = player();
    const runs = [];
    cues.plan({
      calls: [
        { at: 4_000, until: 6_000, run: () => runs.push("due") },
        { at: 1_000, until: 2_000, run: () => runs.push("stale") },
      ],
    });
    assert.deepEqual(runs, ["due"]);
  });

  test("a call whose timer comes after its end is dropped", () => {
    const { win, cues } = player();
    const runs = [];
    cues.plan({ calls: [{ at: 6_000, until: 7_500, run: () => runs.push("ten left") }] });
    // A stalled page: the timer gets to run only at 8 s.
    const [[, timer]] = [...win.timers];
    win.time = 8_000;
    timer.fn();
    assert.deepEqual(runs, []);
  });

  test("planning again replaces the calls not yet given", () => {
    const { win, cues } = player();
    const runs = [];
    cues.plan({ calls: [{ at: 6_000, until: 9_000, run: () => runs.push("old") }] });
    cues.plan({ calls: [{ at: 7_000, until: 9_000, run: () => runs.push("new") }] });
    win.runUntil(10_000);
    assert.deepEqual(runs, ["new"]);
  });

  test("the audio clock's alarm gives a call a hidden tab's timer holds back", () => {
    const { win, cues, audio } = player();
    win.document = { visibilityState: "hidden" };
    const runs = [];
    cues.plan({ calls: [{ at: 6_000, until: 9_000, run: () => runs.push(win.time) }] });
    const [alarm] = audio.alarms();
    close(alarm.stops[0], 11); // rendering clock: 10 s now, so 1 s on
    win.time = 5_900; // an alarm 100 ms early is ignored: the timer will do
    alarm.onended();
    assert.deepEqual(runs, []);
    win.time = 5_980; // 20 ms early is close enough when the timer may be a second late
    alarm.onended?.();
    assert.deepEqual(runs, [5_980]);
    win.runUntil(10_000); // and the timer does not give it again
    assert.deepEqual(runs, [5_980]);
  });

  test("in a visible tab an early alarm leaves the call to the more exact timer", () => {
    const { win, cues, audio } = player();
    win.document = { visibilityState: "visible" };
    const runs = [];
    cues.plan({ calls: [{ at: 6_000, until: 9_000, run: () => runs.push(win.time) }] });
    win.time = 5_980;
    audio.alarms()[0].onended();
    assert.deepEqual(runs, []);
    win.runUntil(10_000);
    assert.deepEqual(runs, [6_000]);
  });

  test("a call that plans again from inside its run leaves the new plan in place", () => {
    const { win, cues } = player();
    const runs = [];
    const next = { at: 8_000, until: 9_000, run: () => runs.push("next step") };
    cues.plan({
      calls: [
        { at: 5_000, until: Infinity, run: () => cues.plan({ calls: [next] }) },
        { at: 5_000, until: 6_000, run: () => runs.push("old step") },
      ],
    });
    win.runUntil(10_000);
    assert.deepEqual(runs, ["next step"]);
  });
});

describe("speech", () => {
  test("it speaks only when spoken cues are on, cutting off what it was saying", () => {
    const quiet = player();
    quiet.cues.speak("Hold");
    assert.deepEqual(quiet.win.spoken, []);
    const talking = player({ speech: true });
    talking.cues.speak("Hold");
    talking.cues.speak("Relax");
    assert.deepEqual(talking.win.spoken, ["(cancel)", "Hold", "(cancel)", "Relax"]);
  });
});
