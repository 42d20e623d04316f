"""The history page from the cache: each change a person records shows on their next visit,
and one person's history never reaches anyone else."""

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
