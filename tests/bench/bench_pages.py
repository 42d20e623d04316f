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


def ready_first_steps(people: list[dict]) -> list[tuple]:
    """After the starts: pain-before recorded, and one completion request per session."""
    from programs.models import Session

    sessions = Session.objects.filter(user_id__in=[p["user"] for p in people]).unfinished()
    sessions.update(pain_before=2)
    jobs = []
    by_user = {p["user"]: p for p in people}
    for session in sessions.prefetch_related("steps"):
        step = session.steps.all()[0]
        body = urlencode({"key": str(uuid.uuid4()), "seconds_done": str(step.planned_seconds)})
        headers = headers_for(by_user[session.user_id]) | {"HX-Request": "true"}
        path = f"/sessions/{session.pk}/steps/{step.pk}/complete/"
        jobs.append(("POST", path, body, headers))
    return jobs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--days", type=int, default=730, help="history of the heavy user")
    parser.add_argument("--requests", type=int, default=300, help="GETs per page")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8769)
    parser.add_argument("--database-url", help="defaults to a new SQLite file")
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
    server = start_server(env, args.port, args.workers)
    results: dict = {}
    try:
        get = lambda path, headers: ("GET", path, None, headers)  # noqa: E731
        drive(args.port, [get("/healthz", anonymous)] * 50, args.concurrency)  # warm up
        results["bare view /healthz"] = drive(
            args.port, [get("/healthz", anonymous)] * args.requests, args.concurrency
        )
        results["library filter (HTMX)"] = drive(
            args.port,
            [get(library, anonymous | {"HX-Request": "true"})] * args.requests,
            args.concurrency,
        )
        for name, path in SHARED_PAGES.items():
            results[name] = drive(args.port, [get(path, heavy)] * args.requests, args.concurrency)
        results["start a session"] = drive(
            args.port,
            [
                ("POST", "/sessions/start/", urlencode({"program": program}), headers_for(p))
                for p in people
            ],
            args.concurrency,
        )
        results["complete a step"] = drive(args.port, ready_first_steps(people), args.concurrency)
        results["goals page (long user)"] = drive(
            args.port, [get("/goals/", heavy)] * args.requests, args.concurrency
        )
        results["history page (long user)"] = drive(
            args.port, [get("/history/", heavy)] * args.requests, args.concurrency
        )
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
            "throughput_ratio": row["per_second"] / base["per_second"],
            "server_p50_ratio": row["server_p50_ms"] / base["server_p50_ms"],
            "server_p95_ratio": row["server_p95_ms"] / base["server_p95_ms"],
        }
        for name, row in results.items()
    }
    database = env["DATABASE_URL"].split(":")[0]
    out = ROOT / "bench-results" / f"pages-{database}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"users": args.users, "days": args.days, "pages": table}, indent=2))

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
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
