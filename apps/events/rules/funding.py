"""Funding rounds: a company raises money from investors.

Read from the recipient's side ("A raised $6 billion", "A closed a $6 billion Series C led by B
and C", "A secured $X from B"), from the investor's side ("B invested $X in A", "B led A's
Series C", "B's $2 billion investment in A") and from valuations ("a round that values A at $X").
Findings of one sentence about the same recipient are one finding: its investors and amounts
gathered from every phrase that names them. The amount and valuation are find_quantities' usd
quantities in the event's clause (role "amount" or "valuation").

"raised" alone is not money ("raised concerns", "raised prices"): the words after it must be an
amount or a round. "is raising" and "in talks to raise" are rumours until the round closes.
"""

import datetime
import re
from dataclasses import replace

from apps.events.rules.base import COMPANY, PERSON, Finding, Named, Rule, Sentence
from apps.events.rules.clauses import Reader, Scope
from apps.events.rules.parties import entity_ids
from apps.events.rules.when import EventDate
from apps.events.vocabulary import EventType, Role, Status

NAME = "funding"
VERSION = 2

# Substrings of the lower-cased text, a cheap first test (most sentences report no round).
_KEYWORDS = (
    "rais", "invest", "round", "series", "fund", "financ", "valu", "put", "pour", "pump",
    "inject", "commit", "$", "million", "billion", "bn",
)  # fmt: skip
_ROUND = (
    r"(?:round|funding|financing|fundraise|fundraising|raise|capital|investment|money|cash|debt"
    r"|equity|backing|seed|Series\s+[A-H]\b)"
)
_LEAD_IN = (
    r"(?:(?:about|around|roughly|nearly|almost|more\s+than|over|some|at\s+least|up\s+to|as\s+much"
    r"\s+as|another|an\s+additional|a\s+further|a\s+fresh|a\s+new|a|an|its|their|the|fresh|new"
    r"|additional|further)\s+)*"
)
# Money written out: "$6bn", "US$6 billion", "EUR 600 million", "six billion dollars".
_MONEY = (
    r"(?:US\$|USD|\$|\u20ac|\u00a3|EUR\b|\d|(?:one|two|three|four|five|six|seven|eight|nine|ten"
    r"|eleven|twelve|fifteen|twenty|thirty|forty|fifty|a|half\s+a)(?:\s+hundred)?\s+(?:thousand"
    r"|million|billion|trillion)\b)"
)
# Words that turn "raised ... capital" into something else: a budget, a forecast, a question.
_NOT_MONEY_AFTER = (
    r"(?!\s+(?:spending|expenditures?|forecasts?|guidance|requirements?|needs|costs?|budgets?"
    r"|outlays?|plans?|pitch|strategy|strateg(?:y|ies)|markets?|gains?|structure|stack|questions?"
    r"|concerns?|gap|intensity|efficiency)\b)"
)
# Words between "raised" and the round that take the verb elsewhere: "raised questions about
# its funding", "raised eyebrows with its fundraising pitch".
_FILLER = r"(?:(?!(?:about|over|on|regarding|with|against|to|into|for|of|around)\b)[\w$.,-]+\s+)"
# The recipient's verbs, each followed by money: "raised $6 billion", "raised a Series C".
_RAISE = re.compile(
    rf"(?i)\b(?P<v>rais(?:e|es|ed|ing))\s+{_LEAD_IN}"
    rf"(?:{_MONEY}|{_FILLER}{{0,3}}?{_ROUND}{_NOT_MONEY_AFTER}"
    # "is raising at a $50 billion valuation"
    rf"|at\s+(?:a|an)\s+[^,;]{{0,30}}?valuation)"
)
# "secured debt", "the closing round": the verbs as adjectives after an article or conjunction.
_GOT = re.compile(
    rf"""(?ix)(?<!\bthe\s)(?<!\ba\s)(?<!\band\s)(?<!\bof\s)(?<!\bbetween\s)
    \b(?P<v>clos(?:e|es|ed|ing)|secur(?:e|es|ed|ing)|land(?:s|ed|ing)?|bag(?:s|ged)?
    |complet(?:e|es|ed|ing)|announc(?:e|es|ed|ing)|obtain(?:s|ed)?|receiv(?:e|es|ed|ing)|won|wins?
    |got|gets?|nab(?:s|bed)?|pull(?:s|ed)?\s+in|attract(?:s|ed)?|dr(?:ew|aws?)|t(?:ook|akes?)\s+in
    |br(?:ought|ings?|inging)\s+in|pick(?:s|ed|ing)?\s+up|wrap(?:s|ped|ping)?\s+up
    |nett?(?:s|ed|ing)?|finali[sz](?:e|es|ed|ing)|clinch(?:es|ed|ing)?|snag(?:s|ged|ging)?
    |garner(?:s|ed|ing)?|rak(?:e|es|ed|ing)\s+in|haul(?:s|ed|ing)?\s+in)
    (?:\s+(?:on|this|last|late\s+last|earlier\s+this)\s+[a-z]+,?)?
    \s+{_LEAD_IN}(?:(?:[\w$.,-]+\s+){{0,4}}?{_ROUND}|(?:US\$|\$)[\d.,]+\s*(?:[mb]n|[kmb]|million
    |billion|trillion)?(?:\s+from\s|[^,;.]{{0,40}}?{_ROUND}
    # "$10 billion, half as debt and half as equity": the split names the money.
    |,\s+(?:half|split|part|partly|mostly|all|some|including)\b[^;.]{{0,30}}?{_ROUND}))"""
)
# The investor's verbs, followed (after an optional amount) by the recipient.
_INVEST = re.compile(
    r"""(?ix)\b(?P<v>invest(?:s|ed|ing)?|pour(?:s|ed|ing)?|pump(?:s|ed|ing)?|inject(?:s|ed|ing)?
    |put(?:s|ting)?|commit(?:s|ted|ting)?|plow(?:s|ed)?|(?:made|makes|make)\s+(?:an?\s+)?
    (?:[\w$.,-]+\s+){0,3}?investment)(?P<amount>\s+[^,;]{0,40}?)??\s+(?:in|into|to)\s+"""
)
_NOMINAL_INVEST = re.compile(r"(?i)\b(?P<v>investment|stake)\s+in\s+")
# "B led A's Series C", "B participated in a round for A".
_LEAD = re.compile(
    rf"""(?ix)\b(?P<v>(?:co-)?le(?:d|ads?|ading)|participat(?:ed|es|ing)\s+in|join(?:ed|s)?
    |anchor(?:ed|s)?)\s+(?P<round>(?:the\s+|a\s+|an\s+)?(?:[\w$.,'\u2019-]+\s+){{0,5}}?{_ROUND}
    (?:\s+round)?)"""
)
# "xAI's fundraising has grown to $15bn", "a story putting the round at $15 billion": the size
# of a round the sentence speaks of, whose owner is named before it or referred back to.
_GREW = re.compile(
    r"""(?ix)\b(?P<v>(?:round|fundraise|fundraising|raise|financing|Series\s+[A-H])\s+
    (?:(?:has|had|have)\s+)?(?:grown|grew|grows|swelled|swollen|swells|ballooned|balloons|rose
    |risen|climbed|jumped|increased|expanded)\s+to|putting\s+(?:the|its|a)\s+(?:[\w-]+\s+)?
    (?:round|raise|fundraise|fundraising|financing)\s+at)\s+(?:US\$|\$|\d)"""
)
# "a report of a $10 billion raise": a round told of in a report (and often denied).
_REPORTED_ROUND = re.compile(
    r"""(?ix)\b(?:reports?|story|stories|claims?|rumou?rs?|articles?)\s+(?:of|about|on)\s+
    (?:a|an|the)\s+(?P<v>(?:US\$|\$)[\d.,]+\s*(?:[mb]n|[kmb]|million|billion|trillion)?\s+
    (?:[\w'\u2019-]+\s+)?(?:raise|round|fundraise|fundraising|financing|funding\s+round))\b"""
)
_DEFINITE_BEFORE = re.compile(r"(?i)\b(?:the|its|their)\s+(?:[\w-]+\s+)?$")
# "the largest round xAI has raised": a superlative's relative clause sizes up a round.
_SUPERLATIVE_BEFORE = re.compile(
    r"(?i)\b(?:the\s+)?(?:\w+est|most|biggest|first|only)\s+(?:[\w-]+\s+){0,3}?(?:that\s+)?$"
)
_AUXILIARIES = re.compile(r"(?i)\s+(?:(?:has|have|had|ever|already|so\s+far|yet)\s+)*")
_VALUES = re.compile(r"(?i)\b(?P<v>valu(?:es|ed|ing))\s+(?:it\s+|the\s+company\s+)?")
_AND = re.compile(r"\band\b")
# "Sequoia raised a new $8 billion fund": an investor's own fund, money it will invest, not a
# round of its own ("to fund its expansion" is the verb).
_OWN_FUND = re.compile(
    r"""(?ix)[^,;]{0,60}?(?<!\bto\s)\b(?:a|an|its|their|new|first|second|third|fourth|fifth
    |sixth|seventh|eighth|ninth|tenth|\w+th|seed|venture|growth|flagship|debut|opportunity
    |early-stage|late-stage|infrastructure|buyout|continuation|billion|million|bn|m)\s+
    (?:fund|funds|vehicle|vintage)\b"""
)
# A running sum of several rounds is no round: "across four rounds", "a total of $60 billion".
_TOTAL = re.compile(
    r"""(?ix)\b(?:a\s+total\s+of|in\s+total|in\s+all|all\s+told|altogether|cumulative(?:ly)?
    |combined|to\s+date|so\s+far|(?:across|over|in|through|from)\s+(?:\w+\s+)?(?:two|three|four
    |five|six|seven|eight|nine|ten|several|multiple|many|numerous|successive|various|\d+)\s+
    (?:[\w-]+\s+)?(?:rounds|raises|financings|fundraises|investments|tranches))\b"""
)
# "Cursor's rival raised": the subject is something the name owns, not the name itself.
_OWNED_SUBJECT = re.compile(
    r"""(?ix)['\u2019]s?\s+(?!(?:latest|new|newest|recent|fresh|\$|US\$)\b)[a-z][\w-]*
    (?:\s+[a-z][\w-]*)?\s+(?:(?:has|have|had|also|just|recently|now|reportedly)\s+)*$"""
)
# "took $4 billion from Amazon": "took" is money only with an amount and its giver.
_TOOK = re.compile(
    rf"""(?ix)\b(?P<v>t(?:ook|akes?|aking))\s+(?:in\s+)?{_LEAD_IN}{_MONEY}[^,;]{{0,30}}?
    \s+from\s"""
)
# "Cursor's $900 million Series C was led by Thrive": the lead told in the passive.
_LED_BY = re.compile(
    rf"""(?ix)\b{_ROUND}(?:\s+round)?,?\s+(?:which\s+)?(?:was|were|is|has\s+been|had\s+been)
    \s+(?P<v>(?:co-)?led)\s+by\s+"""
)
# "xAI's $20 billion Series E closed on Tuesday": the round as the subject of its closing.
_ROUND_CLOSED = re.compile(
    rf"""(?ix)\b{_ROUND}(?:\s+round)?\s+(?:has\s+|had\s+|was\s+|were\s+|is\s+)?(?:now\s+
    |officially\s+|formally\s+|finally\s+)?(?P<v>closed|completed|finali[sz]ed|wrapped\s+up)\b
    (?!\s+(?:by|at\s+the\s+end))"""
)
_ROUND_DEFINITE = re.compile(r"(?i)\b(?:the|its|this|their|that)\s+(?:[\w$.,'\u2019-]+\s+){0,3}$")
# "'We have raised $6 billion,' xAI said": a company speaking of itself in a quote.
_WE_BEFORE = re.compile(r"(?i)\bwe(?:['\u2019]ve)?\s+(?:\w+\s+){0,3}$")
_QUOTE_END = re.compile(r"[\"\u201d'\u2019]")
_SAID = re.compile(
    r"(?i)\s*,?\s*(?:said|says|announced|announces|wrote|writes|told|added|confirmed)\b"
)
_SAID_BEFORE = re.compile(
    r"(?i)[\s,]*(?:(?P<said>said|says|announced|wrote|writes|told|added|confirmed)\s+)?"
)
# "Nvidia backed xAI with $2 billion": an investor's verb naming the recipient, then the money.
_BACKED = re.compile(
    r"(?i)\b(?P<v>back(?:s|ed|ing)|fund(?:s|ed|ing)|financ(?:es|ed|ing)|bankroll(?:s|ed|ing)?)\s+"
)
_WITH_MONEY = re.compile(rf"(?i)\s+with\s+(?:{_LEAD_IN}){_MONEY}")
# "valued at $29 billion in a round led by Thrive": a valuation is a round's only with the
# round beside it; "after its last round" tells of an old one.
_IN_ROUND = re.compile(
    rf"""(?ix)[^;]{{0,40}}?\b(?:in|with|through|via|under|as\s+part\s+of)\s+(?:a|an|the|its
    |this|their)\s+(?:(?!(?:last|previous|prior|earlier|former)\b)[\w$.,'\u2019-]+\s+){{0,4}}?
    {_ROUND}"""
)
_PAST_ROUND = re.compile(r"(?i)\b(?:last|previous|prior|earlier|former)\s+(?:[\w-]+\s+)?round")
_AT = re.compile(r"\s+at\b")
_THAT_VALUES = re.compile(r"(?i),?\s+(?:that|which)\s+valu(?:es|ed)\s+")
_ROUND_WORD = re.compile(rf"(?i)\b{_ROUND}")
_FOR = re.compile(r"(?i)\s+(?:in|for|into)\s+")
_INVESTORS = re.compile(
    r"""(?ix)\b(?:(?:co-)?led\s+by|from|with\s+participation\s+(?:from|by)|backed\s+by|including
    |such\s+as|joined\s+by|alongside)\s+"""
)
_PROGRESSIVE = re.compile(
    r"(?i)\b(?:is|are|was|were)\s+(?:currently\s+|now\s+|also\s+|still\s+)?raising\b"
    r"|\b(?:plans?|planning|wants?|looks?|looking|hopes?|hoping)\s+to\s+raise\b"
)
_OWNS_AFTER = re.compile(r"['\u2019]s?\s+(?!(?:\w+\s+){0,3}?(?:round|Series|raise|fundrais))")
_SINCE_BEFORE = re.compile(r"(?i)\bsince\s+(?:\w+\s+){0,2}$")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# "that December", "the same month": a month in the year the sentence spoke of just before.
_THAT_MONTH = re.compile(
    r"(?i)\b(?:that|the\s+same|the\s+following)\s+(?P<month>January|February|March|April|May|June"
    r"|July|August|September|October|November|December)\b"
)
_MONEY_VERBS = ("put", "commit", "pour", "pump", "inject", "plow")
_MONEY_KINDS = (COMPANY, PERSON)
_RECIPIENT = (COMPANY,)

