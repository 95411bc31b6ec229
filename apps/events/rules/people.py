"""Who a sentence is about: the shared reading behind the people-move rules (departure, hire)
and the company rules that need a subject (reorganisation). Pure: no database, no network.

A `Reading` of a sentence holds its mentions (named entities plus "he"/"his"/"she"/"her" and
"the company"/"the startup", resolved to an entity) and its asides: comma, dash and bracket
segments that describe a name rather than carry the main event ("Ba, who joined xAI in 2023,
left on Tuesday"). Choices, so that the rules read alike:

- A person pronoun is the first person named earlier in the sentence ("Ba told Musk he was
  leaving" is about Ba), otherwise the most recent person of the earlier sentences whom the
  title names, otherwise the most recent one. "the company" is the nearest company named
  earlier in the sentence, otherwise the most recent one the article is about.
- The subject of a verb is the nearest mention before it, not inside an aside the verb is not
  in, within a dozen words, with no clause break (";" or a colon) between them.
- Asides opened by "who", "which", "whose", "where" or by "formerly", "previously", "former",
  "once" are background: their dates never date the main event, and a company in one opened by
  "formerly"/"previously" is a past employer. Other asides (appositions, "a spokesperson said")
  only lend their dates when the event's own clause has none.
"""

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from apps.events.rules.base import COMPANY, PERSON, Finding, Sentence
from apps.events.rules.status import status_of
from apps.events.rules.when import EventDate, find_dates
from apps.events.vocabulary import EventType, Role, Status


@dataclass(frozen=True)
class Mention:
    entity_id: int
    kind: str
    start: int
    end: int
    pronoun: bool = False  # "he", "his", "the company": resolved, not named


@dataclass(frozen=True)
class Aside:
    start: int
    end: int
    background: bool  # a relative clause or a past ("formerly of Google")


Span = tuple[int, int]


@dataclass
class Event:
    """A people move read from a sentence, before its date and status are read."""

    persons: list[Mention]
    company: Mention | None  # the company left (departure) or joined (hire)
    other: Mention | None  # where they went (departure) or came from (hire)
    trigger: Span
    anchor: int  # where the event's words start (its subject or its trigger)
    focus: Span  # what its date is nearest to: the trigger, or a recap's gapped name


_PERSON_PRONOUN = re.compile(r"\b(?:[Hh]e|[Ss]he|[Hh]im|[Hh]is|[Hh]er)\b")
_COMPANY_REF = re.compile(
    r"\b[Tt]he\s+(?:[\w-]+\s+){0,2}?(?:company|startup|start-up|firm|lab|laboratory|outfit"
    r"|venture|AI\s+developer|chatbot\s+maker)\b(?!\s*(?:said|says)\b\s*$)"
)
_ASIDE_OPEN = re.compile(
    r"(?P<mark>,|\s[\u2014\u2013]|\s--|\s?\()\s*(?P<word>(?:who|whom|whose|which|where|formerly"
    r"|previously|former|once|a|an|the|now|most\s+recently|then|also|one\s+of|himself|herself"
    r"|its|his|her|co-?founders?)\b|ex-|\d{2}\b|(?-i:(?:[A-Z]|[a-z]+[A-Z])[\w.-]*(?:\s+[A-Z][\w.-]*){0,2}['\u2019]s\b))",
    re.IGNORECASE,
)
_BACKGROUND_WORDS = frozenset(
    {"who", "whom", "whose", "which", "where", "formerly", "previously", "former", "once"}
)
_ASIDE_END = {",": re.compile(r"[,;:]|\s[\u2014\u2013]\s|\s--\s"), "(": re.compile(r"\)")}
_DASH_END = re.compile(r"\s[\u2014\u2013]\s?|\s--\s|[;:]")
# A company mentioned as a past employer: "formerly of Google", "former Google engineer".
_PAST_BEFORE = re.compile(
    r"\b(?:formerly|previously|former|ex|once|earlier|spent\s+(?:\w+\s+){0,3}(?:at|with))"
    r"(?:\s+[\w-]+){0,3}?[\s-]+(?:of\s+|at\s+|with\s+|from\s+)?\Z"
    # "a veteran of Google's research labs", "an alumnus of DeepMind": where a career was.
    r"|\b(?:veteran|alumn(?:us|a|i|ae)|alum|graduate)\s+of\s+(?:the\s+)?\Z",
    re.IGNORECASE,
)
# Where a clause's subject stands: at the start, after a comma, a conjunction or a speech verb;
# an entity elsewhere is an object ("Ba joined xAI and left") and does not hide the subject.
_SUBJECT_SLOT = re.compile(
    r"(?:\A|[,;:]\s*|\b(?:and|but|that|said|says|while|as|after|before|because|when|so)\s+)"
    r"(?:[Tt]he\s+|[Ii]ts\s+)?\Z"
)
_WORD = re.compile(r"[\w'\u2019-]+")
_CLAUSE_BREAK = re.compile(r"[;:\u201c\u201d\"]")
_SPEECH_AFTER = re.compile(
    r"(?:'s|\u2019s)?\s*(?:(?:has|had|have)\s+)?(?:said|says|confirmed|confirms|announced"
    r"|announces|told|tells|wrote|disclosed|stated)\b"
)


