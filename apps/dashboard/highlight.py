"""An article's text as safe HTML paragraphs, with the names it mentions linked.

Pure: text and offsets in, HTML out. Every piece of the text is escaped; only the markup made
here is trusted. Offsets come from the database and may be stale (the text was extracted again)
or simply wrong, so a mark that does not fit is dropped rather than trusted.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

# A paragraph is a run of text between line breaks (extraction puts a blank line between
# paragraphs; a single line break in feed text is a break too).
_PARAGRAPH = re.compile(r"[^\n]+")


@dataclass(frozen=True)
class Mark:
    """A span of the document to link: [start, end) in the document's offsets."""

    start: int
    end: int
    href: str
    label: str  # what the link's title says: the entity's canonical name
    # When set, the span is linked only if the text there still reads this (case aside):
    # offsets into a text that has since changed would link the wrong words.
    expected: str = ""


def highlight(text: str, marks: Iterable[Mark], *, offset: int = 0) -> list[SafeString]:
    """The paragraphs of `text` as HTML, each mark wrapped in a link to its href.

    `text` starts at `offset` in the document the marks point into (an article's body starts
    after its title and a blank line). Marks outside the text, empty or reversed, crossing a
    paragraph break, not reading what they expect, or overlapping a mark kept before them
    (earliest first, then longest) are dropped.
    """
    fitting = _fitting(text, marks, offset)
    paragraphs: list[SafeString] = []
    # Marks are in order and never cross a line break: each belongs to the paragraph it is in.
    at = 0
    for found in _PARAGRAPH.finditer(text):
        start, end = found.span()
        inside = []
        while at < len(fitting) and fitting[at][0] < end:
            inside.append(fitting[at])
            at += 1
        if text[start:end].strip():
            paragraphs.append(_render(text, start, end, inside))
    return paragraphs


def _fitting(text: str, marks: Iterable[Mark], offset: int) -> list[tuple[int, int, Mark]]:
    """The marks that fit, as offsets into `text`, in order, without overlaps."""
    candidates = []
    for mark in marks:
        start, end = mark.start - offset, mark.end - offset
        if not 0 <= start < end <= len(text):
            continue
        span = text[start:end]
        if "\n" in span or (mark.expected and span.casefold() != mark.expected.casefold()):
            continue
        candidates.append((start, end, mark))
    candidates.sort(key=lambda c: (c[0], -c[1]))
    kept: list[tuple[int, int, Mark]] = []
    for start, end, mark in candidates:
        if kept and start < kept[-1][1]:
            continue
        kept.append((start, end, mark))
    return kept


def _render(text: str, start: int, end: int, marks: list[tuple[int, int, Mark]]) -> SafeString:
    pieces: list[str] = []
    at = start
    for mark_start, mark_end, mark in marks:
        pieces.append(escape(text[at:mark_start]))
        pieces.append(
            format_html(
                '<a class="mention" href="{}" title="{}">{}</a>',
                mark.href,
                mark.label,
                text[mark_start:mark_end],
            )
        )
        at = mark_end
    pieces.append(escape(text[at:end]))
    # Every piece above is escaped or built by format_html, which escapes its arguments.
    return mark_safe("".join(pieces).strip())  # noqa: S308
