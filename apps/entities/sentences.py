"""Splitting news prose into sentences, cheaply and without a language model.

The linker stores the sentence of every mention, and weighs the lead (the first sentences).
"""

import re

_CLOSERS = "\"'\u201d\u2019)\\]"
_OPENERS = "\"'\u201c\u2018(["
_ABBREVIATIONS = frozenset(
    (
        "mr",
        "ms",
        "dr",
        "st",
        "jr",
        "sr",
        "co",
        "lt",
        "no",
        "vs",
        "mrs",
        "gov",
        "sen",
        "rep",
        "rev",
        "gen",
        "col",
        "sgt",
        "inc",
        "ltd",
        "llc",
        "plc",
        "ave",
        "etc",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "oct",
        "nov",
        "dec",
        "prof",
        "corp",
        "bros",
        "dept",
        "univ",
        "sept",
    )
)


def _not_after_abbreviation() -> str:
    # Python's look-behinds are fixed-width: one per abbreviation length.
    by_length: dict[int, list[str]] = {}
    for word in _ABBREVIATIONS:
        by_length.setdefault(len(word), []).append(word)
    return "".join(rf"(?<!\b(?i:{'|'.join(words)})\.)" for _, words in sorted(by_length.items()))


# A sentence ends at . ! or ? (and any closing quotes), then white space and a capital, digit or
# opening quote; not after "Mr.", "Inc.", an initial ("R.") or an abbreviation like "U.S.".
# Every line break ends one too. The regex decides all of it, so Python only collects offsets;
# it starts with a character class so that `re` can skip ahead to the next candidate.
_NEXT = rf"\s+(?=[{_OPENERS}]?[A-Z0-9\u00c0-\u00de])"
_BREAK = re.compile(
    rf"[.!?\n](?:(?<=\n)\s*|(?<=[!?])[{_CLOSERS}]*{_NEXT}"
    rf"|(?<!\b[A-Z]\.)(?<!\.[A-Za-z]\.){_not_after_abbreviation()}[{_CLOSERS}]*{_NEXT})"
)


def split_sentences(document: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, white space trimmed; paragraph and line breaks end one."""
    sentences: list[tuple[int, int]] = []
    start = 0
    for found in _BREAK.finditer(document):
        # The sentence keeps its full stop and closing quote, not the white space after them.
        end = found.start() + len(found.group().rstrip())
        if end > start:
            sentences.append(_trimmed(document, start, end))
        start = found.end()
    if start < len(document):
        sentences.append(_trimmed(document, start, len(document)))
    return sentences or [(0, len(document))]


def _trimmed(document: str, start: int, end: int) -> tuple[int, int]:
    # Only a line that ends in spaces before its break needs it.
    while end > start and document[end - 1] in " \t\r":
        end -= 1
    return start, end
