"""Draws the installed app's icons from our own icon, `static/img/icon.svg`, with Chromium.

The PNGs are committed; run this again only when the icon changes:
    .venv/bin/python tests/bench/icons.py
"""

import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
IMG = ROOT / "static" / "img"
CHROMIUM = "/usr/bin/chromium"


def mark(svg: str) -> tuple[str, str]:
    """The icon's background colour and its drawing (everything but the background)."""
    background = re.search(r'<rect [^>]*fill="([^"]+)"', svg).group(1)
    drawing = re.search(r"<path .*?/>", svg).group(0)
    return background, drawing


def square(svg: str, scale: float) -> str:
    """Full bleed, for platforms that cut their own shape: the mark scaled about the centre
    (maskable icons keep it inside the middle 80% circle)."""
    background, drawing = mark(svg)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
        f'<rect width="32" height="32" fill="{background}"/>'
        f'<g transform="translate(16 16) scale({scale}) translate(-16 -16)">{drawing}</g></svg>'
    )


def icons(svg: str) -> dict[str, tuple[int, str]]:
    return {
        "icon-192.png": (192, svg),
        "icon-512.png": (512, svg),
        "icon-maskable-512.png": (512, square(svg, 0.7)),
        "apple-touch-icon.png": (180, square(svg, 0.85)),
    }


def main() -> None:
    svg = (IMG / "icon.svg").read_text()
    executable = CHROMIUM if Path(CHROMIUM).exists() else None
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        for name, (size, drawing) in icons(svg).items():
            page = browser.new_page(viewport={"width": size, "height": size})
            sized = drawing.replace("<svg ", f'<svg width="{size}" height="{size}" ', 1)
            page.set_content(f"<body style='margin:0'>{sized}</body>")
            page.screenshot(path=str(IMG / name), omit_background=True)
            page.close()
            print(f"{name}: {size}x{size}", file=sys.stderr)
        browser.close()


if __name__ == "__main__":
    main()
