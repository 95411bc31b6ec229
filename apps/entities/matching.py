"""Which known entities an article names, and which ones it is about. Pure: no database, no network.

One Aho-Corasick automaton holds every alias, lower-cased. `Matcher.link` makes one pass over the
lower-cased document with it, then keeps a candidate only if it passes cheap checks at its two
edges and on its case:

- **Word boundaries** on both sides, Unicode-aware (letters, digits, `_` and combining marks are
  word characters). A hyphen or an apostrophe ends a word, so "xAI-backed" and "xAI's" (or
  "Musk's" with a curly apostrophe) name xAI, while "Xavier" does not name X.
- **Case**: a case-sensitive alias matches only its exact spelling ("X", not "x"); other aliases
  match in any case. An ambiguous alias spelt with a capital ("Meta", "Colossus") must also be
  capitalised where it is found: "meta-analysis" is not a company.
- **Short capitals** ("X"): a one- or two-letter all-caps case-sensitive alias must stand alone,
  so "X-ray", "X/Y", "X.com", a list label "X." or an initial "J. X." do not count.
- **Overlaps**: the longest match wins ("SpaceX AI" over "SpaceX", "Tony Wu" over "Wu").
- **Context**, for aliases marked `needs_context` ("X", "Grok", "Colossus", "Meta", "Ba"): such a
  match counts only if the article also names the same entity, or an entity `related` to it
  (owner, parent, affiliation), by an unambiguous alias. A person's single-word ambiguous alias
  (a bare surname) needs more: the person named in full earlier in the article, or anywhere in
  the body when the surname is in the headline, as headlines name people by surname only.

Nothing here is tuned to one corpus: the rules only read the article and the alias flags.
"""

import unicodedata
from bisect import bisect_left
from collections import Counter, deque
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import NamedTuple

import ahocorasick

from apps.entities.names import unknown_names
from apps.entities.sentences import split_sentences

TITLE_SEPARATOR = "\n\n"

# Salience = title + lead + mentions (capped), in 0..1. The weights put the `about` line where
# the design wants it: in the title (≥ 0.45), in the lead and named twice (0.35), or named three
# times anywhere (0.3); a single passing mention (0.1), even in the lead (0.25), stays below.
TITLE_WEIGHT = 0.35
LEAD_WEIGHT = 0.15
MENTION_WEIGHT = 0.1
MENTION_CAP = 5
ABOUT_THRESHOLD = 0.3
# The lead is the first two sentences of the body (after a repeated headline, which page
# extraction often keeps as the first paragraph).
LEAD_SENTENCES = 2
# "X" and "AI" are short enough to be noise ("X-ray", "X." in a list) unless they stand alone.
SHORT_ALIAS_MAX = 2


@dataclass(frozen=True)
class AliasEntry:
    entity_id: int
    text: str
    case_sensitive: bool
    needs_context: bool
    entity_type: str  # "company" | "person" | "cluster"


@dataclass(frozen=True)
class Match:
    entity_id: int
    start: int  # offsets into the document: title + "\n\n" + text
    end: int
    surface: str
    sentence_start: int
    sentence_end: int
    in_title: bool
    entity_type: str  # "company" | "person" | "cluster"


@dataclass(frozen=True)
class Linked:
    document: str
    matches: list[Match]  # in document order, non-overlapping (longest wins)
    salience: dict[int, float]  # entity_id -> 0..1
    about: frozenset[int]  # entities the article is *about*
    unknown_names: list[str]  # capitalised multi-word names matching no alias


@dataclass(frozen=True, slots=True)
class _Alias:
    """An entry with the checks it needs worked out once, when the automaton is built."""

    entry: AliasEntry
    entity_id: int
    needs_context: bool
    plain: bool  # none of the checks below: most aliases, so the hot loop skips them
    short: bool  # a short all-caps case-sensitive alias: must stand alone
    capitalised: bool  # ambiguous and spelt with a capital: must be found capitalised
    surname: bool  # a person's single-word ambiguous alias


# What the automaton yields for one lower-cased key: its length, whether it needs a word
# boundary before and after it (only where the alias begins or ends with a word character:
# "X.AI Corp." may be followed by anything), and every alias that folds to it. A plain tuple,
# as it is unpacked for every hit.
_Key = tuple[int, bool, bool, tuple[_Alias, ...]]


class _Candidate(NamedTuple):
    start: int
    end: int
    alias: _Alias


