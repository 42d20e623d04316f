import assert from "node:assert/strict";
import { test } from "node:test";

import { createFigure, figurePose, poseCount, sideAt } from "../../static/js/runner/figure.js";
import { longHold, perSide, reps } from "./helpers.mjs";

test("a hold moves into the end pose and stays there while the count runs", () => {
  assert.deepEqual(figurePose(longHold, 0, 2000, 2), { pose: 0, mirror: false });
  for (const at of [0, 1000, 150_000, 299_999]) {
    assert.deepEqual(figurePose(longHold, 1, at, 2), { pose: 1, mirror: false });
  }
  assert.equal(figurePose(longHold, 1, 0, 3).pose, 2);
});

test("relaxing, resting and switching sides return to the start pose", () => {
  const kinds = perSide.map((segment) => segment.kind);
  for (const kind of ["relax", "rest", "switch_side"]) {
    assert.equal(figurePose(perSide, kinds.indexOf(kind), 0, 2).pose, 0, kind);
  }
});

test("the right side is mirrored, from the switch on", () => {
  const sides = perSide.map((_, index) => figurePose(perSide, index, 0, 2).mirror);
  const switchAt = perSide.findIndex((segment) => segment.kind === "switch_side");
  assert.equal(sides[0], false); // getting ready faces the first side, the left
  assert.ok(sides.slice(0, switchAt).every((mirror) => !mirror));
  assert.equal(sides[switchAt], true);
  assert.equal(sides[switchAt + 1], true);
  assert.equal(sideAt(perSide, perSide.length - 1), "right");
});

test("repetitions go through the poses at the step's pace", () => {
  // Eight repetitions in 32 s: 4 s each, 2 s in each of two poses.
  const poses = [0, 1000, 2000, 3000, 4000, 6000].map((at) => figurePose(reps, 1, at, 2).pose);
  assert.deepEqual(poses, [1, 1, 0, 0, 1, 0]);
});

test("a figure with one pose, or past the end, stays in its start pose", () => {
  assert.equal(figurePose(longHold, 1, 1000, 1).pose, 0);
  assert.equal(figurePose(longHold, 2, 0, 2).pose, 0);
});

// ---- The driver, against a fake SVG ----

function fakeSvg(poses = "Start|End") {
  const begun = [];
  const animations = [
    [0, 1],
    [1, 0],
  ].map(([from, to]) => ({
    from,
    to,
    beginElement: () => begun.push(`${from}>${to}`),
    getAttribute: (name) => (name === "dur" ? "1.6s" : null),
  }));
  const attributes = new Map();
  const scene = {
    getAttribute: (name) => (name === "data-mirror" ? "matrix(-1 0 0 1 100 0)" : null),
    setAttribute: (name, value) => attributes.set(name, value),
    removeAttribute: (name) => attributes.delete(name),
  };
  const svg = {
    dataset: { poses },
    paused: false,
    querySelector: () => scene,
    querySelectorAll: (selector) => {
      const match = selector.match(/data-from="(\d+)"\]\[data-to="(\d+)"/);
      return animations.filter((a) => a.from === Number(match[1]) && a.to === Number(match[2]));
    },
    time: 10,
    getCurrentTime() {
      return this.time;
    },
    setCurrentTime(time) {
      this.time = time;
    },
    pauseAnimations() {
      this.paused = true;
    },
    unpauseAnimations() {
      this.paused = false;
    },
  };
  return { svg, begun, attributes };
}

test("the driver starts the drawn movement from the pose shown, once", () => {
  const { svg, begun } = fakeSvg();
  const figure = createFigure(svg);
  assert.equal(figure.count, 2);
  figure.show({ pose: 0, mirror: false });
  figure.show({ pose: 1, mirror: false });
  figure.show({ pose: 1, mirror: false }); // every tick: no new movement
  figure.show({ pose: 0, mirror: false });
  assert.deepEqual(begun, ["0>1", "1>0"]);
});

test("the driver mirrors the scene for the right side and back", () => {
  const { svg, attributes } = fakeSvg();
  const figure = createFigure(svg);
  figure.show({ pose: 0, mirror: true });
  assert.equal(attributes.get("transform"), "matrix(-1 0 0 1 100 0)");
  figure.show({ pose: 0, mirror: false });
  assert.equal(attributes.has("transform"), false);
});

test("the driver pauses with the timer", () => {
  const { svg } = fakeSvg();
  const figure = createFigure(svg);
  figure.pause(true);
  assert.equal(svg.paused, true);
  figure.pause(false);
  assert.equal(svg.paused, false);
});

test("the number of poses comes from the drawing", () => {
  assert.equal(poseCount({ dataset: { poses: "Start|Middle|End" } }), 3);
  assert.equal(poseCount({ dataset: {} }), 1);
  assert.equal(poseCount(null), 1);
});

test("with reduced motion the figure takes each pose at once", () => {
  const { svg, begun } = fakeSvg();
  const figure = createFigure(svg, { still: true });
  figure.show({ pose: 1, mirror: false });
  assert.deepEqual(begun, ["0>1"]);
  assert.equal(svg.time, 11.6); // past the end of the movement: its last frame holds
  const moving = fakeSvg();
  createFigure(moving.svg).show({ pose: 1, mirror: false });
  assert.equal(moving.svg.time, 10);
});
