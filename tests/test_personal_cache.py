"""History and goals from the cache: each change a person records shows on their next visit,
and one person's pages never reach anyone else."""

import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs.models import DayTotal, FlareUp, HardActivity, MorningCheck, Session
from programs.services import outcomes, plans
from programs.services import sessions as services
from tests.factories import make_history, program_with_steps, ready_user, started_session

pytestmark = pytest.mark.django_db

HISTORY = reverse("programs:history")


@pytest.fixture
def person():
    return ready_user(time_zone="Europe/Berlin")


@pytest.fixture
def owner(client, person):
    client.force_login(person)
    return client


def records_part(client) -> str:
    """The page from the streaks down to the weekly check-in link: the cached part."""
    page = client.get(HISTORY).content.decode()
    return page.split('class="definition-grid streaks"')[1].split('id="sessions-heading"')[0]


def test_a_step_done_shows_on_the_next_visit(owner, person):
    session = started_session(person, program_with_steps())
    assert "Current streak</dt><dd>0 days" in records_part(owner)
    step = session.steps.order_by("position").first()
    services.complete_step(session, step, uuid.uuid4(), step.planned_seconds, skipped=False)
    part = records_part(owner)
    assert "Current streak</dt><dd>1 day" in part
    assert f"<dd>{round(step.planned_seconds / 60)} minutes of exercise" in part


def test_pain_after_and_a_finished_session_show_on_the_next_visit(owner, person):
    session = started_session(person, program_with_steps(), pain_before=6)
    part = records_part(owner)
    assert "<td>6.0</td><td>\u2013</td>" in part  # the week's pain before, none after yet
    services.finish_session(session, 3)
    assert "<td>6.0</td><td>3.0</td>" in records_part(owner)


def test_a_flare_up_shows_and_goes_on_the_next_visits(owner, person):
    assert "Flare-ups" not in records_part(owner)
    flare = plans.record_flare_up(person, person.today(), "Lifted a heavy box")
    assert "Lifted a heavy box" in records_part(owner)
    FlareUp.objects.get(pk=flare.pk).delete()
    assert "Lifted a heavy box" not in records_part(owner)


def test_a_morning_answer_and_a_weekly_check_in_show_on_the_next_visit(owner, person):
    session = started_session(person, program_with_steps(), pain_before=4)
    services.finish_session(session, 4)
    assert "rose-mark" not in records_part(owner)
    outcomes.record_morning_check(person, session, "worse", True, person.today())
    assert "1 / 1 <small>of 1</small>" in records_part(owner)
    gardening = outcomes.add_activity(person, "Gardening")
    assert '<th scope="col">Gardening</th>' in records_part(owner)
    outcomes.record_weekly(
        person, {"pain": 5, "enjoyment": 7, "activity": 6}, {gardening: 8}, person.today()
    )
    part = records_part(owner)
    assert "(5, 7, 6)" in part
    assert "<td>8</td>" in part
    HardActivity.objects.filter(pk=gardening.pk).update(name="Digging")  # no signal: stays
    gardening.name = "Weeding"
    gardening.save()
    assert '<th scope="col">Weeding</th>' in records_part(owner)


def test_a_deleted_session_leaves_the_totals_on_the_next_visit(owner, person):
    sessions = make_history(person, 2, program_with_steps(), minutes=20)
    assert "<dd>40 minutes of exercise" in records_part(owner)
    Session.objects.get(pk=sessions[0].pk).delete()
    assert "<dd>20 minutes of exercise" in records_part(owner)


def test_rebuilding_the_totals_shows_on_the_next_visit(owner, person):
    make_history(person, 1, program_with_steps(), minutes=20)
    DayTotal.objects.filter(user=person).update(seconds=0)  # totals gone wrong by hand
    assert "<dd>0 minutes of exercise" in records_part(owner)
    call_command("rebuild_rollups", verbosity=0)
    assert "<dd>20 minutes of exercise" in records_part(owner)


def test_a_repeat_visit_reads_none_of_the_records(owner, person):
    make_history(person, 30, program_with_steps(), minutes=15)
    first = owner.get(HISTORY)
    with CaptureQueriesContext(connection) as again:
        second = owner.get(HISTORY)
    assert second.content.count(b"level-") == first.content.count(b"level-")
    read = " ".join(q["sql"] for q in again.captured_queries)
    for table in ("programs_daytotal", "programs_daygrouptotal", "programs_morningcheck"):
        assert table not in read
    assert "programs_session" in read  # the list of sessions is always read afresh


def test_one_persons_history_never_shows_to_another(client, person):
    stranger = ready_user(time_zone=person.time_zone)
    make_history(person, 3, program_with_steps(), minutes=25)
    plans.record_flare_up(person, person.today(), "Alice private flare-up")
    client.force_login(person)
    assert "Alice private flare-up" in records_part(client)
    client.force_login(stranger)
    part = records_part(client)
    assert "Alice private flare-up" not in part
    assert "<dd>0 minutes of exercise" in part
    assert "Current streak</dt><dd>0 days" in part


