"""The next-morning question, asked before anything else on the first visit of a day after
a session."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from programs.services.outcomes import morning_check_due

# Pages of the app that wait for the question; a session under way, the safety questions
# and the question itself never do.
NOT_ASKED_ON = ("session", "safety", "morning-check", "hurts", "report-link", "shared-report")
SESSION_KEY = "backcare:morning-check-asked-on"


class MorningCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        if not self._asks(request):
            return None
        today = request.user.today()
        if request.session.get(SESSION_KEY) == today.isoformat():
            return None  # asked (or nothing to ask) already today: no query on every page
        if morning_check_due(request.user, today) is None:
            request.session[SESSION_KEY] = today.isoformat()
            return None
        target = reverse("programs:morning-check")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")

    @staticmethod
    def _asks(request: HttpRequest) -> bool:
        match = request.resolver_match
        if request.method != "GET" or not request.user.is_authenticated or match is None:
            return False
        if getattr(request, "htmx", False) or match.url_name is None:
            return False
        in_app = match.namespace == "programs" or match.url_name == "home"
        return in_app and not match.url_name.startswith(NOT_ASKED_ON)
