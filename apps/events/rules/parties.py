"""Who stands where around a trigger word: the clause it sits in, the names of its subject and
object, the date that belongs to it. Shared by the cluster, permit, lawsuit and legal-notice
rules. Pure and shallow, the grammar news prose allows:

- A *clause* runs between hard boundaries (";", a spaced dash, " but ", ", while ...", ", and"
  before a new subject). Commas alone do not end one: news hangs dates and attributions on them.
- An *aside* is a relative clause set off by commas (", who co-founded X in 2015,"). Its names
  are not the main verb's subject and its dates are not the main event's.
- A *group* is the names a verb governs, coordinated ("xAI and X", "OpenAI, Apple and its CEO
  Tim Cook"); a possessive ("Musk's xAI") or a title ("former xAI engineer Li") only modifies
  the name after it.
- Pronouns and "the company", "the department", "the site" stand for the most recent fitting
  entity of the article (`Sentence.recent`).
"""

import datetime
import functools
import re
from collections.abc import Callable, Iterable

from apps.common.dates import utc_day
from apps.events.rules.base import CLUSTER, COMPANY, PERSON, Named, Sentence
from apps.events.rules.quantities import Quantity, find_quantities
from apps.events.rules.when import YEAR, EventDate, find_dates
from apps.events.vocabulary import Status

Span = tuple[int, int]

_BOUNDARY = re.compile(
    r"""[;:]\s | \s[\u2014\u2013]\s | \s--\s
    | ,?\s+(?:while|whereas|but|although|though|even\s+as)\s
    | ,\s+and\s+(?=(?:he|she|it|they|the\s+\w+|its\s+\w+)\s)
    | ,\s+and\s+(?=(?:[A-Z][\w.&'-]*\s+){1,3}(?:\d+\s+)?
        (?:has|have|had|is|was|are|were|will|would|could|can|also|now|then|later|[a-z]+ed|[a-z]+s)\b)
    """,
    re.VERBOSE,
)
_ASIDE = re.compile(r",\s*(?:who|whom|whose|which|where)\b(?:[^,;]|,(?=\d))*(?:,|(?=;)|$)")
# "reached 200,000 GPUs, up from 100,000 in 2024": the date of the comparison, not the event.
_COMPARISON = re.compile(
    r"(?i),?\s+(?:(?:up|down)\s+from|compared\s+(?:with|to))\b(?:[^,;]|,(?=\d))*"
)
_PREPOSITION_BEFORE = re.compile(
    r"""(?i)\b(?:of|at|in|from|with|for|to|by|on|against|over|about|into|near|under|via|than
    |behalf\s+of|including|like|between|among|after|before|despite|toward|towards|representing
    |ruling|judge|lawyers?|attorneys?)\s+(?:the\s+|a\s+|an\s+)?
    (?:(?!(?:when|where|while|since|because|as|if|that|until|once|who|which)\s)[a-z][\w-]*\s+){0,2}$""",
    re.VERBOSE,
)
_COUNSEL_FOR = re.compile(
    r"(?i)\b(?:lawyers?|attorneys?|counsel)\s+(?:for|representing)\s+(?:the\s+)?\Z"
)
_POSSESSIVE_AFTER = re.compile(r"['\u2019]s?(?=\s|$)")
# What may stand between a verb and its object, or between a modifier and its head name: up to
# four words that are neither prepositions, conjunctions, relative pronouns nor verb forms.
_GAP_WORD = (
    r"(?!(?:in|on|at|over|for|from|by|to|of|with|after|before|and|or|but|that|which|who|said"
    r"|says)\b)[A-Za-z][\w.&-]*(?<!ing)(?<!ed)"
)
_GAP = re.compile(rf"\s*(?:(?:{_GAP_WORD}|\d+)\s+){{0,4}}\Z")
_MODIFIER_GAP = re.compile(rf"(?:['\u2019]s?)?\s+(?:(?:{_GAP_WORD})\s+){{0,3}}\Z")
# Between coordinated names: a conjunction and a few title words ("and its chief executive"),
# or a bare comma with at most a determiner-led title (", its CEO"): ", allows xAI" is a verb.
_COORDINATION = re.compile(
    rf"""(?:
        (?:,\s*|\s)(?:and|or|&|as\s+well\s+as|plus)\s+(?:(?:{_GAP_WORD})\s+){{0,3}}
      | ,\s*(?:along|together)\s+with\s+(?:(?:{_GAP_WORD})\s+){{0,3}}
      | ,\s*(?:(?:its|their|his|her|the|former|rival|fellow)\s+(?:(?:{_GAP_WORD})\s+){{0,2}})?
    )\Z""",
    re.VERBOSE,
)
_PERSON_PRONOUN = re.compile(r"(?i)\b(?:he|she|him|her)\b")
_COMPANY_PRONOUN = re.compile(
    r"""(?i)\b(?:it|they|them|the\s+(?:company|startup|firm|lab|group|business|developer|maker
    |chipmaker|giant|platform|venture|outfit|ai\s+(?:company|startup|lab|firm)))\b""",
    re.VERBOSE,
)
_CLUSTER_PRONOUN = re.compile(
    r"""(?i)\b(?:the|this|that|its)\s+(?:(?!(?:first|second|third|only|largest|biggest|fastest
    |most|next|other|world)\b)[\w-]+(?:['\u2019]s)?\s+){0,2}?(?:supercomputer|cluster|facility
    |site|campus
    |data\s*cent(?:er|re)|plant)\b""",
    re.VERBOSE,
)
# A body that approves, hears or regulates, by the words of its name or of "the department".
AUTHORITY_WORDS = (
    r"court|tribunal|judge|department|dept|agency|commission|board|authority|council|bureau"
    r"|administration|ministry|regulators?|office|county|city|state|utility|division|service"
    r"|inspectorate|attorney\s+general"
)
_AUTHORITY_NAME = re.compile(
    rf"(?i)\b(?:{AUTHORITY_WORDS})\b|\b(?:EPA|FTC|SEC|DOJ|FCC|FERC|NLRB)\b"
)
_AUTHORITY_PRONOUN = re.compile(
    rf"(?i)\b(?:the|its)\s+(?:\w+\s+)?(?P<head>{AUTHORITY_WORDS})\b|\b(?P<plain>regulators|officials)\b"
)


