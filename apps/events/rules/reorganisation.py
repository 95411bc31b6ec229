"""Reorganisations: a company restructures itself ("xAI restructured its engineering teams",
"xAI announced a reorganisation", "xAI split into four units", "xAI was rebuilt from scratch",
"xAI overhauled its teams", "a leadership shake-up at xAI").

Participant: COMPANY (required): the subject ("xAI restructured"), the object of a person's
verb ("Musk reorganised xAI"), the owner of the noun ("xAI's restructuring", "a restructuring
at xAI"), then "the company"/"it" of the earlier sentences. Choices:

- What is reorganised must be the company or its people: "restructured its debt", "a stock
  split", "overhauled Grok's code" and "rebuilt Grok from scratch" are not reorganisations.
- "a restructuring firm" and a "chief restructuring officer" are job titles, not events.
"""

import re

from apps.events.rules.base import COMPANY, PERSON, Finding, Rule, Sentence
from apps.events.rules.people import Mention, Reading, Span
from apps.events.rules.when import EventDate, find_dates
from apps.events.vocabulary import EventType, Role

NAME = "reorganisation"
VERSION = 2

_KEYWORDS = re.compile(
    r"restructur|reorgani|re-org|reorg\b|overhaul|shake|shook|split|rebuil|consolidat|fold|divid"
    r"|carv",
    re.IGNORECASE,
)
_ORG = (
    r"(?:teams?|leadership|management|structure|organi[sz]ation(?:al)?|org|orgs|divisions?"
    r"|units?|workforce|executive|executives|staff|departments?|ranks|c-suite|groups?"
    r"|operations|company|business|businesses|engineering|research|hierarchy|itself)"
)
_TRIGGER = re.compile(
    rf"""
    \b(?:
        restructur(?:e|es|ed|ing)|re-?organi[sz](?:e|es|ed|ing|ation|ations)|re-?orgs?
      | overhaul(?:s|ed|ing)?|shake-?ups?|shook\s+up|shak(?:e|es|ing)\s+up
      | split(?:s|ting)?\s+(?:(?:its|the|their|itself)\s+(?:[\w-]+\s+){{0,3}}?)?into
      | (?:divid(?:e|es|ed|ing)|carv(?:e|es|ed|ing))\s+(?:up\s+)?(?:[\w.-]+\s+){{1,3}}?into
        \s+(?:[\w-]+\s+){{0,2}}?(?:units|divisions|groups|teams|areas|companies|businesses
        |segments|arms|orgs|organi[sz]ations)
      | rebuil(?:t|d|ds|ding)\b(?P<rebuilt>[^.;]{{0,40}}?)(?:from\s+(?:scratch|the\s+ground\s+up))
      | consolidat(?:e|es|ed|ing)\s+(?:its|the|their)\s+(?:[\w-]+\s+){{0,3}}?{_ORG}
      | fold(?:s|ed|ing)?\s+(?:its|the|their)\s+(?:[\w-]+\s+){{0,3}}?{_ORG}\s+into
    )\b
    """,
    re.IGNORECASE | re.VERBOSE,
)
_NOT_ORG_OBJECT = re.compile(
    r"\s+(?:of\s+)?(?:its|the|their|a)\s+(?:[\w-]+\s+){0,2}?(?:debt|loans?|deal|financing|bonds?"
    r"|terms|contract|agreement|payments?|offer|obligations|lease|code|codebase|model|app"
    r"|website|product|pricing|prices|plans?\s+for\s+customers)\b",
    re.IGNORECASE,
)
_NOT_EVENT_AFTER = re.compile(
    r"\s+(?:firm|advisers?|advisors?|experts?|specialists?|lawyers?|attorneys?|officer|practice"
    r"|partner)\b",
    re.IGNORECASE,
)
_ORG_NEAR = re.compile(rf"\b{_ORG}\b", re.IGNORECASE)
_STOCK = re.compile(r"\bstock\s+\Z|\bshare\s+\Z", re.IGNORECASE)
_OWNER_AFTER = re.compile(r"\s+(?:at|of|within|inside|across)\s+(?:the\s+)?", re.IGNORECASE)
# status_of knows the verbs of other events; these are this rule's own negations.
_NEGATED = re.compile(
    r"\b(?:(?:has|have|had|did|does|do|will|would|is|was|were|are)(?:\s+not|n['\u2019]t)"
    r"|never)\s+(?:yet\s+|been\s+)?(?:restructur|re-?organi|overhaul|split|rebuil|shak)",
    re.IGNORECASE,
)
_IT = re.compile(r"\b(?:it|its|itself)\b", re.IGNORECASE)
_NOUNS = ("reorganis", "reorganiz", "re-organ", "restructuring", "reorg", "re-org", "shake")
_POSSESSOR = re.compile(r"(?P<word>[\w-]+)['\u2019]s\s+(?P<mod>[\w-]+\s+)?\Z")
_TIME_WORD = re.compile(
    r"(?:month|week|year|quarter|(?:Jan|Febr)uary|March|April|May|June|July|August|September"
    r"|October|November|December|spring|summer|autumn|fall|winter)",
    re.IGNORECASE,
)


