"""Departures: a person leaves a company ("Ba has left xAI", "Ba stepped down as CFO of xAI",
"xAI parted ways with Ba", "Ba was ousted by xAI", "xAI co-founder Ba announced his departure").

Participants: PERSON and FROM_COMPANY (both required), DESTINATION when the sentence says where
they went ("left xAI to join OpenAI", "departed for OpenAI"). Choices:

- The company left is the object of the verb ("left xAI", "resigned from the board of xAI", "is
  out as CEO of xAI"); failing that the person's own employer in the sentence ("xAI co-founder
  Ba", "Ba, who co-founded xAI,"), a company that reports it ("xAI said"), then the company of
  the earlier sentences. A past employer ("Ba, formerly of Google," "former Google engineer") and
  the destination never are.
- "left" and "leave" are verbs of many other things ("left the meeting", "left beta", "parental
  leave", "days left"): what follows the verb must be a company, a job ("his post"), or an adverb,
  a preposition or a date.
- Recaps give one finding per person, each with its own date: "Kosic left in 2024 and Szegedy
  in February 2025".
"""

import datetime
import re
from calendar import monthrange

from apps.events.rules.base import COMPANY, PERSON, Finding, Rule, Sentence
from apps.events.rules.people import Event, Mention, Reading, Span, move_findings, word_count
from apps.events.rules.when import MONTH, YEAR
from apps.events.vocabulary import EventType, Role

NAME = "departure"
VERSION = 2

