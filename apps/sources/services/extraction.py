"""Extracting an article's full text, and placing it in its story cluster."""

import enum
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from apps.common import http
from apps.common.errors import ConnectionFailed, FetchError, HTTPError, NotAnArticle, Timeout
from apps.common.html import html_to_text
from apps.sources.models import Article, ArticleBand, StoryCluster
from apps.sources.parsers import dedup
from apps.sources.parsers.extract import Extracted, extract
from apps.sources.parsers.urls import canonicalize_url

PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
# Servers that say nothing are taken to serve HTML; anything else (PDF, images) is not read.
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", ""})
# Serialises story-cluster assignment on PostgreSQL, so two copies of one story extracted at
# the same moment end up in one cluster (SQLite's write lock already serialises it).
_CLUSTER_LOCK_KEY = 0x4C4142494E54


@dataclass(frozen=True)
class PageText:
    text: str
    html: str
    text_from: str
    extracted: Extracted | None = None
    error: FetchError | None = None


class Extraction(enum.Enum):
    DONE = "done"
    RETRY_LATER = "retry later"
    NOTHING_TO_DO = "nothing to do"


def extract_article(article_id: int) -> Extraction:
    """Give a pending article its full text.

    A transient failure (timeout, connection, 5xx, 429) leaves the article pending for the sweep,
    up to ARTICLE_MAX_EXTRACT_ATTEMPTS; after that, or on a permanent failure, the feed's own
    content is kept and the reason recorded. The attempt is counted before the work starts, so
    a page that hangs or kills its worker (time limits, out of memory) is given up on too.
    """
    article = Article.objects.filter(id=article_id, extracted_at__isnull=True).first()
    if article is None:
        return Extraction.NOTHING_TO_DO
    attempts = article.extract_attempts + 1
    Article.objects.filter(id=article.id).update(extract_attempts=attempts)
    limit = settings.ARTICLE_MAX_EXTRACT_ATTEMPTS
    if attempts > limit:
        reason = FetchError(
            f"Gave up on the page after {limit} attempts: {article.extraction_error}"
        )
        return _store_text(article, _feed_text(article, reason), attempts=attempts)
    page = _read_page(article)
    if page.error and _is_transient(page.error) and attempts < limit:
        Article.objects.filter(id=article.id, extracted_at__isnull=True).update(
            extraction_error_kind=page.error.kind,
            extraction_error=str(page.error)[:1000],
        )
        return Extraction.RETRY_LATER
    return _store_text(article, page, attempts=attempts)


def _read_page(article: Article) -> PageText:
    if not article.url:
        return _feed_text(article, FetchError("The feed entry has no link."))
    try:
        response = http.fetch(article.url, accept=PAGE_ACCEPT)
    except FetchError as error:
        return _feed_text(article, error)
    content_type = response.headers.get("content-type", "text/html").split(";")[0].strip()
    if content_type.lower() not in HTML_TYPES:
        return _feed_text(article, NotAnArticle(f"The link is not a web page ({content_type})."))
    header = response.headers.get("content-type", "")
    extracted = extract(response.body, url=response.url, content_type=header)
    if extracted is None:
        return _feed_text(article, NotAnArticle("The page had no article text."))
    return PageText(extracted.text, extracted.html, "page", extracted=extracted)


def _feed_text(article: Article, error: FetchError) -> PageText:
    """The feed's own content (or summary) stands in for a page we could not use."""
    feed_html = article.feed_content_html or article.summary_html
    return PageText(html_to_text(feed_html), feed_html, "feed", error=error)


def _is_transient(error: FetchError) -> bool:
    if isinstance(error, HTTPError):
        return error.status >= 500 or error.status == 429
    return isinstance(error, Timeout | ConnectionFailed)


class _AlreadyDone(Exception):
    """Another worker stored this article's text first: roll back what this one wrote."""


