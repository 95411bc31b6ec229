"""Polling one source: fetch its feed, store new entries as articles, schedule the next poll.

The network comes first, outside any transaction; then everything the fetch found (the new
articles, the source's new state, the log line) is written in one transaction. Should the
database go away under it (a restart, a failover), nothing of the batch stays, and it is written
again on a new connection once the database answers (see `_surviving_disconnects`), under the
same claim, so the source is neither stuck nor half stored.
"""

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import TypeVar

from django.conf import settings
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.utils import timezone

from apps.common import http
from apps.common.errors import FetchError, HTTPError, Timeout
from apps.sources import schedule
from apps.sources.models import Article, FetchLog, Source
from apps.sources.parsers.feeds import FeedEntry, ParsedFeed, parse_feed
from apps.sources.parsers.urls import canonicalize_url

logger = logging.getLogger(__name__)

# Keeps every `guid IN (…)` under SQLite's variable limit and each insert batch small.
STORE_CHUNK = 500
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"
)
# How long a fetch keeps trying to write its batch while the database is away: a restart takes
# seconds; this stays well inside the task's soft time limit. After it the task fails and the
# claim's lease hands the source to a later beat.
RECONNECT_SECONDS = 30.0

T = TypeVar("T")


@dataclass
class FetchResult:
    status: int | None = None
    new_article_ids: list[int] = field(default_factory=list)
    updated: int = 0
    error: FetchError | None = None


@dataclass(frozen=True)
class _Download:
    """What the network gave: a response (200 or 304), its feed, or a typed error."""

    status: int | None = None
    response: http.Response | None = None
    feed: ParsedFeed | None = None
    error: FetchError | None = None


def fetch_source(source_id: int, *, claim_token: uuid.UUID) -> FetchResult | None:
    """Fetch a claimed source once. None when the claim is gone (already fetched, or re-claimed)."""
    claimed = Source.objects.filter(id=source_id, claim_token=claim_token)
    source = _surviving_disconnects(claimed.first)
    if source is None:
        return None
    started = timezone.now()
    clock = time.monotonic()
    download = _download(source)
    record = partial(_record, source_id, claim_token, download, started=started, clock=clock)
    return _surviving_disconnects(record)


def record_overrun(source_id: int, *, claim_token: uuid.UUID, started: datetime) -> None:
    """The task's time limit ended this fetch (a feed too large or too slow to read in time).
    It is a failed fetch like any other: the source records a timeout, backs off and is
    released, instead of being claimed again, at the same cost, every lease."""
    download = _Download(status=None, error=Timeout("reading the feed took longer than allowed"))
    clock = time.monotonic() - (timezone.now() - started).total_seconds()
    _surviving_disconnects(
        partial(_record, source_id, claim_token, download, started=started, clock=clock)
    )


def _download(source: Source) -> _Download:
    try:
        response = http.fetch(
            source.feed_url,
            etag=source.etag,
            last_modified=source.last_modified,
            accept=FEED_ACCEPT,
        )
    except FetchError as error:
        return _Download(status=getattr(error, "status", None), error=error)
    if response.status == 304:
        return _Download(status=304, response=response)
    try:
        feed = parse_feed(response.body, url=response.url, headers=response.headers)
    except FetchError as error:
        return _Download(status=response.status, response=response, error=error)
    return _Download(status=response.status, response=response, feed=feed)


def _record(
    source_id: int,
    claim_token: uuid.UUID,
    download: _Download,
    *,
    started: datetime,
    clock: float,
) -> FetchResult | None:
    """Everything the fetch found, in one transaction, under the source's claim and lock."""
    with transaction.atomic():
        source = (
            Source.objects.select_for_update().filter(id=source_id, claim_token=claim_token).first()
        )
        if source is None:  # the lease ran out and another worker holds the source now
            return None
        fetched_url = source.feed_url
        result = _store(source, download, now=started)
        _finish(
            source, result, fetched_url=fetched_url, claim_token=claim_token, now=timezone.now()
        )
        FetchLog.objects.create(
            source=source,
            started_at=started,
            duration_ms=int((time.monotonic() - clock) * 1000),
            status=result.status,
            bytes=len(download.response.body) if download.response else 0,
            new_entries=len(result.new_article_ids),
            updated_entries=result.updated,
            error_kind=result.error.kind if result.error else "",
            error=str(result.error)[:1000] if result.error else "",
        )
    return result


