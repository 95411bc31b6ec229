"""Where articles meet entities: mentions, and the dated, sourced events and storylines."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.common.dates import DatePrecision, format_partial_date
from apps.entities.models import Entity
from apps.events.vocabulary import EventType, Role, Status
from apps.sources.models import Article


class Mention(models.Model):
    """An entity named in an article: where, in which sentence, and how central it is."""

    class Status(models.TextChoices):
        LINKED = "linked", "Linked"
        # A curator said this name here is not this entity; relinking keeps it unlinked.
        REJECTED = "rejected", "Rejected by a curator"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="mentions")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="mentions")
    # Offsets into the article's title + "\n\n" + text (see apps.events.services.linking).
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    surface = models.CharField(max_length=200)
    sentence = models.TextField()
    in_title = models.BooleanField(default=False)
    # 0..1: how much the article is about the entity (title, lead, repetition).
    salience = models.FloatField(default=0.0)
    is_about = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.LINKED)
    # The article's published_at, copied here so that an entity's articles come newest first
    # from one index (mention_about_idx) instead of joining every mention to its article and
    # sorting, which grows with the entity's fame. The linker writes it with the mention;
    # NULL (a raw bulk insert) until `manage.py recount_mentions` copies it.
    published_at = models.DateTimeField(null=True, blank=True, db_default=None)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["article", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "entity", "start"], name="mention_article_entity_start_uniq"
            ),
        ]
        indexes = [
            # Entity pages: the articles about an entity, newest first (joined on article).
            models.Index(fields=["entity", "is_about"], name="mention_entity_idx"),
            # Entity pages: the articles about an entity, newest first, read in index order and
            # stopped after a page, so a famous entity costs what an obscure one does.
            models.Index(
                fields=["entity", "-published_at", "-id"],
                name="mention_about_idx",
                condition=Q(is_about=True, status="linked"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.surface} → {self.entity} in article {self.article_id}"


class MentionWeek(models.Model):
    """How many articles published in one ISO week (UTC) link an entity: a counter kept in step
    by whatever writes or curates mentions (apps.events.services.mention_weeks), so that pages
    and rankings read a few rows instead of counting mentions."""

    # No index of its own: the unique constraint's (entity, week) serves every entity lookup.
    entity = models.ForeignKey(
        Entity, on_delete=models.CASCADE, related_name="mention_weeks", db_index=False
    )
    week = models.DateField(help_text="The Monday the week starts on.")
    articles = models.PositiveIntegerField(default=0)

    class Meta:
        # No default ordering: ordering by `entity` would join every read to the entity table.
        constraints = [
            # The upsert's conflict target; also an entity page's weeks, in order.
            models.UniqueConstraint(fields=["entity", "week"], name="mentionweek_entity_week_uniq"),
        ]
        indexes = [
            # Home's "in the news": one week's entities, most articles first.
            models.Index(fields=["week", "-articles"], name="mentionweek_top_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.entity_id} in the week of {self.week}: {self.articles}"


class UnknownName(models.Model):
    """A capitalised name seen in articles that matches no entity: a curator's to-do list."""

    text = models.CharField(max_length=200, unique=True)
    article_count = models.PositiveIntegerField(default=0)
    last_seen_at = models.DateTimeField()
    # A curator who looked and decided it is nothing to track.
    dismissed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-article_count", "text"]
        indexes = [
            # The admin list: the most widespread names first.
            models.Index(fields=["dismissed", "-article_count"], name="unknownname_list_idx"),
        ]

    def __str__(self) -> str:
        return self.text


class EventQuerySet(models.QuerySet["Event"]):
    def visible(self) -> "EventQuerySet":
        """What readers see: everything but what a curator rejected or merged away."""
        return self.filter(rejected=False, merged_into__isnull=True)

    def needs_review(self) -> "EventQuerySet":
        return self.visible().filter(curated=False)


