"""Lawsuits: "A sued B", "A filed a lawsuit against B", "B was sued by A", "a lawsuit brought by A
against B", "the Justice Department joined A's suit against B", and administrative appeals ("A
filed an appeal with the county board").

The event is a suit being brought (or joined). A suit only referred to ("a judge dismissed
Musk's suit", "B moved to dismiss the suit") is not a new one, and neither is a threat to sue
(a legal notice). Courts and regulators named as the venue ("in the Delaware Chancery Court",
"a complaint with the FTC") are REGULATOR, never plaintiffs; a defendant and a venue suffice.
Whoever a plaintiff acts for ("acting for the NAACP", "represented by Earthjustice") brings the
case too. A suit whose sentence leaves out whom it is against ("The suit was filed on April 15 by
the NAACP") is against the one company the article is about.
"""

import itertools
import re

from apps.events.rules.base import COMPANY, PERSON, Finding, Named, Rule, Sentence
from apps.events.rules.parties import (
    Dates,
    Span,
    article_party,
    clause_at,
    clauses,
    cluster_mentions,
    entity_ids,
    group_after,
    hedged,
    is_authority,
    is_possessive,
    names_in,
    object_referent,
    subject,
    withdrawn,
)
from apps.events.rules.status import status_of
from apps.events.vocabulary import EventType, Role, Status

NAME = "lawsuit"
VERSION = 1

