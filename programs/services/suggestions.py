"""Progression suggestions: made after a session from how it went, accepted or dismissed."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backcare.models import User
from programs import progression
from programs.models import PainReport, Program, ProgramStep, Session, SessionStep, Suggestion
from programs.services.programs import latest_copy, own_copy

RECENT_SESSIONS = 10


def _recent_session_ids(user: User) -> list[int]:
    return list(
        Session.objects.filter(user=user)
        .finished()
        .exclude(status=Session.Status.ABANDONED)
        .order_by("-started_at", "-pk")
        .values_list("pk", flat=True)[:RECENT_SESSIONS]
    )


def _exercise_record(step: SessionStep, reports: list[PainReport]) -> progression.ExerciseRecord:
    """One session's go at an exercise, as the progression rules read it."""
    completion = step.completion_or_none
    done = (
        completion is not None
        and not completion.skipped
        and not step.made_gentler
        and completion.seconds_done >= 0.9 * step.planned_seconds
    )
    return progression.ExerciseRecord(
        done_in_full=done,
        pain=max((r.level for r in reports), default=step.session.pain_after),
        stopped=any(r.outcome == PainReport.Outcome.STOP for r in reports),
    )


def exercise_records(
    user: User, exercise_ids: set[int]
) -> dict[int, list[progression.ExerciseRecord]]:
    """Per exercise, its last sessions (oldest first), from the user's recent sessions."""
    recent = _recent_session_ids(user)
    steps = (
        SessionStep.objects.filter(session_id__in=recent, exercise_id__in=exercise_ids)
        .select_related("session", "completion")
        .order_by("session__started_at", "session_id", "position")
    )
    reports: dict[int, list[PainReport]] = {}
    for report in PainReport.objects.filter(session_id__in=recent, step__isnull=False):
        reports.setdefault(report.step_id, []).append(report)
    records: dict[int, list[progression.ExerciseRecord]] = {}
    for step in steps:
        record = _exercise_record(step, reports.get(step.pk, []))
        records.setdefault(step.exercise_id, []).append(record)
    return records


def _reason(change: progression.Change) -> str:
    if change.direction == progression.UP:
        return _("Three sessions in a row done in full with little or no pain.")
    return _("It hurt (4 or more) or you stopped during this exercise last time.")


def _current(step: ProgramStep) -> progression.Current:
    dose = step.dose
    return progression.Current(
        hold_seconds=dose.hold_seconds,
        reps=dose.reps,
        easier_id=step.exercise.easier_variant_id,
        harder_id=step.exercise.harder_variant_id,
    )


@transaction.atomic
def suggest_after(session: Session) -> list[Suggestion]:
    """After a session: a step up or down for each exercise whose record calls for one."""
    program = session.program
    if program is None:
        return []
    target = latest_copy(session.user, program) or program
    plan_steps = {
        step.exercise_id: step
        for step in target.steps.select_related(
            "exercise__easier_variant", "exercise__harder_variant"
        )
    }
    records = exercise_records(session.user, set(plan_steps))
    made = []
    for exercise_id, step in plan_steps.items():
        change = progression.suggest(records.get(exercise_id, []), _current(step))
        if change is not None:
            made.append(_replace_pending(session, program, exercise_id, change))
    return made


def _replace_pending(
    session: Session, program: Program, exercise_id: int, change: progression.Change
) -> Suggestion:
    """The new suggestion for an exercise takes the place of one still waiting."""
    Suggestion.objects.pending().filter(
        user=session.user, program=program, exercise_id=exercise_id
    ).delete()
    return Suggestion.objects.create(
        user=session.user,
        program=program,
        exercise_id=exercise_id,
        session=session,
        direction=change.direction,
        change=change.change,
        from_value=change.from_value,
        to_value=change.to_value,
        variant_id=change.variant_id,
        reason=_reason(change),
    )


def _apply(suggestion: Suggestion, program: Program) -> None:
    for step in program.steps.filter(exercise_id=suggestion.exercise_id):
        if suggestion.change == Suggestion.Change.VARIANT:
            step.exercise_id = suggestion.variant_id
            for name in ProgramStep.OVERRIDABLE:
                setattr(step, name, None)  # the variant's own dose
        elif suggestion.change == Suggestion.Change.HOLD:
            step.hold_seconds = suggestion.to_value
        else:
            step.reps = suggestion.to_value
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
    _apply(suggestion, program)
    suggestion.status = Suggestion.Status.ACCEPTED
    suggestion.applied_to = program
    suggestion.save(update_fields=["status", "decided_at", "applied_to"])
    return program
