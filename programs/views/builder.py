"""The program builder, progression suggestions, flare-ups and the plan."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from programs import builder
from programs.forms import AddStepForm, FlareUpForm, ProgramForm, StepForm
from programs.models import Exercise, Program, ProgramStep, Suggestion
from programs.phases import phase_order_problem
from programs.views.library import visible_programs

SEARCH_RESULTS = 12


def _own_program(request: HttpRequest, pk: int) -> Program:
    """The signed-in user's own program, or 404: nobody sees another person's programs."""
    return get_object_or_404(
        Program.objects.filter(owner=request.user).prefetch_related(
            Prefetch(
                "steps",
                queryset=ProgramStep.objects.select_related("exercise").prefetch_related(
                    "exercise__primary_muscles", "exercise__secondary_muscles"
                ),
            )
        ),
        pk=pk,
    )


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
    return {
        "program": program,
        "rows": [
            (step, forms.get(step.pk) or StepForm(instance=step, prefix=f"s{step.pk}"))
            for step in steps
        ],
        "problem": phase_order_problem([step.phase for step in steps]),
        "suggestions": Suggestion.objects.filter(user=request.user, status="pending")
        .filter(Q(program=program) | Q(program=program.copied_from_id))
        .select_related("exercise", "variant")
        if program.pk
        else [],
        "add_form": AddStepForm(),
        "program_form": extra.pop("program_form", None) or ProgramForm(instance=program),
        **extra,
    }


def _steps_response(request: HttpRequest, program: Program, status: int = 200, **extra):
    """After a change: the steps part for HTMX, the whole page otherwise."""
    program = _own_program(request, program.pk)
    if request.htmx:
        return render(
            request,
            "programs/builder.html#steps",
            _builder_context(request, program, **extra),
            status=status,
        )
    if status >= 400:
        return render(
            request,
            "programs/builder.html",
            _builder_context(request, program, **extra),
            status=status,
        )
    return redirect(program)


@login_required
@require_http_methods(["GET", "POST"])
def program_new(request: HttpRequest) -> HttpResponse:
    form = ProgramForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        program = builder.create_program(request.user, **form.cleaned_data)
        messages.success(request, _("Program created. Now add exercises to it."))
        return redirect(program)
    status = 400 if form.errors else 200
    return render(request, "programs/program_new.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def program_builder(request: HttpRequest, pk: int) -> HttpResponse:
    program = _own_program(request, pk)
    form = ProgramForm(request.POST if request.method == "POST" else None, instance=program)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Program saved."))
        return redirect(program)
    status = 400 if form.errors else 200
    return render(
        request,
        "programs/builder.html",
        _builder_context(request, program, program_form=form),
        status=status,
    )


@login_required
@require_safe
def exercise_search(request: HttpRequest, pk: int) -> HttpResponse:
    program = _own_program(request, pk)
    # NUL characters can never match and PostgreSQL refuses them in a query: drop them.
    text = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    exercises = Exercise.objects.order_by("name")
    if text:
        exercises = exercises.filter(Q(name__icontains=text) | Q(summary__icontains=text))
    found = {"results": exercises[:SEARCH_RESULTS], "q": text}
    if request.htmx:
        return render(request, "programs/builder.html#results", {"program": program, **found})
    return render(request, "programs/builder.html", _builder_context(request, program, **found))


@login_required
@require_POST
def step_add(request: HttpRequest, pk: int) -> HttpResponse:
    program = _own_program(request, pk)
    form = AddStepForm(request.POST)
    if not form.is_valid():
        return _steps_response(request, program, status=400, add_errors=form.errors)
    builder.add_step(program, form.cleaned_data["exercise"], form.cleaned_data["phase"])
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
    builder.move_step(step, offset)
    return _steps_response(request, step.program)


@login_required
@require_POST
def step_remove(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    step = _own_step(request, pk, step_pk)
    builder.remove_step(step)
    return _steps_response(request, step.program)


@login_required
@require_http_methods(["GET", "POST"])
def program_delete(request: HttpRequest, pk: int) -> HttpResponse:
    program = _own_program(request, pk)
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
    copy = builder.copy_program(request.user, program)
    messages.success(request, _("This copy is yours: change it as you like."))
    return redirect(copy)


@login_required
@require_POST
def suggestion_decide(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = get_object_or_404(Suggestion, pk=pk, user=request.user)
    accept = request.POST.get("decision") == "accept"
    if request.POST.get("decision") not in {"accept", "dismiss"}:
        return render(
            request,
            "programs/session_error.html",
            {"session": None, "message": _("Choose to accept or dismiss the suggestion.")},
            status=400,
        )
    program = builder.decide(suggestion, accept)
    if accept and program is not None:
        messages.success(
            request,
            _("Changed in %(name)s: your next session uses the new dose.") % {"name": program.name},
        )
    else:
        messages.info(request, _("Suggestion dismissed."))
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(program or "programs:programs")


@login_required
@require_POST
def flare_up(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = FlareUpForm(request.POST, today=today)
    if not form.is_valid():
        return render(request, "programs/flare_up.html", {"form": form}, status=400)
    builder.record_flare_up(
        request.user, form.cleaned_data["started_on"], form.cleaned_data["note"]
    )
    messages.info(
        request,
        _(
            "Flare-up noted. Rest for a day or two, moving gently around the house; then start "
            "again with gentle exercise. Too much rest makes backs stiffer."
        ),
    )
    return redirect("home")


@login_required
@require_safe
def flare_up_form(request: HttpRequest) -> HttpResponse:
    return render(
        request, "programs/flare_up.html", {"form": FlareUpForm(today=timezone.localdate())}
    )


@login_required
@require_POST
def plan_follow(request: HttpRequest) -> HttpResponse:
    try:
        pk = int(request.POST.get("program", ""))
    except ValueError:
        pk = 0
    program = get_object_or_404(visible_programs(request), pk=pk)
    builder.follow(request.user, program, timezone.localdate())
    messages.success(
        request,
        _("You are following %(name)s: %(n)s a day for %(weeks)s weeks. Home shows what is due.")
        % {"name": program.name, "n": program.sessions_per_day, "weeks": program.weeks},
    )
    return redirect("home")


@login_required
@require_POST
def plan_stop(request: HttpRequest) -> HttpResponse:
    request.user.plans.filter(active=True).update(active=False)
    messages.info(request, _("You are no longer following a plan."))
    return redirect("home")
