"""Goal progress: a goal's measure over time, the pace line, status and what is left.

Pure functions over plain values (dates, numbers, lists): `records` fetches what sessions
recorded with a fixed number of queries, and everything computed from it lives here.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

SESSIONS = "sessions"
MINUTES = "minutes"
LONGEST_HOLD = "hold"
RATING = "rating"
ACTIVITY = "activity"
KINDS = (SESSIONS, MINUTES, LONGEST_HOLD, RATING, ACTIVITY)
CUMULATIVE = {SESSIONS, MINUTES}


class Status(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    OVERDUE = "overdue"


def goal_series(
    kind: str, events: list[tuple[date, float]], start: date
) -> list[tuple[date, float]]:
    """The goal's measure day by day, one point per day that changed it.

    Sessions and minutes count from the day the goal was set; a hold is the longest ever
    and a rating the latest, so their earlier values are the starting point.
    """
    by_day: dict[date, list[float]] = defaultdict(list)
    for day, value in sorted(events):
        by_day[day].append(value)
    series: list[tuple[date, float]] = []
    value = 0.0
    for day in sorted(by_day):
        if kind in CUMULATIVE:
            if day < start:
                continue
            value += sum(by_day[day])
        elif kind == LONGEST_HOLD:
            value = max(value, *by_day[day])
        else:  # a rating (of strength or of an activity): the day's last one stands
            value = by_day[day][-1]
        series.append((day, value))
    return series


def value_on(series: list[tuple[date, float]], day: date, default: float = 0.0) -> float:
    """The measure as it stood at the end of `day`."""
    value = default
    for when, amount in series:
        if when > day:
            break
        value = amount
    return value


@dataclass(frozen=True)
class Progress:
    current: float
    target: float
    baseline: float
    percent: int
    expected_today: float
    days_left: int
    status: Status
    per_day_needed: float  # what is left, spread over the days left (today included)

    @property
    def is_met(self) -> bool:
        return self.current >= self.target

    @property
    def per_week_needed(self) -> float:
        return self.per_day_needed * 7


def expected_on(day: date, start: date, due: date, baseline: float, target: float) -> float:
    """The pace line: a straight line from the starting value to the target on the due date."""
    if day >= due:
        return target
    if day <= start:
        return baseline
    total = (due - start).days
    return baseline + (target - baseline) * (day - start).days / total


def goal_progress(
    current: float,
    target: float,
    baseline: float,
    start: date,
    due: date,
    today: date,
    achieved_on: date | None = None,
) -> Progress:
    span = target - baseline
    if span <= 0:
        percent = 100 if current >= target else 0
    else:
        percent = round(max(0.0, min(1.0, (current - baseline) / span)) * 100)
    expected = expected_on(today, start, due, baseline, target)
    days_left = (due - today).days
    if achieved_on is not None or current >= target:
        status = Status.ACHIEVED
    elif today > due:
        status = Status.OVERDUE
    elif current >= expected:
        status = Status.ON_TRACK
    else:
        status = Status.BEHIND
    remaining = max(0.0, target - current)
    per_day = remaining / (days_left + 1) if days_left >= 0 else remaining
    return Progress(
        current=current,
        target=target,
        baseline=baseline,
        percent=percent,
        expected_today=expected,
        days_left=days_left,
        status=status,
        per_day_needed=per_day,
    )


@dataclass(frozen=True)
class StepDone:
    """One step of a session, as a goal sees it."""

    group_ids: frozenset[int]
    exercise_id: int
    seconds: int
    hold: int


def session_contribution(
    kind: str, group_id: int, exercise_id: int | None, steps: list[StepDone]
) -> float:
    """How far one session moved a goal: +1 session, +minutes, or the hold it reached."""
    if kind == SESSIONS:
        return 1.0 if any(group_id in step.group_ids for step in steps) else 0.0
    if kind == MINUTES:
        return sum(step.seconds for step in steps if group_id in step.group_ids) / 60
    if kind == LONGEST_HOLD:
        return float(max((s.hold for s in steps if s.exercise_id == exercise_id), default=0))
    return 0.0


@dataclass(frozen=True)
class ProgressLine:
    """A goal's measure day by day from the day it was set, and the pace line beside it."""

    done: list[tuple[date, float]]
    pace: list[tuple[date, float]]
    end: date  # the chart's last day: the due date, or today once it has passed

    def table(self, start: date, target: float) -> list[dict]:
        """One row per day that changed: the value it ended with and where the pace line was."""
        due, baseline = self.pace[-1][0], self.pace[0][1]
        return [
            {"day": day, "value": value, "expected": expected_on(day, start, due, baseline, target)}
            for day, value in dict(self.done).items()
        ]


def progress_line(
    series: list[tuple[date, float]],
    start: date,
    due: date,
    baseline: float,
    target: float,
    current: float,
    today: date,
) -> ProgressLine:
    """From the baseline on the day the goal was set to today's value, and the pace line."""
    end = max(due, today)
    done = [(start, baseline)] + [(day, value) for day, value in series if day >= start]
    if done[-1][0] < today:
        done.append((min(today, end), current))
    return ProgressLine(done=done, pace=[(start, baseline), (due, float(target))], end=end)
