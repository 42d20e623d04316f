"""Accepting or dismissing a suggested step up or down."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programs.models import Suggestion
from programs.services import suggestions as services
from programs.views.builder import builder_page
from programs.views.library import program_page, programs_page

DECISIONS = {"accept": True, "dismiss": False}


@login_required
@require_POST
def suggestion_decide(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = get_object_or_404(Suggestion, pk=pk, user=request.user)
    accept = DECISIONS.get(request.POST.get("decision", ""))
    if accept is None:
        return _refused(request, suggestion, _("Choose to accept or dismiss the suggestion."))
    program = services.decide(suggestion, accept)
    if accept and program is not None:
        messages.success(
            request,
            _("Changed in %(name)s: your next session uses the new dose.") % {"name": program.name},
        )
    else:
        messages.info(request, _("Suggestion dismissed."))
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts=None) and target.startswith("/"):
        return redirect(target)
    return redirect(program or "programs:programs")


def _refused(request: HttpRequest, suggestion: Suggestion, message: str) -> HttpResponse:
    """The page the suggestion is shown on, again, with the reason beside it."""
    program = suggestion.program
    extra = {"suggestion_error": message, "status": 400}
    if program is None:
        return programs_page(request, start_error=message, status=400)
    if program.is_curated:
        return program_page(request, program, **extra)
    return builder_page(request, program, **extra)
