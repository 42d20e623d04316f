// "It hurts": what the pain rule recommends for a level, read from the rule table the
// server puts in the runner's data (programs/pace.py, RULES), so the advice shows at once
// and offline. The first row that applies wins, as on the server.

/** How far pain has risen since before the session; 0 when that is not known. */
export function rise(level, before) {
  return before === null || before === undefined ? 0 : level - before;
}

/** The first row of `rules` that applies to pain `level` with `before` as the start. */
export function matchingRule(rules, level, before) {
  const up = rise(level, before);
  return (
    rules.find(
      (rule) => level >= rule.level_from && (rule.rise_from === null || up >= rule.rise_from),
    ) ?? null
  );
}

/**
 * What the dialog shows for a level: the recommended outcome, the sentence saying why,
 * and which choices are offered. Taking it more slowly and stopping always are; carrying
 * on only where the rule recommends it (the server refuses it elsewhere).
 */
export function adviceFor(rules, level, before) {
  const rule = matchingRule(rules, level, before);
  if (!rule) return null;
  const offered = ["slower", "stop"];
  if (rule.outcome === "carry_on") offered.push("carry_on");
  return { outcome: rule.outcome, why: rule.why, offered };
}