def test_a_new_day_moves_the_calendar_on(owner, person, monkeypatch):
    (session,) = make_history(person, 1, program_with_steps(), minutes=10)
    # Answered already, so that the next morning's question does not come first.
    MorningCheck.objects.create(
        user=person, session=session, answer=MorningCheck.Answer.SKIPPED, day=person.today()
    )
    assert "Current streak</dt><dd>1 day" in records_part(owner)
    later = timezone.now() + timedelta(days=3)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "Current streak</dt><dd>0 days" in records_part(owner)


def test_history_still_answers_when_the_cache_is_unreachable(owner, person, settings):
    make_history(person, 2, program_with_steps(), minutes=20)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/1",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1},
        }
    }
    assert "<dd>40 minutes of exercise" in records_part(owner)


GOALS = reverse("programs:goals")


def goals_part(client) -> str:
    page = client.get(GOALS).content.decode()
    return page.split('id="active-heading"')[1].split("</main>")[0]


def a_goal(person, group, **fields):
    from programs.models import Goal
    from programs.services import goals as goal_services

    fields = {"target_kind": "sessions", "target_value": 3, **fields}
    goal = Goal(
        user=person,
        muscle_group=group,
        expectation="Carry the shopping",
        due_date=person.today() + timedelta(days=30),
        **fields,
    )
    return goal_services.create_goal(goal, person.today())


def test_a_new_goal_a_session_and_a_check_in_show_on_the_next_visit(owner, person):
    from programs.services import goals as goal_services

    program = program_with_steps()
    group = program.steps.get(order=2).exercise.primary_muscles.first()
    assert "No goals yet" in goals_part(owner)
    a_goal(person, group)
    part = goals_part(owner)
    assert "Carry the shopping" in part
    assert "0 sessions of 3 sessions" in part
    session = started_session(person, program)
    for step in session.steps.order_by("position"):
        services.complete_step(session, step, uuid.uuid4(), step.planned_seconds, skipped=False)
    services.finish_session(session, 2)
    assert "1 session of 3 sessions" in goals_part(owner)
    rating = a_goal(person, group, target_kind="rating", target_value=8)
    assert "0/10 of 8/10" in goals_part(owner)
    goal_services.check_in(person, group, 6, person.today())
    assert "6/10 of 8/10" in goals_part(owner)
    rating.archived = True
    rating.save()
    assert 'id="archived-heading"' in goals_part(owner)


def test_one_persons_goals_never_show_to_another(client, person):
    program = program_with_steps()
    group = program.steps.get(order=2).exercise.primary_muscles.first()
    a_goal(person, group)
    client.force_login(person)
    assert "Carry the shopping" in goals_part(client)
    client.force_login(ready_user())
    assert "Carry the shopping" not in goals_part(client)
    assert "No goals yet" in goals_part(client)


def progress_table(client, goal) -> str:
    """One goal's page: its chart and table, the cached part."""
    page = client.get(reverse("programs:goal", args=[goal.pk])).content.decode()
    return page.split('id="chart-heading"')[1].split('id="check-in-heading"')[0]


def test_a_goals_line_moves_with_a_session_a_check_in_and_an_edit(owner, person):
    from programs.services import goals as goal_services

    program = program_with_steps()
    group = program.steps.get(order=2).exercise.primary_muscles.first()
    goal = a_goal(person, group)
    assert "1 session</td>" not in progress_table(owner, goal)
    session = started_session(person, program)
    for step in session.steps.order_by("position"):
        services.complete_step(session, step, uuid.uuid4(), step.planned_seconds, skipped=False)
    services.finish_session(session, 2)
    assert "<td>1 session</td>" in progress_table(owner, goal)
    rating = a_goal(person, group, target_kind="rating", target_value=8)
    assert "<td>6/10</td>" not in progress_table(owner, rating)
    goal_services.check_in(person, group, 6, person.today())
    before_the_edit = progress_table(owner, rating)
    assert "<td>6/10</td>" in before_the_edit
    rating.target_value = 9
    rating.save()
    # The pace line ends at the new target: the chart's scale and its last point move.
    assert progress_table(owner, rating) != before_the_edit


def test_one_persons_goal_line_never_shows_to_another(client, person):
    program = program_with_steps()
    goal = a_goal(person, program.steps.get(order=2).exercise.primary_muscles.first())
    client.force_login(person)
    assert "chart-table" in progress_table(client, goal)
    client.force_login(ready_user())
    response = client.get(reverse("programs:goal", args=[goal.pk]))
    assert response.status_code == 404
