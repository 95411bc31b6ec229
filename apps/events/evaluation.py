"""Scoring event extraction against hand-written labels. Pure: events in, counts out.

An extracted event counts as right for an article when the labels of that article hold an
event of the same type (an acquisition and a merger of the same companies count as the same)
and status whose key participants (the person who left, the company
acquired: apps.events.identity.KEY_ROLES) overlap, and whose other named roles do not
contradict it. Each label is matched at most once. Dates are scored apart, on the matched pairs:
a date is right when it falls in the label's day, month or year.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from apps.events.identity import CHECKED_ROLES, KEY_ROLES
from apps.events.vocabulary import EventType, Role, Status


@dataclass(frozen=True)
class Labelled:
    article: str
    type: str
    status: str
    date: datetime.date
    precision: str  # day | month | year
    participants: frozenset[tuple[str, str]]  # (role, entity slug)

    def slugs(self, role: str) -> set[str]:
        return {slug for r, slug in self.participants if r == role}


@dataclass
class Score:
    right: int = 0
    wrong: int = 0  # extracted, but no label agrees
    missed: int = 0  # labelled, but nothing extracted agrees
    dated_right: int = 0
    wrong_items: list[Labelled] = field(default_factory=list)
    missed_items: list[Labelled] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.right + self.wrong
        return self.right / found if found else 1.0

    @property
    def recall(self) -> float:
        labelled = self.right + self.missed
        return self.right / labelled if labelled else 1.0


COMBINATIONS = frozenset({EventType.ACQUISITION, EventType.MERGER})
_COMBINED_ROLES = frozenset({Role.ACQUIRER, Role.ACQUIRED, Role.MERGED})


def agrees(label: Labelled, found: Labelled) -> bool:
    if label.status != found.status:
        return False
    if label.type in COMBINATIONS and found.type in COMBINATIONS and label.type != found.type:
        # "X was folded into xAI" is a merger to one reader and an acquisition to another: the
        # same two companies became one, and that is what is scored.
        return _combined(label) == _combined(found)
    if label.type != found.type:
        return False
    for role in KEY_ROLES.get(label.type, ()):
        if not label.slugs(role) & found.slugs(role):
            return False
    for role in CHECKED_ROLES.get(label.type, ()):
        ours, theirs = label.slugs(role), found.slugs(role)
        if ours and theirs and not ours & theirs:
            return False
    return True


def _combined(event: Labelled) -> set[str]:
    return {slug for role, slug in event.participants if role in _COMBINED_ROLES}


def date_right(label: Labelled, found: Labelled) -> bool:
    if label.precision == "year":
        return found.date.year == label.date.year
    if label.precision == "month":
        return (found.date.year, found.date.month) == (label.date.year, label.date.month)
    return found.date == label.date


def score(labels: Iterable[Labelled], extracted: Iterable[Labelled]) -> dict[str, Score]:
    """Per event type, over every article."""
    by_article: dict[str, tuple[list[Labelled], list[Labelled]]] = defaultdict(lambda: ([], []))
    for labelled in labels:
        by_article[labelled.article][0].append(labelled)
    for found in extracted:
        by_article[found.article][1].append(found)
    scores: dict[str, Score] = defaultdict(Score)
    for wanted, got in by_article.values():
        unmatched = list(wanted)
        for found in got:
            label = next((lab for lab in unmatched if agrees(lab, found)), None)
            kind = scores[found.type]
            if label is None:
                kind.wrong += 1
                kind.wrong_items.append(found)
                continue
            unmatched.remove(label)
            kind.right += 1
            kind.dated_right += date_right(label, found)
        for label in unmatched:
            scores[label.type].missed += 1
            scores[label.type].missed_items.append(label)
    return dict(scores)


def false_confirmations(labels: Iterable[Labelled], extracted: Iterable[Labelled]) -> int:
    """Extracted as confirmed where the article only reports a rumour or a denial of that
    event: a confirmed extraction that no confirmed label of its article accounts for, but a
    hedged one does (same type and participants, and its date agrees with the label's)."""
    wanted = list(labels)
    count = 0
    for found in extracted:
        if found.status != Status.CONFIRMED:
            continue
        same_article = [lab for lab in wanted if lab.article == found.article]
        if any(lab.status == Status.CONFIRMED and agrees(lab, found) for lab in same_article):
            continue
        count += any(
            lab.status != Status.CONFIRMED
            and agrees(replace(lab, status=Status.CONFIRMED), found)
            and date_right(lab, found)
            for lab in same_article
        )
    return count