_PARTIES = (COMPANY, PERSON)
_KEYWORD = re.compile(
    r"(?i)su(?:ed|es|ing)\b|suit\b|complaint|legal\s+action|court|appeal|\bcases?\b|proceedings"
    r"|\sv\.\s|\svs\.?\s"
)
_SUIT = (
    r"(?:(?:counter)?(?:lawsuits?|suits?)|counterclaims?|complaints?|appeals?"
    r"|legal\s+(?:action|challenge|proceedings)|cases?)"
)
_PASSIVE_SUED = re.compile(
    r"(?i)\b(?:was|were|is|are|been|being|got|gets|get)\s+(?:\w+ly\s+)?(?:counter)?sued\b"
)
_ACTIVE_SUED = re.compile(r"(?i)\b(?:counter)?su(?:ed|es|ing)\b")
_FILED = re.compile(
    rf"""(?i)\b(?:filed|files|filing|brought|brings|bringing|launched|launches|lodged|lodges
    |initiated|initiates|instituted)\s+(?:(?:a|an|its|their|his|her|the)\s+)?(?:[\w-]+\s+){{0,3}}?
    {_SUIT}\b""",
    re.VERBOSE,
)
_TO_COURT = re.compile(
    r"""(?i)\b(?:took|takes|taking|take|taken|dragged|drags|dragging|hauled|hauls|hauling)\b
    (?=[^.;]{0,60}?\b(?:to|into|before)\s+(?:a\s+|the\s+)?(?:federal\s+|state\s+)?court\b(?!-))""",
    re.VERBOSE,
)
# "took legal action against", "has taken legal steps against": a suit, with its defendant after.
_TOOK_ACTION = re.compile(
    r"(?i)\b(?:took|takes|taking|take|taken)\s+(?:formal\s+)?legal\s+(?:action|steps)(?=\s+against\b)"
)
# "In a complaint filed Monday in San Francisco, xAI accused OpenAI of ...": the suit fronted,
# its plaintiff the subject after the comma.
_FRONTED = re.compile(
    rf"""(?i)(?:^|[,;]\s*)(?:in|with|through|via)\s+(?:a|an|its|their|the)\s+(?:[\w-]+\s+){{0,2}}?
    {_SUIT}\s+(?:(?:it|they|he|she)\s+)?(?:filed|brought|lodged|submitted)\b[^;]{{0,90}}?,\s+""",
    re.VERBOSE,
)
_FRONTED_VERB = re.compile(
    r"""(?i)\s+(?:\w+ly\s+)?(?:accus\w*|alleg\w*|claim\w*|argu\w*|contend\w*|says?|said|seeks?
    |sought|asks?|asked|charg\w*)\b""",
    re.VERBOSE,
)
# "xAI v. OpenAI was filed": a case by its caption, plaintiff first.
_CAPTION = re.compile(r"\s+vs?\.?\s+")
_CAPTION_FILED = re.compile(
    r"(?i)\s+(?:was|were|has\s+been|had\s+been|is)\s+(?:\w+ly\s+)?(?:filed|brought|lodged)\b"
)
# "xAI, sued by the NAACP in April,", headlines' "xAI Sued by NAACP": a passive without its "was".
_REDUCED_SUED = re.compile(
    r"(?i)(?<!has\s)(?<!have\s)(?<!had\s)\b(?:counter)?sued\s+(?:(?:in|on|last|this|earlier)\s+"
    r"[\w ,.]{1,24}?\s+)?by\s"
)
_SUIT_BY = re.compile(
    rf"""(?i)\b{_SUIT},?\s+(?:\w+\s+){{0,2}}?(?:(?:was|were|has\s+been|had\s+been)\s+)?
    (?:filed|brought|lodged|launched|initiated)\s+(?:[^,;]{{0,80}}?\s)?by\s""",
    re.VERBOSE,
)
_SUIT_BY_AGAINST = re.compile(rf"(?i)\b{_SUIT}\s+by\s")
# "OpenAI hit with lawsuit from xAI": the subject is the defendant.
_HIT_WITH = re.compile(
    rf"""(?i)\b(?:hit|slapped|served|faces|facing|faced|face)\s+(?:with\s+)?(?:(?:a|an|the)\s+)?
    (?:[\w-]+\s+){{0,2}}?{_SUIT}\s+(?:(?:filed|brought)\s+)?(?:by|from)\s""",
    re.VERBOSE,
)
_JOINED = re.compile(
    rf"""(?i)\b(?:joined|joins|joining|backed|backs|backing|supported|supports|intervened\s+in
    |signed\s+on\s+to|filed\s+(?:a\s+)?(?:statement|brief)\s+(?:of\s+interest\s+)?in)\s+
    (?:(?:the|a|an)\s+)?(?P<owner>[^,;]{{0,60}}?)\b{_SUIT}\b""",
    re.VERBOSE,
)
_AGAINST = re.compile(
    r"""(?i)\b(?:against|accus(?:ing|es|ed)|(?:alleg|claim)(?:ing|es|ed|s)\s+that
    |nam(?:es|ed|ing)(?=\s[^.;]{1,80}?\bas\s+(?:a\s+|the\s+)?(?:co-?)?defendants?\b))\s""",
    re.VERBOSE,
)
_BY = re.compile(r"(?i)\bby\s")
_REDUCED_GAP = re.compile(r",?\s+(?:(?:already|also|recently|previously|first)\s+)?")
_VENUE = re.compile(r"(?i)\b(?:in|before|with|at|to)\s+(?:the\s+)?$")
_THREAT_BEFORE = re.compile(
    r"""(?i)(?:\b(?:threat\w*|vow\w*|warn\w*|intent\w*|intend\w*|plan\w*|consider\w*|weigh\w*
    |mull\w*|explor\w*|prepar\w*|seek\w*\s+to|wants?|hop\w*|aim\w*|pledg\w*|promis\w*
    |whether)\s+(?:to\s+)?|\b(?:will|would|could|can|may|might|shall|['\u2019]ll)\s+(?:\w+ly\s+)?)$""",
    re.VERBOSE,
)
# A suit referred to rather than brought.
_REFERENCE = re.compile(
    r"""(?i)\b(?:dismiss\w*|threw\s+out|throws\s+out|toss\w*|ruled|rules|ruling|settl\w*|dropped
    |drops|withdr[ae]w\w*|judge|jury|verdict|trial|hearing|discovery|fight\w*
    |contest\w*|defend(?!ants?\b)\w*|respond\w*)\b""",
    re.VERBOSE,
)
_NOT_SUED = re.compile(
    r"""(?i)(?:\b(?:not|never|n[\u2019']t)\s+(?:yet\s+)?(?:been\s+)?(?:su(?:ed|e|ing)|file[ds]?|filing
    |brought|bring|join\w*)\b|\bdecided\s+against\b|\bno\s+plans?\s+to\b|\bruled\s+out\b)""",
    re.VERBOSE,
)
# A defendant rebutting the allegations does not deny that the suit was brought.
_MERITS = re.compile(
    r"""(?i)\b(?:den(?:y|ies|ied|ying)|dismiss(?:ed|es)?|refut\w*|rebut\w*|call(?:ed|ing|s)
    |labell?ed)\s+(?:\w+\s+){0,3}?(?:allegations?|claims?|accusations?|charges?|wrongdoing|suit
    |lawsuit|complaint|case)\b[^;]*""",
    re.VERBOSE,
)


