"""The session runner: safety questions, pain before, the steps, pain after, the summary."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from programs import progress, records, services
from programs.forms import CompletionForm, HurtsForm, PainForm, SafetyForm, StartSessionForm
from programs.models import Goal, PainReport, Program, Session, SessionStep
from programs.pace import PainOutcome
from programs.phases import phase_order_problem
from programs.safety import SIGNS_BY_CODE, has_urgent
from programs.timeline import build_timeline, timeline_seconds
from programs.views.library import visible_programs

STEP_LABELS = {
    "lead_in": gettext_lazy("Get ready"),
    "hold": gettext_lazy("Hold"),
    "reps": gettext_lazy("Repetitions"),
    "relax": gettext_lazy("Relax"),
    "switch_side": gettext_lazy("Switch sides"),
    "rest": gettext_lazy("Rest"),
}


def _own_session(request: HttpRequest, pk: int) -> Session:
    """The signed-in user's session, or 404: nobody sees another person's session."""
    session = get_object_or_404(Session, pk=pk, user=request.user)
    session.user = request.user  # the same object, so preferences and safety are current
    return session


def _posted(request: HttpRequest):
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


def _open_steps(session: Session, steps: list[SessionStep]) -> list[SessionStep]:
    """Steps that can still be done: all unrecorded ones, or only the cool-down once stopped."""
    open_steps = [step for step in steps if step.completion_or_none is None]
    if session.status == Session.Status.STOPPED_FOR_PAIN:
        return [step for step in open_steps if step.is_cooldown]
    if session.is_unfinished:
        return open_steps
    return []


def _where_next(session: Session, steps: list[SessionStep] | None = None) -> str:
    """The page a session should be on now, so a reload or another device lands right."""
    args = [session.pk]
    if session.user.screening_due and services.accepts_pain_reports(session):
        # After pain of 8 or more: the warning-signs questions before anything else.
        return f"{reverse('programs:safety')}?session={session.pk}"
    if session.status == Session.Status.ABANDONED or session.pain_after is not None:
        return reverse("programs:session-summary", args=args)
    if session.is_unfinished and session.pain_before is None:
        return reverse("programs:session-pain-before", args=args)
    open_steps = _open_steps(session, steps if steps is not None else _steps(session))
    if session.status == Session.Status.STOPPED_FOR_PAIN and open_steps:
        return reverse("programs:session-stopped", args=args)
    if open_steps:
        return reverse("programs:session-run", args=args)
    return reverse("programs:session-pain-after", args=args)


def _safety_due(user) -> bool:
    return user.screening_due or user.notice_acknowledged_at is None


@login_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    form = StartSessionForm(request.POST)
    if not form.is_valid():
        return render(request, "programs/session_start_error.html", {"form": form}, status=400)
    # Someone else's program is as good as missing: 404, never a hint that it exists.
    program = get_object_or_404(visible_programs(request), pk=form.cleaned_data["program"])
    problem = phase_order_problem(list(program.steps.values_list("phase", flat=True)))
    if problem:
        form.add_error("program", problem)
        return render(request, "programs/session_start_error.html", {"form": form}, status=400)
    if _safety_due(request.user):
        return redirect(f"{reverse('programs:safety')}?program={program.pk}")
    try:
        session = services.start_session(
            request.user, program, replace_unfinished=form.cleaned_data["replace"]
        )
    except services.UnfinishedSessionExists as error:
        return render(
            request,
            "programs/session_unfinished.html",
            {"unfinished": error.session, "program": program},
            status=409,
        )
    return redirect(_where_next(session, []))


@login_required
@require_safe
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return redirect(_where_next(_own_session(request, pk)))


@login_required
@require_http_methods(["GET", "POST"])
def pain_before(request: HttpRequest, pk: int) -> HttpResponse:
    session = _own_session(request, pk)
    if not session.is_unfinished or session.pain_before is not None:
        return redirect(_where_next(session))
    form = PainForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        level = form.cleaned_data["pain"]
        if services.record_pain_before(session, level):
            return redirect(f"{reverse('programs:safety')}?session={session.pk}")
        if 4 <= level <= 5:
            messages.info(
                request,
                _(
                    "Your back hurts today, so this session is gentler: shorter holds, fewer "
                    "repetitions, or easier versions."
                ),
            )
        return redirect(_where_next(session))
    return _pain_check(request, session, form, "before")


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
    session = _own_session(request, pk)
    steps = _steps(session)
    open_steps = _open_steps(session, steps)
    # The runner plays when there is something to do and nothing has to come first.
    waiting = session.pain_before is None or session.user.screening_due
    if waiting or not open_steps:
        return redirect(_where_next(session, steps))
    lead_in = request.user.lead_in_seconds
    # Done steps stay on the page so "Back" can return to them; once stopped for pain,
    # only the cool-down is left to run.
    runnable = steps
    if session.status == Session.Status.STOPPED_FOR_PAIN:
        runnable = [step for step in steps if step.is_cooldown]
    items = []
    for step in runnable:
        segments = build_timeline(step.dose, lead_in)
        items.append(
            {
                "step": step,
                "done": step.completion_or_none is not None,
                "key": uuid.uuid4(),
                "segments": segments,
                "seconds": timeline_seconds(segments),
            }
        )
    current = next(item for item in items if not item["done"])
    data = {
        "session": session.pk,
        "nextUrl": reverse("programs:session", args=[session.pk]),
        "hurtsUrl": reverse("programs:session-hurts", args=[session.pk]),
        "sound": request.user.sound_cues,
        "speech": request.user.spoken_cues,
        "labels": {**STEP_LABELS, **_runner_phrases()},
        "steps": [
            {
                "id": item["step"].pk,
                "name": item["step"].exercise.name,
                "done": item["done"],
                "key": str(item["key"]),
                "completeUrl": reverse(
                    "programs:session-complete", args=[session.pk, item["step"].pk]
                ),
                "seconds": item["seconds"],
                "timeline": [segment.as_dict() for segment in item["segments"]],
            }
            for item in items
        ],
    }
    return render(
        request,
        "programs/runner.html",
        {
            "session": session,
            "items": items,
            "current": current,
            "data": data,
            "total_seconds": sum(item["seconds"] for item in items),
            "done_seconds": sum(item["seconds"] for item in items if item["done"]),
            "hurts_form": HurtsForm(initial={"step": current["step"].pk, "key": uuid.uuid4()}),
        },
    )


def _runner_phrases() -> dict[str, str]:
    return {
        "left": _("left side"),
        "right": _("right side"),
        "stepOf": _("Step %(n)s of %(total)s"),
        "paused": _("Paused"),
        "resume": _("Resume"),
        "pause": _("Pause"),
        "saved": _("Saved"),
        "saving": _("Saving…"),
        "offline": _(
            "You are offline. Keep going: what you do is kept on this device and saved "
            "when the connection is back."
        ),
        "loginAgain": _("Your sign-in has ended. Log in again in another tab to save."),
        "rejected": _("One step could not be saved: %(reason)s"),
        "finishing": _("All steps done. Saving your session…"),
        "doReps": _("Do %(n)s at your own pace"),
        "secondsLeft": _("%(s)s seconds left"),
        "hurtsSavedOffline": _(
            "Your report is kept on this device. Stop here and rest; it will be saved when "
            "you are back online."
        ),
    }


@login_required
@require_POST
def complete(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    session = _own_session(request, pk)
    step = get_object_or_404(SessionStep, pk=step_pk, session=session)
    if request.user.screening_due:
        return _completion_error(
            request, session, _("Answer the warning-signs questions first."), 409
        )
    form = CompletionForm(request.POST)
    if not form.is_valid():
        message = " ".join(error for errors in form.errors.values() for error in errors)
        return _completion_error(request, session, message, 400)
    try:
        result = services.complete_step(
            session,
            step,
            key=form.cleaned_data["key"],
            seconds_done=form.cleaned_data["seconds_done"],
            skipped=form.cleaned_data["skipped"],
        )
    except services.SessionError as error:
        return _completion_error(request, session, error.message, error.status)
    status = 201 if result.created else 200
    if _wants_json(request):
        done = session.steps.filter(completion__isnull=False).count()
        total = session.steps.count()
        return JsonResponse(
            {"created": result.created, "done": done, "total": total}, status=status
        )
    if request.htmx:
        done = session.steps.filter(completion__isnull=False).count()
        return render(
            request,
            "programs/runner.html#saved",
            {"done": done, "total": session.steps.count(), "created": result.created},
            status=status,
        )
    # 303: the browser follows with a GET, so reloading never posts again.
    response = redirect(_where_next(session))
    response.status_code = 303
    return response


def _wants_json(request: HttpRequest) -> bool:
    """The runner's script asks for JSON with its Accept header; browsers prefer HTML."""
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def _completion_error(request: HttpRequest, session: Session, message: str, status: int):
    if _wants_json(request):
        return JsonResponse({"error": message}, status=status)
    if request.htmx:
        return render(request, "programs/runner.html#error", {"message": message}, status=status)
    return render(
        request,
        "programs/session_error.html",
        {"session": session, "message": message},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def hurts(request: HttpRequest, pk: int) -> HttpResponse:
    session = _own_session(request, pk)
    form = HurtsForm(
        _posted(request), initial={"step": request.GET.get("step"), "key": uuid.uuid4()}
    )
    if request.method == "POST" and form.is_valid():
        step = None
        if form.cleaned_data["step"]:
            step = get_object_or_404(SessionStep, pk=form.cleaned_data["step"], session=session)
        try:
            outcome = services.report_pain(
                session,
                step,
                form.cleaned_data["level"],
                form.cleaned_data["choice"] == "stop",
                key=form.cleaned_data["key"],
            )
        except services.SessionError as error:
            if _wants_json(request):
                return JsonResponse({"error": error.message}, status=error.status)
            return render(
                request,
                "programs/session_error.html",
                {"session": session, "message": error.message},
                status=error.status,
            )
        if form.cleaned_data["level"] >= 8:
            target = f"{reverse('programs:safety')}?session={session.pk}"
        else:
            target = reverse("programs:session", args=[session.pk])
        if _wants_json(request):
            # The runner carries on by itself, or goes to the page the session is on now.
            return JsonResponse({"outcome": outcome.value, "next": target})
        if request.htmx:
            # The runner carries on by itself, or follows HX-Redirect to the new state.
            response = HttpResponse(status=204)
            response["BackCare-Outcome"] = outcome.value
            response["HX-Redirect"] = target
            return response
        if outcome == PainOutcome.CARRY_ON:
            messages.info(request, _("Carry on gently, and report again if it gets worse."))
        elif outcome == PainOutcome.SLOWER:
            messages.info(
                request,
                _(
                    "The rest of this session is gentler now: shorter holds, fewer repetitions "
                    "or easier versions. Move slowly and stop if it gets worse."
                ),
            )
        return redirect(target)
    status = 400 if form.errors else 200
    if form.errors and _wants_json(request):
        form_html = render_to_string(
            "programs/hurts.html#form", {"session": session, "form": form}, request=request
        )
        message = " ".join(error for errors in form.errors.values() for error in errors)
        return JsonResponse({"error": message, "form": form_html}, status=400)
    return render(request, "programs/hurts.html", {"session": session, "form": form}, status=status)


@login_required
@require_safe
def stopped(request: HttpRequest, pk: int) -> HttpResponse:
    session = _own_session(request, pk)
    if session.status != Session.Status.STOPPED_FOR_PAIN or session.pain_after is not None:
        return redirect(_where_next(session))
    steps = _steps(session)
    cooldown = _open_steps(session, steps)
    last_report = session.pain_reports.order_by("-reported_at").first()
    return render(
        request,
        "programs/stopped.html",
        {
            "session": session,
            "cooldown": cooldown,
            "cooldown_seconds": sum(
                timeline_seconds(build_timeline(step.dose, request.user.lead_in_seconds))
                for step in cooldown
            ),
            "report": last_report,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def pain_after(request: HttpRequest, pk: int) -> HttpResponse:
    session = _own_session(request, pk)
    steps = _steps(session)
    runnable_left = session.is_unfinished and _open_steps(session, steps)
    if session.pain_after is not None or session.pain_before is None or runnable_left:
        return redirect(_where_next(session, steps))
    if session.status == Session.Status.ABANDONED:
        return redirect(_where_next(session, steps))
    form = PainForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        if services.finish_session(session, form.cleaned_data["pain"]):
            return redirect(f"{reverse('programs:safety')}?session={session.pk}")
        return redirect("programs:session-summary", session.pk)
    return _pain_check(request, session, form, "after")


@login_required
@require_safe
def summary(request: HttpRequest, pk: int) -> HttpResponse:
    session = _own_session(request, pk)
    if session.is_unfinished or (
        session.status != Session.Status.ABANDONED and session.pain_after is None
    ):
        return redirect(_where_next(session))
    steps = _steps(session)
    done = [s for s in steps if s.completion_or_none and not s.completion.skipped]
    skipped = [s for s in steps if s.completion_or_none is None or s.completion.skipped]
    groups: dict[int, object] = {}
    for step in done:
        for group in [*step.exercise.primary_muscles.all(), *step.exercise.secondary_muscles.all()]:
            groups[group.pk] = group
    seconds = sum(step.completion.seconds_done for step in done)
    pain_reports = PainReport.objects.filter(session=session).select_related("step__exercise")
    return render(
        request,
        "programs/summary.html",
        {
            "session": session,
            "done": done,
            "skipped": skipped,
            "groups": sorted(groups.values(), key=lambda g: (g.position, g.name)),
            "seconds": seconds,
            "pain_reports": pain_reports,
            "gentle_program": Program.objects.curated().filter(slug="gentle-start").first(),
            "goals_moved": _goals_moved(request, done),
            "suggestions": session.suggestions.filter(status="pending").select_related(
                "exercise", "variant"
            ),
        },
    )


def _goals_moved(request: HttpRequest, done: list[SessionStep]) -> list[dict]:
    """Which of the user's goals this session moved, by how much, and where they stand."""
    goals = list(
        Goal.objects.filter(user=request.user, archived=False).select_related(
            "muscle_group", "exercise"
        )
    )
    if not goals:
        return []
    today = timezone.localdate()
    views = records.goals_with_progress(request.user, goals, today)
    newly_met = set(services.mark_met_goals(views, today))
    steps = [
        progress.StepDone(
            frozenset(group.pk for group in step.muscle_groups.all()),
            step.exercise_id,
            step.completion.seconds_done,
            step.completion.hold_seconds_done,
        )
        for step in done
    ]
    moved = []
    for view in views:
        goal = view.goal
        amount = progress.session_contribution(
            goal.target_kind, goal.muscle_group_id, goal.exercise_id, steps
        )
        if amount > 0:
            moved.append({"view": view, "amount": amount, "achieved_now": goal in newly_met})
    return moved


@login_required
@require_POST
def abandon(request: HttpRequest, pk: int) -> HttpResponse:
    session = _own_session(request, pk)
    services.abandon_session(session)
    messages.info(request, _("You left the session. The steps you did are kept in your history."))
    return redirect("home")


@login_required
@require_http_methods(["GET", "POST"])
def safety(request: HttpRequest) -> HttpResponse:
    """The warning-signs questions and the not-medical-advice notice."""
    user = request.user
    source = request.POST if request.method == "POST" else request.GET
    program = session = None
    if source.get("program"):
        program = get_object_or_404(visible_programs(request), pk=_int_or_404(source["program"]))
    if source.get("session"):
        session = _own_session(request, _int_or_404(source["session"]))
    form = SafetyForm(_posted(request), needs_acknowledgement=user.notice_acknowledged_at is None)
    if request.method == "POST" and form.is_valid():
        signs = form.cleaned_data["warning_signs"]
        services.record_screening(
            user, signs, acknowledge_notice=bool(form.cleaned_data.get("acknowledge"))
        )
        if signs:
            if session is not None:
                services.abandon_session(session)
            return render(
                request,
                "programs/safety_advice.html",
                {"signs": [SIGNS_BY_CODE[code] for code in signs], "urgent": has_urgent(signs)},
            )
        if session is not None:
            return redirect(_where_next(session))
        if program is not None:
            try:
                new = services.start_session(user, program)
            except services.UnfinishedSessionExists as error:
                return render(
                    request,
                    "programs/session_unfinished.html",
                    {"unfinished": error.session, "program": program},
                    status=409,
                )
            return redirect(_where_next(new, []))
        messages.success(request, _("Thank you. You can start a session whenever you are ready."))
        return redirect("programs:programs")
    status = 400 if form.errors else 200
    return render(
        request,
        "programs/safety.html",
        {"form": form, "program": program, "session": session},
        status=status,
    )


def _int_or_404(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None
