"""Partnerships: companies agree to work together ("A partnered with B", "A and B signed a deal",
"A struck a deal with B to use cluster C", "A will lease C to B", "a partnership between A and
B"). Every company is a PARTNER; a cluster named in the same clause is the CLUSTER.

Not every "with" is a partnership: only partnering verbs and deal nouns count, and a deal that is
really a takeover, a merger, a round or a settlement ("a deal to acquire B", "a merger agreement
with B") is left to the rules for those. A partnership that ends is no finding.
"""

import re

from apps.events.rules.base import CLUSTER, COMPANY, Finding, Named, Rule, Sentence
from apps.events.rules.clauses import Reader
from apps.events.vocabulary import EventType, Role

NAME = "partnership"
VERSION = 2

_KEYWORDS = re.compile(
    r"(?i)partner|team|forces|collaborat|all(?:y|ied|ies|iance)|deal|agreement|pact|contract"
    r"|memorandum|MOU|venture|tie-up|leas|\brent|sublet|\buse|\btak|\btook|\bon\b"
)
_DEAL = (
    r"(?:deal|agreement|partnership|pact|contract|alliance|collaboration|memorandum\s+of"
    r"\s+understanding|MOU|joint\s+venture|tie-up)s?"
)
_WITH_VERB = re.compile(
    r"""(?ix)\b(?P<v>partner(?:s|ed|ing)?|team(?:s|ed|ing)?\s+up|join(?:s|ed|ing)?\s+forces
    |collaborat(?:e|es|ed|ing)|all(?:y|ies|ied|ying)|work(?:s|ed|ing)?\s+(?:together|closely))
    \s+with\s+"""
)
_DEAL_VERB = re.compile(
    rf"""(?ix)\b(?P<v>sign(?:s|ed|ing)?|str(?:uck|ike|ikes|iking)|ink(?:s|ed|ing)?
    |reach(?:es|ed|ing)?|forg(?:e|es|ed|ing)|enter(?:s|ed|ing)?(?:\s+into)?|announc(?:e|es|ed|ing)
    |seal(?:s|ed|ing)?|clinch(?:es|ed|ing)?|cut|form(?:s|ed|ing)?|launch(?:es|ed|ing)?
    |expand(?:s|ed|ing)?|renew(?:s|ed|ing)?|extend(?:s|ed|ing)?|finaliz(?:e|es|ed|ing)
    |finalis(?:e|es|ed|ing))\s+(?P<deal>(?:[\w$.,'\u2019-]+\s+){{0,5}}?{_DEAL})\b
    (?P<with>(?:\s+(?:called|named|dubbed)\s+\S+)?\s+with\s+)?"""
)
# "A and B are partners on C", "A became a partner of B".
_PARTNERS = re.compile(
    r"(?i)\b(?P<v>(?:are|were|became|become|have\s+been)\s+(?:\w+\s+)?partners)\b"
    r"(?P<with>\s+(?:with|of)\s+)?"
)
_NOMINAL = re.compile(rf"(?i)\b(?P<v>{_DEAL})\s+(?P<how>between|with)\s+")
_LEASE = re.compile(r"(?i)\b(?P<v>leas(?:e|es|ed|ing)|rent(?:s|ed|ing)?|sublet(?:s|ting)?)\b")
# "A agreed to let B use C", "A said B would take over C": one company runs on another's
# cluster. The tenant is the verb's subject; the owner lets it, or announces it.
_USE_CLUSTER = re.compile(
    r"""(?ix)\b(?P<v>t(?:ake|akes|ook|aking)\s+over|use|uses|using|run\s+on|runs\s+on|train
    |trains\s+on|move\s+(?:its\s+)?(?:workloads?|training)\s+(?:on)?to|rent|lease)\s+
    (?:(?:all|most|much|part|some|the\s+whole)\s+of\s+|capacity\s+(?:at|on|in)\s+)?(?:the\s+)?"""
)
_LETS = re.compile(r"(?i)\b(?:let|lets|letting|allow(?:s|ed|ing)?|permit(?:s|ted|ting)?)\s+$")
_SAID_THAT = re.compile(
    r"""(?ix)\b(?:said|says|announced|announces|confirmed|confirms|disclosed)\s+
    (?:(?:on|last|this)\s+\w+\s+|in\s+a\s+[\w\s]{1,30}?\s+)?that\s+$"""
)
_UNDER_DEAL = re.compile(
    r"""(?ix)\b(?:under|through|as\s+part\s+of)\s+(?:an?|the|its|their)\s+(?:[\w-]+\s+)?
    (?:agreement|deal|arrangement|contract|lease|pact)\s+(?:with\s+|that\s+|which\s+)?"""
)
_TO_FROM = re.compile(r"(?i)\s(?:to|from)\s+")
# Deals that another rule reads, or that are not between partners at all.
_OTHER_DEAL = re.compile(
    r"""(?ix)(?:merger|acquisition|purchase|takeover|buyout|settlement|plea|funding|financing
    |investment|severance|employment|non-compete|separation|trade)\b"""
)
_OTHER_AFTER = re.compile(
    r"(?i)\s*(?:to|that\s+would)\s+(?:acquire|buy|purchase|merge|sell|settle|invest|fund|take\s+over)"
)
_ENDED = re.compile(
    r"(?i)\b(?:end(?:s|ed|ing)|terminat\w+|cancel\w*|scrap(?:s|ped)|broke\s+off|pull(?:s|ed)\s+out"
    r"|walk(?:s|ed)\s+away|expir\w+|tore\s+up|dissolv\w+|unwound|collaps\w+)\b"
)


