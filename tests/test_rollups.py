"""Day-by-day totals: always the sums of the recorded steps, and what goals and history read."""

import uuid
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs.models import DayGroupTotal, DayTotal, Session, SessionStep, StepCompletion
from programs.services import rollups
from programs.services import sessions as services
from tests.factories import MuscleGroupFactory, make_history, program_with_steps, ready_user

pytestmark = pytest.mark.django_db

DAYS = [date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 9)]


def stored_totals() -> tuple[list, list]:
    groups = DayGroupTotal.objects.values_list(
        "user_id", "day", "muscle_group_id", "sessions", "seconds"
    )
    days = DayTotal.objects.values_list("user_id", "day", "steps", "seconds")
    return sorted(groups), sorted(days)


def totals_from_steps() -> tuple[list, list]:
    groups = [(u, d, g, n, s or 0) for u, d, g, n, s in rollups.group_totals_from_steps()]
    days = [(u, d, n, s or 0) for u, d, n, s in rollups.day_totals_from_steps()]
    return sorted(groups), sorted(days)


def start_on(user, program, day: date) -> Session:
    """A new session on `day`; the person's unfinished one, if any, is finished first."""
    Session.objects.unfinished().filter(user=user).update(status=Session.Status.COMPLETED)
    session = services.start_session(user, program)
    Session.objects.filter(pk=session.pk).update(local_day=day)
    session.refresh_from_db()
    services.record_pain_before(session, 2)
    session.refresh_from_db()
    return session


def complete(user, position: int, seconds: int, skipped: bool) -> None:
    session = Session.objects.unfinished().filter(user=user).first()
    if session is None:
        return
    steps = list(session.steps.all())
    step = steps[position % len(steps)]
    if not hasattr(step, "completion"):
        seconds = min(seconds, step.planned_seconds)
        services.complete_step(session, step, uuid.uuid4(), seconds, skipped)


def delete_one(model, index: int) -> None:
    pks = list(model.objects.order_by("pk").values_list("pk", flat=True))
    if pks:
        model.objects.get(pk=pks[index % len(pks)]).delete()


def shared_group_program():
    """A program whose steps all work one group too, so a session counts it once."""
    program = program_with_steps()
    shared = MuscleGroupFactory()
    for step in program.steps.select_related("exercise"):
        step.exercise.primary_muscles.add(shared)
    return program


actions = st.lists(
    st.one_of(
        st.tuples(st.just("start"), st.integers(0, 1), st.integers(0, len(DAYS) - 1)),
        st.tuples(
            st.just("complete"),
            st.integers(0, 1),
            st.integers(0, 3),
            st.integers(0, 400),
            st.booleans(),
        ),
        st.tuples(st.just("delete"), st.sampled_from([StepCompletion, SessionStep, Session])),
    ),
    max_size=25,
)


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=actions, index=st.integers(0, 50))
def test_the_totals_always_equal_the_sums_of_the_steps(steps, index):
    program = shared_group_program()
    people = [ready_user(), ready_user()]
    for action, *args in steps:
        if action == "start":
            start_on(people[args[0]], program, DAYS[args[1]])
        elif action == "complete":
            complete(people[args[0]], *args[1:])
        else:
            delete_one(args[0], index)
    assert stored_totals() == totals_from_steps()


def test_deleting_an_account_deletes_its_totals():
    program = program_with_steps()
    user = ready_user()
    make_history(user, 5, program)
    assert DayTotal.objects.filter(user=user).count() == 5
    user.delete()
    assert not DayTotal.objects.exists()
    assert not DayGroupTotal.objects.exists()


def test_rebuild_rollups_puts_the_totals_right_again():
    program = program_with_steps()
    user = ready_user()
    make_history(user, 4, program, per_day=2)
    expected = totals_from_steps()
    DayTotal.objects.filter(user=user).update(seconds=1)
    DayGroupTotal.objects.filter(user=user).first().delete()
    call_command("rebuild_rollups", verbosity=0)
    assert stored_totals() == expected
    assert len(expected[1]) == 2  # two days, two sessions each


def page_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["programs:goals", "programs:history", "programs:report"])
def test_goals_and_history_take_as_many_queries_for_one_day_as_for_two_years(client, name):
    from tests.test_goals import make_goal

    program = program_with_steps()
    group = program.steps.get(order=2).exercise.primary_muscles.first()
    counts = []
    for days in (1, 730):
        user = ready_user()
        make_goal(user, group, target_value=100_000)
        make_goal(user, group, target_kind="minutes", target_value=100_000)
        make_history(user, days, program)
        client.force_login(user)
        counts.append(page_queries(client, reverse(name)))
    assert counts[0] == counts[1]


def test_the_history_calendar_shows_the_minutes_of_each_day(client):
    program = program_with_steps()
    user = ready_user()
    make_history(user, 3, program, minutes=12)
    client.force_login(user)
    page = client.get(reverse("programs:history")).content.decode()
    assert page.count(": 12 min<") >= 3
    assert "36 minutes of exercise" in page
    assert DayTotal.objects.filter(user=user, day__gte=date.today() - timedelta(days=3)).exists()
