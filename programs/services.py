"""Writes that touch several rows at once: starting, running and finishing a session.

Views call these and stay thin. Each function is one transaction.
"""

import uuid
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backcare.models import User
from programs import builder, records
from programs.models import (
    Goal,
    PainReport,
    Program,
    SafetyScreening,
    Session,
    SessionStep,
    StepCompletion,
    StrengthCheckIn,
)
from programs.pace import (
    PainOutcome,
    cap_dose,
    gentler_dose,
    needs_screening,
    pain_outcome,
)
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
        unfinished = Session.objects.unfinished().filter(user=user).select_for_update().first()
        if unfinished is not None:
            if not replace_unfinished:
                raise UnfinishedSessionExists(unfinished)
            _end(unfinished, Session.Status.ABANDONED)
        try:
            with transaction.atomic():
                session = Session.objects.create(
                    user=user,
                    program=program,
                    program_name=program.name,
                    local_day=timezone.now().astimezone(user.zone).date(),
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


def _locked(session: Session) -> Session:
    """The session re-read inside the transaction, locked against other writers.

    Status checks use this copy, never one loaded before the transaction began.
    """
    fresh = Session.objects.select_for_update().get(pk=session.pk)
    session.status, session.pace = fresh.status, fresh.pace
    session.pain_before, session.pain_after = fresh.pain_before, fresh.pain_after
    session.finished_at = fresh.finished_at
    return session


def abandon_session(session: Session) -> None:
    with transaction.atomic():
        if _locked(session).is_unfinished:
            _end(session, Session.Status.ABANDONED)


def _end(session: Session, status: str) -> None:
    session.status = status
    session.finished_at = timezone.now()
    session.save(update_fields=["status", "finished_at"])


def accepts_pain_reports(session: Session) -> bool:
    """In progress, or stopped with its cool-down still open and no pain-after yet."""
    if session.pain_after is not None:
        return False
    return session.status in {Session.Status.IN_PROGRESS, Session.Status.STOPPED_FOR_PAIN}


def record_pain_before(session: Session, level: int) -> bool:
    """Record pain before the first step; True when the warning-signs questions are due.

    The pain rule applies from the start: 4 or 5 makes the whole session gentler, 6 or
    more stops it before it begins (the cool-down stays on offer).
    """
    with transaction.atomic():
        _locked(session)
        if session.pain_before is not None or not session.is_unfinished:
            return False  # a second submit of the same form changes nothing
        session.pain_before = level
        session.save(update_fields=["pain_before"])
        outcome = pain_outcome(level)
        if outcome == PainOutcome.SLOWER:
            _make_rest_gentler(session)
        elif outcome == PainOutcome.STOP:
            _stop_for_pain(session)
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
    if session.pain_before is None:
        raise SessionError(_("Say how your back feels before the first step."), status=409)
    if session.pain_after is not None or session.status in {
        Session.Status.COMPLETED,
        Session.Status.ABANDONED,
    }:
        raise SessionError(_("This session has ended; nothing more can be added to it."), 409)
    if session.status == Session.Status.STOPPED_FOR_PAIN and not step.is_cooldown:
        raise SessionError(_("This session was stopped; only its cool-down is left."), 409)
    if skipped:
        seconds_done = 0  # a skipped step was not done, whatever the clock said
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
    session: Session,
    step: SessionStep | None,
    level: int,
    wants_to_stop: bool,
    key: uuid.UUID | None = None,
) -> PainOutcome:
    """Record "It hurts" on its step and apply the pain rule to the rest of the session.

    A report sent twice with the same key (a double click, a retry) counts once.
    """
    if key is not None:
        earlier = PainReport.objects.filter(key=key, session=session).first()
        if earlier is not None:
            return PainOutcome(earlier.outcome)
    outcome = pain_outcome(level, wants_to_stop)
    with transaction.atomic():
        _locked(session)
        if not accepts_pain_reports(session):
            raise SessionError(_("This session has ended; it takes no more reports."), 409)
        try:
            with transaction.atomic():
                PainReport.objects.create(
                    session=session,
                    step=step,
                    level=level,
                    outcome=outcome,
                    **({"key": key} if key else {}),
                )
        except IntegrityError:
            return PainOutcome(PainReport.objects.get(key=key).outcome)
        if needs_screening(level):
            User.objects.filter(pk=session.user_id).update(screening_due=True)
        if outcome == PainOutcome.SLOWER and session.is_unfinished:
            _make_rest_gentler(session)
        elif outcome == PainOutcome.STOP and session.is_unfinished:
            _stop_for_pain(session)
    return outcome


def _open_steps(session: Session):
    return (
        session.steps.filter(completion__isnull=True)
        .select_related("exercise__easier_variant")
        .prefetch_related(
            "exercise__easier_variant__primary_muscles",
            "exercise__easier_variant__secondary_muscles",
        )
    )


def _make_rest_gentler(session: Session) -> None:
    """Every step not yet done and not yet eased: the easier variant where there is one,
    never longer than the eased planned dose; otherwise a smaller dose. Once per step,
    so a second report does not shrink it again."""
    session.pace = Session.Pace.GENTLER
    session.save(update_fields=["pace"])
    changed = []
    for step in _open_steps(session).filter(made_gentler=False):
        eased = gentler_dose(step.dose)
        easier = step.exercise.easier_variant
        if easier is not None:
            step.planned_exercise = step.exercise
            step.exercise = easier
            step.set_dose(cap_dose(easier.dose, eased))
        else:
            step.set_dose(eased)
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
    skipped = [
        StepCompletion(step=step, seconds_done=0, skipped=True)
        for step in _open_steps(session).exclude(phase="cooldown")
    ]
    # A completion that lands at the same moment wins; the rest are marked skipped.
    StepCompletion.objects.bulk_create(skipped, ignore_conflicts=True)


def finish_session(session: Session, pain_after: int) -> bool:
    """Record pain after; True when the warning-signs questions are due."""
    with transaction.atomic():
        _locked(session)
        if session.pain_after is not None:
            return False
        session.pain_after = pain_after
        fields = ["pain_after"]
        if session.is_unfinished:
            session.status = Session.Status.COMPLETED
            session.finished_at = timezone.now()
            fields += ["status", "finished_at"]
        session.save(update_fields=fields)
        builder.suggest_after(session)
        if needs_screening(pain_after):
            User.objects.filter(pk=session.user_id).update(screening_due=True)
            return True
    return False


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


def create_goal(goal: Goal, today: date) -> Goal:
    """Save a new goal with its starting value, so the pace line starts where the user is."""
    goal.baseline = records.starting_value(goal.user, goal, today)
    goal.save()
    return goal


def mark_met_goals(views: list, today: date) -> list[Goal]:
    """Goals whose target is now met get their achieved date, automatically."""
    met = [
        view.goal
        for view in views
        if view.goal.achieved_on is None and not view.goal.archived and view.progress.is_met
    ]
    for goal in met:
        goal.achieved_on = today
    if met:
        Goal.objects.bulk_update(met, ["achieved_on"])
    return met


def check_in(user: User, group, rating: int) -> StrengthCheckIn:
    return StrengthCheckIn.objects.create(user=user, muscle_group=group, rating=rating)