def _resolve(sentence: Sentence, kind: str, before: list[Mention]) -> Mention | None:
    earlier = [m for m in before if m.kind == kind]
    if earlier:
        return earlier[0] if kind == PERSON else earlier[-1]
    recent = [name for name in sentence.recent if name.kind == kind]
    if kind == COMPANY:
        # "the company" is the one the article is about rather than the last one named in
        # passing ("Kosic went back to OpenAI. ... the company has lost its co-founders").
        # Of those, the one the title names first.
        recent.sort(
            key=lambda name: (
                name.entity_id not in sentence.headline,
                name.entity_id not in sentence.about,
            )
        )
    else:
        # "his exit" in a story headlined with one person's move is that person's, not that of
        # the founder named in passing since.
        recent.sort(key=lambda name: name.entity_id not in sentence.headline)
    if recent:
        return Mention(recent[0].entity_id, kind, -1, -1)
    return None


def _mentions(sentence: Sentence) -> tuple[Mention, ...]:
    found = [Mention(n.entity_id, n.kind, n.start, n.end) for n in sentence.names]
    taken = [(n.start, n.end) for n in sentence.names]
    refs: list[tuple[int, int, str]] = [
        (m.start(), m.end(), PERSON) for m in _PERSON_PRONOUN.finditer(sentence.text)
    ]
    refs += [(m.start(), m.end(), COMPANY) for m in _COMPANY_REF.finditer(sentence.text)]
    for start, end, kind in sorted(refs):
        if any(start < e and end > s for s, e in taken):
            continue
        before = sorted(
            (m for m in found if m.start < start and not _came_from(sentence.text, m)),
            key=lambda m: m.start,
        )
        target = _resolve(sentence, kind, before)
        if target is not None:
            found.append(Mention(target.entity_id, kind, start, end, pronoun=True))
    return tuple(sorted(found, key=lambda m: m.start))


def _is_past(text: str, mention: Mention) -> bool:
    """Is this company named as a past employer ("formerly of Google", "former Google CFO")?"""
    before = text[max(0, mention.start - 60) : mention.start]
    return mention.kind == COMPANY and _PAST_BEFORE.search(before) is not None


def _came_from(text: str, mention: Mention) -> bool:
    """ "joined xAI from Google": where someone came from is not "the company" of the sentence."""
    return _is_past(text, mention) or text[: mention.start].endswith(("from ", "From "))


def _asides(text: str) -> tuple[Aside, ...]:
    found: list[Aside] = []
    for m in _ASIDE_OPEN.finditer(text):
        if found and m.start() < found[-1].end:
            continue
        mark = m["mark"].strip()
        if mark == "(":
            end_re = _ASIDE_END["("]
        elif mark == ",":
            end_re = _ASIDE_END[","]
        else:
            end_re = _DASH_END
        close = end_re.search(text, m.end())
        end = close.start() if close else len(text)
        background = m["word"].lower() in _BACKGROUND_WORDS
        found.append(Aside(m.start(), end, background))
    return tuple(found)


