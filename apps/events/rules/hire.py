"""Hires: a person joins a company ("Ba joined OpenAI", "Ba joins OpenAI from xAI", "OpenAI hired
Ba", "Ba has been named CFO of xAI", "xAI appointed Ba", "Ba was brought on by xAI").

Participants: PERSON and DESTINATION (the company joined, both required), FROM_COMPANY when the
sentence says where they came from ("from xAI", "left xAI to join OpenAI", "former Google
researcher Ba", "Ba, formerly of Google,"). Choices:

- "joined" needs a company right after it: "joined Musk on stage" and "joined forces with" are
  not hires, nor is joining someone's lawsuit or call.
- "named" with a person before it and no "was"/"has been" is a headline ("Ba named CFO of
  xAI") only when a title follows; otherwise it is naming something ("Musk named his son X").
- A move told as leaving ("left xAI for OpenAI", "went back to OpenAI", "defected to OpenAI")
  is a departure with a destination, not a hire as well: the departure rule reads it. A move
  told as joining ("joined OpenAI from xAI", "moved from xAI to OpenAI") is a hire.
"""

import re

from apps.events.rules.base import COMPANY, PERSON, Finding, Rule, Sentence
from apps.events.rules.people import Event, Mention, Reading, move_findings, word_count
from apps.events.vocabulary import EventType, Role

NAME = "hire"
VERSION = 2

