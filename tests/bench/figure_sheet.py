"""Render the figure review sheet without a server and screenshot it, to look at every figure.

Reads the exercises straight from the library file (no database), renders the sheet template
with the site's stylesheet, and saves 1280-pixel-wide PNGs of it, a few exercises per image,
in light and, with --dark, dark colours.

    .venv/bin/python tests/bench/figure_sheet.py --out figure-sheet
    .venv/bin/python tests/bench/figure_sheet.py --dark --only bird-dog cat-cow
"""

import argparse
import os
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
CHROMIUM = os.environ.get("BACKCARE_CHROMIUM", "/usr/bin/chromium")
PAGE_WIDTH = 1280
PAGE_HEIGHT = 1800  # pixels of sheet per image


def exercises(only: list[str]):
    """Unsaved Exercise rows built from the library file, by name."""
    from programs.library_loader import LIBRARY_FILE
    from programs.models import Exercise

    with LIBRARY_FILE.open("rb") as handle:
        items = tomllib.load(handle)["exercise"]
    rows = [
        Exercise(
            slug=item["slug"],
            name=item["name"],
            position=item["position"],
            per_side=item.get("per_side", False),
            instructions="\n".join(item["instructions"]),
        )
        for item in items
        if not only or item["slug"] in only
    ]
    return sorted(rows, key=lambda row: row.name)


def sheet_html(only: list[str]) -> str:
    """The sheet page as the site serves it, its static files read from the source tree."""
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django.urls import resolve

    from programs.views.figures import sheet_rows

    request = RequestFactory().get("/library/figures/")
    request.user = AnonymousUser()
    request.resolver_match = resolve("/library/figures/")
    context = {"rows": sheet_rows(exercises(only))}
    html = render_to_string("programs/figure_sheet.html", context, request=request)
    return html.replace('"/static/', f'"{(ROOT / "static").as_uri()}/')


def screenshot(html_file: Path, out: Path, dark: bool) -> list[Path]:
    from playwright.sync_api import sync_playwright

    scheme = "dark" if dark else "light"
    paths = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else None,
            args=["--no-sandbox", "--disable-gpu", "--headless"],
        )
        page = browser.new_page(
            viewport={"width": PAGE_WIDTH, "height": PAGE_HEIGHT}, color_scheme=scheme
        )
        page.goto(html_file.as_uri())
        height = page.evaluate("document.documentElement.scrollHeight")
        for number, top in enumerate(range(0, height, PAGE_HEIGHT), start=1):
            path = out / f"figure-sheet-{scheme}-{number:02d}.png"
            clip = {"x": 0, "y": top, "width": PAGE_WIDTH, "height": min(PAGE_HEIGHT, height - top)}
            page.screenshot(path=str(path), clip=clip, full_page=True)
            paths.append(path)
        browser.close()
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "figure-sheet")
    parser.add_argument("--dark", action="store_true", help="emulate a dark colour scheme")
    parser.add_argument("--only", nargs="*", default=[], help="exercise slugs to show")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backcare.settings")
    import django

    django.setup()
    args.out.mkdir(parents=True, exist_ok=True)
    html_file = args.out / "figure-sheet.html"
    html_file.write_text(sheet_html(args.only), encoding="utf-8")
    for path in screenshot(html_file, args.out, args.dark):
        print(path)


if __name__ == "__main__":
    main()