@dataclass
class Reading:
    """A sentence read once for all the people rules that look at it."""

    sentence: Sentence
    text: str = field(init=False)
    mentions: tuple[Mention, ...] = field(init=False)
    asides: tuple[Aside, ...] = field(init=False)
    _dates: list[EventDate] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.text = self.sentence.text
        self.mentions = _mentions(self.sentence)
        self.asides = _asides(self.text)

    @property
    def dates(self) -> list[EventDate]:
        if self._dates is None:
            self._dates = find_dates(self.text, published=self.sentence.published)
        return self._dates

    def has(self, kind: str) -> bool:
        return any(m.kind == kind for m in self.mentions)

    def about_company(self, avoid: AbstractSet[int] = frozenset()) -> Mention | None:
        """The one company the article is about (of those it has named so far), if only one."""
        about = self.sentence.about
        if not about:
            return None
        known = {
            n.entity_id for n in (*self.sentence.names, *self.sentence.recent) if n.kind == COMPANY
        }
        known.update(c for companies in self.sentence.employers.values() for c in companies)
        found = sorted(known & about - avoid)
        if len(found) > 1:
            # Of several, the one the title names: "xAI" in "Two more founders leave xAI".
            found = [company for company in found if company in self.sentence.headline]
        if len(found) != 1:
            return None
        return Mention(found[0], COMPANY, -1, -1, pronoun=True)

    def has_named(self, kind: str) -> bool:
        return any(n.kind == kind for n in self.sentence.names)

    def aside_of(self, pos: int) -> Aside | None:
        for aside in self.asides:
            if aside.start <= pos < aside.end:
                return aside
        return None

    def outside(self, start: int, end: int, keep: Aside | None = None) -> str:
        """The text between start and end without the asides (other than `keep`) in it."""
        parts, cursor = [], start
        for aside in self.asides:
            if aside is keep or aside.end <= start or aside.start >= end:
                continue
            parts.append(self.text[cursor : max(cursor, aside.start)])
            cursor = max(cursor, aside.end)
        parts.append(self.text[cursor:end] if cursor < end else "")
        return "".join(parts)

    def visible(self, mention: Mention, pos: int) -> bool:
        """Can `mention` be the subject of a word at pos (not hidden in an aside pos is not in)?"""
        home = self.aside_of(mention.start)
        return home is None or home is self.aside_of(pos)

    def subject(
        self, pos: int, kinds: tuple[str, ...] = (PERSON,), words: int = 12
    ) -> Mention | None:
        """The nearest visible mention before pos, if it is of one of `kinds` and close enough."""
        here = self.aside_of(pos)
        if here is not None and here.background and _COORDINATED.search(self.text, here.start, pos):
            # "Kroiss, who had run infrastructure since 2023 and left this month,": the
            # relative clause's second verb, however long its first, is its head's.
            head = next((m for m in self.mentions if m.end == here.start), None)
            if head is not None and head.kind in kinds and _WHO.match(self.text, here.start):
                return head
        for mention in reversed(self.mentions):
            if mention.end > pos or not self.visible(mention, pos):
                continue
            gap = self.outside(mention.end, pos, keep=here)
            if len(_WORD.findall(gap)) > words or _CLAUSE_BREAK.search(gap):
                return None
            if mention.kind in kinds:
                if mention.kind == PERSON and not self._can_lead(mention, gap, pos):
                    return None
                return mention
            if _SUBJECT_SLOT.search(self.text, 0, mention.start):
                return None  # another entity is the verb's subject: "Musk said xAI left beta"
        return None

    def _can_lead(self, person: Mention, gap: str, pos: int) -> bool:
        """Can `person`, `gap` before the word at pos, be that word's subject? Not when a
        preposition governs them ("the people who built xAI with Musk have left"), nor when a
        verb of their own stands between ("the founders Musk hired in 2023 have left") or a
        clause opened after them has a subject of its own ("Musk split xAI after co-founder
        exits"). A participle or an infinitive shares the subject: "Ba confirmed leaving",
        "Ba decided to leave", "Ba stayed until March before leaving"."""
        if person.start >= 0 and _GOVERNED.search(self.text, 0, person.start):
            return False
        if _GERUND.match(self.text, pos):
            return True
        verb = _OWN_CLAUSE_VERB.search(gap)
        if (
            verb is not None
            and _NO_OBJECT.match(gap, verb.end())
            and not _JOINED_AFTER.search(gap, verb.end())
        ):
            return False
        opener = _SUBORDINATOR.search(gap)
        return opener is None or _JOINED_AFTER.search(gap, opener.end()) is not None

    def after(self, kind: str, start: int, end: int) -> Mention | None:
        for mention in self.mentions:
            if mention.kind == kind and start <= mention.start < end:
                return mention
        return None

    def between(self, kind: str, start: int, end: int) -> list[Mention]:
        return [m for m in self.mentions if m.kind == kind and start <= m.start and m.end <= end]

    def coordinated(self, head: Mention) -> list[Mention]:
        """`head` and those of its kind listed with it before it: "Kosic, Szegedy and Yang"."""
        group = [head]
        for mention in reversed(self.mentions):
            first = group[0]
            if mention.start >= first.start:
                continue
            if mention.kind != head.kind or not _LIST_JOIN.fullmatch(
                self.text[mention.end : first.start]
            ):
                break
            group.insert(0, mention)
        return group

    def listed_after(self, head: Mention) -> list[Mention]:
        """`head` and the people listed with it after it: "of Kosic and Szegedy"."""
        group = [head]
        for mention in self.mentions:
            if mention.start <= head.start:
                continue
            if mention.kind != head.kind or not _LIST_JOIN.fullmatch(
                self.text[group[-1].end : mention.start]
            ):
                break
            group.append(mention)
        return group

    def named(self, entity_id: int) -> list[Mention]:
        return [m for m in self.mentions if m.entity_id == entity_id and not m.pronoun]

    def past_employer(self, mention: Mention) -> bool:
        """Named as a past employer, alone or listed after one: "previously worked at DeepMind
        and OpenAI" names two."""
        if mention.start < 0:
            return False
        if _is_past(self.text, mention):
            return True
        listed = [m for m in self.mentions if m.kind == COMPANY and 0 <= m.end <= mention.start]
        if not listed or not _NAMES_JOINED.fullmatch(self.text, listed[-1].end, mention.start):
            return False
        return self.past_employer(listed[-1])

    def employer_of(self, person: Mention, *, past: bool = False) -> Mention | None:
        """The company a person's own words tie them to: "xAI co-founder Ba", "xAI's Ba", "Ba,
        a co-founder of xAI," or "Ba, who co-founded xAI,". With `past`, only a past employer
        ("former Google engineer Ba", "Ba, formerly of Google,"); otherwise never one."""
        for named in self.named(person.entity_id) or [person]:
            if named.start < 0:
                continue
            titled = _TITLED.search(self.text, max(0, named.start - 60), named.start)
            # "OpenAI and Kosic" lists two names; a title has a word of its own.
            if titled is not None and _CONNECTORS.issuperset(titled.group().lower().split()):
                titled = None
            if titled is not None:
                company = next(
                    (m for m in self.mentions if m.kind == COMPANY and m.end == titled.start()),
                    None,
                )
                if company is not None and self.past_employer(company) == past:
                    return company
            aside = next((a for a in self.asides if a.start == named.end), None)
            if aside is not None:
                companies = [
                    c
                    for c in self.between(COMPANY, aside.start, aside.end)
                    if self.past_employer(c) == past
                ]
                if companies:
                    return companies[-1]
        return None

    def speaker(self, end: int) -> Mention | None:
        """A company that speaks before `end` or right after the event: "xAI said", "the company
        confirmed"."""
        for mention in self.mentions:
            if mention.kind == COMPANY and _SPEECH_AFTER.match(self.text, mention.end):
                return mention
        return None

    def scoped(self, events: list[Event]) -> list[tuple[Event, Span]]:
        """The events with the recaps' gapped names added, each with the part of the sentence
        its date and status are read from (an event told in an aside reads only the aside)."""
        main = [e for e in events if self.aside_of(e.trigger[0]) is None]
        limits = [e.anchor for e in main[1:]] + [len(self.text)] * bool(main)
        for event, limit in list(zip(main, limits, strict=True)):
            main += _gapped(self, event, limit)
        main.sort(key=lambda e: e.anchor)
        scoped = list(zip(main, _scopes(self.text, main), strict=True))
        for event in events:
            aside = self.aside_of(event.trigger[0])
            if aside is not None:
                scoped.append((event, (aside.start, aside.end)))
        return sorted(scoped, key=lambda pair: pair[0].anchor)

    def topic(self) -> Mention | None:
        """The sentence's subject company, when it opens the sentence before any person: "xAI
        has lost three co-founders: ..."."""
        for mention in self.mentions:
            if mention.kind != COMPANY:
                return None
            if not mention.pronoun and not _PREPOSITION_BEFORE.search(self.text, 0, mention.start):
                return mention
        return None

    def date(self, trigger: Span, scope: Span) -> EventDate | None:
        """The date of the event carried by `trigger`: the nearest date within its scope and its
        own clause; an aside's date only when the clause has none; never a background one."""
        home = self.aside_of(trigger[0])
        own: list[EventDate] = []
        lent: list[EventDate] = []
        filed: list[EventDate] = []
        for found in self.dates:
            if found.start < scope[0] or found.end > scope[1]:
                continue
            if _dateline(self.text, found):
                # "SAN FRANCISCO, Feb 11 (Wirestream) -": when the story was filed, the date
                # only when the story gives no other.
                filed.append(found)
                continue
            aside = self.aside_of(found.start)
            if found.start >= trigger[1] and _NEXT_CLAUSE.search(
                self.text, trigger[1], found.start
            ):
                continue  # "joined xAI and left in 2024": the date of the next verb
            if found.start >= trigger[1] and _RELATIVE.search(self.text, trigger[1], found.start):
                continue  # "Ba's departure means the people who launched xAI in 2023 are gone"
            if found.start >= trigger[1] and _OTHER_EVENT.search(
                self.text, trigger[1], found.start
            ):
                continue  # "His exit comes a week after SpaceX agreed ... on February 2"
            if aside is home:
                own.append(found)
            elif (
                home is None
                and aside is not None
                and not aside.background
                and not _OWN_VERB.search(self.text, aside.start, found.start)
            ):
                lent.append(found)
        pool = own or lent or filed
        if not pool:
            return None
        # "co-founded OpenAI in 2015 and left its board in 2018": a date before the verb that a
        # coordination separates from it dates the verb before, unless no other date is given.
        pool = [d for d in pool if not _COORDINATED.search(self.text, d.end, trigger[0])] or pool
        return min(pool, key=lambda d: _distance((d.start, d.end), trigger))

    def status(self, trigger: Span, scope: Span) -> Status | None:
        """status_of on the event's clause, without the relative clauses it does not sit in
        ("Ba, who never joined Google, left xAI" is not a negated departure)."""
        home = self.aside_of(trigger[0])
        if home is not None:
            return _hedged(self.text[home.start : home.end])
        parts, cursor = [], scope[0]
        for aside in self.asides:
            if not aside.background or aside.end <= scope[0] or aside.start >= scope[1]:
                continue
            parts.append(self.text[cursor : max(cursor, aside.start)])
            cursor = max(cursor, aside.end)
        parts.append(self.text[cursor : scope[1]] if cursor < scope[1] else "")
        return _hedged("".join(parts))


