"""Legal notices: the step before a suit. "A sent B a notice of intent to sue", "A threatened to
sue B", "A sent a letter to B demanding...", "A issued a cease-and-desist to B", "B received a
notice of intent to sue from A".

The sender is the PLAINTIFF (with whoever it acts for: "on behalf of the NAACP"), the recipient
the DEFENDANT. A notice about a cluster with no recipient named ("a notice of intent to sue over
the turbines at Colossus") still counts: the cluster says what it is about.

"A warned B that it would sue": the "it" of a clause told to B is A, never B. "The notice of
intent, served by A, names B": the notice may come first and its sender and recipient after.
"""

import re

from apps.events.rules.base import COMPANY, PERSON, Finding, Named, Rule, Sentence
from apps.events.rules.parties import (
    Dates,
    Span,
    clause_at,
    clauses,
    cluster_mentions,
    entity_ids,
    group_after,
    hedged,
    is_possessive,
    names_in,
    subject,
    withdrawn,
)
from apps.events.rules.status import status_of
from apps.events.vocabulary import EventType, Role, Status

NAME = "legal_notice"
VERSION = 1

_KEYWORD = re.compile(r"(?i)\bsue\b|notice|cease|letter|legal\s+action|litigation|lawsuit")
_NOTICE = re.compile(
    r"""(?i)\b(?:
        (?:formal\s+|(?:60|sixty)-day\s+)?notices?\s+of\s+(?:its\s+|their\s+|an?\s+)?intent(?:ion)?
          (?:\s+to\s+(?:sue|file\s+(?:a\s+)?(?:lawsuit|suit)))?
      | (?:its|their|his|her|an?)\s+intent(?:ion)?\s+to\s+sue
      | notices?\s+of\s+violation
      | cease[-\s]and[-\s]desist(?:\s+(?:letter|notice|order|demand)s?)?
      | (?:demand|warning|legal)\s+letters?
      | (?P<days>(?:\d+|thirty|sixty|ninety)[-\s]days?['\u2019]?\s+
        (?:formal\s+|legal\s+|written\s+)?notices?)
      | threats?\s+of\s+(?:an?\s+)?(?:lawsuit|legal\s+action|litigation|suit)
      | letters?
      | (?P<plain>(?:formal\s+|legal\s+|written\s+)?notice)(?=\s+(?:on|to|upon)\s)
    )""",
    re.VERBOSE,
)
_WORKFORCE = re.compile(
    r"(?i)\b(?:lay-?offs?|laid\s+off|employees|workers|staff|WARN|resign\w*|tenants?|landlord)\b"
)
# A plain letter is a legal notice only when it demands, warns or threatens.
_LETTER_DEMANDS = re.compile(
    r"(?i)\b(?:demand\w*|warn\w*|threat\w*|cease|legal\s+action|sue|lawsuit|litigation|violat\w*)"
)
_SEND = re.compile(
    r"""(?i)\b(?:sent|sends|sending|send|issued|issues|issuing|issue|served|serves|serving|filed
    |files|filing|delivered|delivers|mailed|fired\s+off|wrote|writes|hit|hits|slapped|gave|gives
    |handed|notified|notifies|notifying|informed|informs|told|announced|announces|declared
    |signall?ed)\b""",
    re.VERBOSE,
)
_RECEIVE = re.compile(
    r"""(?i)\b(?:received|receives|receiving|got|gets|faces|facing|faced|face
    |(?:was|were|been|being)\s+(?:sent|served
    |issued|given|handed|hit|slapped)(?:\s+with)?)\b""",
    re.VERBOSE,
)
_THREAT = re.compile(
    r"""(?i)\b(?:threaten(?:ed|s|ing)?|vow(?:ed|s|ing)?|warn(?:ed|s|ing)?|pledg(?:ed|es|ing)
    |promis(?:ed|es|ing)|plan(?:s|ned|ning)?|intend(?:s|ed|ing)?|prepar(?:ing|es|ed)
    |(?:would|will|['\u2019]ll))\s+(?:to\s+)?(?P<act>sue\b|(?:take|bring|file|pursue)\s+(?:\w+\s+){0,2}?
    (?:legal\s+action|lawsuit|suit|litigation|to\s+court))
    |\bthreaten(?:ed|s|ing)?\s+(?:(?:a|an|further|formal|possible)\s+)?(?P<object>legal\s+action
    |litigation|(?:a\s+)?(?:lawsuit|suit))(?=\s+(?:against|over|if|unless|on)\b)""",
    re.VERBOSE,
)
_THREATEN_WITH = re.compile(r"(?i)\bthreaten(?:ed|s|ing)?\b")
# "xAI was warned by the NAACP that it would face a lawsuit": the recipient is the subject.
_WARNED_BY = re.compile(
    r"""(?i)\b(?:was|were|been|being|is|are)\s+(?:\w+ly\s+)?(?:warned|told|notified|informed
    |threatened)\s+by\s(?=[^;]{1,80}?\b(?:sue|su(?:ed|ing)|lawsuit|suit|legal\s+action|litigation
    |court)\b)""",
    re.VERBOSE,
)
_WITH_LEGAL = re.compile(r"(?i)\s+with\s+(?:\w+\s+){0,2}?(?:legal\s+action|lawsuits?|litigation)")
_TO = re.compile(r"(?i)\b(?:to|against|on)\s")
_FROM = re.compile(r"(?i)\b(?:from|by)\s")
_ON_BEHALF = re.compile(r"(?i)\b(?:on\s+behalf\s+of|representing|acting\s+for)\s")
_NOT_SENT = re.compile(
    r"""(?i)\b(?:not|never|n[\u2019']t)\s+(?:yet\s+)?(?:been\s+)?(?:sen[dt]|issued?|threaten\w*
    |serve[ds]?|filed?|plan\w*|intend\w*|receive[ds]?)\b|\bno\s+plans?\s+to\b|\bruled\s+out\b""",
    re.VERBOSE,
)

