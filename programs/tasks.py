"""The reminder of a plan's session, sent by the task worker at the person's local time.

Each reminder is a task queued with `run_after` for its moment; it claims its row
(`SentReminder`: person, local day, session) and queues the next one before it sends, so
it goes at most once whichever worker runs it, and the chain goes on. A reminder that a
stopped worker runs more than an hour late is recorded as late and not sent.
"""

import logging
import smtplib
from datetime import date, datetime

from django.tasks import task
from django.utils import timezone

from backcare.models import User
from programs import records
from programs.models import Plan, ReminderSchedule, SentReminder
from programs.reminder_mail import reminder_message
from programs.reminder_times import too_late
from programs.services import reminders as services

logger = logging.getLogger(__name__)


@task()
def send_session_reminder(user_id: int, slot: int, version: int, due: str) -> str:
    """Remind of session `slot` of the day, due at `due` (ISO 8601) under schedule
    `version`; a reminder of an older schedule stands down, the new one has its own."""
    due_at = datetime.fromisoformat(due)
    schedule = (
        ReminderSchedule.objects.select_related("user")
        .filter(user_id=user_id, version=version, by_email=True, user__is_active=True)
        .first()
    )
    if schedule is None or slot > len(schedule.times):
        return "stood down"
    user = schedule.user
    now = timezone.now()
    day = due_at.astimezone(user.zone).date()
    plan = Plan.objects.filter(user=user, active=True).select_related("program").first()
    outcome = _outcome(user, plan, slot, day, too_late(due_at, now))
    sent = services.claim(schedule, slot, day, outcome, max(due_at, now))
    if sent is None:
        return "claimed by another worker"
    if outcome == SentReminder.Outcome.SENT:
        try:
            reminder_message(user, plan.program, slot, day).send()
        except (smtplib.SMTPException, OSError):
            logger.exception("A reminder mail was refused")
            services.mark_failed(sent)
            return SentReminder.Outcome.FAILED
    return outcome


def _outcome(user: User, plan: Plan | None, slot: int, day: date, late: bool) -> str:
    """Whether to send: not late, a plan that runs that day, this session not yet done."""
    if late:
        return SentReminder.Outcome.LATE
    if not user.email:
        return SentReminder.Outcome.OFF
    if plan is None or day < plan.starts_on or plan.is_finished(day):
        return SentReminder.Outcome.NO_PLAN
    if slot > plan.sessions_per_day:
        return SentReminder.Outcome.FEWER
    if records.sessions_done_on(user, plan.program, day) >= slot:
        return SentReminder.Outcome.DONE
    return SentReminder.Outcome.SENT
