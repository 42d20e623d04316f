"""The reminders page in a real browser: on a 360 px phone, in light and dark mode, with
no accessibility problems, and the unsubscribe page."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


def _person_with_a_plan():
    from programs.models import Program
    from programs.services import plans as plan_services
    from tests.factories import ready_user

    person = ready_user(time_zone="Europe/London")
    program = Program.objects.filter(owner=None, sessions_per_day__gt=1).first()
    plan_services.follow(
        person, program or Program.objects.filter(owner=None).first(), person.today()
    )
    return person


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_reminders_fit_a_phone_and_pass_axe(site, page, sign_in, axe, scheme):
    sign_in(_person_with_a_plan())
    page.set_viewport_size({"width": 360, "height": 740})
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{site}/reminders/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the reminders page scrolls sideways by {overflow}px"
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()
    page.get_by_label("Monday").check()
    page.get_by_label("Thursday").check()
    page.locator("input[name=time_1]").fill("08:30")
    page.get_by_role("button", name="Save reminders").click()
    expect(page.get_by_text("Your reminders are saved.")).to_be_visible()
    expect(page.get_by_label("Thursday")).to_be_checked()
    expect(page.locator("input[name=time_1]")).to_have_value("08:30")


def test_the_unsubscribe_page_works_without_a_log_in(site, page, axe):
    from datetime import time

    from programs.models import ReminderSchedule
    from programs.reminder_mail import unsubscribe_token
    from programs.services import reminders as services

    person = _person_with_a_plan()
    services.save_schedule(person, [0], [time(9, 0)], by_email=True)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{site}/r/reminders/{unsubscribe_token(person)}/stop/")
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()
    page.get_by_role("button", name="Stop reminder emails").click()
    expect(page.get_by_role("heading", name="Reminder emails stopped")).to_be_visible()
    assert ReminderSchedule.objects.get(user=person).by_email is False