# An appeal to the public is no case: "launched an appeal for donations".
_PUBLIC_APPEAL = re.compile(
    r"""(?i)\bappeals?\s+(?:for|to)\s+(?:the\s+)?(?:donations?|funds?|money|help|calm|information
    |witnesses|support|supporters|public|raise|volunteers)\b""",
    re.VERBOSE,
)
# A suit only spoken of: "a threatened lawsuit by the NAACP" is a legal notice at most.
_HYPOTHETICAL = re.compile(
    rf"""(?i)\b(?:threatened|planned|proposed|possible|potential|prospective|looming|future
    |promised|expected)\s+(?:[\w-]+\s+)?{_SUIT}\b""",
    re.VERBOSE,
)
# Whom the plaintiff acts for, or who acts with it: they bring the case too.
_CLIENTS = re.compile(
    r"""(?i)\b(?:acting\s+(?:for|on\s+behalf\s+of)|on\s+(?:the\s+)?behalf\s+of|represented\s+by
    |representing|(?:together|along)\s+with|with\s+(?:lawyers|attorneys|counsel)\s+(?:from|at))\s""",
    re.VERBOSE,
)
# "filed the appeal in July for the NAACP": a "for" right after the filing or the filer.
_FOR_CLIENT = re.compile(r"(?i),?\s*(?:(?:in|on|last|this|earlier)\s+[\w ]{1,20}?\s+)?for\s")
# "against the state", "against Acme Corp": a party named but not known, so the article's
# company is not the one sued.
_AGAINST_OTHER = re.compile(
    r"""\bagainst\s+(?:(?:the|a|an)\s+)?(?:[A-Z]|(?:state|city|county|federal|government|agency
    |department|regulators?|officials|board|authorities)\b)""",
    re.VERBOSE,
)


def find(sentence: Sentence) -> list[Finding]:
    if not sentence.names or not _KEYWORD.search(sentence.text):
        return []
    text = sentence.text
    if _PUBLIC_APPEAL.search(text) or withdrawn(text):
        return []
    spans = clauses(text)
    dates = Dates(sentence)
    found: list[Finding] = []
    for trigger, plaintiffs, defendants in _suits(sentence, spans):
        clause = clause_at(spans, trigger[0])
        finding = _finding(sentence, trigger, clause, plaintiffs, defendants, dates, len(spans))
        if finding is not None and all(f.participants != finding.participants for f in found):
            found.append(finding)
    return found


_Suit = tuple[Span, list[Named], list[Named]]