# "A put B on notice that it will sue", "B was put on notice by A".
_ON_NOTICE = re.compile(
    r"""(?i)\b(?:(?P<passive>(?:was|were|been|being|is|are)\s+)?(?:put|puts|putting|placed|places
    |placing))\s+(?:[^,;]{1,60}?\s+)?on\s+(?:formal\s+)?notice\b""",
    re.VERBOSE,
)

# "The notice, served on Tuesday by the SELC, names xAI": the sender and the recipient after it.
_SENT_BY_AFTER = re.compile(
    r"""(?i),?\s+(?:(?:which|that)\s+(?:was|were)\s+)?(?:sent|served|issued|filed|delivered|mailed)
    \s+(?:[^,;]{0,40}?\s)?by\s""",
    re.VERBOSE,
)
_PASSIVE_BY_AFTER = re.compile(
    r"""(?i)\s+(?:[^,;]{0,40}?\s)?(?P<verb>(?:was|were|has\s+been|had\s+been)\s+(?:\w+ly\s+)?
    (?:sent|served|filed|issued|delivered|mailed|lodged))\s+(?:[^,;]{0,40}?\s)?by\s""",
    re.VERBOSE,
)
_ADDRESSED = re.compile(
    r"""(?i)\b(?:names|named|targets|targeted|accuses|accused|charges|(?:is|was)\s+addressed\s+to
    |(?:was|were)\s+sent\s+to
    |went\s+to)\s""",
    re.VERBOSE,
)
# "A warned B that it would sue": the clause told to B, whose pronoun subject is A.
_TOLD_THAT = re.compile(
    r"""(?i)\b(?P<verb>warn(?:ed|s|ing)?|told|tells|telling|notif(?:ied|ies|ying)|inform(?:ed|s|ing)
    |alert(?:ed|s|ing)|advis(?:ed|es|ing)|remind(?:ed|s|ing))\s+(?P<object>[^;]{0,80}?)\s*,?\s+
    (?:that\s+)?(?:it|they|he|she|the\s+(?:group|organi[sz]ation|company|firm))\s+(?:\w+\s+){0,2}\Z""",
    re.VERBOSE,
)

_Notice = tuple[Span, list[Named], list[Named]]


def find(sentence: Sentence) -> list[Finding]:
    if not sentence.names or not _KEYWORD.search(sentence.text):
        return []
    spans = clauses(sentence.text)
    dates = Dates(sentence)
    found: list[Finding] = []
    notices = _notices(sentence, spans) + _on_notice(sentence, spans) + _threats(sentence, spans)
    for trigger, senders, recipients in notices:
        clause = clause_at(spans, trigger[0])
        finding = _finding(sentence, trigger, clause, senders, recipients, dates, len(spans))
        if finding is not None and all(f.participants != finding.participants for f in found):
            found.append(finding)
    return found


def _notices(sentence: Sentence, spans: list[Span]) -> list[_Notice]:
    text = sentence.text
    notices: list[_Notice] = []
    for m in _NOTICE.finditer(text):
        lo, hi = clause_at(spans, m.start())
        if m.group().lower().startswith("letter") and not _LETTER_DEMANDS.search(text, m.end(), hi):
            continue
        if m["plain"] and not _LETTER_DEMANDS.search(text, lo, hi):
            continue  # "served notice on xAI that it will sue", not "gave notice to its staff"
        if (m["plain"] or m["days"]) and _WORKFORCE.search(text, lo, hi):
            continue  # the notice an employer owes its staff before layoffs
        received = _last(_RECEIVE, text, max(lo, m.start() - 60), m.start())
        sent = _last(_SEND, text, max(lo, m.start() - 60), m.start())
        if received is not None:
            recipients = subject(sentence, lo, received.start())
            senders = _after(sentence, _FROM, m.end(), hi)
        elif sent is not None:
            senders = subject(sentence, lo, sent.start())
            recipients = group_after(sentence, sent.end(), m.start())
            if not recipients:
                recipients = _recipient_after(sentence, m.end(), hi)
        elif by := _SENT_BY_AFTER.match(text, m.end(), hi):
            senders = group_after(sentence, by.end(), hi)
            recipients = _after(sentence, _ADDRESSED, by.end(), hi)
        elif by := _PASSIVE_BY_AFTER.match(text, m.end(), hi):
            # "A notice of intent to sue xAI was filed by the NAACP".
            senders = group_after(sentence, by.end(), hi)
            recipients = _recipient_after(sentence, m.end(), by.start("verb"))
        else:
            senders = [n for n in names_in(sentence, lo, m.start(), (COMPANY, PERSON))[-1:]]
            senders = [n for n in senders if is_possessive(text, n)]
            recipients = _recipient_after(sentence, m.end(), hi)
        senders += _after(sentence, _ON_BEHALF, lo, hi)
        trigger = (sent or received or m).start(), m.end()
        notices.append((trigger, senders, recipients))
    return notices


