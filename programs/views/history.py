"""History: the 26-week calendar, streaks, minutes per muscle group, pain, past sessions;
and the print-friendly report for a clinician."""

import functools
from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from programs import charts, page_cache, records
from programs.history import adherence, calendar_weeks, streaks, week_start
from programs.models import Goal, MuscleGroup, Program, Session

CALENDAR_WEEKS = 26
GROUP_WEEKS = 8
SESSIONS_PER_PAGE = 20


def _sessions_page(request: HttpRequest):
    sessions = Session.objects.filter(user=request.user).order_by("-started_at", "-pk")
    return Paginator(sessions, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))


def _pain_chart(weeks: list[records.PainWeek], start, end):
    return charts.line_chart(
        {
            "before": [(w.week, w.before) for w in weeks if w.before is not None],
            "after": [(w.week, w.after) for w in weeks if w.after is not None],
        },
        start=start,
        end=end,
        y_max=10,
    )


@login_required
@require_safe
def history(request: HttpRequest) -> HttpResponse:
    page = _sessions_page(request)
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "programs/history.html#sessions", {"page": page})
    user = request.user
    today = user.today()
    # Everything but the list of sessions: the same until the person records something
    # (or the day or the library changes), so it comes from the cache until then.
    records = page_cache.personal(
        request,
        "history",
        (today, user.time_zone),
        lambda: render_to_string(
            "programs/history.html#records", records_context(user, today), request
        ),
    )
    return render(request, "programs/history.html", {"page": page, "records": records})


def records_context(user, today) -> dict:
    """Streaks, the calendar, flare-ups, minutes per muscle group, pain and the weeks."""
    first_day = week_start(today) - timedelta(weeks=CALENDAR_WEEKS - 1)
    current, longest = streaks(records.session_days(user), today)
    pain = records.pain_by_week(user, first_day)
    flare_ups = list(user.flare_ups.filter(started_on__gte=first_day))
    return {
        "flare_ups": flare_ups,
        "current_streak": current,
        "longest_streak": longest,
        "pain": pain,
        "pain_chart": _pain_chart(pain, first_day, today),
        "weeks": records.outcome_weeks(user, today, pain),
        "activities": list(user.hard_activities.all()),
        **_calendar(user, today, first_day, {flare.started_on for flare in flare_ups}),
        **_weekly_groups(user, today),
        **_pain_labels(),
    }


def _calendar(user, today, first_day, flare_days: set) -> dict:
    calendar = calendar_weeks(today, records.minutes_by_day(user, first_day), CALENDAR_WEEKS)
    # Each day's classes and words made here, once: 182 cells of template filters and
    # conditions cost more than the rest of the page.
    words = (get_format("DATE_FORMAT"), get_language(), _("%(n)s min"), _("flare-up"))
    labelled = [[_cell(day, words, flare_days) for day in week] for week in calendar]
    return {
        # The latest week first, so a phone shows it without scrolling.
        "calendar_rows": list(zip(*reversed(labelled), strict=True)),
        "calendar_total": sum(day.minutes for week in calendar for day in week),
    }


def whole_minutes(minutes: float) -> int:
    """Rounded half up, as the template filter floatformat:"0" would, at a fraction of its cost."""
    return int(minutes + 0.5)


def _cell(day, words: tuple, flare_days: set) -> tuple:
    """A calendar day, its classes, its title and what a screen reader says."""
    date_format, language, minutes_words, flare_word = words
    flare = day.day in flare_days
    classes = f"level-{day.level}" + (" future" if day.future else "") + (" flare" if flare else "")
    minutes = minutes_words % {"n": whole_minutes(day.minutes)}
    title = f"{_day_label(day.day, date_format, language)}: {minutes}"
    return day, classes, title, f"{title}, {flare_word}" if flare else title


@functools.lru_cache(maxsize=4096)
def _day_label(day: date, date_format: str, language: str) -> str:
    """A day as the active language writes it (`language` keys it): the same 182 days
    are formatted on every uncached history page, and formatting is most of its cost."""
    return dateformat.format(day, date_format)


def _weekly_groups(user, today) -> dict:
    """Minutes per muscle group, week by week, for the groups worked in those weeks."""
    week_starts = [
        week_start(today) - timedelta(weeks=GROUP_WEEKS - 1 - n) for n in range(GROUP_WEEKS)
    ]
    by_group = records.group_week_seconds(user, week_starts)
    groups = [g for g in MuscleGroup.objects.all() if g.pk in by_group]
    return {  # the latest week first
        "week_starts": week_starts[::-1],
        "group_rows": [
            (group, [whole_minutes(seconds / 60) for seconds in by_group[group.pk][::-1]])
            for group in groups
        ],
    }


def _pain_labels() -> dict:
    return {
        "pain_title": _("Average pain before and after sessions, week by week"),
        "pain_legend": [("before", _("Before")), ("after", _("After"))],
    }


@login_required
@require_safe
def report(request: HttpRequest) -> HttpResponse:
    """For the person's clinician: printed, or shared by a read-only link."""
    context = report_context(request.user, request.user.today())
    return render(request, "programs/report.html", context)


def report_context(user, today) -> dict:
    """Programs followed, adherence, pain trend, outcome measures and goals."""
    days = records.session_days(user)
    recent_days, share, since = adherence(days, today)
    first_day = week_start(today) - timedelta(weeks=CALENDAR_WEEKS - 1)
    pain = records.pain_by_week(user, first_day)
    goals = list(Goal.objects.active().filter(user=user).with_related())
    current, longest = streaks(days, today)
    return {
        "person": user,
        "today": today,
        "programs": records.program_counts(user),
        "recent_days": recent_days,
        "adherence": share,
        "since": since,
        "current_streak": current,
        "longest_streak": longest,
        "pain": pain,
        "pain_chart": _pain_chart(pain, first_day, today),
        **_pain_labels(),
        "goals": records.goal_standings(user, goals, today),
        "weeks": records.outcome_weeks(user, today),
        "activities": list(user.hard_activities.all()),
        "current_program": _current_program(user),
    }


def _current_program(user) -> Program | None:
    """The program the person follows, or else the one they did last."""
    plan = user.plans.filter(active=True).first()
    program_id = plan.program_id if plan else None
    if program_id is None:
        last = Session.objects.filter(user=user, program__isnull=False).first()
        program_id = last.program_id if last else None
    if program_id is None:
        return None
    return Program.objects.with_steps().filter(pk=program_id).first()