# A recipient's funding, built up phrase by phrase: investors, then the first trigger's reading.
_Draft = tuple[Named, list[Named], tuple[int, int]]


def find(sentence: Sentence) -> list[Finding]:
    if not sentence.names and not sentence.recent:
        return []
    if not any(k in sentence.text.lower() for k in _KEYWORDS):
        return []
    reader = Reader(sentence)
    text = sentence.text
    drafts: dict[int, _Draft] = {}
    apart: list[_Draft] = []  # a recipient's second round, told in an aside of its own
    for pattern in (_RAISE, _GOT, _TOOK):
        for m in pattern.finditer(text):
            scope = reader.scope(*m.span("v"))
            if _OWN_FUND.match(text, m.end("v"), scope.end):
                continue  # an investor raising a fund of its own
            recipient = reader.subject(m.start(), scope, _RECIPIENT) or _quoted_we(reader, m)
            if recipient is not None and (
                _sized_up(reader, recipient, m.start("v")) or _owned_subject(reader, recipient, m)
            ):
                continue
            investors = _investors_after(reader, m.end("v"))
            if recipient is not None and _own_round(reader, drafts.get(recipient.entity_id), m):
                apart.append((recipient, investors, m.span("v")))
                continue
            _draft(drafts, recipient, investors, m.span("v"))
    for pattern in (_GREW, _REPORTED_ROUND):
        for m in pattern.finditer(text):
            owner = _owner_before(reader, m)
            draft = drafts.get(owner.entity_id) if owner is not None else None
            if owner is not None and draft and not reader.scope(*draft[2]).holds(*m.span("v")):
                apart.append((owner, [], m.span("v")))
            else:
                _draft(drafts, owner, [], m.span("v"))
    for m in _ROUND_CLOSED.finditer(text):
        _draft(drafts, _round_subject(reader, m), [], m.span("v"))
    for m in _INVEST.finditer(text):
        recipient = _recipient(reader, m.end())
        needs_money = m["v"].lower().startswith(_MONEY_VERBS)
        if needs_money and not reader.usd(Scope(m.start(), m.end(), ())):
            continue  # "put pressure on A", "committed to A": no money named
        if _portfolio(reader, m, recipient):
            continue
        _from_investor(drafts, reader, m, recipient)
    for m in _NOMINAL_INVEST.finditer(text):
        recipient = _recipient(reader, m.end())
        if m["v"].lower() == "stake" and not reader.usd(reader.scope(*m.span("v"))):
            continue  # owning a stake is not a round; buying one for money is
        _from_investor(drafts, reader, m, recipient)
    for m in _LEAD.finditer(text):
        _from_investor(drafts, reader, m, _round_owner(reader, m))
    for m in _LED_BY.finditer(text):
        owner = _round_subject(reader, m)
        _draft(drafts, owner, _investors_after(reader, m.start("v")), m.span("v"))
    for m in _BACKED.finditer(text):
        recipient = _recipient(reader, m.end())
        if recipient is not None and _WITH_MONEY.match(text, recipient.end):
            _from_investor(drafts, reader, m, recipient)
    for m in _VALUES.finditer(text):
        if not _ROUND_WORD.search(text):
            continue  # a valuation alone is a market's opinion, not a round
        if _AT.match(text, m.end() - 1):
            # "A is valued at $X in a round led by B"
            scope = reader.scope(*m.span("v"))
            if not _IN_ROUND.match(text, m.end(), scope.end):
                continue
            recipient = reader.subject(m.start(), scope, _RECIPIENT)
        else:
            if _PAST_ROUND.search(reader.scope(*m.span("v")).text(text)):
                continue
            recipient = reader.following(m.end(), _RECIPIENT, words=2)
            if recipient is None or not _AT.match(text, recipient.end):
                continue
        _draft(drafts, recipient, _investors_after(reader, m.end()), m.span("v"))
    findings: list[Finding] = []
    for draft in (*drafts.values(), *apart):
        finding = _finding(reader, draft)
        if finding is not None:
            findings.extend(_recap(reader, finding))
    return findings


