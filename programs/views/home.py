"""The home page: what to do today for a signed-in person, the programs for anyone."""

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from programs import records
from programs.history import streaks
from programs.models import FlareUp, Goal, Plan, Program, Session
from programs.services import outcomes

GOALS_SOON_DAYS = 30
GOALS_ON_HOME = 4


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    context = {"programs": Program.objects.curated().with_steps()}
    if request.user.is_authenticated:
        context |= _home_for(request.user, request.user.today())
    return render(request, "programs/home.html", context)


def _home_for(user, today) -> dict:
    """What a signed-in person sees first: a session to continue, the plan, goals due soon,
    a streak, and advice after a flare-up."""
    soon = Goal.objects.open().filter(user=user).due_by(today + timedelta(days=GOALS_SOON_DAYS))
    flare = FlareUp.objects.filter(user=user).recent(today).first()
    current, _longest = streaks(records.session_days(user), today)
    return {
        "plan_today": _plan_today(user, today),
        "flare": flare,
        "flare_resting": flare is not None and flare.is_resting(today),
        "gentle_program": Program.objects.gentle_start(),
        "unfinished": Session.objects.unfinished().filter(user=user).first(),
        "goals_soon": records.goal_standings(
            user, list(soon.with_related()[:GOALS_ON_HOME]), today
        ),
        "streak": current,
        "has_goals": Goal.objects.active().filter(user=user).exists(),
        "check_in_due": outcomes.check_in_due(user, today),
    }


def _plan_today(user, today) -> dict | None:
    plan = Plan.objects.filter(user=user, active=True).select_related("program").first()
    if plan is None:
        return None
    return {
        "plan": plan,
        "day": plan.day_number(today),
        "days": plan.days,
        "finished": plan.is_finished(today),
        "done": records.sessions_done_on(user, plan.program, today),
    }
