"""Writes of reminders: the schedule a person sets, the one-click unsubscribe, and the
claim that makes each reminder go once.

A reminder is one task queued with `run_after` for its next local time; when it runs it
claims its (person, local day, session) row and queues the next one, both in one
transaction. With the database queue the claim and the next task commit together, so a
worker that dies mid-way neither sends twice nor breaks the chain.
"""

import logging
from datetime import datetime, time

from django.db import IntegrityError, transaction
from django.utils import timezone

from backcare.models import User
from programs.models import ReminderSchedule, SentReminder
from programs.reminder_times import next_reminder

logger = logging.getLogger(__name__)


@transaction.atomic
def save_schedule(user: User, weekdays: list[int], times: list[time], by_email: bool) -> None:
    schedule, _created = ReminderSchedule.objects.select_for_update().get_or_create(user=user)
    schedule.weekdays = sorted(set(weekdays))
    schedule.times = [at.strftime("%H:%M") for at in times]
    schedule.by_email = by_email
    schedule.version += 1
    schedule.save()
    transaction.on_commit(lambda: queue_reminders(schedule, timezone.now()))


def restart(user: User) -> None:
    """Queue every reminder afresh (the person moved to another time zone); the ones queued
    before stand down."""
    with transaction.atomic():
        schedule = ReminderSchedule.objects.select_for_update().filter(user=user).first()
        if schedule is None:
            return
        schedule.version += 1
        schedule.save(update_fields=["version", "updated_at"])
        schedule.user = user  # as it is about to be saved, in its new zone
        transaction.on_commit(lambda: queue_reminders(schedule, timezone.now()))


def remove_schedule(user: User) -> None:
    """No reminders at all; reminders already queued find no schedule and stand down."""
    ReminderSchedule.objects.filter(user=user).delete()


def stop_email(user: User) -> bool:
    """The one-click unsubscribe: no more reminder mail. False when there was none to stop."""
    with transaction.atomic():
        schedule = ReminderSchedule.objects.select_for_update().filter(user=user).first()
        if schedule is None or not schedule.by_email:
            return False
        schedule.by_email = False
        schedule.version += 1
        schedule.save(update_fields=["by_email", "version", "updated_at"])
    return True


def queue_reminders(schedule: ReminderSchedule, after: datetime) -> None:
    """A reminder for each daily session, at its next local time after `after`."""
    if not schedule.by_email:
        return
    for slot in range(1, len(schedule.times) + 1):
        queue_next(schedule, slot, after)


def queue_next(schedule: ReminderSchedule, slot: int, after: datetime) -> None:
    # Imported here: the task module imports this one.
    from programs.tasks import send_session_reminder

    if not send_session_reminder.get_backend().supports_defer:
        # Django's immediate backend (the tests' default) cannot run a task later.
        logger.warning("Reminders need a task backend that can run tasks later.")
        return
    at = schedule.slot_times()[slot - 1]
    due = next_reminder(schedule.weekdays, at, schedule.user.zone, after)
    if due is None:
        return
    send_session_reminder.using(run_after=due).enqueue(
        schedule.user_id, slot, schedule.version, due.isoformat()
    )


def claim(
    schedule: ReminderSchedule, slot: int, day, outcome: str, then: datetime
) -> SentReminder | None:
    """Record this reminder and queue the next, in one transaction; None when another
    worker claimed it first (and so queued the next one itself)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                sent = SentReminder.objects.create(
                    user_id=schedule.user_id, day=day, slot=slot, outcome=outcome
                )
        except IntegrityError:
            return None
        queue_next(schedule, slot, then)
    return sent


def mark_failed(sent: SentReminder) -> None:
    sent.outcome = SentReminder.Outcome.FAILED
    sent.save(update_fields=["outcome"])
