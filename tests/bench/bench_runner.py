"""Benchmark of the session runner, against the deployed shape (gunicorn, DJANGO_DEBUG=0).

Prints, and writes to bench-results/runner.json:
- server time (p50, p95, from the Server-Timing header) and throughput of a step
  completion, each as a ratio to the bare health-check view measured in the same run;
- the bytes the runner page transfers on its first load in Chromium, and where from;
- the timer error at the end of a 5-minute hold in Chromium, with the page frozen for a
  minute and the main thread kept busy along the way;
- how late each tone sounds against its true time, from the audio-clock times the page
  hands to OscillatorNode.start() converted with AudioContext.getOutputTimestamp(), and
  how late each spoken cue was asked for (speech is best effort: the engine adds its own
  delay, which the page cannot see).

Run with `make bench-runner`, or: .venv/bin/python tests/bench/bench_runner.py --help
The cue figures alone, on a 60-second hold, in about two minutes:
.venv/bin/python tests/bench/bench_runner.py --timer-only --hold 60
"""

import argparse
import http.client
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import replace
from pathlib import Path
from queue import Empty, Queue
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
CHROMIUM = os.environ.get("BACKCARE_CHROMIUM", "/usr/bin/chromium")


def configure(database_url: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        # The server's own time of each answer, which the figures are read from.
        "DJANGO_SERVER_TIMING": "1",
        "DATABASE_URL": database_url,
    }
    os.environ.update(env)
    return env


