"""The calendar feed read by a calendar parser: the plan's sessions repeat on the chosen
days at the person's local time, in their zone, with an alarm, beside the goals."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from programs.models import Goal
from programs.services import plans as plan_services
from programs.services import reminders as services
from tests.factories import MuscleGroupFactory, UserFactory, program_with_steps

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
START = datetime.date(2026, 10, 19)  # a Monday, the week British Summer Time ends


@pytest.fixture
def person(db):
    person = UserFactory(time_zone="Europe/London")
    program = program_with_steps(name="Gentle mornings", sessions_per_day=2, weeks=4)
    plan = plan_services.follow(person, program, START)
    plan.starts_on = START
    plan.save()
    services.save_schedule(
        person, [0, 2, 6], [datetime.time(8, 0), datetime.time(18, 30)], by_email=False
    )
    group = MuscleGroupFactory()
    Goal.objects.create(
        user=person,
        muscle_group=group,
        expectation="Walk to the shops",
        due_date=datetime.date(2026, 11, 30),
        target_kind=Goal.Target.SESSIONS,
        target_value=10,
    )
    return person


def feed(client, person) -> Calendar:
    response = client.get(reverse("exports:calendar", args=[person.calendar_token]))
    assert response.status_code == 200
    return Calendar.from_ical(response.content)


def sessions(calendar: Calendar) -> list:
    return sorted(
        (e for e in calendar.events if str(e["UID"]).startswith("plan-")),
        key=lambda e: str(e["UID"]),
    )


def test_each_daily_session_is_a_weekly_event_on_the_chosen_days(client, person):
    calendar = feed(client, person)
    first, second = sessions(calendar)
    for event in (first, second):
        rule = event["RRULE"]
        assert rule["FREQ"] == ["WEEKLY"]
        assert rule["BYDAY"] == ["MO", "WE", "SU"]
        # The last day of a 4-week plan, in UTC as the standard asks beside a TZID.
        assert rule["UNTIL"][0].astimezone(LONDON).date() == START + datetime.timedelta(days=27)
    assert "Gentle mornings" in str(first["SUMMARY"])
    assert [e.decoded("DTSTART").strftime("%H:%M") for e in (first, second)] == ["08:00", "18:30"]


def test_the_sessions_are_in_the_persons_zone_with_its_definition(client, person):
    calendar = feed(client, person)
    first, _second = sessions(calendar)
    assert first["DTSTART"].params["TZID"] == "Europe/London"
    assert first.decoded("DTSTART") == datetime.datetime(2026, 10, 19, 8, 0, tzinfo=LONDON)
    zones = [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")]
    assert zones == ["Europe/London"]


def test_the_session_keeps_its_local_time_after_the_clocks_go_back(client, person):
    first, _second = sessions(feed(client, person))
    occurrences = [
        moment
        for moment in _expand(first)
        if moment.date() in {datetime.date(2026, 10, 21), datetime.date(2026, 10, 26)}
    ]
    assert [m.astimezone(LONDON).strftime("%a %H:%M") for m in occurrences] == [
        "Wed 08:00",
        "Mon 08:00",
    ]
    # 08:00 summer time is 07:00 UTC; after the clocks go back it is 08:00 UTC.
    assert [m.astimezone(datetime.UTC).hour for m in occurrences] == [7, 8]


def _expand(event) -> list[datetime.datetime]:
    """The event's occurrences, by the RRULE as a calendar would read it."""
    from dateutil.rrule import rrulestr

    start = event.decoded("DTSTART")
    return list(rrulestr(event["RRULE"].to_ical().decode(), dtstart=start))


def test_each_session_alerts_at_its_time(client, person):
    for event in sessions(feed(client, person)):
        [alarm] = event.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert alarm.decoded("TRIGGER") == datetime.timedelta(0)
        assert str(alarm["DESCRIPTION"])


def test_the_goals_due_dates_are_still_there(client, person):
    goals = [e for e in feed(client, person).events if str(e["UID"]).startswith("goal-")]
    assert [g.decoded("DTSTART") for g in goals] == [datetime.date(2026, 11, 30)]


def test_without_a_plan_there_are_no_session_events(client, person):
    plan_services.stop_following(person)
    assert sessions(feed(client, person)) == []


def test_removed_reminders_take_the_sessions_out_of_the_calendar(client, person):
    services.remove_schedule(person)
    assert sessions(feed(client, person)) == []


def test_the_feed_takes_as_many_queries_for_many_goals_as_for_one(client, person):
    with CaptureQueriesContext(connection) as one_goal:
        feed(client, person)
    goal = Goal.objects.get(user=person)
    for days in range(1, 30):
        goal.pk = None
        goal.due_date += datetime.timedelta(days=days)
        goal.save()
    with CaptureQueriesContext(connection) as many_goals:
        calendar = feed(client, person)
    assert len(many_goals) == len(one_goal)
    assert len(calendar.events) == 30 + 2