class Matcher:
    """Links article text to known entities. Build once per alias set; `link` is cheap."""

    def __init__(
        self,
        entries: Iterable[AliasEntry],
        *,
        related: Mapping[int, Collection[int]] | None = None,
    ) -> None:
        grouped: dict[str, list[_Alias]] = {}
        for entry in entries:
            alias = _prepare(entry)
            if alias is not None:
                grouped.setdefault(_fold(alias.entry.text), []).append(alias)
        self._automaton = ahocorasick.Automaton()
        for key, aliases in grouped.items():
            value: _Key = (len(key), _is_word(key[0]), _is_word(key[-1]), tuple(aliases))
            self._automaton.add_word(key, value)
        self._empty = not grouped
        if grouped:
            self._automaton.make_automaton()
        self._related = _symmetric(related or {})

    def link(self, *, title: str, text: str) -> Linked:
        document = f"{title}{TITLE_SEPARATOR}{text}"
        body_start = len(title) + len(TITLE_SEPARATOR)
        sentences = split_sentences(document)
        starts = [start for start, _ in sentences]
        candidates = self._candidates(document, starts)
        kept = _in_context(candidates, self._related, body_start)
        matches = _matches(kept, document, sentences, body_start=body_start)
        salience = _salience(matches, _lead_end(document, sentences, title, body_start))
        return Linked(
            document=document,
            matches=matches,
            salience=salience,
            about=frozenset(e for e, score in salience.items() if score >= ABOUT_THRESHOLD),
            unknown_names=unknown_names(
                document, [(m.start, m.end) for m in matches], body_start=body_start
            ),
        )

    def automaton_input(self, document: str) -> str:
        """The string `link` runs the automaton over: the benchmark's anchor iterates it too."""
        return _fold(document)

    def scan(self, folded: str) -> None:
        """A bare pass of the automaton over `automaton_input(document)`: the benchmark's anchor."""
        if not self._empty:
            deque(self._automaton.iter(folded), maxlen=0)

    def _candidates(self, document: str, sentence_starts: list[int]) -> list[_Candidate]:
        if self._empty:
            return []
        found: list[_Candidate] = []
        size = len(document)
        hits: Iterator[tuple[int, _Key]] = self._automaton.iter(_fold(document))
        for last, (length, check_left, check_right, aliases) in hits:
            end = last + 1
            start = end - length
            # Most raw hits sit inside a longer word ("ba" in "about"): reject those first.
            if check_left and start > 0 and _is_word(document[start - 1]):
                continue
            if check_right and end < size and _is_word(document[end]):
                continue
            for alias in aliases:
                if alias.plain or _accepts(alias, document, start, end, sentence_starts):
                    found.append(_Candidate(start, end, alias))
        return found


# --- Building -------------------------------------------------------------------------------


def _prepare(entry: AliasEntry) -> _Alias | None:
    text = entry.text.strip()
    if not text:
        return None
    if text != entry.text:
        entry = replace(entry, text=text)
    short = entry.case_sensitive and len(text) <= SHORT_ALIAS_MAX and text.isupper()
    capitalised = entry.needs_context and text[0].isupper()
    return _Alias(
        entry=entry,
        entity_id=entry.entity_id,
        needs_context=entry.needs_context,
        plain=not (entry.case_sensitive or short or capitalised),
        short=short,
        capitalised=capitalised,
        surname=entry.needs_context and entry.entity_type == "person" and _is_one_word(text),
    )


def _is_one_word(text: str) -> bool:
    return all(_is_word(char) for char in text)


def _symmetric(related: Mapping[int, Collection[int]]) -> dict[int, frozenset[int]]:
    # An owner supports its cluster's ambiguous name and the cluster supports its owner's:
    # relatedness is mutual, whichever direction the caller listed it in.
    pairs: dict[int, set[int]] = {}
    for entity_id, others in related.items():
        for other in others:
            if other != entity_id:
                pairs.setdefault(entity_id, set()).add(other)
                pairs.setdefault(other, set()).add(entity_id)
    return {entity_id: frozenset(others) for entity_id, others in pairs.items()}


def _fold(text: str) -> str:
    folded = text.lower()
    if len(folded) == len(text):
        return folded
    # A few characters lower-case to two ("İ" → "i̇"), which would shift every offset after them:
    # fold those one by one and keep the rest as they are.
    return "".join(low if len(low := char.lower()) == 1 else char for char in text)


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_" or (char > "\x7f" and unicodedata.combining(char) > 0)


# --- Filtering ------------------------------------------------------------------------------


def _accepts(
    alias: _Alias, document: str, start: int, end: int, sentence_starts: list[int]
) -> bool:
    entry = alias.entry
    if entry.case_sensitive and document[start:end] != entry.text:
        return False
    if alias.capitalised and not document[start].isupper():
        return False
    return not alias.short or _stands_alone(document, start, end, sentence_starts)


# Characters that glue a short token to something else: "X-ray", "Model-X", "X/Twitter", "X+".
_GLUE = frozenset("-\u2010\u2011\u2013/+&@#.")