_KEYWORDS = re.compile(
    r"left|leav|step|resign|quit|depart|exit|retir|out\b|ways|fire|oust|sack|dismiss|let\b"
    r"|remov|no longer|goodbye|farewell|defect|ship\b|last day|final day|walk|moved on|moving on"
    r"|return|rejoin|back\s+to|quietly|gone|\bgo\b|lost|loses|losing|g(?:i|a)v\w*\s+up",
    re.IGNORECASE,
)
_TRIGGER = re.compile(
    r"""
    (?P<verb>\b(?:
        left|leaves|leaving|leave|quit(?:s|ting)?|depart(?:s|ed|ing)?|exit(?:s|ed|ing)
      | resign(?:s|ed|ing)?|retir(?:e|es|ed|ing)
      | step(?:s|ped|ping)?\s+(?:down|away|aside|back)
      | (?:bow|walk)(?:s|ed|ing)?\s+out(?:\s+(?:of|on))?
      | walk(?:s|ed|ing)?\s+away\s+from|mov(?:e|es|ed|ing)\s+on\s+from
      | (?:go|goes|going|gone|went)\s+quietly(?!\s+(?:about|into|to|through|along|ahead|back|on))
      | head(?:s|ed|ing)?\s+(?:for|to|towards?)\s+the\s+exits?(?!\s+(?:door|sign)
          |\s+after\s+(?:the|his|her|their)\s+(?:[\w-]+\s+)?(?:keynote
          |speech|talk|meeting|event|panel|session|show|game|hearing|interview))
      | (?:is|was|are|were|now|been|be)\s+(?:also\s+|already\s+)?out(?=\s+(?:as|at|from|after
          |before|by|within|(?:\w+\s+)?(?:days|weeks|months)\s+(?:after|later))\b|\s*[.;,]?\s*\Z
          |\s*[.;]\s)
      | (?:is|was|are|were|been|has|have|had)\s+(?:both\s+|all\s+|also\s+|already\s+|now\s+
          |long\s+)?gone
          (?=\s+(?:by|from|before|after|since|in|too|as)\b|\s*[.;,]?\s*\Z|\s*[.;,]\s)
      | (?:is|was|are|were)\s+(?:the\s+)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth
          |ninth|tenth|last|latest|next|only|\d+(?:st|nd|rd|th))\s+(?:[\w'\u2019-]+\s+){0,4}?to\s+(?:go
          |leave|depart|exit|quit|resign)
      | no\s+longer\s+(?:with|at|works?\s+(?:at|for)|employed\s+by|part\s+of)
      | (?:said|says|saying|say|bid|bids|bidding|bade)\s+(?:goodbye|farewell)
      | defect(?:s|ed|ing)?|jump(?:s|ed|ing)?\s+ship
      | (?:give|gives|gave|giving|given)\s+up\s+(?:(?:the|his|her|their|its)\s+)?
          (?:[\w'\u2019-]+\s+){0,4}?(?:job|role|post|position|title|helm)
    )\b)
  | (?P<noun>\b(?:departure|exit|resignation|ouster|firing|dismissal|sacking|retirement
      | (?:last|final)\s+day)s?\b)
  | (?P<act>\b(?:fire[sd]|oust(?:s|ed)?|sack(?:s|ed)|dismiss(?:es|ed)|remov(?:es|ed)
      | (?:push(?:es|ed)?|forc(?:es|ed))\s+out|let\s+(?:go|[\w'\u2019]+(?:\s+\w+){0,2}?\s+go)
    )\b)
  | (?P<mutual>\bpart(?:s|ed|ing)?\s+ways\b)
  | (?P<gone>\b(?:now\s+)?(?:gone|departed|out\s+of\s+the\s+picture)(?=\s*,))
  | (?P<lost>\b(?:lost|loses|losing)\b)
  | (?P<back>\b(?:(?:go|goes|going|gone|went|come|comes|came|coming)\s+back\s+to
      | return(?:s|ed|ing)?\s+to|rejoin(?:s|ed|ing)?)(?=\s))
    """,
    re.IGNORECASE | re.VERBOSE,
)
# "left"/"leave" that are not a departure: "the left", "was left", "days left", "on leave".
_NOT_LEAVE_BEFORE = re.compile(
    r"\b(?:the|a|far|center|centre|was|were|been|being|get|got|gets|is|are|be|nothing|little"
    r"|what|much|time|days?|weeks?|months?|years?|hours?|on|of|medical|parental|sick|maternity"
    r"|paternity|annual|garden|unpaid|personal|family)\s+\Z",
    re.IGNORECASE,
)
_AUX_BEFORE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+\Z", re.IGNORECASE)
_NOT_LEAVE_AFTER = re.compile(
    r"(?:-|\s+(?:wing|over|behind|unchanged|untouched|open|alone|hand|side|out|in\s+place"
    r"|intact|unanswered|unclear|unresolved|room|a\s+(?:comment|note|message|mark)))\b",
    re.IGNORECASE,
)
# What may follow "left", "quit", "exited": a date or time, an adverb, a preposition, a clause.
_FREE = (
    "in on at after before for to from and but or over amid last this earlier early late"
    " shortly soon just only recently quietly abruptly suddenly months weeks days years less"
    " more within following since as with without citing because due around about nearly"
    " almost under when while once then now too also entirely altogether yesterday today"
    " tomorrow effective immediately end start two three"
    " several officially formally later mid"
)
_FREE_WORDS = frozenset(_FREE.split())
_JOB_WORDS = re.compile(
    r"\s+(?:the|his|her|their|its|this|a|an)\s+(?:[\w-]+\s+){0,2}?(?:company|startup|start-up"
    r"|firm|lab|team|board|role|roles|post|position|job|group|organi[sz]ation|business|venture"
    r"|outfit|helm|c-suite|leadership|payroll|ranks|seat|office|project|effort|unit|division"
    r"|employer|chatbot\s+maker|developer|executive\s+team)\b",
    re.IGNORECASE,
)
_POSSESSOR = re.compile(
    r"(?:(?P<s>['\u2019]s)|\b(?P<pro>his|her|their))\s+(?:[a-z-]+\s+){0,2}?\Z", re.IGNORECASE
)
_VERB_EXIT_BEFORE = re.compile(
    r"\b(?:to|will|would|could|may|might|should|must|did|plans?\s+to)\s+\Z", re.IGNORECASE
)
# "weighing an exit", "announced a departure": the verb's subject is the one leaving.
_LIGHT_VERB = re.compile(
    r"\b(?:weigh|consider|mull|plan|plot|eye|announc|confirm|negotiat|discuss|explor|prepar"
    r"|contemplat|make|made|making|seek|sought)\w*\s+(?:an?|his|her|their)\s+(?:[a-z-]+\s+)?\Z",
    re.IGNORECASE,
)
_SPEECH = re.compile(r"\s+(?:said|says|told|tells|wrote|added|noted)\b", re.IGNORECASE)
_PARTICIPLE = re.compile(r"(?:\A|[,;]\s*)(?:after|since|before|upon|on|while)\s+\Z", re.I)
_OF_AFTER = re.compile(r"\s+(?:from\s+\S+\s+)?of\s+", re.IGNORECASE)
_PASSIVE = re.compile(
    r"\b(?:was|were|is|are|be|been|being|get|gets|got|getting)\s+(?:\w+\s+)?\Z", re.IGNORECASE
)
_OBJECT_STOP = re.compile(
    r"[,;:()\u2014]|\s--\s|\b(?:to|for|and|but|or|after|before|because|following|amid|citing"
    r"|over|while|when|where|which|who|since|said|says|told|despite|until|saying|according"
    r"|than|if)\b",
    re.IGNORECASE,
)
_DESTINATION = re.compile(
    r"""\b(?:
        to\s+(?:re)?join
      | who\s+(?:has\s+|had\s+|is\s+)?(?:since|now|later|subsequently)\s+(?:joined|joining)
      | (?:and|before|later|then|since|now|has|had|have|is|will)
        (?:\s+(?:has|had|have|is|will|then|later|since|now|subsequently))*
        \s+(?:(?:re)?joined|(?:re)?joins|joining|join|moved\s+to|went\s+to|headed\s+to)
      | (?:re)?joining
      | to\s+(?:start|found|co-?found|launch|create|lead|head|run|work\s+(?:at|for|with)
          |become\s+(?:\w+\s+){1,4}(?:at|of)
          |take\s+(?:a|up\s+a|the)\s+(?:\w+\s+){0,2}(?:job|role|position|post)\s+(?:at|with))
      | for\s+(?:a\s+|an\s+)?(?:new\s+|similar\s+|senior\s+)?(?:job|role|position|post|seat)
          \s+(?:at|with)
      | for|to|now\s+(?:at|with)
    )\s+""",
    re.IGNORECASE | re.VERBOSE,
)
_DESTINATION_LEAD = re.compile(
    r"(?:(?:rival|competitor|fellow|ai|the|its|his|her|new|own|startup|lab|company|firm)\s+){0,3}",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r";|\.\s")
