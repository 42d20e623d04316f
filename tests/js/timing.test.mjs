import assert from "node:assert/strict";
import { describe as group, test } from "node:test";

import {
  cuesBetween,
  describe,
  elapsedAt,
  formatCountdown,
  instantOf,
  isRunning,
  nextOpenStep,
  pauseClock,
  plannedWorkSeconds,
  positionAt,
  resumeClock,
  secondsDone,
  segmentAnnouncement,
  segmentBounds,
  sessionProgress,
  shownSecond,
  startClock,
  stepCalls,
  stepMilliseconds,
  stepTones,
  TONES,
} from "../../static/js/runner/timing.js";
import { labels, longHold, perSide, reps, segment } from "./helpers.mjs";

group("the clock", () => {
  test("it counts from its start", () => {
    const clock = startClock(1_000);
    assert.equal(elapsedAt(clock, 1_000), 0);
    assert.equal(elapsedAt(clock, 16_500), 15_500);
    assert.ok(isRunning(clock));
  });

  test("a pause holds the elapsed time however long it lasts", () => {
    const paused = pauseClock(startClock(0), 10_000);
    assert.equal(isRunning(paused), false);
    assert.equal(elapsedAt(paused, 10_000), 10_000);
    assert.equal(elapsedAt(paused, 130_000), 10_000);
  });

  test("resuming goes on from where it paused", () => {
    const resumed = resumeClock(pauseClock(startClock(0), 10_000), 130_000);
    assert.ok(isRunning(resumed));
    assert.equal(elapsedAt(resumed, 130_000), 10_000);
    assert.equal(elapsedAt(resumed, 134_000), 14_000);
  });

  test("two pauses add up", () => {
    let clock = startClock(0);
    clock = resumeClock(pauseClock(clock, 5_000), 65_000); // paused a minute
    clock = resumeClock(pauseClock(clock, 70_000), 80_000); // then ten seconds
    assert.equal(elapsedAt(clock, 90_000), 20_000);
  });

  test("pausing a paused clock or resuming a running one changes nothing", () => {
    const paused = pauseClock(startClock(0), 10_000);
    assert.equal(pauseClock(paused, 50_000), paused);
    const running = startClock(0);
    assert.equal(resumeClock(running, 50_000), running);
  });

  test("an instant of the step moves with the pauses", () => {
    const clock = resumeClock(pauseClock(startClock(1_000), 3_000), 8_000);
    assert.equal(instantOf(clock, 10_000), 16_000);
  });

  test("no clock is not running", () => {
    assert.equal(isRunning(null), false);
  });
});

group("where the step is", () => {
  test("segments follow each other at their ends", () => {
    assert.deepEqual(segmentBounds(longHold), [
      { start: 0, end: 5_000 },
      { start: 5_000, end: 305_000 },
    ]);
    assert.equal(stepMilliseconds(longHold), 305_000);
  });

  test("it starts in the first segment with all of it left", () => {
    assert.deepEqual(positionAt(longHold, 0), {
      index: 0,
      finished: false,
      start: 0,
      end: 5_000,
      remaining: 5_000,
    });
  });

  test("a segment's end instant already belongs to the next one", () => {
    assert.equal(positionAt(longHold, 4_999).index, 0);
    assert.equal(positionAt(longHold, 4_999).remaining, 1);
    assert.equal(positionAt(longHold, 5_000).index, 1);
    assert.equal(positionAt(longHold, 5_000).remaining, 300_000);
  });

  test("at its end the step is finished", () => {
    const end = positionAt(longHold, 305_000);
    assert.equal(end.finished, true);
    assert.equal(end.index, 2);
    assert.equal(end.remaining, 0);
    assert.equal(positionAt(longHold, 999_999).finished, true);
  });

  test("after a long hidden stretch it lands in the right segment at once", () => {
    // Started at 2 s on the page clock; the tab was hidden and nothing ran until 2 min 40.
    const clock = startClock(2_000);
    const at = positionAt(perSide, elapsedAt(clock, 160_000));
    // 158 s in: the first set's four holds with their relax and switch end at 140 s,
    // then the rest between sets runs to 160 s.
    assert.equal(perSide[at.index].kind, "rest");
    assert.equal(at.remaining, 2_000);
  });

  test("the same stretch with a pause in it lands earlier by the pause", () => {
    const clock = resumeClock(pauseClock(startClock(2_000), 60_000), 100_000);
    const at = positionAt(perSide, elapsedAt(clock, 160_000)); // 118 s played
    assert.equal(perSide[at.index].kind, "hold");
    assert.equal(perSide[at.index].side, "right");
    assert.equal(perSide[at.index].rep_number, 2);
    assert.equal(at.remaining, 22_000); // that hold runs from 110 s to 140 s
  });

  test("a zero-length segment is never the current one", () => {
    const timeline = [segment("lead_in", 0), segment("hold", 10)];
    assert.equal(positionAt(timeline, 0).index, 1);
  });

  test("the countdown shows whole seconds rounded up", () => {
    assert.equal(shownSecond(10_000), 10);
    assert.equal(shownSecond(9_001), 10);
    assert.equal(shownSecond(9_000), 9);
    assert.equal(shownSecond(200), 1);
  });

  test("a minute or more shows minutes and seconds", () => {
    assert.equal(formatCountdown(59), "59");
    assert.equal(formatCountdown(60), "1:00");
    assert.equal(formatCountdown(305), "5:05");
  });
});

