"""Goals per muscle group: the list, every group, one goal's page, and their forms."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from programs import charts, goal_progress, page_cache, records
from programs.forms import CheckInForm, GoalForm
from programs.models import Goal, MuscleGroup
from programs.services import goals as services

slug_pattern = re.compile(r"[-a-zA-Z0-9_]{1,50}")
GOAL_FIELDS = [
    "muscle_group",
    "expectation",
    "due_date",
    "target_kind",
    "target_value",
    "exercise",
    "activity",
]


def _own_goal(request: HttpRequest, pk: int) -> Goal:
    """The signed-in user's goal, or 404: nobody sees another person's goals."""
    return get_object_or_404(Goal.objects.with_related(), pk=pk, user=request.user)


@login_required
@require_safe
def goal_list(request: HttpRequest) -> HttpResponse:
    user, today = request.user, request.user.today()
    # The same until the person records or changes something, or the day changes.
    goals = page_cache.personal(
        request,
        "goals",
        (today, user.time_zone),
        lambda: render_to_string("programs/goals.html#goals", _standings(user, today), request),
    )
    return render(request, "programs/goals.html", {"goals": goals})


def _standings(user, today) -> dict:
    goals = list(Goal.objects.filter(user=user).with_related())
    standings = records.goal_standings(user, goals, today)
    return {
        "active": [s for s in standings if not s.goal.archived],
        "archived": [s for s in standings if s.goal.archived],
    }


@login_required
@require_safe
def every_group(request: HttpRequest) -> HttpResponse:
    """The article says every group: each with its goals, or a way to set one."""
    groups = MuscleGroup.objects.prefetch_related(
        Prefetch(
            "goals",
            queryset=Goal.objects.active().filter(user=request.user),
            to_attr="my_goals",
        )
    )
    groups = list(groups)
    return render(
        request,
        "programs/goals_every_group.html",
        {"groups": groups, "without": sum(1 for g in groups if not g.my_goals)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_new(request: HttpRequest) -> HttpResponse:
    initial = {}
    slug = request.GET.get("group", "")
    if slug_pattern.fullmatch(slug):
        initial["muscle_group"] = MuscleGroup.objects.filter(slug=slug).first()
    return _goal_form(request, Goal(user=request.user), initial)


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _goal_form(request, _own_goal(request, pk), {})


def _goal_form(request: HttpRequest, goal: Goal, initial: dict) -> HttpResponse:
    today = request.user.today()
    form = GoalForm(
        request.POST if request.method == "POST" else None,
        instance=goal,
        initial=initial,
        user=request.user,
        today=today,
    )
    if request.method == "POST" and request.htmx and request.POST.get("_validate"):
        # Inline validation: check the whole form, answer with the one row that changed.
        form.is_valid()
        name = request.POST["_validate"]
        if name not in GOAL_FIELDS:
            return HttpResponse(status=400)
        return render(request, "programs/goal_form.html#errors", {"field": form[name]})
    if request.method == "POST" and form.is_valid():
        is_new = goal.pk is None
        goal = form.save(commit=False)
        if is_new:
            services.create_goal(goal, today)
            messages.success(request, _("Goal set. Write the date down, and go for it."))
        else:
            services.save_goal(goal, today)
            messages.success(request, _("Goal saved."))
        return redirect(goal)
    status = 400 if form.errors else 200
    inline = request.htmx and not request.htmx.history_restore_request
    template = "programs/goal_form.html#form" if inline else "programs/goal_form.html"
    return render(request, template, {"form": form, "goal": goal}, status=status)


@login_required
@require_safe
def goal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _goal_page(request, _own_goal(request, pk), CheckInForm())


def _goal_page(request: HttpRequest, goal: Goal, check_in_form: CheckInForm, status: int = 200):
    """One goal: where it stands, its line against the pace line, and a check-in form."""
    today = request.user.today()
    standing = records.goal_standings(request.user, [goal], today)[0]
    context = {
        "goal": goal,
        "standing": standing,
        "progress": standing.progress,
        "check_in_form": check_in_form,
        # A line and a table of every day that changed (730 rows for two years): the same
        # until the person records something or changes the goal, or the day changes.
        "progress_section": page_cache.personal(
            request,
            "goal",
            (goal.pk, today, request.user.time_zone),
            lambda: render_to_string(
                "programs/goal.html#progress",
                _progress_context(request.user, goal, today),
                request,
            ),
        ),
    }
    return render(request, "programs/goal.html", context, status=status)


def _progress_context(user, goal: Goal, today) -> dict:
    """The goal's line against the pace line, as a chart and as a table."""
    standing = records.goal_standings(user, [goal], today, series=True)[0]
    state = standing.progress
    line = goal_progress.progress_line(
        standing.series,
        standing.start,
        goal.due_date,
        goal.baseline,
        goal.target_value,
        state.current,
        today,
    )
    chart = charts.line_chart(
        {"progress": line.done, "pace": line.pace},
        start=standing.start,
        end=line.end,
        y_max=max(float(goal.target_value), state.current) * 1.1,
    )
    return {
        "goal": goal,
        "chart": chart,
        "table": line.table(standing.start, goal.target_value),
        "chart_title": _("Your progress against the pace line to the due date"),
        "legend": [("progress", _("Your progress")), ("pace", _("Pace line to the due date"))],
    }


@login_required
@require_POST
def goal_achieve(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _own_goal(request, pk)
    if goal.mark_achieved(request.user.today()):
        messages.success(request, _("Well done! Goal marked as achieved."))
    return redirect(goal)


@login_required
@require_POST
def goal_archive(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _own_goal(request, pk)
    goal.archived = not goal.archived
    goal.save(update_fields=["archived"])
    if goal.archived:
        messages.success(request, _("Goal archived. It stays in your history."))
    else:
        messages.success(request, _("Goal brought back."))
    return redirect("programs:goals")


@login_required
@require_http_methods(["GET", "POST"])
def goal_delete(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _own_goal(request, pk)
    if request.method == "POST":
        goal.delete()
        messages.success(request, _("Goal deleted."))
        return redirect("programs:goals")
    return render(request, "programs/goal_delete.html", {"goal": goal})


@login_required
@require_POST
def goal_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _own_goal(request, pk)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        return _goal_page(request, goal, form, status=400)
    rating = form.cleaned_data["rating"]
    services.check_in(request.user, goal.muscle_group, rating, request.user.today())
    messages.success(request, _("Check-in saved."))
    return redirect(goal)
