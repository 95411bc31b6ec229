"""Reading a whole article: its sentences, with the entities linked in each, through every rule.

Pure: the linker's matches and the publication time in, findings with their sentences out.
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import groupby

from apps.entities.matching import Match
from apps.events.rules.base import Finding, Named, Rule, Sentence
from apps.events.rules.when import EventDate, find_dates

# How many entities of earlier sentences a pronoun may refer to: enough for "he" two sentences
# on, few enough that a long article's first paragraph is forgotten.
RECENT_KEPT = 6
# A timeline's date line is short: "August 13, 2025." or "Mid-March."
HEADING_MAX = 30


@dataclass(frozen=True)
class Found:
    finding: Finding
    sentence: str
    start: int  # the sentence's offsets in the linked document (title + "\n\n" + text)
    end: int


def read_article(
    document: str,
    matches: Sequence[Match],
    *,
    published: datetime.datetime,
    rules: Sequence[Rule],
    employers: Mapping[int, tuple[int, ...]] | None = None,
) -> list[Found]:
    found: list[Found] = []
    recent: list[Named] = []
    previous_end = 0
    by_sentence = groupby(matches, key=lambda m: (m.sentence_start, m.sentence_end))
    for (start, end), group in by_sentence:
        heading = _heading_date(document[previous_end:start], published)
        previous_end = end
        named = tuple(
            Named(
                entity_id=m.entity_id,
                kind=m.entity_type,
                start=m.start - start,
                end=m.end - start,
                surface=m.surface,
            )
            for m in group
        )
        sentence = Sentence(
            text=document[start:end],
            names=named,
            published=published,
            recent=tuple(recent),
            in_title=named[0].start + start < document.find("\n\n") if named else False,
            employers=employers or {},
            heading_date=heading,
        )
        for rule in rules:
            found += [
                Found(_dated(f, heading), sentence.text, start, end) for f in rule.find(sentence)
            ]
        recent = _remember(recent, named)
    return found


def _heading_date(between: str, published: datetime.datetime) -> EventDate | None:
    """The date of a short line right before the sentence that is nothing but a date:
    "April 2024.", "March 27:", "Late February." (a timeline's entries)."""
    line = between.strip().rsplit("\n", 1)[-1].strip()
    if not line or len(line) > HEADING_MAX:
        return None
    dates = find_dates(line, published=published)
    if len(dates) != 1:
        return None
    rest = line[: dates[0].start] + line[dates[0].end :]
    return dates[0] if not rest.strip(" .:;,-\u2013\u2014") else None


def _dated(finding: Finding, heading: EventDate | None) -> Finding:
    if finding.date is not None or heading is None:
        return finding
    return replace(finding, date=heading)


def _remember(recent: list[Named], named: tuple[Named, ...]) -> list[Named]:
    """The entities of the sentences so far, the most recently named first, each once."""
    newest = list(reversed(named))
    seen = {n.entity_id for n in newest}
    return (newest + [n for n in recent if n.entity_id not in seen])[:RECENT_KEPT]


def dedupe(found: list[Found]) -> list[Found]:
    """One finding per sentence, type and participants: two rules or two readings of the same
    words must not count as two reports."""
    kept: dict[tuple[int, str, frozenset[tuple[str, int]]], Found] = {}
    for item in found:
        key = (item.start, item.finding.type, frozenset(item.finding.participants))
        kept.setdefault(key, item)
    return list(kept.values())
