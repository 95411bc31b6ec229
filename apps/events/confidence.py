"""How sure are we of an event? Pure: what the evidence says in, a number from 0 to 1 out.

Confidence grows with independent sources: each independent outlet halves the remaining doubt.
Outlets are independent only when they did not copy each other: two articles in the same story
cluster (the same wire copy) or from the same outlet count once. A primary source (an article
on a participant's own site) takes away most of the doubt that is left. A rumour stays below the
review threshold however many outlets repeat it, and a denial lower still.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from apps.events.vocabulary import Status

REVIEW_BELOW = 0.6
_PER_SOURCE = 0.5
_PRIMARY_SHARE = 0.6
_CAPS = {Status.CONFIRMED: 0.99, Status.RUMOURED: 0.45, Status.DENIED: 0.2}


@dataclass(frozen=True)
class Support:
    outlet: int  # the source (feed) id
    story: int | None  # the story cluster id, when the article has copies elsewhere
    primary: bool


def independent_sources(supports: Iterable[Support]) -> int:
    """How many groups of articles did not copy each other: articles sharing an outlet or a
    story are one group (a union-find over both keys)."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def root(key: tuple[str, int]) -> tuple[str, int]:
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    for support in supports:
        outlet = root(("outlet", support.outlet))
        if support.story is not None:
            parent[root(("story", support.story))] = outlet
    return len({root(key) for key in parent if key[0] == "outlet"})


def confidence(supports: list[Support], *, status: str) -> float:
    if not supports:
        return 0.0
    score = 1 - (1 - _PER_SOURCE) ** independent_sources(supports)
    if any(s.primary for s in supports):
        score += (1 - score) * _PRIMARY_SHARE
    return round(min(score, _CAPS.get(Status(status), 0.99)), 3)
