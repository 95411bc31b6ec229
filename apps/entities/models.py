"""Who and what the news is about: companies, people, compute clusters, and every name they go by.

The three kinds share one `Entity` table (Django multi-table inheritance), so an alias, a mention
or an event participant points at any of them with one foreign key, and merging two entities
moves everything that points at the loser by walking its relations.
"""

from typing import Any

from django.db import models
from django.db.models import Q

from apps.common.dates import DatePrecision


class Entity(models.Model):
    class Type(models.TextChoices):
        COMPANY = "company", "Company"
        PERSON = "person", "Person"
        CLUSTER = "cluster", "Compute cluster"

    type = models.CharField(max_length=10, choices=Type.choices, editable=False)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    # The public sources the record rests on (seed facts, curators).
    source_urls = models.JSONField(default=list, blank=True)
    # Set when a curator saves the entity in admin: `load_seed` never overwrites it after that.
    curated_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "entities"
        indexes = [
            # Admin search and the unknown-names list: entities by name.
            models.Index(fields=["name"], name="entity_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class Company(Entity):
    class Kind(models.TextChoices):
        AI_LAB = "ai_lab", "AI lab"
        COMPANY = "company", "Company"
        INVESTOR = "investor", "Investor"
        UTILITY = "utility", "Utility"
        REGULATOR = "regulator", "Regulator"
        COURT = "court", "Court"
        NGO = "ngo", "NGO"
        GOVERNMENT = "government", "Government"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ACQUIRED = "acquired", "Acquired"
        MERGED = "merged", "Merged"
        DEFUNCT = "defunct", "Defunct"

    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.COMPANY)
    website = models.URLField(max_length=500, blank=True)
    founded = models.DateField(null=True, blank=True)
    founded_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # "X" → xAI → SpaceX: the owner now, and what the company became when it stopped being itself.
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="subsidiaries"
    )
    successor = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="predecessors"
    )

    class Meta:
        verbose_name_plural = "companies"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.type = Entity.Type.COMPANY
        super().save(*args, **kwargs)


class Person(Entity):
    class Meta:
        verbose_name_plural = "people"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.type = Entity.Type.PERSON
        super().save(*args, **kwargs)


class Affiliation(models.Model):
    """One stretch of a person's career at one company; a career is these, in order."""

    class Kind(models.TextChoices):
        FOUNDER = "founder", "Founder"
        EXECUTIVE = "executive", "Executive"
        EMPLOYEE = "employee", "Employee"
        BOARD = "board", "Board member"
        ADVISOR = "advisor", "Advisor"

    class EndReason(models.TextChoices):
        UNKNOWN = "", "Unknown"
        RESIGNED = "resigned", "Resigned"
        FIRED = "fired", "Fired"
        HEALTH = "health", "Health"
        ACQUIRED = "acquired", "Company acquired"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="affiliations")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="affiliations")
    title = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.EMPLOYEE)
    is_cofounder = models.BooleanField(default=False)
    start = models.DateField(null=True, blank=True)
    start_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    end = models.DateField(null=True, blank=True)
    end_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    end_reason = models.CharField(max_length=10, choices=EndReason.choices, blank=True)
    destination = models.ForeignKey(
        Company, on_delete=models.SET_NULL, null=True, blank=True, related_name="arrivals"
    )
    # The public sources this stretch rests on (seed facts, curators); events add evidence later.
    source_urls = models.JSONField(default=list, blank=True)
    curated_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["person", "start"]
        indexes = [
            # A company's roster: its people, current and former.
            models.Index(fields=["company", "start"], name="affiliation_company_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.company}"


class ComputeCluster(Entity):
    """A GPU cluster, after Epoch AI's GPU-cluster data where its fields fit."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        UNDER_CONSTRUCTION = "under_construction", "Under construction"
        OPERATIONAL = "operational", "Operational"
        DECOMMISSIONED = "decommissioned", "Decommissioned"

    owner = models.ForeignKey(
        Company, on_delete=models.SET_NULL, null=True, blank=True, related_name="clusters"
    )
    city = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=100, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    chip_type = models.CharField(max_length=100, blank=True)
    chip_count = models.PositiveIntegerField(null=True, blank=True)
    h100_equivalents = models.PositiveIntegerField(null=True, blank=True)
    power_mw = models.DecimalField(max_digits=9, decimal_places=1, null=True, blank=True)

    class Meta:
        verbose_name = "compute cluster"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.type = Entity.Type.CLUSTER
        super().save(*args, **kwargs)


class ClusterObservation(models.Model):
    """One dated report about a cluster: a growing GPU count is a series of these."""

    class Basis(models.TextChoices):
        COMPANY_CLAIM = "company_claim", "Company claim"
        PRESS = "press", "Press report"
        REGULATOR = "regulator", "Regulator"
        PERMIT = "permit", "Permit"
        SATELLITE = "satellite", "Satellite imagery"
        ESTIMATE = "estimate", "Estimate"

    cluster = models.ForeignKey(
        ComputeCluster, on_delete=models.CASCADE, related_name="observations"
    )
    as_of = models.DateField()
    as_of_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    gpus = models.PositiveIntegerField(null=True, blank=True)
    chip_type = models.CharField(max_length=100, blank=True)
    h100_equivalents = models.PositiveIntegerField(null=True, blank=True)
    power_mw = models.DecimalField(max_digits=9, decimal_places=1, null=True, blank=True)
    turbines = models.PositiveIntegerField(null=True, blank=True)
    basis = models.CharField(max_length=15, choices=Basis.choices, default=Basis.PRESS)
    is_projection = models.BooleanField(default=False)
    note = models.CharField(max_length=500, blank=True)
    source_url = models.URLField(max_length=2000, blank=True)

    class Meta:
        ordering = ["cluster", "as_of"]
        indexes = [
            # The cluster page's step chart: a cluster's observations in time order.
            models.Index(fields=["cluster", "as_of"], name="observation_series_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.cluster} as of {self.as_of}"


class Alias(models.Model):
    """A name an entity goes by. The entity's own name is one of its aliases too."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="aliases")
    text = models.CharField(max_length=200)
    # "X" must not match "x"; "xai" in lower case still means xAI.
    case_sensitive = models.BooleanField(default=False)
    # Short or common-word names ("X", "Grok", "Colossus", "Ba") count only where the article
    # supports them: see apps.entities.matching.
    needs_context = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # The linker rebuilds its automaton when the newest of these moves (see apps.events).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["entity", "text"]
        verbose_name_plural = "aliases"
        constraints = [
            models.UniqueConstraint(fields=["entity", "text"], name="alias_entity_text_uniq"),
            models.CheckConstraint(condition=~Q(text=""), name="alias_text_not_empty"),
        ]
        indexes = [
            # Admin search by any alias.
            models.Index(fields=["text"], name="alias_text_idx"),
        ]

    def __str__(self) -> str:
        return self.text