class Event(models.Model):
    """A typed, dated fact, with participants in roles and the sentences that support it."""

    type = models.CharField(max_length=20, choices=EventType.choices)
    date = models.DateField()
    date_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    # The date is a reading ("around Feb. 10", "early 2025", or the publication day of a sentence
    # that dates nothing), not a report of the day; a better-dated report replaces it.
    date_is_estimate = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    # 0..1: grows with independent outlets and primary sources (apps.events.services.confidence).
    confidence = models.FloatField(default=0.0)
    summary = models.CharField(max_length=500, blank=True)
    # Quantities as {kind: value}: {"gpus": 200000, "chip_type": "H100", "usd": 6000000000}.
    quantities = models.JSONField(default=dict, blank=True)
    detail = models.CharField(max_length=200, blank=True)
    # A curator confirmed or edited it: re-analysis never changes its fields or status again.
    curated = models.BooleanField(default=False)
    curated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A curator said it is not an event: hidden, and re-analysis never brings it back.
    rejected = models.BooleanField(default=False)
    # A curator merged it into another event: hidden; its evidence moved there.
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_from"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            # Timelines and the API: events of a type, newest first.
            models.Index(fields=["type", "-date"], name="event_type_date_idx"),
            # Home and the API: the latest events.
            models.Index(fields=["-date", "-id"], name="event_date_idx"),
            # The review queue: uncurated events, least sure first.
            models.Index(
                fields=["confidence"], name="event_review_idx", condition=Q(curated=False)
            ),
        ]

    def __str__(self) -> str:
        return self.summary or f"{self.get_type_display()} on {self.date}"

    @property
    def date_display(self) -> str:
        return format_partial_date(self.date, self.date_precision, estimate=self.date_is_estimate)


class EventParticipant(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="event_roles")
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["event", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "entity", "role"], name="participant_event_entity_role_uniq"
            ),
        ]
        indexes = [
            # Entity pages and the API's entity filter: an entity's events.
            models.Index(fields=["entity", "role"], name="participant_entity_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.entity} as {self.get_role_display()}"


class Evidence(models.Model):
    """One sentence of one article that reports an event, and what found it there."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="evidence")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="evidence")
    sentence = models.TextField()
    # Offsets of the sentence in the article's title + "\n\n" + text (as Mention's).
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    # The words in the sentence that carried the event ("has left"), for highlighting.
    trigger_start = models.PositiveIntegerField(null=True, blank=True)
    trigger_end = models.PositiveIntegerField(null=True, blank=True)
    # "departure@1" for a rule and its version; "curator" for one added by hand.
    found_by = models.CharField(max_length=50)
    # What this sentence says about the event (a rumour, a denial, a confirmation).
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    # The date this sentence gives, as read; the event's date is the best of these.
    reported_date = models.DateField(null=True, blank=True)
    reported_precision = models.CharField(max_length=5, choices=DatePrecision.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event", "created_at", "id"]
        verbose_name_plural = "evidence"
        constraints = [
            models.UniqueConstraint(
                fields=["event", "article", "start"], name="evidence_event_article_start_uniq"
            ),
        ]
        indexes = [
            # Re-analysis replaces an article's rule-found evidence; article pages list it.
            models.Index(fields=["article"], name="evidence_article_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.article} for event {self.event_id}"


class Storyline(models.Model):
    """A named thread of events, chosen by a rule plus curators' pins and exclusions.

    The rule is a list of clauses; an event belongs when any clause matches it:
    ``[{"types": ["departure"], "entities": ["xai"], "roles": ["from_company"],
    "since": "2023-07-01", "until": null, "statuses": ["confirmed"]}]``. Every key is optional;
    an empty clause matches nothing. See apps.events.storylines for what each key means.
    """

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    rule = models.JSONField(default=list, blank=True)
    # Counters kept on the row so pages never aggregate (refreshed when membership changes).
    event_count = models.PositiveIntegerField(default=0)
    last_event_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class StorylineEvent(models.Model):
    """An event in a storyline: put there by the rule, or pinned or excluded by a curator."""

    class Origin(models.TextChoices):
        RULE = "rule", "Selected by the rule"
        PINNED = "pinned", "Pinned by a curator"
        EXCLUDED = "excluded", "Excluded by a curator"

    # What a storyline shows: what its rule selected and what curators pinned.
    LISTED = (Origin.RULE, Origin.PINNED)

    storyline = models.ForeignKey(Storyline, on_delete=models.CASCADE, related_name="entries")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="storyline_entries")
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.RULE)
    # A curator's place for the event in the timeline; empty: by date.
    order = models.IntegerField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["storyline", "order", "event__date", "event_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["storyline", "event"], name="storylineevent_storyline_event_uniq"
            ),
        ]
        indexes = [
            # Event pages and digests: the storylines an event is in.
            models.Index(fields=["event"], name="storylineevent_event_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} in {self.storyline}"
