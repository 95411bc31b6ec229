"""The seed storylines: created from a YAML file when missing, never overwriting a curator's."""

from pathlib import Path

import yaml
from django.db import transaction

from apps.entities.models import Entity
from apps.events.models import Storyline
from apps.events.services.storylines import refresh_storyline
from apps.events.storylines import RuleError, parse_rule, rule_slugs


def load_storylines(path: Path) -> list[Storyline]:
    """Create the storylines the file lists that do not exist yet; refresh every one of them.
    RuleError (with the storyline's slug) if a rule cannot be read: nothing is written then."""
    records = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(records, list):
        raise RuleError(f"{path}: expected a list of storylines.")
    known = dict(Entity.objects.values_list("slug", "id"))
    for record in records:
        _check(record, known)
    storylines = []
    with transaction.atomic():
        for record in records:
            storyline, _ = Storyline.objects.get_or_create(
                slug=record["slug"],
                defaults={
                    "title": record["title"],
                    "description": record.get("description", ""),
                    "rule": record.get("rule", []),
                },
            )
            refresh_storyline(storyline)
            storylines.append(storyline)
    return storylines


def _check(record: object, known: dict[str, int]) -> None:
    if not isinstance(record, dict) or not record.get("slug") or not record.get("title"):
        raise RuleError("Every storyline needs a slug and a title.")
    try:
        parse_rule(
            record.get("rule", []),
            {s: known[s] for s in rule_slugs(record.get("rule")) if s in known},
        )
    except RuleError as error:
        raise RuleError(f"Storyline {record['slug']}: {error}") from None