# Words that may stand for any authority ("regulators approved"), not only one so named.
_GENERIC_AUTHORITY = ("regulator", "regulators", "utility", "state", "city", "county")

_AUTHORITY_HEAD = re.compile(rf"(?i)\b(?:{AUTHORITY_WORDS})\b")


# A correction note repeats the figure it withdraws: "An earlier version of this article said the
# upgrade would take it to 2 GW". Nothing in such a clause is news.
_WITHDRAWN = re.compile(
    r"""(?i)\b(?:(?:earlier|previous|prior|original)\s+version\b
    |(?:incorrectly|wrongly|erroneously|mistakenly)\s+(?:said|stated|reported|gave|put|described)
    |misstated|misreported)""",
    re.VERBOSE,
)
# Hearsay that `status_of` does not read: "Word from Memphis is that...", "it is only word".
_HEARSAY = re.compile(
    r"""(?i)\b(?:word(?:\s+(?:from|in|around)\s+[^,;.]{1,40}?)?(?:\s*,[^,;.]{1,40},)?\s+(?:is|was)
    \s+that|only\s+(?:a\s+)?(?:word|rumou?r)|word\s+(?:has\s+it|is\s+out)|unconfirmed|unverified)\b""",
    re.VERBOSE,
)


def withdrawn(text: str) -> bool:
    """Whether the clause is a correction note's account of what an earlier version said."""
    return _WITHDRAWN.search(text) is not None


def hedged(status: Status, sentence: str) -> Status:
    """A confirmed status made rumoured by hearsay anywhere in the sentence."""
    if status == Status.CONFIRMED and _HEARSAY.search(sentence):
        return Status.RUMOURED
    return status


def article_party(sentence: Sentence, exclude: Iterable[int]) -> list[Named]:
    """The one company the article is about that is neither an authority nor already a party:
    whom "The suit was filed in April by the NAACP" is against, in an article about that suit.
    Nothing when the article is about several such companies."""
    taken = set(exclude)
    named = [n for n in (*sentence.recent, *sentence.names) if n.kind == COMPANY]
    # "MDEQ" hides the authority that "the Department of Environmental Quality" shows.
    taken |= {n.entity_id for n in named if is_authority(n)}
    fits = {n.entity_id: n for n in named if n.entity_id in sentence.about}
    found = [n for i, n in fits.items() if i not in taken]
    return found if len(found) == 1 else []


