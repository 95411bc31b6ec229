from datetime import datetime, timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone


class SourceQuerySet(models.QuerySet["Source"]):
    def due(self, now: datetime) -> "SourceQuerySet":
        return self.filter(is_active=True, next_fetch_at__lte=now)

    def failing(self) -> "SourceQuerySet":
        return self.filter(consecutive_errors__gt=0)


class Source(models.Model):
    class Kind(models.TextChoices):
        UNKNOWN = "unknown", "Not fetched yet"
        RSS = "rss", "RSS"
        ATOM = "atom", "Atom"
        JSON = "json", "JSON Feed"

    feed_url = models.URLField(max_length=2000, unique=True)
    site_url = models.URLField(max_length=2000, blank=True)
    title = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.UNKNOWN)
    is_active = models.BooleanField(default=True)
    deactivated_reason = models.CharField(max_length=500, blank=True)

    # Conditional GET: sent back as If-None-Match / If-Modified-Since.
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)

    next_fetch_at = models.DateTimeField(default=timezone.now)
    fetch_interval = models.DurationField(default=timedelta(hours=1))
    # Set when a fetch is claimed and cleared when it finishes, so a duplicate delivery of the
    # same fetch task after it finished is recognised and skipped.
    claim_token = models.UUIDField(null=True, blank=True)

    consecutive_errors = models.PositiveIntegerField(default=0)
    last_error_kind = models.CharField(max_length=20, blank=True)
    last_error = models.CharField(max_length=1000, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["title", "feed_url"]
        indexes = [
            # fetch_due_sources: active sources whose next_fetch_at has passed.
            models.Index(
                fields=["next_fetch_at"], condition=Q(is_active=True), name="source_due_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.feed_url


class FetchLog(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="fetch_logs")
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    bytes = models.PositiveIntegerField(default=0)
    new_entries = models.PositiveIntegerField(default=0)
    updated_entries = models.PositiveIntegerField(default=0)
    error_kind = models.CharField(max_length=20, blank=True)
    error = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            # Admin and the sources command: a source's latest fetches.
            models.Index(fields=["source", "-started_at"], name="fetchlog_source_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.source} at {self.started_at:%Y-%m-%d %H:%M}"


class StoryCluster(models.Model):
    """The same story told by several articles (syndication, wire copy, near-identical text).

    Only stories with two or more articles have a row; an article without one stands alone.
    """

    representative = models.ForeignKey(
        "Article", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Story {self.pk}"


class ArticleQuerySet(models.QuerySet["Article"]):
    def pending_extraction(self) -> "ArticleQuerySet":
        return self.filter(extracted_at__isnull=True)

    def pending_analysis(self) -> "ArticleQuerySet":
        return self.filter(extracted_at__isnull=False, analyzed_at__isnull=True)

    def newest_published_at(self) -> datetime | None:
        """When the newest article came out: "this week" of the news (article_published_idx)."""
        return self.order_by("-published_at").values_list("published_at", flat=True).first()


class Article(models.Model):
    class PublishedFrom(models.TextChoices):
        FEED = "feed", "Feed"
        PAGE = "page", "Page metadata"
        FIRST_SEEN = "first_seen", "First seen"

    class TextFrom(models.TextChoices):
        NONE = "", "Not extracted yet"
        PAGE = "page", "Article page"
        FEED = "feed", "Feed content"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="articles")
    # The feed's id for the entry, or a key derived from its link/title when the feed has none.
    guid = models.CharField(max_length=500)
    url = models.URLField(max_length=2000)
    # The URL with tracking parameters and fragments removed; the page's rel=canonical wins.
    canonical_url = models.URLField(max_length=2000, db_index=True)
    title = models.CharField(max_length=1000, blank=True)
    author = models.CharField(max_length=300, blank=True)
    summary_html = models.TextField(blank=True)
    feed_content_html = models.TextField(blank=True)
    published_at = models.DateTimeField()
    published_from = models.CharField(max_length=10, choices=PublishedFrom.choices)
    language = models.CharField(max_length=16, blank=True)

    text = models.TextField(blank=True)
    html = models.TextField(blank=True)
    text_from = models.CharField(max_length=4, choices=TextFrom.choices, blank=True, default="")
    word_count = models.PositiveIntegerField(default=0)
    content_hash = models.CharField(max_length=64, blank=True, db_index=True)
    minhash = models.BinaryField(blank=True, default=b"")
    story = models.ForeignKey(
        StoryCluster, on_delete=models.SET_NULL, null=True, blank=True, related_name="articles"
    )

    fetched_at = models.DateTimeField(default=timezone.now)
    extracted_at = models.DateTimeField(null=True, blank=True)
    extraction_error_kind = models.CharField(max_length=20, blank=True)
    extraction_error = models.CharField(max_length=1000, blank=True)
    extract_attempts = models.PositiveSmallIntegerField(default=0)
    # Set by the analysis stage (apps.events) when its mentions and events are written.
    analyzed_at = models.DateTimeField(null=True, blank=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at"]
        constraints = [
            models.UniqueConstraint(fields=["source", "guid"], name="article_source_guid_uniq"),
        ]
        indexes = [
            # The sweep: articles still waiting for extraction.
            models.Index(
                fields=["fetched_at"],
                condition=Q(extracted_at__isnull=True),
                name="article_pending_extract_idx",
            ),
            # The analysis sweep: extracted articles still waiting for mentions and events.
            models.Index(
                fields=["extracted_at"],
                condition=Q(analyzed_at__isnull=True),
                name="article_pending_analysis_idx",
            ),
            # Admin and later pages: newest articles first, per source.
            models.Index(fields=["source", "-published_at"], name="article_source_pub_idx"),
            # The newest articles across all sources: home's week of news, the article lists.
            models.Index(fields=["-published_at"], name="article_published_idx"),
        ]

    def __str__(self) -> str:
        return self.title or self.url


class ArticleBand(models.Model):
    """One locality-sensitive band of an article's MinHash: shared bands mark near-duplicates."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bands")
    band = models.PositiveSmallIntegerField()
    value = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "band"], name="articleband_uniq"),
        ]
        indexes = [
            # Near-duplicate lookup: `value IN (…)`; the band is matched on the few rows found.
            models.Index(fields=["value"], name="articleband_value_idx"),
        ]

    def __str__(self) -> str:
        return f"band {self.band} of article {self.article_id}"
