"""The library in a real browser: filters update the list and the address in place."""

import re

from playwright.sync_api import expect


def test_filter_the_library_and_open_an_exercise(site, page):
    page.goto(f"{site}/library/")
    heading = page.get_by_role("heading", name="Exercise library")
    expect(heading).to_be_visible()
    first_count = page.locator("#results-count").inner_text()

    # Mark the document so we can tell an in-place update from a full page load.
    page.evaluate("document.body.dataset.marker = 'same-page'")
    page.get_by_label("Kind").select_option("stretch")
    expect(page).to_have_url(re.compile(r"kind=stretch"))
    page.get_by_label("Seated, TV-friendly only").check()
    expect(page).to_have_url(re.compile(r"tv=on"))
    expect(page.locator("#results-count")).not_to_have_text(first_count)
    assert page.evaluate("document.body.dataset.marker") == "same-page"

    page.get_by_label("Search").fill("squeeze")
    expect(page).to_have_url(re.compile(r"q=squeeze"))
    expect(page.locator("#results-count")).to_have_text("1 exercise")
    page.get_by_role("link", name="Seated gluteus squeeze").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Seated gluteus squeeze")
    expect(page.get_by_text("Hold 5 min")).to_be_visible()

    # Back returns to the filtered list, as bookmarked.
    page.go_back()
    expect(page.locator("#results-count")).to_have_text("1 exercise")
    expect(page.get_by_label("Search")).to_have_value("squeeze")


def test_a_filter_that_matches_nothing_says_so(site, page):
    page.goto(f"{site}/library/")
    page.get_by_label("Search").fill("no such exercise anywhere")
    expect(page.get_by_text("No exercise matches all of these filters")).to_be_visible()
    expect(page.locator("#results-count")).to_have_text("0 exercises")


def test_a_bookmarked_filter_opens_filtered(site, page):
    page.goto(f"{site}/library/?muscle=piriformis&kind=stretch")
    expect(page.get_by_label("Muscle group")).to_have_value("piriformis")
    cards = page.locator("#results article")
    assert cards.count() >= 1
    for card_text in cards.all_inner_texts():
        assert "Stretch" in card_text


def test_the_library_filters_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/library/")
    page.get_by_label("Kind").select_option("cooldown")
    page.get_by_role("button", name="Show exercises").click()
    expect(page).to_have_url(re.compile(r"kind=cooldown"))
    for card_text in page.locator("#results article").all_inner_texts():
        assert "Cool-down" in card_text
    context.close()
