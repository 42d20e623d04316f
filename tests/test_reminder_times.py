"""When reminders fall: at the person's local time, across daylight-saving changes."""

import zoneinfo
from datetime import UTC, datetime, time, timedelta

from programs.reminder_times import next_reminder, too_late

LONDON = zoneinfo.ZoneInfo("Europe/London")
EVERY_DAY = list(range(7))


def test_the_next_reminder_is_later_today_when_the_time_has_not_come():
    after = datetime(2026, 6, 10, 6, 0, tzinfo=UTC)  # 07:00 in London (summer time)
    due = next_reminder(EVERY_DAY, time(8, 30), LONDON, after)
    assert due == datetime(2026, 6, 10, 7, 30, tzinfo=UTC)


def test_the_next_reminder_is_tomorrow_once_the_time_has_passed():
    after = datetime(2026, 6, 10, 7, 30, tzinfo=UTC)  # exactly 08:30 in London
    due = next_reminder(EVERY_DAY, time(8, 30), LONDON, after)
    assert due.astimezone(LONDON) == datetime(2026, 6, 11, 8, 30, tzinfo=LONDON)


def test_only_the_chosen_days_are_used():
    wednesday = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)
    due = next_reminder([0, 4], time(9, 0), LONDON, wednesday)  # Mondays and Fridays
    assert due.astimezone(LONDON).date().isoformat() == "2026-06-12"
    assert due.astimezone(LONDON).weekday() == 4


def test_the_local_time_stays_the_same_when_the_clocks_go_back():
    # British Summer Time ends at 02:00 on Sunday 25 October 2026.
    saturday = next_reminder(EVERY_DAY, time(8, 0), LONDON, datetime(2026, 10, 24, tzinfo=UTC))
    sunday = next_reminder(EVERY_DAY, time(8, 0), LONDON, saturday)
    assert saturday == datetime(2026, 10, 24, 7, 0, tzinfo=UTC)
    assert sunday == datetime(2026, 10, 25, 8, 0, tzinfo=UTC)
    assert sunday - saturday == timedelta(hours=25)
    assert sunday.astimezone(LONDON).strftime("%H:%M") == "08:00"


def test_the_local_time_stays_the_same_when_the_clocks_go_forward():
    saturday = next_reminder(EVERY_DAY, time(20, 0), LONDON, datetime(2026, 3, 28, tzinfo=UTC))
    sunday = next_reminder(EVERY_DAY, time(20, 0), LONDON, saturday)
    assert sunday - saturday == timedelta(hours=23)
    assert sunday.astimezone(LONDON).strftime("%H:%M") == "20:00"


def test_a_time_the_clocks_skip_falls_just_after_the_jump():
    # 01:30 does not exist in London on 29 March 2026: clocks go from 01:00 to 02:00.
    due = next_reminder(EVERY_DAY, time(1, 30), LONDON, datetime(2026, 3, 29, tzinfo=UTC))
    assert due.astimezone(LONDON).strftime("%Y-%m-%d %H:%M") == "2026-03-29 02:30"


def test_a_time_that_happens_twice_is_taken_the_first_time():
    due = next_reminder(EVERY_DAY, time(1, 30), LONDON, datetime(2026, 10, 25, tzinfo=UTC))
    assert due == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 01:30 summer time


def test_no_day_chosen_means_no_reminder():
    assert next_reminder([], time(8, 0), LONDON, datetime(2026, 6, 10, tzinfo=UTC)) is None


def test_a_reminder_up_to_an_hour_late_still_goes():
    due = datetime(2026, 6, 10, 7, 0, tzinfo=UTC)
    assert not too_late(due, due + timedelta(minutes=60))
    assert too_late(due, due + timedelta(minutes=61))
