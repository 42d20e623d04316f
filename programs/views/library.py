"""Library, muscle group and program pages."""

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from programs.forms import LibraryFilterForm
from programs.models import Exercise, MuscleGroup, Program, Suggestion


@require_safe
def library(request: HttpRequest) -> HttpResponse:
    form = LibraryFilterForm(request.GET or None)
    exercises = Exercise.objects.library().with_muscles()
    status = 200
    if form.is_bound:
        if form.is_valid():
            exercises = form.filter(exercises)
        else:
            exercises = exercises.none()
            status = 400
    context = {"form": form, "exercises": exercises, "groups": MuscleGroup.objects.all()}
    partial = request.htmx and not request.htmx.history_restore_request
    template = "programs/library.html#update" if partial else "programs/library.html"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_safe
def exercise_detail(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = get_object_or_404(
        Exercise.objects.library()
        .with_muscles()
        .select_related("easier_variant", "harder_variant"),
        slug=slug,
    )
    programs = (
        Program.objects.visible_to(request.user)
        .filter(steps__exercise=exercise)
        .distinct()
        .order_by("position")
    )
    return render(request, "programs/exercise.html", {"exercise": exercise, "programs": programs})


@require_safe
def muscle_group_list(request: HttpRequest) -> HttpResponse:
    groups = MuscleGroup.objects.annotate(
        primary_count=Count(
            "primary_exercises", filter=Q(primary_exercises__owner__isnull=True), distinct=True
        ),
    )
    # Grouped by region on the page, regions in their usual head-to-toe order.
    region_order = {region: index for index, region in enumerate(MuscleGroup.Region.values)}
    groups = sorted(groups, key=lambda group: (region_order[group.region], group.position))
    return render(request, "programs/muscle_group_list.html", {"groups": groups})


@require_safe
def muscle_group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(MuscleGroup, slug=slug)
    primary = Exercise.objects.library().filter(primary_muscles=group).with_muscles()
    secondary = Exercise.objects.library().filter(secondary_muscles=group).with_muscles()
    programs = (
        Program.objects.visible_to(request.user)
        .filter(
            Q(steps__exercise__primary_muscles=group) | Q(steps__exercise__secondary_muscles=group)
        )
        .distinct()
        .order_by("position", "name")
    )
    return render(
        request,
        "programs/muscle_group.html",
        {"group": group, "primary": primary, "secondary": secondary, "programs": programs},
    )


@require_safe
def program_list(request: HttpRequest) -> HttpResponse:
    return programs_page(request)


def programs_page(request: HttpRequest, status: int = 200, **extra) -> HttpResponse:
    """The programs, curated and the person's own; also shown when a start was refused."""
    programs = list(Program.objects.visible_to(request.user).with_steps())
    context = {
        "curated": [p for p in programs if p.is_curated],
        "own": [p for p in programs if not p.is_curated],
        **extra,
    }
    return render(request, "programs/program_list.html", context, status=status)


@require_safe
def program_detail(request: HttpRequest, slug: str) -> HttpResponse:
    curated = Program.objects.curated().with_steps()
    return program_page(request, get_object_or_404(curated, slug=slug))


def program_page(
    request: HttpRequest, program: Program, status: int = 200, **extra
) -> HttpResponse:
    """A curated program's page; with the reason when a start or a decision was refused."""
    suggestions = Suggestion.objects.none()
    if request.user.is_authenticated:
        suggestions = program.suggestions.pending().filter(user=request.user).with_related()
    context = {"program": program, "suggestions": suggestions, **extra}
    return render(request, "programs/program.html", context, status=status)