def _draft(
    drafts: dict[int, _Draft],
    recipient: Named | None,
    investors: list[Named],
    trigger: tuple[int, int],
) -> None:
    if recipient is None:
        return
    investors = [n for n in investors if n.entity_id != recipient.entity_id]
    if recipient.entity_id in drafts:
        drafts[recipient.entity_id][1].extend(investors)
    else:
        drafts[recipient.entity_id] = (recipient, investors, trigger)


def _sized_up(reader: Reader, recipient: Named, verb: int) -> bool:
    """Whether the recipient opens a superlative's relative clause: "the largest xAI has
    raised" compares a round with the past ones, it reports none."""
    if recipient not in reader.sentence.names:
        return False
    if not _AUXILIARIES.fullmatch(reader.text, recipient.end, verb):
        return False
    return bool(
        _SUPERLATIVE_BEFORE.search(reader.text, max(0, recipient.start - 40), recipient.start)
    )


def _owned_subject(reader: Reader, recipient: Named, m: re.Match[str]) -> bool:
    """Whether the verb's subject is something the recipient owns: "Cursor's rival raised"."""
    if recipient not in reader.sentence.names or recipient.end > m.start():
        return False
    return bool(_OWNED_SUBJECT.fullmatch(reader.text, recipient.end, m.start("v")))


