"""A read-only link to the clinician report: made, listed and revoked by the person,
opened by their clinician without an account."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from programs.forms import ReportLinkForm
from programs.models import ReportLink
from programs.views.history import report_context

NEW_LINK = "backcare:new-report-link"


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def report_links(request: HttpRequest) -> HttpResponse:
    form = ReportLinkForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        _link, token = ReportLink.make(request.user, form.cleaned_data["days"])
        # Shown once, on the next page: only a digest of it is stored.
        request.session[NEW_LINK] = request.build_absolute_uri(
            reverse("programs:shared-report", args=[token])
        )
        return redirect("programs:report-links")
    context = {
        "form": form,
        "links": request.user.report_links.all(),
        "new_url": request.session.pop(NEW_LINK, None),
    }
    return render(
        request, "programs/report_links.html", context, status=400 if form.errors else 200
    )


@login_required
@require_POST
def report_link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(ReportLink, pk=pk, user=request.user).revoke()
    messages.success(request, _("The link no longer works."))
    return redirect("programs:report-links")


@require_safe
@never_cache
def shared_report(request: HttpRequest, token: str) -> HttpResponse:
    """The report and nothing else, for whoever holds a live link."""
    link = ReportLink.objects.for_token(token).select_related("user").first()
    if link is None or not link.user.is_active:
        raise Http404
    ReportLink.objects.filter(pk=link.pk).update(last_viewed_at=timezone.now())
    context = report_context(link.user, link.user.today()) | {"shared": link}
    response = render(request, "programs/report.html", context)
    response["Cache-Control"] = "no-store, private"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