def _article_company(reading: Reading) -> list[Mention]:
    """The company a reorganisation the sentence does not pin down is at: that of a person of
    the sentence, or of most of the article's people, by the knowledge base; else the one the
    article named last."""
    employers = reading.sentence.employers
    for mention in reading.mentions:
        if mention.kind == PERSON and employers.get(mention.entity_id):
            return [Mention(employers[mention.entity_id][0], COMPANY, -1, -1, pronoun=True)]
    counts: dict[int, int] = {}
    for companies in employers.values():
        for company_id in companies:
            counts[company_id] = counts.get(company_id, 0) + 1
    shared = [c for c, n in counts.items() if n >= 2]
    if shared:
        return [Mention(max(shared, key=lambda c: counts[c]), COMPANY, -1, -1, pronoun=True)]
    for name in reading.sentence.recent:
        if name.kind == COMPANY:
            return [Mention(name.entity_id, COMPANY, -1, -1, pronoun=True)]
    return []


def _org_change(reading: Reading, m: re.Match[str]) -> bool:
    """Is what the trigger reorganises the company or its people?"""
    text = reading.text
    word = m.group().lower()
    if _NOT_ORG_OBJECT.match(text, m.end()) or _NOT_EVENT_AFTER.match(text, m.end()):
        return False
    if word.startswith("split") and _STOCK.search(text, 0, m.start()):
        return False
    if m["rebuilt"] is not None:
        between = m["rebuilt"]
        named = reading.between(COMPANY, m.start(), m.end())
        return not between.strip() or bool(named) or bool(_ORG_NEAR.search(between))
    if word.startswith(("overhaul", "shake", "shook", "shak")):
        window = text[max(0, m.start() - 30) : m.end() + 40]
        named_after = reading.after(COMPANY, m.end(), m.end() + 2) is not None
        return named_after or _ORG_NEAR.search(window) is not None
    return True


def _companies(reading: Reading, m: re.Match[str]) -> list[Mention]:
    text = reading.text
    owner = _OWNER_AFTER.match(text, m.end())
    if owner is not None and (company := reading.after(COMPANY, owner.end(), owner.end() + 1)):
        return [company]
    inside = reading.between(COMPANY, m.start(), m.end())
    if inside and not inside[0].pronoun:
        return inside[:1]
    # "Musk divided the company into four units": the person's company, by the knowledge
    # base, says which company better than the last one the article named.
    actor = reading.subject(m.start(), kinds=(PERSON,))
    known = reading.sentence.employers.get(actor.entity_id, ()) if actor else ()
    if inside:
        return [Mention(known[0], COMPANY, -1, -1, pronoun=True)] if known else inside[:1]
    subject = reading.subject(m.start(), kinds=(COMPANY,))
    if subject is not None:
        return reading.coordinated(subject)
    directly = reading.after(COMPANY, m.end(), m.end() + 2)
    if directly is not None:  # "Musk restructured xAI"
        return [directly]
    whose = _POSSESSOR.search(text, 0, m.start())
    if whose is not None and m.group().lower().startswith(_NOUNS):
        # "Musk's February reorganisation", "last month's restructuring": the company of the
        # person (by the knowledge base) or of the article.
        person = next(
            (p for p in reading.mentions if p.kind == PERSON and p.end == whose.end("word")), None
        )
        known = reading.sentence.employers.get(person.entity_id, ()) if person else ()
        if known:
            return [Mention(known[0], COMPANY, -1, -1, pronoun=True)]
        if person is not None or _TIME_WORD.fullmatch(whose["word"]):
            return _article_company(reading)
    if _IT.search(text):
        for name in reading.sentence.recent:
            if name.kind == COMPANY:
                return [Mention(name.entity_id, COMPANY, -1, -1, pronoun=True)]
    return []


def _clause(text: str, trigger: Span) -> Span:
    """The clause between semicolons that holds the trigger: its date is the event's."""
    start = text.rfind(";", 0, trigger[0]) + 1
    end = text.find(";", trigger[1])
    return (start, end if end >= 0 else len(text))


def _date(reading: Reading, m: re.Match[str]) -> EventDate | None:
    trigger = (m.start(), m.end())
    found = reading.date(trigger, _clause(reading.text, trigger))
    whose = _POSSESSOR.search(reading.text, 0, m.start())
    if found is not None or whose is None:
        return found
    # "last month's reorganisation", "Musk's March restructuring": the dates reader wants
    # "last month" and "in March".
    modifier = (whose["mod"] or "").strip()
    if _TIME_WORD.fullmatch(whose["word"]):
        phrase = reading.text[max(0, whose.start() - 12) : whose.end("word")]
    elif modifier and _TIME_WORD.fullmatch(modifier):
        phrase = f"in {modifier}"
    else:
        return None
    dates = find_dates(phrase, published=reading.sentence.published)
    return dates[-1] if dates else None


def find(sentence: Sentence) -> list[Finding]:
    if not _KEYWORDS.search(sentence.text):
        return []
    if not sentence.employers and not any(
        n.kind == COMPANY for n in (*sentence.names, *sentence.recent)
    ):
        return []
    reading = Reading(sentence)
    findings: list[Finding] = []
    seen: set[int] = set()
    for m in _TRIGGER.finditer(sentence.text):
        if not _org_change(reading, m):
            continue
        trigger = (m.start(), m.end())
        status = reading.status(trigger, (0, len(sentence.text)))
        if status is None or _NEGATED.search(sentence.text):
            continue
        for company in _companies(reading, m):
            if company.entity_id in seen:
                continue
            seen.add(company.entity_id)
            findings.append(
                Finding(
                    type=EventType.REORGANISATION,
                    participants=((Role.COMPANY, company.entity_id),),
                    date=_date(reading, m),
                    status=status,
                    rule=NAME,
                    version=VERSION,
                    trigger=trigger,
                )
            )
    return findings


RULE = Rule(name=NAME, version=VERSION, find=find)
