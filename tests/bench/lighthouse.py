"""Page weight and Lighthouse scores of the main pages, served as in production.

Builds a database with one person who has a few weeks of sessions (as the screenshot script
does), starts gunicorn with production settings (compressed static files, gzip), and for
each page prints the bytes transferred on a first visit (every file it loads, gzipped as
sent) against the 60 KB budget, then Lighthouse's performance and accessibility scores on a
phone. Lighthouse comes from the npm registry on first use (pinned, into .venv/lighthouse).

Run with `make lighthouse`, or: .venv/bin/python tests/bench/lighthouse.py --help
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.bench_runner import prepare, start_server  # noqa: E402

LIGHTHOUSE = "lighthouse@12.2.3"  # the last release that runs on Node 20
TOOLS = ROOT / ".venv" / "lighthouse"
BUDGET_BYTES = 60 * 1024
PAGES = [
    ("home", "/"),
    ("library", "/library/"),
    ("exercise", "/library/bird-dog/"),
    ("programs", "/programs/"),
    ("program", "/programs/daily-stretch/"),
    ("history", "/history/"),
    ("goals", "/goals/"),
    ("lessons", "/lessons/"),
    ("runner", "{runner}"),
]


def lighthouse_bin() -> Path:
    binary = TOOLS / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        TOOLS.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--silent", "--prefix", str(TOOLS), "-E", LIGHTHOUSE], check=True
        )
    return binary


def transferred(page, url: str) -> tuple[int, int]:
    """Bytes on the wire for a first visit to `url` (cache empty), and how many files."""
    sizes: list[int] = []

    def count(request) -> None:
        sizes.append(request.sizes()["responseBodySize"] + request.sizes()["responseHeadersSize"])

    page.on("requestfinished", count)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.remove_listener("requestfinished", count)
    return sum(sizes), len(sizes)


def cookie_for(name: str, cookie: str, urls: dict) -> str:
    """The player is shown to the person whose session is under way."""
    return urls["player_cookie"] if name == "runner" else cookie


def weights(base: str, cookie: str, urls: dict) -> dict[str, tuple[int, int]]:
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("BACKCARE_CHROMIUM", "/usr/bin/chromium")
    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for name, path in PAGES:
            context = browser.new_context()  # a new, empty cache for each page
            who = cookie_for(name, cookie, urls)
            context.add_cookies([{"name": "sessionid", "value": who, "url": base}])
            found[name] = transferred(context.new_page(), base + path.format(**urls))
            context.close()
        browser.close()
    return found


def scores(base: str, cookie: str, url: str) -> tuple[int, int]:
    """Lighthouse's performance and accessibility scores (0-100) on a phone."""
    result = subprocess.run(
        [
            str(lighthouse_bin()),
            url,
            "--quiet",
            "--output=json",
            "--only-categories=performance,accessibility",
            f"--extra-headers={json.dumps({'Cookie': f'sessionid={cookie}'})}",
            "--chrome-flags=--headless --no-sandbox --disable-gpu",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "CHROME_PATH": os.environ.get("BACKCARE_CHROMIUM", "/usr/bin/chromium")},
        check=True,
    )
    categories = json.loads(result.stdout)["categories"]
    return round(categories["performance"]["score"] * 100), round(
        categories["accessibility"]["score"] * 100
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8877)
    parser.add_argument("--no-lighthouse", action="store_true", help="page weight only")
    args = parser.parse_args()
    env = prepare(None)
    from tests.bench import screens

    person, urls = screens.build_person(morning_answered=True)
    cookie = screens.session_cookie(person)
    urls["player_cookie"] = screens.session_cookie(urls.pop("player"))
    server = start_server(env, args.port, workers=2)
    base = f"http://127.0.0.1:{args.port}"
    try:
        weight = weights(base, cookie, urls)
        print(f"{'page':<10} {'KB sent':>8} {'files':>6} {'budget':>7} {'perf':>5} {'a11y':>5}")
        for name, path in PAGES:
            sent, files = weight[name]
            ok = "ok" if sent <= BUDGET_BYTES else "OVER"
            url = base + path.format(**urls)
            who = cookie_for(name, cookie, urls)
            perf, a11y = ("-", "-") if args.no_lighthouse else scores(base, who, url)
            print(f"{name:<10} {sent / 1024:>8.1f} {files:>6} {ok:>7} {perf:>5} {a11y:>5}")
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
