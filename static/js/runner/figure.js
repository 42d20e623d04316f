// The player's figure in step with the timeline: which key pose it shows and which way it
// faces at any moment of a step (pure, below), and a thin driver that starts the drawn
// movements of the player's SVG (programs/figures.py, "player" mode: an <animate> per
// pair of poses, begun by script) and pauses them with the timer.
//
// Poses are numbered as drawn: 0 the start pose, the last the end pose. A hold moves into
// the end pose as it begins and stays there while the count runs; relaxing, resting and
// switching sides return to the start; repetitions go through the poses at the step's
// pace. Figures for one side are drawn for the left side: the right side is mirrored.

const AT_START = new Set(["lead_in", "relax", "rest", "switch_side"]);

/** The side the figure faces in segment `index`: its own, else the nearest one after it,
 * else before it; "" when the step has none. */
export function sideAt(timeline, index) {
  const own = timeline[index]?.side;
  if (own) return own;
  const after = timeline.slice(index + 1).find((segment) => segment.side);
  if (after) return after.side;
  const before = timeline
    .slice(0, index)
    .reverse()
    .find((segment) => segment.side);
  return before ? before.side : "";
}

/**
 * The pose (0 .. poseCount - 1) and mirroring at `elapsed` ms into segment `index`.
 * Past the end of the timeline the figure rests in its start pose.
 */
export function figurePose(timeline, index, elapsed, poseCount) {
  const last = Math.max(0, poseCount - 1);
  const segment = timeline[index];
  const mirror = sideAt(timeline, Math.min(index, timeline.length - 1)) === "right";
  if (!segment || AT_START.has(segment.kind) || last === 0) return { pose: 0, mirror };
  if (segment.kind === "hold") return { pose: last, mirror };
  // Repetitions: each one a pass through every pose and back to the start.
  const reps = Math.max(1, segment.reps || 1);
  const beat = (segment.seconds * 1000) / reps / poseCount;
  const phase = Math.floor(Math.max(0, elapsed) / beat);
  return { pose: (phase + 1) % poseCount, mirror };
}

/** How many key poses a player SVG holds (its data-poses, names joined by "|"). */
export function poseCount(svg) {
  const names = svg?.dataset?.poses ?? svg?.getAttribute?.("data-poses") ?? "";
  return names ? names.split("|").length : 1;
}

/**
 * Drives one player SVG. `show({ pose, mirror })` moves to a pose (starting the drawn
 * movement from the pose shown) and faces the right way; `pause(true|false)` stops and
 * restarts the movement with the timer; `reset()` goes back to the start pose. With
 * `still` (reduced motion) the figure takes each pose at once, without moving into it.
 */
export function createFigure(svg, { still = false } = {}) {
  const scene = svg.querySelector(".figure-scene");
  const mirrorTransform = scene?.getAttribute("data-mirror") ?? "";
  let shown = { pose: 0, mirror: false };

  function face(mirror) {
    if (!scene || mirror === shown.mirror) return;
    if (mirror) scene.setAttribute("transform", mirrorTransform);
    else scene.removeAttribute("transform");
  }

  function move(from, to) {
    if (from === to) return;
    const animations = [...svg.querySelectorAll(`animate[data-from="${from}"][data-to="${to}"]`)];
    for (const animation of animations) animation.beginElement();
    if (still && animations.length) {
      // Straight to the end of the movement: each animation holds its last frame.
      const seconds = Math.max(...animations.map((a) => parseFloat(a.getAttribute("dur")) || 0));
      svg.setCurrentTime(svg.getCurrentTime() + seconds);
    }
  }

  return {
    count: poseCount(svg),
    get shown() {
      return { ...shown };
    },
    show({ pose, mirror }) {
      face(mirror);
      move(shown.pose, pose);
      shown = { pose, mirror };
    },
    pause(paused) {
      if (paused) svg.pauseAnimations?.();
      else svg.unpauseAnimations?.();
    },
    reset(mirror = false) {
      face(mirror);
      move(shown.pose, 0);
      shown = { pose: 0, mirror };
    },
  };
}
