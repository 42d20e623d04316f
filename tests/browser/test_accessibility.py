"""axe finds no accessibility violations on the main pages."""

import pytest
from axe_playwright_python.sync_playwright import Axe

PAGES = [
    "/",
    "/library/",
    "/library/?kind=stretch&tv=on",
    "/library/seated-gluteus-squeeze/",
    "/muscles/",
    "/muscles/gluteus-maximus/",
    "/programs/",
    "/programs/gentle-start/",
    "/accounts/signup/",
    "/accounts/login/",
]


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violations(site, page, axe, path, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{site}{path}")
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()


def test_pages_fit_a_narrow_phone_screen(site, page):
    page.set_viewport_size({"width": 360, "height": 740})
    for path in PAGES:
        page.goto(f"{site}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 360px wide"
