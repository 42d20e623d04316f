"""Writes that touch several rows at once: starting, running and finishing a session.

Views call these and stay thin. Each function is one transaction.
"""

import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backcare.models import User
from programs.models import (
    PainReport,
    Program,
    SafetyScreening,
    Session,
    SessionStep,
    StepCompletion,
)
from programs.pace import PainOutcome, gentler_dose, needs_screening, pain_outcome
from programs.progress import hold_reached

# A step may be recorded with up to this many times its planned seconds, plus a margin:
# people go slower than the clock, but not ten times slower.
MAX_SECONDS_FACTOR = 3
MAX_SECONDS_MARGIN = 120


class SessionError(Exception):
    """A request the session cannot take; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class UnfinishedSessionExists(SessionError):
    def __init__(self, session: Session) -> None:
        super().__init__(_("You have a session that is not finished yet."), status=409)
        self.session = session


def start_session(user: User, program: Program, replace_unfinished: bool = False) -> Session:
    """Copy the program's steps, with their doses, into a new session."""
    with transaction.atomic():
        unfinished = Session.objects.unfinished().filter(user=user).first()
        if unfinished is not None:
            if not replace_unfinished:
                raise UnfinishedSessionExists(unfinished)
            _end(unfinished, Session.Status.ABANDONED)
        try:
            with transaction.atomic():
                session = Session.objects.create(
                    user=user, program=program, program_name=program.name
                )
        except IntegrityError:
            # Another tab started one at the same moment: offer that one.
            raise UnfinishedSessionExists(Session.objects.unfinished().get(user=user)) from None
        steps = []
        program_steps = program.steps.select_related("exercise").prefetch_related(
            "exercise__primary_muscles", "exercise__secondary_muscles"
        )
        for position, step in enumerate(program_steps, start=1):
            session_step = SessionStep(
                session=session, position=position, phase=step.phase, exercise=step.exercise
            )
            session_step.set_dose(step.dose)
            steps.append(session_step)
        SessionStep.objects.bulk_create(steps)
        _snapshot_muscle_groups(steps)
    return session


def _snapshot_muscle_groups(steps: list[SessionStep]) -> None:
    """Record which groups each step works, as the library says now, in one insert."""
    through = SessionStep.muscle_groups.through
    through.objects.filter(sessionstep__in=steps).delete()
    rows = []
    for step in steps:
        groups = {g.pk for g in step.exercise.primary_muscles.all()}
        groups |= {g.pk for g in step.exercise.secondary_muscles.all()}
        rows += [through(sessionstep_id=step.pk, musclegroup_id=pk) for pk in sorted(groups)]
    through.objects.bulk_create(rows)


def abandon_session(session: Session) -> None:
    if session.is_unfinished:
        _end(session, Session.Status.ABANDONED)


def _end(session: Session, status: str) -> None:
    session.status = status
    session.finished_at = timezone.now()
    session.save(update_fields=["status", "finished_at"])


def record_pain_before(session: Session, level: int) -> bool:
    """Record pain before the first step; True when the warning-signs questions are due.

    Pain of 4 or more before starting makes the whole session gentler from the outset.
    """
    with transaction.atomic():
        session.pain_before = level
        session.save(update_fields=["pain_before"])
        if pain_outcome(level) != PainOutcome.CARRY_ON:
            _make_rest_gentler(session)
        if needs_screening(level):
            User.objects.filter(pk=session.user_id).update(screening_due=True)
            return True
    return False


@dataclass
class CompletionResult:
    completion: StepCompletion
    created: bool


