"""Many requests at once: a step is recorded once, and no step is ever lost.

Runs on whichever database the suite runs on: SQLite (WAL, IMMEDIATE transactions) with
`make test`, PostgreSQL with DATABASE_URL set, as CI does.
"""

import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from programs.models import Session, StepCompletion
from tests.factories import ExerciseFactory, ProgramStepFactory, program_with_steps, ready_user
from tests.factories import started_session as start

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 12


def run_together(jobs) -> list:
    """Run every job in its own thread, released at the same moment; return their results."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def work(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except Exception as error:  # the test reports what went wrong
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def completion_job(client, session, step, key=None):
    url = reverse("programs:session-complete", args=[session.pk, step.pk])

    def job():
        response = client.post(
            url,
            {"key": str(key or uuid.uuid4()), "seconds_done": "20"},
            headers={"HX-Request": "true"},
        )
        return response.status_code

    return job


def test_many_requests_completing_the_same_step_store_one_record():
    user = ready_user()
    session = start(user, program_with_steps())
    step = session.steps.first()
    clients = [logged_in(user) for _ in range(THREADS)]
    results = run_together([completion_job(client, session, step) for client in clients])
    assert sorted(set(results)) == [200, 201], results
    assert results.count(201) == 1
    assert StepCompletion.objects.filter(step=step).count() == 1


def test_retries_with_one_key_store_one_record():
    user = ready_user()
    session = start(user, program_with_steps())
    step = session.steps.first()
    key = uuid.uuid4()
    clients = [logged_in(user) for _ in range(THREADS)]
    results = run_together([completion_job(client, session, step, key) for client in clients])
    assert set(results) <= {200, 201}, results
    assert StepCompletion.objects.filter(step=step).count() == 1


def test_many_requests_completing_different_steps_lose_none():
    user = ready_user()
    program = program_with_steps()
    for order in range(5, 5 + THREADS):
        ProgramStepFactory(
            program=program,
            order=order,
            phase="cooldown",
            exercise=ExerciseFactory(kind="cooldown"),
        )
    session = start(user, program)
    steps = list(session.steps.all())
    clients = [logged_in(user) for _ in steps]
    results = run_together(
        [completion_job(client, session, step) for client, step in zip(clients, steps, strict=True)]
    )
    assert results == [201] * len(steps), results
    assert StepCompletion.objects.filter(step__session=session).count() == len(steps)


def test_two_tabs_starting_a_session_at_once_start_one():
    user = ready_user()
    program = program_with_steps()
    clients = [logged_in(user) for _ in range(6)]

    def job(client):
        return lambda: (
            client.post(reverse("programs:session-start"), {"program": program.pk}).status_code
        )

    results = run_together([job(client) for client in clients])
    assert results.count(302) == 1, results
    assert set(results) == {302, 409}
    assert Session.objects.unfinished().filter(user=user).count() == 1
