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
VERSION = 3

# Substrings of the lower-cased text, a cheap first test (most sentences report no purchase).
_KEYWORDS = (
    "acqui", "buy", "bought", "purchas", "takeover", "take-over", "ake over", "aken over",
    "ook over", "aking over", "snap", "scoop", "absorb", "swallow", "into", "owned", "part of",
    "subsidiary of", "unit of", "division of", "sold", "sell", "merg", "fold", "paid", "pay",
    "control", "stake", "hire",
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
    |absorb(?:s|ed|ing)?|swallow(?:s|ed|ing)?(?:\s+up)?|acqui-?hir(?:e|es|ed|ing))\b
    (?![-\u2010](?:in|back|out)\b)"""
)
_NOMINAL = re.compile(
    r"(?i)\b(?P<v>acquisition|purchase|takeover|take-over|buyout|buy-out)\s+of\s+(?:the\s+)?"
)
# "A took control of B", "A bought a majority stake in B": control of a company is its purchase.
_CONTROL = re.compile(
    r"""(?ix)\b(?P<v>t(?:ake|akes|ook|aking|aken)\s+(?:full\s+|majority\s+|sole\s+)?control\s+of
    |(?:acquir(?:e|es|ed|ing)|b(?:uy|uys|uying|ought)|purchas(?:e|es|ed|ing)|t(?:ook|akes?|aking))
    \s+(?:a\s+|an\s+)?(?:[\w$.,-]+\s+){0,3}?(?:majority|controlling)\s+(?:stake|interest|share)
    \s+in)\s+"""
)
# Words before the bought name that make the object something of it: "acquired the team behind
# X", "bought the assets of X".
_PART_OF_IT = re.compile(
    r"""(?ix)\b(?:team|teams|staff|employees|founders?|talent|engineers|researchers|people
    |assets?|technology|tech|ip|patents?|rights|domains?|brand|code|codebase|models?|products?
    |customers|users|contracts?|stake|shares?|equity|interest)\b"""
)
# "B merged into A", "B is now part of A", "B became a subsidiary of A": B is the bought one.
_INTO = re.compile(
    r"""(?ix)\b(?P<v>merg(?:e|es|ed|ing)\s+into|fold(?:s|ed)?\s+into|(?:now|became|become|becomes)
    \s+(?:a\s+)?(?:part|(?:wholly[\s-]owned\s+)?(?:subsidiary|unit|division))\s+of)\s+"""
)
# "A merged B into C", "A folds B into C": the owner moves one company under another.
_MOVE_INTO = re.compile(r"(?i)\b(?P<v>merg(?:e|es|ed|ing)|fold(?:s|ed|ing)?)\s+(?!into\b)")
_INTO_WORD = re.compile(r"\s+into\s+")
# "A paid $44 billion for B", "the $44 billion A paid for B" (the price fronted).
_PAID = re.compile(r"(?i)\b(?P<v>pa(?:id|ys|y|ying))\s+(?P<price>[^,;]{0,40}?\s+)?for\s+")
_PRICE_BEFORE = re.compile(r"(?i)(?:US)?\$\s?[\d.,]+\s*(?:[mb]n|[kmb]|million|billion|trillion)?\b")
# An aside whose verb has no object after it ("X, the startup A bought in May," and "X, which A
# acquired last year,"): the object is the name the aside hangs on.
_GAP_HEAD = re.compile(
    r"(?i)\s*,\s+(?:which\s+|that\s+|(?:the|a|an)\s+(?:[\w-]+\s+){0,4}?)(?:also\s+|later\s+)?$"
)
_NO_OBJECT = re.compile(
    r"""(?ix)(?=\s*(?:[,.;)\u2014]|$)
    |\s+(?:in|on|last|this|earlier|for|from|back|at|only|just|years?|months?|weeks?|days?|\d))"""
)
# "bought the property in March": a definite site or building the sentence or article already
# named; the cluster it is is the one named before.
_DEFINITE_SITE = re.compile(
    r"""(?ix)\s+(?:the|that|this)\s+(?:[\w-]+\s+){0,2}?(?P<site>site|property|building|facility
    |campus|plant|complex|parcel|land|data\s+cent(?:er|re))\b(?!\s*(?:next|near|beside|close
    |adjacent|opposite|across|behind|from|of|to|at|on)\b)"""
)
_SITE_HEAD = re.compile(
    r"""(?ix)\b(?:site|property|building|facility|campus|complex|parcel|land|warehouse
    |data\s+cent(?:er|re))\s+(?:that\s+|which\s+)?$"""
)
# "bought a warehouse in Reno to house Helios": a site bought for a cluster the sentence names.
_NEW_SITE = re.compile(
    r"""(?ix)\s+(?:a|an|another)\s+(?:[\w,.-]+\s+){0,4}?(?:site|property|building|campus|parcel
    |plot|land|warehouse|plant|factory|mill|facility|complex|data\s+cent(?:er|re))\b"""
)
# From the site to the cluster: "(in Reno) for its Helios cluster", "to house Helios", "and
# plans to use it for Helios", never "next to Helios" nor another verb's "and signed a lease for".
_FOR_DIRECT = re.compile(
    r"""(?ix)(?:\s+(?:in|at|on|outside|off|along)\s+[^,;]{1,40}?)?,?\s+for\s+(?:[\w'-]+\s+){0,4}"""
)
_FOR_PURPOSE = re.compile(
    r"""(?ix)\b(?:to\s+(?:house|host|hold|build|become|expand)|(?:use|turn|convert)\s+it\s+
    (?:for|into|as))\s+(?:[\w'-]+\s+){0,6}$"""
)
_SITE_REACH = 160  # characters: a long address and an aside may sit between
_BESIDE = re.compile(r"(?i)\b(?:next\s+to|near|beside|opposite|across|adjacent|from)\b")
_OTHER_VERB = re.compile(
    r"""(?ix)\b(?:and|but|then)\s+(?!(?:plans?|intends?|will|would|aims?|expects?|hopes?|wants?)
    \b)[a-z]+(?:ed|s)\b"""
)
_IT_TO = re.compile(r"(?i)it\s+to\s+")
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
        |power|electricity|energy|gas|land
        # "the former Duke Energy plant": a site named after its old owner, not the owner.
        |plant|factory|site|building|facility|campus|headquarters|offices?|warehouse|property
        |parcel|complex|mill|station|data\s+cent(?:er|re)s?)\b
    | [-\s]+[A-Z]{1,3}\d{2,4}\w*\b)"""
)

# "bought it for $44 billion", "an option to acquire the company": the object refers back.
_OBJECT_PRONOUN = re.compile(
    r"""(?ix)\s+(?:(?P<it>it)\b(?!\s+(?:was|is|had|has|would|will)\b)|the\s+(?:company|start-?up
    |firm|business|lab|developer|maker|platform|social\s+network|network|chipmaker|group)\b)"""
)
# "X is sold to subscribers", "sold to X's paying users": a product sold to customers.
_CUSTOMERS = re.compile(
    r"""(?ix)(?:['\u2019]s?\s+|\s+)(?:[\w-]+\s+){0,2}?(?:subscribers?|users?|customers?|clients?
    |members?|buyers?|advertisers?|readers?|fans?|owners?|developers?|businesses|enterprises)\b"""
)
# "still called Twitter when Musk bought it": the company right before the buyer.
_IT_GAP = re.compile(
    r"(?i)\s*,?\s*(?:(?:when|after|before|until|once|since|as|and|which|that)\s+)?(?:then\s+)?"
)
_COMPANY_PRICE = 1_000_000  # a price below this buys goods, not a company
_HABITUAL = re.compile(r"(?i)\b(?:is|are)\s+(?:\w+ly\s+)?$")
_TAKE_OVER = re.compile(r"(?i)t(?:ake|akes|ook|aking|aken)\s+over")

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
        if verb == "to" and _sold_as_goods(reader, m, acquirer):
            continue
        for acquired in reader.subjects(m.start(), reader.scope(*m.span(verb)), _BOUGHT):
            _add(found, reader, m, acquirer, acquired)
    for m in _INTO.finditer(sentence.text):
        acquirer = reader.following(m.end(), _BUYERS, words=3)
        for acquired in reader.subjects(m.start(), reader.scope(*m.span("v")), _BOUGHT):
            _add(found, reader, m, acquirer, acquired)
    for m in _MOVE_INTO.finditer(sentence.text):
        _add(found, reader, m, *_moved_into(reader, m))
    for m in _CONTROL.finditer(sentence.text):
        taken.append(m.span())
        controlled = reader.following(m.end(), _BOUGHT, words=3)
        if controlled is not None and not _GOODS_AFTER.match(sentence.text, controlled.end):
            buyer = reader.subject(m.start(), reader.scope(*m.span("v")), _BUYERS)
            _add(found, reader, m, buyer, controlled)
    for m in _PAID.finditer(sentence.text):
        _add(found, reader, m, *_paid(reader, m))
    for m in _NOMINAL.finditer(sentence.text):
        _add(found, reader, m, *_nominal(reader, m))
    for m in _ACTIVE.finditer(sentence.text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        scope = reader.scope(*m.span("v"))
        for acquirer in reader.subjects(m.start(), scope, _BUYERS):
            acquired_list = (
                _objects(reader, m.end())
                or _gap_objects(reader, m, acquirer)
                or _referred_object(reader, m, acquirer)
                or _site_for(reader, m)
            )
            for acquired in acquired_list:
                if acquired.kind == CLUSTER and _TAKE_OVER.fullmatch(m["v"]):
                    continue  # "take over Colossus 1" as its tenant: a lease, not a purchase
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


def _moved_into(reader: Reader, m: re.Match[str]) -> tuple[Named | None, Named | None]:
    """ "A has merged his social network B into his AI company C": C takes B over."""
    acquired = reader.following(m.end(), _BOUGHT, words=4)
    if acquired is None:
        return None, None
    into = _INTO_WORD.match(reader.text, acquired.end)
    if into is None:
        return None, None
    return reader.following(into.end(), (COMPANY,), words=4), acquired


def _paid(reader: Reader, m: re.Match[str]) -> tuple[Named | None, Named | None]:
    """ "A paid $44 billion for B" and "the $44 billion A paid for B": a price paid for a
    company is its purchase; "paid for chips" or "paid for B's cloud" names goods."""
    price = m["price"] or ""
    fronted = _PRICE_BEFORE.search(reader.text, max(0, m.start() - 40), m.start())
    if not (_PRICE_BEFORE.search(price) or (fronted and not price.strip())):
        return None, None
    acquired = reader.following(m.end(), _BOUGHT, words=2)
    if acquired is None or _GOODS_AFTER.match(reader.text, acquired.end):
        return None, None
    return reader.subject(m.start(), reader.scope(*m.span("v")), _BUYERS), acquired


def _gap_objects(reader: Reader, m: re.Match[str], acquirer: Named) -> list[Named]:
    """The object of a verb that has none after it: the name an object relative or a reduced
    relative hangs on ("X, the startup A bought in May"), or a site the sentence or the
    article named before ("A bought the property in March")."""
    site = _DEFINITE_SITE.match(reader.text, m.end())
    if site is not None and not reader.following(site.end(), _BOUGHT, words=3):
        return _site_named_before(reader, m.start())
    if not _NO_OBJECT.match(reader.text, m.end()) or acquirer not in reader.sentence.names:
        return []
    if _SITE_HEAD.search(reader.text, max(0, acquirer.start - 30), acquirer.start):
        # "a site xAI only bought in March": a reduced relative on a site the article named.
        return _site_named_before(reader, acquirer.start)
    head = [
        n
        for n in reader.sentence.names
        if n.end <= acquirer.start
        and n.kind in _BOUGHT
        and _GAP_HEAD.fullmatch(reader.text, n.end, acquirer.start)
    ]
    return head[-1:]


def _referred_object(reader: Reader, m: re.Match[str], acquirer: Named) -> list[Named]:
    """ "Musk bought it for $44 billion", "an option to acquire the company": an object that
    refers back to a company. A bare "it" may be anything bought (chips, a building), so it
    counts only with a price and a company named earlier in the sentence."""
    pronoun = _OBJECT_PRONOUN.match(reader.text, m.end())
    if pronoun is None:
        return []
    if pronoun["it"]:
        amounts = [
            q
            for q in reader.usd(reader.scope(*m.span("v")))
            if q.start >= m.end() and q.value >= _COMPANY_PRICE
        ]
        before = [n for n in reader.sentence.names if n.end <= acquirer.start]
        if not amounts or not before or before[-1].kind != COMPANY:
            return []
        if not _IT_GAP.fullmatch(reader.text, before[-1].end, acquirer.start):
            return []  # "Nvidia makes the chip and xAI bought it": "it" is the chip
        return [before[-1]]
    company = reader.antecedent(pronoun.start() + 1, exclude=acquirer, definite=True)
    return [] if company is None else [company]


def _site_for(reader: Reader, m: re.Match[str]) -> list[Named]:
    """ "A bought a warehouse in Reno to house its Helios cluster", "A has purchased a property
    on Elm Road and plans to use it for a supercomputer it calls Helios": the bought site is the
    cluster built there. A cluster it stands "next to" or "near" is another one."""
    site = _NEW_SITE.match(reader.text, m.end())
    if site is None:
        return []
    cluster = next(
        (n for n in reader.sentence.names if n.kind == CLUSTER and n.start >= site.end()), None
    )
    if cluster is None or len(reader.text[site.end() : cluster.start]) > _SITE_REACH:
        return []
    gap = reader.text[site.end() : cluster.start]
    if _BESIDE.search(gap):
        return []
    if _FOR_DIRECT.fullmatch(gap) or (_FOR_PURPOSE.search(gap) and not _OTHER_VERB.search(gap)):
        return [cluster]
    return []


def _sold_as_goods(reader: Reader, m: re.Match[str], buyer: Named | None) -> bool:
    """ "Grok is sold to X's paying subscribers", "chips are sold to X": what is sold to
    customers, or sold as a habit, is a product."""
    if _HABITUAL.search(reader.text, max(0, m.start() - 20), m.start()):
        return True
    if buyer is None:
        return _CUSTOMERS.match(reader.text, m.end() - 1) is not None
    return _CUSTOMERS.match(reader.text, buyer.end) is not None


def _site_named_before(reader: Reader, pos: int) -> list[Named]:
    """The cluster a site or building stands for: the last one the sentence named before `pos`,
    else the one the article named last."""
    before = [n for n in reader.sentence.names if n.end <= pos and n.kind == CLUSTER]
    recent = [n for n in reader.sentence.recent if n.kind == CLUSTER]
    cluster = before[-1] if before else next(iter(recent), None)
    return [] if cluster is None else [cluster]


def _objects(reader: Reader, pos: int) -> list[Named]:
    first = reader.following(pos, _BOUGHT)
    if first is None or _PART_OF_IT.search(reader.text, pos, first.start):
        return []
    listed = reader.listed_after(first, _BOUGHT)
    return [n for n in listed if not _GOODS_AFTER.match(reader.text, n.end)]


def _sale(reader: Reader, m: re.Match[str]) -> tuple[Named | None, Named | None]:
    """ "A sold B to C", "A agreed to sell itself to C"."""
    scope = reader.scope(*m.span("v"))
    it = _IT_TO.match(reader.text, m.end())
    if it:
        # "he sold it to C": "it" is the company the sentence or the article last named.
        acquirer = reader.following(it.end(), _BUYERS, words=3)
        acquired = reader.antecedent(m.start(), exclude=acquirer)
        return acquirer, acquired
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
