"""Writes of a person's own programs: create, copy, and add, move or remove steps."""

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from backcare.models import User
from programs.models import Exercise, Program, ProgramStep
from programs.phases import PHASE_RANK


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
            **step.overrides,
        )
        for step in program.steps.all()
    )
    return copy


def latest_copy(owner: User, program: Program) -> Program | None:
    """The program itself if it is the user's, else their latest copy of it, if any."""
    if program.owner_id == owner.pk:
        return program
    return Program.objects.filter(owner=owner, copied_from=program).order_by("-pk").first()


def own_copy(owner: User, program: Program) -> Program:
    """The program itself if it is the user's, else their latest copy (made if needed)."""
    return latest_copy(owner, program) or copy_program(owner, program)


def _renumber(program: Program) -> None:
    steps = list(program.steps.order_by("order", "pk"))
    for number, step in enumerate(steps, start=1):
        step.order = number
    ProgramStep.objects.bulk_update(steps, ["order"])


class ProgramTooBig(Exception):
    """The change would take the program past a size limit; the message says which."""


@transaction.atomic
def add_step(program: Program, exercise: Exercise) -> ProgramStep:
    """Add an exercise where what it is puts it: after the last step of its phase or one
    before it in the warm-up, main, cool-down order."""
    steps = list(program.steps.order_by("order", "pk").select_related("exercise"))
    if problem := program.size_problem([step.dose for step in steps] + [exercise.dose]):
        raise ProgramTooBig(problem)
    phase = exercise.phase
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


def _exercise_slug(owner: User, name: str) -> str:
    """A slug no library exercise and no other person's exercise has."""
    base = f"my-{owner.pk}-{slugify(name)[:40] or 'exercise'}"
    taken = set(Exercise.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def save_own_exercise(owner: User, exercise: Exercise, groups: dict) -> Exercise:
    """Save a person's own exercise with the muscle groups it works."""
    exercise.owner = owner
    if not exercise.slug:
        exercise.slug = _exercise_slug(owner, exercise.name)
    exercise.save()
    exercise.primary_muscles.set(groups["primary_muscles"])
    exercise.secondary_muscles.set(groups["secondary_muscles"])
    return exercise
