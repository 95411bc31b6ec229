"""Permits: a regulator, health department, permit board or utility approving what a site needs.
"R approved/granted/issued a permit for 15 turbines", "R granted A a permit", "A received a
permit from R", "R signed off on A's plan", "A's permit was approved by R", and a utility's
"R approved 150 MW of power for A" (the utility is the REGULATOR).

The approval must be of something a site needs (a permit, licence, variance, zoning, power,
turbines): "regulators approved the acquisition" is not a permit. A refused permit ("R denied
A's permit", "voted down") gives no finding: a denied status means a disputed claim, not a
refusal, and a refusal is no permit.
"""

import re

from apps.events.rules.base import COMPANY, Finding, Named, Rule, Sentence
from apps.events.rules.parties import (
    Dates,
    Span,
    clause_at,
    clauses,
    cluster_mentions,
    entity_ids,
    group_after,
    hedged,
    is_authority,
    is_possessive,
    names_in,
    quantities_of,
    subject,
    withdrawn,
)
from apps.events.rules.quantities import Quantity
from apps.events.rules.status import status_of
from apps.events.vocabulary import EventType, Role, Status

NAME = "permit"
VERSION = 1

_KINDS = ("turbines", "power_mw")
_KEYWORD = re.compile(
    r"(?i)approv|grant|issu|award|authori[sz]|sign(?:ed|s)?\s+off|green|go-ahead|permit|licen[cs]"
)
_APPROVE = r"""(?:approved|approves|approving|approve|granted|grants|granting|grant|issued
    |issues|issuing|issue|awarded|awards|award|authori[sz]ed|authori[sz]es|authori[sz]e|renewed
    |renews|okayed|OK['\u2019]d|green-?lit|sign(?:ed|s)?\s+off\s+on)"""
_ACTIVE = re.compile(
    rf"""(?i)\b(?:{_APPROVE}|gave\s+(?:\w+\s+){{0,2}}?(?:approval|the\s+green\s+light
    |the\s+go-ahead|permission|(?:an?\s+)?(?:\w+\s+)?(?:permit|licen[cs]e)s?))\b""",
    re.VERBOSE,
)
_PASSIVE = re.compile(
    rf"""(?i)\b(?:was|were|is|are|been|being|got|gets|get)\s+(?:\w+ly\s+)?(?:{_APPROVE}|given)\b""",
    re.VERBOSE,
)
_RECEIVE = re.compile(
    r"""(?i)\b(?:received|receives|receiving|obtained|obtains|secured|secures|won|wins|got|gets
    |landed|lands)\s+(?:\w+\s+){0,3}?(?:permits?|approvals?|licen[cs]es?|variances?
    |the\s+green\s+light|the\s+go-ahead|sign-off|permission)\b""",
    re.VERBOSE,
)
# What a site needs; one of them must sit in the approval's clause.
_OBJECT = re.compile(
    r"""(?i)\b(?:permits?|licen[cs]es?|variances?|zoning|rezoning|interconnection|power|electricity
    |megawatts?|gigawatts?|MW|GW|turbines?|substation|wastewater|water\s+use)\b""",
    re.VERBOSE,
)
# Approvals of deals belong to the corporate rules.
_DEAL = re.compile(
    r"""(?i)\s+(?:\w+['\u2019]s\s+|the\s+|a\s+|its\s+|\w+\s+){0,3}?(?:acquisition|merger|deal
    |takeover|purchase|sale|funding|investment|round|budget|contract|model|release)\b""",
    re.VERBOSE,
)
_REFUSAL = re.compile(
    r"""(?i)\b(?:denied|denies|deny|denying|rejected|rejects|refused|refuses|turned\s+down|declined
    |revoked|revokes|voted\s+(?:down|against)|blocked|blocks|overturned|suspended|rescinded
    |withheld)\b(?!\s+(?:that|reports?|claims?|the\s+reports?|it\s+had|to\s+comment|comment))""",
    re.VERBOSE,
)
_NOT_APPROVED = re.compile(
    r"""(?i)\b(?:not|never|n[\u2019']t)\s+(?:yet\s+)?(?:been\s+)?(?:\w+ly\s+)?(?:approv\w*|grant\w*
    |issu\w*|award\w*|authori[sz]\w*|receiv\w*|obtain\w*|secur\w*|sign\w*|give[ns]?)\b
    |\byet\s+to\s+(?:be\s+)?(?:approv|grant|issu|receiv|obtain|secur)\w*
    |\bno\s+(?:\w+\s+)?(?:permits?|licen[cs]es?|approval)\b""",
    re.VERBOSE,
)
# Someone asking a regulator to approve is not an approval: "urged the board to issue".
_ASKED_TO = re.compile(
    r"(?i)\b(?:urg|ask|call|press|petition|request|demand|want|push|lobb)\w*\b[^;]*\bto\s+\Z"
)
_SPECULATIVE = re.compile(
    r"""(?i)\b(?:could|might|may|would|hop(?:es|ed|ing)?\s+to|seek(?:s|ing)?\s+to|sought\s+to|wants?\s+to|plans?\s+to|aims?\s+to
    |trying\s+to|tries\s+to|needs?\s+to)\s+(?:\w+ly\s+)?(?:\w+\s+)?\Z""",
    re.VERBOSE,
)
_PARTICIPLE = re.compile(r"(?i)\b(?:permit|licen[cs]e|approval|variance)s?,?\s+\Z")
# A permit appealed or contested is one granted before, not a new one.
_CHALLENGED = re.compile(r"(?i)\b(?:appeal|challeng|contest|oppos|object)\w*\b")
_RELATIVE = re.compile(r"(?i)\b(?:that|which)\s+(?:the\s+)?\Z")
_AUXILIARY = re.compile(r"(?i)\s+(?:(?:had|has|have)\s+)?(?:\w+ly\s+)?")
_GENERIC_SUBJECT = re.compile(r"(?i)\b(?:regulators|officials|authorities)\b")
_FOR = re.compile(r"(?i)\b(?:to|for|allowing|allows|allow|letting|lets|permitting|enabling)\s")
_BY = re.compile(r"(?i)\b(?:by|from)\s")
_PERMIT_NOUN = re.compile(
    r"(?i)\b(?:(?:air|operating|construction|building|water|zoning|temporary)\s+)?"
    r"(?:permit|licen[cs]e|variance|rezoning)s?\b"
)