# "said goodbye to" a company or its people, not to "the crowd" or "his dog".
_FAREWELL_TO = re.compile(
    r"\s+to\s+(?:(?:his|her|their|the|its|[\w-]+['\u2019]s)\s+)?(?:[\w-]+\s+)?(?:colleagues"
    r"|co-?workers|team(?:mates)?|staff|employees|company|startup|start-up|firm|lab)\b",
    re.IGNORECASE,
)
_NEGATED_BEFORE = re.compile(
    r"\b(?:not|never|n['\u2019]t|no\s+plans?\s+to|refused\s+to|declined\s+to)"
    r"\s+(?:[\w-]+\s+){0,2}?\Z",
    re.IGNORECASE,
)
# Idioms whose negation status_of does not read.
_IDIOMS = ("walk", "bow", "go", "went", "head", "said", "say", "bid", "bade")
_FROM = re.compile(r"\s+from\s+", re.IGNORECASE)
# How far back the knowledge base's employers reach: the service passes stretches open at
# publication or closed within about three months of it.
_KNOWN_EMPLOYER_WINDOW = datetime.timedelta(days=92)
_ITS_JOB = re.compile(
    r"\s+(?:its|their)\s+(?:[\w-]+\s+){0,2}?(?:board|team|ranks|payroll|leadership|staff"
    r"|c-suite|helm|executive\s+team)\b",
    re.IGNORECASE,
)
_GERUND_BEFORE = re.compile(
    r"\b(?:for|about|of|on|with|without|described|discussed|explained|considered|regrets?"
    r"|regretted|called)\s+\Z",
    re.IGNORECASE,
)
_COPULA = re.compile(r"(?:is|was|are|were|now|been|be)\s")
_ORDINAL = re.compile(
    r"(?:is|was|are|were)\s+(?:the\s+)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|latest|next|only|\d)"
)
# What may stand between the subject and "was gone", "was the first to go": nothing but
# adverbs and auxiliaries ("Wu and Ba were both gone"; not "those Musk hired in 2023 are gone").
_COPULA_GAP = re.compile(
    r"[\s,]*(?:(?:both|all|also|now|already|then|too|each|has|have|had|finally|eventually"
    r"|ultimately|effectively|officially|quietly|soon)[\s,]+)*",
    re.IGNORECASE,
)
# "Szegedy left xAI in February, and Kosic went back to OpenAI": the company of the recap.
_WITH_OPENING = re.compile(
    r"(?:\A|[,;:]\s*|\b(?:and|but)\s+)(?:(?:co-?founders?|founders?)\s+)?[Ww]ith\s+"
    r"(?:(?:co-?founders?|founders?|both|fellow)\s+)*\Z"
)
_LEFT_BEFORE = re.compile(
    r"\b(?:left|leaves|leaving|quit|quits|exited|exits|departed|departs)\s+(?:the\s+)?\Z",
    re.IGNORECASE,
)
# Where the subject's own earlier verb puts them: "worked at xAI", "co-founded xAI and left".
_AT_BEFORE = re.compile(
    r"\b(?:at|for|(?:co-?)?found(?:ed|s)?|(?:helped|help)\s+(?:to\s+)?(?:start|found|launch|build)"
    r"|started|launched|joined|rejoined)\s+(?:the\s+)?\Z",
    re.IGNORECASE,
)
# "He was one of xAI's co-founders and ...", "Ba, then xAI's CFO,": the subject's own role.
_BE_BEFORE = re.compile(
    r"\b(?:was|were|is|are|had\s+been|has\s+been|became|served\s+as)\s+(?:one\s+of\s+|among\s+"
    r"|an?\s+|the\s+)?\Z",
    re.IGNORECASE,
)
_STAFF_AFTER = re.compile(r"['\u2019]s\s+(?:[\w-]+\s+){0,2}?[\w-]+\b|\s+(?:co-?)?founders?\b")
# "exits" and "departs" after a determiner or a number are nouns: "a week of exits".
_NOUN_BEFORE = re.compile(
    r"\b(?:of|the|a|an|more|further|these|those|such|several|many|recent|\d+|two|three|four"
    r"|five|its|their|his|her|[\w-]+['\u2019]s)\s+(?:[\w-]+\s+)?\Z",
    re.IGNORECASE,
)
# A person the team or company "lost": "xAI lost co-founder Ba to OpenAI".
_LOST_GAP = re.compile(
    r"\s+(?:(?:its|their|the|a|an|two|three|both|fellow|co-?founders?|founders?|[a-z-]+)\s+){0,3}",
    re.IGNORECASE,
)
_NOT_LOST_GAP = re.compile(r"\b(?:to|against|in|on|at|with|by|for|from|of|money|ground)\b", re.I)
_ORG_SUBJECT = re.compile(
    r"\b(?:the|its)\s+(?:[\w-]+\s+){0,2}?(?:company|startup|start-up|firm|lab|team|unit"
    r"|division|department|group|business)\s+(?:has\s+|have\s+|had\s+|also\s+)*\Z",
    re.IGNORECASE,
)


