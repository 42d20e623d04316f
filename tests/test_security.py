"""Log-in throttling, CSRF on every POST, cookie flags in production, no personal data in
addresses, and no redirect to another site."""

import json
import os
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from tests.factories import PASSWORD, UserFactory
from tests.test_crawler import addresses, build_world, client_for, snapshot, url_patterns

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Users are made and log in often here; the real hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def log_in(client: Client, username: str, password: str, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


class TestLogInThrottling:
    def test_the_fifth_wrong_password_shows_the_lockout_page(self, client, user):
        for _ in range(4):
            response = log_in(client, user.username, "not-my-password")
            assert response.status_code == 200
            assert "correct username and password" in response.content.decode()
        response = log_in(client, user.username, "not-my-password")
        assert response.status_code == 429
        assert "registration/locked_out.html" in [t.name for t in response.templates]
        page = response.content.decode()
        assert "wait 15 minutes" in page
        assert reverse("password_reset") in page

    def test_the_right_password_is_refused_while_locked_out(self, client, user, password):
        for _ in range(5):
            log_in(client, user.username, "not-my-password")
        response = log_in(client, user.username, password)
        assert response.status_code == 429
        assert "_auth_user_id" not in client.session

    def test_the_lockout_is_for_that_username_from_that_address_only(self, user, password):
        locked = Client()
        for _ in range(5):
            log_in(locked, user.username, "not-my-password")
        someone_else = UserFactory()
        assert log_in(locked, someone_else.username, password).status_code == 302
        elsewhere = Client(REMOTE_ADDR="192.0.2.44")
        assert log_in(elsewhere, user.username, password).status_code == 302

    def test_after_15_minutes_the_right_password_works_again(self, client, user, password):
        for _ in range(5):
            log_in(client, user.username, "not-my-password")
        assert log_in(client, user.username, password).status_code == 429
        earlier = AccessAttempt.objects.get(username=user.username).attempt_time
        AccessAttempt.objects.update(attempt_time=earlier - timedelta(minutes=15, seconds=1))
        response = log_in(client, user.username, password)
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(user.pk)

    def test_a_successful_log_in_forgets_earlier_failures(self, client, user, password):
        for _ in range(4):
            log_in(client, user.username, "not-my-password")
        assert log_in(client, user.username, password).status_code == 302
        client.post(reverse("logout"))
        for _ in range(4):
            assert log_in(client, user.username, "not-my-password").status_code == 200

    def test_signing_up_still_signs_the_new_person_in(self, client):
        response = client.post(
            reverse("signup"),
            {
                "username": "new-person",
                "time_zone": "UTC",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
        assert response.status_code == 302
        assert client.get(reverse("profile")).status_code == 200


def post_endpoints(world) -> list:
    """Every address that takes a POST (anything but 405), asked in a rolled-back savepoint."""
    found = []
    for address in addresses(world):
        with transaction.atomic():
            status = client_for(world.owner).post(address.url).status_code
            transaction.set_rollback(True)
        if status != 405:
            found.append(address)
    return found


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}], ids=["form", "htmx"])
def test_every_post_endpoint_needs_the_csrf_token(headers):
    world = build_world()
    endpoints = post_endpoints(world)
    names = {address.name for address in endpoints}
    assert {"login", "programs:session-complete", "programs:goal-new"} <= names
    problems = []
    for address in endpoints:
        client = client_for(world.owner, enforce_csrf_checks=True)
        before = snapshot()
        response = client.post(address.url, {}, headers=headers)
        if response.status_code != 403:
            problems.append(f"POST {address.url} without a token: {response.status_code}")
        if snapshot() != before:
            problems.append(f"POST {address.url} without a token changed the database")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("name", ["login", "signup", "password_reset"])
def test_anonymous_forms_need_the_csrf_token(name, user, password):
    client = Client(enforce_csrf_checks=True)
    data = {"username": user.username, "password": password, "email": user.email}
    assert client.post(reverse(name), data).status_code == 403


def test_htmx_requests_with_the_token_in_their_header_go_through(user):
    """The control for the tests above: the header HTMX sends is accepted."""
    client = client_for(user, enforce_csrf_checks=True)
    client.get(reverse("profile"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("programs:library"),  # GET only: past the CSRF check it answers 405
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    assert response.status_code == 405
    response = client.post(
        reverse("exports:calendar-renew"), headers={"HX-Request": "true", "X-CSRFToken": token}
    )
    assert response.status_code == 303


COOKIE_SCRIPT = """
import json

import django

django.setup()
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

call_command("migrate", verbosity=0)
get_user_model().objects.create_user("cookie-check", password="a-long-test-passphrase-42")
response = Client().post(
    "/accounts/login/",
    {"username": "cookie-check", "password": "a-long-test-passphrase-42"},
    secure=True,
)
# Exactly the Set-Cookie header lines Django's WSGI handler sends.
print(json.dumps({
    "status": response.status_code,
    "set_cookie": {name: morsel.output(header="") for name, morsel in response.cookies.items()},
}))
"""


def test_production_cookies_are_secure_httponly_and_same_site_lax(tmp_path):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.pop("DATABASE_URL", None)
    environment.update(
        DJANGO_SETTINGS_MODULE="backcare.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    result = subprocess.run(
        [sys.executable, "-c", COOKIE_SCRIPT],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 302  # signed in
    headers = answer["set_cookie"]

    def attributes(name: str) -> set[str]:
        return {part.strip().lower() for part in headers[name].split(";")[1:]}

    session, csrf = attributes("sessionid"), attributes("csrftoken")
    assert {"secure", "httponly", "samesite=lax"} <= session
    assert {"secure", "samesite=lax"} <= csrf


# What an address may carry: ids, library slugs, and the secrets that are keys themselves.
IDS = {"pk", "step_pk"}
LIBRARY_SLUGS = {
    "programs:exercise",
    "programs:muscle-group",
    "programs:program",
    "programs:program-copy",
}
KEYS = {
    "password_reset_confirm": {"uidb64", "token"},
    "exports:calendar": {"token"},
    "programs:shared-report": {"token"},
}


def test_no_address_carries_personal_data():
    problems = []
    for pattern in url_patterns():
        for name, converter in pattern.converters.items():
            if name in IDS and converter == "IntConverter":
                continue
            if name == "slug" and converter == "SlugConverter" and pattern.name in LIBRARY_SLUGS:
                continue
            if name in KEYS.get(pattern.name, set()):
                continue
            problems.append(f"{pattern.route}: <{converter} {name}>")
    assert problems == []


@pytest.mark.parametrize(
    "target",
    ["//evil.example/", "/\\evil.example/", "/\t/evil.example/", "https://evil.example/"],
)
def test_deciding_a_suggestion_never_redirects_to_another_site(target):
    world = build_world()
    client = client_for(world.owner)
    url = reverse("programs:suggestion-decide", kwargs={"pk": world.suggestion.pk})
    response = client.post(url, {"decision": "dismiss", "next": target})
    assert response.status_code == 302
    assert url_has_allowed_host_and_scheme(response.url, allowed_hosts={"testserver"})
