"""Export of everything a user has (JSON, CSV) and the calendar feed of goal due dates and
the plan's sessions."""

import csv

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from backcare.models import User
from programs.exports import (
    UserData,
    csv_header,
    csv_rows,
    export_document,
    goals_calendar,
    outcomes_csv_header,
    outcomes_csv_rows,
)
from programs.models import (
    ActivityRating,
    Goal,
    HardActivity,
    MorningCheck,
    PainReport,
    Plan,
    Program,
    ReminderSchedule,
    SafetyScreening,
    SentReminder,
    Session,
    SessionStep,
    StrengthCheckIn,
    WeeklyCheckIn,
)


def _sessions_with_steps(user: User) -> QuerySet[Session]:
    """Every session of the user, oldest first, with steps, completions and pain reports."""
    steps = SessionStep.objects.select_related(
        "exercise", "planned_exercise", "completion"
    ).prefetch_related("muscle_groups")
    return (
        Session.objects.filter(user=user)
        .select_related("program")
        .prefetch_related(
            Prefetch("steps", queryset=steps),
            Prefetch("pain_reports", queryset=PainReport.objects.order_by("reported_at", "pk")),
        )
        .order_by("started_at", "pk")
    )


def _user_data(user: User) -> UserData:
    return UserData(
        user=user,
        programs=Program.objects.filter(owner=user).with_steps(),
        sessions=_sessions_with_steps(user),
        goals=Goal.objects.filter(user=user).with_related().order_by("created_at", "pk"),
        check_ins=StrengthCheckIn.objects.filter(user=user).select_related("muscle_group"),
        screenings=SafetyScreening.objects.filter(user=user).order_by("answered_at", "pk"),
        weekly_check_ins=WeeklyCheckIn.objects.filter(user=user),
        activities=HardActivity.objects.filter(user=user).prefetch_related("ratings"),
        morning_checks=MorningCheck.objects.filter(user=user).order_by("day", "pk"),
        reminders=ReminderSchedule.objects.filter(user=user).first(),
        sent_reminders=SentReminder.objects.filter(user=user).order_by("day", "slot"),
    )


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_safe
@never_cache
def export_json(request: HttpRequest) -> HttpResponse:
    document = export_document(_user_data(request.user), exported_at=timezone.now())
    response = JsonResponse(document, json_dumps_params={"indent": 2, "ensure_ascii": False})
    return _attachment(response, "backcare.json")


@login_required
@require_safe
@never_cache
def export_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv.writer(response)
    writer.writerow(csv_header())
    writer.writerows(csv_rows(_sessions_with_steps(request.user), request.user.zone))
    return _attachment(response, "backcare-sessions.csv")


@login_required
@require_safe
@never_cache
def export_outcomes_csv(request: HttpRequest) -> HttpResponse:
    """The weekly check-ins and activity ratings, a row each."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv.writer(response)
    writer.writerow(outcomes_csv_header())
    check_ins = WeeklyCheckIn.objects.filter(user=request.user).prefetch_related(
        Prefetch("ratings", queryset=ActivityRating.objects.select_related("activity"))
    )
    writer.writerows(outcomes_csv_rows(check_ins))
    return _attachment(response, "backcare-outcomes.csv")


@require_safe
@never_cache
def calendar(request: HttpRequest, token: str) -> HttpResponse:
    """No login: calendar apps cannot sign in, so the secret address is the key."""
    owner = get_object_or_404(get_user_model(), calendar_token=token, is_active=True)
    goals = Goal.objects.active().filter(user=owner).with_related().order_by("due_date", "pk")
    schedule = ReminderSchedule.objects.filter(user=owner).select_related("user").first()
    plan = Plan.objects.filter(user=owner, active=True).first()
    if plan is not None:
        plan.program = Program.objects.with_steps().get(pk=plan.program_id)
    feed = goals_calendar(goals, schedule, plan)
    return HttpResponse(feed, content_type="text/calendar; charset=utf-8")


@login_required
@require_POST
def calendar_renew(request: HttpRequest) -> HttpResponse:
    request.user.renew_calendar_token()
    messages.success(
        request,
        _("Your calendar has a new address. Subscribe to it again; the old one no longer works."),
    )
    return HttpResponseRedirect(reverse("profile"), status=303)