_KEYWORDS = re.compile(
    r"join|hire|hiring|appoint|named|names|tap|recruit|poach|lure|brought|bring|helm|sign"
    r"|moved|moves|moving|heads to|headed to|took|take|taking",
    re.IGNORECASE,
)
_TRIGGER = re.compile(
    r"""
    (?P<join>\b(?:re)?join(?:s|ed|ing)?\b(?!\s+forces)
      | \bsign(?:s|ed|ing)?\s+on\s+(?:with|at|to)\b
      | \b(?:take|takes|took|taking)\s+(?:over\s+)?the\s+helm\s+(?:at|of)\b
      | \bhead(?:s|ed|ing)?\s+to\b
      | \bmov(?:e|es|ed|ing)(?P<moved_from>\s+from\s+[^,;:.]{1,40}?)?\s+to\b)
  | (?P<took>\b(?:took|takes|take|taking)\s+(?:up\s+)?(?:the|her|his|their|that)\s+(?:top\s+)?
      (?:job|role|post|position)(?=\s*[.,;]|\s+(?:in|on|at|of|with|as|last|this|after|two|three
      |\d)\b))
  | (?P<act>\b(?:hire[sd]?|hiring|appoint(?:s|ed|ing)?|name[sd]|naming|tap(?:s|ped)
      | recruit(?:s|ed|ing)?|poach(?:es|ed|ing)?|lure[sd]|brought\s+(?:on|in|aboard)
      | bring(?:s|ing)?\s+(?:on|in|aboard))\b)
    """,
    re.IGNORECASE | re.VERBOSE,
)
_JOIN_LEAD = re.compile(
    r"\s*(?:(?:rival|competitor|fellow|startup|ai|lab|company|firm|the|its|her|his)\s+){0,3}",
    re.IGNORECASE,
)
_NOT_JOINING = re.compile(
    r"(?:['\u2019]s)?\s+(?:lawsuit|suit|complaint|case|call|podcast|livestream|stream|event"
    r"|conference|panel|coalition|push|campaign|chorus|critics|letter|petition|protest)\b",
    re.IGNORECASE,
)
_PASSIVE = re.compile(
    r"\b(?:was|were|is|are|be|been|being|get|gets|got|getting)\s+(?:\w+\s+)?\Z", re.IGNORECASE
)
_TITLE = re.compile(
    r"\s+(?:as\s+)?(?:(?:the|its|their|a|an|new|interim|acting|first|permanent|next|co-?)\s+)*"
    r"(?:[\w.-]+['\u2019]s\s+)?(?:chief|head|president|vice|ceo|cfo|cto|coo|cso|cpo|chair\w*"
    r"|director|lead|senior|svp|evp|vp|managing|board|member|partner|executive|principal"
    r"|leader|manager|officer|engineer|researcher|scientist|adviser|advisor|general|to\s+the\s+board"
    r"|to\s+(?:lead|head|run))\b",
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(r"(?:his|[Hh]er(?=\s+[a-z]+\s+(?!as\b|to\b)))\b|His\b")
_BY = re.compile(r"\s+by\s+(?:the\s+)?", re.IGNORECASE)
_FROM = re.compile(r"\s+from\s+(?:(?:rival|the|its|fellow)\s+)?", re.IGNORECASE)
_LEFT = re.compile(
    r"\b(?:left|leaving|leaves|quit|quitting|departed|departing|exited|exiting)\s+", re.IGNORECASE
)
_AFTER_LEAVING = re.compile(
    r"(?:after|since|upon)\s+(?:leaving|quitting|departing|exiting)\s+", re.IGNORECASE
)
_WINDOW_STOP = re.compile(
    r"[,;:()\u2014]|\s--\s|\b(?:and|but|after|before|because|following|amid|while|when|where"
    r"|which|who|since|said|says|told|from)\b",
    re.IGNORECASE,
)


def _company_in_window(reading: Reading, start: int, words: int = 8) -> Mention | None:
    """The first company after start, before the clause moves on ("named CFO of xAI")."""
    stop = _WINDOW_STOP.search(reading.text, start)
    end = stop.start() if stop else len(reading.text)
    company = reading.after(COMPANY, start, end)
    if company is None or word_count(reading.text[start : company.start]) > words:
        return None
    return company


def _came_from(reading: Reading, person: Mention, start: int, end: int) -> Mention | None:
    """Where the person came from: "from xAI" after the hire, "left xAI to join" before it, or a
    past employer named with them."""
    text = reading.text
    after = _FROM.match(text, end)
    if after is not None:
        company = reading.after(COMPANY, after.end(), after.end() + 1)
        if company is not None:
            return company
    aside = next((a for a in reading.asides if a.start == person.end), None)
    if person.end <= start or aside is not None:
        until = aside.end if aside is not None and person.end > start else start
        for left in _LEFT.finditer(text, person.end, until):
            company = reading.after(COMPANY, left.end(), left.end() + 1)
            if company is not None:
                return company
    opening = _AFTER_LEAVING.match(text)  # "After leaving xAI, Ba joined Anthropic"
    if opening is not None and opening.end() <= person.start:
        company = reading.after(COMPANY, opening.end(), opening.end() + 1)
        if company is not None:
            return company
    return reading.employer_of(person, past=True)


def _join(reading: Reading, m: re.Match[str]) -> Event | None:
    text = reading.text
    subject = reading.subject(m.start())
    if subject is None:
        return None
    lead = _JOIN_LEAD.match(text, m.end())
    at = lead.end() if lead else m.end()
    company = reading.after(COMPANY, m.end(), at + 1)
    if company is None or _NOT_JOINING.match(text, company.end):
        return None
    persons = reading.coordinated(subject)
    other = _came_from(reading, persons[0], m.start(), company.end) or _worked_at(
        reading, persons[-1], company
    )
    if m["moved_from"]:  # "moved from OpenAI to Anthropic"
        other = reading.after(COMPANY, m.start("moved_from"), m.end("moved_from")) or other
    return Event(persons, company, other, (m.start(), m.end()), subject.start, (m.start(), m.end()))


def _worked_at(reading: Reading, person: Mention, joined: Mention) -> Mention | None:
    """ "Milich and Ginsberg, who led product at Cursor, joined xAI": the company a relative
    clause on the newcomers puts them at, in the past, is where they came from."""
    aside = next((a for a in reading.asides if a.start == person.end), None)
    if aside is None or not aside.background or aside.end > joined.start:
        return None
    if not _WHO_WORKED.match(reading.text, aside.start):
        return None
    for company in reading.between(COMPANY, aside.start, aside.end):
        if company.entity_id != joined.entity_id and _AT.search(reading.text, 0, company.start):
            return company
    return None


_WHO_WORKED = re.compile(
    r",\s*who\s+(?:had\s+)?(?:(?:previously|formerly|once|most\s+recently|until\s+\w+(?:\s+\d{4})?"
    r"|co-?)\s*)*(?:worked|led|ran|headed|oversaw|managed|built|spent|was|were|served|helped"
    r"|co-led|co-founded|founded|started)\b",
    re.IGNORECASE,
)
_AT = re.compile(r"\b(?:at|for|of|with)\s+(?:the\s+)?\Z", re.IGNORECASE)
_TOOK_AT = re.compile(r"\s+(?:at|of|with)\s+", re.IGNORECASE)
_NOT_TAKEN = re.compile(
    r"\b(?:declined|refused|turned\s+down|not|never|n['\u2019]t)\s+(?:to\s+)?(?:\w+\s+)?\Z",
    re.IGNORECASE,
)


def _took(reading: Reading, m: re.Match[str]) -> Event | None:
    """ "Yaccarino took the job in June 2023": the job is at the company named after it, or
    else the one the knowledge base (or the article) says the person works at."""
    text = reading.text
    subject = reading.subject(m.start())
    if subject is None or _NOT_TAKEN.search(text, 0, m.start()):
        return None
    at = _TOOK_AT.match(text, m.end())
    company: Mention | None = None
    if at is not None:
        company = reading.after(COMPANY, at.end(), at.end() + 1)
        if company is None:
            return None  # "took the job at a start-up": not a company we know
    else:
        known = reading.sentence.employers.get(subject.entity_id, ())
        if known:
            company = Mention(known[0], COMPANY, -1, -1, pronoun=True)
        else:
            company = reading.topic() or next(
                (
                    Mention(n.entity_id, COMPANY, -1, -1, pronoun=True)
                    for n in reading.sentence.recent
                    if n.kind == COMPANY
                ),
                None,
            )
    if company is None:
        return None
    trigger = (m.start(), m.end())
    persons = reading.coordinated(subject)
    return Event(persons, company, None, trigger, subject.start, trigger)


def _act(reading: Reading, m: re.Match[str]) -> Event | None:
    text = reading.text
    trigger = (m.start(), m.end())
    subject = reading.subject(m.start(), kinds=(PERSON, COMPANY))
    passive = _PASSIVE.search(text, 0, m.start()) is not None
    obj = reading.after(PERSON, m.end(), m.end() + 60)
    if obj is not None and _POSSESSIVE.match(text, obj.start):
        obj = None  # "named his son X"
    if obj is not None and (
        word_count(text[m.end() : obj.start]) > 4 or re.search(r"[,;:]", text[m.end() : obj.start])
    ):
        obj = None
    if subject is not None and subject.kind == PERSON and (passive or obj is None):
        headline = not passive and not text[subject.end : m.start()].strip()
        if not passive and not (headline and _TITLE.match(text, m.end())):
            return None
        by = _BY.match(text, m.end())
        joined = (
            reading.after(COMPANY, by.end(), by.end() + 1)
            if by is not None
            else _company_in_window(reading, m.end())
        )
        if joined is None:
            return None
        persons = reading.coordinated(subject)
        other = _came_from(reading, persons[0], m.start(), joined.end)
        return Event(persons, joined, other, trigger, subject.start, trigger)
    if obj is None:
        return None
    persons = reading.listed_after(obj)
    if subject is not None and subject.kind == COMPANY:
        company: Mention | None = subject
    elif _TITLE.match(text, persons[-1].end):  # "Musk tapped Ba to lead xAI's research"
        company = _company_in_window(reading, persons[-1].end) or reading.topic()
    else:
        return None
    if company is None:
        return None
    other = _came_from(reading, persons[0], m.start(), persons[-1].end)
    anchor = subject.start if subject is not None else m.start()
    return Event(persons, company, other, trigger, anchor, trigger)


def find(sentence: Sentence) -> list[Finding]:
    if not _KEYWORDS.search(sentence.text):
        return []
    if not any(n.kind == PERSON for n in (*sentence.names, *sentence.recent)):
        return []
    if not sentence.employers and not any(
        n.kind == COMPANY for n in (*sentence.names, *sentence.recent)
    ):
        return []
    reading = Reading(sentence)
    events = []
    for m in _TRIGGER.finditer(sentence.text):
        if m["join"]:
            event = _join(reading, m)
        elif m["took"]:
            event = _took(reading, m)
        else:
            event = _act(reading, m)
        if event is not None:
            events.append(event)
    return move_findings(
        reading,
        events,
        kind=EventType.HIRE,
        company_role=Role.DESTINATION,
        other_role=Role.FROM_COMPANY,
        rule=NAME,
        version=VERSION,
    )


RULE = Rule(name=NAME, version=VERSION, find=find)