def move_findings(
    reading: Reading,
    events: list[Event],
    *,
    kind: EventType,
    company_role: Role,
    other_role: Role,
    rule: str,
    version: int,
) -> list[Finding]:
    """The findings of a sentence's people moves (departures or hires), one per person and
    company: each move that names its company and is not negated, dated and given a status by
    its own part of the sentence. An undated move told in an aside ("Kosic, the first of xAI's
    founders to leave, ...") is background, not news."""
    findings: list[Finding] = []
    seen: set[tuple[int, int]] = set()
    for event, scope in reading.scoped(events):
        status = reading.status(event.trigger, scope)
        if status is None or event.company is None:
            continue
        date = reading.date(event.focus, scope)
        if date is None and reading.aside_of(event.trigger[0]) is not None:
            continue
        company = event.company.entity_id
        for person in event.persons:
            key = (person.entity_id, company)
            if key in seen or person.entity_id == company:
                continue
            seen.add(key)
            participants = [(Role.PERSON, person.entity_id), (company_role, company)]
            if event.other is not None and event.other.entity_id != company:
                participants.append((other_role, event.other.entity_id))
            findings.append(
                Finding(
                    type=kind,
                    participants=tuple(participants),
                    date=date,
                    status=status,
                    rule=rule,
                    version=version,
                    trigger=event.trigger,
                )
            )
    return findings


