"""The whole-site benchmark: every main endpoint against a bare view, in one run.

Builds a realistic database (1,000 users; one with two years of daily sessions), starts
gunicorn with production settings (SQLite, or PostgreSQL with --database-url), then drives
simulated users through: the library filter, starting a session, completing a step, the
goals page and the history page, plus the bare /healthz view. Prints requests per second
and server p50/p95 per endpoint, each as a ratio to the bare view, with SQL queries and
bytes (gzip) per page; writes the same to bench-results/pages-<database>.json.

Run with `make bench`, or: .venv/bin/python tests/bench/bench_pages.py --help
"""

import argparse
import json
import secrets
import shutil
import statistics
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.bench_progress import build  # noqa: E402
from tests.bench.bench_runner import (  # noqa: E402
    drive,
    gather_statistics,
    merge_runs,
    prepare,
    start_server,
)

# Whole pages, signed in: their shared parts come from the cache, the rest is rendered.
SHARED_PAGES = {
    "whole library page": "/library/",
    "program list": "/programs/",
    "a program's page": "/programs/desk-break/",
}


def seed_people(count: int) -> tuple[list[dict], int]:
    """`count` users ready to start sessions, with their cookies; the program to start."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from backcare.sessions import SessionStore  # the engine the site uses (SESSION_ENGINE)
    from programs.models import Program

    User = get_user_model()
    tag = secrets.token_hex(3)
    users = User.objects.bulk_create(
        User(
            username=f"load-{tag}-{n}",
            notice_acknowledged_at=timezone.now(),
            screening_due=False,
            calendar_token=secrets.token_urlsafe(32),
        )
        for n in range(count)
    )
    people = []
    for user in users:
        store = SessionStore()
        store["_auth_user_id"] = str(user.pk)
        store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        store["_auth_user_hash"] = user.get_session_auth_hash()
        store.create()
        people.append({"user": user.pk, "cookie": store.session_key})
    program = Program.objects.curated().get(slug="desk-break")
    return people, program.pk


def headers_for(person: dict) -> dict[str, str]:
    csrf = secrets.token_hex(16)
    return {
        "Cookie": f"sessionid={person['cookie']}; csrftoken={csrf}",
        "X-CSRFToken": csrf,
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept-Encoding": "gzip",
    }


def ready_steps(people: list[dict], position: int = 1) -> list[tuple]:
    """After the starts: pain-before recorded, and one completion request per session, of
    the step at `position`."""
    from programs.models import Session

    sessions = Session.objects.filter(user_id__in=[p["user"] for p in people]).unfinished()
    sessions.update(pain_before=2)
    jobs = []
    by_user = {p["user"]: p for p in people}
    for session in sessions.prefetch_related("steps"):
        step = session.steps.all()[position - 1]
        body = urlencode({"key": str(uuid.uuid4()), "seconds_done": str(step.planned_seconds)})
        # As the player's outbox sends it (static/js/runner/outbox.js).
        headers = headers_for(by_user[session.user_id]) | {"Accept": "application/json"}
        path = f"/sessions/{session.pk}/steps/{step.pk}/complete/"
        jobs.append(("POST", path, body, headers))
    return jobs


def measure_rounds(args, pages: dict[str, tuple]) -> dict[str, dict]:
    """Each page in turn, `rounds` times over, the bare view first in every round: a page's
    throughput ratio is the median of its rounds' ratios, each against the bare view of its
    own round, so that a busy moment of the machine weighs on both sides of one ratio."""
    rounds: dict[str, list[dict]] = {name: [] for name in pages}
    for _ in range(args.rounds):
        for name, job in pages.items():
            run = drive(args.port, [job] * args.requests, args.concurrency, keep_timings=True)
            rounds[name].append(run)
    bare = rounds["bare view /healthz"]
    results = {}
    for name, runs in rounds.items():
        merged = merge_runs(runs)
        ratios = [
            run["per_second"] / base["per_second"] for run, base in zip(runs, bare, strict=True)
        ]
        results[name] = merged | {"median_ratio": statistics.median(ratios), "ratios": ratios}
    return results


def measure_steps(args, people: list[dict], bare: tuple) -> dict:
    """A step of every session, `rounds` times (the first step, then the second...), each
    round after a round of the bare view: the ratio is the median of the rounds'."""
    steps, bases = [], []
    for position in range(1, args.rounds + 1):
        jobs = ready_steps(people, position)
        bases.append(drive(args.port, [bare] * len(jobs), args.concurrency, keep_timings=True))
        steps.append(drive(args.port, jobs, args.concurrency, keep_timings=True))
    rates = zip(steps, bases, strict=True)
    ratios = [run["per_second"] / base["per_second"] for run, base in rates]
    return merge_runs(steps) | {"median_ratio": statistics.median(ratios), "ratios": ratios}


WRK_PAGES = {
    "whole library page": "/library/",
    "library filter (whole page)": "/library/?kind=stretch&position=seated&q=hold",
    "program list": "/programs/",
    "a program's page": "/programs/desk-break/",
}


