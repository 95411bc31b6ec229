"""Mergers: two or more companies become one ("A and B merged", "A merged with B", "A will
combine with B", "an all-stock merger of A and B").

When one side disappears into the other ("A merged into B", "B absorbed A") the acquisition rule
reads it as a takeover; this rule stays silent there. Every merged company is a MERGED
participant; fewer than two named companies is no finding.
"""

import re

from apps.events.rules.base import COMPANY, Finding, Named, Rule, Sentence
from apps.events.rules.clauses import Reader
from apps.events.vocabulary import EventType, Role

NAME = "merger"
VERSION = 1

_KEYWORDS = re.compile(r"(?i)merg|combin")
_VERB = r"merg(?:e|es|ed|ing)|combin(?:e|es|ed|ing)"
# "A merged with B", "A signed a merger agreement with B", "A's merger with B".
_WITH = re.compile(
    rf"""(?ix)\b(?P<v>(?:{_VERB})(?:\s+(?:its|their)\s+(?:business(?:es)?|operations))?
    |merger(?:\s+(?:agreement|deal|pact|talks|plan|proposal))?|tie-up)\s+with\s+"""
)
# "A and B merged", "A and B have agreed to combine", "A and B will merge their businesses".
_PLAIN = re.compile(
    rf"(?i)\b(?P<v>{_VERB})\b(?!\s+with\b|-|\s+(?:company|entity|group|business|firm|value|valuation|revenues?|market|total|capacity|power|effect|forces|with)\b)"
)
_INTO = re.compile(r"(?i)\s+into\s+")
# "the merger of A and B", "a merger between A and B".
_NOMINAL = re.compile(
    r"(?i)\b(?P<v>merger|combination|tie-up)\s+(?:of|between)\s+(?:(?:the\s+)?two\s+)?"
)
# "since the two companies combined": the two companies named last, in the sentence or before.
_PAIR = re.compile(
    r"(?i)\b(?:the|both)\s+(?:two|2)\s+(?:companies|firms|businesses|groups|sides|start-?ups"
    r"|labs|parties|outfits)\s+(?:(?:have|had|has|then|later|finally|formally)\s+)*"
    r"(?:agreed\s+to\s+|decided\s+to\s+|will\s+|would\s+)?$"
)
_ONE_ARGUMENT = re.compile(
    r"(?i)\s+(?:its|their|the)\s+(?:\w+\s+){0,2}(?:teams?|units?|divisions?)"
)


def find(sentence: Sentence) -> list[Finding]:
    if len(sentence.of_kind(COMPANY)) < 2 and not sentence.recent:
        return []
    if not _KEYWORDS.search(sentence.text):
        return []
    reader = Reader(sentence)
    findings: list[Finding] = []
    seen: set[frozenset[int]] = set()
    taken: list[tuple[int, int]] = []
    for m in _WITH.finditer(sentence.text):
        taken.append(m.span())
        scope = reader.scope(*m.span("v"))
        first = reader.following(m.end(), (COMPANY,), words=3)
        if first is not None:
            merged = [*reader.subjects(m.start(), scope), *reader.listed_after(first, (COMPANY,))]
            _add(findings, seen, reader, m, merged)
    for m in _NOMINAL.finditer(sentence.text):
        taken.append(m.span())
        first = reader.following(m.end(), (COMPANY,), words=3)
        if (
            m["v"].lower() == "combination"
            and reader.date(reader.scope(*m.span("v")), *m.span("v")) is None
        ):
            continue  # "the combination of A and B brings together": the deal talked about
        if first is not None:
            _add(findings, seen, reader, m, reader.listed_after(first, (COMPANY,), closed=True))
    for m in _PLAIN.finditer(sentence.text):
        if any(a <= m.start() < b for a, b in taken) or _ONE_ARGUMENT.match(sentence.text, m.end()):
            continue
        into = _INTO.match(sentence.text, m.end())
        if into and reader.following(into.end(), (COMPANY,), words=3):
            continue  # "A merged into B" is B's acquisition of A
        pair = _PAIR.search(sentence.text, max(0, m.start() - 60), m.start())
        if pair is not None:
            _add(findings, seen, reader, m, _pair(reader, pair.start()))
            continue
        _add(findings, seen, reader, m, reader.subjects(m.start(), reader.scope(*m.span("v"))))
    return findings


def _pair(reader: Reader, pos: int) -> list[Named]:
    """The two companies "the two companies" stands for: the last two named before `pos`, those
    of earlier sentences filling in."""
    named = [n for n in reversed(reader.sentence.names) if n.end <= pos and n.kind == COMPANY]
    recent = [n for n in reader.sentence.recent if n.kind == COMPANY]
    found: list[Named] = []
    for name in (*named, *recent):
        if all(name.entity_id != f.entity_id for f in found):
            found.append(name)
    return found[:2]


def _add(
    findings: list[Finding],
    seen: set[frozenset[int]],
    reader: Reader,
    m: re.Match[str],
    merged: list[Named],
) -> None:
    ids = list(dict.fromkeys(name.entity_id for name in merged))
    key = frozenset(ids)
    if len(ids) < 2 or key in seen:
        return
    start, end = m.span("v")
    scope = reader.scope(start, end)
    status = reader.status(scope, start)
    if status is None:
        return
    seen.add(key)
    findings.append(
        Finding(
            type=EventType.MERGER,
            participants=tuple((Role.MERGED, entity_id) for entity_id in ids),
            date=reader.date(scope, start, end),
            status=status,
            quantities=reader.usd(scope),
            rule=NAME,
            version=VERSION,
            trigger=(start, end),
        )
    )


RULE = Rule(name=NAME, version=VERSION, find=find)
