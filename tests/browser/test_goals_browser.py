"""Goals in Chromium: inline validation, and progress that moves after a session."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from programs.models import Goal, MuscleGroup, Program
from tests.factories import ready_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_set_a_goal_fix_a_mistake_and_watch_it_move(site, page, sign_in):
    user = sign_in(ready_user())
    page.goto(f"{site}/goals/")
    page.get_by_role("link", name="Set a goal", exact=True).click()
    group = MuscleGroup.objects.get(slug="gluteus-maximus")
    page.get_by_label("Muscle group").select_option(str(group.pk))
    page.get_by_label("What you expect, in your own words").fill("Sit through a film in comfort")
    page.get_by_label("Measured by").select_option("sessions")
    page.get_by_label("Target").fill("3")

    # A date in the past: the message appears next to the field as soon as it changes.
    page.get_by_label("Due date").fill("2020-01-01")
    page.get_by_label("Target").focus()
    row = page.locator("#row-due_date")
    expect(row.get_by_text("Choose a date after today")).to_be_visible()
    assert not Goal.objects.exists()

    due = timezone.localdate() + timedelta(days=21)
    page.get_by_label("Due date").fill(due.isoformat())
    page.get_by_label("Target").focus()
    expect(row.get_by_text("Choose a date after today")).to_have_count(0)
    page.get_by_role("button", name="Set the goal").click()
    expect(page.get_by_role("heading", name="Goal: Buttocks")).to_be_visible()
    goal = Goal.objects.get(user=user)
    expect(page.locator(".goal-figures")).to_contain_text("0 sessions")

    # A session that works the gluteus moves the goal on its page and on home.
    page.clock.install()
    page.goto(f"{site}/programs/seated-tv/")
    page.get_by_role("button", name="Start this program").click()
    page.get_by_role("button", name="1", exact=True).click()
    expect(page.get_by_role("button", name="Start", exact=True)).to_be_visible()
    for _ in Program.objects.get(slug="seated-tv", owner=None).steps.all():
        page.locator(".runner-step:not([hidden])").get_by_role("button", name="Done").click()
        page.clock.run_for(1_000)
    expect(page).to_have_url(re.compile(r"/pain-after/$"))
    page.get_by_role("button", name="1", exact=True).click()
    expect(page.get_by_role("heading", name="Goals this session moved")).to_be_visible()

    page.goto(f"{site}{goal.get_absolute_url()}")
    expect(page.locator(".goal-figures")).to_contain_text("1 session")
    page.goto(site)
    expect(page.locator(".goal-card")).to_contain_text("1 session of 3 sessions")