# The few that remain: "the only founder", "one of the last engineers", "two researchers".
_FEW_BEFORE = re.compile(
    r"\b(?:only|last|sole|lone|few|remaining|none|nobody|no\s+one|anyone|anybody|everyone|lot"
    r"|plenty|enough|anything|something|everything|one|two|three|four|five|six|handful|\d+)"
    r"\s+(?:(?-i:[a-z][\w-]*)\s+){0,3}?\Z",
    re.IGNORECASE,
)
_COPULA_FEW_BEFORE = re.compile(
    r"\b(?:is|are|was|were|remains?|remained|be|been|being|becomes?|became|making|leaves|left"
    r"|there['\u2019]s|['\u2019]s|['\u2019]re)\s+(?:(?:now|still|just|effectively|arguably"
    r"|the|a|an|one\s+of\s+the|among\s+the|of\s+the|him|her|them|only)\s+)*(?:only|last|sole"
    r"|lone|few|remaining|one|two|three|four|five|six|handful|\d+)\s+(?:(?-i:[a-z][\w-]*)\s+)"
    r"{0,3}?\Z",
    re.IGNORECASE,
)
# Where the few remain: "left at xAI", "left on the team", "left standing", "left." A company
# or a team after "at"/"in"/"on"; a bare date ("the last founder left in March") is a departure.
_WHERE_LEFT = re.compile(
    r"\s*(?P<end>[.,;:)]|\Z|\s+standing\b|\s+(?:at|in|on|inside)\s+(?:the|its|their)\s+"
    r"(?:[\w-]+\s+)?(?:company|startup|start-up|firm|lab|team|group|board|table|room))"
    r"|\s+(?:at|in|on|inside|from)\s+(?:the\s+)?",
    re.IGNORECASE,
)
# "have little left to do", "has much left to prove": what remains to be done.
_LEFT_TO_DO = re.compile(
    r"\s+to\s+(?:do|say|prove|achieve|accomplish|decide|spend|play|lose|give|offer|learn|fix"
    r"|finish|complete|settle|resolve|discuss|figure|sort|tackle|answer|build)\b",
    re.IGNORECASE,
)
_TITLE_WORD = re.compile(
    r"\b(?:chief|ceo|cfo|cto|coo|president|chair\w*|director|head|officer|counsel|executive)\b",
    re.IGNORECASE,
)
# A board left: "left the board of xAI", "quit xAI's board", "resigned from its board".
_BOARD = re.compile(
    r"\s+(?:from\s+)?(?:the|its|their|(?P<owner>\S+['\u2019]s))\s+(?:[\w-]+\s+)?board\b"
    r"(?P<of>\s+of\s+(?:the\s+)?)?",
    re.IGNORECASE,
)