# A pronoun subject right before the verb: "it approved", "they had granted".
_IT_BEFORE = re.compile(r"(?i)\b(?:it|they)\s+(?:(?:had|has|have)\s+)?(?:also\s+)?\Z")

_Permit = tuple[Span, list[Named], list[Named]]  # trigger, regulators, applicants


def find(sentence: Sentence) -> list[Finding]:
    # "The department approved a permit for 15 turbines" may name no one: `recent` does.
    if not (sentence.names or sentence.recent) or not _KEYWORD.search(sentence.text):
        return []
    spans = clauses(sentence.text)
    dates = Dates(sentence)
    found: list[Finding] = []
    for trigger, regulators, applicants in _permits(sentence, spans):
        clause = clause_at(spans, trigger[0])
        finding = _finding(sentence, trigger, clause, regulators, applicants, dates, len(spans))
        if finding is not None and all(f.participants != finding.participants for f in found):
            found.append(finding)
    return found


def _permits(sentence: Sentence, spans: list[Span]) -> list[_Permit]:
    text = sentence.text
    permits: list[_Permit] = []
    passive = [(m.start(), m.end()) for m in _PASSIVE.finditer(text)]
    for start, end in passive:
        lo, hi = clause_at(spans, start)
        regulators = _after(sentence, _BY, end, hi)
        applicants = subject(sentence, lo, start, (COMPANY,)) or _possessor(sentence, lo, start)
        permits.append(((start, end), regulators, applicants + _applicants(sentence, end, hi)))
    for m in _ACTIVE.finditer(text):
        if any(a <= m.start() < b for a, b in passive) or _DEAL.match(text, m.end()):
            continue
        lo, hi = clause_at(spans, m.start())
        if _ASKED_TO.search(text, lo, m.start()) or _speculative(text, lo, m.start()):
            continue
        if _CHALLENGED.search(text, lo, m.start()) and not _granted_by(sentence, lo, m.start()):
            continue
        if _PARTICIPLE.search(text, lo, m.start()):
            # "the permit granted to xAI by the department": a participle, its agent after "by"
            regulators = _after(sentence, _BY, m.end(), hi)
        elif _IT_BEFORE.search(text, lo, m.start()):
            # "doubling the 150 MW it approved in 2024": "it" is the authority the sentence
            # is about, not the company named last ("for xAI's operations").
            regulators = [
                n for n in names_in(sentence, 0, m.start(), (COMPANY,)) if is_authority(n)
            ][:1]
        else:
            regulators = subject(sentence, lo, m.start(), (COMPANY,))
        applicants = group_after(sentence, m.end(), hi, (COMPANY,))
        applicants += _applicants(sentence, m.end(), hi)
        permits.append(((m.start(), m.end()), regulators, applicants))
    for m in _RECEIVE.finditer(text):
        lo, hi = clause_at(spans, m.start())
        if _speculative(text, lo, m.start()):
            continue
        regulators = _after(sentence, _BY, m.end(), hi)
        applicants = subject(sentence, lo, m.start(), (COMPANY,))
        permits.append(((m.start(), m.end()), regulators, applicants))
    return permits


