"""Reminder mail, sent by the task to a real SMTP server the tests start (aiosmtpd): the
link to today's session, the one-click unsubscribe (RFC 8058), no mail when the session is
done, the local time kept across a clock change, and each reminder sent once."""

import threading
import uuid
from datetime import UTC, datetime, time, timedelta
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.tasks import default_task_backend
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from programs.models import ReminderSchedule, SentReminder
from programs.services import plans as plan_services
from programs.services import reminders as services
from programs.services import sessions as session_services
from programs.tasks import send_session_reminder
from tests.factories import program_with_steps, ready_user, started_session
from tests.mail_server import free_port, smtp_server, smtp_settings

pytestmark = pytest.mark.django_db
EVERY_DAY = list(range(7))


@pytest.fixture
def inbox(settings):
    """A real SMTP server on a free local port, and Django's SMTP backend pointed at it."""
    with smtp_server() as received:
        settings.MAILERS = smtp_settings(received.port)
        settings.SITE_URL = "http://testserver"
        yield received


@pytest.fixture
def queue(settings):
    """Queued tasks are kept, not run: the test sees what comes next and for when."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    return default_task_backend


@pytest.fixture
def person(db):
    person = ready_user(time_zone="Europe/London", email="pat@example.org")
    program = program_with_steps(name="Gentle mornings", sessions_per_day=2)
    plan_services.follow(person, program, person.today() - timedelta(days=1))
    services.save_schedule(person, EVERY_DAY, [time(8, 0), time(18, 0)], by_email=True)
    return person


def remind(person, slot: int, due: datetime) -> str:
    """Run the reminder task as the worker would, for the schedule as it stands."""
    version = ReminderSchedule.objects.get(user=person).version
    return send_session_reminder.call(person.pk, slot, version, due.isoformat())


def just_due() -> datetime:
    return timezone.now() - timedelta(minutes=1)


def test_a_due_reminder_arrives_with_a_link_to_todays_session(inbox, queue, person):
    assert remind(person, 1, just_due()) == "sent"
    [message] = inbox.messages
    assert inbox.recipients == [["pat@example.org"]]
    assert message["Subject"] == "Time for your BackCare session"
    body = message.get_content()
    assert "Gentle mornings" in body
    assert "http://testserver/#today-heading" in body
    assert "/reminders/" in body
    [sent] = SentReminder.objects.filter(user=person)
    assert sent.outcome == SentReminder.Outcome.SENT


def test_the_mail_carries_one_click_unsubscribe_headers_that_work(client, inbox, queue, person):
    remind(person, 1, just_due())
    [message] = inbox.messages
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = message["List-Unsubscribe"]
    assert header.startswith("<http://testserver/r/reminders/")
    assert header.endswith(">")
    url = header.strip("<>")
    assert url in message.get_content()
    # As a mail program does it (RFC 8058): a POST with only this body, no cookie, no log-in.
    response = client.post(
        urlsplit(url).path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert ReminderSchedule.objects.get(user=person).by_email is False


def test_after_unsubscribing_no_more_reminders_go(client, inbox, queue, person):
    remind(person, 1, just_due())
    [message] = inbox.messages
    client.post(urlsplit(message["List-Unsubscribe"].strip("<>")).path)
    # The next reminder, already queued before the unsubscribe, stands down.
    [queued] = queue.results
    assert send_session_reminder.call(*queued.args) == "stood down"
    assert len(inbox.messages) == 1


def test_no_mail_when_todays_session_is_already_done(inbox, queue, person):
    plan = person.plans.get(active=True)
    session = started_session(person, plan.program)
    for step in session.steps.all():
        session_services.complete_step(session, step, uuid.uuid4(), step.planned_seconds, False)
    session_services.finish_session(session, 1)
    assert remind(person, 1, just_due()) == SentReminder.Outcome.DONE
    # The day's second session is not done yet: its reminder goes.
    assert remind(person, 2, just_due()) == SentReminder.Outcome.SENT
    assert len(inbox.messages) == 1


def test_no_mail_for_a_session_the_plan_no_longer_has(inbox, queue, person):
    plan = person.plans.get(active=True)
    plan.sessions_per_day = 1
    plan.save()
    assert remind(person, 2, just_due()) == SentReminder.Outcome.FEWER
    assert inbox.messages == []


def test_a_reminder_up_to_an_hour_late_is_sent(inbox, queue, person):
    assert remind(person, 1, timezone.now() - timedelta(minutes=59)) == "sent"
    assert len(inbox.messages) == 1


def test_a_reminder_more_than_an_hour_late_is_not_sent_and_the_next_one_is_queued(
    inbox, queue, person
):
    due = timezone.now() - timedelta(hours=3)
    assert remind(person, 1, due) == SentReminder.Outcome.LATE
    assert inbox.messages == []
    [queued] = queue.results
    assert queued.task.run_after > timezone.now()
    assert queued.task.run_after.astimezone(person.zone).strftime("%H:%M") == "08:00"


def test_each_reminder_queues_the_next_at_the_same_local_time_across_the_clock_change(
    inbox, queue, person, monkeypatch
):
    # Saturday 24 October 2026, 08:00 in London (summer time), run by a worker on time.
    saturday = datetime(2026, 10, 24, 7, 0, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: saturday + timedelta(seconds=5))
    version = ReminderSchedule.objects.get(user=person).version
    send_session_reminder.call(person.pk, 1, version, saturday.isoformat())
    [queued] = queue.results
    # Sunday's is at 08:00 too, now Greenwich time: 25 hours later.
    assert queued.task.run_after == datetime(2026, 10, 25, 8, 0, tzinfo=UTC)
    assert queued.args == [person.pk, 1, version, queued.task.run_after.isoformat()]


def test_running_the_same_reminder_twice_sends_it_once(inbox, queue, person):
    due = just_due()
    assert remind(person, 1, due) == "sent"
    assert remind(person, 1, due) == "claimed by another worker"
    assert len(inbox.messages) == 1
    # Only the first run queued the next reminder: the chain never doubles.
    assert len(queue.results) == 1


def test_a_reminder_of_a_changed_schedule_stands_down(inbox, queue, person):
    old = ReminderSchedule.objects.get(user=person).version
    services.save_schedule(person, EVERY_DAY, [time(9, 0)], by_email=True)
    assert send_session_reminder.call(person.pk, 1, old, just_due().isoformat()) == "stood down"
    assert inbox.messages == []
    assert not SentReminder.objects.exists()


def test_no_mail_without_a_plan(inbox, queue, person):
    plan_services.stop_following(person)
    assert remind(person, 1, just_due()) == SentReminder.Outcome.NO_PLAN
    assert inbox.messages == []


def test_a_refused_mail_is_recorded_and_the_chain_goes_on(settings, queue, person):
    settings.MAILERS = smtp_settings(free_port(), timeout=2)  # nobody listens there
    assert remind(person, 1, just_due()) == SentReminder.Outcome.FAILED
    assert SentReminder.objects.get(user=person).outcome == SentReminder.Outcome.FAILED
    assert len(queue.results) == 1


@pytest.fixture
def database_queue(settings):
    """The queue the site uses by default: a table, shared by every thread and process."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def queued_for_slot(slot: int) -> int:
    return sum(1 for row in DBTaskResult.objects.all() if row.args_kwargs["args"][1] == slot)


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_one_reminder_send_it_once(inbox, database_queue, person):
    due = just_due()
    version = ReminderSchedule.objects.get(user=person).version
    assert queued_for_slot(1) == 1  # queued when the schedule was saved
    workers = 4
    barrier = threading.Barrier(workers)
    results: list = [None] * workers

    def worker(index: int) -> None:
        try:
            barrier.wait()
            results[index] = send_session_reminder.call(person.pk, 1, version, due.isoformat())
        except Exception as error:  # reported by the assertion below
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(map(str, results)) == ["claimed by another worker"] * (workers - 1) + ["sent"]
    assert len(inbox.messages) == 1
    assert SentReminder.objects.filter(user=person).count() == 1
    # The one that sent queued the next; the others queued nothing.
    assert queued_for_slot(1) == 2
