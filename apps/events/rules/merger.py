"""Mergers: two or more companies become one ("A and B merged", "A merged with B", "A will
combine with B", "an all-stock merger of A and B").

When one side disappears into the other ("A merged into B", "B absorbed A") the acquisition rule
reads it as a takeover; this rule stays silent there. Every merged company is a MERGED
participant; fewer than two named companies is no finding.
"""

import itertools
import re

from apps.events.rules.base import COMPANY, Finding, Named, Rule, Sentence
from apps.events.rules.clauses import Reader
from apps.events.rules.parties import entity_ids
from apps.events.vocabulary import EventType, Role, Status

NAME = "merger"
VERSION = 2

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
# "A and B have completed their merger", "A and B announced a merger on Tuesday".
_DID_MERGER = re.compile(
    r"""(?ix)\b(?P<v>(?:complet|announc|agre|finali[sz]|seal|clos|approv|unveil|sign|struck|strik
    |confirm)\w*\s+(?:to\s+)?(?:a|an|the|their|its)\s+(?:[\w$.,-]+\s+){0,4}?(?:merger|combination
    |tie-up))\b(?!\s+(?:of|between|with|agreement\s+with)\b)"""
)
# "the SpaceX-xAI merger": the two sides joined by a hyphen or slash before the noun.
_PAIR_BEFORE = re.compile(r"\s*[-\u2010\u2013/]\s*$")
_MERGER_NOUN = re.compile(
    r"(?i)\s+(?P<v>merger|combination|tie-up)\b(?P<talks>\s+(?:talks|plans?|proposals?|bid))?"
)
# "Musk merged xAI and X": the companies as the objects of a person's or owner's verb.
_MERGE_OBJECTS = re.compile(r"(?i)\b(?P<v>merg(?:e|es|ed|ing)|combin(?:e|es|ed|ing))\s+")
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
    for m in _DID_MERGER.finditer(sentence.text):
        taken.append(m.span())
        _add(findings, seen, reader, m, reader.subjects(m.start(), reader.scope(*m.span("v"))))
    names = sentence.names
    for left, right in itertools.pairwise(names):
        noun = _MERGER_NOUN.match(sentence.text, right.end)
        if noun is None or not _PAIR_BEFORE.fullmatch(sentence.text, left.end, right.start):
            continue
        if left.kind == COMPANY and right.kind == COMPANY:
            taken.append(noun.span())
            _add(findings, seen, reader, noun, [left, right], talks=noun["talks"] is not None)
    for m in _MERGE_OBJECTS.finditer(sentence.text):
        first = reader.following(m.end(), (COMPANY,), words=2)
        if first is None or reader.subject(m.start(), reader.scope(*m.span("v"))) is not None:
            continue  # "A merged B into C" is C's acquisition, read by that rule
        listed = reader.listed_after(first, (COMPANY,), closed=True)
        if not _INTO.match(sentence.text, listed[-1].end):
            taken.append(m.span())
            _add(findings, seen, reader, m, listed)
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
    *,
    talks: bool = False,
) -> None:
    ids = entity_ids(merged)
    key = frozenset(ids)
    if len(ids) < 2 or key in seen:
        return
    start, end = m.span("v")
    scope = reader.scope(start, end)
    status = reader.status(scope, start)
    if status is None:
        return
    if talks and status == Status.CONFIRMED:
        status = Status.RUMOURED  # "the A-B merger talks": a deal not yet struck
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
