"""How the person is doing between sessions: the next-morning question, the weekly
check-in and the activities their back makes hard."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from programs import records
from programs.forms import HardActivityForm, MorningCheckForm, WeeklyCheckInForm
from programs.middleware import SESSION_KEY
from programs.models import HardActivity, MorningCheck, WeeklyCheckIn
from programs.services import outcomes as services

WORSE = gettext_lazy(
    "Thank you. Your back felt worse, so your next session will be gentler. Pain after "
    "exercise should settle by the next morning; if it keeps getting worse, rest a day and "
    "talk to your health care provider."
)
THANKS = gettext_lazy("Thank you. It helps BackCare pace your sessions.")


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return target if safe and target.startswith("/") else "/"


@login_required
@require_http_methods(["GET", "POST"])
def morning_check(request: HttpRequest) -> HttpResponse:
    today = request.user.today()
    session = services.morning_check_due(request.user, today)
    if session is None:
        return redirect(_next(request))
    form = MorningCheckForm(request.POST if request.method == "POST" else None)
    skipped = request.method == "POST" and "skip" in request.POST
    if skipped or (request.method == "POST" and form.is_valid()):
        answer = MorningCheck.Answer.SKIPPED if skipped else form.cleaned_data["answer"]
        stiffer = None if skipped else form.cleaned_data["stiffer"]
        check = services.record_morning_check(request.user, session, answer, stiffer, today)
        request.session[SESSION_KEY] = today.isoformat()
        if not skipped:
            messages.info(request, WORSE if check.is_worse else THANKS)
        return redirect(_next(request))
    context = {"form": form, "session": session, "next": _next(request)}
    return render(
        request, "programs/morning_check.html", context, status=400 if form.errors else 200
    )


def _weekly_page(request: HttpRequest, form=None, activity_form=None, status: int = 200):
    user = request.user
    activities = list(HardActivity.objects.current().filter(user=user))
    if form is None:
        form = WeeklyCheckInForm(activities=activities, initial=_this_week(user))
    context = {
        "form": form,
        "activity_form": activity_form or HardActivityForm(),
        "activities": activities,
        "can_add": len(activities) < HardActivity.MOST,
        "weeks": records.outcome_weeks(user, user.today()),
    }
    return render(request, "programs/outcomes.html", context, status=status)


def _this_week(user) -> dict:
    today = user.today()
    week = today - timedelta(days=today.weekday())
    check_in = WeeklyCheckIn.objects.filter(user=user, week=week).first()
    if check_in is None:
        return {}
    ratings = {f"rate_{r.activity_id}": r.rating for r in check_in.ratings.all()}
    return {"pain": check_in.pain, "enjoyment": check_in.enjoyment, **ratings} | {
        "activity": check_in.activity
    }


@login_required
@require_http_methods(["GET", "POST"])
def weekly(request: HttpRequest) -> HttpResponse:
    """The weekly check-in: three questions, and how well each hard activity goes."""
    if request.method == "GET":
        return _weekly_page(request)
    activities = list(HardActivity.objects.current().filter(user=request.user))
    form = WeeklyCheckInForm(request.POST, activities=activities)
    if not form.is_valid():
        return _weekly_page(request, form=form, status=400)
    services.record_weekly(request.user, form.answers(), form.ratings(), request.user.today())
    messages.success(request, _("Thank you: this week's check-in is saved."))
    return redirect("programs:outcomes")


@login_required
@require_POST
def activity_add(request: HttpRequest) -> HttpResponse:
    form = HardActivityForm(request.POST)
    if form.is_valid():
        try:
            services.add_activity(request.user, form.cleaned_data["name"])
        except services.TooManyActivities:
            form.add_error("name", TOO_MANY)
        else:
            return redirect("programs:outcomes")
    return _weekly_page(request, activity_form=form, status=400)


TOO_MANY = gettext_lazy(
    "You follow three activities already: mark one as no longer followed first."
)


@login_required
@require_POST
def activity_archive(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(HardActivity, pk=pk, user=request.user)
    activity.archived = True
    activity.save(update_fields=["archived"])
    messages.info(
        request, _("%(name)s is no longer followed; its ratings stay.") % {"name": activity.name}
    )
    return redirect("programs:outcomes")