def _stands_alone(document: str, start: int, end: int, sentence_starts: list[int]) -> bool:
    before = document[start - 1] if start > 0 else " "
    after = document[end] if end < len(document) else " "
    if before in _GLUE:
        return False
    if after == ".":
        # "on X." ends a sentence; "X.com", a list label "X. First…" or an initial "J. X." don't.
        following = document[end + 1] if end + 1 < len(document) else " "
        return not (
            _is_word(following)
            or _starts_sentence(sentence_starts, start)
            or document[start - 2 : start] == ". "
        )
    return after not in _GLUE


def _starts_sentence(sentence_starts: list[int], offset: int) -> bool:
    index = bisect_left(sentence_starts, offset)
    return index < len(sentence_starts) and sentence_starts[index] == offset


def _in_context(
    candidates: list[_Candidate], related: Mapping[int, frozenset[int]], body_start: int
) -> list[_Candidate]:
    """The candidates that count, non-overlapping and in document order.

    Unambiguous matches are resolved among themselves first, so that "SpaceX AI" names only
    xAI and cannot lend "SpaceX" support it was never given; the ambiguous ones that their
    context supports then compete with them on length.
    """
    clear = _longest_first([c for c in candidates if not c.alias.needs_context])
    if len(clear) == len(candidates):
        return clear
    first_seen: dict[int, int] = {}
    for candidate in clear:
        first_seen.setdefault(candidate.alias.entity_id, candidate.start)
    supported = [
        c
        for c in candidates
        if c.alias.needs_context and _supported(c, first_seen, related, body_start)
    ]
    if not supported:
        return clear
    counts = Counter(c.alias.entity_id for c in clear)
    return _longest_first(clear + supported, counts)


def _supported(
    candidate: _Candidate,
    first_seen: Mapping[int, int],
    related: Mapping[int, frozenset[int]],
    body_start: int,
) -> bool:
    entity_id = candidate.alias.entity_id
    if candidate.alias.surname:
        named_at = first_seen.get(entity_id)
        if named_at is None:
            return False
        return named_at < candidate.start or candidate.start < body_start
    if entity_id in first_seen:
        return True
    return any(other in first_seen for other in related.get(entity_id, ()))


def _longest_first(
    candidates: list[_Candidate], counts: Mapping[int, int] | None = None
) -> list[_Candidate]:
    # Longest first; on the same span an unambiguous alias, then the entity named most often.
    def rank(c: _Candidate) -> tuple[int, int, bool, int, int]:
        named = counts.get(c.alias.entity_id, 0) if counts else 0
        return (c.start - c.end, c.start, c.alias.needs_context, -named, c.alias.entity_id)

    starts: list[int] = []
    kept: list[_Candidate] = []
    for candidate in sorted(candidates, key=rank):
        index = bisect_left(starts, candidate.start)
        if index > 0 and kept[index - 1].end > candidate.start:
            continue
        if index < len(kept) and kept[index].start < candidate.end:
            continue
        starts.insert(index, candidate.start)
        kept.insert(index, candidate)
    return kept


def _matches(
    candidates: list[_Candidate],
    document: str,
    sentences: list[tuple[int, int]],
    *,
    body_start: int,
) -> list[Match]:
    # Candidates and sentences are both in document order: walk them together.
    matches: list[Match] = []
    index, last = 0, len(sentences) - 1
    sentence_start, sentence_end = sentences[0]
    for start, end, alias in candidates:
        while index < last and sentences[index + 1][0] <= start:
            index += 1
            sentence_start, sentence_end = sentences[index]
        # Positional: this runs for every match, and keywords cost a third more.
        matches.append(
            Match(
                alias.entity_id,
                start,
                end,
                document[start:end],
                sentence_start,
                sentence_end,
                start < body_start,
                alias.entry.entity_type,
            )
        )
    return matches


# --- Salience -------------------------------------------------------------------------------


def _lead_end(document: str, sentences: list[tuple[int, int]], title: str, body_start: int) -> int:
    body = [(s, e) for s, e in sentences if s >= body_start]
    headline = title.strip()
    if body and headline and document[body[0][0] : body[0][1]] == headline:
        body = body[1:]
    lead = body[:LEAD_SENTENCES]
    return lead[-1][1] if lead else body_start


def _salience(matches: list[Match], lead_end: int) -> dict[int, float]:
    counts: Counter[int] = Counter()
    in_title: set[int] = set()
    in_lead: set[int] = set()
    for match in matches:
        counts[match.entity_id] += 1
        if match.in_title:
            in_title.add(match.entity_id)
        elif match.start < lead_end:
            in_lead.add(match.entity_id)
    return {
        entity_id: round(
            min(
                1.0,
                TITLE_WEIGHT * (entity_id in in_title)
                + LEAD_WEIGHT * (entity_id in in_lead)
                + MENTION_WEIGHT * min(count, MENTION_CAP),
            ),
            4,
        )
        for entity_id, count in counts.items()
    }
