"""Home in a browser: latest events and storylines, the live update, the theme switch."""

import re

import pytest
from playwright.sync_api import Page, expect

from apps.entities.models import Entity
from apps.events.models import Event
from tests.browser.conftest import committed
from tests.browser.pages import background, mark_window, window_survived
from tests.entities.builders import make_company, make_event, make_evidence, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_it_shows_the_latest_events_and_the_storylines(page: Page):
    page.goto("/")

    latest = page.locator("#latest-events [data-event]")
    expect(latest.first).to_be_visible()
    assert 1 <= latest.count() <= 15
    storylines = page.locator("#storylines")
    expect(storylines.locator('a[href="/storylines/xai-exodus/"]')).to_have_text("xAI exodus")
    expect(storylines.locator('a[href="/storylines/colossus-build-out/"]')).to_be_visible()
    assert re.search(r"\d+ events? · latest \d+ \w+ \d{4}", storylines.inner_text())


def _confirmed_departure(summary: str) -> tuple[int, list[int]]:
    person = make_person(name="Ada Quill")
    lab = make_company(name="Halcyon Labs")
    event = make_event((person, "person"), (lab, "from_company"), summary=summary)
    make_evidence(event, sentence="Ada Quill has left Halcyon Labs.")
    return event.id, [person.id, lab.id]


def _remove(event_id: int, entity_ids: list[int]) -> None:
    Event.objects.filter(id=event_id).delete()
    Entity.objects.filter(id__in=entity_ids).delete()


def test_it_shows_a_newly_confirmed_event_without_a_reload(page: Page, settings):
    settings.HOME_POLL_SECONDS = 1
    page.goto("/")
    expect(page.locator("#latest-poll")).to_have_attribute("hx-trigger", "every 1s")
    mark_window(page)

    summary = "Ada Quill leaves Halcyon Labs"
    event_id, entity_ids = committed(lambda: _confirmed_departure(summary))
    try:
        newest = page.locator("#latest-events [data-event]").first
        expect(newest).to_have_id(f"event-{event_id}", timeout=10_000)
        expect(newest).to_contain_text(summary)
        assert window_survived(page)
    finally:
        committed(lambda: _remove(event_id, entity_ids))


def test_it_switches_the_theme_and_remembers_it(page: Page):
    page.goto("/")
    html = page.locator("html")
    light = background(page)

    page.locator("[data-theme-toggle]").click()
    expect(html).to_have_attribute("data-theme", "dark")
    assert background(page) != light

    page.reload()
    expect(html).to_have_attribute("data-theme", "dark")
    page.locator("[data-theme-toggle]").click()
    expect(html).to_have_attribute("data-theme", "light")
    assert background(page) == light
