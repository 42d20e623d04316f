"""Load test: many people run whole sessions at once, and no completed step is lost or doubled.

Builds a fresh database (a SQLite file in a temporary folder, or a dedicated PostgreSQL
database with --database-url), migrates it, collects static files and loads the library with
production settings, starts gunicorn, and lets --users people (200) run a whole session of
--program at the same moment over HTTP, as the browser does: start the program, say the pain
before, open the runner, send each step's completion (HTMX, with the runner's key, retried
with the same key when a request fails), then the pain after. No pauses between requests: it
is a stress test, not a model of real timing.

At the end it counts, per session, the completions the server acknowledged (2xx) and the
StepCompletion rows in the database, and says whether they match. With --fault it SIGKILLs a
gunicorn worker, or stops and restarts the whole server, at a random moment of the run;
clients retry, and a few sessions are reopened to show the runner resumes at the right step.

Writes bench-results/load-<database>-<fault>.json (and gunicorn's stderr beside it).
Exits non-zero when counts differ, a session could not be finished, a resume check failed,
or (without a fault) any response was a 5xx.

Example: .venv/bin/python tests/bench/bench_load.py --fault worker-kill \\
             --database-url postgres://postgres@127.0.0.1:5432/backcare_load
"""

import argparse
import contextlib
import gzip
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.bench_runner import (  # noqa: E402
    PYTHON,
    configure,
    drive,
    fresh_postgres,
    manage,
)

RUNNER_DATA = re.compile(
    r'<script id="runner-data" type="application/json">(.*?)</script>', re.DOTALL
)
SESSION_PATH = re.compile(r"/sessions/(\d+)/")
# The step on show: the one article of the runner not marked hidden.
CURRENT_STEP = re.compile(
    r'<article class="runner-step" id="step-(\d+)" data-step="\d+" data-phase="[\w-]+">'
)
FAULTS = ("none", "worker-kill", "restart", "server-kill")


class GaveUp(Exception):
    """A request kept failing until the retry time ran out."""


class Failed(Exception):
    """The server answered something a browser could not carry on from."""


# --- the database -------------------------------------------------------------------------


