"""The figure review sheet: every exercise's figure, pose by pose, beside its instructions."""

from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from programs.figures import figure_svg
from programs.models import Exercise

STILL_SIZE = 72
STRIP_SIZE = 132


def sheet_rows(exercises: Iterable[Exercise]) -> list[dict]:
    """Each exercise with its small still figure and its strip of key poses."""
    rows = []
    for exercise in exercises:
        steps = exercise.instruction_list
        first = steps[0] if steps else ""
        label = f"{exercise.name}: {first}" if first else exercise.name
        rows.append(
            {
                "exercise": exercise,
                "first_instruction": first,
                "still": figure_svg(exercise.slug, "still", label=label, size=STILL_SIZE),
                "strip": figure_svg(exercise.slug, "strip", label=label, size=STRIP_SIZE),
            }
        )
    return rows


@require_safe
def figure_sheet(request: HttpRequest) -> HttpResponse:
    rows = sheet_rows(Exercise.objects.library().order_by("name"))
    return render(request, "programs/figure_sheet.html", {"rows": rows})
