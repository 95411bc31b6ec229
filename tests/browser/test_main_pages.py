"""The main pages in a browser: no console error, no failed request, and a screenshot of each
in the light and the dark theme (test-artifacts/screenshots/, for people to look at)."""

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import Site, Tab, open_tab
from tests.browser.pages import MAIN_PAGES, background

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# The themes' page backgrounds (static/labintel/site.css, --bg).
BACKGROUNDS = {"light": "rgb(251, 250, 247)", "dark": "rgb(21, 23, 28)"}


@pytest.mark.parametrize("path", MAIN_PAGES.values(), ids=MAIN_PAGES.keys())
def test_it_loads_without_console_errors_or_failed_requests(tab: Tab, path: str):
    response = tab.page.goto(path)
    tab.page.wait_for_load_state("networkidle")

    assert response is not None and response.ok
    assert tab.trouble.console == []
    assert tab.trouble.failed == []


def test_it_notices_console_errors_and_failed_requests(tab: Tab):
    # The test above proves nothing unless what it watches is really seen.
    tab.page.goto("/")
    tab.page.evaluate("console.error('on purpose')")
    tab.page.evaluate("fetch('/no-such-page/')")

    expect(tab.page.locator("body")).to_be_visible()
    tab.page.wait_for_load_state("networkidle")
    assert any("on purpose" in line for line in tab.trouble.console)
    assert any("/no-such-page/: 404" in line for line in tab.trouble.failed)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_it_screenshots_the_main_pages(browser: Browser, site: Site, screenshots: Path, scheme):
    # The dark pages come from the reader's system preference, with no theme chosen.
    with open_tab(browser, site, color_scheme=scheme) as tab:
        for name, path in MAIN_PAGES.items():
            response = tab.page.goto(path)
            assert response is not None and response.ok, path
            expect(tab.page.locator("h1").first).to_be_visible()
            assert background(tab.page) == BACKGROUNDS[scheme]
            tab.page.screenshot(path=screenshots / f"{name}-{scheme}.png", full_page=True)
