"""Sign up, log out and log in again, in a real browser."""

from django.contrib.auth import get_user_model
from playwright.sync_api import expect


def test_sign_up_log_out_log_in(site, page):
    page.goto(site)
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill("joan")
    page.get_by_label("Email").fill("joan@example.com")
    page.get_by_label("Password", exact=True).fill("gentle-stretch-every-day-9")
    page.get_by_label("Password confirmation").fill("gentle-stretch-every-day-9")
    page.get_by_role("button", name="Sign up").click()

    expect(page.get_by_text("Welcome to BackCare, joan.")).to_be_visible()
    user = get_user_model().objects.get(username="joan")
    # The browser's own time zone was picked for the new account.
    assert user.time_zone == page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()

    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("joan")
    page.get_by_label("Password").fill("gentle-stretch-every-day-9")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Welcome back, joan.")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