def _round_subject(reader: Reader, m: re.Match[str]) -> Named | None:
    """Whose round is the subject at `m`: "xAI's Series E closed", or, for "the round was led
    by", the company the article speaks of."""
    scope = reader.scope(*m.span("v"))
    owner = reader.subject(m.start(), scope, _RECIPIENT)
    if owner is None and _ROUND_DEFINITE.search(
        reader.text, max(scope.start, m.start() - 40), m.start()
    ):
        return reader.antecedent(m.start(), definite=True)
    return owner


def _quoted_we(reader: Reader, m: re.Match[str]) -> Named | None:
    """The company behind a quoted "we have raised": the speaker named after the quote."""
    if not _WE_BEFORE.search(reader.text, max(0, m.start() - 30), m.start()):
        return None
    close = _QUOTE_END.search(reader.text, m.end())
    if close is None:
        return None
    for name in reader.sentence.names:
        if name.start < close.end() or name.start > close.end() + 30 or name.kind != COMPANY:
            continue
        gap = _SAID_BEFORE.fullmatch(reader.text[close.end() : name.start])
        if gap is not None and (gap["said"] or _SAID.match(reader.text, name.end)):
            return name
    return None


def _portfolio(reader: Reader, m: re.Match[str], recipient: Named | None) -> bool:
    """ "Sequoia has invested in OpenAI, xAI and Anthropic": a portfolio, no round, when the
    sentence names no money."""
    if recipient is None or reader.usd(reader.scope(*m.span("v"))):
        return False
    return len(reader.listed_after(recipient, _RECIPIENT)) > 1


