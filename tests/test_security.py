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
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from backcare.throttling import client_address
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

    def test_twenty_wrong_passwords_from_one_address_lock_it_out_for_every_username(
        self, client, password
    ):
        """Password spraying: one password tried on many accounts, never five on one."""
        names = [user.username for user in UserFactory.create_batch(4)] + ["nobody-here"]
        for attempt in range(19):
            response = log_in(client, names[attempt % 5], "Summer2026!")
            assert response.status_code == 200, attempt
        assert log_in(client, names[0], "Summer2026!").status_code == 429
        # A username never tried from here, with its right password: still paused here...
        fresh = UserFactory()
        assert log_in(client, fresh.username, password).status_code == 429
        # ...but not from anywhere else.
        elsewhere = Client(REMOTE_ADDR="192.0.2.44")
        assert log_in(elsewhere, fresh.username, password).status_code == 302

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


PROXY_SCRIPT = """
import json

import django

django.setup()
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

# The log-in page renders without a collectstatic first.
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
call_command("migrate", verbosity=0)
get_user_model().objects.create_user("owner", password="a-long-test-passphrase-42")
BALANCER = "10.0.0.2"


def log_in(client_address, password, sent_by_client=""):
    # The balancer appends the address it was reached from to what the client sent.
    forwarded = ", ".join(hop for hop in [sent_by_client, client_address] if hop)
    client = Client(
        REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR=forwarded, HTTP_X_FORWARDED_PROTO="https"
    )
    response = client.post(
        "/accounts/login/", {"username": "owner", "password": password}, secure=True
    )
    return response.status_code


attacker = [log_in("203.0.113.66", "wrong", sent_by_client="198.51.100.20") for _ in range(6)]
print(json.dumps({
    "attacker": attacker,
    "owner": log_in("198.51.100.20", "a-long-test-passphrase-42"),
    "recorded": sorted(set(AccessAttempt.objects.values_list("ip_address", flat=True))),
}))
"""


