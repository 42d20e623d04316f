"""BackCare's middleware: the user's time zone, no caching of signed-in pages, and
Server-Timing."""

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone


class UserTimeZoneMiddleware:
    """Dates and times render in the user's own zone (streaks, due dates, calendars)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(user.zone)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class PrivatePagesMiddleware:
    """Answers to a signed-in person are theirs alone: `Cache-Control: private, no-store`,
    so that neither a shared cache nor the browser (the back button on a shared computer
    after signing out) keeps them. A view that set its own caching is left as it is."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Asked before and after: the view may sign the person in or out.
        signed_in = request.user.is_authenticated
        response = self.get_response(request)
        signed_in = signed_in or request.user.is_authenticated
        if signed_in and "Cache-Control" not in response:
            response["Cache-Control"] = "private, no-store"
        return response


class ServerTimingMiddleware:
    """Adds `Server-Timing: app;dur=<ms>` so benchmarks (and browsers' dev tools) can tell
    time spent in Django from time spent on the network.

    Only where `SERVER_TIMING` is on: to anyone else, exact server times can tell what a
    request did behind the scenes, such as whether an address has an account.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.SERVER_TIMING:
            return self.get_response(request)
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = f"app;dur={elapsed:.2f}"
        return response
