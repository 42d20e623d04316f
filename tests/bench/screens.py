"""Screenshots of every page a person meets, at phone and desktop sizes, light and dark.

Builds a database with one person who has a few weeks of sessions, a goal, a check-in and a
program of their own, serves the app, and saves full-page screenshots to a folder for
looking at. Prints each page's width against the window, so sideways scrolling shows.

Run with `make screens`, or: .venv/bin/python tests/bench/screens.py --help
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

SIZES = {"phone": (360, 640), "desktop": (1280, 800)}
PAGES = [
    ("home", "/"),
    ("first-step", "/start/"),
    ("safety", "/safety/?program={program}"),
    ("library", "/library/?kind=stretch"),
    ("exercise", "/library/bird-dog/"),
    ("muscles", "/muscles/"),
    ("muscle", "/muscles/gluteus-maximus/"),
    ("programs", "/programs/"),
    ("program", "/programs/daily-stretch/"),
    ("builder", "{builder}"),
    ("goals", "/goals/"),
    ("goal", "{goal}"),
    ("goal-new", "/goals/new/"),
    ("history", "/history/"),
    ("report", "/report/"),
    ("outcomes", "/outcomes/"),
    ("lessons", "/lessons/"),
    ("profile", "/accounts/profile/"),
    ("reminders", "/reminders/"),
    ("offline", "/offline/"),
    ("pain-before", "{pain_before}"),
    ("runner", "{runner}"),
    ("summary", "{summary}"),
]


# The outermost elements that stick out past the window's right edge.
WIDEST = """(width) => [...document.querySelectorAll('body *')]
  .filter((el) => el.getBoundingClientRect().right > width + 1)
  .filter((el) => !el.parentElement || el.parentElement.getBoundingClientRect().right <= width + 1)
  .slice(0, 4)
  .map((el) => el.tagName.toLowerCase() + '.' + String(el.className).split(' ')[0])
  .join(', ')"""


def build_person(morning_answered: bool = False):
    """A person with three weeks of sessions, a goal, a weekly check-in, their own program;
    the next-morning question about the last session still due unless `morning_answered`."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import F
    from django.utils import timezone

    from programs.library_loader import load_library
    from programs.models import Goal, MuscleGroup, Program, Session
    from programs.services import goals, outcomes, programs, rollups, sessions
    from tests.factories import ready_user

    call_command("migrate", verbosity=0)
    load_library()
    person = ready_user(username="margaret", time_zone="Europe/London")
    daily = Program.objects.get(slug="daily-stretch", owner=None)
    today = timezone.localdate()
    summary = None
    for days_ago in range(20, 0, -2):
        session = sessions.start_session(person, daily)
        sessions.record_pain_before(session, 3 + days_ago % 3)
        for step in session.steps.all():
            sessions.complete_step(session, step, uuid.uuid4(), step.planned_seconds, False)
        sessions.finish_session(session, 3)
        # Moved back in time as a whole: its day, its times and the day totals.
        back = timedelta(days=days_ago)
        Session.objects.filter(pk=session.pk).update(
            local_day=today - back,
            started_at=F("started_at") - back,
            finished_at=F("finished_at") - back,
        )
        summary = session
    rollups.recompute([person.pk])
    group = MuscleGroup.objects.get(slug="gluteus-maximus")
    goal = goals.create_goal(
        Goal(
            user=person,
            muscle_group=group,
            expectation="Sit through a whole film without my lower back aching",
            due_date=today + timedelta(days=40),
            target_kind=Goal.Target.SESSIONS,
            target_value=20,
        ),
        today,
    )
    activity = outcomes.add_activity(person, "put my socks on")
    outcomes.record_weekly(person, {"pain": 5, "enjoyment": 4, "activity": 4}, {activity: 5}, today)
    own = programs.copy_program(person, daily)
    if morning_answered:
        outcomes.record_morning_check(person, summary, "same", False, today)
    # Someone else is in the middle of a session: the player, as it looks under way.
    player = ready_user(username="nora", time_zone="Europe/London")
    running = sessions.start_session(player, Program.objects.get(slug="gentle-start"))
    sessions.record_pain_before(running, 3)
    waiting = sessions.start_session(person, Program.objects.get(slug="desk-break"))
    return person, {
        "builder": own.get_absolute_url(),
        "goal": goal.get_absolute_url(),
        "summary": f"/sessions/{summary.pk}/summary/",
        "pain_before": f"/sessions/{waiting.pk}/pain-before/",
        "runner": f"/sessions/{running.pk}/run/",
        "program": daily.pk,
        "player": player,
    }


def session_cookie(person) -> str:
    from importlib import import_module

    from django.conf import settings

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store["_auth_user_id"] = str(person.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = person.get_session_auth_hash()
    store.create()
    return store.session_key


def shoot(base: str, cookie: str, urls: dict, out: Path, pages: list[str]) -> list[str]:
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("BACKCARE_CHROMIUM", "/usr/bin/chromium")
    wide = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        for size, (width, height) in SIZES.items():
            for scheme in ("light", "dark"):
                context = browser.new_context(
                    viewport={"width": width, "height": height}, color_scheme=scheme
                )
                context.add_cookies([{"name": "sessionid", "value": cookie, "url": base}])
                page = context.new_page()
                page.goto(base + "/check/morning/?next=/")
                if page.get_by_role("button", name="Skip this question").count():
                    page.screenshot(path=out / f"morning-check-{size}-{scheme}.png")
                    page.get_by_role("button", name="Skip this question").click()
                for name, path in PAGES:
                    if pages and name not in pages:
                        continue
                    # The player is shown with its own person's session.
                    who = urls["player_cookie"] if name == "runner" else cookie
                    context.add_cookies([{"name": "sessionid", "value": who, "url": base}])
                    page.goto(base + path.format(**urls))
                    page.wait_for_load_state("networkidle")
                    scroll = page.evaluate("document.documentElement.scrollWidth")
                    if scroll > width:
                        culprits = page.evaluate(WIDEST, width)
                        wide.append(
                            f"{name} {size}: {scroll} px wide in a {width} px window ({culprits})"
                        )
                    page.screenshot(path=out / f"{name}-{size}-{scheme}.png", full_page=True)
                context.close()
        browser.close()
    return wide


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "screens"), help="folder for the PNGs")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("pages", nargs="*", help="only these pages (names as in PAGES)")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    database = Path(tempfile.mkdtemp()) / "screens.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_DEBUG": "1"}
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backcare.settings")
    person, urls = build_person()
    cookie = session_cookie(person)
    urls["player_cookie"] = session_cookie(urls.pop("player"))
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{args.port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(3)
        wide = shoot(f"http://127.0.0.1:{args.port}", cookie, urls, out, args.pages)
    finally:
        server.terminate()
    print(f"Screenshots in {out}")
    print("\n".join(wide) if wide else "No page is wider than its window.")


if __name__ == "__main__":
    main()
