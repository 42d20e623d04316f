"""History: local days, streaks, the calendar of the last weeks, weekly totals, adherence.

Pure functions over plain values; `records` fetches the rows they work on.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo


def local_day(moment: datetime, zone: ZoneInfo) -> date:
    """The calendar day a moment falls on where the user lives."""
    return moment.astimezone(zone).date()


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


def adherence(days: set[date], today: date, window_days: int = 28) -> tuple[int, int, date]:
    """Days with a session in the last `window_days` (today included), that as a percentage,
    and the window's first day."""
    since = today - timedelta(days=window_days - 1)
    active = sum(1 for day in days if since <= day <= today)
    return active, round(100 * active / window_days), since


@dataclass(frozen=True)
class WeekSignals:
    """One week of how the back felt: pain before sessions and the next mornings."""

    week: date
    pain_before: float | None  # the week's average pain before sessions
    mornings: int  # next-morning questions answered
    worse: int
    stiffer: int


def rose_week_on_week(weeks: list[WeekSignals]) -> list[tuple[WeekSignals, bool, bool]]:
    """Each week, whether pain before sessions rose (by 1 or more) and whether stiffness
    rose (more stiff mornings) since the last week with answers. Neither should, week on
    week, in the pain-monitoring model."""
    result = []
    last_pain: float | None = None
    last_stiff: int | None = None
    for week in weeks:
        pain_rose = None not in (week.pain_before, last_pain) and week.pain_before - last_pain >= 1
        stiff_rose = week.mornings > 0 and last_stiff is not None and week.stiffer > last_stiff
        result.append((week, bool(pain_rose), stiff_rose))
        if week.pain_before is not None:
            last_pain = week.pain_before
        if week.mornings:
            last_stiff = week.stiffer
    return result


@dataclass(frozen=True)
class WentWell:
    """Something to say a person did well, in a code the page turns into words."""

    code: str  # streak | pain_lower | goal_met | sessions
    number: float = 0
    before: float = 0
    name: str = ""


def went_well(
    streak: int,
    pain_then: float | None,
    pain_now: float | None,
    goals_met: list[str],
    sessions_this_week: int,
) -> list[WentWell]:
    """What went well lately, encouraging and true: a streak of two days or more, pain
    before sessions lower than at the start (by a whole point), goals met, sessions done."""
    found = []
    if streak >= 2:
        found.append(WentWell("streak", streak))
    if pain_then is not None and pain_now is not None and pain_then - pain_now >= 1:
        found.append(WentWell("pain_lower", round(pain_now, 1), round(pain_then, 1)))
    found += [WentWell("goal_met", name=name) for name in goals_met]
    if sessions_this_week and not found:
        found.append(WentWell("sessions", sessions_this_week))
    return found
