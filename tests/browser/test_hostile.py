"""A hostile outlet read through the real pipeline, then every page that shows it opened in
Chromium: nothing may run (SECURITY.md item 6).

The outlet (tests/browser/hostile.py) carries script in titles, summaries, content, authors,
links, enclosures, srcset, iframe srcdoc, SVG and MathML, CSS overlays, forms and hx-* and
data-hx-* attributes, about real seed entities. It is fetched, extracted and analysed as the
demo is, on top of the demo data. On every page the watch asserts: no dialog, no canary global
(`window.__pwned`), no CSP violation (the stored HTML holds nothing the policy would have to
block), no htmx request that content triggered, no request anywhere but this site's own pages
and static files, and not one request to the outlet's server (its canary paths included).

The module leaves the demo data as it found it (tests/browser/snapshot.py).
"""

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from lxml import html as lxml_html
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Frame, Page, expect
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Request as PageRequest

from apps.common.html import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, sanitize_html
from apps.digests.tokens import Purpose, make_token
from apps.events.models import Event, Mention, Storyline, StorylineEvent
from apps.sources.models import Article, Source
from apps.sources.services import add_source, ingest
from apps.sources.services.claims import claim_source
from apps.sources.services.fetching import fetch_source
from tests.browser import hostile, snapshot
from tests.browser.conftest import Site, committed, open_tab
from tests.digests.conftest import follow, make_subscriber
from tests.httpserver import LoopbackServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

SETTLE_MS = 150
PASSWORD = "hostile-curator-password"  # a throwaway test login
# Set before every page's own scripts run; the page may add to them, content may not.
WATCH_SCRIPT = """
window.__violations = [];
window.__htmx = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(
  `${e.violatedDirective} blocked ${e.blockedURI} (${e.sample}) at ${e.sourceFile}`));
for (const name of ["htmx:beforeProcessNode", "htmx:confirm"]) {
  document.addEventListener(name, (e) => window.__htmx.push(
    `${name}: ${(e.target.outerHTML || String(e.target)).slice(0, 300)}`), true);
}
"""
# Attributes that load or navigate: on a page showing outside content, only web links.
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcset")
DOM_CHECK = """
(urlAttributes) => {
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    const disabled = el.closest("[hx-disable]") !== null;
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\\s\\u0000-\\u001f]+/g, "").toLowerCase();
      const where = el.outerHTML.slice(0, 160);
      if (name.startsWith("on")) found.push(`handler ${name}: ${where}`);
      if (name === "srcdoc" && !el.matches("iframe.mail-preview")) found.push(`srcdoc: ${where}`);
      if (disabled && /^(data-)?hx-/.test(name) && name !== "hx-disable") {
        found.push(`htmx in content: ${where}`);
      }
      if (urlAttributes.includes(name) && /^(javascript|vbscript|data):/.test(value)
          && !(el.matches("link[rel=icon]") && value === "data:,")) {
        found.push(`${name} ${value.slice(0, 40)}: ${where}`);
      }
    }
  }
  for (const el of document.querySelectorAll("script:not([src]), style, object, embed, base")) {
    found.push(`element: ${el.outerHTML.slice(0, 160)}`);
  }
  return found;
}
"""


@dataclass(frozen=True)
class Outlet:
    """What the pipeline made of the hostile outlet, and the pages that show it."""

    server: LoopbackServer
    articles: list[int]
    events: list[int]
    sources: list[int]
    entities: list[str]
    storylines: list[str]
    manage_token: str
    superuser: str


def _ingest(feeds: list[str], late_feed: str) -> dict[str, object]:
    sources = [add_source(url) for url in feeds]
    Source.objects.filter(pk__in=[s.pk for s in sources]).update(next_fetch_at=timezone.now())
    ingest()
    # One more feed is fetched and its article left for extraction, as between two stages: the
    # reader shows that article's feed summary.
    late = add_source(late_feed)
    fetch_source(late.pk, claim_token=claim_source(late, now=timezone.now()))
    sources.append(late)
    articles = Article.objects.filter(source__in=sources)
    events = Event.objects.filter(evidence__article__in=articles).distinct()
    linked = Mention.objects.filter(article__in=articles, status=Mention.Status.LINKED)
    listed = StorylineEvent.objects.filter(event__in=events, origin__in=StorylineEvent.LISTED)
    storylines = Storyline.objects.filter(entries__in=listed).distinct()
    reader = make_subscriber(email="hostile-reader@example.org")
    follow(reader, *storylines)
    superuser = "hostile-curator"
    get_user_model().objects.create_superuser(superuser, "curator@example.org", PASSWORD)
    return {
        "articles": sorted(articles.values_list("id", flat=True)),
        "events": sorted(events.values_list("id", flat=True)),
        "sources": [s.pk for s in sources],
        "entities": sorted(set(linked.values_list("entity__slug", flat=True))),
        "storylines": sorted(storylines.values_list("slug", flat=True)),
        "manage_token": make_token(Purpose.MANAGE, reader),
        "superuser": superuser,
    }