def _suits(sentence: Sentence, spans: list[Span]) -> list[_Suit]:
    """Each suit's trigger, plaintiffs and defendants, read by the form that says it."""
    text = sentence.text
    suits: list[_Suit] = []
    taken: list[Span] = []
    for m in _PASSIVE_SUED.finditer(text):
        lo, hi = clause_at(spans, m.start())
        by = _BY.search(text, m.end(), hi)
        plaintiffs = group_after(sentence, by.end(), hi) if by else []
        suits.append(((m.start(), m.end()), plaintiffs, subject(sentence, lo, m.start())))
        taken.append((m.start(), m.end()))
    for m in _REDUCED_SUED.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        lo, hi = clause_at(spans, m.start())
        named = names_in(sentence, lo, m.start(), _PARTIES)
        # The sued one stands right before: "xAI Sued by", "xAI, sued by the NAACP,".
        if not named or not _REDUCED_GAP.fullmatch(text, named[-1].end, m.start()):
            continue
        plaintiffs = group_after(sentence, m.end(), hi)
        suits.append(((m.start(), m.end()), plaintiffs, [named[-1]]))
        taken.append((m.start(), m.end()))
    for m in _ACTIVE_SUED.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        lo, hi = clause_at(spans, m.start())
        if _THREAT_BEFORE.search(text, max(lo, m.start() - 30), m.start()):
            continue
        plaintiffs = subject(sentence, lo, m.start())
        defendants = (
            group_after(sentence, m.end(), hi)
            or object_referent(sentence, m.end(), plaintiffs)
            or _against(sentence, m.end(), hi)
        )
        suits.append(((m.start(), m.end()), plaintiffs, defendants))
    for pattern in (_FILED, _TO_COURT, _TOOK_ACTION):
        for m in pattern.finditer(text):
            lo, hi = clause_at(spans, m.start())
            if _THREAT_BEFORE.search(text, max(lo, m.start() - 30), m.start()):
                continue  # "is considering taking OpenAI to court": a legal notice at most
            after = group_after(sentence, m.end(), hi) if pattern is _TO_COURT else []
            defendants = after or _against(sentence, m.end(), hi)
            plaintiffs = subject(sentence, lo, m.start())
            plaintiffs += _clients(sentence, m.end(), hi) if plaintiffs else []
            suits.append(((m.start(), m.end()), plaintiffs, defendants))
    suits += _suits_by(sentence, spans)
    suits += _joined(sentence, spans)
    suits += _fronted(sentence, spans)
    suits += _captions(sentence, spans)
    return suits


def _fronted(sentence: Sentence, spans: list[Span]) -> list[_Suit]:
    """ "In a lawsuit filed Monday, xAI accused OpenAI of ...": the plaintiff is the subject
    after the comma, the defendant whom it accuses (or whom the suit is against)."""
    text = sentence.text
    suits: list[_Suit] = []
    for m in _FRONTED.finditer(text):
        hi = clause_at(spans, m.end())[1]
        plaintiffs = group_after(sentence, m.end(), hi)
        if not plaintiffs or not _FRONTED_VERB.match(text, plaintiffs[-1].end):
            continue
        defendants = _against(sentence, m.start(), m.end()) or _against(
            sentence, plaintiffs[-1].end, hi
        )
        suits.append(((m.start(), m.end()), plaintiffs, defendants))
    return suits


def _captions(sentence: Sentence, spans: list[Span]) -> list[_Suit]:
    """ "xAI v. OpenAI was filed in federal court": a caption, and the filing of its case."""
    text = sentence.text
    suits: list[_Suit] = []
    names = [n for n in sentence.names if n.kind in _PARTIES]
    for first, second in itertools.pairwise(names):
        if not _CAPTION.fullmatch(text, first.end, second.start):
            continue
        if not (filed := _CAPTION_FILED.match(text, second.end)):
            continue
        suits.append(((first.start, filed.end()), [first], [second]))
    return suits


def _suits_by(sentence: Sentence, spans: list[Span]) -> list[_Suit]:
    """ "a lawsuit brought by A against B", "B faces a suit filed by A"."""
    text = sentence.text
    suits: list[_Suit] = []
    for pattern in (_HIT_WITH, _SUIT_BY, _SUIT_BY_AGAINST):
        for m in pattern.finditer(text):
            if pattern is not _HIT_WITH and any(s[0][0] <= m.start() < s[0][1] for s in suits):
                continue
            lo, hi = clause_at(spans, m.start())
            if _REFERENCE.search(text, lo, hi):
                continue
            plaintiffs = group_after(sentence, m.end(), hi)
            end = plaintiffs[-1].end if plaintiffs else m.end()
            plaintiffs += _clients(sentence, end, hi) if plaintiffs else []
            defendants = _against(sentence, end, hi)
            if not defendants and pattern is not _SUIT_BY_AGAINST:
                defendants = subject(sentence, lo, m.start())
            suits.append(((m.start(), m.end()), plaintiffs, defendants))
    return suits


