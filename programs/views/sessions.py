"""The session runner: start, pain before, the steps, "It hurts", pain after, the summary.

Each view asks the session where it stands (`Session.standing()`) and either shows its
page or sends the person to the page the session is on now.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from backcare.prepared import Read
from programs import records, runner
from programs.curated import startable_program
from programs.forms import CompletionForm, HurtsForm, PainForm, StartSessionForm, error_text
from programs.models import PainReport, Program, Session, SessionStep
from programs.pace import BeforeSession, PainOutcome, matching_rule
from programs.services import sessions as services
from programs.session_flow import Page, Stage, Standing, refusal_to_skip, screening_first
from programs.views.builder import builder_page
from programs.views.library import program_page, programs_page

STAGE_URLS = {
    Stage.PAIN_BEFORE: "programs:session-pain-before",
    Stage.GENTLE_CHOICE: "programs:session-choose",
    Stage.STEPS: "programs:session-run",
    Stage.COOLDOWN_OFFER: "programs:session-stopped",
    Stage.PAIN_AFTER: "programs:session-pain-after",
    Stage.SUMMARY: "programs:session-summary",
}


# Every page of a session and every step begin with one of these reads.
SESSION_OF_PERSON = Read(Session, "pk", "user_id")
STEP_OF_PERSON = Read(SessionStep, "pk", "session_id", "session__user_id", joined="session")


def own_session(request: HttpRequest, pk: int) -> Session:
    """The signed-in user's session, or 404: nobody sees another person's session."""
    session = SESSION_OF_PERSON.one(pk, request.user.pk)
    if session is None:
        raise Http404(_("No such session."))
    session.user = request.user  # the same object, so preferences and safety are current
    return session


def _own_step(request: HttpRequest, pk: int, step_pk: int) -> SessionStep:
    """A step of the signed-in user's session, with the session, in one read; or 404."""
    step = STEP_OF_PERSON.one(step_pk, pk, request.user.pk)
    if step is None:
        raise Http404(_("No such step."))
    step.session.user = request.user  # as own_session does
    return step


def posted_data(request: HttpRequest):
    """POST data for a form, or None on GET: an empty POST is still a (bad) submission."""
    return request.POST if request.method == "POST" else None


def _steps(session: Session) -> list[SessionStep]:
    return list(
        session.steps.select_related("exercise", "planned_exercise", "completion").prefetch_related(
            Prefetch("exercise__primary_muscles"),
            Prefetch("exercise__secondary_muscles"),
            "muscle_groups",
        )
    )


def stage_url(session: Session, standing: Standing | None = None) -> str:
    """The address of the page a session should be on now, so a reload or another device
    lands right."""
    standing = standing or session.standing()
    if standing.stage == Stage.SCREENING:
        return f"{reverse('programs:safety')}?session={session.pk}"
    return reverse(STAGE_URLS[standing.stage], args=[session.pk])


def _wants_json(request: HttpRequest) -> bool:
    """The runner's script asks for JSON with its Accept header; browsers prefer HTML."""
    accept = request.headers.get("Accept", "")
    if accept == "application/json":
        return True  # as the runner's outbox sends it: nothing to weigh
    if "json" not in accept:
        return False  # HTML comes first, even for */*
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def _safety_due(user) -> bool:
    return user.screening_due or user.notice_acknowledged_at is None


def refused_start(request: HttpRequest, program: Program | None, message: str) -> HttpResponse:
    """A start that cannot happen: the program's own page again, with the reason at its
    start button (the list of programs when no program could be read)."""
    if program is None:
        return programs_page(request, start_error=message, status=400)
    if program.is_curated:
        return program_page(request, program, start_error=message, status=400)
    return builder_page(request, program, start_error=message, status=400)


@login_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    form = StartSessionForm(request.POST)
    if not form.is_valid():
        return refused_start(request, None, " ".join(form.errors["program"]))
    # Someone else's program is as good as missing: 404, never a hint that it exists.
    program = startable_program(request.user, form.cleaned_data["program"])
    if program is None:
        raise Http404(_("No such program."))
    problem = program.order_problem() or program.size_problem()
    if problem:
        return refused_start(request, program, problem)
    if _safety_due(request.user):
        return redirect(f"{reverse('programs:safety')}?program={program.pk}")
    return start_program(request, program, replace=form.cleaned_data["replace"])