def seed(users: int, program_slug: str) -> tuple[int, int, list[dict], dict[str, str]]:
    """Users ready to start a session (notice read, screening done), each with a sign-in
    cookie; returns the program's pk and step count, the people, and the cookie names."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connections
    from django.test import Client
    from django.utils import timezone

    from programs.models import Program

    program = Program.objects.curated().get(slug=program_slug)
    tag = secrets.token_hex(3)
    people = []
    User = get_user_model()
    for number in range(users):
        user = User.objects.create_user(
            f"load{number}-{tag}", notice_acknowledged_at=timezone.now(), screening_due=False
        )
        client = Client()
        client.force_login(user)
        people.append(
            {"user": user.pk, "cookie": client.cookies[settings.SESSION_COOKIE_NAME].value}
        )
    names = {"session": settings.SESSION_COOKIE_NAME, "csrf": settings.CSRF_COOKIE_NAME}
    steps = program.steps.count()
    connections.close_all()  # hold no SQLite lock while the server works
    return program.pk, steps, people, names


def stored_completions(sessions: list[int]) -> list[tuple[int, int, str]]:
    """(session, step, key) of every StepCompletion row of these sessions."""
    from django.db import connection

    from programs.models import StepCompletion

    try:
        return [
            (session, step, str(key))
            for session, step, key in StepCompletion.objects.filter(
                step__session_id__in=sessions
            ).values_list("step__session_id", "step_id", "key")
        ]
    finally:
        connection.close()


def session_state(session: int) -> dict:
    """What the server should show for a session now: its steps in order, which are stored."""
    from django.db import connection

    from programs.models import Session, SessionStep

    try:
        row = Session.objects.values("status", "pain_before", "pain_after").get(pk=session)
        steps = list(
            SessionStep.objects.filter(session_id=session)
            .order_by("position")
            .values_list("pk", "completion__id")
        )
    finally:
        connection.close()
    return {
        **row,
        "steps": [pk for pk, _ in steps],
        "stored": {pk for pk, completion in steps if completion is not None},
    }


# --- the server ---------------------------------------------------------------------------


class Server:
    """gunicorn with its stderr kept in a file, so a traceback can be shown afterwards."""

    def __init__(self, env: dict[str, str], port: int, workers: int, log: Path) -> None:
        self.env, self.port, self.workers, self.log = env, port, workers, log
        self.expected_workers = workers
        self.process: subprocess.Popen | None = None

    def start(self) -> float:
        """Start it and wait until /healthz answers; returns the seconds that took."""
        started = time.monotonic()
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                [
                    str(Path(PYTHON).parent / "gunicorn"),
                    "backcare.wsgi",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    str(self.workers),
                    "--log-level",
                    "warning",
                    # The default control socket is one path shared by every gunicorn on
                    # the machine; this one must not take over another's.
                    "--no-control-socket",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=log,
            )
        for _ in range(300):  # 30 s at most
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {self.log}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    connection.close()
                    return time.monotonic() - started
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise SystemExit(f"gunicorn did not answer /healthz; see {self.log}")

    def stop(self) -> float:
        """SIGTERM (gunicorn finishes the requests in hand), then wait; returns seconds."""
        started = time.monotonic()
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        return time.monotonic() - started

    def worker_pids(self) -> list[int]:
        assert self.process is not None
        pids = []
        for children in Path(f"/proc/{self.process.pid}/task").glob("*/children"):
            with contextlib.suppress(OSError):  # a thread may end while we read
                pids += [int(pid) for pid in children.read_text().split()]
        return sorted(set(pids))


class Balanced:
    """Two gunicorn servers behind HAProxy, which answers on `port` and sends each request to
    a server that passes its health check (GET /healthz, twice a second)."""

    def __init__(self, env: dict[str, str], port: int, workers: int, log: Path) -> None:
        self.port, self.log = port, log
        self.servers = [Server(env, port + n, workers, log) for n in (1, 2)]
        self.expected_workers = 2 * workers
        self.config = log.with_suffix(".haproxy.cfg")
        self.process: subprocess.Popen | None = None

    def start(self) -> float:
        started = time.monotonic()
        for server in self.servers:
            server.start()
        ports = [server.port for server in self.servers]
        self.config.write_text(haproxy_config(self.port, ports, self.servers[0].workers))
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                [haproxy(), "-db", "-f", str(self.config)], stdout=log, stderr=log
            )
        for _ in range(100):  # 10 s at most
            with contextlib.suppress(OSError):
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                connection.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
                if connection.getresponse().status == 200:
                    return time.monotonic() - started
            time.sleep(0.1)
        self.stop()
        raise SystemExit(f"HAProxy did not answer /healthz; see {self.log}")

    def stop(self) -> float:
        started = time.monotonic()
        for server in self.servers:
            server.stop()
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        return time.monotonic() - started

    def worker_pids(self) -> list[int]:
        return sorted(pid for s in self.servers if s.process for pid in s.worker_pids())

    def kill_one(self, chooser: random.Random) -> dict:
        """SIGKILL one whole server, its master and its workers; it stays down."""
        victim = chooser.choice(self.servers)
        pids = [*victim.worker_pids(), victim.process.pid]
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        victim.process.wait(timeout=10)
        self.expected_workers -= victim.workers
        return {"killed_server_port": victim.port, "killed_pids": pids}


def bare_view(port: int) -> dict:
    """The bare /healthz through the same front door, for the ratios: 400 requests, 8 at once."""
    drive(port, [("GET", "/healthz", None, {})] * 50, 8)  # warm up
    return drive(port, [("GET", "/healthz", None, {})] * 400, 8)


def haproxy() -> str:
    """HAProxy's path; Debian's package is installed when missing and this runs as root."""
    if shutil.which("haproxy") is None and os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing Debian's haproxy for --balanced")
        subprocess.run(["apt-get", "install", "-y", "-qq", "haproxy"], check=False)
    found = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/usr/local/sbin")
    if found is None:
        raise SystemExit("--balanced needs HAProxy: sudo apt-get install haproxy")
    return found


def haproxy_config(port: int, server_ports: list[int], workers: int) -> str:
    """HAProxy in front of the servers. Each server gets as many requests at once as it has
    workers; the rest wait in HAProxy's queue, so a health check never waits behind a
    backlog (and a busy server is not taken for a dead one)."""
    servers = "\n".join(
        f"    server app{n} 127.0.0.1:{p} maxconn {workers} check inter 1s fall 3 rise 1"
        for n, p in enumerate(server_ports, start=1)
    )
    # Only a request that never reached a server is sent to the other one (HAProxy's default
    # retry-on conn-failure): anything else is for the client to retry, with its own key.
    return f"""global
    maxconn 2000
defaults
    mode http
    timeout connect 2s
    timeout client 120s
    timeout server 120s
    timeout queue 120s
    timeout check 5s
    retries 3
    option redispatch
frontend web
    bind 127.0.0.1:{port}
    default_backend app
