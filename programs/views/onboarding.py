"""The first step after sign-up: four questions recommend a program and set up the plan."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from programs.forms import FirstStepForm
from programs.services import plans as services

# Why a program was recommended, one sentence per reason the recommendation gave.
REASONS = {
    "flare": _(
        "Your back flared up recently: after a day or two of rest, gentle movement helps most."
    ),
    "leg": _(
        "Pain going down a leg needs care: start gently, and see your health care provider "
        "soon if you notice numbness or weakness."
    ),
    "no_floor": _("Everything is done in a chair or standing: no getting down to the floor."),
    "lasting": _("For back pain that has lasted a few weeks, daily stretching helps most."),
    "chronic": _(
        "For back pain that has lasted months, daily stretching, kept up for months, helps most."
    ),
    "time": _("It fits the time you have."),
    "short": _("It is the shortest that suits you; stop early on busy days."),
}


def why(reasons: list[str]) -> str:
    return " ".join(str(REASONS[code]) for code in reasons if code in REASONS)


@login_required
@require_http_methods(["GET", "POST"])
def first_step(request: HttpRequest) -> HttpResponse:
    form = FirstStepForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if services.start_with(request.user, form.answers(), request.user.today()):
            return redirect("home")
        messages.warning(request, _("There are no programs to choose from yet. Try again soon."))
        return redirect("programs:programs")
    status = 400 if form.errors else 200
    return render(request, "programs/first_step.html", {"form": form}, status=status)