def _on_notice(sentence: Sentence, spans: list[Span]) -> list[_Notice]:
    found: list[_Notice] = []
    for m in _ON_NOTICE.finditer(sentence.text):
        lo, hi = clause_at(spans, m.start())
        if m["passive"]:
            senders = _after(sentence, _FROM, m.end(), hi)
            recipients = subject(sentence, lo, m.start())
        else:
            senders = subject(sentence, lo, m.start())
            recipients = group_after(sentence, m.start() + len(m.group().split()[0]), m.end())
        found.append(((m.start(), m.end()), senders, recipients))
    return found


def _threats(sentence: Sentence, spans: list[Span]) -> list[_Notice]:
    text = sentence.text
    threats: list[_Notice] = []
    for m in _THREAT.finditer(text):
        lo, hi = clause_at(spans, m.start())
        recipients = group_after(sentence, m.end(), hi) or _after(sentence, _TO, m.end(), hi)
        senders = subject(sentence, lo, m.start())
        if told := _TOLD_THAT.search(text, lo, m.start()):
            senders = subject(sentence, lo, told.start())
            told_to = group_after(sentence, told.end("verb"), told.end("object"))
            recipients = recipients or told_to
        threats.append(((m.start(), m.end()), senders, recipients))
    for m in _WARNED_BY.finditer(text):
        lo, hi = clause_at(spans, m.start())
        threats.append(
            (
                (m.start(), m.end()),
                group_after(sentence, m.end(), hi),
                subject(sentence, lo, m.start()),
            )
        )
    for m in _THREATEN_WITH.finditer(text):
        lo, hi = clause_at(spans, m.start())
        recipients = group_after(sentence, m.end(), hi)
        if recipients and _WITH_LEGAL.match(text, recipients[-1].end):
            threats.append(((m.start(), m.end()), subject(sentence, lo, m.start()), recipients))
    return threats


def _recipient_after(sentence: Sentence, pos: int, hi: int) -> list[Named]:
    """ "...to sue xAI", "...a letter to xAI", "...against xAI"."""
    return group_after(sentence, pos, hi) or _after(sentence, _TO, pos, hi)


def _after(sentence: Sentence, word: re.Pattern[str], pos: int, hi: int) -> list[Named]:
    m = word.search(sentence.text, pos, hi)
    return group_after(sentence, m.end(), hi) if m else []


def _last(pattern: re.Pattern[str], text: str, lo: int, hi: int) -> re.Match[str] | None:
    last = None
    for last in pattern.finditer(text, lo, hi):  # noqa: B007 (the last match is the one we need)
        pass
    return last


def _finding(
    sentence: Sentence,
    trigger: Span,
    clause: Span,
    senders: list[Named],
    recipients: list[Named],
    dates: Dates,
    clause_count: int,
) -> Finding | None:
    lo, hi = clause
    sender_ids = entity_ids(senders)
    recipient_ids = [i for i in entity_ids(recipients) if i not in sender_ids]
    cluster_ids = entity_ids(n for n in cluster_mentions(sentence) if lo <= n.start < hi)
    if not sender_ids or not (recipient_ids or cluster_ids):
        return None
    status = _status(sentence.text[lo:hi])
    if status is None or withdrawn(sentence.text[lo:hi]):
        return None
    status = hedged(status, sentence.text)
    participants = [(Role.PLAINTIFF, i) for i in sender_ids]
    participants += [(Role.DEFENDANT, i) for i in recipient_ids]
    participants += [(Role.CLUSTER, i) for i in cluster_ids]
    return Finding(
        type=EventType.LEGAL_NOTICE,
        participants=tuple(participants),
        date=dates.near(trigger, clause, fallback=clause_count == 1),
        status=status,
        rule=NAME,
        version=VERSION,
        trigger=trigger,
    )


def _status(clause: str) -> Status | None:
    if _NOT_SENT.search(clause):
        return None
    return status_of(clause)


RULE = Rule(name=NAME, version=VERSION, find=find)
