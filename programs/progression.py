"""Progression: one suggestion per program, stepping its exercises up or down, from how the
last sessions went and how the back felt the next morning.

Pure functions over plain records. The rules:
- step up after three sessions of the program in a row done in full, within the safe band
  (no report that called for easing off, pain after no more than 1 above pain before and
  at most 5) and no worse the next morning;
- step down after a stop, after pain after 2 or more above pain before, or a worse next
  morning;
- a step up is about a fifth more hold (or repetitions), never past the exercise's ceiling;
  at the ceiling one more set (up to its ceiling), then the harder variant, or nothing:
  the article's 5-minute squeeze never grows. A step down is the easier variant, otherwise
  about a fifth less;
- only the main work changes: warm-up and cool-down stay as they are. After a stop or pain
  reported on particular exercises, only those are eased.
"""

import math
from dataclasses import dataclass, field

from programs.pace import ACCEPTABLE_UP_TO, rose_too_much_after

UP = "up"
DOWN = "down"
STEP_SHARE = 0.2  # never more than about a fifth more (or less) at once
SESSIONS_IN_A_ROW = 3
WORSE = "worse"


@dataclass(frozen=True)
class SessionRecord:
    """One finished session of the program, oldest first in a list."""

    done_in_full: bool  # completed, every step done, none skipped or made gentler
    stopped: bool  # stopped for pain
    pain_before: int | None
    pain_after: int | None
    eased: bool = False  # a report during it called for taking it more slowly or stopping
    morning: str | None = None  # "better", "same" or "worse" the next morning
    hurt_exercise_ids: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class StepNow:
    """An exercise of the program as it is now, with its ceilings."""

    exercise_id: int
    is_main: bool
    hold_seconds: int
    reps: int
    sets: int
    max_hold_seconds: int
    max_reps: int
    max_sets: int
    easier_id: int | None = None
    harder_id: int | None = None


@dataclass(frozen=True)
class Change:
    exercise_id: int
    change: str  # hold | reps | sets | variant
    from_value: int
    to_value: int
    variant_id: int | None = None


@dataclass(frozen=True)
class Plan:
    direction: str
    changes: list[Change]


def went_well(record: SessionRecord) -> bool:
    """Done in full, within the safe band, and no worse the next morning."""
    after_ok = record.pain_after is not None and record.pain_after <= ACCEPTABLE_UP_TO
    rise = (record.pain_after or 0) - (record.pain_before or 0)
    return (
        record.done_in_full
        and not record.stopped
        and not record.eased
        and after_ok
        and rise <= 1
        and record.morning != WORSE
    )


def went_badly(record: SessionRecord) -> bool:
    return (
        record.stopped
        or rose_too_much_after(record.pain_before, record.pain_after)
        or record.morning == WORSE
    )


def why(records: list[SessionRecord]) -> str:
    """Which rule the last session met: "up", "stopped", "rose" or "worse_morning"."""
    last = records[-1]
    if last.stopped:
        return "stopped"
    if rose_too_much_after(last.pain_before, last.pain_after):
        return "rose"
    if last.morning == WORSE:
        return "worse_morning"
    return UP


def direction(records: list[SessionRecord]) -> str | None:
    """Which way the records point, if any."""
    if not records:
        return None
    if went_badly(records[-1]):
        return DOWN
    recent = records[-SESSIONS_IN_A_ROW:]
    if len(recent) == SESSIONS_IN_A_ROW and all(went_well(record) for record in recent):
        return UP
    return None


def _more(value: int, ceiling: int) -> int:
    """About a fifth more, at least one more, never past the ceiling."""
    return min(ceiling, max(value + 1, math.floor(value * (1 + STEP_SHARE))))


def step_up(step: StepNow) -> Change | None:
    if step.hold_seconds > 0 and step.hold_seconds < step.max_hold_seconds:
        more = _more(step.hold_seconds, step.max_hold_seconds)
        return Change(step.exercise_id, "hold", step.hold_seconds, more)
    if step.reps < step.max_reps:
        return Change(step.exercise_id, "reps", step.reps, _more(step.reps, step.max_reps))
    if step.sets < step.max_sets:
        return Change(step.exercise_id, "sets", step.sets, step.sets + 1)
    if step.harder_id is not None:
        return Change(step.exercise_id, "variant", 0, 0, step.harder_id)
    return None  # at its ceiling, with nothing harder: it stays as it is


def step_down(step: StepNow) -> Change | None:
    if step.easier_id is not None:
        return Change(step.exercise_id, "variant", 0, 0, step.easier_id)
    # Easing off may take one whole unit even where that is more than a fifth.
    if step.hold_seconds > 1:
        less = min(step.hold_seconds - 1, math.ceil(step.hold_seconds * (1 - STEP_SHARE)))
        return Change(step.exercise_id, "hold", step.hold_seconds, less)
    if step.reps > 1:
        less = min(step.reps - 1, math.ceil(step.reps * (1 - STEP_SHARE)))
        return Change(step.exercise_id, "reps", step.reps, less)
    if step.sets > 1:
        return Change(step.exercise_id, "sets", step.sets, step.sets - 1)
    return None


def suggest(records: list[SessionRecord], steps: list[StepNow]) -> Plan | None:
    """The one change to the program the records call for, with its list of changes."""
    way = direction(records)
    if way is None:
        return None
    main = [step for step in steps if step.is_main]
    if way == UP:
        changes = [step_up(step) for step in main]
    else:
        hurt = records[-1].hurt_exercise_ids
        eased = [step for step in main if step.exercise_id in hurt] if hurt else main
        changes = [step_down(step) for step in eased]
    changes = [change for change in changes if change is not None]
    return Plan(way, changes) if changes else None
