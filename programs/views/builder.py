"""The program builder: a person's own program, its steps and their doses."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from programs.forms import AddStepForm, ProgramForm, StepForm
from programs.models import Exercise, Program, ProgramStep, Suggestion
from programs.services import programs as services

SEARCH_RESULTS = 12


def own_program(request: HttpRequest, pk: int) -> Program:
    """The signed-in user's own program, or 404: nobody sees another person's programs."""
    return get_object_or_404(Program.objects.filter(owner=request.user).with_steps(), pk=pk)


def _own_step(request: HttpRequest, pk: int, step_pk: int) -> ProgramStep:
    return get_object_or_404(
        ProgramStep.objects.select_related("program"),
        pk=step_pk,
        program__pk=pk,
        program__owner=request.user,
    )


def _builder_context(request: HttpRequest, program: Program, **extra) -> dict:
    steps = list(program.steps.all())
    forms = extra.pop("forms", {})
    suggestions = Suggestion.objects.pending().filter(user=request.user)
    suggestions = suggestions.filter(Q(program=program) | Q(program=program.copied_from_id))
    return {
        "program": program,
        "rows": [
            (step, forms.get(step.pk) or StepForm(instance=step, prefix=f"s{step.pk}"))
            for step in steps
        ],
        "problem": program.order_problem(),
        "suggestions": suggestions.with_related(),
        "add_form": AddStepForm(),
        "program_form": extra.pop("program_form", None) or ProgramForm(instance=program),
        **extra,
    }


def builder_page(request: HttpRequest, program: Program, status: int = 200, **extra):
    """The whole builder page; with the reason when a start or a change was refused."""
    context = _builder_context(request, program, **extra)
    return render(request, "programs/builder.html", context, status=status)


def _steps_response(request: HttpRequest, program: Program, status: int = 200, **extra):
    """After a change: the steps part for HTMX, the whole page otherwise."""
    program = own_program(request, program.pk)
    if request.htmx:
        context = _builder_context(request, program, **extra)
        return render(request, "programs/builder.html#steps", context, status=status)
    if status >= 400:
        return builder_page(request, program, status=status, **extra)
    return redirect(program)


@login_required
@require_http_methods(["GET", "POST"])
def program_new(request: HttpRequest) -> HttpResponse:
    form = ProgramForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        program = services.create_program(request.user, **form.cleaned_data)
        messages.success(request, _("Program created. Now add exercises to it."))
        return redirect(program)
    status = 400 if form.errors else 200
    return render(request, "programs/program_new.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def program_builder(request: HttpRequest, pk: int) -> HttpResponse:
    program = own_program(request, pk)
    form = ProgramForm(request.POST if request.method == "POST" else None, instance=program)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Program saved."))
        return redirect(program)
    return builder_page(request, program, status=400 if form.errors else 200, program_form=form)


@login_required
@require_safe
def exercise_search(request: HttpRequest, pk: int) -> HttpResponse:
    program = own_program(request, pk)
    # NUL characters can never match and PostgreSQL refuses them in a query: drop them.
    text = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    exercises = Exercise.objects.visible_to(request.user).order_by("name")
    if text:
        exercises = exercises.filter(Q(name__icontains=text) | Q(summary__icontains=text))
    found = {"results": exercises[:SEARCH_RESULTS], "q": text}
    if request.htmx:
        return render(request, "programs/builder.html#results", {"program": program, **found})
    return builder_page(request, program, **found)


@login_required
@require_POST
def step_add(request: HttpRequest, pk: int) -> HttpResponse:
    program = own_program(request, pk)
    form = AddStepForm(request.POST, user=request.user)
    if not form.is_valid():
        return _steps_response(request, program, status=400, add_errors=form.errors)
    try:
        services.add_step(program, form.cleaned_data["exercise"])
    except services.ProgramTooBig as error:
        return _steps_response(request, program, status=400, add_errors={"exercise": [error]})
    return _steps_response(request, program)


@login_required
@require_POST
def step_update(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    step = _own_step(request, pk, step_pk)
    form = StepForm(request.POST, instance=step, prefix=f"s{step.pk}")
    if not form.is_valid():
        return _steps_response(request, step.program, status=400, forms={step.pk: form})
    form.save()
    return _steps_response(request, step.program)


@login_required
@require_POST
def step_move(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    step = _own_step(request, pk, step_pk)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if offset is None:
        return _steps_response(
            request, step.program, status=400, move_error=_("Choose up or down.")
        )
    services.move_step(step, offset)
    return _steps_response(request, step.program)


@login_required
@require_POST
def step_remove(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    step = _own_step(request, pk, step_pk)
    services.remove_step(step)
    return _steps_response(request, step.program)


@login_required
@require_http_methods(["GET", "POST"])
def program_delete(request: HttpRequest, pk: int) -> HttpResponse:
    program = own_program(request, pk)
    if request.method == "POST":
        program.delete()
        messages.success(
            request, _("Program deleted. Sessions you did with it stay in your history.")
        )
        return redirect("programs:programs")
    return render(request, "programs/program_delete.html", {"program": program})


@login_required
@require_POST
def program_copy(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_object_or_404(Program.objects.curated(), slug=slug)
    copy = services.copy_program(request.user, program)
    messages.success(request, _("This copy is yours: change it as you like."))
    return redirect(copy)