def _leave_ok(reading: Reading, m: re.Match[str]) -> bool:
    """Is this "left"/"leave"/"quit"/"exited" a departure rather than another sense?"""
    text = reading.text
    word = m.group().lower()
    before = text[max(0, m.start() - 20) : m.start()]
    if word.startswith(("left", "leave")) and _NOT_LEAVE_BEFORE.search(before):
        return False
    if word == "left" and _remaining(reading, m):
        return False
    if _NOT_LEAVE_AFTER.match(text, m.end()):
        return False
    if reading.after(COMPANY, m.end(), m.end() + 2) is not None:
        return True
    if _JOB_WORDS.match(text, m.end()):
        return True
    if word == "leaving" and _GERUND_BEFORE.search(text, 0, m.start()):
        return False  # "a reason for leaving", "described leaving as": the move, told before
    rest = text[m.end() :].lstrip()
    if not rest or not rest[0].isalnum():
        return True
    token = re.match(r"[\w'\u2019-]+", rest)
    assert token is not None
    first = token.group()
    if first.lower() in _FREE_WORDS or first.lower().endswith("ly") or first[0].isdigit():
        return True
    # A weekday or month dates the departure; any other capitalised word is an unknown object.
    return bool(re.match(r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|[A-Z][a-z]+ \d", first))


def _remaining(reading: Reading, m: re.Match[str]) -> bool:
    """ "Musk is the only founder left", "the last engineer left at xAI", "little left to do":
    "left" for what remains, not for a departure."""
    text = reading.text
    if _LEFT_TO_DO.match(text, m.end()):
        return True
    if not _FEW_BEFORE.search(text, 0, m.start()):
        return False
    if _COPULA_FEW_BEFORE.search(text, 0, m.start()):
        return True  # "X is the only one left" cannot be "X is the only one who left Y"
    where = _WHERE_LEFT.match(text, m.end())
    if where is None:
        return False
    return (
        where.group("end") is not None
        or reading.after(COMPANY, where.end(), where.end() + 1) is not None
    )


def _object_company(reading: Reading, start: int) -> Mention | None:
    """The company named as what was left: the first one before the clause moves on."""
    text = reading.text
    stop = _OBJECT_STOP.search(text, start)
    end = stop.start() if stop else len(text)
    company = reading.after(COMPANY, start, end)
    if company is None or word_count(text[start : company.start]) > 10:
        return None
    return company


def _destination(reading: Reading, start: int, end: int) -> Mention | None:
    text = reading.text
    clause_end = _CLAUSE_END.search(text, start, end)
    end = clause_end.start() if clause_end else end
    for m in _DESTINATION.finditer(text, start, end):
        lead = _DESTINATION_LEAD.match(text, m.end())
        at = lead.end() if lead else m.end()
        company = reading.after(COMPANY, m.end(), at + 1)
        if company is not None:
            return company
    return None


def _company_left(
    reading: Reading, person: Mention, after: int, avoid: set[int], trigger: Span
) -> Mention | None:
    stale = _stale(reading, trigger)
    for candidate in (
        _object_company(reading, after),
        _its_company(reading, trigger, after),
        reading.employer_of(person),
        _worked_at(reading, person, trigger),
        _left_before(reading, trigger),
        None if stale else _known_employer(reading, person, avoid),
        reading.speaker(len(reading.text)),
        reading.topic(),
    ):
        if (
            candidate is not None
            and candidate.entity_id not in avoid
            and not reading.past_employer(candidate)
        ):
            return candidate
    return _article_company(reading, avoid)


def _article_company(reading: Reading, avoid: set[int]) -> Mention | None:
    """The company a sentence that names none is about: the one the article is about, when it
    is about one company; else the one most of the article's people work at, by the knowledge
    base (a recap of a lab's exits names the lab once, then only people); otherwise the company
    of the earlier sentences."""
    about = reading.about_company(avoid)
    if about is not None:
        return about
    counts: dict[int, int] = {}
    for companies in reading.sentence.employers.values():
        for company_id in companies:
            counts[company_id] = counts.get(company_id, 0) + 1
    shared = [c for c, n in counts.items() if n >= 2 and c not in avoid]
    if shared:
        best = max(shared, key=lambda c: counts[c])
        return Mention(best, COMPANY, -1, -1, pronoun=True)
    for name in reading.sentence.recent:
        if name.kind == COMPANY and name.entity_id not in avoid:
            return Mention(name.entity_id, COMPANY, -1, -1, pronoun=True)
    return None


def _known_employer(reading: Reading, person: Mention, avoid: set[int]) -> Mention | None:
    """The company the knowledge base says the person works (or last worked) at, when the
    article names it: "Ba left on Tuesday" in a story about xAI. In an article whose title
    names a company it is about, an employer named only in passing is more likely where the
    person went since ("Kosic, Szegedy and Ba have all left" in a story headlined on xAI)."""
    sentence = reading.sentence
    subjects = sentence.headline & sentence.about
    for company_id in sentence.employers.get(person.entity_id, ()):
        if company_id not in avoid and (not subjects or company_id in sentence.about):
            return Mention(company_id, COMPANY, -1, -1, pronoun=True)
    return None


def _stale(reading: Reading, trigger: Span) -> bool:
    """Is the event older than what the knowledge base's employers describe? They are the
    employer at publication (or one left in the last few months): for "left in 2024" in a 2026
    story, that is where the person went next, not the company left."""
    found = reading.date(trigger, (0, len(reading.text))) or reading.sentence.heading_date
    if found is None:
        return False
    day = found.date
    if found.precision == YEAR:
        day = day.replace(month=12, day=31)
    elif found.precision == MONTH:
        day = day.replace(day=monthrange(day.year, day.month)[1])
    return day < reading.sentence.published.date() - _KNOWN_EMPLOYER_WINDOW


def _its_company(reading: Reading, trigger: Span, after: int) -> Mention | None:
    """ "co-founded OpenAI and left its board": "its" is the company named before the verb."""
    if not _ITS_JOB.match(reading.text, after):
        return None
    before = [m for m in reading.between(COMPANY, 0, trigger[0]) if not m.pronoun]
    return before[-1] if before else None


def _left_before(reading: Reading, trigger: Span) -> Mention | None:
    """The company another person of the sentence left before this verb: a recap's clauses
    share it ("Szegedy left xAI in February, and Kosic went back to OpenAI last year")."""
    for company in reversed(reading.between(COMPANY, 0, trigger[0])):
        if _LEFT_BEFORE.search(reading.text, 0, company.start):
            return company
    return None


def _worked_at(reading: Reading, person: Mention, trigger: Span) -> Mention | None:
    """ "Kosic ran infrastructure at xAI and went back to OpenAI": a company the subject's own
    earlier verb puts them at, outside any aside about someone else."""
    if person.start < 0:
        return None
    for company in reading.between(COMPANY, person.end, trigger[0]):
        if reading.aside_of(company.start) is not None:
            continue
        if _AT_BEFORE.search(reading.text, 0, company.start) or (
            _BE_BEFORE.search(reading.text, 0, company.start)
            and _STAFF_AFTER.match(reading.text, company.end)
        ):
            return company
    return None


def _possessor(reading: Reading, m: re.Match[str]) -> list[Mention]:
    """Whose departure: "Ba's departure", "his exit", "the departure of Kosic and Szegedy"."""
    text = reading.text
    owner = _POSSESSOR.search(text, max(0, m.start() - 40), m.start())
    if owner is not None:
        at = owner.start("s") if owner["s"] else owner.start("pro")
        for mention in reading.mentions:
            if mention.kind == PERSON and (mention.end == at or mention.start == at):
                return reading.coordinated(mention)
        return []
    of = _OF_AFTER.match(text, m.end())
    if of is None:
        return []
    first = reading.after(PERSON, of.end(), of.end() + 40)
    if first is None or word_count(text[of.end() : first.start]) > 4:
        return []
    return reading.listed_after(first)


def _after_participle(reading: Reading, m: re.Match[str]) -> Mention | None:
    """The subject of "After leaving xAI, Ba joined Anthropic" comes after the comma."""
    if not _PARTICIPLE.search(reading.text, 0, m.start()) or not m.group().endswith("ing"):
        return None
    comma = reading.text.find(",", m.end())
    if comma < 0:
        return None
    subject = reading.after(PERSON, comma, comma + 3)
    return subject


def _read(reading: Reading, m: re.Match[str]) -> Event | None:
    text = reading.text
    trigger = (m.start(), m.end())
    persons: list[Mention] = []
    company: Mention | None = None
    after = m.end()
    # "after a week of exits", "their exits": a noun, whatever the verb pattern says.
    as_noun = bool(m["verb"]) and (
        m["verb"].lower().startswith(("exits", "departs", "quits"))
        and _NOUN_BEFORE.search(text, 0, m.start()) is not None
    )
    if m["verb"] and not as_noun:
        verb = m["verb"].lower()
        sense = verb.startswith(("left", "leav", "quit", "exit", "depart", "retir", "bow", "walk"))
        if sense and not _leave_ok(reading, m):
            return None
        if verb.startswith(_IDIOMS) and _NEGATED_BEFORE.search(text, 0, m.start()):
            return None  # status_of does not know these idioms: "did not bow out"
        if verb.endswith(("goodbye", "farewell")):
            if not _farewell_ok(reading, m):
                return None
            to = re.match(r"\s+to\b", text[m.end() :], re.IGNORECASE)
            after += to.end() if to else 0  # "to xAI" is what was left, not a destination
        if m["verb"].lower().startswith("left") and _AUX_BEFORE.search(text, 0, m.start()):
            return None  # "was left out", "is left with"
        if verb.startswith("giv") or verb.startswith("gave"):
            company = reading.after(COMPANY, m.start(), m.end()) or _object_company(reading, after)
            if company is None and not _TITLE_WORD.search(m.group()):
                return None  # "gave up her seat on the panel"; "gave up the CEO role" is a job
        board = _BOARD.match(text, m.end())
        if board is not None:
            company = _board_company(reading, board, m)
            if company is None:
                return None  # a board with no company named: never another company's staff
        subject = reading.subject(m.start()) or _after_participle(reading, m)
        if subject is None:
            return None
        if _COPULA.match(verb) and not _COPULA_GAP.fullmatch(
            reading.outside(subject.end, m.start())
        ):
            return None  # "the people who launched xAI with Musk are gone": not Musk
        if (
            _ORDINAL.match(verb)
            and subject.pronoun
            and not reading.has_named(COMPANY)
            and not reading.dates
        ):
            return None  # "He is the latest to leave.": the move the sentence before told
        persons = reading.coordinated(subject)
    elif m["noun"] or as_noun:
        light = _LIGHT_VERB.search(text, 0, m.start())
        if light is not None or (
            m.group().lower() == "exit" and _VERB_EXIT_BEFORE.search(text, 0, m.start())
        ):
            # "announced his departure": the announcer leaves; the possessive is not the
            # subject ("Musk split xAI after the co-founder announced his exit").
            subject = reading.subject(light.start() if light is not None else m.start())
            if subject is None or not _leave_ok(reading, m):
                return None
            persons = reading.coordinated(subject)
        else:
            persons = _possessor(reading, m)
            if persons and persons[-1].start > m.end():
                after = persons[-1].end
    elif m["act"]:
        subject = reading.subject(m.start(), kinds=(PERSON, COMPANY))
        if subject is not None and subject.kind == PERSON and _PASSIVE.search(text, 0, m.start()):
            persons = reading.coordinated(subject)
            by = re.match(r"\s+by\s+", text[m.end() :])
            if by is not None:
                company = reading.after(COMPANY, m.end() + by.end(), m.end() + by.end() + 1)
        else:
            obj = reading.after(PERSON, m.start() + 3, m.end() + 40)
            if (
                obj is None
                or word_count(text[m.end() : obj.start]) > 4
                or _SPEECH.match(text, obj.end)
            ):
                return None
            persons = [obj]
            after = max(m.end(), obj.end)
            if subject is not None and subject.kind == COMPANY:
                company = subject
    elif m["back"]:
        return _returned(reading, m)
    elif m["gone"]:
        persons = _absolute(reading, m)
    elif m["lost"]:
        persons, company = _lost(reading, m)
        after = persons[-1].end if persons else after
    else:
        return _parted(reading, m)
    if not persons:
        return None
    destination = _destination(reading, after, _destination_end(reading, trigger, persons))
    avoid = {destination.entity_id} if destination else set()
    if company is None:
        company = _company_left(reading, persons[0], after, avoid, trigger)
    if company is None:
        return None
    anchor = min(trigger[0], *(p.start for p in persons if p.start >= 0))
    return Event(persons, company, destination, trigger, anchor, trigger)


def _board_company(reading: Reading, board: re.Match[str], m: re.Match[str]) -> Mention | None:
    """The company whose board was left, when the board's own words name it."""
    if board["owner"]:
        return reading.after(COMPANY, board.start("owner"), board.start("owner") + 1)
    if board["of"]:
        return reading.after(COMPANY, board.end(), board.end() + 1)
    return _its_company(reading, (m.start(), m.end()), m.end())


def _absolute(reading: Reading, m: re.Match[str]) -> list[Mention]:
    """ "With Ba and Kosic gone, ...": the people an absolute clause says have gone."""
    subject = next(
        (
            x
            for x in reading.mentions
            if x.kind == PERSON
            and not x.pronoun
            and 0 <= x.end <= m.start()
            and not reading.text[x.end : m.start()].strip()
        ),
        None,
    )
    if subject is None:
        return []
    persons = reading.coordinated(subject)
    if not _WITH_OPENING.search(reading.text, 0, persons[0].start):
        return []
    return persons


def _destination_end(reading: Reading, trigger: Span, persons: list[Mention]) -> int:
    """Where the search for a destination stops: the end of the aside the event is told in
    ("Kosic, the first of xAI's founders to leave, has moved to ..." is not where he went on
    leaving), or another person's clause ("Ba left xAI, and Kosic went back to OpenAI")."""
    home = reading.aside_of(trigger[0])
    end = home.end if home is not None else len(reading.text)
    ours = {p.entity_id for p in persons}
    for mention in reading.mentions:
        if mention.kind != PERSON or mention.pronoun or mention.entity_id in ours:
            continue
        if trigger[1] <= mention.start < end:
            return mention.start
    return end


def _lost(reading: Reading, m: re.Match[str]) -> tuple[list[Mention], Mention | None]:
    """ "xAI lost co-founder Ba to OpenAI", "the research team lost Ba and Kosic": the people a
    company or one of its teams lost, and the company when it is named as the subject."""
    text = reading.text
    subject = reading.subject(m.start(), kinds=(COMPANY,))
    if subject is None and not _ORG_SUBJECT.search(text, 0, m.start()):
        return [], None
    gap = _LOST_GAP.match(text, m.end())
    at = gap.end() if gap else m.end()
    obj = reading.after(PERSON, m.end(), at + 1)
    if obj is None or obj.pronoun or _NOT_LOST_GAP.search(text, m.end(), obj.start):
        return [], None
    if text.startswith(("'s", "\u2019s"), obj.end):
        return [], None  # "lost Ba's trust"
    return reading.listed_after(obj), subject


def _farewell_ok(reading: Reading, m: re.Match[str]) -> bool:
    """ "said goodbye to xAI", "bid farewell to colleagues", "said goodbye on Friday"."""
    text = reading.text
    to = re.match(r"\s+to\s+", text[m.end() :], re.IGNORECASE)
    if to is None:
        return _leave_ok(reading, m)
    at = m.end() + to.end()
    lead = _DESTINATION_LEAD.match(text, at)
    if reading.after(COMPANY, at, (lead.end() if lead else at) + 1) is not None:
        return True
    return _FAREWELL_TO.match(text, m.end()) is not None


def _returned(reading: Reading, m: re.Match[str]) -> Event | None:
    """ "Ba went back to OpenAI", "Ba rejoined OpenAI": a departure from the company Ba is at,
    with the company returned to as the destination. The company left is never named here, so
    it is read only where it is plain: "from xAI", the person's own employer in the sentence,
    the knowledge base's current one, then the article's."""
    text = reading.text
    subject = reading.subject(m.start())
    if subject is None or _NEGATED_BEFORE.search(text, 0, m.start()):
        return None  # status_of does not know these verbs: "has not returned to OpenAI"
    lead = _DESTINATION_LEAD.match(text, m.end() + 1)
    at = lead.end() if lead else m.end() + 1
    destination = reading.after(COMPANY, m.end(), at + 1)
    if destination is None or text.startswith(("'s", "\u2019s"), destination.end):
        return None  # "returned to the stage", "returned to OpenAI's offices"
    persons = reading.coordinated(subject)
    avoid = {destination.entity_id}
    company: Mention | None = None
    came = _FROM.match(text, destination.end)
    if came is not None:
        company = reading.after(COMPANY, came.end(), came.end() + 1)
    if company is None:
        company = _current_company(reading, persons[0], avoid, (m.start(), m.end()))
    if company is None or company.entity_id in avoid:
        return None
    trigger = (m.start(), m.end())
    anchor = min(trigger[0], *(p.start for p in persons if p.start >= 0))
    return Event(persons, company, destination, trigger, anchor, trigger)


def _background(reading: Reading, event: Event) -> bool:
    home = reading.aside_of(event.trigger[0])
    return home is not None and home.background


def _current_company(
    reading: Reading, person: Mention, avoid: set[int], trigger: Span
) -> Mention | None:
    """Where someone returning elsewhere works now. Only the knowledge base's first (current)
    employer: its later ones are past employers, which are never the company left."""
    known = reading.sentence.employers.get(person.entity_id, ())
    kb = Mention(known[0], COMPANY, -1, -1, pronoun=True) if known else None
    stale = _stale(reading, trigger)
    employer = reading.employer_of(person)
    home = reading.aside_of(trigger[0])
    if employer is not None and home is not None and reading.aside_of(employer.start) is home:
        employer = None  # "Kosic, who returned to OpenAI,": where he went, not where he was
    candidates = (
        employer,
        _worked_at(reading, person, trigger),
        _left_before(reading, trigger),
        kb,
        reading.speaker(len(reading.text)),
    )
    for candidate in candidates:
        if candidate is None:
            continue
        if candidate is kb and stale:
            # A return long before publication: the record shows where they are now (most
            # likely where they returned to), not the company they left.
            continue
        # The current employer being the destination: a return from leave, or a record
        # already updated; either way nothing here says which company was left.
        return None if candidate.entity_id in avoid else candidate
    topic = reading.topic()
    if topic is not None and topic.entity_id not in avoid and not reading.past_employer(topic):
        return topic
    return _article_company(reading, avoid)


def _parted(reading: Reading, m: re.Match[str]) -> Event | None:
    """ "xAI parted ways with Ba", "Ba and xAI have parted ways", "Ba parted ways with xAI"."""
    text = reading.text
    sides: list[Mention] = []
    subject = reading.subject(m.start(), kinds=(PERSON, COMPANY))
    if subject is not None:
        sides.append(subject)
        for mention in reversed(reading.mentions):
            if mention.end <= subject.start:
                if re.fullmatch(
                    r"\s+and\s+(?:its\s+[\w\s-]{0,30})?", text[mention.end : subject.start]
                ):
                    sides.append(mention)
                break
    with_ = re.match(
        r"\s+with\s+(?:(?:its|their|the|his|her)\s+)?(?:[\w-]+\s+){0,4}?", text[m.end() :]
    )
    if with_ is not None:
        other = next((x for x in reading.mentions if x.start >= m.end() + with_.end()), None)
        if other is not None and word_count(text[m.end() : other.start]) <= 6:
            sides.append(other)
    persons = [s for s in sides if s.kind == PERSON]
    companies = [s for s in sides if s.kind == COMPANY]
    if not persons:
        return None
    company = (
        companies[0]
        if companies
        else _company_left(reading, persons[0], m.end(), set(), (m.start(), m.end()))
    )
    if company is None:
        return None
    anchor = min([m.start(), *(s.start for s in sides if s.start >= 0)])
    return Event(persons, company, None, (m.start(), m.end()), anchor, (m.start(), m.end()))


def find(sentence: Sentence) -> list[Finding]:
    if not _KEYWORDS.search(sentence.text):
        return []
    if not any(n.kind == PERSON for n in (*sentence.names, *sentence.recent)):
        return []
    reading = Reading(sentence)
    if not reading.has(PERSON):
        return []
    events: list[Event] = []
    returns: list[Event] = []
    for m in _TRIGGER.finditer(sentence.text):
        event = _read(reading, m)
        if event is not None:
            (returns if m["back"] else events).append(event)
    # "left xAI in 2024 to rejoin OpenAI": the return is where the departure went, not a move
    # of its own.
    leaving = {p.entity_id for event in events for p in event.persons}
    returns = [e for e in returns if not leaving & {p.entity_id for p in e.persons}]
    if not events:
        # "Ba, who rejoined OpenAI in 2023, said ...": a career note, unless the sentence
        # recounts departures ("The others were Kosic, who returned to OpenAI in 2024; Szegedy,
        # who left in 2025").
        returns = [e for e in returns if not _background(reading, e)]
    events += returns
    events.sort(key=lambda e: e.trigger)
    return move_findings(
        reading,
        events,
        kind=EventType.DEPARTURE,
        company_role=Role.FROM_COMPANY,
        other_role=Role.DESTINATION,
        rule=NAME,
        version=VERSION,
    )


RULE = Rule(name=NAME, version=VERSION, find=find)
