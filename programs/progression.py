"""Progression: step an exercise up or down from how the last sessions went.

Pure functions over plain records. The rules:
- step up after three sessions in a row in which the exercise was done in full with pain
  of 3 or less;
- step down after pain of 4 or 5 reported on the exercise, or a stop for pain on it;
- a step up is the harder variant where there is one, otherwise about a fifth more hold
  (or repetitions), never more; a step down is the easier variant, otherwise a fifth less.
"""

import math
from dataclasses import dataclass

from programs.pace import CARRY_ON_UP_TO, PainOutcome, pain_outcome

UP = "up"
DOWN = "down"
STEP_SHARE = 0.2  # never more than about a fifth more (or less) at once
SESSIONS_IN_A_ROW = 3


@dataclass(frozen=True)
class ExerciseRecord:
    """One session's go at an exercise, oldest first in a list."""

    done_in_full: bool  # completed, not skipped, not eased to a gentler dose
    pain: int | None  # the highest pain reported on it, or pain after the session
    stopped: bool  # the session was stopped for pain on this exercise


@dataclass(frozen=True)
class Current:
    """The exercise as the program has it now."""

    hold_seconds: int
    reps: int
    easier_id: int | None
    harder_id: int | None


@dataclass(frozen=True)
class Change:
    direction: str
    change: str  # hold | reps | variant
    from_value: int
    to_value: int
    variant_id: int | None = None


def direction(records: list[ExerciseRecord]) -> str | None:
    """Which way the records point, if any."""
    if not records:
        return None
    last = records[-1]
    if last.stopped or (last.pain is not None and pain_outcome(last.pain) == PainOutcome.SLOWER):
        return DOWN
    recent = records[-SESSIONS_IN_A_ROW:]
    if len(recent) == SESSIONS_IN_A_ROW and all(
        r.done_in_full and r.pain is not None and r.pain <= CARRY_ON_UP_TO for r in recent
    ):
        return UP
    return None


def step_up(current: Current) -> Change | None:
    if current.harder_id is not None:
        return Change(UP, "variant", 0, 0, current.harder_id)
    if current.hold_seconds > 0:
        more = math.floor(current.hold_seconds * (1 + STEP_SHARE))
        if more > current.hold_seconds:
            return Change(UP, "hold", current.hold_seconds, more)
        return None
    more = math.floor(current.reps * (1 + STEP_SHARE))
    if more > current.reps:
        return Change(UP, "reps", current.reps, more)
    return None  # one more repetition would be more than a fifth: wait


def step_down(current: Current) -> Change | None:
    if current.easier_id is not None:
        return Change(DOWN, "variant", 0, 0, current.easier_id)
    # Easing off may take one whole unit even where that is more than a fifth.
    if current.hold_seconds > 1:
        less = min(current.hold_seconds - 1, math.ceil(current.hold_seconds * (1 - STEP_SHARE)))
        return Change(DOWN, "hold", current.hold_seconds, less)
    if current.reps > 1:
        less = min(current.reps - 1, math.ceil(current.reps * (1 - STEP_SHARE)))
        return Change(DOWN, "reps", current.reps, less)
    return None


def suggest(records: list[ExerciseRecord], current: Current) -> Change | None:
    """The change the records call for, or None."""
    way = direction(records)
    if way == UP:
        return step_up(current)
    if way == DOWN:
        return step_down(current)
    return None