@pytest.fixture(scope="module")
def outlet(site: Site, django_db_blocker) -> Iterator[Outlet]:
    with django_db_blocker.unblock():
        before = committed(snapshot.row_counts)
        committed(snapshot.take)
    server = LoopbackServer().start()
    try:
        feeds = hostile.serve_outlet(server)
        late_feed = server.url(hostile.LATE_FEED_PATH)
        with django_db_blocker.unblock():
            made = committed(lambda: _ingest(feeds, late_feed))
        yield Outlet(server=server, **made)  # type: ignore[arg-type]
    finally:
        server.stop()
        with django_db_blocker.unblock():
            committed(snapshot.restore)
            assert committed(snapshot.row_counts) == before, "the demo data did not come back"


# --- Watching a page ----------------------------------------------------------------------------


@dataclass
class Watch:
    """Everything a tab did that content might have caused."""

    site: Site
    dialogs: list[str] = field(default_factory=list)
    requests: list[PageRequest] = field(default_factory=list)
    csp_console: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.context.add_init_script(WATCH_SCRIPT)
        page.on("dialog", self._on_dialog)
        page.context.on("request", self._on_request)
        page.on("console", self._on_console)

    def _on_request(self, request: PageRequest) -> None:
        self.requests.append(request)

    def _on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _on_console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.csp_console.append(message.text)


def _frame_state(frame: Frame) -> dict[str, object] | None:
    """The canary, the CSP violations and htmx's work in one frame; None where no script runs
    (the preview's sandboxed mail), which also means nothing could have run there."""
    try:
        return frame.evaluate(
            "() => ({pwned: window.__pwned, violations: window.__violations || [],"
            " htmx: window.__htmx || []})"
        )
    except PlaywrightError:  # a frame that refuses script is the safe case
        return None


def problems(page: Page, watch: Watch, *, htmx_from: tuple[str, ...] = ()) -> list[str]:
    """What content made the page do; `htmx_from` are our own controls, allowed to request."""
    found = [f"dialog {d}" for d in watch.dialogs]
    found += [f"console: {line}" for line in watch.csp_console]
    for frame in page.frames:
        state = _frame_state(frame)
        if state is None:
            continue  # the preview's sandboxed mail: no script runs there, ours or anyone's
        if state["pwned"] is not None:
            found.append(f"window.__pwned = {state['pwned']!r} in {frame.url}")
        found += [f"CSP: {v}" for v in state["violations"]]  # type: ignore[union-attr]
        for line in state["htmx"]:  # type: ignore[union-attr]
            if line.startswith("htmx:confirm") and not any(own in line for own in htmx_from):
                found.append(f"htmx request from content: {line}")
            if hostile.CANARY in line or "__pwned" in line:
                found.append(f"htmx processed content: {line}")
    found += [f"DOM: {line}" for line in page.evaluate(DOM_CHECK, list(URL_ATTRIBUTES))]
    found += [f"request {r.method} {r.url}" for r in watch.requests if not _expected(r, watch)]
    return found


def _expected(request: PageRequest, watch: Watch) -> bool:
    """This site's own pages (the page asked for, where it redirects, what our htmx asks for),
    its static files and the admin's translations; the empty favicon. Nothing else."""
    if request.url == "data:,":
        return True
    if not request.url.startswith(watch.site.url + "/") or hostile.CANARY in request.url:
        return False
    path = urlsplit(request.url).path
    ours = request.is_navigation_request() or "hx-request" in request.headers
    return ours or path.startswith(("/static/", "/admin/jsi18n/"))


@contextlib.contextmanager
def watched(browser: Browser, site: Site, outlet: Outlet) -> Iterator[tuple[Page, Watch]]:
    hits_before = len(outlet.server.requests)
    with open_tab(browser, site) as tab:
        watch = Watch(site)
        watch.attach(tab.page)
        yield tab.page, watch
    hits = [f"{r.method} {r.path}" for r in outlet.server.requests[hits_before:]]
    assert hits == [], f"the hostile outlet's server was asked for {hits}"