def _hedged(clause: str) -> Status | None:
    """status_of, and a report from an unnamed outlet is a rumour: "a single site is reporting
    that", "according to an unverified post"; status_of reads those as confirmed."""
    status = status_of(clause)
    if status == Status.CONFIRMED and _UNNAMED_SOURCE.search(clause):
        return Status.RUMOURED
    return status


_UNNAMED_SOURCE = re.compile(
    r"\b(?:(?:a|an|one|single)\s+(?:[\w-]+\s+){0,3}?(?:site|website|report|outlet|blog|newsletter"
    r"|account|aggregator|tabloid|post|forum|leaker)\s+(?:is\s+reporting|reports|reported|claims"
    r"|claimed|says|said|suggests|suggested|alleges|alleged)\b"
    r"|according\s+to\s+(?:a|an|one)\s+(?:[\w-]+\s+){0,3}?(?:site|website|outlet|blog|newsletter"
    r"|account|aggregator|tabloid|post|forum|leaker)\b"
    r"|\b(?:unconfirmed|unverified)\s+(?:[\w-]+\s+)?(?:reports?|posts?|claims?|accounts?))",
    re.IGNORECASE,
)


# A preposition (and perhaps a title) before a person: "with Musk", "alongside co-founder Ba".
_GOVERNED = re.compile(
    r"\b(?:with|alongside|by|from|for|to|of|at|under|against|than|besides?|behind|beside"
    r"|toward|towards|into|among|between|without)\s+(?:(?-i:[a-z][\w-]*)\s+){0,2}\Z",
    re.IGNORECASE,
)
_GERUND = re.compile(r"\w+ing\b")
# A past-tense verb of the subject's own between it and the word read: "Musk hired in 2023".
_OWN_CLAUSE_VERB = re.compile(
    r"\b(?!(?:indeed|need|speed|seed|embed|shed|bed|red|fed)\b)(?:[a-z]{3,}ed|built|brought"
    r"|led|ran|met|made|took|chose|picked|found|sold|bought|began|hired|named|won|set)\b"
)
# A relative clause's verb has no object of its own (its object is the noun before the
# person): what follows it is a preposition, a date, an auxiliary, or the word read itself.
# "Ba called it quits" has one.
_NO_OBJECT = re.compile(
    r"\s*(?:\Z|(?:in|on|at|with|from|for|last|this|early|late|years?|months?|since|over|back"
    r"|together|personally|himself|herself|has|have|had|are|were|is|was|now|all|both)\b)"
)
# What hands the subject back after a verb or clause of its own: a coordination, a comma, or
# an infinitive ("Ba joined xAI in 2023 and left", "Ba decided to leave").
_JOINED_AFTER = re.compile(r",|\b(?:and|but|or|then|to|yet)\b")
_SUBORDINATOR = re.compile(
    r"\b(?:after|before|as|because|since|while|when|although|though|until|once|amid|following"
    r"|whereas|unless|if)\b"
)
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:of|at|with|to|from|for|by|on|in|after|before|against|than|like|over)\s+(?:the\s+)?\Z",
    re.IGNORECASE,
)


