"""Reading around a trigger word: which clause it sits in, who its subject and object are, which
date, amount and status belong to it. Shared by the corporate event rules (acquisition, merger,
funding, partnership, model release). Pure, and cheap: a rule calls these only once a keyword
matched.

The model of a sentence is deliberately shallow, the kind news prose allows:

- An *aside* is a stretch set off from the main clause: a relative clause (", which bought X in
  2025,"), an apposition (", the social network,"), a participle phrase (", acquired by Y,"),
  brackets and dash pairs. Its subject, date and hedges are its own: a main-clause event does not
  read them, an event whose trigger lies inside it reads only the aside.
- A *clause* runs between hard boundaries (";", ":", " but ", ", while "...). Commas alone do
  not end one, because news hangs dates and attributions on commas ("On Tuesday, X said...").
- The *subject* of a verb is the nearest named entity to its left in the same scope; "it" or
  "the company" with no entity before it means the article's most recent company.
"""

import re
from dataclasses import dataclass

from apps.events.rules.base import COMPANY, Named, Sentence
from apps.events.rules.quantities import Quantity, find_quantities
from apps.events.rules.status import status_of
from apps.events.rules.when import EventDate, find_dates
from apps.events.vocabulary import Status

# Words that open an aside after a comma. Plain adjectives and names do not: ", OpenAI said" and
# ", xAI acquired X" are the main clause after a fronted phrase.
_ASIDE = re.compile(
    r""",\s+(?:
        (?:which|who|whom|whose|where)\b
      | (?:a|an|the|its|his|her|their|now|formerly|previously|once|then|also|itself|both)\s
      | (?:[a-z]+ed|owned|led|run|built|known|bought|sold|taken)\s+(?:by|in|as|from)\b
      | [A-Z][\w.&-]*(?:\s[A-Z][\w.&-]*)*['\u2019]s?\s
    )[^,;()\u2014]*(?:,|(?=[;)\u2014])|$)
    | \([^()]*\)
    | \s[\u2014\u2013-]\s[^\u2014\u2013;]*?\s[\u2014\u2013-]\s
    """,
    re.VERBOSE,
)
# ", the company said on Monday" reports the main clause; it is no aside.
_ATTRIBUTION = re.compile(
    r",\s+(?:the|a|an|its|his|her|their)\s+(?:[\w'\u2019-]+\s+){0,4}?"
    r"(?:said|says|told|tells|announced|confirmed|added|wrote|reported)\b"
)
_BOUNDARY = re.compile(
    r";|:\s|\s[\u2014\u2013]\s|\.\s+(?=[A-Z])|\s+but\s|,\s+(?:while|whereas|although|though)\s"
    # ", and Tesla invested ...": a second clause with its own subject and verb.
    r"|,\s+and\s+(?=(?:he|she|it|they|the\s+\w+|[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*){0,3})\s+"
    r"(?:also\s+|later\s+|then\s+)?(?:has|have|had|is|are|was|were|will|would|[a-z]+ed)\b)"
)
# "it", "the company" standing for the subject; auxiliaries may sit between it and the verb.
_PRONOUN = re.compile(
    r"""(?i)\b(?:(?P<it>it|they)|the\s+(?:company|startup|start-up|firm|lab|group|business
    |developer|maker|chipmaker|giant|platform|venture|outfit|ai\s+(?:company|startup|lab|firm)))\s+
    (?:[a-z]+\s+){0,4}$""",
    re.VERBOSE,
)
# A negation or denial right before the trigger: "has not yet raised", "never released".
_NEGATION_BEFORE = re.compile(
    r"(?i)(?:\bnot|n[\u2019']t|\bnever|\bno\s+longer)\s+(?:yet\s+)?(?:been\s+)?(?:\w+ly\s+)?$"
    # An attempt that the sentence does not say succeeded: "tried to buy", "failed to raise".
    r"|\b(?:tried|tries|attempted|failed|fails)\s+(?:\w+ly\s+)?(?:once\s+)?to\s+$"
)
# Hedges status_of knows for some verbs only; these hold for every corporate event.
_RUMOUR = re.compile(
    r"""(?x)\b(?:could|may|might)\s+(?:soon\s+|eventually\s+|also\s+)?[a-z]+
    | (?i:\b(?:
        (?:is|are|was|were)\s+(?:expected|poised|likely|preparing|planning|seeking|looking|hoping
        |aiming|angling|eyeing|hunting)\s+to\b
      | (?:seeks?|seeking|aims?|aiming|hopes?|hoping)\s+to\b
      | (?:is|are)\s+(?:eyeing|targeting|pursuing|courting)\b
      | in\s+(?:early\s+|advanced\s+)?(?:talks|discussions|negotiations)
      | whether\s+to | proposals?\s+to
    ))"""
)
# "since 2023", "since its founding in 2023": where a running total starts, not an event's date.
_SINCE = re.compile(r"(?i)\bsince\b[^,;.]*$")
_COLON_AFTER = re.compile(r"\s*:\s")
# A trigger inside a condition ("if it closes at $15bn") or an open question ("has not said
# whether it is raising") reports nothing that happened.
_CONDITION = re.compile(r"(?i)(?:^|[,;:(]\s*|\b(?:and|but|even)\s+)\s*(?:if|unless)\s+[^,;]*$")
_OPEN_QUESTION = re.compile(
    r"(?i)\b(?:(?:not|n[\u2019']t|never)\s+(?:yet\s+)?(?:said|say|says|disclosed|disclose"
    r"|confirmed|confirm|commented\s+on|revealed|reveal)|declined\s+to\s+(?:say|confirm|comment"
    r"\s+on)|unclear|unknown|asked)\s+(?:\w+\s+){0,2}?(?:whether|if)\b[^,;]*$"
)
_TALLY = re.compile(
    r"(?i)\b(?:twice|(?:three|four|five|several|multiple|many)\s+times|repeatedly|more\s+than"
    r"\s+once)\b(?!\s+(?:the|as|its|that|what|more|larger|bigger|higher|over)\b)"
)
# A third party's report of the event, not the company's own word: "a TV desk reported that",
# "according to a report on Thursday", "a report that xAI was raising".
_REPORT = re.compile(
    r"""(?ix)\baccording\s+to\s+(?:a|an|one|the|that)\s+(?:[\w-]+\s+){0,3}?(?:report|story
    |article|filing\s+seen)\b
    | \b(?:a|an|one|the|that|earlier)\s+(?:[\w-]+\s+){0,3}?(?:report|story)\s+
    (?:(?:on|last|this|published|from|by|in)\s+(?:[\w-]+\s+){1,3}?)?(?:that|of|said|says|saying
    |claimed|about)\b
    | \b(?:desk|outlet|newspaper|paper|publication|network|channel|site|newsletter|broadcaster
    |reporters?|journalists?|media|press)\s+(?:\w+\s+)?reported\s+(?:that\s+)?"""
)
# Someone's forecast about a company, not the company's act or word: "analysts expect xAI to
# raise", "xAI will need to raise", "could easily buy".
_FORECAST = re.compile(
    r"""(?ix)\b(?:analysts?|experts?|economists?|forecasters?|observers?|commentators?|pundits?)
    \s+(?:[\w'\u2019-]+\s+){0,3}?(?:say|said|says|expects?|expected|predicts?|predicted|believe
    |believes|think|thinks|reckons?|estimates?|estimated|see|sees|suggest|suggested|speculated?
    |argue|argued|forecast|warned|warn)\b
    | \b(?:expects?|expected|expecting|predicts?|predicted|forecasts?|projects?|projected
    |estimates?|estimated|reckons?|bets?|betting)\s+(?:that\s+)?(?:[\w'\u2019]+\s+){1,4}?
    (?:to|will|would|could|can|might)\s+(?:\w+\s+)?$
    | \b(?:need|needs|needed|needing|have|has)\s+to\s+(?:\w+\s+)?$
    | \b(?:will|would|could|can|might|may)\s+(?:easily|likely|probably|eventually)\s+$"""
)
_CALLED_OFF = re.compile(
    r"""(?ix)\b(?:vot(?:ed|es|ing)\s+against|reject(?:ed|s|ing)|oppos(?:ed|es|ing)|block(?:ed|s|ing)
    |scrap(?:ped|s|ping)|abandon(?:ed|s|ing)|call(?:ed|s|ing)\s+off|walk(?:ed|s|ing)\s+away\s+from
    |terminat(?:ed|es|ing)|pull(?:ed|s|ing)\s+out\s+of|back(?:ed|s|ing)\s+out\s+of
    |delay(?:ed|s|ing)|postpon(?:ed|es|ing)|push(?:ed|es|ing)\s+back|shelv(?:ed|es|ing)
    |cancell?(?:ed|s|ing)|put\s+off|puts\s+off|putting\s+off)
    \s+(?:[\w$.,'\u2019-]+\s+){0,4}?$"""
)
_OFFER_BEFORE = re.compile(
    r"""(?ix)\b(?:offer(?:s|ed|ing)?|bid(?:s|ding)?|propos(?:es|ed|ing)|sought|seeks?|seeking
    |wants?|wanted|intends?|intended|intending|moved|moves)\s+to\s+(?:\w+\s+)?$"""
)
# Nouns status_of would read as hedges ("weigh" in "weights", "consider" in "considerable").
_NOT_HEDGES = re.compile(r"(?i)\b(?:weight\w*|considera\w*|mullet\w*)")
_DENIAL = re.compile(
    r"(?i)\bno\s+plans?\s+to\b|\b(?:is|are|was|were)\s+not\s+(?:in\s+talks|planning|seeking|looking)"
    # Someone knocking a report down: "rejected a report that", "dismissed a story about".
    r"|\b(?:rejected|rejects|dismissed|dismisses|denied|denies|disputed|disputes|refuted|refutes"
    r"|knocked\s+down|knocks\s+down|shot\s+down|shoots\s+down|batted\s+down|called\s+\w+\s+false)"
    r"\s+(?:\w+\s+){0,3}?(?:reports?|story|stories|articles?|claims?|rumou?rs?|speculation)"
    r"\s+(?:that|about|of|saying)\b"
    # "waved off a report of", "brushed aside reports that".
    r"|\b(?:wave[sd]?|waving|brush(?:ed|es)?|brushing|laugh(?:ed|s)?)\s+(?:off|aside)\s+"
    r"(?:\w+\s+){0,3}?(?:reports?|story|stories|claims?|rumou?rs?|speculation)\b"
    # "called a report that it was raising $10bn fake", "said a story ... was false".
    r"|\b(?:call(?:ed|s|ing)?|label+(?:ed|s)?|brand(?:ed|s)?)\s+(?:a|an|the|that|this|such|those"
    r"|these)\s+(?:\w+\s+){0,2}?(?:reports?|story|stories|claims?|rumou?rs?|articles?)\b"
    r"[^.;]*?\b(?:fake|false|untrue|wrong|inaccurate|baseless|nonsense|incorrect|fiction)\b"
    r"|\b(?:reports?|story|stories|claims?|rumou?rs?|articles?)\b[^.;]*?\b(?:was|were|is|are)\s+"
    r"(?:\w+\s+)?(?:false|fake|untrue|wrong|inaccurate|baseless|incorrect|not\s+true)\b"
    r"|\b(?:rejected|dismissed|denounced)\s+as\s+(?:false|fake|untrue|wrong|inaccurate|baseless"
    r"|nonsense)\b"
)
# A spokesperson's "is not raising" or "was not in talks" reports a denial, not a plain negation.
_REPORTED = re.compile(
    r"(?i)\b(?:said|says|told|tells|wrote|writes|posted|replied|insisted|stressed|added)\b"
)
_PROGRESSIVE_NOT = re.compile(
    r"(?i)\b(?:is|are|was|were)\s+(?:not|n[\u2019']t)\s+(?:currently\s+)?$"
)
# An aside that goes on with the main clause's subject: ", then raised", ", also bought".
_SAME_SUBJECT = re.compile(r",\s+(?:then|also)\s+(?!(?:the|a|an|its|his|her|their)\b)")
_LEADING_PRONOUN = re.compile(
    r"(?i)\s*(?:(?P<it>it|they)|the\s+(?:company|startup|start-up|firm|lab|group|business))\b"
)
# "said on X", "speaking at Tesla": a name in a place or a medium is no one's antecedent.
_PLACE_BEFORE = re.compile(r"(?i)\b(?:on|at|via|through)\s+$")