def visit(page: Page, watch: Watch, path: str) -> None:
    """Open the page, let everything that would fire on load fire, and check what happened."""
    watch.dialogs.clear()
    watch.requests.clear()
    watch.csp_console.clear()
    response = page.goto(path, wait_until="load")
    assert response is not None and response.ok, f"{path} answered {response and response.status}"
    # htmx processes the page (and would fire hx-trigger=load) on DOMContentLoaded, before the
    # load event; subresources start before it too. A moment more lets their events arrive.
    page.wait_for_timeout(SETTLE_MS)
    assert problems(page, watch) == [], path


def shows_as_text(page: Page, text: str) -> bool:
    return text in page.locator("body").inner_text()


# --- Tests ----------------------------------------------------------------------------------------


def _stored(article_ids: list[int]) -> list[dict[str, str]]:
    fields = ("title", "author", "url", "html", "summary_html", "feed_content_html", "text")
    return list(Article.objects.filter(id__in=article_ids).values(*fields))


def active_parts(fragment: str) -> list[str]:
    """Elements and attributes beyond article markup, and links that are not web links; markup
    written as text (`&lt;script&gt;`) is text, and is not counted."""
    found = []
    for element in lxml_html.fragment_fromstring(fragment, create_parent="div").iterdescendants():
        tag = str(element.tag)
        if tag not in ALLOWED_TAGS:
            found.append(f"<{tag}>")
        for name, value in element.attrib.items():
            if name not in ALLOWED_ATTRIBUTES.get(tag, set()) and name != "rel":
                found.append(f"<{tag} {name}>")
            if name in ("href", "src") and not value.startswith(("http://", "https://", "mailto:")):
                found.append(f"<{tag} {name}={value!r}>")
    return found


def test_what_is_stored_holds_nothing_active(outlet: Outlet):
    stored = committed(lambda: _stored(outlet.articles))

    assert len(stored) >= 4 and outlet.events, "the hostile stories were not read"
    for article in stored:
        for name in ("html", "summary_html", "feed_content_html"):
            if article[name]:
                assert active_parts(article[name]) == [], name
                assert sanitize_html(article[name]) == article[name]
        assert article["url"] == "" or article["url"].startswith("http://127.0.0.1:")
    # Titles and text are plain: markup there is characters, escaped wherever it is shown.
    assert any(hostile.TITLE_SCRIPT in a["text"] for a in stored)


def test_home_storylines_entity_pages_and_talent_run_nothing(
    browser: Browser, site: Site, outlet: Outlet
):
    paths = ["/", "/talent/"]
    paths += [f"/entities/{slug}/" for slug in outlet.entities]
    assert outlet.storylines and outlet.entities
    with watched(browser, site, outlet) as (page, watch):
        for path in paths:
            visit(page, watch, path)
        for slug in outlet.storylines:
            # The outlet's events lead the timeline from SINCE: unfold every sentence they cite.
            visit(page, watch, f"/storylines/{slug}/?since={hostile.SINCE}")
            for summary in page.locator("details.evidence summary").all():
                summary.click()
            assert shows_as_text(page, hostile.WORD), slug
            assert problems(page, watch) == [], slug
        assert shows_as_text(page, hostile.TITLE_SCRIPT)


def test_the_article_reader_runs_nothing(browser: Browser, site: Site, outlet: Outlet):
    shown, summaries = [], 0
    with watched(browser, site, outlet) as (page, watch):
        for article_id in outlet.articles:
            visit(page, watch, f"/articles/{article_id}/")
            # A title's markup is shown as the characters it is.
            shown.append(page.locator("body").inner_text())
            summaries += page.locator(".feed-summary").count()
        assert any(hostile.TITLE_SCRIPT in text for text in shown)
        assert summaries == 1, "the article not read yet shows no feed summary"


def test_search_results_run_nothing_as_a_page_or_as_you_type(
    browser: Browser, site: Site, outlet: Outlet
):
    with watched(browser, site, outlet) as (page, watch):
        visit(page, watch, f"/search/?q={hostile.WORD}")
        assert shows_as_text(page, hostile.WORD)
        assert page.locator("#search-results .articles li").count() >= 4

        visit(page, watch, "/search/")
        page.locator("#search-q").fill(hostile.WORD)
        expect(page.locator("#search-results .articles li").first).to_be_visible()
        page.wait_for_load_state("networkidle")
        assert problems(page, watch, htmx_from=('id="search-q"',)) == []


