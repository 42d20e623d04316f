"""What a new person meets, on a phone and a desktop: the first step, the walk to the first
timed step, pages that fit a 360 px phone, large answers, and filters that survive Back."""

import re
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from programs.models import Goal, MuscleGroup, Program, Session
from programs.services import goals as goal_services
from programs.services import outcomes as outcome_services
from programs.services import programs as program_services
from programs.services import sessions as services
from tests.factories import UserFactory, ready_user

PHONE = {"width": 360, "height": 640}


class Taps:
    """Counts every click or tap on the way, so the walk's length is measured, not assumed."""

    def __init__(self, page) -> None:
        self.page = page
        self.count = 0

    def on(self, locator) -> None:
        self.count += 1
        locator.click()


def test_a_new_person_reaches_the_first_timed_step_in_four_taps(site, page):
    page.set_viewport_size(PHONE)
    page.goto(f"{site}/accounts/signup/")
    page.get_by_label("Username").fill("rosa")
    page.get_by_label("Password", exact=True).fill("gentle-stretch-every-day-9")
    page.get_by_label("Password confirmation").fill("gentle-stretch-every-day-9")
    page.get_by_role("button", name="Sign up").click()
    # The four questions come first and choose a program, with a sentence saying why.
    expect(page).to_have_url(re.compile(r"/start/$"))
    page.get_by_label("More than three months").check()
    page.get_by_role("group", name="Does the pain go down").get_by_label("No").check()
    page.get_by_role("group", name="Can you get down").get_by_label("Yes").check()
    page.get_by_label("20 minutes").check()
    page.get_by_role("button", name="Show my program").click()
    expect(page.get_by_text("Chosen for you:")).to_be_visible()
    expect(page.get_by_text("daily stretching, kept up for months")).to_be_visible()

    taps = Taps(page)
    taps.on(page.get_by_role("button", name="Start today's session"))
    taps.on(page.get_by_role("button", name="None of these apply to me: start"))
    taps.on(page.get_by_role("button", name="3", exact=True))
    start = page.get_by_role("button", name="Start", exact=True)
    expect(start).to_be_in_viewport()
    taps.on(start)
    # The first timed step is playing: its countdown moves.
    countdown = page.locator(".runner-step:not([hidden]) [data-countdown]")
    first = countdown.inner_text()
    expect(countdown).not_to_have_text(first, timeout=5000)
    assert taps.count <= 4
    session = Session.objects.get(user__username="rosa")
    assert session.program.slug == "daily-stretch"
    assert session.pain_before == 3


def person_with_everything():
    """Someone with sessions, a goal, a weekly check-in and a program of their own."""
    person = ready_user(username="margaret")
    daily = Program.objects.get(slug="daily-stretch", owner=None)
    for _ in range(2):
        session = services.start_session(person, daily)
        services.record_pain_before(session, 3)
        for step in session.steps.all():
            services.complete_step(session, step, uuid.uuid4(), step.planned_seconds, False)
        services.finish_session(session, 2)
    today = timezone.localdate()
    goal = goal_services.create_goal(
        Goal(
            user=person,
            muscle_group=MuscleGroup.objects.get(slug="gluteus-maximus"),
            expectation="Sit through a whole film without my lower back aching",
            due_date=today + timedelta(days=20),
            target_kind=Goal.Target.SESSIONS,
            target_value=20,
        ),
        today,
    )
    activity = outcome_services.add_activity(person, "put my socks on")
    outcome_services.record_weekly(
        person, {"pain": 5, "enjoyment": 4, "activity": 4}, {activity: 5}, today
    )
    own = program_services.copy_program(person, daily)
    return person, [
        "/",
        "/library/",
        "/library/bird-dog/",
        "/muscles/",
        "/muscles/gluteus-maximus/",
        "/programs/",
        "/programs/daily-stretch/",
        own.get_absolute_url(),
        "/goals/",
        goal.get_absolute_url(),
        "/goals/new/",
        "/goals/every-group/",
        "/history/",
        "/report/",
        "/report/links/",
        "/outcomes/",
        "/lessons/",
        "/start/",
        "/accounts/profile/",
        f"/sessions/{session.pk}/summary/",
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_page_scrolls_sideways_on_a_360_pixel_phone(site, page, sign_in, scheme):
    person, paths = person_with_everything()
    sign_in(person)
    page.set_viewport_size(PHONE)
    page.emulate_media(color_scheme=scheme)
    wide = []
    for path in paths:
        page.goto(site + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide.append(f"{path}: {width} px")
    assert wide == []


def test_the_pain_answers_are_large_and_say_what_the_ends_mean(site, page, sign_in):
    person = sign_in(ready_user())
    program = Program.objects.get(slug="desk-break", owner=None)
    session = services.start_session(person, program)
    page.set_viewport_size(PHONE)
    page.goto(site + reverse("programs:session-pain-before", args=[session.pk]))
    buttons = page.locator(".pain-option")
    assert buttons.count() == 11
    for index in range(11):
        box = buttons.nth(index).bounding_box()
        assert box["width"] >= 44
        assert box["height"] >= 44
    expect(buttons.nth(0)).to_contain_text("none")
    expect(buttons.nth(5)).to_contain_text("medium")
    expect(buttons.nth(10)).to_contain_text("worst")


def test_back_restores_the_filters_and_the_list(site, page):
    page.goto(f"{site}/library/")
    page.get_by_label("Kind").select_option("stretch")
    expect(page).to_have_url(re.compile(r"kind=stretch"))
    page.get_by_label("Position").select_option("seated")
    expect(page).to_have_url(re.compile(r"kind=stretch.*position=seated"))
    count = page.locator("#results-count").inner_text()
    page.locator("#results article a").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.go_back()
    expect(page.get_by_label("Kind")).to_have_value("stretch")
    expect(page.get_by_label("Position")).to_have_value("seated")
    expect(page.locator("#results-count")).to_have_text(count)
    # Changing one more filter keeps the others.
    page.get_by_label("Seated, TV-friendly only").check()
    expect(page).to_have_url(re.compile(r"kind=stretch.*position=seated.*tv=on"))


def test_the_menu_opens_on_a_phone_and_every_link_is_there(site, page, sign_in):
    sign_in(UserFactory())
    page.set_viewport_size(PHONE)
    page.goto(site + "/lessons/")
    page.get_by_text("Menu").click()
    for name in ["Today", "Programs", "Exercises", "Goals", "Progress", "Profile"]:
        expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
