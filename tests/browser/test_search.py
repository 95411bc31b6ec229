"""Search in a browser: results as you type, swapped in without a reload."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import mark_window, window_survived

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_it_shows_results_as_you_type_and_opens_an_entity(page: Page):
    response = page.goto("/search/")
    assert response is not None and response.ok, "/search/ does not answer"
    mark_window(page)

    box = page.locator("form[role=search] #search-q")
    # Wherever the focus is (the page may autofocus the box), `/` brings it to the box.
    page.locator("h1").click()
    expect(box).not_to_be_focused()
    page.keyboard.press("/")
    expect(box).to_be_focused()
    page.keyboard.type("Colossus", delay=30)

    result = page.locator("#search-results a[href^='/entities/']", has_text="Colossus").first
    expect(result).to_be_visible()
    assert window_survived(page)
    href = str(result.get_attribute("href"))
    result.click()
    page.wait_for_url(f"**{href}")
    expect(page.locator("h1")).to_contain_text("Colossus")