@dataclass(frozen=True)
class Scope:
    """The stretch of a sentence an event's words are read from: `start`..`end` minus `holes`
    (asides that do not hold the trigger)."""

    start: int
    end: int
    holes: tuple[tuple[int, int], ...]

    def holds(self, start: int, end: int) -> bool:
        if start < self.start or end > self.end:
            return False
        return all(end <= a or start >= b for a, b in self.holes)

    def text(self, text: str) -> str:
        """The scope's words; holes and what lies outside become spaces, offsets are kept."""
        chars = list(text)
        for a, b in ((0, self.start), (self.end, len(text)), *self.holes):
            chars[a:b] = " " * (b - a)
        return "".join(chars)


class Reader:
    """One sentence, read lazily: asides, dates and amounts are computed once, when first asked."""

    def __init__(self, sentence: Sentence) -> None:
        self.sentence = sentence
        self.text = sentence.text
        self._asides: list[tuple[int, int]] | None = None
        self._dates: list[EventDate] | None = None
        self._usd: list[Quantity] | None = None

    @property
    def asides(self) -> list[tuple[int, int]]:
        if self._asides is None:
            self._asides = [
                m.span() for m in _ASIDE.finditer(self.text) if not _ATTRIBUTION.match(m.group())
            ]
        return self._asides

    def scope(self, start: int, end: int) -> Scope:
        """The scope of a trigger at `start`..`end`: its aside if it lies in one, otherwise its
        clause without the asides in it."""
        for a, b in self.asides:
            if a <= start and end <= b:
                return Scope(a, b, ())
        left, right = 0, len(self.text)
        for m in _BOUNDARY.finditer(self.text):
            if any(a <= m.start() < b for a, b in self.asides):
                continue  # the dashes around an aside do not end the clause
            if m.end() <= start:
                left = m.end()
            elif m.start() >= end:
                right = m.start()
                break
        holes = tuple(
            (a, b) for a, b in self.asides if left <= a and b <= right and not (a <= start < b)
        )
        return Scope(left, right, holes)

    def subject(self, pos: int, scope: Scope, kinds: tuple[str, ...] = (COMPANY,)) -> Named | None:
        """Who did the verb at `pos`: the nearest entity of `kinds` before it in scope. An
        aside's subject is what the aside hangs on (", which bought X" -> the name before it).
        A pronoun ("it", "the company") between that entity and the verb stands for a company:
        the one that said so ("X said it would buy Y"), else the sentence's latest company
        before it, else the article's latest company."""
        before = [
            n
            for n in self.sentence.names
            if n.end <= pos and (scope.holds(n.start, n.end) or self._hangs(n, scope))
        ]
        pronoun = _PRONOUN.search(self.text, max(scope.start, pos - 60), pos)
        if pronoun is not None and (not before or before[-1].end <= pronoun.start()):
            return self._antecedent(pronoun.start(), definite=pronoun["it"] is None)
        found = next((n for n in reversed(before) if n.kind in kinds), None)
        if found is None and scope.start > 0 and _SAME_SUBJECT.match(self.text, scope.start):
            # ", then took in $10 billion": a second verb of the main clause's subject, which
            # news puts first ("A bought B in May, then acquired C").
            outer = self.scope(scope.start - 1, scope.start - 1)
            first = next(
                (
                    n
                    for n in self.sentence.names
                    if n.kind in kinds and n.end <= scope.start and outer.holds(n.start, n.end)
                ),
                None,
            )
            lead = _LEADING_PRONOUN.match(self.text, outer.start)
            if lead is not None and (first is None or lead.end() <= first.start):
                return self._antecedent(lead.start(), definite=lead["it"] is None)
            return first
        return found

    def antecedent(
        self, pos: int, *, exclude: Named | None = None, definite: bool = False
    ) -> Named | None:
        """The company an "it" (or, `definite`, a "the company") at `pos` stands for (see
        `subject`), never `exclude`."""
        return self._antecedent(pos, definite=definite, exclude=exclude)

    def _antecedent(
        self, pos: int, *, definite: bool, exclude: Named | None = None
    ) -> Named | None:
        """ "X said it would" is X, but "X said the company had" is another company: had X meant
        itself, "it" would do. Hence a definite description skips the speaker."""
        skip = {exclude.entity_id} if exclude is not None else set()
        companies = [
            n
            for n in self.sentence.names
            if n.end <= pos
            and n.kind == COMPANY
            and n.entity_id not in skip
            and not _PLACE_BEFORE.search(self.text, max(0, n.start - 10), n.start)
        ]
        for name in reversed(companies):
            if _REPORTS.match(self.text, name.end):
                if not definite:
                    return name
                skip.add(name.entity_id)
        companies = [n for n in companies if n.entity_id not in skip]
        recent = [n for n in self.sentence.recent if n.kind == COMPANY and n.entity_id not in skip]
        about = self.sentence.about
        if definite and about:
            # "the company" is the one the article is about rather than the last one named in
            # passing ("Kosic went back to OpenAI. ... since the company took over X"), but a
            # company of the sentence itself still comes before the earlier sentences'.
            pool = list(reversed(companies)) or recent
            preferred = next((n for n in pool if n.entity_id in about), None)
            if preferred is not None:
                return preferred
        if companies:
            return companies[-1]
        return next(iter(recent), None)

    def _hangs(self, name: Named, scope: Scope) -> bool:
        """Whether `name` is what the aside `scope` hangs on: the word right before it."""
        if scope.start == 0 or (scope.start, scope.end) not in self.asides:
            return False
        return self.text[name.end : scope.start].strip(" '\u2019s") == ""

    def subjects(self, pos: int, scope: Scope, kinds: tuple[str, ...] = (COMPANY,)) -> list[Named]:
        """The subject and those joined to it by "and" or commas: "A and B merged"."""
        first = self.subject(pos, scope, kinds)
        names = self.sentence.names
        if first is None or first not in names:
            return [] if first is None else [first]  # an earlier sentence's company
        found = [first]
        index = names.index(first)
        while index > 0:
            prev = names[index - 1]
            if prev.kind not in kinds or not _list_gap(self.text[prev.end : found[0].start]):
                break
            found.insert(0, prev)
            index -= 1
        return found

    def following(
        self, pos: int, kinds: tuple[str, ...], *, words: int = 5, limit: int | None = None
    ) -> Named | None:
        """The first entity of `kinds` after `pos`, if only a short descriptive gap lies between
        ("acquired AI coding startup X", "by Elon Musk's xAI"). Prepositions, verbs and clause
        punctuation end the search: "bought chips from Nvidia" has no object among the names."""
        for name in self.sentence.names:
            if name.start < pos:
                continue
            if limit is not None and name.start > limit:
                return None
            if not _short_gap(self.text[pos : name.start], words):
                return None
            if name.kind in kinds:
                return name
            possessive = _POSSESSIVE.match(self.text, name.end)
            if possessive is None:
                return None
            pos = possessive.end()  # "Elon Musk's xAI": the owner is not the object
        return None

    def listed_after(
        self, first: Named, kinds: tuple[str, ...], *, closed: bool = False
    ) -> list[Named]:
        """`first` and the entities listed after it: "B, C and D", "B as well as C". Unless the
        list is `closed` ("between B and C"), a name with its own verb starts a new clause:
        "merged with X, and Tesla invested" lists only X."""
        found = [first]
        names = self.sentence.names
        for name in names[names.index(first) + 1 :]:
            gap = self.text[found[-1].end : name.start]
            if not _list_gap(gap):
                break
            if not closed and (
                _CLAUSE_AFTER.match(self.text, name.end)
                or (len(found) == 1 and _COMMA_AND.match(gap))
            ):
                break
            if name.kind in kinds:
                found.append(name)
        return found

    def dates(self) -> list[EventDate]:
        """Every date in the sentence, in order."""
        if self._dates is None:
            self._dates = find_dates(self.text, published=self.sentence.published)
        return self._dates

    def date(self, scope: Scope, start: int, end: int) -> EventDate | None:
        """The date in scope nearest the trigger; None when the scope dates nothing."""
        dates = [
            d
            for d in self.dates()
            if scope.holds(d.start, d.end) and not self._running_since(d, start)
        ]
        if not dates:
            return self._timeline_date()
        return min(dates, key=lambda d: d.start - end if d.start >= end else start - d.end)

    def _running_since(self, date: EventDate, trigger: int) -> bool:
        """ "since 2023" starts a running total; but in "since the two companies combined in
        March" the date is the since-clause's own event, the trigger's when it lies inside."""
        since = _SINCE.search(self.text, max(0, date.start - 40), date.end)
        return since is not None and not since.start() < trigger < date.start

    def _timeline_date(self) -> EventDate | None:
        """ "October 2022: Musk completes the takeover": a timeline's entry, whose date stands
        before a colon at the head of the sentence, dates every clause after it."""
        dates = self.dates()
        if not dates or self.text[: dates[0].start].strip(" -\u2013\u2014*"):
            return None
        return dates[0] if _COLON_AFTER.match(self.text, dates[0].end) else None

    def usd(self, scope: Scope) -> tuple[Quantity, ...]:
        """The dollar amounts and valuations in scope."""
        if self._usd is None:
            self._usd = [q for q in find_quantities(self.text) if q.kind == "usd"]
        return tuple(q for q in self._usd if scope.holds(q.start, q.end))

    def status(self, scope: Scope, start: int) -> Status | None:
        """The status of the event whose trigger starts at `start`; None when it is negated."""
        if _NEGATION_BEFORE.search(self.text, max(0, start - 24), start):
            said = _REPORTED.search(scope.text(self.text)[:start])
            if said and _PROGRESSIVE_NOT.search(self.text, max(0, start - 24), start):
                return Status.DENIED
            return None
        text = _NOT_HEDGES.sub(_blank, scope.text(self.text))
        before = self.text[scope.start : start]  # with its asides: their commas end an "if"
        if _CONDITION.search(before) or _OPEN_QUESTION.search(before) or _TALLY.search(text):
            # "if it closes at $15bn", "has not said whether it is raising", "twice disputed
            # reports": a condition, an open question or a tally of several events is no event.
            return None
        if _FORECAST.search(before):
            return None  # "analysts expect A to buy B": an opinion about the future, no event
        if _OFFER_BEFORE.search(self.text, max(0, start - 40), start):
            return Status.RUMOURED  # "offered to buy B": an offer, not a deal
        if _DENIAL.search(text):
            return Status.DENIED
        if _CALLED_OFF.search(before):
            return None  # "voted against merging", "blocked the purchase of": no deal
        status = status_of(text)
        if status == Status.CONFIRMED and (_RUMOUR.search(text) or _REPORT.search(text)):
            return Status.RUMOURED
        return status


