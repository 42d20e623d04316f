"""Library, muscle group and program pages."""

from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from programs import page_cache
from programs.forms import LibraryFilterForm
from programs.models import Exercise, MuscleGroup, Program, ProgramStep, Suggestion


@require_safe
def library(request: HttpRequest) -> HttpResponse:
    """The library with its filters: the same for everyone, so it comes from the cache."""
    partial = bool(request.htmx and not request.htmx.history_restore_request)
    filters = sorted(
        (name, request.GET.getlist(name))
        for name in LibraryFilterForm.base_fields
        if name in request.GET
    )
    status, html = page_cache.shared(
        request,
        "library",
        (partial, bool(request.GET), filters),
        lambda: _library_content(request, partial),
    )
    if partial:
        response = HttpResponse(html, status=status)
    else:
        response = render(request, "programs/library.html", {"content": html}, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _library_content(request: HttpRequest, partial: bool) -> tuple[int, str]:
    """The filters and results (or, for an in-place update, the results alone)."""
    form = LibraryFilterForm(request.GET or None)
    exercises = Exercise.objects.library().with_muscles()
    status = 200
    if form.is_bound:
        if form.is_valid():
            exercises = form.filter(exercises)
        else:
            exercises = exercises.none()
            status = 400
    context = {"form": form, "exercises": exercises}
    template = "programs/library.html#update" if partial else "programs/library.html#content"
    return status, render_to_string(template, context)


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
    # The curated list is everyone's: cached. The person's own programs are cached for them
    # alone, until they next change anything of theirs.
    curated = page_cache.shared(
        request,
        "programs",
        (),
        lambda: render_to_string(
            "programs/program_list.html#curated",
            {"curated": Program.objects.curated().with_steps()},
        ),
    )
    own = None
    if request.user.is_authenticated:
        own = page_cache.personal(
            request,
            "own-programs",
            (),
            lambda: render_to_string(
                "programs/program_list.html#own",
                {"own": _own_programs(request.user)},
                request,
            ),
        )
    context = {"curated_html": curated, "own_html": own, **extra}
    return render(request, "programs/program_list.html", context, status=status)


def _own_programs(user) -> list[Program]:
    # A card needs each step's dose, not the groups it works: two queries, not four.
    steps = ProgramStep.objects.select_related("exercise")
    return list(Program.objects.filter(owner=user).prefetch_related(Prefetch("steps", steps)))


@require_safe
def program_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return program_page(request, get_object_or_404(Program.objects.curated(), slug=slug))


def program_page(
    request: HttpRequest, program: Program, status: int = 200, **extra
) -> HttpResponse:
    """A curated program's page; with the reason when a start or a decision was refused.

    What describes the program is the same for everyone and comes from the cache; the
    buttons (with their CSRF tokens) and the person's suggestions are rendered each time."""
    suggestions = Suggestion.objects.none()
    if request.user.is_authenticated:
        suggestions = program.suggestions.pending().filter(user=request.user).with_related()
    parts = page_cache.shared(request, "program", (program.pk,), lambda: _program_parts(program))
    context = {"program": program, "suggestions": suggestions, **parts, **extra}
    return render(request, "programs/program.html", context, status=status)


def _program_parts(program: Program) -> dict[str, str]:
    program = Program.objects.with_steps().get(pk=program.pk)
    return {
        part: render_to_string(f"programs/program.html#{part}", {"program": program})
        for part in ("about", "steps")
    }
