"""Benchmark of the goals and history pages for a user with two years of daily sessions.

Builds ~730 sessions and ~10,000 steps for one user, starts gunicorn with production
settings, and prints the server time (p50, p95 from Server-Timing) and SQL queries of the
history, goals, goal and home pages, each as a ratio to the bare health-check view in the
same run. Writes the same to bench-results/progress.json.

Run with `make bench-progress`, or: .venv/bin/python tests/bench/bench_progress.py --help
"""

import argparse
import json
import secrets
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.bench_runner import (  # noqa: E402
    drive,
    gather_statistics,
    merge_runs,
    prepare,
    start_server,
)


def build(days: int) -> tuple[str, list[str], dict[str, int]]:
    """The user with a long history; their cookie, the pages to time, queries per page."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from programs.models import Exercise, Goal, MorningCheck, MuscleGroup, Program, ProgramStep
    from programs.services import goals as goal_services
    from tests.factories import make_history, ready_user

    user = ready_user(time_zone="Europe/Berlin")
    program = Program.objects.create(slug=f"long-{secrets.token_hex(3)}", name="Long", owner=user)
    kinds = ["warmup"] + ["stretch", "strength", "mobility"] * 4 + ["cooldown"]
    exercises = {kind: list(Exercise.objects.filter(kind=kind)) for kind in set(kinds)}
    for order, kind in enumerate(kinds, start=1):
        phase = {"warmup": "warmup", "cooldown": "cooldown"}.get(kind, "main")
        choices = exercises[kind]
        ProgramStep.objects.create(
            program=program, order=order, phase=phase, exercise=choices[order % len(choices)]
        )
    sessions = make_history(
        user, days, program, last=timezone.now() - timedelta(hours=1), minutes=20
    )
    # Shortly after the person's midnight, an hour ago was yesterday, and every page would
    # first ask how the back felt this morning: the answer is given (skipped) beforehand.
    MorningCheck.objects.create(
        user=user, session=sessions[0], answer=MorningCheck.Answer.SKIPPED, day=user.today()
    )
    today = timezone.localdate()
    goals = []
    for index, group in enumerate(MuscleGroup.objects.all()[:8]):
        kind = ["sessions", "minutes", "rating", "sessions"][index % 4]
        goal = Goal(
            user=user,
            muscle_group=group,
            expectation=f"Goal {index}",
            due_date=today + timedelta(days=30 + index),
            target_kind=kind,
            target_value=10 if kind == "rating" else 100_000,
        )
        goals.append(goal_services.create_goal(goal, today))
    Goal.objects.filter(user=user).update(created_at=timezone.now() - timedelta(days=days))

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    pages = ["/history/", "/goals/", f"/goals/{goals[0].pk}/", "/", "/healthz"]
    queries = {}
    for path in pages:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        queries[path] = len(captured)
    return client.cookies[settings.SESSION_COOKIE_NAME].value, pages, queries


AFTER_A_CHANGE = "/history/ after a change"


def history_after_each_change(args, cookie: str) -> dict:
    """The history page with nothing of it cached: before each visit, the person's records'
    version moves on, as it does when they record a step (a person's first visit after a
    session is such a visit). One visit at a time, as each must follow its change."""
    from backcare.sessions import SessionStore
    from programs.models import RecordsVersion

    user_id = int(SessionStore(session_key=cookie)["_auth_user_id"])
    headers = {"Cookie": f"sessionid={cookie}"}
    runs = []
    for _ in range(min(args.requests, 100)):
        RecordsVersion.bump(user_id)
        runs.append(drive(args.port, [("GET", "/history/", None, headers)], 1, keep_timings=True))
    # One visit at a time: its rate is one over how long each visit took.
    return merge_runs(runs) | {
        "per_second": len(runs) / (sum(r["client_p50_ms"] for r in runs) / 1000)
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=730, help="days of daily sessions")
    parser.add_argument("--requests", type=int, default=200, help="requests per page")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument("--database-url", help="defaults to a new SQLite file")
    args = parser.parse_args()

    env = prepare(args.database_url)
    cookie, pages, queries = build(args.days)
    gather_statistics()

    from programs.models import SessionStep

    steps = SessionStep.objects.count()
    server = start_server(env, args.port, args.workers)
    results: dict = {}
    try:
        headers = {"Cookie": f"sessionid={cookie}"}
        for path in pages:
            drive(args.port, [("GET", path, None, headers)] * 20, args.concurrency)  # warm
            results[path] = drive(
                args.port, [("GET", path, None, headers)] * args.requests, args.concurrency
            )
        results[AFTER_A_CHANGE] = history_after_each_change(args, cookie)
        queries[AFTER_A_CHANGE] = queries["/history/"]
    finally:
        server.terminate()
        server.wait()

    base = results["/healthz"]
    table = {
        path: {
            **row,
            "queries": queries[path],
            "server_p50_ratio": row["server_p50_ms"] / base["server_p50_ms"],
            "server_p95_ratio": row["server_p95_ms"] / base["server_p95_ms"],
            "throughput_ratio": row["per_second"] / base["per_second"],
        }
        for path, row in results.items()
    }
    out = ROOT / "bench-results" / "progress.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(
        json.dumps({"days": args.days, "steps": steps, "pages": table}, indent=2, default=str)
    )
    print(
        f"\nGoals and history for one user with {args.days} daily sessions and {steps} steps "
        f"({env['DATABASE_URL'].split(':')[0]}, {args.workers} gunicorn workers)"
    )
    print(
        f"{'page':22}{'queries':>8}{'req/s':>8}{'x bare':>8}{'p50':>9}{'p95':>9}"
        f"{'p50 x bare':>12}{'p95 x bare':>12}"
    )
    for path, row in table.items():
        print(
            f"{path:22}{row['queries']:8}{row['per_second']:8.0f}{row['throughput_ratio']:8.2f}"
            f"{row['server_p50_ms']:7.1f}ms"
            f"{row['server_p95_ms']:7.1f}ms{row['server_p50_ratio']:12.1f}"
            f"{row['server_p95_ratio']:12.1f}   {row['statuses']}"
        )
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
