"""Real task workers: two `manage.py db_worker` processes at once, and a worker that was
down, send each reminder once, or not at all when it is more than an hour late.

The workers are separate processes on the test database (a file), sending to a real SMTP
server the test starts, as `make run` would run them.
"""

import os
import subprocess
import sys
from datetime import time, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from programs.models import ReminderSchedule, SentReminder
from programs.services import plans as plan_services
from programs.services import reminders as services
from programs.tasks import send_session_reminder
from tests.factories import program_with_steps, ready_user
from tests.mail_server import smtp_server

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def person(database_queue):
    person = ready_user(time_zone="Europe/London", email="sam@example.org")
    program = program_with_steps(sessions_per_day=1)
    plan_services.follow(person, program, person.today() - timedelta(days=1))
    services.save_schedule(person, list(range(7)), [time(8, 0)], by_email=True)
    return person


@pytest.fixture
def inbox():
    with smtp_server() as received:
        yield received


def database_url() -> str:
    """The test database, as an address a worker process reads from DATABASE_URL."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    login = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{login}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_environment(port: int, **extra: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "DJANGO_EMAIL_HOST": "127.0.0.1",
        "DJANGO_EMAIL_PORT": str(port),
        "DJANGO_SITE_URL": "http://testserver",
        "DJANGO_TASKS_BACKEND": "database",
        **extra,
    }


def start_worker(inbox) -> subprocess.Popen:
    """A worker as `make run` starts one, that stops when nothing due is left."""
    command = [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"]
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=worker_environment(inbox.port),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def finish(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        _out, errors = worker.communicate(timeout=120)
        assert worker.returncode == 0, errors.decode()


def queue_reminder(person, due) -> None:
    version = ReminderSchedule.objects.get(user=person).version
    send_session_reminder.using(run_after=due).enqueue(person.pk, 1, version, due.isoformat())


def test_two_workers_at_once_send_a_reminder_queued_twice_only_once(inbox, person):
    due = timezone.now() - timedelta(minutes=2)
    # The same reminder twice in the queue, as if it had been queued twice.
    queue_reminder(person, due)
    queue_reminder(person, due)
    finish([start_worker(inbox), start_worker(inbox)])
    assert len(inbox.messages) == 1
    assert inbox.recipients == [["sam@example.org"]]
    assert list(SentReminder.objects.values_list("outcome", flat=True)) == ["sent"]
    # Two waiting for their time: the one queued with the schedule, and the next one. The
    # rows of the reminders that ran are gone: the queue does not grow day after day.
    waiting = DBTaskResult.objects.filter(status="READY", run_after__gt=timezone.now())
    assert waiting.count() == 2
    assert DBTaskResult.objects.count() == 2


def test_a_restarted_worker_does_not_send_a_reminder_again(inbox, person):
    due = timezone.now() - timedelta(minutes=2)
    queue_reminder(person, due)
    finish([start_worker(inbox)])
    # The worker stopped before its task was marked done: the task runs again on restart.
    queue_reminder(person, due)
    finish([start_worker(inbox)])
    assert len(inbox.messages) == 1
    assert SentReminder.objects.count() == 1


def test_a_worker_that_was_down_sends_a_missed_reminder_within_the_hour(inbox, person):
    queue_reminder(person, timezone.now() - timedelta(minutes=50))
    finish([start_worker(inbox)])
    assert len(inbox.messages) == 1


def test_a_worker_down_for_more_than_an_hour_skips_the_missed_reminder(inbox, person):
    queue_reminder(person, timezone.now() - timedelta(hours=2))
    finish([start_worker(inbox)])
    assert inbox.messages == []
    assert list(SentReminder.objects.values_list("outcome", flat=True)) == ["late"]
    # The chain goes on: the next reminder waits for its time.
    assert DBTaskResult.objects.filter(status="READY", run_after__gt=timezone.now()).count() == 2
