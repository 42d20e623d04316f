"""Receivers of signals: reminders follow a person to a new time zone, and a finished
reminder leaves the task queue."""

from django.conf import settings
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.tasks import task_backends
from django.tasks.signals import task_finished
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from programs.services import reminders
from programs.tasks import send_session_reminder


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def keep_reminders_at_local_time(sender, instance, raw=False, update_fields=None, **kwargs):
    """A new time zone moves the reminders already queued: 08:00 stays 08:00 where the
    person now lives."""
    if raw or instance.pk is None:
        return
    if update_fields is not None and "time_zone" not in update_fields:
        return  # a log-in, a new calendar address: no query
    old = sender.objects.filter(pk=instance.pk).values_list("time_zone", flat=True).first()
    if old is not None and old != instance.time_zone:
        reminders.restart(instance)


@receiver(task_finished)
def forget_finished_reminder(sender, task_result, **kwargs) -> None:
    """Each reminder queues the next, so finished rows would pile up, several a day for
    each person; what happened is kept in `SentReminder` instead."""
    if task_result.task.module_path != send_session_reminder.module_path:
        return
    if isinstance(task_backends[task_result.backend], DatabaseBackend):
        DBTaskResult.objects.filter(id=task_result.id).delete()
