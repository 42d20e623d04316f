// Timelines as the server builds them (programs/timeline.py), and the runner's labels.

const segment = (kind, seconds, extra = {}) => ({
  kind,
  seconds,
  side: "",
  set_number: 1,
  rep_number: 0,
  reps: 0,
  ...extra,
});

/** The article's gluteus squeeze: get ready 5 s, then one 5-minute hold. */
export const longHold = [segment("lead_in", 5), segment("hold", 300, { rep_number: 1 })];

/** Eight repetitions at the usual tempo. */
export const reps = [segment("lead_in", 5), segment("reps", 32, { reps: 8 })];

/** Two 30 s holds a side, two sets, 20 s rest between sets (Dose(30, 2, 2, 20, per_side)). */
export const perSide = [
  segment("lead_in", 5),
  ...[1, 2].flatMap((set) => [
    segment("hold", 30, { side: "left", set_number: set, rep_number: 1 }),
    segment("relax", 5, { side: "left", set_number: set }),
    segment("hold", 30, { side: "left", set_number: set, rep_number: 2 }),
    segment("switch_side", 5, { side: "right", set_number: set }),
    segment("hold", 30, { side: "right", set_number: set, rep_number: 1 }),
    segment("relax", 5, { side: "right", set_number: set }),
    segment("hold", 30, { side: "right", set_number: set, rep_number: 2 }),
    ...(set === 1 ? [segment("rest", 20)] : []),
  ]),
];

export const labels = {
  lead_in: "Get ready",
  hold: "Hold",
  reps: "Repetitions",
  relax: "Relax",
  switch_side: "Switch sides",
  rest: "Rest",
  left: "left side",
  right: "right side",
  doReps: "Do %(n)s at your own pace",
  secondsLeft: "%(s)s seconds left",
};

export { segment };
