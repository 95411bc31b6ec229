"""Reading a whole article: its sentences, with the entities linked in each, through every rule.

Pure: the linker's matches and the publication time in, findings with their sentences out.
"""

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import groupby

from apps.entities.matching import TITLE_SEPARATOR, Match
from apps.entities.sentences import split_sentences
from apps.events.rules.base import PERSON, Finding, Named, Rule, Sentence
from apps.events.rules.when import EventDate, find_dates

# How many entities of earlier sentences a pronoun may refer to: enough for "he" two sentences
# on, few enough that a long article's first paragraph is forgotten.
RECENT_KEPT = 6
# A timeline's date line is short: "August 13, 2025." or "Mid-March."
HEADING_MAX = 30
# A sentence that names no entity still reports one when it refers back to an earlier one.
_REFERS_BACK = re.compile(
    r"\b(?:he|she|they|it|his|her|their|its|the\s+(?:company|start-?up|firm|lab|group|"
    r"supercomputer|cluster|site|facility|data\s+cent(?:er|re)|plant|department|board|agency|"
    r"utility|business|chatbot\s+maker|ai\s+company))\b",
    re.IGNORECASE,
)


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
    about: frozenset[int] = frozenset(),
) -> list[Found]:
    """Every finding of every rule in the article, in order. A sentence reaches the rules when it
    names a known entity, or refers back to one ("He left in March", "the start-up raised
    $6 billion") after the article has named some."""
    found: list[Found] = []
    recent: list[Named] = []
    heading: EventDate | None = None
    title_end = document.find(TITLE_SEPARATOR)
    headline = frozenset(m.entity_id for m in matches if m.start < title_end)
    by_sentence = {
        span: list(group)
        for span, group in groupby(matches, key=lambda m: (m.sentence_start, m.sentence_end))
    }
    for start, end in split_sentences(document):
        text = document[start:end]
        group = by_sentence.get((start, end), [])
        if not group:
            line_date = _date_line(text, published)
            if line_date is not None:
                heading = line_date
                continue
            if not recent or not _REFERS_BACK.search(text):
                heading = None
                continue
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
            text=text,
            names=named,
            published=published,
            recent=tuple(recent),
            in_title=start < title_end,
            employers=employers or {},
            heading_date=heading,
            about=about,
            headline=headline,
        )
        for rule in rules:
            found += [Found(_dated(f, heading), text, start, end) for f in rule.find(sentence)]
        recent = _remember(recent, named, keep=headline)
        heading = None
    return found


def _date_line(text: str, published: datetime.datetime) -> EventDate | None:
    """The date of a short sentence that is nothing but a date: "April 2024.", "March 27:",
    "Late February." (a timeline's entries, which date the sentence after them)."""
    line = text.strip()
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


def _remember(
    recent: list[Named], named: tuple[Named, ...], *, keep: frozenset[int] = frozenset()
) -> list[Named]:
    """The entities of the sentences so far, the latest sentence's first, each once. Within a
    sentence, people in the order named (its subject leads: "Kosic, who launched xAI with Musk,
    has left"), other entities the last named first. Those the title names (`keep`) stay in
    mind however long ago: "the company" ten sentences into a story headlined on xAI."""
    people = [n for n in named if n.kind == PERSON]
    newest = people + [n for n in reversed(named) if n.kind != PERSON]
    seen = {n.entity_id for n in newest}
    kept = (newest + [n for n in recent if n.entity_id not in seen])[:RECENT_KEPT]
    held = {n.entity_id for n in kept}
    return kept + [n for n in recent if n.entity_id in keep and n.entity_id not in held]


def dedupe(found: list[Found]) -> list[Found]:
    """One finding per sentence, type, participants, date and figures: two rules or two readings
    of the same words must not count as two reports, while a recap's "$6 billion in May and
    another $6 billion in December" are two."""
    kept: dict[tuple[object, ...], Found] = {}
    for item in found:
        finding = item.finding
        date = (finding.date.date, finding.date.precision) if finding.date else None
        figures = frozenset((q.kind, q.role, q.value) for q in finding.quantities)
        key = (item.start, finding.type, frozenset(finding.participants), date, figures)
        kept.setdefault(key, item)
    return list(kept.values())