def _joined(sentence: Sentence, spans: list[Span]) -> list[_Suit]:
    """ "The Justice Department joined Musk's suit against OpenAI": both are plaintiffs."""
    text = sentence.text
    suits: list[_Suit] = []
    for m in _JOINED.finditer(text):
        lo, hi = clause_at(spans, m.start())
        owners = [
            n
            for n in names_in(sentence, m.start("owner"), m.end("owner"), _PARTIES)
            if is_possessive(text, n)
        ]
        joiners = subject(sentence, lo, m.start())
        defendants = _against(sentence, m.end(), hi)
        suits.append(((m.start(), m.end()), joiners + owners, defendants))
    return suits


def _clients(sentence: Sentence, pos: int, hi: int) -> list[Named]:
    """ "...by the SELC, acting for the NAACP", "filed the appeal in July for the NAACP"."""
    text = sentence.text
    found: list[Named] = []
    near = _FOR_CLIENT.match(text, pos, hi)
    if near is not None:
        found += group_after(sentence, near.end(), hi)
    for m in _CLIENTS.finditer(text, pos, hi):
        found += group_after(sentence, m.end(), hi)
    return found


def _against(sentence: Sentence, pos: int, hi: int) -> list[Named]:
    m = _AGAINST.search(sentence.text, pos, hi)
    return group_after(sentence, m.end(), hi) if m else []


def _finding(
    sentence: Sentence,
    trigger: Span,
    clause: Span,
    plaintiffs: list[Named],
    defendants: list[Named],
    dates: Dates,
    clause_count: int,
) -> Finding | None:
    text = sentence.text
    lo, hi = clause
    venues = [n for n in names_in(sentence, lo, hi, (COMPANY,)) if _is_venue(text, n, lo)]
    venue_ids = {n.entity_id for n in venues}
    plaintiff_ids = entity_ids(n for n in plaintiffs if n.entity_id not in venue_ids)
    defendant_ids = entity_ids(
        n for n in defendants if n.entity_id not in venue_ids and n.entity_id not in plaintiff_ids
    )
    if not defendants and plaintiff_ids and not _AGAINST_OTHER.search(text, trigger[0], hi):
        defendant_ids = entity_ids(article_party(sentence, [*plaintiff_ids, *venue_ids]))
    if not defendant_ids or not (plaintiff_ids or venue_ids):
        return None
    if any(m.start() <= trigger[1] and trigger[0] <= m.end() for m in _HYPOTHETICAL.finditer(text)):
        return None
    status = _status(text[lo:hi])
    if status is None:
        return None
    status = hedged(status, text)
    participants = [(Role.PLAINTIFF, i) for i in plaintiff_ids]
    participants += [(Role.DEFENDANT, i) for i in defendant_ids]
    participants += [(Role.REGULATOR, i) for i in entity_ids(venues)]
    clusters = [n for n in cluster_mentions(sentence) if lo <= n.start < hi]
    participants += [(Role.CLUSTER, i) for i in entity_ids(clusters)]
    return Finding(
        type=EventType.LAWSUIT,
        participants=tuple(participants),
        date=dates.near(trigger, clause, fallback=clause_count == 1),
        status=status,
        rule=NAME,
        version=VERSION,
        trigger=trigger,
    )


def _is_venue(text: str, name: Named, lo: int) -> bool:
    before = _VENUE.search(text, max(lo, name.start - 16), name.start)
    return before is not None and is_authority(name)


def _status(clause: str) -> Status | None:
    if _NOT_SUED.search(clause):
        return None
    return status_of(_MERITS.sub(" ", clause))


RULE = Rule(name=NAME, version=VERSION, find=find)
