import assert from "node:assert/strict";
import { test } from "node:test";

import { adviceFor, matchingRule, rise } from "../../static/js/runner/advice.js";

// The rows as programs/pace.py rule_rows() gives them.
const RULES = [
  { outcome: "stop", level_from: 8, rise_from: null, why: "8 or more" },
  { outcome: "stop", level_from: 6, rise_from: 3, why: "above 5, risen 3" },
  { outcome: "slower", level_from: 6, rise_from: null, why: "above 5" },
  { outcome: "slower", level_from: 0, rise_from: 2, why: "risen 2" },
  { outcome: "carry_on", level_from: 0, rise_from: null, why: "acceptable" },
];

test("the rise is read against pain before, and is 0 when that is unknown", () => {
  assert.equal(rise(6, 2), 4);
  assert.equal(rise(6, null), 0);
  assert.equal(rise(1, 3), -2);
});

test("the first row that applies wins", () => {
  assert.equal(matchingRule(RULES, 9, 9).why, "8 or more");
  assert.equal(matchingRule(RULES, 7, 2).why, "above 5, risen 3");
  assert.equal(matchingRule(RULES, 7, 6).why, "above 5");
  assert.equal(matchingRule(RULES, 4, 2).why, "risen 2");
  assert.equal(matchingRule(RULES, 2, 2).why, "acceptable");
  assert.equal(matchingRule(RULES, 3, null).why, "acceptable");
});

test("more slowly and stop are offered at every level, carry on only where advised", () => {
  for (let level = 0; level <= 10; level += 1) {
    for (const before of [null, 0, 3, 6]) {
      const advice = adviceFor(RULES, level, before);
      assert.ok(advice.offered.includes("slower"), `slower at ${level}`);
      assert.ok(advice.offered.includes("stop"), `stop at ${level}`);
      assert.ok(advice.offered.includes(advice.outcome));
      assert.equal(advice.offered.includes("carry_on"), advice.outcome === "carry_on");
    }
  }
});

test("the advice carries the rule's sentence", () => {
  assert.deepEqual(adviceFor(RULES, 2, 1), {
    outcome: "carry_on",
    why: "acceptable",
    offered: ["slower", "stop", "carry_on"],
  });
  assert.equal(adviceFor([], 2, 0), null);
});
