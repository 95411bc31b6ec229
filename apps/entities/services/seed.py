"""Load the seed entities (`demo/seed/*.yaml`) into the database: `load_seed(directory)`.

The seed is a starting point that curators take over, so a re-run creates what is missing,
refreshes seed fields only on rows no curator has saved (`curated_at` is None), adds aliases but
never removes or re-flags a curated entity's, and never deletes anything. A malformed seed raises
`SeedError` naming the file and the record, and nothing from it is written (one transaction).
The format is described in `demo/seed/README.md`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from django.db import models, transaction

from apps.entities.models import (
    Affiliation,
    Alias,
    ClusterObservation,
    Company,
    ComputeCluster,
    Entity,
    Person,
)
from apps.entities.services.seed_records import (
    AliasSpec,
    SeedError,
    SeedRecord,
    alias_specs,
    choices_of,
    read_records,
)

KINDS = ("company", "person", "affiliation", "cluster", "observation", "alias")
# Strongest first: a company created in pass one and linked in pass two counts as created.
OUTCOMES = ("created", "updated", "skipped_curated", "unchanged")
_END_REASONS = {"unknown": "", **{value: value for value in Affiliation.EndReason.values}}

E = TypeVar("E", bound=Entity)


@dataclass
class KindCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_curated: int = 0


@dataclass
class SeedReport:
    counts: dict[str, KindCounts] = field(default_factory=lambda: {k: KindCounts() for k in KINDS})

    def add(self, kind: str, outcome: str) -> None:
        counts = self.counts[kind]
        setattr(counts, outcome, getattr(counts, outcome) + 1)

    def lines(self) -> list[str]:
        return [
            f"{kind:<12} created {c.created:>4}  updated {c.updated:>4}  "
            f"unchanged {c.unchanged:>4}  skipped (curated) {c.skipped_curated:>4}"
            for kind, c in self.counts.items()
        ]


# ---------------------------------------------------------------- writing


def _apply(obj: models.Model, values: dict[str, Any], *, curated: bool) -> str:
    """Bring obj's seed fields to `values` unless a curator owns it; save only on a change."""
    changed = {key: value for key, value in values.items() if getattr(obj, key) != value}
    if not changed:
        return "unchanged"
    if curated:
        return "skipped_curated"
    for key, value in changed.items():
        setattr(obj, key, value)
    obj.save()
    return "updated"


def _strongest(*outcomes: str) -> str:
    return min(outcomes, key=OUTCOMES.index)


def _upsert_entity(model: type[E], record: SeedRecord, values: dict[str, Any]) -> tuple[E, str]:
    slug = record.text("slug", required=True)
    existing = Entity.objects.filter(slug=slug).first()
    if existing is None:
        return model.objects.create(slug=slug, **values), "created"
    obj = model.objects.filter(pk=existing.pk).first()
    if obj is None:
        raise record.error(f"slug {slug!r} already belongs to a {existing.type}")
    return obj, _apply(obj, values, curated=obj.curated_at is not None)


def _syncalias_specs(entity: Entity, specs: list[AliasSpec], report: SeedReport) -> None:
    existing = {alias.text: alias for alias in entity.aliases.all()}
    for spec in specs:
        alias = existing.get(spec.text)
        if alias is None:
            Alias.objects.create(
                entity=entity,
                text=spec.text,
                case_sensitive=spec.case_sensitive,
                needs_context=spec.needs_context,
            )
            report.add("alias", "created")
            continue
        flags = {"case_sensitive": spec.case_sensitive, "needs_context": spec.needs_context}
        report.add("alias", _apply(alias, flags, curated=entity.curated_at is not None))


def _company(slug: str, record: SeedRecord, key: str) -> Company:
    company = Company.objects.filter(slug=slug).first()
    if company is None:
        raise record.error(f"{key} {slug!r} is not a known company slug")
    return company


def _company_id(record: SeedRecord, key: str) -> int | None:
    slug = record.text(key)
    return _company(slug, record, key).pk if slug else None


def _load_companies(directory: Path, report: SeedReport) -> None:
    allowed = {"slug", "name", "kind", "status", "website", "founded", "parent", "successor"}
    allowed |= {"description", "aliases", "sources"}
    pending: list[tuple[Company, SeedRecord, str]] = []
    for record in read_records(directory, "companies.yaml", allowed):
        founded, precision = record.partial_date("founded")
        name = record.text("name", required=True, max_length=200)
        values = {
            "name": name,
            "source_urls": record.urls("sources"),
            "description": record.text("description"),
            "kind": record.choice("kind", choices_of(Company.Kind), Company.Kind.COMPANY),
            "status": record.choice("status", choices_of(Company.Status), Company.Status.ACTIVE),
            "website": record.text("website", max_length=500),
            "founded": founded,
            "founded_precision": precision,
        }
        company, outcome = _upsert_entity(Company, record, values)
        _syncalias_specs(company, alias_specs(record, name), report)
        pending.append((company, record, outcome))
    # Second pass: parents and successors, now that every company exists.
    for company, record, outcome in pending:
        links = {
            "parent_id": _company_id(record, "parent"),
            "successor_id": _company_id(record, "successor"),
        }
        linked = _apply(company, links, curated=company.curated_at is not None)
        report.add("company", _strongest(outcome, linked))


