"""Rows to JSON-ready dicts. Every function reads only what `with_related`
(apps.events.selectors) and the views loaded: serialising a page never queries."""

from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from django.http import HttpRequest
from django.urls import reverse

from apps.entities.models import Affiliation, ClusterObservation, Company, ComputeCluster, Entity
from apps.events.models import Event, Evidence, Storyline
from apps.sources.models import Source

JSON = dict[str, Any]


class Links:
    """Absolute URLs of API resources, built from the index URL once per request."""

    def __init__(self, request: HttpRequest) -> None:
        self.root = request.build_absolute_uri(reverse("api:index"))

    def event(self, pk: int) -> str:
        return f"{self.root}events/{pk}/"

    def entity(self, slug: str) -> str:
        return f"{self.root}entities/{slug}/"

    def storyline(self, slug: str) -> str:
        return f"{self.root}storylines/{slug}/"


def entity_ref(entity: Entity, links: Links) -> JSON:
    return {
        "slug": entity.slug,
        "name": entity.name,
        "type": entity.type,
        "url": links.entity(entity.slug),
    }


def _maybe_ref(entity: Entity | None, links: Links) -> JSON | None:
    return entity_ref(entity, links) if entity is not None else None


def outlet(source: Source) -> str:
    """The feed's own title; its site's host name when the feed gives none."""
    return source.title or urlsplit(source.site_url or source.feed_url).hostname or ""


def evidence_json(evidence: Evidence) -> JSON:
    article = evidence.article
    return {
        "article": {
            "url": article.canonical_url or article.url,
            "title": article.title,
            "outlet": outlet(article.source),
            "published_at": article.published_at.isoformat(),
        },
        "sentence": evidence.sentence,
        "found_by": evidence.found_by,
        "status": evidence.status,
    }


def event_json(event: Event, links: Links) -> JSON:
    return {
        "id": event.pk,
        "type": event.type,
        "date": event.date.isoformat(),
        "date_precision": event.date_precision,
        "date_is_estimate": event.date_is_estimate,
        "date_display": event.date_display,
        "status": event.status,
        "confidence": round(event.confidence, 3),
        "summary": event.summary,
        "quantities": event.quantities,
        "detail": event.detail,
        "curated": event.curated,
        "participants": [
            {"role": p.role, "entity": entity_ref(p.entity, links)}
            for p in event.participants.all()
        ],
        "evidence": [evidence_json(e) for e in event.evidence.all()],
        "storylines": [entry.storyline.slug for entry in event.storyline_entries.all()],
        "url": links.event(event.pk),
    }


def entity_summary_json(entity: Entity, links: Links) -> JSON:
    """The list's item: who it is and every name it goes by (aliases prefetched)."""
    return entity_ref(entity, links) | {"aliases": [alias.text for alias in entity.aliases.all()]}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def company_json(company: Company, links: Links) -> JSON:
    return {
        "kind": company.kind,
        "website": company.website,
        "founded": _iso(company.founded),
        "founded_precision": company.founded_precision,
        "status": company.status,
        "parent": _maybe_ref(company.parent, links),
        "successor": _maybe_ref(company.successor, links),
    }


def affiliation_json(affiliation: Affiliation, links: Links) -> JSON:
    return {
        "company": entity_ref(affiliation.company, links),
        "title": affiliation.title,
        "kind": affiliation.kind,
        "is_cofounder": affiliation.is_cofounder,
        "start": _iso(affiliation.start),
        "start_precision": affiliation.start_precision,
        "end": _iso(affiliation.end),
        "end_precision": affiliation.end_precision,
        "end_reason": affiliation.end_reason,
        "destination": _maybe_ref(affiliation.destination, links),
    }


def observation_json(observation: ClusterObservation) -> JSON:
    return {
        "as_of": observation.as_of.isoformat(),
        "as_of_precision": observation.as_of_precision,
        "gpus": observation.gpus,
        "chip_type": observation.chip_type,
        "h100_equivalents": observation.h100_equivalents,
        "power_mw": _number(observation.power_mw),
        "turbines": observation.turbines,
        "basis": observation.basis,
        "is_projection": observation.is_projection,
        "note": observation.note,
        "source_url": observation.source_url,
    }


def cluster_json(cluster: ComputeCluster, links: Links) -> JSON:
    return {
        "owner": _maybe_ref(cluster.owner, links),
        "city": cluster.city,
        "region": cluster.region,
        "country": cluster.country,
        "latitude": _number(cluster.latitude),
        "longitude": _number(cluster.longitude),
        "status": cluster.status,
        "chip_type": cluster.chip_type,
        "chip_count": cluster.chip_count,
        "h100_equivalents": cluster.h100_equivalents,
        "power_mw": _number(cluster.power_mw),
        "observations": [observation_json(o) for o in cluster.observations.all()],
    }


def storyline_json(storyline: Storyline, links: Links) -> JSON:
    return {
        "slug": storyline.slug,
        "title": storyline.title,
        "description": storyline.description,
        "event_count": storyline.event_count,
        "last_event_date": _iso(storyline.last_event_date),
        "url": links.storyline(storyline.slug),
    }
