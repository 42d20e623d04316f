"""The plan a person follows, and flare-ups: rest a day or two, then gentle exercise."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from programs.forms import FlareUpForm
from programs.models import Program
from programs.services import plans as services


@login_required
@require_POST
def flare_up(request: HttpRequest) -> HttpResponse:
    form = FlareUpForm(request.POST, today=request.user.today())
    if not form.is_valid():
        return render(request, "programs/flare_up.html", {"form": form}, status=400)
    services.record_flare_up(
        request.user, form.cleaned_data["started_on"], form.cleaned_data["note"]
    )
    messages.info(
        request,
        _(
            "Flare-up noted. Rest for a day or two, moving gently around the house; then start "
            "again with gentle exercise. Too much rest makes backs stiffer."
        ),
    )
    return redirect("home")


@login_required
@require_safe
def flare_up_form(request: HttpRequest) -> HttpResponse:
    form = FlareUpForm(today=request.user.today())
    return render(request, "programs/flare_up.html", {"form": form})


@login_required
@require_POST
def plan_follow(request: HttpRequest) -> HttpResponse:
    try:
        pk = int(request.POST.get("program", ""))
    except ValueError:
        pk = 0
    program = get_object_or_404(Program.objects.visible_to(request.user), pk=pk)
    services.follow(request.user, program, request.user.today())
    messages.success(
        request,
        _("You are following %(name)s: %(n)s a day for %(weeks)s weeks. Home shows what is due.")
        % {"name": program.name, "n": program.sessions_per_day, "weeks": program.weeks},
    )
    return redirect("home")


@login_required
@require_POST
def plan_stop(request: HttpRequest) -> HttpResponse:
    services.stop_following(request.user)
    messages.info(request, _("You are no longer following a plan."))
    return redirect("home")
