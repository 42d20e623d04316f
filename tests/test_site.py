"""Settings, security headers, time zones and the health check."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.test_security import run_in_production

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_need_a_secret_key():
    result = manage("check", DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="backcare.example.org",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_the_content_security_policy_is_strict(client):
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy


def test_scripts_carry_the_nonce_of_the_policy(client):
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    page = response.content.decode()
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in page
    assert 'htmx-2.min.js"' in page


def test_the_users_time_zone_is_active_for_their_requests(client):
    user = UserFactory(time_zone="Pacific/Auckland")
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.context["TIME_ZONE"] == "Pacific/Auckland"
    assert timezone.get_current_timezone_name() == "UTC"  # nothing leaks after the request


def test_an_anonymous_visitor_sees_utc(client):
    assert client.get(reverse("home")).context["TIME_ZONE"] == "UTC"


def test_the_health_check_answers(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_sqlite_runs_in_wal_with_immediate_transactions(settings):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    assert mode == "wal"


def test_every_user_facing_template_string_is_marked_for_translation():
    """No bare English text between tags: each text node is inside a translate tag."""
    import re

    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        # Drop template tags, variables, comments and tag markup; what is left is bare text.
        stripped = re.sub(
            r"{%\s*(blocktranslate|blocktrans)\b.*?{%\s*(endblocktranslate|endblocktrans)\s*%}",
            "",
            text,
            flags=re.S,
        )
        stripped = re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}", "", stripped, flags=re.S)
        stripped = re.sub(r"<[^>]*>", "\n", stripped)
        for line in stripped.splitlines():
            # The product's name is the same in every language.
            words = re.sub(r"[^A-Za-z]+", " ", line.replace("BackCare", "")).split()
            if any(len(word) > 1 for word in words):
                offenders.append(f"{path.relative_to(ROOT)}: {line.strip()}")
    assert offenders == []


def test_pages_answer_head_requests_as_well_as_get(client):
    assert client.head(reverse("home")).status_code == 200
    assert client.head(reverse("programs:library")).status_code == 200


PLAIN_HTTP_SCRIPT = """
import json

import django

django.setup()
from django.core.management import call_command
from django.test import Client

call_command("migrate", verbosity=0)
client = Client()
health, home = client.get("/healthz"), client.get("/")
print(json.dumps({
    "healthz": health.status_code,
    "home": home.status_code,
    "server_timing": [r.has_header("Server-Timing") for r in (health, home)],
}))
"""


def test_the_health_check_answers_over_plain_http_with_the_https_redirect_on(tmp_path):
    """A load balancer's health check asks over plain HTTP; a redirect reads as "down"."""
    answer = run_in_production(PLAIN_HTTP_SCRIPT, tmp_path, DJANGO_SECURE_SSL_REDIRECT="1")
    assert answer["healthz"] == 200
    assert answer["home"] == 301


def test_production_answers_carry_no_server_timing_unless_it_is_turned_on(tmp_path):
    assert run_in_production(PLAIN_HTTP_SCRIPT, tmp_path)["server_timing"] == [False, False]
    answer = run_in_production(PLAIN_HTTP_SCRIPT, tmp_path, DJANGO_SERVER_TIMING="1")
    assert answer["server_timing"] == [True, True]


@pytest.mark.parametrize("on", [True, False])
def test_server_timing_follows_its_setting(client, settings, on):
    settings.SERVER_TIMING = on
    response = client.get(reverse("healthz"))
    assert response.has_header("Server-Timing") is on
    if on:
        assert response["Server-Timing"].startswith("app;dur=")