group("seconds done", () => {
  test("the get-ready time does not count", () => {
    assert.equal(secondsDone(longHold, 4_000), 0);
    assert.equal(secondsDone(longHold, 5_000), 0);
    assert.equal(secondsDone(longHold, 65_000), 60);
  });

  test("the whole step counts the planned work: holds, relax, switch and rest", () => {
    assert.equal(secondsDone(perSide, stepMilliseconds(perSide)), plannedWorkSeconds(perSide));
    assert.equal(plannedWorkSeconds(perSide), 2 * (4 * 30 + 3 * 5) + 20);
  });

  test("nothing counts past the end", () => {
    assert.equal(secondsDone(reps, 1_000_000), 32);
  });

  test("a pause does not count", () => {
    const clock = resumeClock(pauseClock(startClock(0), 20_000), 320_000);
    assert.equal(secondsDone(longHold, elapsedAt(clock, 330_000)), 25);
  });

  test("part of a second is rounded", () => {
    assert.equal(secondsDone(longHold, 5_000 + 12_499), 12);
    assert.equal(secondsDone(longHold, 5_000 + 12_500), 13);
  });
});

group("the session progress", () => {
  const steps = [
    { seconds: 40, done: true },
    { seconds: 60, done: false },
    { seconds: 100, done: true },
    { seconds: 50, done: false },
  ];

  test("it adds the steps done elsewhere to the time into this one", () => {
    assert.deepEqual(sessionProgress(steps, 1, 15), { max: 250, value: 155 });
  });

  test("a done step played again is not counted twice", () => {
    assert.deepEqual(sessionProgress(steps, 0, 10), { max: 250, value: 110 });
  });

  test("it never goes past the whole session", () => {
    assert.equal(sessionProgress(steps, 1, 10_000).value, 250);
  });
});

group("the step after", () => {
  test("it is the next open step", () => {
    const steps = [{ done: true }, { done: false }, { done: true }, { done: false }];
    assert.equal(nextOpenStep(steps, 1), 3);
  });

  test("with none after, it is the first open step before", () => {
    const steps = [{ done: true }, { done: false }, { done: false }, { done: false }];
    assert.equal(nextOpenStep(steps, 3), 1);
  });

  test("the step being finished does not count as open", () => {
    assert.equal(nextOpenStep([{ done: true }, { done: false }], 1), -1);
  });
});

group("what is said", () => {
  test("a hold of several says its side, which one and which set", () => {
    assert.equal(describe(perSide, perSide[3], labels), "left side · 2 / 2 · 1 / 2");
  });

  test("a single hold says nothing more", () => {
    assert.equal(describe(longHold, longHold[1], labels), "");
  });

  test("repetitions say how many", () => {
    assert.equal(describe(reps, reps[1], labels), "Do 8 at your own pace");
  });

  test("the get-ready announcement names the exercise", () => {
    assert.equal(
      segmentAnnouncement(longHold, longHold[0], "Gluteus squeeze", labels),
      "Get ready: Gluteus squeeze, 5 s",
    );
    assert.equal(
      segmentAnnouncement(perSide, perSide[5], "Side stretch", labels),
      "Hold, right side · 1 / 2 · 1 / 2, 30 s",
    );
  });
});

