"""Secret addresses never reach a log: gunicorn's access and error logs, nor Django's."""

import http.client
import logging
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.urls import reverse

from backcare.log_redaction import RedactSecretPaths, redact
from tests.test_crawler import build_world, url_patterns
from tests.test_security import KEYS

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
TOKEN = "Xk3-Secret_Token9"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            f'127.0.0.1 - - [25/Nov/2026:10:00:00 +0000] "GET /calendar/{TOKEN}.ics HTTP/1.1" '
            '200 512 "-" "Thunderbird/140"',
            '127.0.0.1 - - [25/Nov/2026:10:00:00 +0000] "GET /calendar/[redacted].ics HTTP/1.1" '
            '200 512 "-" "Thunderbird/140"',
        ),
        (
            f'"GET /calendar/{TOKEN}.ics?x=1 HTTP/1.1" 404',
            '"GET /calendar/[redacted].ics?x=1 HTTP/1.1" 404',
        ),
        (
            f'"GET /accounts/password/reset/MTI/{TOKEN}/ HTTP/1.1" 302',
            '"GET /accounts/password/reset/[redacted]/[redacted]/ HTTP/1.1" 302',
        ),
        (
            '"POST /accounts/password/reset/MTI/set-password/ HTTP/1.1" 302',
            '"POST /accounts/password/reset/[redacted]/[redacted]/ HTTP/1.1" 302',
        ),
        (
            f'"GET /r/{TOKEN}/ HTTP/1.1" 200 "https://backcare.example.org/r/{TOKEN}/print/"',
            '"GET /r/[redacted] HTTP/1.1" 200 "https://backcare.example.org/r/[redacted]"',
        ),
        (f"Not Found: /r/{TOKEN}/", "Not Found: /r/[redacted]"),
        (f"GET /calendar%2F{TOKEN}.ics", "GET /calendar%2F[redacted].ics"),
        # Addresses with no secret in them stay as they are.
        ('"POST /calendar/renew/ HTTP/1.1" 303', '"POST /calendar/renew/ HTTP/1.1" 303'),
        ('"GET /accounts/password/reset/ HTTP/1.1"', '"GET /accounts/password/reset/ HTTP/1.1"'),
        ('"GET /accounts/password/reset/sent/ HTTP/1.1"', None),
        ('"GET /accounts/password/reset/complete/ HTTP/1.1"', None),
        ('"GET /library/?kind=stretch HTTP/1.1" 200', None),
        ('"GET /static/js/runner.js HTTP/1.1" 200 "Mozilla/5.0 (X11; Linux x86_64)"', None),
    ],
)
def test_redact_hides_the_secret_part_of_every_secret_address(line, expected):
    assert redact(line) == (line if expected is None else expected)


def test_every_address_whose_part_is_a_key_is_redacted():
    """The addresses whose arguments are secrets (`KEYS` in test_security), as they are
    really built: a new one must be redacted too."""
    world = build_world()
    values = {"uidb64": "MTI", "token": world.owner.calendar_token}
    patterns = [pattern for pattern in url_patterns() if pattern.name in KEYS]
    assert {pattern.name for pattern in patterns} == set(KEYS)
    for pattern in patterns:
        kwargs = {name: values[name] for name in pattern.converters}
        url = reverse(pattern.name, kwargs=kwargs)
        redacted = redact(f'"GET {url} HTTP/1.1"')
        for name in KEYS[pattern.name]:
            assert values[name] not in redacted, url


def test_the_logging_filter_redacts_the_formatted_message():
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        (f"/calendar/{TOKEN}.ics",),
        None,
    )
    assert RedactSecretPaths().filter(record) is True
    assert record.getMessage() == "Not Found: /calendar/[redacted].ics"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str, referer: str = "-") -> int | None:
    """The status of a GET straight to the server (never through a proxy); None if it
    does not answer yet."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Referer": referer})
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()


def test_gunicorn_with_the_projects_config_logs_no_secret(tmp_path):
    """`make serve`'s gunicorn, with an access log: the requests carry secrets in their
    addresses and referrers; neither its logs nor Django's show them."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    # Development settings: pages find their static files without a collectstatic.
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    access_log, error_log = tmp_path / "access.log", tmp_path / "error.log"
    output = (tmp_path / "output.log").open("w")  # Django's log, on the server's stderr
    server = subprocess.Popen(
        [
            str(Path(python).parent / "gunicorn"),
            "backcare.wsgi",
            "--config",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--access-logfile",
            str(access_log),
            "--error-logfile",
            str(error_log),
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=output,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            if get(port, "/healthz") == 200:
                break
            time.sleep(0.2)
        statuses = [
            get(port, f"/calendar/{TOKEN}.ics", f"{base}/r/{TOKEN}/"),
            get(port, f"/accounts/password/reset/MTI/{TOKEN}/"),
            get(port, f"/r/{TOKEN}/", f"{base}/accounts/password/reset/MTI/{TOKEN}/"),
        ]
    finally:
        server.terminate()
        server.wait(timeout=30)
        output.close()
    access = access_log.read_text()
    assert statuses == [404, 200, 404]
    assert access.count("[redacted]") >= 5, access
    assert "/calendar/[redacted].ics" in access
    django_log = (tmp_path / "output.log").read_text()
    assert "Not Found: /calendar/[redacted].ics" in django_log
    for log in (access, error_log.read_text(), django_log):
        assert TOKEN not in log