def _owner_before(reader: Reader, m: re.Match[str]) -> Named | None:
    """Whose round the words at `m` size: a company named before it in the clause ("a report
    that xAI's round had grown", "a report of a $10bn xAI raise"), or the company "the round"
    refers back to."""
    start, end = m.span("v")
    scope = reader.scope(start, end)
    inside = [n for n in reader.sentence.names if start <= n.start < end and n.kind == COMPANY]
    if inside:
        return inside[0]
    owner = reader.subject(start, scope, _RECIPIENT)
    told = m.re is _REPORTED_ROUND or m["v"].lower().startswith("putting")
    if owner is not None or not (told or _DEFINITE_BEFORE.search(reader.text, 0, start)):
        return owner
    # "the round had grown", "putting the round at", "a report of a $10bn raise": the round
    # of the company the article speaks of.
    return reader.antecedent(start, definite=True)


def _own_round(reader: Reader, draft: _Draft | None, m: re.Match[str]) -> bool:
    """Whether the trigger `m` tells a round apart from the recipient's `draft`: it lies outside
    the draft's scope (", then in June took in $10 billion") and names an amount of its own."""
    if draft is None:
        return False
    if reader.scope(*draft[2]).holds(*m.span("v")):
        return False
    return any(q.role == "amount" for q in reader.usd(reader.scope(*m.span("v"))))