def find(sentence: Sentence) -> list[Finding]:
    if len(sentence.of_kind(COMPANY)) < 2 and not sentence.recent:
        return []
    if not _KEYWORDS.search(sentence.text):
        return []
    reader = Reader(sentence)
    text = sentence.text
    findings: list[Finding] = []
    seen: set[frozenset[int]] = set()
    for m in _WITH_VERB.finditer(text):
        partners = _with(reader, m, m.end())
        _add(findings, seen, reader, m, partners)
    for m in _PARTNERS.finditer(text):
        if m["with"]:
            _add(findings, seen, reader, m, _with(reader, m, m.end()))
        else:
            _add(findings, seen, reader, m, reader.subjects(m.start(), reader.scope(*m.span("v"))))
    for m in _DEAL_VERB.finditer(text):
        if _OTHER_DEAL.search(m["deal"]) or _OTHER_AFTER.match(text, m.end()):
            continue
        if m["with"]:
            partners = _with(reader, m, m.end())
        else:
            partners = reader.subjects(m.start(), reader.scope(*m.span("v")))
        _add(findings, seen, reader, m, partners)
    for m in _NOMINAL.finditer(text):
        before = text[max(0, m.start() - 30) : m.start()]
        if _OTHER_DEAL.search(before.split()[-1] if before.split() else ""):
            continue  # "merger agreement with", "settlement deal with"
        first = reader.following(m.end(), (COMPANY,), words=3)
        if first is None:
            continue
        between = m["how"].lower() == "between"
        listed = reader.listed_after(first, (COMPANY,), closed=between)
        if not between:
            listed = [*reader.subjects(m.start(), reader.scope(*m.span("v"))), *listed]
        end = listed[-1].end
        if not _OTHER_AFTER.match(text, end):
            _add(findings, seen, reader, m, listed)
    for m in _LEASE.finditer(text):
        _add(findings, seen, reader, m, _lease(reader, m))
    for m in _USE_CLUSTER.finditer(text):
        _add(findings, seen, reader, m, _tenancy(reader, m))
    return findings


def _tenancy(reader: Reader, m: re.Match[str]) -> list[Named]:
    """ "A agreed to let B use all of C", "A said that B would take over C": the owner A and
    the tenant B of the cluster C right after the verb."""
    if reader.following(m.end(), (CLUSTER,), words=2) is None:
        return []
    scope = reader.scope(*m.span("v"))
    tenant = reader.subject(m.start(), scope)
    if tenant is None or tenant not in reader.sentence.names:
        return []
    under = _UNDER_DEAL.search(reader.text, m.end(), scope.end)
    if under is not None:
        # "B will take over C under an agreement A announced on Wednesday"
        owner = reader.following(under.end(), (COMPANY,), words=2)
        if owner is not None and owner.entity_id != tenant.entity_id:
            return [owner, tenant]
    head = reader.text[max(0, tenant.start - 60) : tenant.start]
    verb = _LETS.search(head) or _SAID_THAT.search(head)
    if verb is None:
        return []
    pos = tenant.start - len(head) + verb.start()
    owner = reader.subject(pos, reader.scope(pos, pos + 1))
    return [] if owner is None else [owner, tenant]


def _with(reader: Reader, m: re.Match[str], pos: int) -> list[Named]:
    first = reader.following(pos, (COMPANY,), words=3)
    if first is None:
        return []
    subjects = reader.subjects(m.start(), reader.scope(*m.span("v")))
    return [*subjects, *reader.listed_after(first, (COMPANY,))]


def _lease(reader: Reader, m: re.Match[str]) -> list[Named]:
    """ "A will lease C to B", "B leased capacity at C from A": the lessor and the tenant."""
    scope = reader.scope(*m.span("v"))
    subject = reader.subject(m.start(), scope)
    other = None
    for to in _TO_FROM.finditer(reader.text, m.end(), min(scope.end, m.end() + 80)):
        other = reader.following(to.end(), (COMPANY,), words=3)
        if other is not None:
            break
    if subject is None or other is None:
        return []
    has_cluster = any(
        n.kind == CLUSTER and scope.holds(n.start, n.end) for n in reader.sentence.names
    )
    return [subject, other] if has_cluster or _DEAL_WORD.search(reader.text) else []


_DEAL_WORD = re.compile(rf"(?i)\b{_DEAL}|\b(?:capacity|compute|data\s+cent(?:er|re)s?|servers?)\b")


def _add(
    findings: list[Finding],
    seen: set[frozenset[int]],
    reader: Reader,
    m: re.Match[str],
    partners: list[Named],
) -> None:
    ids = list(dict.fromkeys(n.entity_id for n in partners if n.kind == COMPANY))
    key = frozenset(ids)
    if len(ids) < 2 or key in seen:
        return
    start, end = m.span("v")
    scope = reader.scope(start, end)
    status = reader.status(scope, start)
    if status is None or _ENDED.search(scope.text(reader.text)):
        return
    seen.add(key)
    clusters = [
        n.entity_id
        for n in reader.sentence.names
        if n.kind == CLUSTER and scope.holds(n.start, n.end)
    ]
    findings.append(
        Finding(
            type=EventType.PARTNERSHIP,
            participants=(
                *((Role.PARTNER, entity_id) for entity_id in ids),
                *((Role.CLUSTER, entity_id) for entity_id in dict.fromkeys(clusters)),
            ),
            date=reader.date(scope, start, end),
            status=status,
            quantities=reader.usd(scope),
            rule=NAME,
            version=VERSION,
            trigger=(start, end),
        )
    )


RULE = Rule(name=NAME, version=VERSION, find=find)
