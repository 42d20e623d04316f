"""Reminders on RQ (django-tasks-rq), the queue for several servers: queued in Redis for the
next local time, and sent once by two RQ workers at once.

Uses the Redis at 127.0.0.1:6379, database 2 only, which it empties before and after.
"""

import socket
import subprocess
import sys
from datetime import time, timedelta

import pytest
from django.utils import timezone

from programs.models import ReminderSchedule, SentReminder
from programs.services import plans as plan_services
from programs.services import reminders as services
from programs.tasks import send_session_reminder
from tests.factories import program_with_steps, ready_user
from tests.mail_server import smtp_server
from tests.test_reminder_workers import ROOT, worker_environment
from tests.test_site import manage

pytestmark = pytest.mark.django_db(transaction=True)
REDIS_URL = "redis://127.0.0.1:6379/2"
# As the README starts one: the job class that runs Django tasks, and the scheduler that
# moves a task to the queue when its `run_after` comes.
RQ_WORKER_OPTIONS = ["--job-class", "django_tasks_rq.backend.Job", "--with-scheduler"]


def redis_is_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def rq_queue(settings):
    if not redis_is_up():
        pytest.skip("no Redis answers at 127.0.0.1:6379: the RQ backend needs one")
    import django_rq

    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queue = django_rq.get_queue("default")
    queue.connection.flushdb()
    yield queue
    queue.connection.flushdb()


@pytest.fixture
def inbox():
    with smtp_server() as received:
        yield received


@pytest.fixture
def person(rq_queue):
    person = ready_user(time_zone="Europe/London", email="ruth@example.org")
    plan_services.follow(person, program_with_steps(), person.today() - timedelta(days=1))
    services.save_schedule(person, list(range(7)), [time(7, 45)], by_email=True)
    return person


def scheduled_times(queue) -> list:
    registry = queue.scheduled_job_registry
    return [registry.get_scheduled_time(job_id) for job_id in registry.get_job_ids()]


def test_saving_reminders_schedules_one_in_redis_at_the_next_local_time(rq_queue, person):
    [at] = scheduled_times(rq_queue)
    assert at > timezone.now()
    assert at.astimezone(person.zone).strftime("%H:%M") == "07:45"


def test_two_rq_workers_at_once_send_a_reminder_queued_twice_only_once(rq_queue, inbox, person):
    due = timezone.now() - timedelta(minutes=2)
    version = ReminderSchedule.objects.get(user=person).version
    for _twice in range(2):
        send_session_reminder.using(run_after=due).enqueue(person.pk, 1, version, due.isoformat())
    environment = worker_environment(inbox.port, DJANGO_TASKS_BACKEND="rq", REDIS_URL=REDIS_URL)
    command = [sys.executable, "manage.py", "rqworker", "default", *RQ_WORKER_OPTIONS, "--burst"]
    workers = [
        subprocess.Popen(command, cwd=ROOT, env=environment, stderr=subprocess.PIPE)
        for _two in range(2)
    ]
    for worker in workers:
        _out, errors = worker.communicate(timeout=120)
        assert worker.returncode == 0, errors.decode()
    assert len(inbox.messages) == 1
    assert list(SentReminder.objects.values_list("outcome", flat=True)) == ["sent"]
    # Waiting in Redis: the reminder queued with the schedule, and the next one.
    assert len(scheduled_times(rq_queue)) == 2


def test_an_unknown_task_backend_is_refused_at_start(db):
    result = manage("check", DJANGO_TASKS_BACKEND="celery")
    assert result.returncode != 0
    assert "DJANGO_TASKS_BACKEND must be database or rq" in result.stderr


def test_the_rq_setting_puts_the_queue_in_redis(db):
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.TASKS['default']['BACKEND'])",
        DJANGO_TASKS_BACKEND="rq",
        REDIS_URL=REDIS_URL,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "django_tasks_rq.RQBackend"