def lowered(text: str) -> str:
    """The text lower-cased, if that keeps every offset (a few letters, like "\u0130", grow)."""
    low = text.lower()
    return low if len(low) == len(text) else text


def clauses(text: str) -> list[Span]:
    """The sentence's clauses, in order, covering it."""
    spans, left = [], 0
    for m in _BOUNDARY.finditer(text):
        spans.append((left, m.start()))
        left = m.end()
    spans.append((left, len(text)))
    return spans


def clause_at(spans: list[Span], pos: int) -> Span:
    for span in spans:
        if span[0] <= pos < span[1]:
            return span
    return spans[-1]


def asides(text: str) -> list[Span]:
    return [(m.start(), m.end()) for m in _ASIDE.finditer(text)]


def inside(pos: int, spans: Iterable[Span]) -> bool:
    return any(a <= pos < b for a, b in spans)


def is_authority(name: Named) -> bool:
    return name.kind == COMPANY and _AUTHORITY_NAME.search(name.surface) is not None


def is_possessive(text: str, name: Named) -> bool:
    return _POSSESSIVE_AFTER.match(text, name.end) is not None


def entity_ids(names: Iterable[Named]) -> list[int]:
    """The names' entities, each once, in order."""
    return list(dict.fromkeys(name.entity_id for name in names))


def names_in(sentence: Sentence, lo: int, hi: int, kinds: tuple[str, ...]) -> list[Named]:
    return [n for n in sentence.names if lo <= n.start and n.end <= hi and n.kind in kinds]


def group_after(
    sentence: Sentence, pos: int, hi: int, kinds: tuple[str, ...] = (COMPANY, PERSON)
) -> list[Named]:
    """The names governed by the word ending at `pos`: "sued [OpenAI] and [Apple]", "sued former
    [xAI] engineer [Li]" (a possessive or title name only modifies the next one)."""
    text = sentence.text
    after = [n for n in sentence.names if n.start >= pos and n.end <= hi]
    if not after or not _GAP.match(text[pos : after[0].start]):
        return []
    group: list[Named] = []
    index = 0
    while index < len(after):
        head = _head(text, after, index)
        group.append(after[head])
        index = head + 1
        if index >= len(after) or not _COORDINATION.match(
            text[after[head].end : after[index].start]
        ):
            break
    return [n for n in group if n.kind in kinds]


def _head(text: str, names: list[Named], index: int) -> int:
    """The name a run of modifiers ends on: "Musk's [xAI]", "[xAI] co-founder [Ba]"."""
    while index + 1 < len(names):
        current, following = names[index], names[index + 1]
        gap = text[current.end : following.start]
        possessive = is_possessive(text, current)
        if not (possessive or (following.kind == PERSON and gap.strip())):
            break
        if not _MODIFIER_GAP.match(gap):
            break
        index += 1
    return index


def group_before(
    sentence: Sentence, lo: int, pos: int, kinds: tuple[str, ...] = (COMPANY, PERSON)
) -> list[Named]:
    """The subject names of the verb at `pos`: the nearest name before it in its clause that is
    not possessive, not after a preposition and not in an aside, with the names coordinated with
    it ("[xAI] and [X] sued", "[xAI], along with [X], sued")."""
    text = sentence.text
    holes = asides(text)
    before = [n for n in sentence.names if lo <= n.start and n.end <= pos]
    heads = [i for i, n in enumerate(before) if _eligible(text, n, holes, lo, pos)]
    if not heads:
        return []
    first = last = heads[-1]
    while first > 0 and _COORDINATION.match(text[before[first - 1].end : before[first].start]):
        if inside(before[first - 1].start, holes):
            break
        first -= 1
    while last + 1 < len(before) and _COORDINATION.match(
        text[before[last].end : before[last + 1].start]
    ):
        last += 1
    group = [n for n in before[first : last + 1] if not is_possessive(text, n)]
    return [n for n in group if n.kind in kinds]