def wrk(port: int, path: str, seconds: int, headers: dict[str, str]) -> float:
    """Requests per second that wrk (2 threads, 8 connections) gets from one address."""
    command = ["wrk", "-t2", "-c8", f"-d{seconds}s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("Requests/sec"))
    return float(line.split()[1])


def measure_with_wrk(args, heavy_cookie: str) -> dict[str, dict]:
    """The shared pages' throughput as wrk measures it, anonymous and signed in, gzip
    accepted, each against the bare view measured just before it."""
    visitors = {
        "anonymous": {"Accept-Encoding": "gzip"},
        "signed in": {"Accept-Encoding": "gzip", "Cookie": f"sessionid={heavy_cookie}"},
    }
    found = {}
    for visitor, headers in visitors.items():
        for name, path in WRK_PAGES.items():
            bare = wrk(args.port, "/healthz", args.wrk_seconds, {"Accept-Encoding": "gzip"})
            page = wrk(args.port, path, args.wrk_seconds, headers)
            found[f"{name}, {visitor}"] = {"per_second": page, "bare": bare, "ratio": page / bare}
    return found


def print_wrk(found: dict[str, dict], args) -> None:
    print(
        f"\nWith wrk (2 threads, 8 connections, {args.wrk_seconds} s each; bare view just before)"
    )
    print(f"{'page':40}{'req/s':>8}{'bare':>8}{'x bare':>8}")
    for name, row in found.items():
        print(f"{name:40}{row['per_second']:8.0f}{row['bare']:8.0f}{row['ratio']:8.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--days", type=int, default=730, help="history of the heavy user")
    parser.add_argument("--requests", type=int, default=300, help="GETs per page")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8769)
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the GET pages")
    parser.add_argument("--database-url", help="defaults to a new SQLite file")
    parser.add_argument(
        "--wrk",
        action=argparse.BooleanOptionalAction,
        default=shutil.which("wrk") is not None,
        help="also measure throughput with wrk (on when wrk is installed)",
    )
    parser.add_argument("--wrk-seconds", type=int, default=5)
    args = parser.parse_args()

    env = prepare(args.database_url)
    heavy_cookie, _pages, queries = build(args.days)
    people, program = seed_people(args.users)
    gather_statistics()

    library = "/library/?kind=stretch&position=seated&q=hold"
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        Client(HTTP_HOST="127.0.0.1").get(library, headers={"HX-Request": "true"})
    queries[library] = len(captured)
    for path in SHARED_PAGES.values():
        Client(HTTP_HOST="127.0.0.1").get(path)  # the first visit fills the cache
        with CaptureQueriesContext(connection) as captured:
            Client(HTTP_HOST="127.0.0.1").get(path)
        queries[path] = len(captured)

    heavy = {"Cookie": f"sessionid={heavy_cookie}", "Accept-Encoding": "gzip"}
    anonymous = {"Accept-Encoding": "gzip"}
    get = lambda path, headers: ("GET", path, None, headers)  # noqa: E731
    pages = {
        "bare view /healthz": get("/healthz", anonymous),
        "library filter (HTMX)": get(library, anonymous | {"HX-Request": "true"}),
        **{name: get(path, heavy) for name, path in SHARED_PAGES.items()},
        "goals page (long user)": get("/goals/", heavy),
        "history page (long user)": get("/history/", heavy),
    }
    server = start_server(env, args.port, args.workers)
    results: dict = {}
    try:
        # Every page once over before timing anything: the workers draw their figures as
        # they start (gunicorn.conf.py), and the caches fill.
        for job in pages.values():
            drive(args.port, [job] * 100, args.concurrency)
        results = measure_rounds(args, pages)
        results["start a session"] = drive(
            args.port,
            [
                ("POST", "/sessions/start/", urlencode({"program": program}), headers_for(p))
                for p in people
            ],
            args.concurrency,
        )
        results["complete a step"] = measure_steps(args, people, pages["bare view /healthz"])
        with_wrk = measure_with_wrk(args, heavy_cookie) if args.wrk else {}
    finally:
        server.terminate()
        server.wait()
    page_queries = {
        "bare view /healthz": queries["/healthz"],
        "library filter (HTMX)": queries[library],
        **{name: queries[path] for name, path in SHARED_PAGES.items()},
        "goals page (long user)": queries["/goals/"],
        "history page (long user)": queries["/history/"],
    }
    base = results["bare view /healthz"]
    table = {
        name: {
            **row,
            "queries": page_queries.get(name),
            "throughput_ratio": row.get("median_ratio", row["per_second"] / base["per_second"]),
            "server_p50_ratio": row["server_p50_ms"] / base["server_p50_ms"],
            "server_p95_ratio": row["server_p95_ms"] / base["server_p95_ms"],
        }
        for name, row in results.items()
    }
    database = env["DATABASE_URL"].split(":")[0]
    out = ROOT / "bench-results" / f"pages-{database}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(
        json.dumps(
            {"users": args.users, "days": args.days, "pages": table, "wrk": with_wrk}, indent=2
        )
    )

    print(
        f"\nBackCare pages ({database}, {args.workers} gunicorn workers, {args.concurrency} "
        f"clients; {args.users} users, one with {args.days} days of sessions)"
    )
    print(
        f"{'endpoint':24}{'req/s':>8}{'x bare':>8}{'p50 ms':>8}{'x bare':>8}{'p95 ms':>8}"
        f"{'x bare':>8}{'queries':>8}{'bytes':>8}  statuses"
    )
    for name, row in table.items():
        print(
            f"{name:24}{row['per_second']:8.0f}{row['throughput_ratio']:8.2f}"
            f"{row['server_p50_ms']:8.1f}{row['server_p50_ratio']:8.1f}"
            f"{row['server_p95_ms']:8.1f}{row['server_p95_ratio']:8.1f}"
            f"{row['queries'] if row['queries'] is not None else '-':>8}"
            f"{row['bytes']:8.0f}  {row['statuses']}"
        )
    if with_wrk:
        print_wrk(with_wrk, args)
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