def _speculative(text: str, lo: int, pos: int) -> bool:
    """ "The department could approve the permit next week", "xAI hopes to win": not yet (a
    reported expectation, "is poised to approve", is a rumour that `status_of` reads)."""
    return _SPECULATIVE.search(text, max(lo, pos - 40), pos) is not None


def _granted_by(sentence: Sentence, lo: int, pos: int) -> bool:
    """ "an appeal against a permit that the health department had issued": the relative clause
    still says who granted it, and when."""
    names = names_in(sentence, lo, pos, (COMPANY,))
    if not names or not is_authority(names[-1]):
        return False
    last = names[-1]
    return bool(
        _RELATIVE.search(sentence.text, max(lo, last.start - 20), last.start)
        and _AUXILIARY.fullmatch(sentence.text, last.end, pos)
    )


def _applicants(sentence: Sentence, pos: int, hi: int) -> list[Named]:
    """ "a permit to xAI", "150 MW for xAI", "allowing xAI to run", "xAI's request"."""
    text = sentence.text
    for m in _FOR.finditer(text, pos, hi):
        found = group_after(sentence, m.end(), hi, (COMPANY,))
        if found:
            return found
    return [n for n in names_in(sentence, pos, hi, (COMPANY,)) if is_possessive(text, n)][:1]


def _possessor(sentence: Sentence, lo: int, pos: int) -> list[Named]:
    """ "xAI's permit was approved": the possessive before the verb."""
    names = names_in(sentence, lo, pos, (COMPANY,))
    return [n for n in names if is_possessive(sentence.text, n)][-1:]


def _after(sentence: Sentence, word: re.Pattern[str], pos: int, hi: int) -> list[Named]:
    m = word.search(sentence.text, pos, hi)
    return group_after(sentence, m.end(), hi, (COMPANY,)) if m else []


def _finding(
    sentence: Sentence,
    trigger: Span,
    clause: Span,
    regulators: list[Named],
    applicants: list[Named],
    dates: Dates,
    clause_count: int,
) -> Finding | None:
    text = sentence.text
    lo, hi = clause
    words = text[lo:hi]
    quantities = [
        q for q in quantities_of(text) if q.kind in _KINDS and lo <= q.start and q.end <= hi
    ]
    if not regulators:
        regulators = _speaking_authority(sentence, clause, trigger)
    if not regulators or not (quantities or _OBJECT.search(words)) or _REFUSAL.search(words):
        return None
    status = _status(words)
    if status is None or withdrawn(words):
        return None
    status = hedged(status, text)
    regulator_ids = entity_ids(regulators)
    applicant_ids = [
        i
        for i in entity_ids(n for n in applicants if not is_authority(n))
        if i not in regulator_ids
    ]
    participants = [(Role.REGULATOR, i) for i in regulator_ids]
    participants += [(Role.COMPANY, i) for i in applicant_ids]
    clusters = [n for n in cluster_mentions(sentence) if lo <= n.start < hi]
    participants += [(Role.CLUSTER, i) for i in entity_ids(clusters)]
    return Finding(
        type=EventType.PERMIT,
        participants=tuple(participants),
        date=dates.near(trigger, clause, fallback=clause_count == 1),
        status=status,
        quantities=tuple(quantities),
        rule=NAME,
        version=VERSION,
        detail=_detail(text, words, quantities),
        trigger=trigger,
    )


def _speaking_authority(sentence: Sentence, clause: Span, trigger: Span) -> list[Named]:
    """ "Regulators approved 15 turbines, the health department said": an authority named in
    the clause stands for "regulators" or "officials"."""
    lo, hi = clause
    if not _GENERIC_SUBJECT.search(sentence.text, max(lo, trigger[0] - 30), trigger[0]):
        return []
    return [n for n in names_in(sentence, lo, hi, (COMPANY,)) if is_authority(n)][:1]


def _detail(text: str, words: str, quantities: list[Quantity]) -> str:
    """What was permitted: "15 gas turbines", "150 MW", else the permit's name ("air permit")."""
    if quantities:
        return ", ".join(text[q.start : q.end] for q in quantities)
    m = _PERMIT_NOUN.search(words)
    return m.group().lower() if m else ""


def _status(words: str) -> Status | None:
    if _NOT_APPROVED.search(words):
        return None
    return status_of(words)


RULE = Rule(name=NAME, version=VERSION, find=find)
