"""Home, health check and account pages."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from backcare.forms import DeleteAccountForm, PreferencesForm, SignUpForm
from programs import progress, records, services
from programs.models import FlareUp, Goal, Plan, Program, ProgramStep, Session

GOALS_SOON_DAYS = 30
# After a flare-up: rest this many days, then gentle exercise is offered for a week.
REST_DAYS = 2
FLARE_UP_DAYS = 9
GOALS_ON_HOME = 4


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    programs = Program.objects.curated().prefetch_related(
        Prefetch("steps", queryset=ProgramStep.objects.select_related("exercise"))
    )
    context = {"programs": programs}
    if request.user.is_authenticated:
        context |= _home_for(request)
    return render(request, "backcare/home.html", context)


def _home_for(request: HttpRequest) -> dict:
    """What a signed-in user sees first: a session to continue, goals due soon, a streak."""
    user = request.user
    today = timezone.localdate()
    soon = list(
        Goal.objects.filter(
            user=user,
            archived=False,
            achieved_on__isnull=True,
            due_date__lte=today + timedelta(days=GOALS_SOON_DAYS),
        ).select_related("muscle_group", "exercise")[:GOALS_ON_HOME]
    )
    views = records.goals_with_progress(user, soon, today)
    services.mark_met_goals(views, today)
    current, _longest = progress.streaks(records.session_days(user), today)
    plan = Plan.objects.filter(user=user, active=True).select_related("program").first()
    plan_today = None
    if plan is not None:
        day = (today - plan.starts_on).days + 1
        plan_today = {
            "plan": plan,
            "day": day,
            "days": plan.weeks * 7,
            "finished": day > plan.weeks * 7,
            "done": Session.objects.filter(user=user, program=plan.program, local_day=today)
            .filter(steps__completion__skipped=False)
            .distinct()
            .count(),
        }
    flare = FlareUp.objects.filter(
        user=user, started_on__gte=today - timedelta(days=FLARE_UP_DAYS)
    ).first()
    return {
        "plan_today": plan_today,
        "flare": flare,
        "flare_resting": flare is not None and (today - flare.started_on).days < REST_DAYS,
        "gentle_program": Program.objects.curated().filter(slug="gentle-start").first(),
        "unfinished": Session.objects.unfinished().filter(user=user).first(),
        "goals_soon": views,
        "streak": current,
        "has_goals": Goal.objects.filter(user=user, archived=False).exists(),
    }


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: the app answers and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to BackCare, %(name)s.") % {"name": user.username})
        return redirect("home")
    status = 400 if form.errors else 200
    return render(request, "registration/signup.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(
        request.POST if request.method == "POST" else None, instance=request.user
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your preferences are saved."))
        return redirect("profile")
    status = 400 if form.errors else 200
    return render(request, "registration/profile.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        user.delete()
        messages.success(request, _("Your account and everything in it has been deleted."))
        return redirect("home")
    status = 400 if form.errors else 200
    return render(request, "registration/delete_account.html", {"form": form}, status=status)