def _eligible(text: str, name: Named, holes: list[Span], lo: int, pos: int) -> bool:
    if is_possessive(text, name) or (inside(name.start, holes) and not inside(pos, holes)):
        return False
    if _COUNSEL_FOR.search(text, max(lo, name.start - 40), name.start):
        return True  # "lawyers for the NAACP sent": the client is who acts
    return _PREPOSITION_BEFORE.search(text, max(lo, name.start - 40), name.start) is None


def referent(sentence: Sentence, words: str, kinds: tuple[str, ...]) -> Named | None:
    """What a pronoun or "the company" in `words` stands for, from the article's recent names."""
    if PERSON in kinds and _PERSON_PRONOUN.search(words):
        return _recent(sentence, lambda n: n.kind == PERSON)
    if CLUSTER in kinds and _CLUSTER_PRONOUN.search(words):
        return _recent(sentence, lambda n: n.kind == CLUSTER)
    if COMPANY in kinds and (m := _AUTHORITY_PRONOUN.search(words)):
        # "the county health department": the last authority word is the head.
        heads = _AUTHORITY_HEAD.findall(words, m.start())
        head = " ".join(heads[-1].lower().split()) if m["head"] and heads else ""
        if head and head not in _GENERIC_AUTHORITY:
            return _recent(sentence, lambda n: is_authority(n) and head in n.surface.lower())
        return _recent(sentence, is_authority)
    if COMPANY in kinds and _COMPANY_PRONOUN.search(words):
        return _recent(sentence, lambda n: n.kind == COMPANY and not is_authority(n))
    return None


def _recent(sentence: Sentence, fits: Callable[[Named], bool]) -> Named | None:
    return next((n for n in sentence.recent if fits(n)), None)


def subject(
    sentence: Sentence, lo: int, pos: int, kinds: tuple[str, ...] = (COMPANY, PERSON)
) -> list[Named]:
    """`group_before`, or what a pronoun just before the verb stands for ("He sued", "The
    company has filed")."""
    group = group_before(sentence, lo, pos, kinds) or _body_of(sentence, lo, pos, kinds)
    if group:
        return group
    found = referent(sentence, sentence.text[max(lo, pos - 40) : pos], kinds)
    return [found] if found else []


# "the Tennessee Valley Authority's board approved", "the NAACP's lawyers filed": the body or
# the counsel of an organisation acts for it.
_BODY = re.compile(
    r"""(?i)['\u2019]s?\s+(?:[\w-]+\s+){0,2}?(?:board|council|commission|commissioners|directors
    |trustees|officials|regulators|inspectors|staff|lawyers|attorneys|counsel|legal\s+team)\b""",
    re.VERBOSE,
)


def _body_of(sentence: Sentence, lo: int, pos: int, kinds: tuple[str, ...]) -> list[Named]:
    names = [n for n in sentence.names if lo <= n.start and n.end <= pos]
    if not names or names[-1].kind not in kinds or not is_possessive(sentence.text, names[-1]):
        return []
    body = _BODY.match(sentence.text, names[-1].end)
    if body is None or _PREPOSITION_BEFORE.search(sentence.text, lo, names[-1].start):
        return []
    return [names[-1]]


_OBJECT_PRONOUN = re.compile(
    r"""(?i)\s*(?:(?P<person>him|her)|it|them|the\s+(?:company|startup|firm|lab|group|developer
    |maker|chipmaker|giant|platform|ai\s+(?:company|startup|lab|firm)))\b""",
    re.VERBOSE,
)


def object_referent(sentence: Sentence, pos: int, exclude: list[Named]) -> list[Named]:
    """What "sued the company" or "sued him" right after `pos` stands for: the latest fitting
    name earlier in the sentence that is not the subject, else the article's latest one."""
    m = _OBJECT_PRONOUN.match(sentence.text, pos)
    if m is None:
        return []
    kind = PERSON if m["person"] else COMPANY
    taken = {n.entity_id for n in exclude}
    fits = [n for n in sentence.names if n.end <= pos and n.kind == kind]
    for name in reversed(fits):
        if name.entity_id not in taken:
            return [name]
    found = _recent(sentence, lambda n: n.kind == kind and n.entity_id not in taken)
    return [found] if found else []