def start_program(request: HttpRequest, program: Program, replace: bool = False) -> HttpResponse:
    try:
        session = services.start_session(request.user, program, replace_unfinished=replace)
    except services.UnfinishedSessionExists as error:
        return render(
            request,
            "programs/session_unfinished.html",
            {"unfinished": error.session, "program": program},
            status=409,
        )
    return redirect(stage_url(session, session.standing(session.copied_steps)))


@login_required
@require_safe
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return redirect(stage_url(own_session(request, pk)))


BEFORE_MESSAGES = {
    BeforeSession.GENTLER: gettext_lazy(
        "Your back hurts today, so this session is gentler: shorter holds, fewer repetitions, "
        "or easier versions."
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def pain_before(request: HttpRequest, pk: int) -> HttpResponse:
    session = own_session(request, pk)
    if not session.standing().allows(Page.PAIN_BEFORE):
        return redirect(stage_url(session))
    form = PainForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        rule = services.record_pain_before(session, form.cleaned_data["pain"])
        if rule in BEFORE_MESSAGES:
            messages.info(request, BEFORE_MESSAGES[rule])
        return redirect(stage_url(session))
    return _pain_check(request, session, form, "before")


@login_required
@require_http_methods(["GET", "POST"])
def choose(request: HttpRequest, pk: int) -> HttpResponse:
    """How gently to go on when the back hurts a lot: this session made gentler, a gentler
    program, or rest today. Never a dead end."""
    session = own_session(request, pk)
    choices = list(Program.objects.gentler_choices().with_steps())
    if request.method == "POST":
        return _chosen(request, session, request.POST.get("choice", ""), choices)
    if not session.standing().allows(Page.GENTLE_CHOICE):
        return redirect(stage_url(session))
    return _choice_page(request, session, choices)


def _choice_page(request, session, choices, error: str = "", status: int = 200):
    context = {"session": session, "programs": choices, "error": error}
    return render(request, "programs/gentle_choice.html", context, status=status)


def _chosen(request: HttpRequest, session: Session, choice: str, choices: list[Program]):
    switch_to = {f"program-{program.pk}": program for program in choices}
    if choice == "gentle":
        services.go_on_gently(session)
    elif choice == "rest":
        services.abandon_session(session)
        messages.info(request, REST_TODAY)
        return redirect("home")
    elif choice in switch_to:
        try:
            session = services.switch_program(session, switch_to[choice])
        except services.SessionError as error:
            return _choice_page(request, session, choices, error.message, error.status)
    else:
        message = _("Choose one of the ways to go on, or rest today.")
        return _choice_page(request, session, choices, message, status=400)
    return redirect(stage_url(session))


REST_TODAY = gettext_lazy(
    "Rest today: lie down when you need to and move gently around the house. A day or two of "
    "rest helps; come back to gentle exercise after that."
)


def _pain_check(request: HttpRequest, session: Session, form: PainForm, moment: str):
    """The pain question before or after a session; 400 when the answer was refused."""
    return render(
        request,
        "programs/pain_check.html",
        {"session": session, "form": form, "moment": moment},
        status=400 if form.errors else 200,
    )


@login_required
@require_safe
def run(request: HttpRequest, pk: int) -> HttpResponse:
    session = own_session(request, pk)
    steps = _steps(session)
    standing = session.standing(steps)
    if not standing.allows(Page.RUNNER):
        return redirect(stage_url(session, standing))
    return _runner_page(request, session, steps)


def _runner_page(
    request: HttpRequest, session: Session, steps: list, error: str = "", status: int = 200
) -> HttpResponse:
    items = runner.runner_items(session, steps, request.user.lead_in_seconds)
    current = next(item for item in items if not item.done)
    return render(
        request,
        "programs/runner.html",
        {
            "session": session,
            "items": items,
            "current": current,
            "data": runner.runner_data(session, items),
            "total_seconds": sum(item.seconds for item in items),
            "done_seconds": sum(item.seconds for item in items if item.done),
            "hurts_form": HurtsForm(initial={"step": current.step.pk}),
            # Asked on the runner itself when the last step ends offline.
            "pain_after_form": PainForm(),
            "error": error,
            "gentler_programs": _gentler_programs(session, items),
            "figures_now": _figures_now(items, current),
        },
        status=status,
    )


def _figures_now(items: list, current) -> set[int]:
    """The steps whose figures come with the page: the one on show and the one after it.
    The rest follow once the person starts (`figures`), keeping the first load light."""
    at = items.index(current)
    following = next((item for item in items[at + 1 :] if not item.done), None)
    return {item.step.pk for item in (current, following) if item is not None}


@login_required
@require_safe
def figures(request: HttpRequest, pk: int) -> HttpResponse:
    """Every step's moving figure, for the runner's script to fill in after Start."""
    session = own_session(request, pk)
    steps = session.steps.select_related("exercise")
    return render(request, "programs/runner_figures.html", {"steps": steps})


def _gentler_programs(session: Session, items: list) -> list[Program]:
    """Offered while nothing is done yet, when the back hurts before the session."""
    hurts_today = session.gentler_because == Session.GentlerBecause.PAIN_BEFORE
    if not hurts_today or any(item.done for item in items) or not session.is_unfinished:
        return []
    return [p for p in Program.objects.gentler_choices() if p.pk != session.program_id]


@login_required
@require_POST
def complete(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    step = _own_step(request, pk, step_pk)
    session = step.session
    form = CompletionForm(request.POST)
    try:
        if refusal := screening_first(session.facts()):
            raise services.SessionError.of(refusal)
        if not form.is_valid():
            raise services.SessionError(error_text(form))
        answer = form.cleaned_data
        if refusal := refusal_to_skip(step.is_warmup, answer["skipped"], answer["confirm_skip"]):
            raise services.SessionError.of(refusal)
        result = services.complete_step(
            session, step, answer["key"], answer["seconds_done"], answer["skipped"]
        )
    except services.SessionError as error:
        return _completion_refused(request, session, error)
    status = 201 if result.created else 200
    if _wants_json(request):
        answer = {"created": result.created, "done": result.done, "total": result.total}
        return JsonResponse(answer, status=status)
    if request.htmx:
        # A line of text that needs nothing of the request: no context processors run.
        saved = get_template("programs/runner.html#saved").render({"result": result})
        return HttpResponse(saved, status=status)
    # 303: the browser follows with a GET, so reloading never posts again.
    return redirect_after_post(stage_url(session))


def redirect_after_post(url: str) -> HttpResponse:
    response = redirect(url)
    response.status_code = 303
    return response


def _completion_refused(request: HttpRequest, session: Session, error: services.SessionError):
    """The script gets the reason; a plain form gets the runner again with the reason on it."""
    if _wants_json(request):
        return JsonResponse({"error": error.message}, status=error.status)
    if request.htmx:
        context = {"message": error.message}
        return render(request, "programs/runner.html#error", context, status=error.status)
    steps = _steps(session)
    if not session.standing(steps).allows(Page.RUNNER):
        return redirect_after_post(stage_url(session))
    return _runner_page(request, session, steps, error=error.message, status=error.status)


@login_required
@require_http_methods(["GET", "POST"])
def hurts(request: HttpRequest, pk: int) -> HttpResponse:
    """How much it hurts, then the choice: take it more slowly or stop, always (and carry
    on gently where the rule allows), with the rule's recommendation marked."""
    session = own_session(request, pk)
    form = HurtsForm(posted_data(request), initial={"step": request.GET.get("step")})
    if request.method == "POST" and form.is_valid() and form.cleaned_data["choice"]:
        step = None
        if form.cleaned_data["step"]:
            step = get_object_or_404(SessionStep, pk=form.cleaned_data["step"], session=session)
        try:
            outcome = services.report_pain(
                session,
                step,
                form.cleaned_data["level"],
                key=form.cleaned_data["key"],
                choice=form.chosen and PainOutcome(form.chosen),
            )
        except services.SessionError as error:
            form.add_error("choice" if error.status == 400 else None, error.message)
            return _hurts_page(request, session, form, status=error.status)
        return _reported(request, session, outcome)
    return _hurts_page(request, session, form, status=400 if form.errors else 200)


def _hurts_page(request: HttpRequest, session: Session, form: HurtsForm, status: int):
    context = {"session": session, "form": form, "rule": None}
    if form.is_bound and not form.errors:
        # The level alone (the page without script): what the rule recommends, and why.
        context["rule"] = matching_rule(form.cleaned_data["level"], session.pain_before)
    if _wants_json(request) and form.errors:
        html = render_to_string("programs/hurts.html#form", context, request=request)
        return JsonResponse({"error": error_text(form), "form": html}, status=status)
    return render(request, "programs/hurts.html", context, status=status)


PAIN_MESSAGES = {
    PainOutcome.CARRY_ON: gettext_lazy("Carry on gently, and report again if it gets worse."),
    PainOutcome.SLOWER: gettext_lazy(
        "The rest of this session is gentler now: shorter holds, fewer repetitions or easier "
        "versions. Move slowly and stop if it gets worse."
    ),
}


def _reported(request: HttpRequest, session: Session, outcome: PainOutcome) -> HttpResponse:
    """After a pain report: the script carries on by itself or goes where the session is;
    straight to the warning-signs questions when they are due."""
    target = session.get_absolute_url()
    if screening_first(session.facts()):
        target = stage_url(session)
    if _wants_json(request):
        return JsonResponse({"outcome": outcome.value, "next": target})
    if request.htmx:
        response = HttpResponse(status=204)
        response["BackCare-Outcome"] = outcome.value
        response["HX-Redirect"] = target
        return response
    if outcome in PAIN_MESSAGES:
        messages.info(request, PAIN_MESSAGES[outcome])
    return redirect(target)


@login_required
@require_safe
def stopped(request: HttpRequest, pk: int) -> HttpResponse:
    session = own_session(request, pk)
    steps = _steps(session)
    standing = session.standing(steps)
    if not standing.allows(Page.STOPPED):
        return redirect(stage_url(session, standing))
    cooldown = [step for step in steps if step.position in standing.open_positions]
    return render(
        request,
        "programs/stopped.html",
        {
            "session": session,
            "cooldown": cooldown,
            "cooldown_seconds": runner.cooldown_seconds(cooldown, request.user.lead_in_seconds),
            "report": session.pain_reports.order_by("-reported_at").first(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def pain_after(request: HttpRequest, pk: int) -> HttpResponse:
    session = own_session(request, pk)
    if not session.standing().allows(Page.PAIN_AFTER):
        # Already answered (a retry from the runner's outbox) or not due yet.
        return _went_on(request, stage_url(session))
    form = PainForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        if services.finish_session(session, form.cleaned_data["pain"]):
            # Pain of 8 or more after: the warning-signs questions before the summary.
            return _went_on(request, f"{reverse('programs:safety')}?session={session.pk}")
        return _went_on(request, stage_url(session))
    if _wants_json(request) and form.errors:
        return JsonResponse({"error": error_text(form)}, status=400)
    return _pain_check(request, session, form, "after")


def _went_on(request: HttpRequest, target: str) -> HttpResponse:
    """Where to go next: a redirect, or for the runner's outbox the address as JSON."""
    if _wants_json(request):
        return JsonResponse({"next": target})
    return redirect(target)


@login_required
@require_safe
def summary(request: HttpRequest, pk: int) -> HttpResponse:
    session = own_session(request, pk)
    steps = _steps(session)
    standing = session.standing(steps)
    if not standing.allows(Page.SUMMARY):
        return redirect(stage_url(session, standing))
    done = [s for s in steps if s.completion_or_none and not s.completion.skipped]
    context = {
        "session": session,
        "done": done,
        "skipped": [s for s in steps if _left(s) and not _not_reached(s)],
        "not_reached": [s for s in steps if _not_reached(s)],
        "groups": SessionStep.main_groups(done),
        "seconds": sum(step.completion.seconds_done for step in done),
        "pain_reports": PainReport.objects.filter(session=session).select_related("step__exercise"),
        "gentle_program": Program.objects.gentle_start(),
        "goals_moved": records.goals_moved(session, done, request.user.today()),
        "suggestions": session.suggestions.pending().with_related(),
    }
    return render(request, "programs/summary.html", context)


def _left(step: SessionStep) -> bool:
    return step.completion_or_none is None or step.completion.skipped


def _not_reached(step: SessionStep) -> bool:
    """Left because the session stopped (or was left) before it came, not by choice."""
    completion = step.completion_or_none
    return completion.not_reached if completion else step.session.is_abandoned


@login_required
@require_POST
def abandon(request: HttpRequest, pk: int) -> HttpResponse:
    session = own_session(request, pk)
    services.abandon_session(session)
    messages.info(request, _("You left the session. The steps you did are kept in your history."))
    return redirect("home")
