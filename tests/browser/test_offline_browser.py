"""The installable app in Chromium: its service worker, offline pages, and a session page
that reloads with no network."""

import re

import pytest
from playwright.sync_api import expect

from programs.models import Program
from tests.factories import ready_user, started_session

pytestmark = pytest.mark.django_db(transaction=True)

KEPT_RUNNER = """async () => {
  const cache = await caches.open("backcare-pages-v1");
  return (await cache.keys()).map((request) => new URL(request.url).pathname);
}"""
KEPT_STATIC = """async () => {
  const names = await caches.keys();
  const urls = [];
  for (const name of names) {
    for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
  }
  return urls.map((url) => new URL(url).pathname);
}"""


def wait_for(page, script: str, check, tries: int = 100):
    """Polls `script` in the page until `check` holds for what it returns."""
    for _ in range(tries):
        value = page.evaluate(script)
        if check(value):
            return value
        page.wait_for_timeout(100)
    raise AssertionError(f"Never came true; last value: {value!r}")


def controlled(page) -> None:
    wait_for(page, "() => navigator.serviceWorker.controller !== null", bool)


@pytest.fixture
def session(site, sign_in):
    user = sign_in(ready_user())
    return started_session(user, Program.objects.curated().get(slug="desk-break"))


def first_step_name(session) -> str:
    return session.steps.order_by("position").first().exercise.name


def test_the_worker_registers_and_looks_after_every_page(site, page):
    page.goto(f"{site}/")
    controlled(page)
    worker = page.evaluate("navigator.serviceWorker.controller.scriptURL")
    assert worker == f"{site}/sw.js"
    page.goto(f"{site}/library/")
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL") == worker


def test_offline_a_page_never_visited_shows_the_offline_page(site, page, context):
    page.goto(f"{site}/")
    controlled(page)
    context.set_offline(True)
    page.goto(f"{site}/lessons/")
    expect(page.get_by_role("heading", name="You are offline", level=1)).to_be_visible()
    expect(page.get_by_text("sent to BackCare when you are back online")).to_be_visible()
    expect(page.locator("#kept-sessions")).to_be_hidden()
    # In the site's own look: our stylesheet came from the worker's copy.
    colour = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    assert colour in {"rgb(247, 245, 240)", "rgb(18, 24, 22)"}


def test_a_runner_page_visited_online_reloads_offline(site, page, context, session):
    page.goto(f"{site}/")
    controlled(page)
    runner = f"/sessions/{session.pk}/run/"
    page.goto(f"{site}{runner}")
    expect(page.locator(".runner-step:not([hidden]) h1")).to_have_text(first_step_name(session))
    wait_for(page, KEPT_RUNNER, lambda kept: runner in kept)

    context.set_offline(True)
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.reload()
    expect(page.locator(".runner-step:not([hidden]) h1")).to_have_text(first_step_name(session))
    page.wait_for_load_state("load")
    assert failed == [], "Offline, these were not kept"


def test_the_offline_page_leads_back_to_the_kept_session(site, page, context, session):
    page.goto(f"{site}/")
    controlled(page)
    runner = f"/sessions/{session.pk}/run/"
    page.goto(f"{site}{runner}")
    wait_for(page, KEPT_RUNNER, lambda kept: runner in kept)

    context.set_offline(True)
    page.goto(f"{site}/goals/")
    expect(page.get_by_role("heading", name="You are offline", level=1)).to_be_visible()
    kept = page.get_by_role("link", name=re.compile(re.escape(first_step_name(session))))
    expect(kept).to_have_count(1)
    kept.click()
    expect(page).to_have_url(f"{site}{runner}")
    expect(page.locator(".runner-step:not([hidden]) h1")).to_have_text(first_step_name(session))


def test_a_runner_page_opened_before_the_worker_is_kept_with_what_it_loaded(
    site, page, context, session
):
    runner = f"/sessions/{session.pk}/run/"
    page.goto(f"{site}{runner}")  # the first page: the worker arrives while it loads
    controlled(page)
    wait_for(page, KEPT_RUNNER, lambda kept: runner in kept)
    wait_for(page, KEPT_STATIC, lambda kept: "/static/js/runner.js" in kept)

    context.set_offline(True)
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.reload()
    expect(page.locator(".runner-step:not([hidden]) h1")).to_have_text(first_step_name(session))
    page.wait_for_load_state("load")
    assert failed == [], "Offline, these were not kept"


def test_signing_out_forgets_the_kept_runner_page(site, page, context, session):
    page.set_viewport_size({"width": 1280, "height": 800})
    runner = f"/sessions/{session.pk}/run/"
    page.goto(f"{site}/")
    controlled(page)
    page.goto(f"{site}{runner}")
    wait_for(page, KEPT_RUNNER, lambda kept: runner in kept)

    page.goto(f"{site}/")
    page.locator(".nav-wide").get_by_role("button", name="Log out").click()
    expect(page.locator(".nav-wide").get_by_role("link", name="Log in")).to_be_visible()
    wait_for(page, KEPT_RUNNER, lambda kept: kept == [])

    context.set_offline(True)
    page.goto(f"{site}{runner}")
    expect(page.get_by_role("heading", name="You are offline", level=1)).to_be_visible()
    expect(page.get_by_text(first_step_name(session))).to_have_count(0)


def test_chromium_finds_the_app_installable(site, browser_type, browser_type_launch_args, tmp_path):
    # A profile of its own: Chromium never offers to install from a private window.
    context = browser_type.launch_persistent_context(tmp_path, **browser_type_launch_args)
    try:
        page = context.new_page()
        page.goto(f"{site}/")
        controlled(page)
        cdp = context.new_cdp_session(page)
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["url"] == f"{site}/manifest.webmanifest"
        assert manifest["errors"] == []
        assert re.search(r'"display":\s*"standalone"', manifest["data"])
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    finally:
        context.close()
