"""Writes for a user's own programs: copy, add, move, change and remove steps, and the
progression suggestions that change them."""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from backcare.models import User
from programs import progression
from programs.models import (
    Exercise,
    FlareUp,
    PainReport,
    Plan,
    Program,
    ProgramStep,
    Session,
    SessionStep,
    Suggestion,
)
from programs.phases import PHASE_RANK

RECENT_SESSIONS = 10


def unique_slug(owner: User, name: str) -> str:
    base = slugify(name)[:40] or "program"
    taken = set(
        Program.objects.filter(owner=owner, slug__startswith=base).values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def create_program(owner: User, name: str, **fields) -> Program:
    return Program.objects.create(owner=owner, name=name, slug=unique_slug(owner, name), **fields)


@transaction.atomic
def copy_program(owner: User, program: Program) -> Program:
    """The user's own copy of a program, steps and doses included."""
    copy = create_program(
        owner,
        _("%(name)s (my copy)") % {"name": program.name},
        summary=program.summary,
        description=program.description,
        weeks=program.weeks,
        sessions_per_day=program.sessions_per_day,
        copied_from=program,
    )
    ProgramStep.objects.bulk_create(
        ProgramStep(
            program=copy,
            exercise_id=step.exercise_id,
            order=step.order,
            phase=step.phase,
            hold_seconds=step.hold_seconds,
            reps=step.reps,
            sets=step.sets,
            rest_seconds=step.rest_seconds,
        )
        for step in program.steps.all()
    )
    return copy


def own_copy(owner: User, program: Program) -> Program:
    """The program itself if it is the user's, else their latest copy (made if needed)."""
    if program.owner_id == owner.pk:
        return program
    existing = Program.objects.filter(owner=owner, copied_from=program).order_by("-pk").first()
    return existing or copy_program(owner, program)


def _renumber(program: Program) -> None:
    steps = list(program.steps.order_by("order", "pk"))
    for number, step in enumerate(steps, start=1):
        step.order = number
    ProgramStep.objects.bulk_update(steps, ["order"])


@transaction.atomic
def add_step(program: Program, exercise: Exercise, phase: str) -> ProgramStep:
    """Add an exercise where its phase belongs: after the last step of that phase or one
    before it in the warm-up, main, cool-down order."""
    steps = list(program.steps.order_by("order", "pk"))
    rank = PHASE_RANK[phase]
    position = sum(1 for step in steps if PHASE_RANK.get(step.phase, 1) <= rank)
    for step in steps[position:]:
        step.order += 1
    ProgramStep.objects.bulk_update(steps[position:], ["order"])
    step = ProgramStep.objects.create(
        program=program, exercise=exercise, phase=phase, order=position + 1
    )
    _renumber(program)
    return step


@transaction.atomic
def move_step(step: ProgramStep, offset: int) -> None:
    steps = list(step.program.steps.order_by("order", "pk"))
    index = next(i for i, s in enumerate(steps) if s.pk == step.pk)
    target = index + offset
    if 0 <= target < len(steps):
        steps[index], steps[target] = steps[target], steps[index]
        for number, each in enumerate(steps, start=1):
            each.order = number
        ProgramStep.objects.bulk_update(steps, ["order"])


@transaction.atomic
def remove_step(step: ProgramStep) -> None:
    program = step.program
    step.delete()
    _renumber(program)


# ---- Progression ----


def _records(user: User, exercise_ids: set[int]) -> dict[int, list[progression.ExerciseRecord]]:
    """Per exercise, its last sessions (oldest first), from the user's recent sessions."""
    recent = list(
        Session.objects.filter(user=user)
        .finished()
        .exclude(status=Session.Status.ABANDONED)
        .order_by("-started_at", "-pk")
        .values_list("pk", flat=True)[:RECENT_SESSIONS]
    )
    steps = (
        SessionStep.objects.filter(session_id__in=recent)
        .filter(exercise_id__in=exercise_ids)
        .select_related("session", "completion")
        .order_by("session__started_at", "session_id", "position")
    )
    reports: dict[int, list[PainReport]] = {}
    for report in PainReport.objects.filter(session_id__in=recent, step__isnull=False):
        reports.setdefault(report.step_id, []).append(report)
    records: dict[int, list[progression.ExerciseRecord]] = {}
    for step in steps:
        completion = step.completion_or_none
        own_reports = reports.get(step.pk, [])
        pain = max((r.level for r in own_reports), default=step.session.pain_after)
        done = (
            completion is not None
            and not completion.skipped
            and not step.made_gentler
            and completion.seconds_done >= 0.9 * step.planned_seconds
        )
        stopped = any(r.outcome == PainReport.Outcome.STOP for r in own_reports)
        records.setdefault(step.exercise_id, []).append(
            progression.ExerciseRecord(done_in_full=done, pain=pain, stopped=stopped)
        )
    return records


def _reason(change: progression.Change) -> str:
    if change.direction == progression.UP:
        return _("Three sessions in a row done in full with little or no pain.")
    return _("It hurt (4 or more) or you stopped during this exercise last time.")


@transaction.atomic
def suggest_after(session: Session) -> list[Suggestion]:
    """After a session: a step up or down for each exercise whose record calls for one."""
    program = session.program
    if program is None:
        return []
    target = (
        program
        if program.owner_id == session.user_id
        else Program.objects.filter(owner=session.user, copied_from=program).order_by("-pk").first()
        or program
    )
    plan_steps = {
        step.exercise_id: step
        for step in target.steps.select_related(
            "exercise__easier_variant", "exercise__harder_variant"
        )
    }
    records = _records(session.user, set(plan_steps))
    made = []
    for exercise_id, step in plan_steps.items():
        dose = step.dose
        current = progression.Current(
            hold_seconds=dose.hold_seconds,
            reps=dose.reps,
            easier_id=step.exercise.easier_variant_id,
            harder_id=step.exercise.harder_variant_id,
        )
        change = progression.suggest(records.get(exercise_id, []), current)
        if change is None:
            continue
        Suggestion.objects.filter(
            user=session.user, program=program, exercise_id=exercise_id, status="pending"
        ).delete()
        made.append(
            Suggestion.objects.create(
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
        )
    return made


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
    for step in program.steps.filter(exercise_id=suggestion.exercise_id):
        if suggestion.change == Suggestion.Change.VARIANT:
            step.exercise_id = suggestion.variant_id
            step.hold_seconds = step.reps = step.sets = step.rest_seconds = None
        elif suggestion.change == Suggestion.Change.HOLD:
            step.hold_seconds = suggestion.to_value
        else:
            step.reps = suggestion.to_value
        step.save()
    suggestion.status = Suggestion.Status.ACCEPTED
    suggestion.applied_to = program
    suggestion.save(update_fields=["status", "decided_at", "applied_to"])
    return program


# ---- Flare-ups and plans ----


def record_flare_up(user: User, day, note: str) -> FlareUp:
    return FlareUp.objects.create(user=user, started_on=day, note=note)


@transaction.atomic
def follow(user: User, program: Program, today) -> Plan:
    Plan.objects.filter(user=user, active=True).update(active=False)
    return Plan.objects.create(
        user=user,
        program=program,
        starts_on=today,
        weeks=program.weeks,
        sessions_per_day=program.sessions_per_day,
    )
