"""The alias matcher of this process, rebuilt only when aliases or entities change.

Building the automaton costs far more than linking one article, so each process keeps one and
checks, at most every few seconds, a fingerprint of the tables it was built from.
"""

import time
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Count, Max

from apps.entities.matching import AliasEntry, Matcher
from apps.entities.models import Affiliation, Alias, Company, ComputeCluster, Entity

# How stale a worker's matcher may be after a curator's edit (relink always rebuilds).
CHECK_EVERY_SECONDS = 5.0

_cached: tuple[tuple[object, ...], Matcher] | None = None
_checked_at = 0.0


def current_matcher(*, rebuild: bool = False) -> Matcher:
    global _cached, _checked_at
    now = time.monotonic()
    if _cached is not None and not rebuild and now - _checked_at < CHECK_EVERY_SECONDS:
        return _cached[1]
    _checked_at = now
    stamp = _fingerprint()
    if _cached is None or rebuild or _cached[0] != stamp:
        _cached = (stamp, build_matcher())
    return _cached[1]


def build_matcher() -> Matcher:
    return Matcher(_entries(), related=_related())


def _fingerprint() -> tuple[object, ...]:
    aliases = Alias.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    entities = Entity.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    affiliations = Affiliation.objects.aggregate(n=Count("id"), last=Max("id"))
    return (*aliases.values(), *entities.values(), *affiliations.values())


def _entries() -> Iterator[AliasEntry]:
    named = set()
    for alias in Alias.objects.select_related("entity").iterator(chunk_size=5000):
        named.add((alias.entity_id, alias.text))
        yield AliasEntry(
            entity_id=alias.entity_id,
            text=alias.text,
            case_sensitive=alias.case_sensitive,
            needs_context=alias.needs_context,
            entity_type=alias.entity.type,
        )
    # An entity a curator created without aliases is still found by its name.
    for entity_id, name, kind in Entity.objects.values_list("id", "name", "type"):
        if (entity_id, name) not in named:
            yield AliasEntry(entity_id, name, False, False, kind)


def _related() -> dict[int, set[int]]:
    """Entities whose plain mention makes an ambiguous name of another plausible, both ways:
    a company's parent and successor, a cluster's owner, a person's companies."""
    pairs: list[tuple[int, int | None]] = []
    pairs += Company.objects.values_list("id", "parent_id")
    pairs += Company.objects.values_list("id", "successor_id")
    pairs += ComputeCluster.objects.values_list("id", "owner_id")
    pairs += Affiliation.objects.values_list("person_id", "company_id")
    pairs += Affiliation.objects.values_list("person_id", "destination_id")
    related: dict[int, set[int]] = defaultdict(set)
    for one, other in pairs:
        if other is not None:
            related[one].add(other)
            related[other].add(one)
    return related
