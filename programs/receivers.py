"""Receivers of signals from the site app: reminders follow a person to a new time zone."""

from django.conf import settings
from django.db.models.signals import pre_save
from django.dispatch import receiver

from programs.services import reminders


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