# A verb of an aside's own before its date: "Kosic, one of the people Musk presented last July,"
# dates the presenting. A report's verbs ("a spokesperson confirmed on Tuesday") still lend.
_OWN_VERB = re.compile(
    r"\b(?!(?:confirm|announc|report|post|stat|disclos|add|not|quot|publish|tweet|writ)ed\b)"
    r"[a-z]{3,}ed\b"
)
_RELATIVE = re.compile(r"\b(?:who|whom|whose|which)\b|\b(?:people|person|those|one)\s+that\b")
# A clause of another event after the trigger: a subordinator, then a verb of its own before
# the date ("left after SpaceX agreed to buy xAI on Monday"); "left after three years at xAI in
# March" has no verb there.
_OTHER_EVENT = re.compile(
    r"\b(?:after|before|since|when|until|following|as)\s+(?:[\w'\u2019-]+\s+){0,10}?"
    r"(?!(?:need|speed|indeed|based|related|expected|scheduled|planned)\b)(?:[a-z]{3,}ed|said|made"
    r"|took|won|bought|sold|began|came|went|left|met|told|became|agreed|unveiled)\b"
)
_DATELINE_BEFORE = re.compile(r"\A\s*(?:[A-Z][A-Za-z.'-]*\s*){1,4},\s*\Z")
_DATELINE_AFTER = re.compile(r"\s*(?:\([^)]{1,40}\)\s*)?(?:[-\u2013\u2014]|--)")


