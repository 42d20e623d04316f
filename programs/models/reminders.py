"""Reminders of the plan's sessions: when a person wants them, and each one claimed once."""

from datetime import time

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderSchedule(models.Model):
    """The days and the time of each daily session, in the person's own time zone."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_schedule"
    )
    # Days of the week, 0 for Monday to 6 for Sunday.
    weekdays = models.JSONField(_("days"), default=list)
    # "HH:MM" for each daily session, earliest first.
    times = models.JSONField(_("times"), default=list)
    by_email = models.BooleanField(_("remind me by email"), default=True)
    # Raised on every change: a reminder queued for an older schedule stands down, so a
    # change never leaves two chains of reminders running.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    def __str__(self) -> str:
        return f"{self.user}: {', '.join(self.times)}"

    def slot_times(self) -> list[time]:
        """The time of each daily session; the first session is slot 1."""
        return [time.fromisoformat(text) for text in self.times]

    @property
    def is_set(self) -> bool:
        return bool(self.weekdays and self.times)


class SentReminder(models.Model):
    """One reminder, claimed before it is sent: the unique constraint on person, local day
    and slot means two workers, or a worker restarted mid-way, never send it twice."""

    class Outcome(models.TextChoices):
        SENT = "sent", _("Sent")
        DONE = "done", _("Not sent: the session was already done")
        LATE = "late", _("Not sent: more than an hour late")
        NO_PLAN = "no_plan", _("Not sent: no plan followed")
        FEWER = "fewer", _("Not sent: the plan has fewer sessions a day")
        OFF = "off", _("Not sent: email reminders are off")
        FAILED = "failed", _("The mail server refused it")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sent_reminders"
    )
    day = models.DateField(_("day"))
    slot = models.PositiveSmallIntegerField(_("session of the day"))
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome, default=Outcome.SENT)
    claimed_at = models.DateTimeField(_("claimed"), auto_now_add=True)

    class Meta:
        ordering = ["-day", "slot"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "day", "slot"], name="one_reminder_per_session_and_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.day} #{self.slot}: {self.outcome}"
