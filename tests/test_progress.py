"""Goal progress, pace, status, streaks and calendars: pure functions, no database."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from programs import charts, goal_progress, history
from programs.goal_progress import Status
from programs.timeline import hold_reached

D = date(2026, 3, 1)


def test_sessions_count_only_from_the_day_the_goal_was_set():
    events = [(D - timedelta(days=1), 1.0), (D, 1.0), (D, 1.0), (D + timedelta(days=2), 1.0)]
    series = goal_progress.goal_series("sessions", events, start=D)
    assert series == [(D, 2.0), (D + timedelta(days=2), 3.0)]


def test_minutes_add_up_day_by_day():
    series = goal_progress.goal_series("minutes", [(D, 5.5), (D + timedelta(days=1), 4.5)], D)
    assert series[-1] == (D + timedelta(days=1), 10.0)


def test_a_hold_is_the_longest_ever_and_starts_from_earlier_bests():
    events = [(D - timedelta(days=5), 40.0), (D, 30.0), (D + timedelta(days=1), 45.0)]
    series = goal_progress.goal_series("hold", events, start=D)
    assert goal_progress.value_on(series, D) == 40.0
    assert goal_progress.value_on(series, D + timedelta(days=1)) == 45.0
    # Where the measure stood before the goal was set: the best hold so far.
    assert goal_progress.value_on(series, D - timedelta(days=1)) == 40.0


def test_a_rating_is_the_latest_check_in():
    events = [(D, 3.0), (D + timedelta(days=1), 6.0), (D + timedelta(days=2), 5.0)]
    assert goal_progress.goal_series("rating", events, D)[-1] == (D + timedelta(days=2), 5.0)


def due(days: int) -> date:
    return D + timedelta(days=days)


@pytest.mark.parametrize(
    ("current", "today", "status"),
    [
        (5.0, due(5), Status.ON_TRACK),  # halfway there, halfway through
        (4.0, due(5), Status.BEHIND),
        (10.0, due(3), Status.ACHIEVED),
        (9.0, due(11), Status.OVERDUE),
    ],
)
def test_status_against_the_pace_line(current, today, status):
    state = goal_progress.goal_progress(current, 10, 0, start=D, due=due(10), today=today)
    assert state.status == status


def test_a_due_date_of_today_is_not_yet_overdue():
    state = goal_progress.goal_progress(9.0, 10, 0, start=D, due=due(10), today=due(10))
    assert state.days_left == 0
    assert state.status == Status.BEHIND
    assert state.per_day_needed == 1.0


def test_a_due_date_passed_is_overdue_with_days_left_negative():
    state = goal_progress.goal_progress(2.0, 10, 0, start=D, due=due(10), today=due(12))
    assert state.status == Status.OVERDUE
    assert state.days_left == -2


def test_a_goal_marked_achieved_stays_achieved():
    state = goal_progress.goal_progress(1.0, 10, 0, D, due(10), due(12), achieved_on=due(4))
    assert state.status == Status.ACHIEVED


def test_percent_and_pace_needed():
    state = goal_progress.goal_progress(4.0, 10, 0, start=D, due=due(10), today=due(4))
    assert state.percent == 40
    assert state.expected_today == 4.0
    assert state.per_day_needed == pytest.approx(6 / 7)
    assert state.per_week_needed == pytest.approx(6.0)


def test_percent_runs_from_the_baseline():
    state = goal_progress.goal_progress(6.0, 8, 4, start=D, due=due(10), today=due(5))
    assert state.percent == 50


def test_percent_never_goes_past_a_hundred_or_below_zero():
    assert goal_progress.goal_progress(30.0, 10, 0, D, due(10), due(1)).percent == 100
    assert goal_progress.goal_progress(2.0, 8, 4, D, due(10), due(1)).percent == 0


def test_streaks_count_days_not_sessions():
    days = {D, D + timedelta(days=1), D + timedelta(days=2), D + timedelta(days=5)}
    assert history.streaks(days, today=D + timedelta(days=5)) == (1, 3)


def test_a_streak_still_runs_when_today_has_no_session_yet():
    days = {D, D + timedelta(days=1)}
    assert history.streaks(days, today=D + timedelta(days=2)) == (2, 2)
    assert history.streaks(days, today=D + timedelta(days=3)) == (0, 2)


def test_no_sessions_no_streak():
    assert history.streaks(set(), today=D) == (0, 0)


def test_sessions_at_half_past_eleven_and_half_past_midnight_are_two_days():
    zone = ZoneInfo("Europe/Madrid")
    late = datetime(2026, 6, 10, 21, 30, tzinfo=UTC)  # 23:30 in Madrid
    early = datetime(2026, 6, 10, 22, 30, tzinfo=UTC)  # 00:30 the next day in Madrid
    days = {history.local_day(late, zone), history.local_day(early, zone)}
    assert days == {date(2026, 6, 10), date(2026, 6, 11)}
    assert history.streaks(days, today=date(2026, 6, 11)) == (2, 2)
    # In UTC both are the same day.
    assert history.local_day(late, ZoneInfo("UTC")) == history.local_day(early, ZoneInfo("UTC"))


def test_a_daylight_saving_change_keeps_days_whole():
    zone = ZoneInfo("Europe/London")  # clocks go forward at 01:00 UTC on 29 March 2026
    before = datetime(2026, 3, 28, 23, 30, tzinfo=UTC)  # 23:30 GMT, Saturday
    after = datetime(2026, 3, 29, 23, 30, tzinfo=UTC)  # 00:30 BST, Monday
    assert history.local_day(before, zone) == date(2026, 3, 28)
    assert history.local_day(after, zone) == date(2026, 3, 30)
    days = {date(2026, 3, 28), date(2026, 3, 29), date(2026, 3, 30)}
    assert history.streaks(days, today=date(2026, 3, 30)) == (3, 3)


def test_the_calendar_is_26_weeks_monday_first_ending_this_week():
    today = date(2026, 11, 25)  # a Wednesday
    grid = history.calendar_weeks(today, {today: 25.0, date(2026, 6, 1): 5.0})
    assert len(grid) == 26
    assert all(len(week) == 7 for week in grid)
    assert grid[0][0].day == date(2026, 6, 1)  # a Monday
    assert grid[0][0].day.weekday() == 0
    cell = grid[-1][2]
    assert (cell.day, cell.minutes, cell.level, cell.future) == (today, 25.0, 3, False)
    assert grid[-1][3].future
    assert grid[0][0].level == 1


@pytest.mark.parametrize(("minutes", "level"), [(0, 0), (5, 1), (15, 2), (30, 3), (41, 4)])
def test_shade_levels(minutes, level):
    assert history.shade_level(minutes) == level


@pytest.mark.django_db
def test_seconds_per_group_and_week_put_each_day_in_its_week():
    from programs.models import DayGroupTotal
    from programs.records import group_week_seconds
    from tests.factories import MuscleGroupFactory, ready_user

    person, other = ready_user(), ready_user()
    back, hips = MuscleGroupFactory(), MuscleGroupFactory()
    monday = date(2026, 11, 23)
    starts = [monday - timedelta(weeks=2), monday - timedelta(weeks=1), monday]
    days = [  # (whose, group, day, seconds)
        (person, back, monday + timedelta(days=6), 600),  # Sunday: still this week
        (person, back, monday, 60),
        (person, back, monday - timedelta(days=1), 300),  # last Sunday: last week
        (person, hips, starts[0], 30),
        (person, hips, starts[0] - timedelta(days=1), 999),  # before the first week
        (person, hips, monday + timedelta(days=7), 999),  # after the last
        (other, back, monday, 999),  # someone else's
    ]
    DayGroupTotal.objects.bulk_create(
        DayGroupTotal(user=who, muscle_group=group, day=day, sessions=1, seconds=seconds)
        for who, group, day, seconds in days
    )
    assert group_week_seconds(person, starts) == {back.pk: [0, 300, 660], hips.pk: [30, 0, 0]}
    assert group_week_seconds(ready_user(), starts) == {}


def test_hold_reached_scales_with_the_share_done():
    assert hold_reached(30, 100, 100) == 30
    assert hold_reached(30, 100, 50) == 15
    assert hold_reached(30, 100, 500) == 30
    assert hold_reached(0, 100, 50) == 0


def test_a_session_moves_goals_by_what_it_did():
    steps = [
        goal_progress.StepDone(frozenset({1, 2}), exercise_id=7, seconds=120, hold=20),
        goal_progress.StepDone(frozenset({2}), exercise_id=8, seconds=60, hold=0),
    ]
    assert goal_progress.session_contribution("sessions", 2, None, steps) == 1
    assert goal_progress.session_contribution("sessions", 3, None, steps) == 0
    assert goal_progress.session_contribution("minutes", 2, None, steps) == 3
    assert goal_progress.session_contribution("hold", 1, 7, steps) == 20
    assert goal_progress.session_contribution("rating", 1, None, steps) == 0


def test_the_chart_maps_dates_and_values_into_the_frame():
    chart = charts.line_chart(
        {"progress": [(D, 0.0), (due(10), 10.0)]}, start=D, end=due(10), y_max=10
    )
    first, last = chart.lines["progress"].split()
    assert first == f"{chart.pad}.0,{chart.height - chart.pad}.0"
    assert last == f"{chart.width - chart.pad}.0,{chart.pad}.0"
    assert chart.y_ticks[0][1] == 0
    assert chart.x_ticks[0][1] == D