def _from_investor(
    drafts: dict[int, _Draft], reader: Reader, m: re.Match[str], recipient: Named | None
) -> None:
    if recipient is None:
        return
    investors = reader.subjects(m.start(), reader.scope(*m.span("v")), _MONEY_KINDS)
    _draft(drafts, recipient, investors, m.span("v"))


def _investors_after(reader: Reader, pos: int) -> list[Named]:
    found: list[Named] = []
    for m in _INVESTORS.finditer(reader.text, pos):
        first = reader.following(m.end(), _MONEY_KINDS, words=4)
        if first is not None:
            found.extend(reader.listed_after(first, _MONEY_KINDS))
    return found


def _recipient(reader: Reader, pos: int) -> Named | None:
    """The company money goes into, unless the words name a part of it ("Tesla's robotaxi
    business") or something else it owns."""
    recipient = reader.following(pos, _RECIPIENT, words=3)
    if recipient is None or _OWNS_AFTER.match(reader.text, recipient.end):
        return None
    return recipient


def _round_owner(reader: Reader, m: re.Match[str]) -> Named | None:
    """Whose round "B led ..." is: "A's Series C", "a round in A", "a round that values A"."""
    for name in reader.sentence.names:
        if m.start("round") <= name.start < m.end("round") and name.kind == COMPANY:
            return name  # "A's Series C"
    after = _FOR.match(reader.text, m.end())
    if after:
        return reader.following(after.end(), _RECIPIENT, words=3)
    values = _THAT_VALUES.match(reader.text, m.end())
    if values:
        return reader.following(values.end(), _RECIPIENT, words=2)
    return None