def _dateline(text: str, found: EventDate) -> bool:
    return bool(
        _DATELINE_BEFORE.match(text, 0, found.start) and _DATELINE_AFTER.match(text, found.end)
    )


_NEXT_CLAUSE = re.compile(r";|\b(?:and|but|while|whereas)\s+(?!in\b|on\b|last\b|early\b|late\b)")
_WHO = re.compile(r",\s*who\b")
# A verb coordinated with the one before it: "... and left", "..., but later quit".
_COORDINATED = re.compile(r"\b(?:and|but)\s+(?:(?:then|later|also|soon|eventually|\w+ly)\s+)*\Z")
_BOUNDARY = re.compile(r",|;|\b(?:and|while|whereas|but)\b|\bfollowed\s+by\b")
_GAPPED_BEFORE = re.compile(
    r"(?:,\s*(?:and\s+|then\s+|followed\s+by\s+)?|\s+and\s+(?:then\s+)?|;\s*"
    r"|,?\s+followed\s+by\s+)(?:(?:co-?founder|fellow\s+co-?founder|[a-z-]+)\s+)?\Z"
)


def _gapped(reading: Reading, event: Event, limit: int) -> list[Event]:
    """The people a recap lists after the verb, each with a date of their own: "Kosic left in
    2024 and Szegedy in February 2025", "xAI hired Ba in 2023 and Kosic in 2024"."""
    text = reading.text
    found: list[Event] = []
    taken = {p.entity_id for p in event.persons}
    for person in reading.mentions:
        if person.kind != PERSON or person.start < event.trigger[1] or person.start >= limit:
            continue
        if person.entity_id in taken or not _GAPPED_BEFORE.search(text, 0, person.start):
            continue
        date = next((d for d in reading.dates if d.start >= person.end), None)
        if date is None or text[person.end : date.start].strip(" ,"):
            continue
        taken.add(person.entity_id)
        focus = (person.start, person.end)
        found.append(
            Event([person], event.company, event.other, event.trigger, person.start, focus)
        )
    return found


def _boundary(text: str, start: int, end: int) -> int:
    found = [m.start() for m in _BOUNDARY.finditer(text, start, end)]
    return found[-1] if found else end


def _scopes(text: str, events: list[Event]) -> list[Span]:
    """Each main-clause event's share of the sentence: up to the last clause break before the
    next event's words, so that each reads its own date and status."""
    scopes: list[Span] = []
    start = 0
    for i, event in enumerate(events):
        end = len(text)
        if i + 1 < len(events):
            end = max(_boundary(text, event.focus[1], events[i + 1].anchor), event.anchor + 1)
        scopes.append((start, end))
        start = end
    return scopes


def _distance(a: Span, b: Span) -> int:
    return max(0, a[0] - b[1], b[0] - a[1])


_LIST_JOIN = re.compile(
    r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)(?:(?:fellow\s+)?(?:co-?)?[a-z-]+(?:\s+[a-z-]+)?\s+)?"
)
# Title words between a company and a person: "xAI co-founder", "xAI's chief financial officer".
_TITLED = re.compile(
    r"(?:['\u2019]s)?(?:\s+(?:former|ex-|then-|now-|longtime|founding|chief|senior|lead|head"
    r"|co-?founders?|founders?|president|ceo|cfo|cto|coo|cso|cpo|vice|vp|svp|evp|executive"
    r"|director|officer|engineer|researcher|scientist|adviser|advisor|general|counsel|of|the"
    r"|financial|technology|technical|operating|product|research|science|marketing|legal"
    r"|communications|ai|and|infrastructure|engineering|security|safety|team|policy|[a-z]+-?level)[,]?)+\s+\Z",
    re.IGNORECASE,
)


_CONNECTORS = frozenset({"and", "of", "the"})
# Nothing but a list's joint between two names: "DeepMind and OpenAI", "Google, Meta".
_NAMES_JOINED = re.compile(r",?\s+(?:and|or)\s+|,\s+")


def word_count(text: str) -> int:
    return len(_WORD.findall(text))
