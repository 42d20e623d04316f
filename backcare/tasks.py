"""Mail about a person's account, sent by the task worker instead of inside a request.

These run on Django's tasks framework (`settings.TASKS`). A view enqueues one with
`task.enqueue(...)`; by default that writes a row to the database, and the worker
(`manage.py db_worker`, started beside the web server by `make run` and `make serve`) sends
it. So a request takes the same time whether or not an address has an account, and a slow
mail server never slows a page.

A task's arguments are stored in its row: they hold only what the mail needs, never a
reset token (the worker makes that), and the row of a finished account mail is deleted at
once, so no address stays behind in the queue.
"""

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.core.mail import send_mail
from django.dispatch import receiver
from django.http import HttpRequest
from django.tasks import task, task_backends
from django.tasks.signals import task_finished
from django.template.loader import render_to_string
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from backcare.models import User


def site_of(request: HttpRequest) -> dict:
    """Where links in a mail point: the host and scheme the request came to."""
    return {"domain": request.get_host(), "use_https": request.is_secure()}


@task()
def send_password_reset(email: str, domain: str, use_https: bool) -> None:
    """A reset link to each active account with this address; nothing if there is none."""
    form = auth_forms.PasswordResetForm({"email": email})
    if form.is_valid():
        form.save(domain_override=domain, use_https=use_https)


@task()
def send_email_changed_notice(user_id: int, old_email: str, domain: str, use_https: bool) -> None:
    """Tell the old address that the account's address changed, so that a person whose
    session was taken over hears of it where the change cannot reach."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return
    context = {"user": user, "protocol": "https" if use_https else "http", "domain": domain}
    subject = render_to_string("registration/email_changed_subject.txt", context)
    body = render_to_string("registration/email_changed_email.txt", context)
    send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [old_email])


ACCOUNT_MAIL = {send_password_reset.module_path, send_email_changed_notice.module_path}


@receiver(task_finished)
def forget_finished_account_mail(sender, task_result, **kwargs) -> None:
    """Delete the row of a finished account mail: its arguments name a person. A failure is
    in the log already (Django's tasks framework logs it with its traceback)."""
    if task_result.task.module_path not in ACCOUNT_MAIL:
        return
    if isinstance(task_backends[task_result.backend], DatabaseBackend):
        DBTaskResult.objects.filter(id=task_result.id).delete()
