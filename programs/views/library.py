"""Library, muscle group and program pages."""

from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from programs.forms import LibraryFilterForm
from programs.models import Exercise, MuscleGroup, Program, ProgramStep


def visible_programs(request: HttpRequest):
    """Curated programs, plus the signed-in user's own."""
    programs = Program.objects.all()
    if request.user.is_authenticated:
        return programs.filter(Q(owner__isnull=True) | Q(owner=request.user))
    return programs.filter(owner__isnull=True)


def _program_steps_prefetch() -> Prefetch:
    return Prefetch(
        "steps",
        queryset=ProgramStep.objects.select_related("exercise").prefetch_related(
            "exercise__primary_muscles", "exercise__secondary_muscles"
        ),
    )


@require_safe
def library(request: HttpRequest) -> HttpResponse:
    form = LibraryFilterForm(request.GET or None)
    exercises = Exercise.objects.with_muscles()
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
        Exercise.objects.with_muscles().select_related("easier_variant", "harder_variant"),
        slug=slug,
    )
    programs = (
        visible_programs(request).filter(steps__exercise=exercise).distinct().order_by("position")
    )
    return render(request, "programs/exercise.html", {"exercise": exercise, "programs": programs})


@require_safe
def muscle_group_list(request: HttpRequest) -> HttpResponse:
    groups = MuscleGroup.objects.annotate(
        primary_count=Count("primary_exercises", distinct=True),
    )
    # Grouped by region on the page, regions in their usual head-to-toe order.
    region_order = {region: index for index, region in enumerate(MuscleGroup.Region.values)}
    groups = sorted(groups, key=lambda group: (region_order[group.region], group.position))
    return render(request, "programs/muscle_group_list.html", {"groups": groups})


@require_safe
def muscle_group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(MuscleGroup, slug=slug)
    primary = Exercise.objects.filter(primary_muscles=group).with_muscles()
    secondary = Exercise.objects.filter(secondary_muscles=group).with_muscles()
    programs = (
        visible_programs(request)
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
    programs = list(visible_programs(request).prefetch_related(_program_steps_prefetch()))
    return render(
        request,
        "programs/program_list.html",
        {
            "curated": [p for p in programs if p.is_curated],
            "own": [p for p in programs if not p.is_curated],
        },
    )


@require_safe
def program_detail(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_object_or_404(
        visible_programs(request)
        .filter(owner__isnull=True)
        .prefetch_related(_program_steps_prefetch()),
        slug=slug,
    )
    suggestions = []
    if request.user.is_authenticated:
        suggestions = program.suggestions.filter(
            user=request.user, status="pending"
        ).select_related("exercise", "variant")
    return render(
        request, "programs/program.html", {"program": program, "suggestions": suggestions}
    )