def complete_step(
    session: Session, step: SessionStep, key: uuid.UUID, seconds_done: int, skipped: bool
) -> CompletionResult:
    """Record that a step was done (or skipped), once and only once.

    The same key again gets the first answer; another key for a step already recorded
    (a second tab, a double click with a fresh form) gets the record that won.
    """
    if step.session_id != session.pk:
        raise SessionError(_("That step is not part of this session."), status=404)
    existing = StepCompletion.objects.filter(key=key).first()
    if existing is not None:
        if existing.step_id != step.pk:
            raise SessionError(_("That key was already used for another step."), status=409)
        return CompletionResult(existing, created=False)
    if session.status == Session.Status.STOPPED_FOR_PAIN and not step.is_cooldown:
        raise SessionError(_("This session was stopped; only its cool-down is left."), 409)
    if session.status in {Session.Status.COMPLETED, Session.Status.ABANDONED}:
        raise SessionError(_("This session has ended; nothing more can be added to it."), 409)
    limit = step.planned_seconds * MAX_SECONDS_FACTOR + MAX_SECONDS_MARGIN
    if not 0 <= seconds_done <= limit:
        raise SessionError(
            _("Seconds done must be between 0 and %(limit)d for this step.") % {"limit": limit}
        )
    hold = 0 if skipped else hold_reached(step.hold_seconds, step.planned_seconds, seconds_done)
    try:
        with transaction.atomic():
            completion = StepCompletion.objects.create(
                step=step,
                key=key,
                seconds_done=seconds_done,
                hold_seconds_done=hold,
                skipped=skipped,
            )
    except IntegrityError:
        # Someone else recorded this step (or this key) first; theirs stands.
        completion = StepCompletion.objects.filter(step=step).first()
        if completion is None:
            completion = StepCompletion.objects.get(key=key)
            if completion.step_id != step.pk:
                raise SessionError(
                    _("That key was already used for another step."), status=409
                ) from None
        return CompletionResult(completion, created=False)
    return CompletionResult(completion, created=True)


def report_pain(
    session: Session, step: SessionStep | None, level: int, wants_to_stop: bool
) -> PainOutcome:
    """Record "It hurts" on its step and apply the pain rule to the rest of the session."""
    outcome = pain_outcome(level, wants_to_stop)
    with transaction.atomic():
        PainReport.objects.create(session=session, step=step, level=level, outcome=outcome)
        if needs_screening(level):
            User.objects.filter(pk=session.user_id).update(screening_due=True)
        if outcome == PainOutcome.SLOWER:
            _make_rest_gentler(session)
        elif outcome == PainOutcome.STOP and session.is_unfinished:
            _stop_for_pain(session)
    return outcome


def _open_steps(session: Session):
    return session.steps.filter(completion__isnull=True).select_related("exercise__easier_variant")


def _make_rest_gentler(session: Session) -> None:
    """Every step not yet done: the easier variant where there is one, else a smaller dose."""
    session.pace = Session.Pace.GENTLER
    session.save(update_fields=["pace"])
    changed = []
    for step in _open_steps(session):
        easier = step.exercise.easier_variant
        if easier is not None and not step.made_gentler:
            step.planned_exercise = step.exercise
            step.exercise = easier
            step.set_dose(easier.dose)
        else:
            step.set_dose(gentler_dose(step.dose))
        step.made_gentler = True
        changed.append(step)
    SessionStep.objects.bulk_update(
        changed,
        [
            "exercise",
            "planned_exercise",
            "hold_seconds",
            "reps",
            "sets",
            "rest_seconds",
            "per_side",
            "seconds_per_rep",
            "made_gentler",
        ],
    )
    _snapshot_muscle_groups([step for step in changed if step.planned_exercise_id])


def _stop_for_pain(session: Session) -> None:
    """The main work ends; what is left of it is recorded as skipped. The cool-down stays open."""
    _end(session, Session.Status.STOPPED_FOR_PAIN)
    for step in _open_steps(session).exclude(phase="cooldown"):
        StepCompletion.objects.create(step=step, seconds_done=0, skipped=True)


def finish_session(session: Session, pain_after: int) -> None:
    with transaction.atomic():
        session.pain_after = pain_after
        fields = ["pain_after"]
        if session.is_unfinished:
            session.status = Session.Status.COMPLETED
            session.finished_at = timezone.now()
            fields += ["status", "finished_at"]
        session.save(update_fields=fields)
        if needs_screening(pain_after):
            User.objects.filter(pk=session.user_id).update(screening_due=True)


def record_screening(user: User, warning_signs: list[str], acknowledge_notice: bool) -> None:
    with transaction.atomic():
        SafetyScreening.objects.create(user=user, warning_signs=warning_signs)
        fields = []
        if acknowledge_notice and user.notice_acknowledged_at is None:
            user.notice_acknowledged_at = timezone.now()
            fields.append("notice_acknowledged_at")
        if not warning_signs:
            user.screening_due = False
            fields.append("screening_due")
        if fields:
            user.save(update_fields=fields)
