"""Browser tests: Playwright drives a real Chromium against pytest-django's live server."""

import os
from pathlib import Path

import pytest

from programs.library_loader import load_library

# Playwright's sync API runs an event loop in this thread; Django's ORM must still be
# allowed to run beside it for fixtures and assertions.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("BACKCARE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    args = {**browser_type_launch_args, "args": CHROMIUM_FLAGS}
    if Path(CHROMIUM).exists():
        args["executable_path"] = CHROMIUM
    return args


@pytest.fixture
def site(live_server, transactional_db) -> str:
    """The live server's address, with the real library loaded."""
    load_library()
    return live_server.url


@pytest.fixture
def page(page):
    page.set_default_timeout(10_000)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    # A request that fails because a test took the network away is expected.
    offline = "ERR_INTERNET_DISCONNECTED"
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error" and offline not in message.text
            else None
        ),
    )
    yield page
    assert problems == [], f"The browser reported errors: {problems}"


@pytest.fixture
def sign_in(site, context):
    """Put a signed-in session cookie for `user` into the browser."""
    from django.conf import settings
    from django.test import Client

    def sign_in_as(user):
        client = Client()
        client.force_login(user)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": site,
                }
            ]
        )
        return user

    return sign_in_as
