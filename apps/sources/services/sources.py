"""Adding sources one by one or from OPML, and exporting them: every URL passes the guard."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from apps.common import http
from apps.common.errors import FetchError
from apps.sources.models import Source
from apps.sources.parsers.opml import OpmlFeed, parse_opml, render_opml


def add_source(feed_url: str, *, title: str = "", site_url: str = "") -> Source:
    """Add a feed (idempotent: a known URL returns its row). Raises Blocked for unsafe URLs."""
    url = http.check_url(feed_url.strip())
    source, _ = Source.objects.get_or_create(
        feed_url=url, defaults={"title": title[:300], "site_url": _safe_site_url(site_url)}
    )
    return source


@dataclass
class OpmlImport:
    added: list[Source] = field(default_factory=list)
    existing: list[Source] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def import_opml(data: bytes, *, progress: Callable[[int, int], None] | None = None) -> OpmlImport:
    """Add every feed of an OPML file; unsafe entries are refused one by one, with the reason.

    `progress(done, total)` is called after each feed: each one may wait on a name server.
    """
    report = OpmlImport()
    feeds = parse_opml(data)
    for done, feed in enumerate(feeds, start=1):
        _import_one(feed, report)
        if progress:
            progress(done, len(feeds))
    return report


def _import_one(feed: OpmlFeed, report: OpmlImport) -> None:
    try:
        url = http.check_url(feed.feed_url)
    except FetchError as error:
        report.refused.append((feed.feed_url, str(error)))
        return
    with transaction.atomic():
        source, created = Source.objects.get_or_create(
            feed_url=url,
            defaults={"title": feed.title[:300], "site_url": _safe_site_url(feed.site_url)},
        )
    (report.added if created else report.existing).append(source)


def export_opml() -> bytes:
    feeds = (
        OpmlFeed(feed_url=s.feed_url, title=s.title, site_url=s.site_url)
        for s in Source.objects.filter(is_active=True).order_by("title", "feed_url")
    )
    return render_opml(feeds, title="LabIntel sources")


def _safe_site_url(url: str) -> str:
    """A site URL is only shown as a link, never fetched: it just has to be http(s)."""
    url = url.strip()
    return url[:2000] if url.lower().startswith(("http://", "https://")) else ""
