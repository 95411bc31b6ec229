"""Which events belong to a storyline: its rule, read and applied. Pure: no database.

A rule is a list of clauses, stored as JSON on the storyline; an event belongs when any clause
selects it. A clause's keys, all optional, narrow what it selects:

- ``types``: event types (``["departure", "hire"]``).
- ``entities``: entity slugs, one of which must take part in the event...
- ``roles``: ...in one of these roles (``["from_company"]``: people who left it, not joined it).
- ``since`` / ``until``: ISO dates, inclusive, on the event's date.
- ``statuses``: which statuses count (default: all; pages show rumours and denials as such).

A clause with neither ``types`` nor ``entities`` selects nothing: a typo must not pull every
event into a storyline.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from apps.events.vocabulary import EventType, Role, Status

KEYS = frozenset({"types", "entities", "roles", "since", "until", "statuses"})


class RuleError(ValueError):
    """A storyline rule that cannot be read; the message says where and why."""


@dataclass(frozen=True)
class EventFacts:
    type: str
    date: datetime.date
    status: str
    participants: frozenset[tuple[str, int]]  # (role, entity id)


@dataclass(frozen=True)
class Clause:
    types: frozenset[str]
    entity_ids: frozenset[int]
    roles: frozenset[str]
    since: datetime.date | None
    until: datetime.date | None
    statuses: frozenset[str]

    def selects(self, event: EventFacts) -> bool:
        if not self.types and not self.entity_ids:
            return False
        if self.types and event.type not in self.types:
            return False
        if self.statuses and event.status not in self.statuses:
            return False
        if self.since and event.date < self.since:
            return False
        if self.until and event.date > self.until:
            return False
        if self.entity_ids:
            return any(
                entity_id in self.entity_ids and (not self.roles or role in self.roles)
                for role, entity_id in event.participants
            )
        return True


def rule_slugs(rule: object) -> set[str]:
    """Every entity slug a rule names (to look their ids up in one query)."""
    if not isinstance(rule, list):
        return set()
    return {
        slug
        for clause in rule
        if isinstance(clause, dict) and isinstance(clause.get("entities"), list)
        for slug in clause["entities"]
        if isinstance(slug, str)
    }


def parse_rule(rule: object, slug_ids: Mapping[str, int]) -> list[Clause]:
    """The clauses of a stored rule; RuleError names the first problem found."""
    if not isinstance(rule, list):
        raise RuleError("The rule must be a list of clauses.")
    return [_clause(n, raw, slug_ids) for n, raw in enumerate(rule, start=1)]


def selects(clauses: Iterable[Clause], event: EventFacts) -> bool:
    return any(clause.selects(event) for clause in clauses)


def _clause(n: int, raw: object, slug_ids: Mapping[str, int]) -> Clause:
    if not isinstance(raw, dict):
        raise RuleError(f"Clause {n} must be an object.")
    unknown = set(raw) - KEYS
    if unknown:
        raise RuleError(f"Clause {n} has unknown keys: {', '.join(sorted(map(str, unknown)))}.")
    types = _choices(n, raw, "types", EventType.values)
    roles = _choices(n, raw, "roles", Role.values)
    statuses = _choices(n, raw, "statuses", Status.values)
    slugs = _strings(n, raw, "entities")
    missing = sorted(slug for slug in slugs if slug not in slug_ids)
    if missing:
        raise RuleError(f"Clause {n} names unknown entities: {', '.join(missing)}.")
    return Clause(
        types=types,
        entity_ids=frozenset(slug_ids[slug] for slug in slugs),
        roles=roles,
        since=_date(n, raw, "since"),
        until=_date(n, raw, "until"),
        statuses=statuses,
    )


def _strings(n: int, raw: dict[str, object], key: str) -> list[str]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise RuleError(f"Clause {n}: {key!r} must be a list of strings.")
    return value


def _choices(n: int, raw: dict[str, object], key: str, allowed: list[str]) -> frozenset[str]:
    values = _strings(n, raw, key)
    wrong = sorted(set(values) - set(allowed))
    if wrong:
        raise RuleError(f"Clause {n}: unknown {key}: {', '.join(wrong)}.")
    return frozenset(values)


def _date(n: int, raw: dict[str, object], key: str) -> datetime.date | None:
    value = raw.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise RuleError(f"Clause {n}: {key!r} must be a date like 2025-03-28.")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise RuleError(f"Clause {n}: {key!r} must be a date like 2025-03-28.") from None