backend app
    balance roundrobin
    option httpchk
    http-check send meth GET uri /healthz hdr Host 127.0.0.1
{servers}
"""


# --- the people ---------------------------------------------------------------------------


class Stats:
    """Every response and every failed attempt, from all the people at once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.responses: list[tuple[str, float, float, int]] = []  # kind, ms, server ms, status
        self.errors: Counter = Counter()  # failed attempts by error and request kind
        self.acknowledged = 0
        self.started = time.monotonic()

    def response(self, kind: str, ms: float, server_ms: float, status: int) -> None:
        with self.lock:
            self.responses.append((kind, ms, server_ms, status))
            if kind == "complete" and status in (200, 201):
                self.acknowledged += 1

    def error(self, kind: str, error: Exception) -> None:
        with self.lock:
            self.errors[f"{type(error).__name__} on {kind}"] += 1


class Person:
    """One simulated browser: a sign-in cookie, a connection, and a session to get through."""

    def __init__(self, number: int, seed: dict, names: dict, args, stats: Stats) -> None:
        self.number = number
        self.user = seed["user"]
        self.names = names
        self.cookies = {names["session"]: seed["cookie"], names["csrf"]: secrets.token_hex(16)}
        self.args = args
        self.stats = stats
        self.connection: http.client.HTTPConnection | None = None
        self.random = random.Random(args.seed * 100_000 + number)
        self.phase = "waiting"
        self.session: int | None = None
        self.steps: list[int] = []
        self.keys: dict[int, str] = {}  # step -> the key its completion was sent with
        self.acknowledged: dict[int, int] = {}  # step -> status of the acknowledgement
        self.rejected: list[str] = []
        self.failure: str | None = None
        self.finished = threading.Event()
        # A probe stops by itself after this many acknowledged steps, until a resume check.
        self.hold_after: int | None = None
        self.held_at: int | None = None
        # A resume check pauses a person between requests, so the page it reads is stable.
        self.go = threading.Event()
        self.go.set()
        self.parked = threading.Event()

    # HTTP ---------------------------------------------------------------------------------

    def _once(self, method: str, path: str, body: str | None, headers: dict) -> tuple:
        if self.connection is None:
            self.connection = http.client.HTTPConnection(
                "127.0.0.1", self.args.port, timeout=self.args.request_timeout
            )
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        headers = {
            "Host": f"127.0.0.1:{self.args.port}",
            "Cookie": cookie,
            "Accept-Encoding": "gzip",
            **headers,
        }
        if method == "POST":
            headers["X-CSRFToken"] = self.cookies[self.names["csrf"]]
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        if response.getheader("Content-Encoding") == "gzip":
            data = gzip.decompress(data)
        for header in response.msg.get_all("Set-Cookie") or []:
            self._keep_cookie(header)
        if response.will_close:
            self._reset()
        return response, data.decode("utf-8", "replace")

    def _keep_cookie(self, header: str) -> None:
        name, _, rest = header.partition("=")
        value = rest.split(";")[0]
        if not value or "max-age=0" in rest.lower():
            if name != self.names["csrf"]:
                self.cookies.pop(name, None)
        else:
            self.cookies[name] = value

    def _reset(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def _gate(self) -> None:
        if not self.go.is_set():
            self.parked.set()
            self.go.wait(timeout=self.args.max_seconds)
            self.parked.clear()

    def send(self, kind: str, method: str, path: str, fields=None, htmx=False) -> tuple:
        """One request, retried as it was (same body, same key) after a connection error
        or a 5xx, until --retry-timeout; returns (status, headers, text)."""
        body = urlencode(fields) if fields is not None else None
        headers = {"HX-Request": "true"} if htmx else {}
        deadline = time.monotonic() + self.args.retry_timeout
        delay = 0.05
        while True:
            self._gate()
            started = time.perf_counter()
            try:
                response, text = self._once(method, path, body, headers)
            except (OSError, http.client.HTTPException) as error:
                self.stats.error(kind, error)
                self._reset()
            else:
                ms = (time.perf_counter() - started) * 1000
                timing = response.getheader("Server-Timing", "app;dur=0")
                self.stats.response(kind, ms, float(timing.split("dur=")[1]), response.status)
                if response.status < 500:
                    return response.status, response, text
            if time.monotonic() > deadline:
                raise GaveUp(f"{method} {path} still failing after {self.args.retry_timeout} s")
            time.sleep(delay * self.random.uniform(0.5, 1.5))
            delay = min(delay * 2, 1.0)

    def follow(self, location: str) -> tuple[str, str]:
        """GET a page and its redirects, as a browser does; returns (path, text)."""
        path = location
        for _ in range(10):
            path = urlsplit(path)._replace(scheme="", netloc="").geturl()
            status, response, text = self.send("page", "GET", path)
            if status in (301, 302, 303):
                path = response.getheader("Location")
                continue
            if status != 200:
                raise Failed(f"GET {path} answered {status}")
            return path, text
        raise Failed(f"too many redirects from {location}")

    def post_form(self, kind: str, path: str, fields: dict) -> tuple[str, str]:
        status, response, _ = self.send(kind, "POST", path, fields)
        if status not in (302, 303):
            raise Failed(f"POST {path} answered {status}")
        return self.follow(response.getheader("Location"))

    # The session --------------------------------------------------------------------------

    def run(self, program: int, start: threading.Event) -> None:
        try:
            start.wait(timeout=60)
            self._run(program)
            self.phase = "finished"
        except (GaveUp, Failed) as error:
            self.failure = str(error)
        except Exception as error:  # a bug here must not look like a lost completion
            self.failure = f"{type(error).__name__}: {error}"
        finally:
            self._reset()
            self.finished.set()

    def _run(self, program: int) -> None:
        self.phase = "start"
        status, response, text = self.send(
            "start", "POST", "/sessions/start/", {"program": program}
        )
        if status in (302, 303):
            location = response.getheader("Location")
        elif status == 409:
            # A retried start the server had already done: "Continue it", as a person would.
            match = SESSION_PATH.search(text)
            if match is None:
                raise Failed("409 on start without a session to continue")
            location = match.group(0)
        else:
            raise Failed(f"POST /sessions/start/ answered {status}")
        self.session = int(SESSION_PATH.search(location).group(1))
        path, text = self.follow(location)
        # React to the page the server shows, as a person would, until the summary.
        for _ in range(20):
            if path.endswith("/pain-before/"):
                self.phase = "pain-before"
                path, text = self.post_form(
                    "pain-before", path, {"pain": self.random.randint(0, 3)}
                )
            elif path.endswith("/run/"):
                self.phase = "steps"
                path, text = self.do_steps(text)
            elif path.endswith("/pain-after/"):
                self.phase = "pain-after"
                path, text = self.post_form("pain-after", path, {"pain": self.random.randint(0, 3)})
            elif path.endswith("/summary/"):
                return
            else:
                raise Failed(f"landed on {path}")
        raise Failed("did not reach the summary")

    def do_steps(self, page: str) -> tuple[str, str]:
        data = json.loads(RUNNER_DATA.search(page).group(1))
        self.steps = [step["id"] for step in data["steps"]]
        for step in data["steps"]:
            if step["done"]:
                continue
            self.keys[step["id"]] = step["key"]
            status, _, text = self.send(
                "complete",
                "POST",
                step["completeUrl"],
                {"key": step["key"], "seconds_done": step["seconds"], "skipped": ""},
                htmx=True,
            )
            if status in (200, 201):
                self.acknowledged[step["id"]] = status
            else:
                self.rejected.append(f"step {step['id']}: {status} {text.strip()[:200]}")
            if self.hold_after is not None and len(self.acknowledged) >= self.hold_after:
                self.held_at, self.hold_after = len(self.acknowledged), None
                self.go.clear()
                self._gate()
        # All sent: the runner goes to the session's address, which says what comes next.
        return self.follow(data["nextUrl"])


# --- faults and resume checks -------------------------------------------------------------


def trigger(args, stats: Stats, people: list[Person], target: float) -> float:
    """Wait for a fault's moment: `target` seconds with --fault-at, or else `target`
    acknowledged steps."""
    while time.monotonic() - stats.started < args.max_seconds:
        elapsed = time.monotonic() - stats.started
        if args.fault_at is not None and elapsed >= target:
            break
        if args.fault_at is None and stats.acknowledged >= target:
            break
        if all(person.finished.is_set() for person in people):
            break
        time.sleep(0.01)
    return time.monotonic() - stats.started


def inject(args, server: Server, stats: Stats, people: list[Person], targets: list) -> dict:
    """The fault at its moment (for worker-kill, one kill at each of `targets`)."""
    fault: dict = {"kind": args.fault}
    if args.fault == "worker-kill":
        fault["kills"] = []
        chooser = random.Random(args.seed)
        for target in targets:
            at = trigger(args, stats, people, target)
            kill = {"at_seconds": round(at, 2), "acknowledged_before": stats.acknowledged}
            workers = server.worker_pids()
            if not workers:
                raise SystemExit("found no gunicorn worker to kill")
            victim = chooser.choice(workers)
            os.kill(victim, signal.SIGKILL)
            started = time.monotonic()
            for _ in range(300):  # the master starts a new worker; 30 s at most
                now = server.worker_pids()
                if len(now) >= server.expected_workers and victim not in now:
                    break
                time.sleep(0.1)
            kill.update(
                workers_before=workers,
                killed_pid=victim,
                workers_after=server.worker_pids(),
                replaced_in_seconds=round(time.monotonic() - started, 2),
            )
            fault["kills"].append(kill)
        fault.update(
            at_seconds=fault["kills"][0]["at_seconds"],
            acknowledged_before=fault["kills"][0]["acknowledged_before"],
        )
    else:
        at = trigger(args, stats, people, targets[0])
        fault.update(at_seconds=round(at, 2), acknowledged_before=stats.acknowledged)
    if args.fault == "server-kill":
        fault.update(server.kill_one(random.Random(args.seed)))
    if args.fault == "restart":
        fault["stop_seconds"] = round(server.stop(), 2)
        time.sleep(args.down_seconds)
        fault["start_seconds"] = round(server.start(), 2)
        fault["down_seconds"] = round(time.monotonic() - stats.started - at, 2)
    return fault


def resume_checks(args, people: list[Person], probes: list[Person], count: int) -> list[dict]:
    """Open some sessions' address as a fresh page would, and compare where it lands with
    what the database holds: the probes, stopped since before the fault, and a few people
    paused between two requests in the middle of their steps."""
    chooser = random.Random(args.seed + 1)
    midway = [
        p
        for p in people
        if p.phase == "steps" and not p.finished.is_set() and len(p.acknowledged) > 0
    ]
    chosen = chooser.sample(midway, min(count, len(midway)))
    checks = []
    for person in chosen:
        person.go.clear()
    try:
        for person in probes + chosen:
            for _ in range(600):  # until it is between requests; 60 s at most
                if person.parked.is_set() or person.finished.is_set():
                    break
                time.sleep(0.1)
            check = check_resume(args, person)
            check["who"] = (
                f"probe stopped after {person.held_at} steps, before the fault"
                if person in probes
                else "paused midway"
            )
            checks.append(check)
    finally:
        for person in probes + chosen:
            person.go.set()
    return checks


def check_resume(args, person: Person) -> dict:
    state = session_state(person.session)
    probe = Person(-1, {"user": person.user, "cookie": ""}, person.names, args, Stats())
    probe.cookies = dict(person.cookies)
    path, text = probe.follow(f"/sessions/{person.session}/")
    probe._reset()
    unfinished = [step for step in state["steps"] if step not in state["stored"]]
    check = {
        "session": person.session,
        "stored_steps": len(state["stored"]),
        "acknowledged_steps": len(person.acknowledged),
        "landed_on": path,
        # Everything the client was told is stored is stored.
        "acknowledged_are_stored": set(person.acknowledged) <= state["stored"],
    }
    if state["pain_after"] is not None:
        check["expected"] = "summary"
        check["ok"] = path.endswith("/summary/")
    elif not unfinished:
        check["expected"] = "pain-after"
        check["ok"] = path.endswith("/pain-after/")
    else:
        check["expected"] = f"run page at step {unfinished[0]}"
        match = RUNNER_DATA.search(text) if path.endswith("/run/") else None
        if match is None:
            check["ok"] = False
        else:
            data = json.loads(match.group(1))
            shown_done = {step["id"] for step in data["steps"] if step["done"]}
            current = CURRENT_STEP.search(text)
            check["current_step"] = int(current.group(1)) if current else None
            check["ok"] = (
                shown_done == state["stored"]
                and [step["id"] for step in data["steps"]] == state["steps"]
                and check["current_step"] == unfinished[0]
            )
    check["ok"] = check["ok"] and check["acknowledged_are_stored"]
    return check


# --- figures ------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * share + 0.5) - 1)] if ordered else 0.0


def tally(people: list[Person], rows: list[tuple[int, int, str]]) -> dict:
    """Acknowledged completions against stored rows, session by session."""
    rows_per_session = Counter(session for session, _, _ in rows)
    rows_per_step = Counter(step for _, step, _ in rows)
    stored_key = {step: key for _, step, key in rows}
    sessions = [p for p in people if p.session is not None]
    acknowledged = {step for p in sessions for step in p.acknowledged}
    mismatched = [
        {
            "session": p.session,
            "acknowledged": len(p.acknowledged),
            "rows": rows_per_session[p.session],
        }
        for p in sessions
        if len(p.acknowledged) != rows_per_session[p.session]
    ]
    return {
        "sessions": len(sessions),
        "acknowledged": sum(len(p.acknowledged) for p in sessions),
        "acknowledged_distinct_steps": len(acknowledged),
        "acknowledged_201_created": sum(
            1 for p in sessions for status in p.acknowledged.values() if status == 201
        ),
        "acknowledged_200_already": sum(
            1 for p in sessions for status in p.acknowledged.values() if status == 200
        ),
        "rows": len(rows),
        "lost": len(acknowledged - set(rows_per_step)),
        "doubled": sum(1 for count in rows_per_step.values() if count > 1),
        "stored_not_acknowledged": len(set(rows_per_step) - acknowledged),
        "stored_with_another_key": sum(
            1
            for p in sessions
            for step, key in p.keys.items()
            if step in stored_key and stored_key[step] != key
        ),
        "sessions_where_counts_differ": mismatched[:10],
        "sessions_finished": sum(1 for p in people if p.phase == "finished"),
        "failures": [f"user {p.number}: {p.failure}" for p in people if p.failure][:10],
        "failed_people": sum(1 for p in people if p.failure),
        "rejected_completions": [r for p in people for r in p.rejected][:10],
    }


def server_log_findings(log: Path) -> dict:
    text = log.read_text(errors="replace") if log.exists() else ""
    blocks = re.split(r"(?=^Traceback \(most recent call last\):)", text, flags=re.MULTILINE)
    tracebacks = [block.strip() for block in blocks if block.startswith("Traceback")]
    return {
        "tracebacks": len(tracebacks),
        "database_is_locked": text.count("database is locked"),
        "first_traceback": tracebacks[0][:4000] if tracebacks else None,
        "worker_lines": [
            line for line in text.splitlines() if "WORKER" in line.upper() or "SIGKILL" in line
        ][:10],
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    parser.add_argument("--users", type=int, default=200, help="people running a session at once")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--program", default="desk-break", help="slug of a curated program")
    parser.add_argument("--port", type=int, default=8790, help="for gunicorn on 127.0.0.1")
    parser.add_argument(
        "--database-url",
        help="postgres://postgres@127.0.0.1:5432/NAME (NAME is dropped and created anew); "
        "defaults to a new SQLite file in a temporary folder",
    )
    parser.add_argument(
        "--fault",
        choices=FAULTS,
        default="none",
        help="server-kill (with --balanced): SIGKILL one of the two servers, which stays down",
    )
    parser.add_argument(
        "--balanced",
        action="store_true",
        help="two gunicorn servers (--workers each, on --port + 1 and + 2) behind HAProxy on "
        "--port, sharing the Redis cache at --cache-url; HAProxy is installed when missing",
    )
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/1")
    parser.add_argument(
        "--fault-at",
        type=float,
        help="seconds into the load for the fault; default: at a random point between 20%% "
        "and 70%% of the step completions",
    )
    parser.add_argument(
        "--kills",
        type=int,
        default=1,
        help="worker-kill: how many times to kill a worker, each at its own random moment "
        "between 10%% and 90%% of the completions (or a second apart after --fault-at)",
    )
    parser.add_argument(
        "--down-seconds", type=float, default=2.0, help="restart: how long the server stays down"
    )
    parser.add_argument(
        "--resume-checks",
        type=int,
        default=5,
        help="people paused midway whose session is reopened after the fault, besides two probes",
    )
    parser.add_argument("--retry-timeout", type=float, default=90.0, help="per request")
    parser.add_argument("--request-timeout", type=float, default=60.0, help="per attempt")
    parser.add_argument("--max-seconds", type=float, default=600.0, help="for the whole load")
    parser.add_argument("--seed", type=int, help="for the random choices (default: random)")
    args = parser.parse_args()
    if args.fault == "server-kill" and not args.balanced:
        parser.error("--fault server-kill needs --balanced (two servers to kill one of)")
    if args.seed is None:
        args.seed = secrets.randbelow(1_000_000)

    workdir = Path(tempfile.mkdtemp(prefix="backcare-load-"))
    database_url = args.database_url or f"sqlite:///{workdir / 'load.sqlite3'}"
    database = "postgresql" if database_url.startswith("postgres") else "sqlite"
    label = args.fault + (
        f"-x{args.kills}" if args.fault == "worker-kill" and args.kills > 1 else ""
    )
    label += "-balanced" if args.balanced else ""
    out = ROOT / "bench-results" / f"load-{database}-{label}.json"
    out.parent.mkdir(exist_ok=True)
    log = out.with_suffix(".gunicorn.log")
    log.write_text("")

    if database == "postgresql":
        fresh_postgres(database_url)
    env = configure(database_url)
    if args.balanced:
        env["DJANGO_CACHE_URL"] = os.environ["DJANGO_CACHE_URL"] = args.cache_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backcare.settings")
    print(
        f"building the {database} database in {workdir if database == 'sqlite' else database_url}"
    )
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "load_library")
    # Two more people are probes: they go first and stop, one midway and one with every
    # step done, so that after the fault their sessions show where a reopened runner resumes.
    program, steps_per_session, seeds, names = seed(args.users + 2, args.program)

    server = (Balanced if args.balanced else Server)(env, args.port, args.workers, log)
    server.start()
    bare = bare_view(args.port)
    stats = Stats()
    everyone = [Person(n, s, names, args, stats) for n, s in enumerate(seeds)]
    people, probes = everyone[: args.users], everyone[args.users :]
    for probe, hold in zip(probes, [steps_per_session // 2, steps_per_session], strict=True):
        probe.hold_after = hold
    start, probes_start = threading.Event(), threading.Event()
    threads = [
        threading.Thread(
            target=p.run,
            args=(program, probes_start if p in probes else start),
            daemon=True,
            name=f"user{p.number}",
        )
        for p in everyone
    ]
    for thread in threads:
        thread.start()
    stats.started = time.monotonic()
    probes_start.set()
    for _ in range(300):  # 30 s at most
        if all(p.parked.is_set() or p.finished.is_set() for p in probes):
            break
        time.sleep(0.1)
    chooser = random.Random(args.seed)
    kills = args.kills if args.fault == "worker-kill" else 1
    if args.fault_at is not None:
        targets = [args.fault_at + number for number in range(kills)]  # a second apart
    else:
        fractions = [chooser.uniform(0.2, 0.7)] if kills == 1 else []
        fractions += [chooser.uniform(0.1, 0.9) for _ in range(kills - len(fractions))]
        targets = sorted(int(args.users * steps_per_session * f) for f in fractions)
    print(
        f"{args.users} people start {args.program} ({steps_per_session} steps) at once against "
        f"gunicorn with {args.workers} workers on 127.0.0.1:{args.port}; fault: {args.fault}"
    )
    start.set()
    fault: dict = {"kind": "none"}
    checks: list[dict] = []
    try:
        fault = inject(args, server, stats, people, targets)
        if args.fault != "none":
            print(f"fault: {json.dumps(fault)}")
        checks = resume_checks(args, people, probes, args.resume_checks)
        deadline = stats.started + args.max_seconds
        for thread in threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        wall = time.monotonic() - stats.started
    finally:
        for person in everyone:
            person.go.set()
        server.stop()
    still_running = sum(1 for thread in threads if thread.is_alive())

    sessions = [p.session for p in everyone if p.session is not None]
    counts = tally(everyone, stored_completions(sessions))
    statuses = Counter(status for _, _, _, status in stats.responses)
    ok_ms = [ms for _, ms, _, status in stats.responses if status < 500]
    server_ms = [s for _, _, s, status in stats.responses if status < 500]
    complete_ms = [ms for kind, ms, _, status in stats.responses if kind == "complete"]
    requests = len(stats.responses)
    findings = server_log_findings(log)
    failed_checks = [check for check in checks if not check["ok"]]
    errors_5xx = sum(count for status, count in statuses.items() if status >= 500)
    match = (
        counts["lost"] == 0
        and counts["doubled"] == 0
        and not counts["sessions_where_counts_differ"]
        and counts["rows"] == counts["acknowledged_distinct_steps"]
    )
    results = {
        "database": database,
        "fault": fault,
        "users": args.users,
        "gunicorn_workers": args.workers,
        "program": args.program,
        "steps_per_session": steps_per_session,
        "seed": args.seed,
        "seconds": round(wall, 2),
        "requests": requests,
        "requests_per_second": round(requests / wall, 1),
        "bare_view": {k: bare[k] for k in ("per_second", "server_p50_ms", "server_p95_ms")},
        "x_bare": {
            "requests_per_second": round(requests / wall / bare["per_second"], 2),
            "server_p50": round(statistics.median(server_ms) / bare["server_p50_ms"], 1)
            if server_ms
            else None,
            "server_p95": round(percentile(server_ms, 0.95) / bare["server_p95_ms"], 1),
        },
        "balanced": args.balanced,
        "statuses": {str(status): count for status, count in sorted(statuses.items())},
        "responses_5xx": errors_5xx,
        "connection_errors": dict(stats.errors),
        "retried_attempts": errors_5xx + sum(stats.errors.values()),
        "latency_ms": {
            "p50": round(statistics.median(ok_ms), 1) if ok_ms else None,
            "p95": round(percentile(ok_ms, 0.95), 1),
            "completion_p50": round(statistics.median(complete_ms), 1) if complete_ms else None,
            "completion_p95": round(percentile(complete_ms, 0.95), 1),
            "server_p50": round(statistics.median(server_ms), 1) if server_ms else None,
            "server_p95": round(percentile(server_ms, 0.95), 1),
        },
        "completions": counts,
        "counts_match": match,
        "still_running_at_deadline": still_running,
        "resume_checks": checks,
        "server_log": findings,
    }
    out.write_text(json.dumps(results, indent=2))

    problems = []
    if not match:
        problems.append("acknowledged completions and stored rows differ")
    if args.fault == "none" and errors_5xx:
        problems.append(f"{errors_5xx} responses were 5xx without any fault")
    if counts["failed_people"] or still_running or counts["rejected_completions"]:
        problems.append("some sessions could not be finished")
    if failed_checks:
        problems.append(f"{len(failed_checks)} resume checks failed")
    if findings["database_is_locked"]:
        problems.append('"database is locked" in the server log')

    front = "two gunicorn servers behind HAProxy, Redis cache, " if args.balanced else ""
    print(
        f"\nLoad: {database}, fault {args.fault}, {args.users} people, {front}"
        f"{args.workers} workers each"
    )
    print(
        f"{'acknowledged (2xx)':28}{counts['acknowledged']:>8}   "
        f"(201 created {counts['acknowledged_201_created']}, "
        f"200 already stored {counts['acknowledged_200_already']})"
    )
    print(f"{'StepCompletion rows':28}{counts['rows']:>8}")
    print(
        f"{'match per session':28}{'yes' if match else 'NO':>8}   "
        f"(lost {counts['lost']}, doubled {counts['doubled']}, stored but not acknowledged "
        f"{counts['stored_not_acknowledged']})"
    )
    print(f"{'sessions finished':28}{counts['sessions_finished']:>8} / {len(everyone)}")
    print(f"{'requests':28}{requests:>8}   in {wall:.1f} s = {requests / wall:.0f} req/s")
    ratios = results["x_bare"]
    print(
        f"{'x the bare view':28}{ratios['requests_per_second']:>8} req/s, server p50 "
        f"x{ratios['server_p50']}, p95 x{ratios['server_p95']}   (bare /healthz "
        f"{bare['per_second']:.0f} req/s, {bare['server_p50_ms']:.1f} / "
        f"{bare['server_p95_ms']:.1f} ms, 8 clients, same run)"
    )
    print(
        f"{'latency p50 / p95':28}{results['latency_ms']['p50']:>8} / "
        f"{results['latency_ms']['p95']} ms   (completions "
        f"{results['latency_ms']['completion_p50']} / {results['latency_ms']['completion_p95']} "
        f"ms; in Django {results['latency_ms']['server_p50']} / "
        f"{results['latency_ms']['server_p95']} ms)"
    )
    print(f"{'5xx responses':28}{errors_5xx:>8}")
    print(f"{'connection errors':28}{sum(stats.errors.values()):>8}   {dict(stats.errors)}")
    print(f"{'statuses':28}{json.dumps(results['statuses']):>8}")
    if args.fault != "none":
        moments = fault.get("kills") or [fault]
        print(
            f"{'fault':28}{args.fault} at "
            + ", ".join(
                f"{item['at_seconds']} s (after {item['acknowledged_before']} acknowledged)"
                for item in moments
            )
        )
    if checks:
        print(f"{'resume checks':28}{len(checks) - len(failed_checks):>8} / {len(checks)} ok")
        for check in checks:
            print(
                f"  {check['who']}: session {check['session']}, {check['stored_steps']} stored, "
                f"{check['acknowledged_steps']} acknowledged; expected {check['expected']}, "
                f"landed on {check['landed_on']}"
                + (f" at step {check['current_step']}" if "current_step" in check else "")
                + (" ok" if check["ok"] else " FAILED")
            )
    print(
        f"{'server tracebacks':28}{findings['tracebacks']:>8}   "
        f"('database is locked': {findings['database_is_locked']})"
    )
    for line in counts["failures"] + counts["rejected_completions"]:
        print(f"  {line}")
    for item in counts["sessions_where_counts_differ"]:
        print(f"  differs: {item}")
    if findings["first_traceback"]:
        print("first traceback in gunicorn's stderr:\n" + findings["first_traceback"])
    print(f"written to {out.relative_to(ROOT)} (gunicorn's stderr: {log.relative_to(ROOT)})")
    for problem in problems:
        print(f"FAIL: {problem}")
    shutil.rmtree(workdir, ignore_errors=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