def _store(source: Source, download: _Download, *, now: datetime) -> FetchResult:
    result = FetchResult(status=download.status, error=download.error)
    response, feed = download.response, download.feed
    if result.error is not None or response is None:
        return result
    if feed is None:  # 304 Not Modified
        _remember_validators(source, response)
    else:
        result.new_article_ids, result.updated = store_entries(source, feed.entries, now=now)
        _remember_feed(source, feed, response)
    new = len(result.new_article_ids)
    source.fetch_interval = _next_interval(source, response, feed=feed, new=new, now=now)
    return result


def _surviving_disconnects(work: Callable[[], T]) -> T:
    """Run `work`, again on a new connection when the database connection drops under it, for
    up to RECONNECT_SECONDS. Any other database error (a lock timeout, a missing table) is
    raised at once, and so is everything inside a caller's transaction, which cannot start
    over."""
    deadline = time.monotonic() + RECONNECT_SECONDS
    pause = 0.5
    while True:
        try:
            return work()
        except (OperationalError, InterfaceError) as error:
            if connection.in_atomic_block or not _connection_lost():
                raise
            if time.monotonic() + pause > deadline:
                raise
            logger.warning("database connection lost during a fetch, trying again: %s", error)
            connection.close()
            time.sleep(pause)
            pause = min(pause * 2, 2.0)


def _connection_lost() -> bool:
    """After a failed query: was it the connection (closed by now, or answering no more)?"""
    return connection.connection is None or not connection.is_usable()


def store_entries(
    source: Source, entries: list[FeedEntry], *, now: datetime
) -> tuple[list[int], int]:
    """Insert new entries, refresh changed ones; returns (new article ids, updated count).

    Safe to run twice or concurrently for one source: the (source, guid) constraint decides who
    inserts, and an entry another run inserted first simply is not "new" here.
    """
    new_ids: list[int] = []
    updated = 0
    for start in range(0, len(entries), STORE_CHUNK):
        chunk_ids, chunk_updated = _store_chunk(
            source, entries[start : start + STORE_CHUNK], now=now
        )
        new_ids += chunk_ids
        updated += chunk_updated
    return new_ids, updated


def _store_chunk(
    source: Source, entries: list[FeedEntry], *, now: datetime
) -> tuple[list[int], int]:
    guids = [entry.guid for entry in entries]
    existing = {a.guid: a for a in Article.objects.filter(source=source, guid__in=guids)}
    fresh = [
        _new_article(source, entry, now=now) for entry in entries if entry.guid not in existing
    ]
    Article.objects.bulk_create(fresh, ignore_conflicts=True)
    new_ids = list(
        Article.objects.filter(
            source=source, guid__in=[a.guid for a in fresh], fetched_at=now
        ).values_list("id", flat=True)
    )
    updated = sum(_refresh(existing[e.guid], e) for e in entries if e.guid in existing)
    return new_ids, updated


def _new_article(source: Source, entry: FeedEntry, *, now: datetime) -> Article:
    return Article(
        source=source,
        guid=entry.guid,
        url=entry.url,
        canonical_url=canonicalize_url(entry.url),
        title=entry.title,
        author=entry.author,
        summary_html=entry.summary_html,
        feed_content_html=entry.content_html,
        published_at=entry.published_at or now,
        published_from=(
            Article.PublishedFrom.FEED if entry.published_at else Article.PublishedFrom.FIRST_SEEN
        ),
        fetched_at=now,
    )


