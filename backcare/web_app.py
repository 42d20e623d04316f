"""The installable app: its manifest, its service worker and the page it shows offline.

None of them holds anything of the person's, so none is private; each is `no-cache`, so
the browser asks again on its next visit and a release reaches it at once.
"""

import hashlib
import json

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

# From static/css/backcare.css: the page's background, and the header bar (light, dark)
# that the browser's own bar continues.
BACKGROUND = "#f7f5f0"
THEME = "#ffffff"
ICONS = [
    ("img/icon-192.png", "192x192", "any"),
    ("img/icon-512.png", "512x512", "any"),
    ("img/icon-maskable-512.png", "512x512", "maskable"),
    ("img/icon.svg", "any", "any"),
]
# What every page looks like, kept when the worker is installed: the offline page needs it.
CORE_FILES = [
    "vendor/pico/pico.min.css",
    "css/backcare.css",
    "img/icon.svg",
    "js/install.js",
    "js/offline.js",
]


@require_safe
def manifest(request: HttpRequest) -> JsonResponse:
    home = reverse("home")
    response = JsonResponse(
        {
            "id": home,
            "name": "BackCare",
            "short_name": "BackCare",
            "description": _("Guided exercise sessions, goals and progress for your back."),
            "start_url": home,
            "scope": home,
            "display": "standalone",
            "background_color": BACKGROUND,
            "theme_color": THEME,
            "categories": ["health", "fitness", "medical"],
            "icons": [
                {"src": static(path), "sizes": sizes, "type": _image_type(path), "purpose": use}
                for path, sizes, use in ICONS
            ],
        },
        content_type="application/manifest+json",
    )
    response["Cache-Control"] = "no-cache"
    return response


def _image_type(path: str) -> str:
    return "image/svg+xml" if path.endswith(".svg") else "image/png"


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """static/js/sw.js, at the root so that it may look after every page, with this
    release's addresses above it. Static names change with each release in production,
    and so then does the worker: the browser installs the new one and drops old caches."""
    source = _worker_source()
    precache = [reverse("offline"), *(static(path) for path in CORE_FILES)]
    version = hashlib.sha256((source + "\n".join(precache)).encode()).hexdigest()[:12]
    config = {
        "version": version,
        "static": settings.STATIC_URL,
        "offline": reverse("offline"),
        "precache": precache,
    }
    body = f"const BACKCARE = {json.dumps(config)};\n{source}"
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


def _worker_source() -> str:
    with open(finders.find("js/sw.js"), encoding="utf-8") as file:
        return file.read()


@require_safe
def offline(request: HttpRequest) -> HttpResponse:
    """What the worker shows for a page it cannot fetch: the same for everybody, so it
    names nobody and shows no menu of signed-in pages."""
    response = render(request, "offline.html")
    response["Cache-Control"] = "no-cache"
    return response