def cluster_mentions(sentence: Sentence) -> list[Named]:
    """The clusters named in the sentence, and "the site", "the supercomputer" standing for the
    article's latest cluster (as a Named at the words' offsets)."""
    found = list(sentence.of_kind(CLUSTER))
    latest = _recent(sentence, lambda n: n.kind == CLUSTER)
    if latest is None:
        return found
    for m in _CLUSTER_PRONOUN.finditer(sentence.text):
        # "the Tulane Road site" is a name, "the xAI site" one of its clusters, not the latest.
        if any(n.start < m.end() and m.start() < n.end for n in sentence.names):
            continue
        # "Stargate Abilene, the Texas campus": an apposition to the name, not another cluster.
        if any(_APPOSED.fullmatch(sentence.text, n.end, m.start()) for n in found):
            continue
        found.append(Named(latest.entity_id, CLUSTER, m.start(), m.end(), m.group()))
    return sorted(found, key=lambda n: n.start)


_APPOSED = re.compile(r",\s*")
# "last autumn": when.py leaves seasons without a year alone; a season just past still gives
# its year, the month holding its middle telling which.
_LAST_SEASON = re.compile(r"(?i)\b(?:last|this\s+past)\s+(spring|summer|autumn|fall|winter)\b")
_SEASON_MIDDLE = {"spring": 4, "summer": 7, "autumn": 10, "fall": 10, "winter": 1}


@functools.lru_cache(maxsize=32)
def _dates(text: str, published: datetime.datetime) -> tuple[EventDate, ...]:
    # The four rules of this family read the same sentence one after the other: find once.
    found = find_dates(text, published=published)
    for m in _LAST_SEASON.finditer(text):
        if not any(d.start <= m.start() < d.end for d in found):
            found.append(_season(m, published))
    return tuple(sorted(found, key=lambda d: d.start))


def _season(m: re.Match[str], published: datetime.datetime) -> EventDate:
    day = utc_day(published)
    middle = _SEASON_MIDDLE[m.group(1).lower()]
    year = day.year if middle < day.month else day.year - 1
    return EventDate(datetime.date(year, 1, 1), YEAR, True, m.start(), m.end(), True)


@functools.lru_cache(maxsize=32)
def quantities_of(text: str) -> tuple[Quantity, ...]:
    """`find_quantities`, remembered for the few sentences last read."""
    return tuple(find_quantities(text))


class Dates:
    """The sentence's dates, found when first asked for, and which of them belongs to a
    trigger."""

    def __init__(self, sentence: Sentence) -> None:
        self.sentence = sentence
        self._found: tuple[EventDate, ...] | None = None
        self.holes: list[Span] = []

    @property
    def found(self) -> tuple[EventDate, ...]:
        if self._found is None:
            text = self.sentence.text
            self._found = _dates(text, self.sentence.published)
            if self._found:
                self.holes = asides(text) + [
                    (m.start(), m.end()) for m in _COMPARISON.finditer(text)
                ]
        return self._found

    def near(self, trigger: Span, clause: Span, *, fallback: bool = False) -> EventDate | None:
        """The date in the trigger's clause nearest to it, not inside an aside that does not
        hold the trigger; with `fallback`, any such date of the sentence when the clause has
        none."""
        own = [d for d in self.found if inside(d.start, [clause])]
        if not own and fallback:
            own = list(self.found)
        own = [d for d in own if not inside(d.start, self.holes) or inside(trigger[0], self.holes)]
        if not own:
            return None
        return min(own, key=lambda d: _distance(d, trigger))

    def owned(self, triggers: list[Span], clause: Span) -> list[EventDate | None]:
        """For several triggers in one clause, each its own date: a date belongs to the latest
        trigger before it (the ones before the first trigger to the first)."""
        result: list[EventDate | None] = []
        for i, trigger in enumerate(triggers):
            lo = clause[0] if i == 0 else trigger[0]
            hi = triggers[i + 1][0] if i + 1 < len(triggers) else clause[1]
            result.append(self.near(trigger, (lo, hi)))
        return result


def _distance(date: EventDate, trigger: Span) -> int:
    if date.start >= trigger[1]:
        return date.start - trigger[1]
    return max(0, trigger[0] - date.end) + 1  # after the trigger wins a tie: "left on Tuesday"
