"""Progression suggestions: one per program, made after a session (and after the morning
check that follows it) from how the last sessions went; accepted or dismissed."""

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backcare.models import User
from programs import progression
from programs.models import (
    MorningCheck,
    PainReport,
    Program,
    ProgramStep,
    Session,
    SessionStep,
    SuggestedChange,
    Suggestion,
)
from programs.services.programs import latest_copy, own_copy

RECENT_SESSIONS = 6
DONE_IN_FULL_SHARE = 0.9  # a step counts as done in full from this share of its time
EASED = {PainReport.Outcome.SLOWER, PainReport.Outcome.STOP}
REASONS = {
    progression.UP: _(
        "Three sessions in a row done in full, with pain that stayed low and no worse the "
        "next morning."
    ),
    "stopped": _("You stopped the last session because of pain."),
    "rose": _("Pain after the last session was 2 or more above pain before it."),
    "worse_morning": _("Your back felt worse the morning after the last session."),
}


def _recent_sessions(user: User, programs: set[int]) -> list[Session]:
    """The last finished sessions of these programs, oldest first, with what they recorded."""
    steps = SessionStep.objects.select_related("completion")
    sessions = (
        Session.objects.filter(user=user, program_id__in=programs)
        .finished()
        .exclude(status=Session.Status.ABANDONED)
        .prefetch_related(
            Prefetch("steps", queryset=steps),
            Prefetch("pain_reports", queryset=PainReport.objects.select_related("step")),
            Prefetch("morning_check", queryset=MorningCheck.objects.all()),
        )
        .order_by("-started_at", "-pk")[:RECENT_SESSIONS]
    )
    return list(reversed(sessions))


def _done_in_full(session: Session) -> bool:
    return session.status == Session.Status.COMPLETED and all(
        step.completion_or_none is not None
        and not step.completion.skipped
        and not step.made_gentler
        and step.completion.seconds_done >= DONE_IN_FULL_SHARE * step.planned_seconds
        for step in session.steps.all()
    )


def session_record(session: Session) -> progression.SessionRecord:
    """A finished session as the progression rules read it."""
    reports = [r for r in session.pain_reports.all() if EASED & {r.outcome, r.recommended}]
    hurt = {r.step.planned_exercise_id or r.step.exercise_id for r in reports if r.step}
    check = getattr(session, "morning_check", None)
    return progression.SessionRecord(
        done_in_full=_done_in_full(session),
        stopped=session.is_stopped,
        pain_before=session.pain_before,
        pain_after=session.pain_after,
        eased=bool(reports),
        morning=check.answer if check else None,
        hurt_exercise_ids=frozenset(hurt),
    )


def _step_now(step: ProgramStep) -> progression.StepNow:
    dose, ceiling = step.dose, step.exercise.ceiling
    return progression.StepNow(
        exercise_id=step.exercise_id,
        is_main=step.phase == ProgramStep.Phase.MAIN,
        hold_seconds=dose.hold_seconds,
        reps=dose.reps,
        sets=dose.sets,
        max_hold_seconds=ceiling.hold_seconds,
        max_reps=ceiling.reps,
        max_sets=ceiling.sets,
        easier_id=step.exercise.easier_variant_id,
        harder_id=step.exercise.harder_variant_id,
    )


@transaction.atomic
def suggest_after(session: Session) -> Suggestion | None:
    """After a session (or its morning check): the one change its program calls for."""
    program = session.program
    if program is None:
        return None
    target = latest_copy(session.user, program) or program
    sessions = _recent_sessions(session.user, {program.pk, target.pk})
    records = [session_record(each) for each in sessions]
    steps = [_step_now(step) for step in target.steps.select_related("exercise")]
    plan = progression.suggest(records, steps)
    if plan is None:
        return None
    return _replace_pending(session, program, plan, progression.why(records))


def _replace_pending(
    session: Session, program: Program, plan: progression.Plan, reason: str
) -> Suggestion:
    """The new suggestion for a program takes the place of one still waiting."""
    Suggestion.objects.pending().filter(user=session.user, program=program).delete()
    suggestion = Suggestion.objects.create(
        user=session.user,
        program=program,
        session=session,
        direction=plan.direction,
        reason=str(REASONS[reason]),
    )
    SuggestedChange.objects.bulk_create(
        SuggestedChange(
            suggestion=suggestion,
            exercise_id=change.exercise_id,
            change=change.change,
            from_value=change.from_value,
            to_value=change.to_value,
            variant_id=change.variant_id,
        )
        for change in plan.changes
    )
    return suggestion


def _apply(change: SuggestedChange, program: Program) -> None:
    for step in program.steps.filter(exercise_id=change.exercise_id):
        if change.change == SuggestedChange.Change.VARIANT:
            step.exercise_id = change.variant_id
            for name in ProgramStep.OVERRIDABLE:
                setattr(step, name, None)  # the variant's own dose
        else:
            field = {"hold": "hold_seconds", "reps": "reps", "sets": "sets"}[change.change]
            setattr(step, field, change.to_value)
        step.save()


@transaction.atomic
def decide(suggestion: Suggestion, accept: bool) -> Program | None:
    """Accept (change the user's own copy of the program) or dismiss; recorded either way."""
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status != Suggestion.Status.PENDING:
        return suggestion.applied_to
    suggestion.decided_at = timezone.now()
    if not accept or suggestion.program is None:
        suggestion.status = Suggestion.Status.DISMISSED
        suggestion.save(update_fields=["status", "decided_at"])
        return None
    program = own_copy(suggestion.user, suggestion.program)
    for change in suggestion.changes.all():
        _apply(change, program)
    suggestion.status = Suggestion.Status.ACCEPTED
    suggestion.applied_to = program
    suggestion.save(update_fields=["status", "decided_at", "applied_to"])
    return program
