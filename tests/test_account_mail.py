"""Account mail goes through the task queue: a request only enqueues it, the worker sends it.

The test settings run tasks at once (Django's immediate backend); the tests here switch to
the database backend the site uses, and run the worker (`manage.py db_worker`) themselves.
"""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def queue(settings):
    """Tasks wait in the database until `run_worker()`."""
    settings.TASKS = DATABASE_QUEUE


# The worker closes and reopens database connections between tasks, as it does in
# production, so the tests that run it commit for real instead of in a rolled-back test
# transaction.
with_the_worker = pytest.mark.django_db(transaction=True)


def run_worker() -> None:
    """The worker, as `make run` starts it, until the queue is empty."""
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def test_a_reset_request_does_the_same_work_whether_or_not_the_address_has_an_account(
    client, user, queue
):
    for email in [user.email, "nobody@example.com"]:
        response = client.post(reverse("password_reset"), {"email": email})
        assert response.status_code == 302
        assert response.url == reverse("password_reset_done")
    # Nothing was sent inside either request: each only queued one task.
    assert mail.outbox == []
    assert DBTaskResult.objects.count() == 2


@with_the_worker
def test_the_worker_sends_a_queued_reset_link_that_works(client, user, queue):
    client.post(reverse("password_reset"), {"email": user.email.upper()})
    client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert mail.outbox == []
    run_worker()
    [message] = mail.outbox
    assert message.to == [user.email]
    link = re.search(r"http://testserver(\S+)", message.body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    new = "reset-by-the-worker-2026"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


@with_the_worker
def test_no_address_stays_in_the_queue_once_the_mail_is_sent(client, user, queue):
    client.post(reverse("password_reset"), {"email": user.email})
    client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    queued = list(DBTaskResult.objects.values_list("args_kwargs", flat=True))
    assert len(queued) == 2
    # No reset token is ever stored: the worker makes it.
    assert all("token" not in str(arguments) for arguments in queued)
    run_worker()
    assert DBTaskResult.objects.count() == 0


@with_the_worker
def test_the_worker_tells_the_old_address_of_an_email_change(client, queue, password):
    person = UserFactory(email="first@example.com")
    client.force_login(person)
    response = client.post(
        reverse("email_change"), {"email": "second@example.com", "password": password}
    )
    assert response.status_code == 302
    assert mail.outbox == []
    run_worker()
    assert [message.to for message in mail.outbox] == [["first@example.com"]]
    assert DBTaskResult.objects.count() == 0


def test_a_reset_sent_at_once_in_tests_still_arrives(client, user):
    """The control for the tests above: without the queue fixture, tasks run at once."""
    client.post(reverse("password_reset"), {"email": user.email})
    assert len(mail.outbox) == 1