def test_the_admin_runs_nothing(browser: Browser, site: Site, outlet: Outlet):
    paths = [
        f"/admin/sources/article/?q={hostile.WORD}",
        f"/admin/events/event/?q={hostile.WORD}",
        f"/admin/sources/source/?q={hostile.WORD}",
        *(f"/admin/sources/article/{pk}/change/" for pk in outlet.articles),
        *(f"/admin/events/event/{pk}/change/" for pk in outlet.events),
        *(f"/admin/sources/source/{pk}/change/" for pk in outlet.sources),
    ]
    with watched(browser, site, outlet) as (page, watch):
        visit(page, watch, "/admin/login/?next=/admin/")
        page.locator("#id_username").fill(outlet.superuser)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("input[type=submit]").click()
        page.wait_for_url("**/admin/")
        for path in paths:
            visit(page, watch, path)
        assert shows_as_text(page, hostile.WORD)


def test_the_digest_preview_runs_nothing(browser: Browser, site: Site, outlet: Outlet):
    with watched(browser, site, outlet) as (page, watch):
        visit(page, watch, f"/digests/manage/{outlet.manage_token}/preview/")
        # The mail shows the outlet's events and names the outlet.
        mail = page.frame_locator("iframe.mail-preview")
        expect(mail.locator("body")).to_contain_text("Elon Musk left xAI")
        expect(mail.locator("body")).to_contain_text(hostile.WORD)
        # The mail is styled as sent (its own styles allowed by hash), and nothing was blocked.
        assert problems(page, watch) == []


def test_the_atom_feed_opened_as_a_page_runs_nothing(browser: Browser, site: Site, outlet: Outlet):
    paths = ["/feed.atom", "/feed.rss"]
    paths += [f"/storylines/{slug}/feed.atom" for slug in outlet.storylines]
    with watched(browser, site, outlet) as (page, watch):
        for path in paths:
            visit(page, watch, path)


def test_the_watch_sees_what_it_is_there_to_see(browser: Browser, site: Site, outlet: Outlet):
    # Each assertion above proves nothing unless the watch really notices each kind of trouble.
    with open_tab(browser, site) as tab:
        page, watch = tab.page, Watch(site)
        watch.attach(page)
        page.goto("/")
        page.wait_for_load_state("networkidle")
        assert problems(page, watch) == []

        page.evaluate("alert('a dialog')")
        page.evaluate("window.__pwned = 'by hand'")
        # An inline script, as content that got through would be: the policy blocks it.
        page.evaluate(
            "() => { const s = document.createElement('script');"
            " s.textContent = 'window.__inline = 1'; document.body.append(s); }"
        )
        # Live htmx markup outside any content area fires; inside one (hx-disable), it must not.
        page.evaluate(
            """() => {
            const loose = document.createElement('div');
            loose.innerHTML = `<p hx-get="/canary-relative/loose" hx-trigger="load">x</p>`;
            document.querySelector('main').append(loose);
            htmx.process(loose);
            const area = document.querySelector('[hx-disable]');
            area.insertAdjacentHTML('beforeend',
              `<a href="javascript:void 0" data-hx-get="/canary-relative/disabled"
                  data-hx-trigger="load">y</a>`);
            htmx.process(area); }"""
        )
        page.wait_for_load_state("networkidle")

        found = "\n".join(problems(page, watch))
        assert page.evaluate("window.__inline") is None
        assert "dialog alert: a dialog" in found
        assert "window.__pwned = 'by hand'" in found
        assert "CSP: script-src-elem blocked inline" in found
        assert "DOM: element: <script>window.__inline = 1</script>" in found
        assert "DOM: href javascript:void0" in found and "DOM: htmx in content" in found
        fired = [line for line in found.splitlines() if line.startswith("htmx request")]
        assert any("/canary-relative/loose" in line for line in fired)
        assert not any("/canary-relative/disabled" in line for line in fired)
        assert not [r for r in watch.requests if "/canary-relative/disabled" in r.url]

        # Off to the outlet's server, as a link in content that got through would take a reader.
        canary = outlet.server.url(f"{hostile.CANARY}/by-hand")
        with page.expect_navigation():
            page.evaluate("(url) => { location.href = url; }", canary)
        assert f"request GET {canary}" in "\n".join(problems(page, watch))
        assert len(outlet.server.hits(f"{hostile.CANARY}/by-hand")) == 1
