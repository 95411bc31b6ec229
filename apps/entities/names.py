"""Capitalised names in an article that no alias covers: the entities LabIntel is missing."""

import re
from bisect import bisect_right

# Latin, Greek and Cyrillic capitals and small letters: enough for names in English news.
_UPPER = "".join(c for c in map(chr, range(0x41, 0x530)) if c.isupper() and c.isalpha())
_LOWER = "".join(c for c in map(chr, range(0x61, 0x530)) if c.islower() and c.isalpha())
# "Castellanos", "McKinsey", "O'Brien", "Jean-Luc", "NAACP"; the look-behind after the first
# capital keeps the scan fast (a leading one would run at every offset) and refuses a capital
# inside a word, an e-mail address or a path.
_WORD = (
    rf"[{_UPPER}](?<![\w.@/-].)"
    rf"(?:[{_LOWER}]+(?:[-'\u2019]?[{_UPPER}][{_LOWER}]+)*|[{_UPPER}]+)(?![\w@/-])"
)
_CONNECTOR = r"(?:of|de|da|di|du|del|der|den|van|von|la|le|&)"
# Two to four capitalised words, one space apart, with an optional connector ("University of
# Toronto") or middle initial ("Paul R. Lowry") between them.
_NAME = re.compile(rf"{_WORD}(?: (?:{_CONNECTOR} |[{_UPPER}]\. )?{_WORD}){{1,3}}")
# Capitalised only because they start a sentence or a clause: never the first word of a name.
_LEADING_NOISE = frozenset(
    (
        "a",
        "an",
        "the",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "to",
        "of",
        "and",
        "but",
        "or",
        "as",
        "if",
        "when",
        "while",
        "after",
        "before",
        "since",
        "with",
        "without",
        "its",
        "his",
        "her",
        "their",
        "our",
        "this",
        "that",
        "these",
        "those",
        "it",
        "he",
        "she",
        "they",
        "we",
        "i",
        "neither",
        "both",
        "each",
        "every",
        "most",
        "many",
        "some",
        "all",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "first",
        "last",
        "new",
        "according",
        "earlier",
        "later",
        "more",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    )
)


def unknown_names(document: str, spans: list[tuple[int, int]], *, body_start: int) -> list[str]:
    """Capitalised names of two to four words in the body that no alias covers, first seen first.

    `spans` are the (start, end) of the matched aliases, in order and disjoint. The title is left
    out: headline case capitalises every word.
    """
    ends = [end for _, end in spans]
    seen: dict[str, None] = {}
    for found in _NAME.finditer(document, body_start):
        start, end = found.span()
        # The first matched span ending after `start` is the only one that can overlap.
        index = bisect_right(ends, start)
        if index < len(spans) and spans[index][0] < end:
            continue
        words = found.group().split(" ")
        while words and words[0].lower() in _LEADING_NOISE:
            words = words[1:]
        if sum(1 for word in words if not word.endswith(".") and word[0].isupper()) >= 2:
            seen.setdefault(" ".join(words), None)
    return list(seen)