def _load_people(directory: Path, report: SeedReport) -> None:
    allowed = {"slug", "name", "description", "aliases", "affiliations"}
    for record in read_records(directory, "people.yaml", allowed):
        name = record.text("name", required=True, max_length=200)
        values = {"name": name, "description": record.text("description")}
        person, outcome = _upsert_entity(Person, record, values)
        report.add("person", outcome)
        _syncalias_specs(person, alias_specs(record, name), report)
        _load_affiliations(person, record, report)


def _load_affiliations(person: Person, record: SeedRecord, report: SeedReport) -> None:
    allowed = {"company", "title", "kind", "cofounder", "start", "end", "end_reason"}
    allowed |= {"destination", "sources"}
    seen: set[tuple[str, date | None]] = set()
    for index, item in enumerate(record.items("affiliations"), start=1):
        entry = record.child(item, f"affiliation {index}", allowed)
        slug = entry.text("company", required=True)
        company = _company(slug, entry, "company")
        start, start_precision = entry.partial_date("start")
        if (slug, start) in seen:
            raise entry.error(f"a second affiliation with {slug!r} starting {start}")
        seen.add((slug, start))
        end, end_precision = entry.partial_date("end")
        values = {
            "title": entry.text("title", max_length=300),
            "kind": entry.choice("kind", choices_of(Affiliation.Kind), Affiliation.Kind.EMPLOYEE),
            "is_cofounder": entry.flag("cofounder"),
            "start_precision": start_precision,
            "end": end,
            "end_precision": end_precision,
            "end_reason": entry.choice("end_reason", _END_REASONS, ""),
            "destination_id": _company_id(entry, "destination"),
            "source_urls": entry.urls("sources"),
        }
        found = Affiliation.objects.filter(person=person, company=company, start=start)
        affiliation = found.order_by("pk").first()
        if affiliation is None:
            Affiliation.objects.create(person=person, company=company, start=start, **values)
            report.add("affiliation", "created")
        else:
            curated = affiliation.curated_at is not None
            report.add("affiliation", _apply(affiliation, values, curated=curated))


def _load_clusters(directory: Path, report: SeedReport) -> None:
    allowed = {"slug", "name", "owner", "city", "region", "country", "latitude", "longitude"}
    allowed |= {"status", "chip_type", "chip_count", "h100e", "power_mw", "description"}
    allowed |= {"aliases", "sources", "observations"}
    statuses = choices_of(ComputeCluster.Status)
    for record in read_records(directory, "clusters.yaml", allowed):
        name = record.text("name", required=True, max_length=200)
        values = {
            "name": name,
            "source_urls": record.urls("sources"),
            "description": record.text("description"),
            "owner_id": _company_id(record, "owner"),
            "city": record.text("city", max_length=100),
            "region": record.text("region", max_length=100),
            "country": record.text("country", max_length=100),
            "latitude": record.decimal("latitude"),
            "longitude": record.decimal("longitude"),
            "status": record.choice("status", statuses, ComputeCluster.Status.PLANNED),
            "chip_type": record.text("chip_type", max_length=100),
            "chip_count": record.integer("chip_count"),
            "h100_equivalents": record.integer("h100e"),
            "power_mw": record.decimal("power_mw"),
        }
        cluster, outcome = _upsert_entity(ComputeCluster, record, values)
        report.add("cluster", outcome)
        _syncalias_specs(cluster, alias_specs(record, name), report)
        _load_observations(cluster, record, report)


def _load_observations(cluster: ComputeCluster, record: SeedRecord, report: SeedReport) -> None:
    allowed = {"as_of", "gpus", "chip_type", "h100e", "power_mw", "turbines", "basis"}
    allowed |= {"is_projection", "note", "source"}
    seen: set[tuple[date, str]] = set()
    for index, item in enumerate(record.items("observations"), start=1):
        entry = record.child(item, f"observation {index}", allowed)
        as_of, precision = entry.partial_date("as_of")
        if as_of is None:
            raise entry.error("as_of is required")
        sources = entry.urls("source")
        source_url = sources[0] if sources else ""
        if (as_of, source_url) in seen:
            raise entry.error(f"a second observation as of {as_of} from {source_url!r}")
        seen.add((as_of, source_url))
        values = {
            "as_of_precision": precision,
            "gpus": entry.integer("gpus"),
            "chip_type": entry.text("chip_type", max_length=100),
            "h100_equivalents": entry.integer("h100e"),
            "power_mw": entry.decimal("power_mw"),
            "turbines": entry.integer("turbines"),
            "basis": entry.choice(
                "basis", choices_of(ClusterObservation.Basis), ClusterObservation.Basis.PRESS
            ),
            "is_projection": entry.flag("is_projection"),
            "note": entry.text("note", max_length=500),
        }
        key = {"cluster": cluster, "as_of": as_of, "source_url": source_url}
        observation = ClusterObservation.objects.filter(**key).order_by("pk").first()
        if observation is None:
            ClusterObservation.objects.create(**key, **values)
            report.add("observation", "created")
        else:
            curated = cluster.curated_at is not None
            report.add("observation", _apply(observation, values, curated=curated))


_STEPS: tuple[Callable[[Path, SeedReport], None], ...] = (
    _load_companies,
    _load_people,
    _load_clusters,
)


def load_seed(directory: Path) -> SeedReport:
    """Load companies.yaml, people.yaml and clusters.yaml from `directory`, all or nothing."""
    if not directory.is_dir():
        raise SeedError(str(directory), "directory", "not found")
    report = SeedReport()
    with transaction.atomic():
        for step in _STEPS:
            step(directory, report)
    return report