def _refresh(article: Article, entry: FeedEntry) -> bool:
    """Take a publisher's corrections to title and summary; the extracted text stays."""
    changes = {
        "title": entry.title,
        "summary_html": entry.summary_html,
        "feed_content_html": entry.content_html,
    }
    changed = {name: value for name, value in changes.items() if getattr(article, name) != value}
    if not changed:
        return False
    Article.objects.filter(id=article.id).update(**changed)
    return True


def _remember_validators(source: Source, response: http.Response) -> None:
    source.etag = response.headers.get("etag", "")[:500]
    source.last_modified = response.headers.get("last-modified", "")[:100]


def _remember_feed(source: Source, feed: ParsedFeed, response: http.Response) -> None:
    _remember_validators(source, response)
    source.kind = feed.kind
    source.title = source.title or feed.title[:300]
    source.site_url = source.site_url or feed.site_url
    if response.permanent_redirect:
        _follow_permanent_redirect(source, response.permanent_redirect)


def _follow_permanent_redirect(source: Source, new_url: str) -> None:
    """The redirect target already passed the address guard on the way; keep it unless taken."""
    if new_url == source.feed_url or Source.objects.filter(feed_url=new_url).exists():
        return
    source.feed_url = new_url


def _next_interval(
    source: Source,
    response: http.Response,
    *,
    feed: ParsedFeed | None,
    new: int,
    now: datetime,
) -> timedelta:
    hint = schedule.server_hint(
        response.headers, now=now, ttl_seconds=feed.ttl_seconds if feed else None
    )
    published = [e.published_at for e in feed.entries if e.published_at] if feed else []
    return schedule.interval_after_success(
        source.fetch_interval,
        new_entries=new,
        published=published,
        hint=hint,
        minimum=settings.SOURCE_MIN_INTERVAL,
        maximum=settings.SOURCE_MAX_INTERVAL,
    )


def _finish(
    source: Source, result: FetchResult, *, fetched_url: str, claim_token: uuid.UUID, now: datetime
) -> None:
    fields: dict[str, object] = {
        "last_fetched_at": now,
        "last_status": result.status,
        "claim_token": None,
        "etag": source.etag,
        "last_modified": source.last_modified,
        "kind": source.kind,
        "title": source.title,
        "site_url": source.site_url,
    }
    if result.error is None:
        fields |= _success_fields(source, now=now)
    else:
        fields |= _error_fields(source, result.error, now=now)
    if source.feed_url != fetched_url:
        fields["feed_url"] = source.feed_url
    try:
        with transaction.atomic():
            Source.objects.filter(id=source.id, claim_token=claim_token).update(**fields)
    except IntegrityError:
        # Another source took the redirect target in the meantime: keep the old URL.
        fields.pop("feed_url", None)
        Source.objects.filter(id=source.id, claim_token=claim_token).update(**fields)


def _success_fields(source: Source, *, now: datetime) -> dict[str, object]:
    return {
        "consecutive_errors": 0,
        "last_error_kind": "",
        "last_error": "",
        "last_success_at": now,
        "fetch_interval": source.fetch_interval,
        "next_fetch_at": now + source.fetch_interval,
    }


def _error_fields(source: Source, error: FetchError, *, now: datetime) -> dict[str, object]:
    errors = source.consecutive_errors + 1
    retry_after = error.retry_after if isinstance(error, HTTPError) else None
    backoff = schedule.interval_after_error(
        errors,
        retry_after=retry_after,
        minimum=settings.SOURCE_MIN_INTERVAL,
        maximum=settings.SOURCE_MAX_INTERVAL,
    )
    fields: dict[str, object] = {
        "consecutive_errors": errors,
        "last_error_kind": error.kind,
        "last_error": str(error)[:1000],
        "next_fetch_at": now + backoff,
    }
    if isinstance(error, HTTPError) and error.status == 410:
        fields["is_active"] = False
        fields["deactivated_reason"] = (
            f"The server answered 410 Gone on {now:%Y-%m-%d %H:%M} UTC: the feed was removed."
        )
    logger.info("fetch of source %s failed: %s", source.id, error)
    return fields
