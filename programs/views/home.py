"""The home page: one large action first (continue, or start today's session), then what
went well, goals due soon and a lesson of the day. For a visitor: what BackCare is."""

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from programs import records
from programs.history import streaks, week_start, went_well
from programs.lessons import lesson_of_the_day
from programs.models import FirstAnswers, FlareUp, Goal, Plan, Program, Session
from programs.services import outcomes
from programs.views.onboarding import why

GOALS_SOON_DAYS = 30
GOALS_ON_HOME = 4
RECENT_GOALS_DAYS = 14


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        context = {"programs": Program.objects.curated().with_steps()}
        return render(request, "programs/home.html", context)
    today = request.user.today()
    context = _today(request.user, today) | _progress(request.user, today)
    context["lesson"] = lesson_of_the_day(today)
    return render(request, "programs/home.html", context)


def _today(user, today) -> dict:
    """The one thing to do now, and advice after a flare-up."""
    flare = FlareUp.objects.filter(user=user).recent(today).first()
    plan_today = _plan_today(user, today)
    answers = FirstAnswers.objects.filter(user=user).first()
    plan = plan_today["plan"] if plan_today else None
    recommended = answers is not None and plan is not None and answers.program_id == plan.program_id
    return {
        "unfinished": Session.objects.unfinished().filter(user=user).first(),
        "plan_today": plan_today,
        "why": why(answers.reasons) if recommended else "",
        "flare": flare,
        "flare_resting": flare is not None and flare.is_resting(today),
        "gentle_program": Program.objects.gentle_start(),
        "check_in_due": outcomes.check_in_due(user, today),
    }


def _plan_today(user, today) -> dict | None:
    plan = Plan.objects.filter(user=user, active=True).select_related("program").first()
    if plan is None:
        return None
    program = Program.objects.with_steps().get(pk=plan.program_id)
    return {
        "plan": plan,
        "program": program,
        "day": plan.day_number(today),
        "days": plan.days,
        "finished": plan.is_finished(today),
        "done": records.sessions_done_on(user, plan.program, today),
    }


def _progress(user, today) -> dict:
    """Goals due soon, and what went well lately, in words."""
    soon = Goal.objects.open().filter(user=user).due_by(today + timedelta(days=GOALS_SOON_DAYS))
    current, _longest = streaks(records.session_days(user), today)
    then, now = records.pain_then_and_now(user)
    met = Goal.objects.filter(
        user=user, achieved_on__gte=today - timedelta(days=RECENT_GOALS_DAYS)
    ).select_related("muscle_group")
    return {
        "goals_soon": records.goal_standings(
            user, list(soon.with_related()[:GOALS_ON_HOME]), today
        ),
        "has_goals": Goal.objects.active().filter(user=user).exists(),
        "streak": current,
        "went_well": went_well(
            current,
            then,
            now,
            [goal.expectation for goal in met],
            records.sessions_since(user, week_start(today)),
        ),
    }