_POSSESSIVE = re.compile(r"['\u2019]s?\s+")
_LIST_GAP = re.compile(
    r"\s*(?:,\s*)?(?:(?:and|&|or|as\s+well\s+as|plus|along\s+with|alongside|together\s+with)\s+)?"
    r"(?P<words>(?:[a-z][\w-]*\s+){0,2})"
)
_COMMA_AND = re.compile(r"\s*,\s*and\s")
# A name followed by its own verb starts a new clause: "... and Tesla invested $2 billion".
_CLAUSE_AFTER = re.compile(
    r"\s+(?:(?:also|then|later|has|have|had|is|are|was|were|will|would|could|may|said|says)\b"
    r"|[a-z]+ed\b(?!\s+by\b))"
)
_REPORTS = re.compile(
    r"(?:\s+\w+){0,2}?\s+(?:said|says|told|tells|announced|announces|confirmed|confirms|disclosed"
    r"|revealed|stated|wrote|added|noted)\b"
)
_GAP_TOKEN = re.compile(r"[$\w'\u2019.-]+|,|\S")
# Words a descriptive gap may not hold: they start another phrase or clause.
_GAP_STOP_WORDS = """in into from with to for on at by of about over under than after before since
    during via through which who that said says and or but as while when if not also would will
    has have had is are was were be been being did does do can could may might"""
_GAP_STOP = frozenset(_GAP_STOP_WORDS.split())


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group())


def _list_gap(gap: str) -> bool:
    m = _LIST_GAP.fullmatch(gap)
    if m is None:
        return False
    return not any(w in _GAP_STOP or w.endswith("ed") for w in m["words"].split())


def _short_gap(gap: str, words: int) -> bool:
    tokens = _GAP_TOKEN.findall(gap)
    if len(tokens) > words:
        return False
    for i, token in enumerate(tokens):
        if token == ",":  # noqa: S105 (a comma, not a password)
            # An apposition after a descriptor ("a third building, Colossus 2") is fine.
            if i != len(tokens) - 1 or i == 0:
                return False
        elif not (token[0].isalnum() or token[0] == "$") or token.lower() in _GAP_STOP:
            return False
    return True


def trigger_of(m: re.Match[str], group: str = "v") -> tuple[int, int]:
    """The offsets of a match's trigger group, or of the whole match when it has none."""
    if group in m.groupdict() and m.start(group) >= 0:
        return m.start(group), m.end(group)
    return m.start(), m.end()
