"""What several browser tests do: mark a page to tell an htmx swap from a full reload, and read
the events a page shows."""

from playwright.sync_api import Page

# The pages a reader lands on most, by the name their screenshots take.
MAIN_PAGES = {
    "home": "/",
    "storyline-xai-exodus": "/storylines/xai-exodus/",
    "storyline-colossus-build-out": "/storylines/colossus-build-out/",
    "entity-xai": "/entities/xai/",
    "search-colossus": "/search/?q=Colossus",
}


def mark_window(page: Page) -> None:
    """Set a flag on the window: it survives an htmx swap and is lost on a full page load."""
    page.evaluate("window.__labintelNoReload = true")


def window_survived(page: Page) -> bool:
    return bool(page.evaluate("window.__labintelNoReload === true"))


def event_ids(page: Page, scope: str = "#timeline") -> list[str]:
    return [
        str(element.get_attribute("id")) for element in page.locator(f"{scope} [data-event]").all()
    ]


def background(page: Page) -> str:
    return str(page.evaluate("getComputedStyle(document.body).backgroundColor"))
