"""When the next reminder is due, in the person's own time zone (pure).

Times are kept as local wall-clock times and turned into instants only when one is needed,
through zoneinfo, so a reminder at 08:00 stays at 08:00 on both sides of a daylight-saving
change. A local time that does not exist that day (clocks jump forward over it) falls at
the same distance after the jump; a time that happens twice (clocks go back) is taken the
first time.
"""

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

# A reminder more than this late (a worker was down) is not sent at all: it would arrive
# when it no longer helps, perhaps in the middle of the night.
LATE_LIMIT = timedelta(hours=1)

# Every day of the week is within this many days.
WEEK = 7


def local_moment(day: date, at: time, zone: zoneinfo.ZoneInfo) -> datetime:
    """The instant, in UTC, of `at` o'clock on `day` where the person lives (fold 0: the
    first of a time that happens twice). In UTC, so that differences are real durations."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def next_reminder(
    weekdays: list[int], at: time, zone: zoneinfo.ZoneInfo, after: datetime
) -> datetime | None:
    """The first instant strictly after `after` that is `at` o'clock local time on one of
    `weekdays` (0 is Monday), in UTC; None when no day is chosen."""
    if not weekdays:
        return None
    start = after.astimezone(zone).date()
    for offset in range(WEEK + 1):
        day = start + timedelta(days=offset)
        if day.weekday() not in weekdays:
            continue
        moment = local_moment(day, at, zone)
        if moment > after:
            return moment
    return None


def too_late(due: datetime, now: datetime) -> bool:
    return now - due > LATE_LIMIT
