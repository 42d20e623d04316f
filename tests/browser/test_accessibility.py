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
    "/offline/",
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


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violations_through_a_session(site, page, sign_in, axe, scheme):
    import re

    from playwright.sync_api import expect

    from tests.factories import UserFactory

    sign_in(UserFactory())
    page.emulate_media(color_scheme=scheme)

    def check(where: str) -> None:
        results = axe.run(page)
        assert results.violations_count == 0, f"{where}: {results.generate_report()}"

    page.goto(f"{site}/programs/desk-break/")
    page.get_by_role("button", name="Start this program").click()
    check("safety questions")
    page.get_by_role("button", name="None of these apply to me: start").click()
    expect(page).to_have_url(re.compile(r"/pain-before/$"))
    check("pain before")
    page.get_by_role("button", name="3", exact=True).click()
    expect(page.get_by_role("button", name="Start", exact=True)).to_be_visible()
    check("runner")
    page.get_by_role("link", name="It hurts").click()
    check("It hurts dialog")
    page.keyboard.press("Escape")
    page.goto(page.url.replace("/run/", "/hurts/"))
    check("It hurts page")
    page.go_back()
    confirm = page.get_by_role("dialog", name="Skip the warm-up?")
    for number in range(8):
        page.locator(".runner-step:not([hidden])").get_by_role("button", name="Skip").click()
        if number == 0:  # a warm-up: skipped only once confirmed
            expect(confirm).to_be_visible()
            check("skip the warm-up dialog")
        if confirm.is_visible():
            confirm.get_by_role("button", name="Skip it").click()
        page.wait_for_timeout(750)
    expect(page).to_have_url(re.compile(r"/pain-after/$"))
    check("pain after")
    page.get_by_role("button", name="2", exact=True).click()
    expect(page.get_by_role("heading", name="Session summary")).to_be_visible()
    check("summary")


@pytest.mark.django_db(transaction=True)
def test_no_axe_violations_on_the_stopped_and_advice_pages(site, page, sign_in, axe):
    from django.urls import reverse

    from programs.models import Program
    from programs.services import sessions as services
    from tests.factories import UserFactory, ready_user, started_session

    user = sign_in(ready_user())
    session = started_session(user, Program.objects.get(slug="gentle-start", owner=None))
    services.report_pain(session, session.steps.first(), 7, wants_to_stop=False)
    page.goto(f"{site}{reverse('programs:session-stopped', args=[session.pk])}")
    assert axe.run(page).violations_count == 0, axe.run(page).generate_report()

    sign_in(UserFactory())
    page.goto(f"{site}{reverse('programs:safety')}")
    page.get_by_label("Cancer now or in the past").check()
    page.get_by_role("button", name="I ticked the ones I have").click()
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violations_on_goals_history_and_report(site, page, sign_in, axe, scheme):
    from datetime import timedelta

    from django.utils import timezone

    from programs.models import Goal, MuscleGroup, Program
    from programs.services import goals as goal_services
    from tests.factories import make_history, ready_user

    user = sign_in(ready_user())
    program = Program.objects.get(slug="whole-body", owner=None)
    make_history(user, 30, program, per_day=1)
    group = MuscleGroup.objects.get(slug="erector-spinae")
    goal = goal_services.create_goal(
        Goal(
            user=user,
            muscle_group=group,
            expectation="Garden for an hour",
            due_date=timezone.localdate() + timedelta(days=20),
            target_kind="minutes",
            target_value=300,
        ),
        timezone.localdate(),
    )
    page.emulate_media(color_scheme=scheme)
    for path in [
        "/goals/",
        "/goals/every-group/",
        "/goals/new/",
        goal.get_absolute_url(),
        "/history/",
        "/report/",
        "/",
    ]:
        page.goto(f"{site}{path}")
        results = axe.run(page)
        assert results.violations_count == 0, f"{path}: {results.generate_report()}"


@pytest.mark.django_db(transaction=True)
def test_no_axe_violations_on_the_builder_and_suggestions(site, page, sign_in, axe):
    from programs.models import Program
    from tests.factories import ready_user
    from tests.test_builder import run_session

    user = sign_in(ready_user())
    curated = Program.objects.get(slug="desk-break", owner=None)
    for _ in range(3):
        session = run_session(user, curated)
    page.goto(f"{site}/programs/desk-break/")
    page.get_by_role("button", name="Copy it to make it my own").click()
    page.get_by_label("Search the library").fill("bridge")
    page.locator("#search-results li").first.wait_for()
    for path in [
        None,
        f"/sessions/{session.pk}/summary/",
        "/programs/desk-break/",
        "/programs/",
        "/my/programs/new/",
        "/flare-up/",
    ]:
        if path:
            page.goto(f"{site}{path}")
        results = axe.run(page)
        assert results.violations_count == 0, f"{path or 'builder'}: {results.generate_report()}"
