"""Reminders of the plan's sessions: the page that sets them, and the one-click
unsubscribe from the reminder mail."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from backcare.models import User
from programs.forms import ReminderForm
from programs.models import Plan, ReminderSchedule
from programs.reminder_mail import person_of
from programs.services import reminders as services


def _form(request: HttpRequest, schedule: ReminderSchedule | None, plan: Plan | None):
    sessions = plan.sessions_per_day if plan else 1
    if schedule is not None:
        sessions = max(sessions, len(schedule.times))
    initial = {"by_email": bool(request.user.email)}
    if schedule is not None:
        initial = {"weekdays": schedule.weekdays, "by_email": schedule.by_email}
        initial |= {f"time_{n}": t for n, t in enumerate(schedule.times, start=1)}
    data = request.POST if request.method == "POST" else None
    return ReminderForm(
        data, initial=initial, sessions=sessions, has_email=bool(request.user.email)
    )


@login_required
@require_http_methods(["GET", "POST"])
def reminders(request: HttpRequest) -> HttpResponse:
    """One form, two buttons: save the days and times, or remove every reminder."""
    schedule = ReminderSchedule.objects.filter(user=request.user).first()
    plan = Plan.objects.filter(user=request.user, active=True).select_related("program").first()
    if request.method == "POST" and "remove" in request.POST:
        services.remove_schedule(request.user)
        messages.info(request, _("No more reminders."))
        return redirect("programs:reminders")
    form = _form(request, schedule, plan)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.save_schedule(request.user, data["weekdays"], form.times(), data["by_email"])
        messages.success(request, _("Your reminders are saved."))
        return redirect("programs:reminders")
    context = {"form": form, "schedule": schedule, "plan": plan}
    status = 400 if form.errors else 200
    return render(request, "programs/reminders.html", context, status=status)


# No CSRF token: mail programs post here themselves, with only the address (RFC 8058).
# The signed token in the address is the key, and all it can do is stop reminder mail.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def reminders_stop(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm (link checkers fetch addresses); POST stops reminder mail."""
    person = get_object_or_404(User, pk=person_of(token) or 0, is_active=True)
    if request.method == "POST":
        services.stop_email(person)
        return render(request, "programs/reminders_stopped.html")
    return render(request, "programs/reminders_stop.html", {"token": token})
