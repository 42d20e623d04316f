"""The builder in Chromium: build from nothing, reorder by keyboard, run it, accept a
suggestion, and see the next session use the new dose."""

import re

import pytest
from playwright.sync_api import expect

from programs.models import Exercise, Program, Session
from tests.factories import ready_user
from tests.test_builder import run_session

pytestmark = pytest.mark.django_db(transaction=True)


def add(page, name: str) -> None:
    """Add an exercise from the search; its kind decides its phase."""
    page.get_by_label("Search the library").fill(name)
    result = page.locator("#search-results li").filter(has_text=name).first
    expect(result).to_be_visible()
    result.get_by_role("button", name=re.compile(r"^Add")).click()
    expect(page.locator("#steps")).to_contain_text(name)


def test_build_reorder_run_and_progress(site, page, sign_in):
    user = sign_in(ready_user())
    page.goto(f"{site}/programs/")
    page.get_by_role("link", name="Build a program").click()
    page.get_by_label("Name").fill("My mornings")
    page.get_by_role("button", name="Create the program").click()
    expect(page.get_by_role("heading", name="My mornings", level=1)).to_be_visible()

    add(page, "Cat-cow")
    expect(page.locator("#steps [role=alert]")).to_contain_text("Start with a warm-up")
    add(page, "Marching in place")
    add(page, "Glute bridge")
    add(page, "Child's pose")
    expect(page.locator("#steps [role=alert]")).to_have_count(0)
    program = Program.objects.get(owner=user)
    names = lambda: [s.exercise.name for s in program.steps.order_by("order")]  # noqa: E731
    assert names() == ["Marching in place", "Cat-cow", "Glute bridge", "Child's pose"]

    # Keyboard only: move the glute bridge up one place, focus stays on its button.
    bridge = program.steps.get(exercise__name="Glute bridge")
    button = page.locator(f"#up-{bridge.pk}")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#steps li").nth(1)).to_contain_text("Glute bridge")
    assert page.evaluate("document.activeElement.id") == f"up-{bridge.pk}"
    assert names() == ["Marching in place", "Glute bridge", "Cat-cow", "Child's pose"]

    # Two comfortable sessions already done; the third, in the browser, earns a step up.
    run_session(user, program)
    run_session(user, program)
    page.clock.install()
    page.goto(f"{site}{program.get_absolute_url()}")
    page.get_by_role("button", name="Start this program").click()
    page.get_by_role("button", name="1", exact=True).click()
    expect(page.get_by_role("button", name="Start", exact=True)).to_be_visible()
    page.get_by_role("button", name="Start", exact=True).click()
    steps = page.evaluate("JSON.parse(document.getElementById('runner-data').textContent).steps")
    for step in steps:
        page.clock.run_for(step["seconds"] * 1000 + 300)
    expect(page).to_have_url(re.compile(r"/pain-after/$"))
    page.get_by_role("button", name="1", exact=True).click()

    suggestions = page.get_by_role("region", name="Suggested changes")
    expect(suggestions).to_be_visible()
    bridge_exercise = Exercise.objects.get(name="Glute bridge")
    grown = int(bridge_exercise.hold_seconds * 1.2)
    item = suggestions.locator("li").filter(has_text="Glute bridge")
    expect(item).to_contain_text(f"hold {grown} s instead of {bridge_exercise.hold_seconds} s")
    # Warm-ups stay as they are: only the work itself grows.
    expect(suggestions.locator("li").filter(has_text="Marching in place")).to_have_count(0)
    suggestions.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("your next session uses the new dose")).to_be_visible()

    page.goto(f"{site}{program.get_absolute_url()}")
    page.get_by_role("button", name="Start this program").click()
    next_session = Session.objects.filter(user=user).latest("started_at")
    assert next_session.steps.get(exercise=bridge_exercise).hold_seconds == grown
