"""Goals per muscle group: the list, every group, one goal's page, and their forms."""

import re
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from programs import progress, records, services
from programs.forms import CheckInForm, GoalForm
from programs.models import Goal, MuscleGroup

slug_pattern = re.compile(r"[-a-zA-Z0-9_]{1,50}")
GOAL_FIELDS = ["muscle_group", "expectation", "due_date", "target_kind", "target_value", "exercise"]


def today_for(request: HttpRequest) -> date:
    """Today where the user lives (the middleware activated their time zone)."""
    return timezone.localdate()


def _own_goal(request: HttpRequest, pk: int) -> Goal:
    """The signed-in user's goal, or 404: nobody sees another person's goals."""
    return get_object_or_404(
        Goal.objects.select_related("muscle_group", "exercise"), pk=pk, user=request.user
    )


def _views(request: HttpRequest, goals: list[Goal]) -> list[records.GoalView]:
    today = today_for(request)
    views = records.goals_with_progress(request.user, goals, today)
    services.mark_met_goals(views, today)
    return views


@login_required
@require_safe
def goal_list(request: HttpRequest) -> HttpResponse:
    goals = list(Goal.objects.filter(user=request.user).select_related("muscle_group", "exercise"))
    views = _views(request, goals)
    return render(
        request,
        "programs/goals.html",
        {
            "active": [v for v in views if not v.goal.archived],
            "archived": [v for v in views if v.goal.archived],
        },
    )


@login_required
@require_safe
def every_group(request: HttpRequest) -> HttpResponse:
    """The article says every group: each with its goals, or a way to set one."""
    groups = MuscleGroup.objects.prefetch_related(
        Prefetch(
            "goals",
            queryset=Goal.objects.filter(user=request.user, archived=False),
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
    today = today_for(request)
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
            goal.save()
            messages.success(request, _("Goal saved."))
        return redirect(goal)
    status = 400 if form.errors else 200
    inline = request.htmx and not request.htmx.history_restore_request
    template = "programs/goal_form.html#form" if inline else "programs/goal_form.html"
    return render(request, template, {"form": form, "goal": goal}, status=status)


@login_required
@require_safe
def goal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _own_goal(request, pk)
    view = _views(request, [goal])[0]
    today = today_for(request)
    state = view.progress
    end = max(goal.due_date, today)
    done_series = [(view.start, goal.baseline)]
    done_series += [(day, value) for day, value in view.series if day >= view.start]
    if done_series[-1][0] < today:
        done_series.append((min(today, end), state.current))
    pace = [(view.start, goal.baseline), (goal.due_date, float(goal.target_value))]
    chart = progress.line_chart(
        {"progress": done_series, "pace": pace},
        start=view.start,
        end=end,
        y_max=max(float(goal.target_value), state.current) * 1.1,
    )
    # One row per day: the value that day ended with.
    table = [
        {
            "day": day,
            "value": value,
            "expected": progress.expected_on(
                day, view.start, goal.due_date, goal.baseline, goal.target_value
            ),
        }
        for day, value in dict(done_series).items()
    ]
    return render(
        request,
        "programs/goal.html",
        {
            "goal": goal,
            "view": view,
            "progress": state,
            "chart": chart,
            "table": table,
            "check_in_form": CheckInForm(),
            "chart_title": _("Your progress against the pace line to the due date"),
            "legend": [("progress", _("Your progress")), ("pace", _("Pace line to the due date"))],
        },
    )


@login_required
@require_POST
def goal_achieve(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _own_goal(request, pk)
    if goal.achieved_on is None:
        goal.achieved_on = today_for(request)
        goal.save(update_fields=["achieved_on"])
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
    if form.is_valid():
        services.check_in(request.user, goal.muscle_group, form.cleaned_data["rating"])
        messages.success(request, _("Check-in saved."))
        return redirect(goal)
    return render(request, "programs/check_in_error.html", {"goal": goal, "form": form}, status=400)
