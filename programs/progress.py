"""Goal progress, pace, status, streaks, calendars and chart geometry.

Pure functions over plain values (dates, numbers, lists): the views fetch what sessions
recorded with a fixed number of queries, and everything computed from it lives here.
"""

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from itertools import pairwise
from zoneinfo import ZoneInfo

SESSIONS = "sessions"
MINUTES = "minutes"
LONGEST_HOLD = "hold"
RATING = "rating"
CUMULATIVE = {SESSIONS, MINUTES}


class Status(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    OVERDUE = "overdue"


def local_day(moment: datetime, zone: ZoneInfo) -> date:
    """The calendar day a moment falls on where the user lives."""
    return moment.astimezone(zone).date()


def hold_reached(hold_seconds: int, planned_seconds: int, seconds_done: int) -> int:
    """How long each hold lasted: the planned hold, scaled by the share of the step done."""
    if hold_seconds <= 0 or planned_seconds <= 0:
        return 0
    share = min(1.0, max(0, seconds_done) / planned_seconds)
    return round(hold_seconds * share)


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
        else:  # rating: the last check-in of the day stands
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


def baseline_value(kind: str, events: list[tuple[date, float]], start: date) -> float:
    """Where the measure stood before the goal was set (0 for counts)."""
    if kind in CUMULATIVE:
        return 0.0
    return value_on(goal_series(kind, events, start), start - timedelta(days=1))


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


def streaks(days: set[date], today: date) -> tuple[int, int]:
    """(current, longest) runs of consecutive days with a session.

    Two sessions on one day count once. Today without a session yet does not break the
    current streak: it still runs up to yesterday.
    """
    if not days:
        return 0, 0
    ordered = sorted(days)
    longest = run = 1
    for before, after in pairwise(ordered):
        run = run + 1 if (after - before).days == 1 else 1
        longest = max(longest, run)
    current = 0
    day = today if today in days else today - timedelta(days=1)
    while day in days:
        current += 1
        day -= timedelta(days=1)
    return current, longest


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class CalendarDay:
    day: date
    minutes: float
    level: int  # 0 (nothing) to 4 (a lot), for shading
    future: bool


LEVEL_MINUTES = (0, 10, 20, 40)  # more than 0, 10, 20, 40 minutes: levels 1 to 4


def shade_level(minutes: float) -> int:
    return sum(1 for threshold in LEVEL_MINUTES if minutes > threshold)


def calendar_weeks(
    today: date, minutes_by_day: dict[date, float], weeks: int = 26
) -> list[list[CalendarDay]]:
    """Weeks (Monday first) of the last `weeks` weeks, ending with the current one."""
    first = week_start(today) - timedelta(weeks=weeks - 1)
    grid = []
    for week in range(weeks):
        days = []
        for offset in range(7):
            day = first + timedelta(weeks=week, days=offset)
            minutes = minutes_by_day.get(day, 0.0)
            days.append(CalendarDay(day, minutes, shade_level(minutes), day > today))
        grid.append(days)
    return grid


def weekly_totals(
    rows: list[tuple[date, int, float]], today: date, weeks: int
) -> tuple[list[date], dict[int, list[float]]]:
    """Sum (day, key, amount) rows into weeks: the week starts, and a list per key."""
    starts = [week_start(today) - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    index = {start: i for i, start in enumerate(starts)}
    totals: dict[int, list[float]] = defaultdict(lambda: [0.0] * weeks)
    for day, key, amount in rows:
        position = index.get(week_start(day))
        if position is not None:
            totals[key][position] += amount
    return starts, dict(totals)


@dataclass(frozen=True)
class Chart:
    """Geometry of a small line chart, ready for an SVG template."""

    width: int
    height: int
    lines: dict[str, str]  # name -> "x,y x,y ..." for <polyline points>
    y_ticks: list[tuple[float, float]]  # (y position, value)
    x_ticks: list[tuple[float, date]]  # (x position, day)
    pad: int


def line_chart(
    series: dict[str, list[tuple[date, float]]],
    start: date,
    end: date,
    y_max: float,
    width: int = 640,
    height: int = 240,
    pad: int = 40,
) -> Chart:
    span_days = max(1, (end - start).days)
    top = max(y_max, 1.0)

    def x(day: date) -> float:
        return round(pad + (width - 2 * pad) * (day - start).days / span_days, 1)

    def y(value: float) -> float:
        return round(height - pad - (height - 2 * pad) * min(value, top) / top, 1)

    lines = {
        name: " ".join(f"{x(day)},{y(value)}" for day, value in points)
        for name, points in series.items()
        if points
    }
    step = nice_step(top)
    y_ticks = [(y(v * step), v * step) for v in range(int(top // step) + 1)]
    x_ticks = [(x(day), day) for day in (start, start + (end - start) / 2, end)]
    return Chart(width, height, lines, y_ticks, x_ticks, pad)


def nice_step(top: float) -> float:
    """A round tick spacing that gives four to ten ticks."""
    raw = top / 5
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for multiple in (1, 2, 5, 10):
        if raw <= multiple * magnitude:
            return multiple * magnitude
    return 10 * magnitude


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
