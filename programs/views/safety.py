"""The warning-signs questions and the not-medical-advice notice, before a first session
and again after very high pain."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from programs.forms import SafetyForm
from programs.models import Program
from programs.safety import SIGNS_BY_CODE, has_urgent
from programs.services import sessions as services
from programs.views.sessions import own_session, posted_data, stage_url, start_program

CHECK_FIRST_ADVICE = gettext_lazy(
    "You told us something worth a word with your health care provider before you start, if "
    "you have not had one already. You can go on now: move gently, read each exercise's "
    "cautions, and stop if anything hurts."
)


def _int_or_404(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def safety(request: HttpRequest) -> HttpResponse:
    """The questions; then the session they came from, or the program they were to start."""
    source = request.POST if request.method == "POST" else request.GET
    program = session = None
    if source.get("program"):
        visible = Program.objects.visible_to(request.user)
        program = get_object_or_404(visible, pk=_int_or_404(source["program"]))
    if source.get("session"):
        session = own_session(request, _int_or_404(source["session"]))
    needs_notice = request.user.notice_acknowledged_at is None
    form = SafetyForm(posted_data(request), needs_acknowledgement=needs_notice)
    if request.method == "POST" and form.is_valid():
        return _answered(request, form, program, session)
    context = {"form": form, "program": program, "session": session}
    return render(request, "programs/safety.html", context, status=400 if form.errors else 200)


def _answered(request: HttpRequest, form: SafetyForm, program, session) -> HttpResponse:
    signs = form.cleaned_data["warning_signs"]
    acknowledge = bool(form.cleaned_data.get("acknowledge"))
    check_first = form.cleaned_data.get("check_first") or []
    services.record_screening(request.user, signs, acknowledge, check_first)
    if check_first and not signs:
        messages.warning(request, CHECK_FIRST_ADVICE)
    if signs:
        if session is not None:
            services.abandon_session(session)
        advice = {"signs": [SIGNS_BY_CODE[code] for code in signs], "urgent": has_urgent(signs)}
        return render(request, "programs/safety_advice.html", advice)
    if session is not None:
        return redirect(stage_url(session))
    if program is not None:
        return start_program(request, program)
    messages.success(request, _("Thank you. You can start a session whenever you are ready."))
    return redirect("programs:programs")