def fresh_postgres(url: str) -> None:
    """Drop and create the database named in `url`, connecting to the `postgres` database."""
    from urllib.parse import urlsplit

    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or name in {"postgres", "template0", "template1"}:
        raise SystemExit(f"refusing to drop the database {name!r}: name a dedicated one")
    admin = parts._replace(scheme="postgresql", path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def fresh_database(url: str | None, workdir: Path) -> str:
    """A new, empty database for a benchmark: a SQLite file, or PostgreSQL made afresh."""
    if url is None:
        return f"sqlite:///{workdir / 'bench.sqlite3'}"
    if url.startswith("postgres"):
        fresh_postgres(url)
    return url


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare(database_url: str | None) -> dict[str, str]:
    """A new database with production settings: migrated, static collected, library loaded.

    Returns the environment the app server runs with."""
    env = configure(fresh_database(database_url, Path(tempfile.mkdtemp(prefix="backcare-bench-"))))
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backcare.settings")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "load_library")
    return env


def seed(users: int, hold_seconds: int | None = None) -> tuple[list[dict], dict]:
    """Users with a started session each; returns their cookies and steps, and a long hold
    (the exercise's own 5 minutes unless `hold_seconds` says otherwise)."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from programs.models import Exercise, Program, ProgramStep
    from programs.services import sessions as services

    program = Program.objects.curated().get(slug="whole-body")
    people = []
    User = get_user_model()
    for number in range(users):
        user = User.objects.create_user(
            f"bench{number}-{uuid.uuid4().hex[:6]}",
            notice_acknowledged_at=timezone.now(),
            screening_due=False,
        )
        session = services.start_session(user, program)
        services.record_pain_before(session, 2)
        client = Client()
        client.force_login(user)
        people.append(
            {
                "cookie": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "session": session.pk,
                "steps": list(session.steps.values_list("pk", "hold_seconds")),
            }
        )

    # One more person, whose session opens with the article's 5-minute gluteus squeeze,
    # with sound and spoken cues on.
    user = User.objects.create_user(
        f"timer-{uuid.uuid4().hex[:6]}",
        notice_acknowledged_at=timezone.now(),
        screening_due=False,
        sound_cues=True,
        spoken_cues=True,
    )
    hold = Program.objects.create(slug=f"hold-{uuid.uuid4().hex[:6]}", name="Hold", owner=user)
    for order, slug, phase in [
        (1, "seated-gluteus-squeeze", "warmup"),
        (2, "seated-gluteus-squeeze", "cooldown"),
    ]:
        ProgramStep.objects.create(
            program=hold,
            order=order,
            phase=phase,
            exercise=Exercise.objects.get(slug=slug),
            hold_seconds=hold_seconds,
        )
    session = services.start_session(user, hold)
    services.record_pain_before(session, 1)
    client = Client()
    client.force_login(user)
    timer = {
        "cookie": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "session": session.pk,
        "lead_in": user.lead_in_seconds,
        "hold": session.steps.first().hold_seconds,
    }
    return people, timer


def seed_largest() -> dict:
    """A person whose program is as big as the builder allows: 40 steps, each a dose with
    many repetitions on each side, close to the 3-hour and segment limits."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from programs import timeline
    from programs.models import Exercise, Program, ProgramStep
    from programs.services import sessions as services

    user = get_user_model().objects.create_user(
        f"largest-{uuid.uuid4().hex[:6]}",
        notice_acknowledged_at=timezone.now(),
        screening_due=False,
    )
    program = Program.objects.create(slug=f"largest-{user.pk}", name="Largest", owner=user)
    warmup, main, cooldown = (
        Exercise.objects.library().filter(kind=kind).order_by("-per_side", "slug").first()
        for kind in ("warmup", "strength", "cooldown")
    )
    exercises = [
        warmup if order == 1 else cooldown if order == timeline.MAX_STEPS else main
        for order in range(1, timeline.MAX_STEPS + 1)
    ]
    # As many repetitions as still fit the limits: the biggest program the builder accepts.
    reps = next(
        n
        for n in range(20, 0, -1)
        if timeline.size_problem(
            [replace(e.dose, hold_seconds=5, reps=n, sets=2) for e in exercises]
        )
        is None
    )
    for order, exercise in enumerate(exercises, start=1):
        ProgramStep.objects.create(
            program=program, order=order, exercise=exercise, hold_seconds=5, reps=reps, sets=2
        )
    assert program.size_problem() is None, program.size_problem()
    session = services.start_session(user, program)
    services.record_pain_before(session, 2)
    client = Client()
    client.force_login(user)
    doses = [step.dose for step in session.steps.all()]
    return {
        "cookie": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "session": session.pk,
        "steps": len(doses),
        "minutes": timeline.program_seconds(doses) / 60,
    }


def measure_largest(port: int, largest: dict) -> dict:
    """The runner page of the largest program, one request at a time, against the bare view."""
    headers = {"Cookie": f"sessionid={largest['cookie']}", "Accept-Encoding": "gzip"}
    page = [("GET", f"/sessions/{largest['session']}/run/", None, headers)] * 60
    bare = [("GET", "/healthz", None, {})] * 60
    drive(port, page[:5], 1)  # warm up
    baseline, runner = drive(port, bare, 1), drive(port, page, 1)
    plain = drive(port, [(m, p, b, {"Cookie": h["Cookie"]}) for m, p, b, h in page[:3]], 1)
    return {
        **largest,
        "baseline": baseline,
        "runner": runner,
        "bytes_gzip": runner["bytes"],
        "bytes_plain": plain["bytes"],
        "server_p95_ratio": runner["server_p95_ms"] / baseline["server_p95_ms"],
    }


def print_largest(result: dict) -> None:
    runner = result["runner"]
    print(
        f"\nThe largest program's runner page ({result['steps']} steps, "
        f"{result['minutes']:.0f} min): server p50 {runner['server_p50_ms']:.1f} ms, "
        f"p95 {runner['server_p95_ms']:.1f} ms (x{result['server_p95_ratio']:.1f} the bare "
        f"view's p95); client p95 {runner['client_p95_ms']:.1f} ms; "
        f"{result['bytes_gzip'] / 1024:.1f} KB sent gzipped, {result['bytes_plain'] / 1024:.1f} KB "
        f"uncompressed; statuses {runner['statuses']} (goal: under 100 ms and 200 KB)"
    )


def gather_statistics() -> None:
    """After a bulk load, the planner's statistics, as a running PostgreSQL has them: its
    autovacuum gathers them within a minute or so of a large change. Without them it guesses
    one row per table and can pick the wrong index for the first minutes of a benchmark."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "backcare.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            # Each benchmark's own server: no shared control socket with any other gunicorn.
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def server_ms(response: http.client.HTTPResponse) -> float:
    header = response.getheader("Server-Timing", "app;dur=0")
    return float(header.split("dur=")[1])


def drive(port: int, jobs: list[tuple], concurrency: int, keep_timings: bool = False) -> dict:
    """Send every job with `concurrency` keep-alive connections; time each one (and return
    every timing too, with `keep_timings`)."""
    queue: Queue = Queue()
    for job in jobs:
        queue.put(job)
    timings: list[tuple[float, float, int, int]] = []
    lock = threading.Lock()

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            try:
                method, path, body, headers = queue.get_nowait()
            except Empty:
                return
            started = time.perf_counter()
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            size = len(response.read())  # as sent: compressed when the server compressed it
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                timings.append((elapsed, server_ms(response), response.status, size))

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    client = sorted(t[0] for t in timings)
    server = sorted(t[1] for t in timings)
    return {
        "requests": len(timings),
        "statuses": sorted({t[2] for t in timings}),
        "per_second": len(timings) / wall,
        "client_p50_ms": statistics.median(client),
        "client_p95_ms": client[int(len(client) * 0.95) - 1],
        "server_p50_ms": statistics.median(server),
        "server_p95_ms": server[int(len(server) * 0.95) - 1],
        "bytes": statistics.mean(t[3] for t in timings),
        **({"client_ms": client, "server_ms": server} if keep_timings else {}),
    }


def merge_runs(runs: list[dict]) -> dict:
    """One row from several runs of the same page: its timings pooled, its rate the median."""
    client = sorted(ms for run in runs for ms in run["client_ms"])
    server = sorted(ms for run in runs for ms in run["server_ms"])
    return {
        "requests": len(server),
        "statuses": sorted({status for run in runs for status in run["statuses"]}),
        "per_second": statistics.median(run["per_second"] for run in runs),
        "client_p50_ms": statistics.median(client),
        "client_p95_ms": client[int(len(client) * 0.95) - 1],
        "server_p50_ms": statistics.median(server),
        "server_p95_ms": server[int(len(server) * 0.95) - 1],
        "bytes": statistics.mean(run["bytes"] for run in runs),
    }


def completion_jobs(people: list[dict]) -> list[tuple]:
    jobs = []
    for person in people:
        csrf = secrets.token_hex(16)
        headers = {
            "Cookie": f"sessionid={person['cookie']}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "Accept": "application/json",  # as the runner's script asks
            "Content-Type": "application/x-www-form-urlencoded",
        }
        for step, hold in person["steps"]:
            body = urlencode({"key": str(uuid.uuid4()), "seconds_done": str(hold)})
            path = f"/sessions/{person['session']}/steps/{step}/complete/"
            jobs.append(("POST", path, body, headers))
    return jobs


def measure_page(port: int, person: dict | None, timer: dict, hold_check: bool) -> dict:
    from playwright.sync_api import sync_playwright

    result: dict = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else None,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                # The tones play from the Start click anyway; this rules the policy out.
                "--autoplay-policy=no-user-gesture-required",
            ],
        )
        if person is not None:
            result.update(measure_first_load(browser, port, person))
        if hold_check:
            context = browser.new_context()
            timer_url = f"http://127.0.0.1:{port}/sessions/{timer['session']}/run/"
            context.add_cookies([{"name": "sessionid", "value": timer["cookie"], "url": timer_url}])
            page = context.new_page()
            page.add_init_script(RECORD_CUES)
            page.goto(timer_url)
            result.update(measure_timer(page, context.new_cdp_session(page), timer))
        browser.close()
    return result


def measure_first_load(browser, port: int, person: dict) -> dict:
    """The bytes the runner page transfers on its first load, and where they come from."""
    url = f"http://127.0.0.1:{port}/sessions/{person['session']}/run/"
    result: dict = {}
    context = browser.new_context()
    context.add_cookies([{"name": "sessionid", "value": person["cookie"], "url": url}])
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    responses: dict[str, dict] = {}
    cdp.on(
        "Network.responseReceived",
        lambda event: responses.setdefault(event["requestId"], {}).update(
            url=event["response"]["url"],
            encoding=event["response"]["headers"].get("content-encoding", "")
            or event["response"]["headers"].get("Content-Encoding", ""),
        ),
    )
    cdp.on(
        "Network.loadingFinished",
        lambda event: responses.setdefault(event["requestId"], {}).update(
            bytes=event["encodedDataLength"]
        ),
    )
    page.goto(url, wait_until="networkidle")
    files = sorted(
        (item for item in responses.values() if "url" in item),
        key=lambda item: -item.get("bytes", 0),
    )
    result["first_load_bytes"] = sum(item.get("bytes", 0) for item in files)
    result["first_load_files"] = [
        {"url": item["url"], "bytes": item.get("bytes", 0), "encoding": item["encoding"]}
        for item in files
    ]
    # data: addresses are parts of a file already loaded, not requests to any host.
    result["all_from_this_server"] = all(
        item["url"].startswith((f"http://127.0.0.1:{port}/", "data:")) for item in files
    )
    context.close()
    return result


# Runs before the runner's script. Notes every oscillator start (the audio-clock time it
# was given, and the audio clock then), every stop (a stop at or before the start means
# the tone was cancelled), every spoken cue asked for, and, every 50 ms, both clocks at
# once, to turn audio-clock times into page instants near when each tone is due.
RECORD_CUES = """
window.__cues = { tones: [], speech: [], samples: [], audio: null };
const cues = window.__cues;
const Context = window.AudioContext;
window.AudioContext = class extends Context {
  constructor(...args) {
    super(...args);
    cues.audio = this;
  }
};
const sample = () => {
  if (!cues.audio) return;
  const stamp = cues.audio.getOutputTimestamp();
  cues.samples.push({
    at: performance.now(),
    currentTime: cues.audio.currentTime,
    contextTime: stamp.contextTime,
    performanceTime: stamp.performanceTime,
  });
};
setInterval(sample, 50);
const start = OscillatorNode.prototype.start;
OscillatorNode.prototype.start = function (when = 0) {
  const tone = {
    when, frequency: this.frequency.value, stops: [],
    calledAt: performance.now(), currentTime: this.context.currentTime,
  };
  cues.tones.push(tone);
  const stop = this.stop;
  this.stop = (at = 0) => { tone.stops.push(at); return stop.call(this, at); };
  return start.call(this, when);
};
if (window.speechSynthesis) {
  const speak = speechSynthesis.speak.bind(speechSynthesis);
  speechSynthesis.speak = (utterance) => {
    const call = { text: utterance.text, at: performance.now(), startedAt: null };
    cues.speech.push(call);
    utterance.addEventListener("start", () => { call.startedAt = performance.now(); });
    return speak(utterance);
  };
}
"""
TONE_PITCHES = {"work": 880, "pause": 520, "count": 660}
CUE_TARGET_MS = 20


def measure_timer(page, cdp, timer: dict) -> dict:
    """Start the hold, freeze the page for a minute and stall it twice, then see when the
    runner says the hold is over, against when it really was."""
    # Note when the segment label changes (not every tick of the countdown).
    page.evaluate(
        """() => {
          window.__marks = [];
          let last = null;
          const label = () =>
            document.querySelector('.runner-step:not([hidden]) [data-segment-label]');
          new MutationObserver(() => {
            const text = label()?.textContent;
            if (text !== last) { last = text; window.__marks.push([text, performance.now()]); }
          }).observe(
            document.getElementById('runner'),
            {subtree: true, childList: true, characterData: true},
          );
          document.querySelector('[data-action=start]').addEventListener(
            'click', () => { window.__started = performance.now(); }, {capture: true});
        }"""
    )
    page.get_by_role("button", name="Start", exact=True).click()
    total = timer["lead_in"] + timer["hold"]
    time.sleep(total * 0.3)
    page.evaluate(
        "() => { const end = performance.now() + 1500; while (performance.now() < end); }"
    )
    time.sleep(total * 0.1)
    cdp.send("Page.setWebLifecycleState", {"state": "frozen"})
    frozen = min(60, total * 0.25)
    time.sleep(frozen)
    cdp.send("Page.setWebLifecycleState", {"state": "active"})
    page.evaluate(
        "() => { const end = performance.now() + 1500; while (performance.now() < end); }"
    )
    page.wait_for_function(
        "() => window.__marks.some(([text, at]) => at - window.__started > "
        f"{(timer['lead_in'] + 1) * 1000})",
        timeout=(total + 30) * 1000,
    )
    # On into the next step's hold, to hear its first tones too.
    time.sleep(timer["lead_in"] + 1)
    started, marks, cues = page.evaluate("[window.__started, window.__marks, window.__cues]")
    expected = started + total * 1000
    # The first label change after the hold began is the runner saying the hold is over.
    hold_began = started + timer["lead_in"] * 1000
    ended = min(at for _, at in marks if at > hold_began + 1000)
    return {
        "hold_seconds": timer["hold"],
        "lead_in_seconds": timer["lead_in"],
        "timer_error_ms": round(ended - expected, 1),
        "frozen_seconds": frozen,
        **cue_lateness(cues, started, timer["lead_in"], timer["hold"]),
    }


def expected_cues(started: float, lead_in: int, hold: int) -> tuple[list, list]:
    """The true instants (page ms) of the tones and spoken cues from the hold's start to
    the next step's hold: what the runner should give, and when."""
    hold_at = started + lead_in * 1000
    end = hold_at + hold * 1000
    tones = [
        ("hold begins", TONE_PITCHES["work"], hold_at),
        *[(f"{n} before the end", TONE_PITCHES["count"], end - n * 1000) for n in (3, 2, 1)],
        ("next step: get ready", TONE_PITCHES["pause"], end),
        ("next step: hold", TONE_PITCHES["work"], end + lead_in * 1000),
    ]
    spoken = [
        ("hold begins", "Hold", hold_at),
        ("10 seconds left", "10 seconds left", end - 10_000),
        ("next step: get ready", "Get ready", end),
        ("next step: hold", "Hold", end + lead_in * 1000),
    ]
    return tones, spoken


def heard_at(tone: dict, samples: list[dict], near: float) -> float:
    """The page instant at which `tone` sounds, from the clock sample nearest `near`."""
    sample = min(
        (s for s in samples if s["performanceTime"] > 0), key=lambda s: abs(s["at"] - near)
    )
    # A start time already past when start() was called plays at once, at currentTime.
    when = max(tone["when"], tone["currentTime"])
    return sample["performanceTime"] + (when - sample["contextTime"]) * 1000


def cue_lateness(cues: dict, started: float, lead_in: int, hold: int) -> dict:
    tones, spoken = expected_cues(started, lead_in, hold)
    live = [t for t in cues["tones"] if t["frequency"] in TONE_PITCHES.values()]
    live = [t for t in live if not any(stop <= t["when"] for stop in t["stops"])]
    tone_rows = []
    for name, pitch, true_at in tones:
        candidates = [
            heard_at(t, cues["samples"], true_at) for t in live if t["frequency"] == pitch
        ]
        nearest = min(candidates, key=lambda at: abs(at - true_at), default=None)
        found = nearest is not None and abs(nearest - true_at) < 2000
        tone_rows.append({"cue": name, "late_ms": round(nearest - true_at, 1) if found else None})
    speech_rows = []
    for name, text, true_at in spoken:
        calls = [c for c in cues["speech"] if c["text"].startswith(text)]
        nearest = min(calls, key=lambda c: abs(c["at"] - true_at), default=None)
        found = nearest is not None and abs(nearest["at"] - true_at) < 2000
        late = round(nearest["at"] - true_at, 1) if found else None
        speech_rows.append({"cue": name, "late_ms": late})
    cancelled = sum(1 for t in cues["tones"] if any(stop <= t["when"] for stop in t["stops"]))
    # How far the audio clock moved against the page clock over the run (a starved audio
    # thread, a frozen page): what the runner has to correct for by planning again.
    offsets = [
        s["contextTime"] * 1000 - s["performanceTime"]
        for s in cues["samples"]
        if s["performanceTime"] > 0
    ]
    return {
        "audio_clock_moved_ms": round(max(offsets) - min(offsets), 1) if offsets else None,
        "tones": tone_rows,
        "tone_lateness": summary([row["late_ms"] for row in tone_rows]),
        "tones_cancelled_and_rescheduled": cancelled,
        "speech": speech_rows,
        "speech_lateness": summary([row["late_ms"] for row in speech_rows]),
        "speech_engine_started": sum(1 for c in cues["speech"] if c["startedAt"] is not None),
        "speech_calls": len(cues["speech"]),
    }


def summary(lateness: list[float | None]) -> dict:
    found = sorted(value for value in lateness if value is not None)
    if not found:
        return {"count": 0, "missing": len(lateness)}
    return {
        "count": len(found),
        "missing": len(lateness) - len(found),
        "median_ms": round(statistics.median(found), 1),
        "p95_ms": round(found[max(0, int(len(found) * 0.95 + 0.5) - 1)], 1),
        "max_ms": round(max(found), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100, help="sessions to complete steps of")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database-url", help="defaults to a new SQLite file")
    parser.add_argument("--skip-timer", action="store_true", help="skip the 5-minute hold")
    parser.add_argument(
        "--hold", type=int, help="seconds of the timed hold (default: the exercise's 300)"
    )
    parser.add_argument(
        "--timer-only",
        action="store_true",
        help="only the timed hold and its cues: no completions, no first-load bytes",
    )
    args = parser.parse_args()

    env = prepare(args.database_url)
    people, timer = seed(0 if args.timer_only else args.users, args.hold)
    largest = None if args.timer_only else seed_largest()

    server = start_server(env, args.port, args.workers)
    results = {"database": env["DATABASE_URL"].split(":")[0]}
    try:
        if args.timer_only:
            results["runner_page"] = measure_page(args.port, None, timer, hold_check=True)
        else:
            results.update(measure_server(args.port, people, args.concurrency))
            results["largest_program"] = measure_largest(args.port, largest)
            # People whose sessions were completed above are done; a fresh one for the page.
            fresh, _ = seed(1)
            results["runner_page"] = measure_page(
                args.port, fresh[0], timer, hold_check=not args.skip_timer
            )
    finally:
        server.terminate()
        server.wait()
    results.update(gunicorn_workers=args.workers, concurrency=args.concurrency)

    name = "runner-cues.json" if args.timer_only else "runner.json"
    out = ROOT / "bench-results" / name
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    if not args.timer_only:
        print_server(results, args)
        print_largest(results["largest_program"])
    page = results["runner_page"]
    if "first_load_bytes" in page:
        print_first_load(page)
    if "timer_error_ms" in page:
        print_timer(page)
    print(f"written to {out.relative_to(ROOT)}")


def measure_server(port: int, people: list[dict], concurrency: int) -> dict:
    jobs = completion_jobs(people)
    drive(port, [("GET", "/healthz", None, {})] * 200, concurrency)  # warm up
    baseline = drive(port, [("GET", "/healthz", None, {})] * len(jobs), concurrency)
    completion = drive(port, jobs, concurrency)
    return {
        "baseline_healthz": baseline,
        "step_completion": completion,
        "ratios_to_baseline": {
            "throughput": completion["per_second"] / baseline["per_second"],
            "server_p50": completion["server_p50_ms"] / baseline["server_p50_ms"],
            "server_p95": completion["server_p95_ms"] / baseline["server_p95_ms"],
        },
    }


def print_server(results: dict, args) -> None:
    print(
        f"\nRunner benchmark ({results['database']}, {args.workers} gunicorn workers, "
        f"{args.concurrency} clients)"
    )
    print(f"{'':24}{'req/s':>9}{'server p50':>12}{'server p95':>12}{'client p95':>12}")
    baseline, completion = results["baseline_healthz"], results["step_completion"]
    for name, row in [("bare view (/healthz)", baseline), ("step completion", completion)]:
        print(
            f"{name:24}{row['per_second']:9.0f}{row['server_p50_ms']:10.2f}ms"
            f"{row['server_p95_ms']:10.2f}ms{row['client_p95_ms']:10.2f}ms  {row['statuses']}"
        )
    ratios = results["ratios_to_baseline"]
    print(
        f"completion / baseline: throughput x{ratios['throughput']:.2f}, "
        f"server p50 x{ratios['server_p50']:.2f}, server p95 x{ratios['server_p95']:.2f}"
    )


def print_first_load(page: dict) -> None:
    print(
        f"runner page first load: {page['first_load_bytes'] / 1024:.1f} KB transferred in "
        f"{len(page['first_load_files'])} files, all from this server: "
        f"{page['all_from_this_server']}"
    )
    for item in page["first_load_files"]:
        print(f"  {item['bytes'] / 1024:6.1f} KB  {item['encoding'] or 'identity':8} {item['url']}")


def print_timer(page: dict) -> None:
    print(
        f"timer error after a {page['hold_seconds']} s hold (frozen for "
        f"{page['frozen_seconds']:.0f} s, stalled twice): {page['timer_error_ms']} ms"
    )
    tones = page["tone_lateness"]
    verdict = "within" if tones.get("max_ms", 1e9) <= CUE_TARGET_MS else "OVER"
    print(f"tone lateness, from the audio clock (target: at most {CUE_TARGET_MS} ms): ", end="")
    print(f"{lateness_line(tones)}, {verdict} the target")
    for row in page["tones"]:
        print(f"  {row['cue']:24} {late(row['late_ms'])}")
    print(
        f"  tones cancelled and scheduled again: {page['tones_cancelled_and_rescheduled']} "
        f"(the audio clock moved {page['audio_clock_moved_ms']} ms against the page clock)"
    )
    print(
        "spoken cues, when speak() was called (best effort: the speech engine adds its own "
        f"delay, unseen by the page): {lateness_line(page['speech_lateness'])}"
    )
    for row in page["speech"]:
        print(f"  {row['cue']:24} {late(row['late_ms'])}")
    print(
        f"  the engine reported starting {page['speech_engine_started']} of "
        f"{page['speech_calls']} utterances"
    )


def lateness_line(figures: dict) -> str:
    if not figures["count"]:
        return f"none found ({figures['missing']} missing)"
    missing = f", {figures['missing']} missing" if figures["missing"] else ""
    return (
        f"{figures['count']} cues, median {figures['median_ms']} ms, p95 {figures['p95_ms']} "
        f"ms, max {figures['max_ms']} ms{missing}"
    )


def late(value: float | None) -> str:
    return "missing" if value is None else f"{value:+8.1f} ms"


if __name__ == "__main__":
    main()