def _finding(reader: Reader, draft: _Draft) -> Finding | None:
    recipient, investors, (start, end) = draft
    scope = reader.scope(start, end)
    status = reader.status(scope, start)
    if status is None:
        return None
    if _TOTAL.search(scope.text(reader.text), start):
        return None  # several rounds added up
    if status == Status.CONFIRMED and _PROGRESSIVE.search(scope.text(reader.text)):
        status = Status.RUMOURED
    ids = entity_ids(investors)
    return Finding(
        type=EventType.FUNDING,
        participants=(
            (Role.RECIPIENT, recipient.entity_id),
            *((Role.INVESTOR, entity_id) for entity_id in ids),
        ),
        date=reader.date(scope, start, end),
        status=status,
        quantities=reader.usd(scope),
        rule=NAME,
        version=VERSION,
        trigger=(start, end),
    )


def _recap(reader: Reader, finding: Finding) -> list[Finding]:
    """ "raised $6 billion in May 2024 and another $6 billion that December, then in June 2025
    took in $10 billion": one round per amount when each amount has a date of its own (the
    nearest one between its neighbours), and the finding unchanged otherwise."""
    amounts = [q for q in finding.quantities if q.role == "amount"]
    if len(amounts) < 2:
        return [finding]
    dates = _recap_dates(reader)
    used: set[int] = set()
    rounds = []
    for i, amount in enumerate(amounts):
        low = amounts[i - 1].end if i else 0
        high = amounts[i + 1].start if i + 1 < len(amounts) else len(reader.text)
        near = [d for d in dates if low <= d.start and d.end <= high and d.start not in used]
        if not near:
            return [finding]
        date = min(near, key=lambda d: _distance(d, amount.start, amount.end))
        used.add(date.start)
        others = tuple(
            q for q in finding.quantities if q.role != "amount" and amount.end <= q.start < high
        )
        rounds.append(replace(finding, date=date, quantities=(amount, *others)))
    return rounds


def _distance(date: EventDate, start: int, end: int) -> int:
    return date.start - end if date.start >= end else start - date.end


def _recap_dates(reader: Reader) -> list[EventDate]:
    """The sentence's dates, with "that December" read in the year of the date before it."""
    dates = [d for d in reader.dates() if not _SINCE_BEFORE.search(reader.text, 0, d.start)]
    for m in _THAT_MONTH.finditer(reader.text):
        before = [d for d in dates if d.end <= m.start()]
        if before:
            month = _MONTHS.index(m["month"][:3].lower()) + 1
            year = before[-1].date.year + (month < before[-1].date.month)
            day = datetime.date(year, month, 1)
            dates.append(EventDate(day, "month", False, m.start(), m.end(), False))
    return sorted(dates, key=lambda d: d.start)


RULE = Rule(name=NAME, version=VERSION, find=find)