group("cue times", () => {
  test("each segment starts with a tone, higher for work", () => {
    const starts = stepTones(perSide).filter((tone) => tone.duration === TONES.work.duration);
    assert.deepEqual(
      starts.slice(0, 4).map(({ at, frequency }) => [at, frequency]),
      [
        [0, 520],
        [5_000, 880],
        [35_000, 520],
        [40_000, 880],
      ],
    );
    assert.equal(starts.length, perSide.length);
  });

  test("3-2-1 sound in the last three seconds of a hold", () => {
    const counts = stepTones(longHold).filter((tone) => tone.frequency === TONES.count.frequency);
    assert.deepEqual(
      counts.map((tone) => tone.at),
      [302_000, 303_000, 304_000],
    );
  });

  test("and of repetitions, but never in the get-ready, relax or rest time", () => {
    const counts = stepTones(reps).filter((tone) => tone.frequency === TONES.count.frequency);
    assert.deepEqual(
      counts.map((tone) => tone.at),
      [34_000, 35_000, 36_000],
    );
    const inRest = stepTones(perSide).filter(
      (tone) => tone.frequency === TONES.count.frequency && tone.at > 140_000 && tone.at < 160_000,
    );
    assert.deepEqual(inRest, []);
  });

  test("a two-second hold has only 2 and 1, the 2 with its start tone", () => {
    const short = [segment("hold", 2, { rep_number: 1 })];
    assert.deepEqual(
      stepTones(short).map(({ at, frequency }) => [at, frequency]),
      [
        [0, 880],
        [0, 660],
        [1_000, 660],
      ],
    );
  });

  test("the next step's first tone is sounded at this step's end", () => {
    const tones = stepTones(longHold, segment("lead_in", 5));
    assert.deepEqual(tones.at(-1), { at: 305_000, ...TONES.pause });
    assert.equal(stepTones(longHold).at(-1).at, 304_000); // without it: the last count
  });

  test("each segment is announced as it starts, until it ends", () => {
    const calls = stepCalls(reps);
    assert.deepEqual(calls, [
      { kind: "segment", index: 0, at: 0, until: 5_000 },
      { kind: "segment", index: 1, at: 5_000, until: 37_000 },
      { kind: "ten-left", index: 1, at: 27_000, until: 28_500 },
    ]);
  });

  test("ten seconds left is said only in segments over 20 s", () => {
    const twenty = [segment("hold", 20, { rep_number: 1 })];
    assert.deepEqual(
      stepCalls(twenty).map((call) => call.kind),
      ["segment"],
    );
    const tenLeft = stepCalls(longHold).filter((call) => call.kind === "ten-left");
    assert.deepEqual(
      tenLeft.map((call) => call.at),
      [295_000],
    );
  });

  test("the cues left after a pause are those from its instant on", () => {
    const left = cuesBetween(stepTones(longHold), 302_500);
    assert.deepEqual(
      left.map((tone) => tone.at),
      [303_000, 304_000],
    );
  });

  test("the cues a stretch held are those in it, the end left out", () => {
    const held = cuesBetween(stepCalls(perSide), 20_000, 40_000);
    assert.deepEqual(
      held.map((call) => [call.kind, call.at]),
      [
        ["ten-left", 25_000],
        ["segment", 35_000],
      ],
    );
  });
});

test("up next is said while resting, never while working", async () => {
  const { upNext } = await import("../../static/js/runner/timing.js");
  const words = { ...labels, upNext: "Up next: %(what)s" };
  const kinds = perSide.map((s) => s.kind);
  const relax = kinds.indexOf("relax");
  const change = kinds.indexOf("switch_side");
  const rest = kinds.indexOf("rest");
  assert.equal(upNext(perSide, relax, "Cat-cow", words), `Up next: ${words.hold}, ${words.left} · 2 / 2 · 1 / 2`);
  assert.equal(upNext(perSide, change, "Cat-cow", words), `Up next: ${words.hold}, ${words.right} · 1 / 2 · 1 / 2`);
  assert.equal(upNext(perSide, rest, "Cat-cow", words), `Up next: ${words.hold}, ${words.left} · 1 / 2 · 2 / 2`);
  assert.equal(upNext(perSide, 1, "Cat-cow", words), "");
  assert.equal(upNext(perSide, 0, "Cat-cow", words), "");
  // The last segment of a step that ends in a rest: the next exercise.
  const endsResting = [...longHold, { ...longHold[0], kind: "relax", seconds: 5 }];
  assert.equal(upNext(endsResting, 2, "Cat-cow", words), "Up next: Cat-cow");
  assert.equal(upNext(endsResting, 2, "", words), "");
});
