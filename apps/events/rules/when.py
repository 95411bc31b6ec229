"""When did a sentence's event happen? Date expressions in English news prose, resolved against
the article's publication date (its calendar day in UTC; a naive datetime is read as UTC).

Rules and choices, so that callers know what a result means:

- Spans (`start`, `end`) cover the whole expression, leading words included: "on Tuesday",
  "in mid-2024", "since 2023", "around Feb. 10".
- Day: "Feb. 10, 2026", "February 10, 2026", "10 February 2026", "the 10th of February",
  "2026-02-10", an optional weekday in front ("Tuesday, Feb. 10"). Without a year the latest such
  day not after publication (relative). Weekdays ("on Tuesday", "said Tuesday", "Monday night"):
  the latest such day on or before publication, so the publication's own weekday is that day;
  "last Tuesday" is strictly before it, "next Tuesday" after. "today", "yesterday", "the day
  before yesterday", "N days ago".
- Weeks are day-precise but approximate, dated by their Monday: "this week", "last week",
  "next week"; "N weeks ago" is publication minus N weeks; "over the weekend" is the latest
  Saturday before publication.
- Month: "February 2025", "in February" / "last February" / "this February" (the latest
  February not after publication, strictly before the publication's month, in its year),
  "this month", "last month", "N months ago" (approximate). "early/mid/late February",
  "(around) the end of February" keep month precision and are approximate.
- A bare month governed by a plan is the planned month, not the latest past one: "will leave in
  March", "plans to finish around the end of March", "decided to leave in March", "said it would
  open in March" (written in February: this March). A plan still to come ("will", "plans to",
  "is set to") that names a month already past this year means next year's ("will leave in
  January" written in February); one made before ("decided to", "would") means this year's, as
  it may have been carried out. The plan's verb must govern the date: no comma, no subordinate
  clause, no past-tense verb and no verb of speech between them ("will leave xAI, which raised
  money in March" is the past March).
- A month in front of a noun dates the thing the noun names: "Musk's March reorganisation",
  "its March round", "the March filing", "March's raise" (the latest such month not after
  publication, or the planned one). "the May ..." is left alone: more often a prime minister's.
- Possessive days, weeks and months date their noun: "last month's layoffs", "last week's
  round", "yesterday's launch", "Sunday's launch". Possessive years do not: "last year's model"
  and "2024's" describe a thing more often than they date the sentence's event.
- Seasons without a year are month-precise and approximate, dated by their middle month like
  the parts of a year below (early/late: their first/last month): "in (the) spring", "during the
  summer", "over the summer", "in late spring" are the latest such season that has begun by
  publication; "last autumn" / "this past autumn" the latest one over before the publication's
  month; "this summer" / "earlier this summer" the one in the publication's year (from September
  on, "this winter" is the coming one); "next spring" the first one after; "will ship in the
  spring" the current or next one ("decided to ship in the spring": the publication year's);
  "xAI's spring reorganisation" like "in the spring". Seasons are matched lower-case only
  ("Summer", "Spring" are names) and not before "of/in/to/from/at/by" ("a fall in revenue", "the
  fall of").
- "around", "about", "circa", "approximately", "roughly", "sometime" mark a date approximate.
- Not handled, on purpose: "in recent weeks/days/months" and "recently" (a span ending at
  publication: any date would be invented, and the publication date is the caller's better
  default), "later this week/month/year" and "later today" (a plan whose period contains the
  publication, so its date could not be told from a past one), "before/after 2024" (they bound an
  event, they do not date it: only the year words after other prepositions count), possessive
  years ("last year's model", "2024's"), "earlier in the month/year" (earlier than another date
  as often as than publication), numeric US/EU dates ("02/10/2026", ambiguous), decades,
  holidays, and ranges beyond their first end ("from 2020 to 2023" gives 2020).
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

from apps.common.dates import DatePrecision, utc_day
from apps.events.rules.numbers import NUMBER_WORDS

DAY: str = DatePrecision.DAY.value
MONTH: str = DatePrecision.MONTH.value
YEAR: str = DatePrecision.YEAR.value


@dataclass(frozen=True)
class EventDate:
    date: datetime.date  # month precision: the 1st of the month; year precision: 1 January
    precision: str  # a DatePrecision value
    approximate: bool
    start: int
    end: int
    relative: bool  # resolved against the publication date


# (date, precision, approximate, relative); None when the match turns out not to be a date.
_Parsed = tuple[datetime.date, str, bool, bool] | None

_MONTH_KEYS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_NUMBERS = {"a": 1, "an": 1, **NUMBER_WORDS}
# part of a year -> (first month of the range, month holding its middle); 0 is December before.
_PARTS = {
    "early": (1, 3),
    "mid": (5, 7),
    "middle": (5, 7),
    "late": (9, 11),
    "start": (1, 1),
    "beginning": (1, 1),
    "end": (12, 12),
    "first half": (1, 4),
    "h1": (1, 4),
    "second half": (7, 10),
    "latter half": (7, 10),
    "h2": (7, 10),
    "first quarter": (1, 2),
    "q1": (1, 2),
    "second quarter": (4, 5),
    "q2": (4, 5),
    "third quarter": (7, 8),
    "q3": (7, 8),
    "fourth quarter": (10, 11),
    "final quarter": (10, 11),
    "last quarter": (10, 11),
    "q4": (10, 11),
    "spring": (3, 4),
    "summer": (6, 7),
    "fall": (9, 10),
    "autumn": (9, 10),
    "winter": (0, 1),
}


# Each rule matches the core of an expression (a month or weekday name, a year, a fixed phrase)
# and then looks just before it for the words that lead into it ("in", "around", "mid-", "last").
# Cores start with a capitalised name or a digit, which lets the regex engine skip quickly; the
# leads are only searched where a core matched. Month and weekday names are matched
# case-sensitively, as news prose capitalises them: that keeps "may", "march" and "mar" out.
_WD = r"(?P<wd>" + "|".join(_WEEKDAY_NAMES) + r")"
_WD_PREFIX = r"(?:(?:" + "|".join(_WEEKDAY_NAMES) + r"),?\s+)?"
_MONTH = (
    r"(?P<month>Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|Jun(?:e|\.)?"
    r"|Jul(?:y|\.)?|Aug(?:ust|\.)?|Sep(?:tember|t\.?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?"
    r"|Dec(?:ember|\.)?)"
    r"(?![A-Za-z])"
)
# Bare month names (no day, no year) only spelled out: "Jan" alone is more often a person.
_MONTH_FULL = (
    r"(?<!\w)(?P<month>January|February|March|April|May|June|July|August|September|October"
    r"|November|December)(?![A-Za-z'\u2019])"
)
# A day or year must not run on into a bigger number, a decimal, a percentage or a range.
_DAY = r"(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d%]|[.,:/-]\d)"
_YEAR = (
    r"(?P<year>(?:19|20)\d{2})"
    r"(?![\w%]|[.,:/-]\d|['\u2019]s|\s*(?:%|percent|million|billion|trillion|thousand)\b)"
)
_NOT_POSSESSIVE = r"(?!['\u2019]s)"
_APPROX = r"(?:around|about|circa|approximately|roughly|some\s?time)"
_PREP = r"(?:on|in|since|during|from|until|till|through|throughout|by|as\s+of)"
_YEAR_PREP = r"(?:in|since|during|from|until|till|through|throughout|by|circa)"
_MOD = r"(?:\b(?P<mod>early|mid|late|the\s+(?:start|beginning|middle|end)\s+of)[-\s]+)?"
_PART = (
    r"(?:\b(?:the\s+)?(?P<part>early|mid|late|start|beginning|middle|end"
    r"|(?:first|second|latter)\s+half|(?:first|second|third|fourth|final|last)\s+quarter"
    r"|spring|summer|fall|autumn|winter)(?:[-\s]+of)?[-\s]+|\b(?P<q>[qh]\d)\s+)"
)
_LEAD_WINDOW = 48  # longer than any lead: "roughly during the second half of "


def _lead(pattern: str) -> re.Pattern[str]:
    # Searched in the lower-cased sentence: case-insensitive matching is several times slower.
    return re.compile(rf"(?:{pattern})\Z")


_ANY_LEAD = rf"(?:\b{_APPROX}\s+)?(?:\b{_PREP}\s+)?(?:\b{_APPROX}\s+)?"
_PLAIN_LEAD = _lead(_ANY_LEAD)
_MONTH_LEAD = _lead(_ANY_LEAD + _MOD)
_BARE_MONTH_LEAD = _lead(
    r"(?:\b(?P<rel>last|this\s+past|this\s+coming|this|next)\s+"
    rf"|(?:\b{_APPROX}\s+)?\b(?P<prep>in|since|during|from|until|till|through|throughout|by)\s+"
    rf"(?:{_APPROX}\s+)?|\b{_APPROX}\s+)?{_MOD}"
)
# "Musk's March reorganisation", "its March round", "the March filing": a month in front of a
# noun dates the thing the noun names.
_ATTRIBUTIVE_LEAD = _lead(r"(?:['\u2019]s|\b(?:its|their|his|her|our|the|a|an))\s+")
_NOUN_AFTER = re.compile(
    r"\s+(?!(?:of|and|or|to|in|at|by|for|on|with|from|as|is|was|were|are|has|had|have|said|says"
    r"|will|would)\b)[a-z][a-z-]+\b"
)
# A plan or an intention whose verb governs the date after it: "will leave in March", "decided
# to leave in March", "plans to finish around the end of March". No comma and no subordinate
# clause between them ("will list, it raised money in March"; "will be the first since it raised
# money in March").
_PLAN_BEFORE = re.compile(
    r"""(?:
        (?P<will>\bwill|\bshall|['\u2019]ll
        |\b(?:plans?|planning|intends?|expects?|aims?|aiming|hopes?|hoping|wants?)\s+to
        |\b(?:is|are)\s+(?:(?:set|due|scheduled|slated|going|expected|poised|likely|ready
          |preparing|planning|aiming|hoping|about)\s+)?to)
      | \bwould
      | \b(?:planned|intended|decided|agreed|promised|vowed|pledged)\s+to
      | \b(?:was|were)\s+(?:set|due|scheduled|slated|going|expected|poised|likely|ready)\s+to
    )
    \s+(?:(?!(?:since|after|before|when|which|who|that|because|as|while|and|but|say|says|said
      |told|tell)\b)(?![a-z]+ed\b)[\w$.'\u2019-]+\s+|(?:be|been|being|get|have)\s+[a-z]+ed\s+){0,6}
    \Z""",
    re.VERBOSE,
)
_PLAN_WINDOW = 80
_YEAR_LEAD = _lead(rf"(?:\b{_APPROX}\s+)?\b{_YEAR_PREP}\s+(?:{_APPROX}\s+)?(?:the\s+year\s+)?")
_PART_LEAD = _lead(_ANY_LEAD + _PART)
_WEEKDAY_LEAD = _lead(r"\b(?P<rel>last|this\s+past|past|this\s+coming|next|this|on|early|late)\s+")
_APPROX_RE = re.compile(rf"\b{_APPROX}\b")
_HAS_MONTH = re.compile("Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")
_SEASON_LEAD = _lead(
    r"(?P<attr>['\u2019]s\s+|\b(?:its|their|his|her|our)\s+)"
    rf"|(?:\b{_APPROX}\s+)?(?:\b(?P<rel>last|this\s+past|this\s+coming|earlier\s+this|this|next)\s+"
    rf"|\b(?P<prep>in|since|during|over|from|until|till|through|throughout|by)\s+"
    rf"(?:{_APPROX}\s+)?(?:the\s+)?)(?:(?P<mod>early|mid|late)[-\s]+)?"
)
# season -> (first month of its range, its middle, its last); winter runs from the December before.
_SEASONS = {
    "spring": (3, 4, 5),
    "summer": (6, 7, 8),
    "autumn": (9, 10, 11),
    "fall": (9, 10, 11),
    "winter": (0, 1, 2),
}


def _lead_before(pattern: re.Pattern[str], lowered: str, start: int) -> re.Match[str] | None:
    return pattern.search(lowered, max(0, start - _LEAD_WINDOW), start)


def _lower(sentence: str) -> str:
    """The sentence lower-cased, keeping every offset (a few letters, like "\u0130", grow)."""
    lowered = sentence.lower()
    if len(lowered) == len(sentence):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in sentence)


def _month_number(token: str) -> int:
    return _MONTH_KEYS.index(token[:3].lower()) + 1


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _latest_day(month: int, day: int, today: datetime.date) -> datetime.date | None:
    """The latest `month`/`day` not after today (29 February looks back to a leap year)."""
    for year in range(today.year, today.year - 9, -1):
        try:
            candidate = datetime.date(year, month, day)
        except ValueError:
            continue
        if candidate <= today:
            return candidate
    return None


_Rule = Callable[[str, re.Match[str], datetime.date], EventDate | None]


def _with_lead(
    lowered: str,
    m: re.Match[str],
    found: datetime.date,
    precision: str,
    *,
    relative: bool,
    approximate: bool = False,
    lead: re.Pattern[str] = _PLAIN_LEAD,
) -> EventDate:
    before = _lead_before(lead, lowered, m.start())
    start = m.start() if before is None else before.start()
    approximate = approximate or _APPROX_RE.search(lowered, start, m.end()) is not None
    return EventDate(found, precision, approximate, start, m.end(), relative)


def _iso_day(lowered: str, m: re.Match[str], today: datetime.date) -> EventDate | None:
    try:
        found = datetime.date(int(m["year"]), int(m["mon"]), int(m["day"]))
    except ValueError:
        return None
    return _with_lead(lowered, m, found, DAY, relative=False)


def _explicit_day(lowered: str, m: re.Match[str], today: datetime.date) -> EventDate | None:
    month, day = _month_number(m["month"]), int(m["day"])
    if m["year"] is None:
        latest = _latest_day(month, day, today)
        if latest is None:
            return None
        return _with_lead(lowered, m, latest, DAY, relative=True)
    try:
        found = datetime.date(int(m["year"]), month, day)
    except ValueError:
        return None
    return _with_lead(lowered, m, found, DAY, relative=False)


def _month_year(lowered: str, m: re.Match[str], today: datetime.date) -> EventDate | None:
    found = datetime.date(int(m["year"]), _month_number(m["month"]), 1)
    before = _lead_before(_MONTH_LEAD, lowered, m.start())
    modified = before is not None and before["mod"] is not None
    return _with_lead(
        lowered, m, found, MONTH, relative=False, approximate=modified, lead=_MONTH_LEAD
    )


def _plan(lowered: str, start: int) -> re.Match[str] | None:
    """The plan whose verb governs a date starting at `start`, if any."""
    return _PLAN_BEFORE.search(lowered, max(0, start - _PLAN_WINDOW), start)


def _planned_year(plan: re.Match[str], month: int, today: datetime.date) -> int:
    """The year of a planned month: this year, or the next when a plan still to come ("will",
    "plans to") names a month already past; a plan made before ("decided to", "would") may
    have been carried out already."""
    if month < today.month and plan["will"]:
        return today.year + 1
    return today.year


def _bare_month(lowered: str, m: re.Match[str], today: datetime.date) -> EventDate | None:
    before = _lead_before(_BARE_MONTH_LEAD, lowered, m.start())
    if before is None or not (before["rel"] or before["prep"] or before["mod"]):
        return _attributive_month(lowered, m, today)
    rel = " ".join((before["rel"] or "").lower().split())
    month = _month_number(m["month"])
    plan = _plan(lowered, before.start())
    if rel in ("next", "this coming"):
        year = today.year if month > today.month else today.year + 1
    elif rel == "this":
        year = today.year
    elif rel in ("last", "this past"):
        year = today.year if month < today.month else today.year - 1
    elif plan is not None:
        year = _planned_year(plan, month, today)
    else:
        year = today.year if month <= today.month else today.year - 1
    return _with_lead(
        lowered,
        m,
        datetime.date(year, month, 1),
        MONTH,
        relative=True,
        approximate=before["mod"] is not None,
        lead=_BARE_MONTH_LEAD,
    )


def _attributive_month(lowered: str, m: re.Match[str], today: datetime.date) -> EventDate | None:
    """ "Musk's March reorganisation", "its March round": the latest such month not after
    publication, or the planned one ("will meet its March deadline")."""
    before = _lead_before(_ATTRIBUTIVE_LEAD, lowered, m.start())
    if before is None or not _NOUN_AFTER.match(m.string, m.end()):
        return None  # "Theresa May", "April Smith": a month name alone is not enough
    if m["month"] == "May" and before.group().strip() in ("the", "a", "an"):
        return None  # "the May government" is more often a prime minister's than a month's
    month = _month_number(m["month"])
    plan = _plan(lowered, before.start())
    if plan is not None:
        year = _planned_year(plan, month, today)
    else:
        year = today.year if month <= today.month else today.year - 1
    return EventDate(datetime.date(year, month, 1), MONTH, False, m.start(), m.end(), True)


def _possessive_month(lowered: str, m: re.Match[str], today: datetime.date) -> EventDate | None:
    """ "March's round": the latest March not after publication."""
    if not _NOUN_AFTER.match(m.string, m.end()):
        return None
    month = _month_number(m["month"])
    year = today.year if month <= today.month else today.year - 1
    return EventDate(datetime.date(year, month, 1), MONTH, False, m.start(), m.end(), True)


def _season(lowered: str, m: re.Match[str], today: datetime.date) -> EventDate | None:
    """A season without a year: "last autumn", "in the spring", "this summer", "by the fall"."""
    before = _lead_before(_SEASON_LEAD, lowered, m.start())
    if before is None or (before["attr"] and not _NOUN_AFTER.match(lowered, m.end())):
        return None  # "the summer" alone, or "a fall in revenue"
    first, middle, last = _SEASONS[m["season"]]
    rel = " ".join((before["rel"] or "").split())
    this_month = today.replace(day=1)

    def starts(year: int) -> datetime.date:
        return _add_months(datetime.date(year, 1, 1), first - 1)

    def ends(year: int) -> datetime.date:
        return _add_months(datetime.date(year, 1, 1), last - 1)

    years = range(today.year - 2, today.year + 3)
    plan = _plan(lowered, before.start()) if before["prep"] else None  # "last", "next" decide
    if rel in ("last", "this past"):
        year = max(y for y in years if ends(y) < this_month)
    elif rel in ("next", "this coming"):
        year = min(y for y in years if starts(y) > this_month)
    elif plan is not None and plan["will"]:
        year = min(y for y in years if ends(y) >= this_month)
    elif rel in ("this", "earlier this") or plan is not None:
        # Winter runs into the next year: from autumn on, "this winter" is the coming one.
        year = today.year + 1 if m["season"] == "winter" and today.month >= 9 else today.year
    else:
        year = max(y for y in years if starts(y) <= this_month)
    month = {"early": first, "late": last}.get(before["mod"] or "", middle)
    found = _add_months(datetime.date(year, 1, 1), month - 1)
    if starts(year) <= this_month < found:
        found = this_month  # the season has begun; the month named is still to come
    start = m.start() if before["attr"] else before.start()  # "xAI's spring reorganisation"
    return EventDate(found, MONTH, True, start, m.end(), True)


def _part_of_year(
    lowered: str, m: re.Match[str], today: datetime.date, year: int, *, relative: bool
) -> EventDate | None:
    """`m` is a year ("2024", "last year"); a part of a year in front of it makes it a month."""
    before = _lead_before(_PART_LEAD, lowered, m.start())
    if before is None:
        return None
    key = " ".join((before["part"] or before["q"]).lower().split())
    if key not in _PARTS:
        return None  # "H3", "Q5"
    first, middle = _PARTS[key]
    found = datetime.date(year, middle, 1)
    this_month = today.replace(day=1)
    if _add_months(datetime.date(year, 1, 1), first - 1) <= this_month < found:
        found = this_month  # the range has begun; its middle is still to come
    approximate = True
    return EventDate(found, MONTH, approximate, before.start(), m.end(), relative)


def _year(lowered: str, m: re.Match[str], today: datetime.date) -> EventDate | None:
    year = int(m["year"])
    part = _part_of_year(lowered, m, today, year, relative=False)
    if part is not None:
        return part
    if _lead_before(_YEAR_LEAD, lowered, m.start()) is None:
        return None  # a bare year is an adjective or a number: "the 2024 election"
    return _with_lead(lowered, m, datetime.date(year, 1, 1), YEAR, relative=False, lead=_YEAR_LEAD)


def _relative_year(lowered: str, m: re.Match[str], today: datetime.date) -> EventDate | None:
    if m[0].startswith("later"):
        return None
    offset = {"last": -1, "previous": -1, "this": 0, "next": 1}[m["which"].lower()]
    year = today.year + offset
    part = _part_of_year(lowered, m, today, year, relative=True)
    if part is not None:
        return part
    return EventDate(datetime.date(year, 1, 1), YEAR, False, m.start(), m.end(), True)


def _weekday(lowered: str, m: re.Match[str], today: datetime.date) -> EventDate | None:
    before = _lead_before(_WEEKDAY_LEAD, lowered, m.start())
    rel = "" if before is None else " ".join(before["rel"].lower().split())
    start = m.start() if before is None else before.start()
    back = (today.weekday() - _WEEKDAY_NAMES.index(m["wd"])) % 7
    if rel in ("next", "this coming"):
        found = today + datetime.timedelta(days=(7 - back) or 7)
    else:
        if rel in ("last", "this past", "past") and back == 0:
            back = 7
        found = today - datetime.timedelta(days=back)
    return EventDate(found, DAY, False, start, m.end(), True)


def _ago(lowered: str, m: re.Match[str], today: datetime.date) -> EventDate | None:
    count = m["n"].lower()
    n = int(count) if count.isdigit() else _NUMBERS[count]
    unit = m["unit"].lower()
    if unit == "day":
        found, precision, approximate = today - datetime.timedelta(days=n), DAY, False
    elif unit == "week":
        found, precision, approximate = today - datetime.timedelta(weeks=n), DAY, True
    elif unit == "month":
        found, precision, approximate = _add_months(today.replace(day=1), -n), MONTH, True
    else:
        found, precision, approximate = datetime.date(today.year - n, 1, 1), YEAR, True
    return EventDate(found, precision, approximate, m.start(), m.end(), True)


def _fixed(
    shift: Callable[[datetime.date], datetime.date], precision: str, *, approximate: bool = False
) -> _Rule:
    """A rule for a fixed phrase whose date is a shift of the publication day."""

    def parse(lowered: str, m: re.Match[str], today: datetime.date) -> EventDate | None:
        if m[0].startswith("later"):
            return None  # a plan within a period that holds the publication: no telling date
        return EventDate(shift(today), precision, approximate, m.start(), m.end(), True)

    return parse


def _days(n: int) -> Callable[[datetime.date], datetime.date]:
    return lambda today: today + datetime.timedelta(days=n)


def _monday(weeks: int) -> Callable[[datetime.date], datetime.date]:
    return lambda today: today + datetime.timedelta(days=7 * weeks - today.weekday())


def _month_start(months: int) -> Callable[[datetime.date], datetime.date]:
    return lambda today: _add_months(today.replace(day=1), months)


def _last_saturday(today: datetime.date) -> datetime.date:
    return today - datetime.timedelta(days=(today.weekday() - 5) % 7 or 7)


def _words(pattern: str, *, possessive: bool = False) -> re.Pattern[str]:
    """A fixed phrase; a possessive one ("last month's layoffs") only where `possessive` says
    that it dates the noun after it as well as a verb would."""
    return re.compile(rf"\b(?:{pattern})\b" + ("" if possessive else _NOT_POSSESSIVE))


# Names and numbers are matched in the sentence as written; the first four need a month name.
_MONTH_RULES: tuple[tuple[re.Pattern[str], _Rule], ...] = (
    (re.compile(rf"(?<!\w){_WD_PREFIX}{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?"), _explicit_day),
    (
        re.compile(
            rf"(?<![\w.,$]){_WD_PREFIX}(?:[Tt]he\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?"
        ),
        _explicit_day,
    ),
    (re.compile(rf"(?<!\w){_MONTH}(?:,|\s+of)?\s+{_YEAR}"), _month_year),
    (re.compile(_MONTH_FULL), _bare_month),
    (
        re.compile(
            r"(?<!\w)(?P<month>January|February|March|April|June|July|August|September|October"
            r"|November|December)['\u2019]s"
        ),
        _possessive_month,
    ),
)
_CORE_RULES: tuple[tuple[re.Pattern[str], _Rule], ...] = (
    (
        re.compile(
            r"(?<![\w.-])(?P<year>(?:19|20)\d{2})-(?P<mon>0[1-9]|1[0-2])"
            r"-(?P<day>0[1-9]|[12]\d|3[01])(?![\d-])"
        ),
        _iso_day,
    ),
    (re.compile(rf"(?<![\w$\u20ac\u00a3#.,/]){_YEAR}"), _year),
    (re.compile(rf"{_WD}(?:\s+(?:morning|afternoon|evening|night))?\b"), _weekday),
    # Seasons are matched lower-case only: "Spring", "Summer" and "Winter" are also names.
    (
        re.compile(
            r"(?<![\w-])(?P<season>spring|summer|autumn|fall|winter)(?![\w-])"
            r"(?!\s+(?:of|in|to|from|at|by)\b)"
        ),
        _season,
    ),
)
# Fixed phrases are matched in the lower-cased sentence, each only if it holds a key word.
_WORD_RULES: tuple[tuple[str, re.Pattern[str], _Rule], ...] = (
    (
        "year",
        _words(r"(?:earlier\s+|later\s+)?(?:the\s+)?(?P<which>last|this|next|previous)\s+year"),
        _relative_year,
    ),
    (
        "ago",
        _words(rf"(?P<n>\d{{1,2}}|{'|'.join(_NUMBERS)})\s+(?P<unit>day|week|month|year)s?\s+ago"),
        _ago,
    ),
    ("today", _words(r"(?:earlier\s+|later\s+)?today", possessive=True), _fixed(_days(0), DAY)),
    ("tonight", _words(r"tonight", possessive=True), _fixed(_days(0), DAY)),
    ("this", _words(r"this\s+(?:morning|afternoon|evening)"), _fixed(_days(0), DAY)),
    (
        "yesterday",
        _words(r"yesterday(?:\s+(?:morning|afternoon|evening))?", possessive=True),
        _fixed(_days(-1), DAY),
    ),
    ("last", _words(r"last\s+night", possessive=True), _fixed(_days(-1), DAY)),
    (
        "yesterday",
        _words(r"the\s+day\s+before\s+yesterday", possessive=True),
        _fixed(_days(-2), DAY),
    ),
    ("tomorrow", _words(r"tomorrow", possessive=True), _fixed(_days(1), DAY)),
    (
        "week",
        _words(r"(?:earlier\s+|later\s+)?this\s+week", possessive=True),
        _fixed(_monday(0), DAY, approximate=True),
    ),
    (
        "week",
        _words(r"(?:last|the\s+previous)\s+week", possessive=True),
        _fixed(_monday(-1), DAY, approximate=True),
    ),
    ("week", _words(r"next\s+week", possessive=True), _fixed(_monday(1), DAY, approximate=True)),
    (
        "weekend",
        _words(r"(?:over\s+the|last|this\s+past)\s+weekend", possessive=True),
        _fixed(_last_saturday, DAY, approximate=True),
    ),
    (
        "month",
        _words(r"(?:earlier\s+|later\s+)?this\s+month", possessive=True),
        _fixed(_month_start(0), MONTH),
    ),
    (
        "month",
        _words(r"(?:last|the\s+previous)\s+month", possessive=True),
        _fixed(_month_start(-1), MONTH),
    ),
    ("month", _words(r"next\s+month", possessive=True), _fixed(_month_start(1), MONTH)),
)
_PRECISION_RANK = {YEAR: 0, MONTH: 1, DAY: 2}


def find_dates(sentence: str, *, published: datetime.datetime) -> list[EventDate]:
    """Every date expression in the sentence, in order; where two overlap the longer one wins
    ("on Tuesday, Feb. 10, 2026" is one date, "late last year" is not also "last year")."""
    today = utc_day(published)
    lowered = _lower(sentence)
    matches = [(m, rule) for pattern, rule in _CORE_RULES for m in pattern.finditer(sentence)]
    if _HAS_MONTH.search(sentence):
        matches += [(m, rule) for pattern, rule in _MONTH_RULES for m in pattern.finditer(sentence)]
    for word, pattern, rule in _WORD_RULES:
        if word in lowered:
            matches += [(m, rule) for m in pattern.finditer(lowered)]
    found = [d for m, rule in matches if (d := rule(lowered, m, today)) is not None]
    found.sort(key=lambda d: (d.start - d.end, d.start))
    kept: list[EventDate] = []
    for candidate in found:
        if all(candidate.end <= k.start or candidate.start >= k.end for k in kept):
            kept.append(candidate)
    return sorted(kept, key=lambda d: d.start)


def event_date(sentence: str, *, published: datetime.datetime) -> EventDate | None:
    """The date the sentence's event most likely happened on: the most precise date not after
    publication, exact before approximate, then the most recent (news reports the newest thing:
    "left in 2025 after joining in 2023" is about 2025).

    A future date ("next month", "in 2027") is a plan, not an event; it is returned only when the
    sentence has no other date, the nearest one first, and the caller tells it apart by
    `result.date > published.date()` (in UTC) and decides whether a plan is worth keeping."""
    dates = find_dates(sentence, published=published)
    today = utc_day(published)
    past = [d for d in dates if d.date <= today]
    if past:
        return max(past, key=lambda d: (_PRECISION_RANK[d.precision], not d.approximate, d.date))
    if dates:
        return max(
            dates,
            key=lambda d: (_PRECISION_RANK[d.precision], not d.approximate, -d.date.toordinal()),
        )
    return None
