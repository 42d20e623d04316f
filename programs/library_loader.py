"""Load the exercise library and curated programs from `programs/data/library.toml`.

Idempotent: rows are matched by slug and updated in place, so a second run changes
nothing, a changed file updates what changed, and nothing a user made is touched
(user programs have an owner; only programs without one are curated).
"""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from programs import figures
from programs.models import Exercise, MuscleGroup, Program, ProgramStep
from programs.phases import program_order_problem

LIBRARY_FILE = Path(__file__).resolve().parent / "data" / "library.toml"
EXERCISE_FIELDS = (
    "name",
    "kind",
    "position",
    "tv_friendly",
    "summary",
    "instructions",
    "cautions",
    *Exercise.FIELDS,
    "max_hold_seconds",
    "max_reps",
    "max_sets",
)


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool) -> None:
        bucket = self.created if created else self.updated
        bucket[kind] = bucket.get(kind, 0) + 1

    def __str__(self) -> str:
        kinds = ("muscle groups", "exercises", "programs", "program steps")
        return ", ".join(
            f"{kind}: {self.created.get(kind, 0)} new, {self.updated.get(kind, 0)} updated"
            for kind in kinds
        )


def read_library(path: Path = LIBRARY_FILE) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


@transaction.atomic
def load_library(path: Path = LIBRARY_FILE) -> LoadReport:
    data = read_library(path)
    if path == LIBRARY_FILE:
        # The drawn figures are loaded with the library: every exercise has one.
        figures.check_exercises(figures.figures(), data["exercise"])
    report = LoadReport()
    groups = _load_groups(data["muscle_group"], report)
    exercises = _load_exercises(data["exercise"], groups, report)
    _link_variants(data["exercise"], exercises)
    for position, item in enumerate(data["program"]):
        _load_program(position, item, exercises, report)
    return report


def _load_groups(items: list[dict], report: LoadReport) -> dict[str, MuscleGroup]:
    groups: dict[str, MuscleGroup] = {}
    for position, item in enumerate(items):
        group, created = MuscleGroup.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "name": item["name"],
                "plain_name": item.get("plain_name", ""),
                "region": item["region"],
                "summary": item.get("summary", ""),
                "position": position,
            },
        )
        groups[group.slug] = group
        report.count("muscle groups", created)
    return groups


def _exercise(item: dict) -> Exercise:
    """An exercise as the file describes it, checked by the model's own validators."""
    defaults = Exercise()  # the model's defaults for what the file leaves out
    exercise = Exercise(
        slug=item["slug"],
        name=item["name"],
        kind=item["kind"],
        position=item["position"],
        tv_friendly=item.get("tv_friendly", False),
        summary=item.get("summary", ""),
        instructions="\n".join(item["instructions"]),
        cautions="\n".join(item.get("cautions", [])),
        **{name: item.get(name, getattr(defaults, name)) for name in Exercise.FIELDS},
        max_hold_seconds=item.get("max_hold_seconds") or None,
        max_reps=item.get("max_reps"),
        max_sets=item.get("max_sets"),
    )
    exercise.full_clean(exclude=["slug", "easier_variant", "harder_variant"])
    return exercise


def _load_exercises(
    items: list[dict], groups: dict[str, MuscleGroup], report: LoadReport
) -> dict[str, Exercise]:
    exercises: dict[str, Exercise] = {}
    for item in items:
        values = _exercise(item)
        defaults = {name: getattr(values, name) for name in EXERCISE_FIELDS}
        exercise, created = Exercise.objects.update_or_create(slug=item["slug"], defaults=defaults)
        exercise.primary_muscles.set([groups[slug] for slug in item["primary"]])
        exercise.secondary_muscles.set([groups[slug] for slug in item.get("secondary", [])])
        exercises[exercise.slug] = exercise
        report.count("exercises", created)
    return exercises


def _link_variants(items: list[dict], exercises: dict[str, Exercise]) -> None:
    for item in items:
        exercise = exercises[item["slug"]]
        easier = exercises[item["easier"]] if item.get("easier") else None
        harder = exercises[item["harder"]] if item.get("harder") else None
        if exercise.easier_variant != easier or exercise.harder_variant != harder:
            exercise.easier_variant, exercise.harder_variant = easier, harder
            exercise.save(update_fields=["easier_variant", "harder_variant"])


def _load_program(
    position: int, item: dict, exercises: dict[str, Exercise], report: LoadReport
) -> None:
    problem = program_order_problem(
        [exercises[step["exercise"]].step_kind() for step in item["step"]]
    )
    if problem:
        raise ValidationError(f"Program {item['slug']}: {problem}")
    program, created = Program.objects.update_or_create(
        slug=item["slug"],
        owner=None,
        defaults={
            "name": item["name"],
            "summary": item.get("summary", ""),
            "description": item.get("description", ""),
            "weeks": item["weeks"],
            "sessions_per_day": item["sessions_per_day"],
            "position": position,
        },
    )
    report.count("programs", created)
    _sync_steps(program, item["step"], exercises, report)


def _sync_steps(
    program: Program, items: list[dict], exercises: dict[str, Exercise], report: LoadReport
) -> None:
    """Update the program's steps in place by position; add or remove only the difference."""
    existing = list(program.steps.order_by("order", "pk"))
    for order, item in enumerate(items, start=1):
        values = {
            "exercise": exercises[item["exercise"]],
            "phase": exercises[item["exercise"]].phase,
            "order": order,
            **{name: item.get(name) for name in ProgramStep.OVERRIDABLE},
        }
        if order <= len(existing):
            step = existing[order - 1]
            changed = any(getattr(step, name) != value for name, value in values.items())
            if changed:
                for name, value in values.items():
                    setattr(step, name, value)
                step.save()
                report.count("program steps", False)
        else:
            ProgramStep.objects.create(program=program, **values)
            report.count("program steps", True)
    for step in existing[len(items) :]:
        step.delete()