def _store_text(article: Article, page: PageText, *, attempts: int) -> Extraction:
    fields = _text_fields(article, page, attempts=attempts)
    for name, value in fields.items():
        setattr(article, name, value)
    article.content_hash, article.minhash = dedup.fingerprint(page.text)
    bands = dedup.band_values(article.minhash)
    try:
        with transaction.atomic():
            _lock_story_clusters()
            story = _story_for(article, bands)
            stored = Article.objects.filter(id=article.id, extracted_at__isnull=True).update(
                **fields, content_hash=article.content_hash, minhash=article.minhash, story=story
            )
            if not stored:
                raise _AlreadyDone
            ArticleBand.objects.bulk_create(
                ArticleBand(article=article, band=band, value=value)
                for band, value in enumerate(bands)
            )
    except _AlreadyDone:
        return Extraction.NOTHING_TO_DO
    article.story = story
    return Extraction.DONE


def _text_fields(article: Article, page: PageText, *, attempts: int) -> dict[str, object]:
    fields: dict[str, object] = {
        "text": page.text,
        "html": page.html,
        "text_from": page.text_from,
        "word_count": len(page.text.split()),
        "extracted_at": timezone.now(),
        "extract_attempts": attempts,
        "extraction_error_kind": page.error.kind if page.error else "",
        "extraction_error": str(page.error)[:1000] if page.error else "",
    }
    if page.extracted is not None:
        fields |= _page_metadata(article, page.extracted)
    return fields


def _page_metadata(article: Article, extracted: Extracted) -> dict[str, object]:
    """What the page knows better than the feed: canonical URL, language, a missing date."""
    fields: dict[str, object] = {"language": extracted.language[:16]}
    if extracted.canonical_url:
        fields["canonical_url"] = canonicalize_url(extracted.canonical_url) or article.canonical_url
    if not article.author and extracted.author:
        fields["author"] = extracted.author[:300]
    if not article.title and extracted.title:
        fields["title"] = extracted.title[:1000]
    if article.published_from == Article.PublishedFrom.FIRST_SEEN and extracted.published_at:
        fields["published_at"] = extracted.published_at
        fields["published_from"] = Article.PublishedFrom.PAGE
    return fields


def _lock_story_clusters() -> None:
    """On PostgreSQL, one article at a time joins or starts a story (see _CLUSTER_LOCK_KEY)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CLUSTER_LOCK_KEY])


def _story_for(article: Article, bands: list[int]) -> StoryCluster | None:
    """The story of an earlier copy (same canonical URL, same or near-same text), if any.

    An article with no copy stands alone (no cluster row): a story starts when a second copy
    arrives, so most articles cost no extra write.
    """
    copy_id = _find_copy(article, bands)
    if copy_id is None:
        return None
    copy = Article.objects.select_related("story__representative").get(id=copy_id)
    story = copy.story
    if story is None:
        story = StoryCluster.objects.create(representative=copy)
        Article.objects.filter(id=copy.id).update(story=story)
    if _richer(article, story.representative):
        story.representative = article
        story.save(update_fields=["representative"])
    return story


def _find_copy(article: Article, bands: list[int]) -> int | None:
    others = Article.objects.exclude(id=article.id)
    # An empty URL or text is shared by unrelated articles: it never identifies a story.
    same = Q(pk__in=[])
    if article.canonical_url:
        same |= Q(canonical_url=article.canonical_url)
    if article.content_hash:
        same |= Q(content_hash=article.content_hash)
    exact = others.filter(same).values_list("id", flat=True).first()
    return exact if exact is not None else _near_duplicate(article, bands, others)


def _near_duplicate(
    article: Article, bands: list[int], others: models.QuerySet[Article]
) -> int | None:
    wanted = set(enumerate(bands))
    rows = ArticleBand.objects.filter(value__in=bands).exclude(article_id=article.id)
    candidate_ids = {
        article_id
        for article_id, band, value in rows.values_list("article_id", "band", "value")[:500]
        if (band, value) in wanted
    }
    if not candidate_ids:
        return None
    best, best_score = None, dedup.NEAR_DUPLICATE_THRESHOLD
    for other_id, minhash in others.filter(id__in=candidate_ids).values_list("id", "minhash"):
        score = dedup.similarity(bytes(article.minhash), bytes(minhash))
        if score >= best_score:
            best, best_score = other_id, score
    return best


def _richer(article: Article, representative: Article | None) -> bool:
    """Page text beats feed text; then more words win."""
    if representative is None:
        return True
    if article.text_from != representative.text_from:
        return article.text_from == Article.TextFrom.PAGE
    return article.word_count > representative.word_count
