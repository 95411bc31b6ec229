"""Where articles meet entities: mentions now; events, evidence and storylines come next."""

from django.conf import settings
from django.db import models

from apps.entities.models import Entity
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
        ]

    def __str__(self) -> str:
        return f"{self.surface} → {self.entity} in article {self.article_id}"


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