class TestLogInBehindAProxy:
    """Every request reaches the app from the balancer's address; the client's own address
    is in X-Forwarded-For, trusted only when DJANGO_BEHIND_TLS_PROXY says a proxy is there."""

    def test_failures_from_one_client_do_not_lock_out_the_owner_elsewhere(self, tmp_path):
        answer = run_in_production(PROXY_SCRIPT, tmp_path, DJANGO_BEHIND_TLS_PROXY="1")
        assert answer["attacker"] == [200, 200, 200, 200, 429, 429]
        assert answer["owner"] == 302
        # The address our balancer wrote, not the one the attacker put in the header.
        assert answer["recorded"] == ["203.0.113.66"]

    def test_without_the_proxy_setting_the_header_is_ignored(self, tmp_path):
        answer = run_in_production(PROXY_SCRIPT, tmp_path)
        assert answer["attacker"] == [200, 200, 200, 200, 429, 429]
        assert answer["owner"] == 429  # one server, one address: as if no header was sent
        assert answer["recorded"] == ["10.0.0.2"]

    @pytest.mark.parametrize(
        ("proxies", "forwarded", "address"),
        [
            (0, "203.0.113.7", "10.0.0.2"),
            (1, "203.0.113.7", "203.0.113.7"),
            (1, "198.51.100.1, 203.0.113.7", "203.0.113.7"),
            (2, "198.51.100.1, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
            (1, "203.0.113.7:4711", "203.0.113.7"),
            (1, "[2001:db8::7]:443", "2001:db8::7"),
            (1, "", "10.0.0.2"),
            (2, "203.0.113.7", "10.0.0.2"),
            (1, "unknown", "10.0.0.2"),
            (1, "not an address, 203.0.113.7", "203.0.113.7"),
        ],
    )
    def test_the_client_address_is_the_entry_our_own_proxy_wrote(
        self, settings, rf, proxies, forwarded, address
    ):
        settings.TRUSTED_PROXY_COUNT = proxies
        request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
        assert client_address(request) == address


NEW_PASSWORD = "a-brand-new-passphrase-7"

# Each form that asks a signed-in person for their password: what it posts with a given
# password, and the form (in the page's context) and field the message stands next to.
PASSWORD_FORMS = {
    "delete_account": (lambda password: {"password": password}, "form", "password"),
    "password_change": (
        lambda password: {
            "old_password": password,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        "form",
        "old_password",
    ),
    "email_change": (
        lambda password: {"email": "someone.else@example.com", "password": password},
        "email_form",
        "password",
    ),
}


class TestPasswordChecksAreThrottled:
    """Whoever holds a signed-in session gets no more guesses at the password than at the
    log-in page: the same limits, the same records, the same lockout page."""

    @staticmethod
    def account(user):
        user.refresh_from_db()
        return (user.email, user.password)

    @pytest.mark.parametrize("name", PASSWORD_FORMS)
    def test_the_fifth_wrong_password_pauses_the_form_and_changes_nothing(
        self, user_client, user, password, name
    ):
        data, form, field = PASSWORD_FORMS[name]
        before = self.account(user)
        for _ in range(4):
            response = user_client.post(reverse(name), data("not-my-password"))
            assert response.status_code == 400
            assert response.context[form].errors[field]
        response = user_client.post(reverse(name), data("not-my-password"))
        assert response.status_code == 429
        assert "wait 15 minutes" in response.content.decode()
        # Paused: even the right password is refused, and nothing is changed.
        response = user_client.post(reverse(name), data(password))
        assert response.status_code == 429
        assert self.account(user) == before
        # The log-in page is paused for that account from here too.
        user_client.post(reverse("logout"))
        assert log_in(user_client, user.username, password).status_code == 429

    def test_wrong_passwords_at_log_in_count_toward_the_forms_too(self, user, password):
        for _ in range(5):
            log_in(Client(), user.username, "not-my-password")
        client = Client()
        client.force_login(user)
        response = client.post(reverse("delete_account"), {"password": password})
        assert response.status_code == 429
        assert get_user_model().objects.filter(pk=user.pk).exists()

    def test_a_wrong_password_is_recorded_without_the_new_password(self, user_client, user):
        data = PASSWORD_FORMS["password_change"][0]
        user_client.post(reverse("password_change"), data("not-my-password"))
        attempt = AccessAttempt.objects.get(username=user.username)
        assert NEW_PASSWORD not in attempt.post_data
        assert "not-my-password" not in attempt.post_data


# The installable app's files (backcare/web_app.py): the same bytes for everybody, so
# caching them exposes nobody; the service worker and the browser keep them for offline use.
SAME_FOR_EVERYBODY = {"manifest", "service-worker", "offline"}


class TestPrivatePages:
    def test_every_answer_to_a_signed_in_person_is_kept_out_of_caches(self):
        world = build_world()
        client = client_for(world.owner)
        problems = []
        for address in addresses(world):
            if address.name in SAME_FOR_EVERYBODY:
                continue
            response = client.get(address.url)
            cache_control = response.get("Cache-Control", "")
            if "no-store" not in cache_control or "private" not in cache_control:
                problems.append(f"GET {address.url}: Cache-Control {cache_control!r}")
        assert problems == []

    @pytest.mark.parametrize("name", sorted(SAME_FOR_EVERYBODY))
    def test_the_apps_own_files_are_the_same_for_a_person_as_for_a_visitor(self, name, user):
        anonymous = Client().get(reverse(name))
        signed_in = client_for(user).get(reverse(name))
        assert signed_in.status_code == anonymous.status_code == 200
        assert signed_in.content == anonymous.content
        assert signed_in["Cache-Control"] == "no-cache"

    def test_a_page_for_everyone_seen_by_a_visitor_is_left_alone(self, client):
        response = client.get(reverse("programs:library"))
        assert response.status_code == 200
        assert "no-store" not in response.get("Cache-Control", "")

    def test_a_view_that_sets_its_own_caching_keeps_it(self, user_client):
        response = user_client.get(reverse("healthz"))
        never_cache = "max-age=0, no-cache, no-store, must-revalidate, private"
        assert response["Cache-Control"] == never_cache

    def test_the_answers_that_sign_a_person_up_or_delete_them_are_private_too(
        self, client, password
    ):
        data = {"username": "new-person", "time_zone": "UTC"}
        data |= {"password1": PASSWORD, "password2": PASSWORD}
        response = client.post(reverse("signup"), data)
        assert response.status_code == 302
        assert response["Cache-Control"] == "private, no-store"
        response = client.post(reverse("delete_account"), {"password": PASSWORD})
        assert response.status_code == 302
        assert response["Cache-Control"] == "private, no-store"


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


# Mail programs post to the one-click unsubscribe address themselves, with no page and so no
# token (RFC 8058); the signed key in the address is what lets them, and all it does is stop
# reminder mail (tests/test_reminder_mail.py).
WITHOUT_CSRF = {"programs:reminders-stop"}


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}], ids=["form", "htmx"])
def test_every_post_endpoint_needs_the_csrf_token(headers):
    world = build_world()
    endpoints = post_endpoints(world)
    names = {address.name for address in endpoints}
    assert {"login", "programs:session-complete", "programs:goal-new"} <= names
    assert names >= WITHOUT_CSRF
    problems = []
    for address in endpoints:
        if address.name in WITHOUT_CSRF:
            continue
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


def run_in_production(script: str, tmp_path: Path, **environment: str) -> dict:
    """Run `script` in a fresh process with production settings (`DJANGO_DEBUG=0`) on its
    own SQLite file, plus `environment`; returns the JSON its last line prints."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("DATABASE_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="backcare.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **environment,
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_cookies_are_secure_httponly_and_same_site_lax(tmp_path):
    answer = run_in_production(COOKIE_SCRIPT, tmp_path)
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
    "programs:reminders-stop": {"token"},
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
