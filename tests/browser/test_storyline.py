"""A storyline timeline in a browser: the headline, filters and paging swapped in by htmx,
folded evidence, links to entities, the keyboard."""

import re

import pytest
from playwright.sync_api import Page, expect

from apps.dashboard.views import storyline as storyline_view
from tests.browser.pages import event_ids, mark_window, window_survived

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

EXODUS = "/storylines/xai-exodus/"


def test_it_headlines_the_co_founders_who_left_each_number_a_link(page: Page):
    page.goto(EXODUS)

    headline = page.locator("p.headline")
    expect(headline).to_have_text(re.compile(r"^\s*\d+ of \d+ co-founders have left xAI\s*$"))
    gone, founders = headline.locator("a").all()
    assert 0 < int(gone.inner_text()) <= int(founders.inner_text())
    assert founders.get_attribute("href") == "/entities/xai/"

    gone.click()
    page.wait_for_url(re.compile(r"[?&]type=departure"))
    types = page.locator("#timeline [data-event] .type")
    expect(types.first).to_be_visible()
    expect(types.filter(has_not_text="Departure")).to_have_count(0)


def test_it_filters_the_timeline_in_place_and_puts_the_filter_in_the_url(page: Page):
    page.goto(EXODUS)
    types = page.locator("#timeline [data-event] .type")
    # Proves nothing unless the unfiltered timeline holds other types too.
    assert len(set(types.all_inner_texts())) > 1
    mark_window(page)

    page.locator("select[name=type]").select_option("departure")

    page.wait_for_url(re.compile(r"[?&]type=departure"))
    expect(types.filter(has_not_text="Departure")).to_have_count(0)
    expect(types.first).to_be_visible()
    expect(page.locator("#timeline #timeline")).to_have_count(0)
    expect(page.locator("p.headline")).to_be_visible()
    assert window_survived(page)
    # Filters left empty stay out of the URL.
    assert "status=" not in page.url and "entity=" not in page.url


def test_it_appends_the_next_page_on_load_more(page: Page, monkeypatch):
    # The server runs in this process: a small page size makes the short demo timeline page.
    monkeypatch.setattr(storyline_view, "TIMELINE_PAGE", 5)
    page.goto(EXODUS)
    events = page.locator("#timeline [data-event]")
    expect(events).to_have_count(5)
    first = event_ids(page)
    mark_window(page)

    page.locator("#load-more a").click()

    expect(events).to_have_count(10)
    after = event_ids(page)
    assert after[:5] == first
    assert len(set(after)) == 10
    page.wait_for_url(re.compile(r"[?&]cursor="))
    assert window_survived(page)


def test_it_unfolds_an_events_evidence(page: Page):
    page.goto("/storylines/colossus-build-out/")
    event = page.locator("#timeline [data-event]").first
    details = event.locator("details.evidence")
    quote = details.locator("blockquote").first
    expect(quote).to_be_hidden()

    details.locator("summary").click()

    expect(details).to_have_attribute("open", "")
    expect(quote).to_be_visible()
    assert quote.inner_text().strip()
    expect(details.locator("a.outlet").first).to_be_visible()


def test_it_follows_a_participant_to_its_entity_page(page: Page):
    page.goto(EXODUS)
    link = page.locator("#timeline [data-event] .participants a").first
    name, href = link.inner_text(), str(link.get_attribute("href"))
    assert re.fullmatch(r"/entities/[\w-]+/", href)

    link.click()

    page.wait_for_url(f"**{href}")
    expect(page.locator("h1")).to_have_text(name)
    expect(page.locator("[data-event]").first).to_be_visible()


def test_it_moves_between_events_with_j_and_k_and_jumps_to_the_filters_with_slash(page: Page):
    page.goto(EXODUS)
    first, second = event_ids(page)[:2]
    focused = "document.activeElement.id"

    page.keyboard.press("j")
    assert page.evaluate(focused) == first
    page.keyboard.press("j")
    assert page.evaluate(focused) == second
    page.keyboard.press("k")
    assert page.evaluate(focused) == first
    expect(page.locator("[data-event].current")).to_have_count(1)

    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.closest('form[role=search]') !== null")
