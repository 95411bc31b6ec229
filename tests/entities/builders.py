"""Plain builders for entities, articles and mentions: `make_company(name="xAI")`."""

from datetime import date
from itertools import count
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from apps.entities.models import (
    Affiliation,
    Alias,
    ClusterObservation,
    Company,
    ComputeCluster,
    Person,
)
from apps.events.models import Event, EventParticipant, Evidence, Mention, Storyline
from apps.events.vocabulary import EventType
from apps.sources.models import Article, Source

_serial = count(1)


def _entity_fields(name: str, overrides: dict[str, Any]) -> dict[str, Any]:
    name = overrides.pop("name", name)
    return {"name": name, "slug": f"{slugify(name)}-{next(_serial)}"} | overrides


def make_company(**overrides: Any) -> Company:
    return Company.objects.create(**_entity_fields("Acme AI", overrides))


def make_person(**overrides: Any) -> Person:
    return Person.objects.create(**_entity_fields("Ada Lovelace", overrides))


def make_cluster(**overrides: Any) -> ComputeCluster:
    return ComputeCluster.objects.create(**_entity_fields("Colossus", overrides))


def make_alias(entity: Any, text: str, **overrides: Any) -> Alias:
    return Alias.objects.create(entity=entity, text=text, **overrides)


def make_affiliation(person: Person, company: Company, **overrides: Any) -> Affiliation:
    fields = {"person": person, "company": company, "title": "Engineer"}
    return Affiliation.objects.create(**(fields | overrides))


def make_observation(cluster: ComputeCluster, **overrides: Any) -> ClusterObservation:
    fields = {"cluster": cluster, "as_of": date(2024, 9, 1), "gpus": 100_000}
    return ClusterObservation.objects.create(**(fields | overrides))


# A short news story naming a founder, his lab and its cluster: linking tests read it.
XAI_STORY = (
    "Jimmy Ba, one of the founders of xAI, said on Tuesday that he is leaving the company. "
    "Ba said the decision was his own.\n\n"
    "xAI's Colossus cluster in Memphis now runs 200,000 GPUs, according to the company. "
    "Officials at the Shelby County Health Department did not comment."
)


def make_extracted_article(title: str, text: str, **overrides: Any) -> Article:
    """An article that has its text, ready to be linked."""
    return make_article(
        **({"title": title, "text": text, "extracted_at": timezone.now()} | overrides)
    )


def make_article(**overrides: Any) -> Article:
    source, _ = Source.objects.get_or_create(feed_url="https://news.example/feed.xml")
    serial = next(_serial)
    fields = {
        "source": source,
        "guid": f"story-{serial}",
        "url": f"https://news.example/story-{serial}",
        "canonical_url": f"https://news.example/story-{serial}",
        "title": "A title from the feed",
        "text": "xAI said on Monday that its Colossus cluster in Memphis had doubled.",
        "published_at": timezone.now(),
        "published_from": Article.PublishedFrom.FEED,
    }
    return Article.objects.create(**(fields | overrides))


def make_mention(article: Article, entity: Any, **overrides: Any) -> Mention:
    fields = {
        "article": article,
        "entity": entity,
        "start": 0,
        "end": 3,
        "surface": entity.name,
        "sentence": f"{entity.name} said on Monday that it had doubled.",
        "salience": 0.5,
        "published_at": article.published_at,
    }
    return Mention.objects.create(**(fields | overrides))


def make_event(*participants: tuple[Any, str], **overrides: Any) -> Event:
    """An event with (entity, role) participants: make_event((ba, "person"), (xai, "role"))."""
    fields = {
        "type": EventType.DEPARTURE,
        "date": date(2025, 2, 10),
        "summary": "A researcher leaves a lab",
        "confidence": 0.4,
    }
    event = Event.objects.create(**(fields | overrides))
    for entity, role in participants:
        EventParticipant.objects.create(event=event, entity=entity, role=role)
    return event


def make_evidence(event: Event, article: Article | None = None, **overrides: Any) -> Evidence:
    start = overrides.pop("start", next(_serial) * 100)
    fields = {
        "event": event,
        "article": article or make_article(),
        "sentence": "She has left the lab after two years.",
        "start": start,
        "end": start + 38,
        "trigger_start": 4,
        "trigger_end": 12,
        "found_by": "departure@1",
    }
    return Evidence.objects.create(**(fields | overrides))


def make_storyline(rule: list[dict[str, Any]] | None = None, **overrides: Any) -> Storyline:
    serial = next(_serial)
    fields = {"title": f"Story {serial}", "slug": f"story-{serial}", "rule": rule or []}
    return Storyline.objects.create(**(fields | overrides))
