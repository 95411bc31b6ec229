"""Acquisitions: one party buys a company, or a site or building (a cluster entity).

Read from verbs in both voices ("A acquired B", "B was bought by A", "B, now owned by A"), from
nouns ("A's takeover of B", "the purchase of B by A"), from "B merged into A" and "A absorbed B"
(one side disappears into the other: an acquisition, not a merger) and from sales ("A sold B to
C"). The bought thing must follow the verb closely, so "bought 350,000 Nvidia chips" or "bought a
stake in B" is not a takeover of Nvidia or B.
"""

import re

from apps.events.rules.base import CLUSTER, COMPANY, PERSON, Finding, Named, Rule, Sentence
from apps.events.rules.clauses import Reader
from apps.events.vocabulary import EventType, Role

NAME = "acquisition"
VERSION = 1

# Substrings of the lower-cased text, a cheap first test (most sentences report no purchase).
_KEYWORDS = (
    "acqui", "buy", "bought", "purchas", "takeover", "take-over", "ake over", "aken over",
    "ook over", "aking over", "snap", "scoop", "absorb", "swallow", "into", "owned", "part of",
    "subsidiary of", "unit of", "division of", "sold", "sell",
)  # fmt: skip
# Checked first, so that "was acquired by" is not read as "acquired".
_PASSIVE = re.compile(
    r"""(?ix)\b(?P<v>acquired|bought|purchased|taken\s+over|snapped\s+up|scooped\s+up|absorbed
    |swallowed(?:\s+up)?|(?:now|since)\s+(?:wholly\s+|fully\s+|majority[\s-])?owned)\s+by\b
    | \b(?P<to>sold)\s+to\b"""
)
_ACTIVE = re.compile(
    r"""(?ix)\b(?P<v>acquir(?:e|es|ed|ing)|buy(?:s|ing)?|bought|purchas(?:e|es|ed|ing)
    |snap(?:s|ped|ping)?\s+up|scoop(?:s|ed|ing)?\s+up|t(?:ake|akes|ook|aking)\s+over
    |absorb(?:s|ed|ing)?|swallow(?:s|ed|ing)?(?:\s+up)?)\b(?![-\u2010](?:in|back|out)\b)"""
)
_NOMINAL = re.compile(
    r"(?i)\b(?P<v>acquisition|purchase|takeover|take-over|buyout|buy-out)\s+of\s+(?:the\s+)?"
)
# "B merged into A", "B is now part of A", "B became a subsidiary of A": B is the bought one.
_INTO = re.compile(
    r"""(?ix)\b(?P<v>merg(?:e|es|ed|ing)\s+into|fold(?:s|ed)?\s+into|(?:now|became|become|becomes)
    \s+(?:a\s+)?(?:part|(?:wholly[\s-]owned\s+)?(?:subsidiary|unit|division))\s+of)\s+"""
)
_SALE = re.compile(r"(?i)\b(?P<v>sold|sells|selling|sell)\s+")
_BY = re.compile(r"\s+by\s+")
_TO = re.compile(r"(?i)(?:\s+(?:for|in)\s+[^,;]{1,40}?)?\s+to\s+")
_ITSELF = re.compile(r"(?i)itself\s+to\s+")
# After the bought name: "Nvidia chips", "Tesla shares", "X's assets" name a purchase of goods.
_GOODS_AFTER = re.compile(
    r"""(?x)(?:['\u2019]s?\b
    | [-\s]+(?i:shares?|stock|stakes?|chips?|gpus?|servers?|hardware|products?|services?
        |software|equipment|ads?|advertising|credits?|compute|capacity|cloud|licen[cs]es?|data
        |tokens?|accelerators?|systems?|subscriptions?|bonds?|debt|assets?|devices?|phones?
        |cars?|vehicles?|trucks?|robots?|satellites?|rockets?|api|access|tickets?|premium
        |power|electricity|energy|gas|land)\b
    | [-\s]+[A-Z]{1,3}\d{2,4}\w*\b)"""
)

_BUYERS = (COMPANY, PERSON)
_BOUGHT = (COMPANY, CLUSTER)


def find(sentence: Sentence) -> list[Finding]:
    names = sentence.names
    if len(names) < 2 and not (names and sentence.recent):
        return []
    if not any(k in sentence.text.lower() for k in _KEYWORDS):
        return []
    reader = Reader(sentence)
    found: dict[tuple[int, int], Finding] = {}
    taken: list[tuple[int, int]] = []
    for m in _PASSIVE.finditer(sentence.text):
        taken.append(m.span())
        verb = "v" if m["v"] else "to"
        acquirer = reader.following(m.end(), _BUYERS)
        for acquired in reader.subjects(m.start(), reader.scope(*m.span(verb)), _BOUGHT):
            _add(found, reader, m, acquirer, acquired)
    for m in _INTO.finditer(sentence.text):
        acquirer = reader.following(m.end(), _BUYERS, words=3)
        for acquired in reader.subjects(m.start(), reader.scope(*m.span("v")), _BOUGHT):
            _add(found, reader, m, acquirer, acquired)
    for m in _NOMINAL.finditer(sentence.text):
        _add(found, reader, m, *_nominal(reader, m))
    for m in _ACTIVE.finditer(sentence.text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        scope = reader.scope(*m.span("v"))
        for acquirer in reader.subjects(m.start(), scope, _BUYERS):
            for acquired in _objects(reader, m.end()):
                _add(found, reader, m, acquirer, acquired)
    for m in _SALE.finditer(sentence.text):
        if not any(a <= m.start() < b for a, b in taken):
            _add(found, reader, m, *_sale(reader, m))
    return list(found.values())


def _nominal(reader: Reader, m: re.Match[str]) -> tuple[Named | None, Named | None]:
    acquired = reader.following(m.end(), _BOUGHT, words=4)
    if acquired is None or _GOODS_AFTER.match(reader.text, acquired.end):
        return None, None
    by = _BY.match(reader.text, acquired.end)
    if by:
        return reader.following(by.end(), _BUYERS, words=3), acquired
    return reader.subject(m.start(), reader.scope(*m.span("v")), _BUYERS), acquired


def _objects(reader: Reader, pos: int) -> list[Named]:
    first = reader.following(pos, _BOUGHT)
    if first is None:
        return []
    listed = reader.listed_after(first, _BOUGHT)
    return [n for n in listed if not _GOODS_AFTER.match(reader.text, n.end)]


def _sale(reader: Reader, m: re.Match[str]) -> tuple[Named | None, Named | None]:
    """ "A sold B to C", "A agreed to sell itself to C"."""
    scope = reader.scope(*m.span("v"))
    itself = _ITSELF.match(reader.text, m.end())
    if itself:
        acquired = reader.subject(m.start(), scope, _BOUGHT)
        return reader.following(itself.end(), _BUYERS, words=3), acquired
    acquired = reader.following(m.end(), _BOUGHT, words=3)
    if acquired is None or _GOODS_AFTER.match(reader.text, acquired.end):
        return None, None
    to = _TO.match(reader.text, acquired.end)
    if to is None:
        return None, None
    return reader.following(to.end(), _BUYERS, words=3), acquired


def _add(
    found: dict[tuple[int, int], Finding],
    reader: Reader,
    m: re.Match[str],
    acquirer: Named | None,
    acquired: Named | None,
) -> None:
    if acquirer is None or acquired is None or acquirer.entity_id == acquired.entity_id:
        return
    key = (acquirer.entity_id, acquired.entity_id)
    verb = "v" if m.groupdict().get("v") else "to"
    start, end = m.span(verb)
    scope = reader.scope(start, end)
    status = reader.status(scope, start)
    if status is None or key in found:
        return
    found[key] = Finding(
        type=EventType.ACQUISITION,
        participants=((Role.ACQUIRER, acquirer.entity_id), (Role.ACQUIRED, acquired.entity_id)),
        date=reader.date(scope, start, end),
        status=status,
        quantities=reader.usd(scope),
        rule=NAME,
        version=VERSION,
        trigger=(start, end),
    )


RULE = Rule(name=NAME, version=VERSION, find=find)
