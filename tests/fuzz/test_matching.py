"""Alias linking (apps/entities/matching.py, names.py, sentences.py) with the seed's real
aliases, over news-like text: every offset points at what it claims to."""

from hypothesis import given, settings
from hypothesis import strategies as st

from apps.entities.matching import TITLE_SEPARATOR
from apps.entities.sentences import split_sentences
from tests.fuzz import checks
from tests.fuzz.corpus import seed_aliases, seed_matcher
from tests.fuzz.profiles import examples
from tests.fuzz.strategies.prose import articles
from tests.fuzz.strategies.text import long_text

LINK_SECONDS = 2.0


@settings(max_examples=examples(60))
@given(articles())
def test_it_links_names_where_they_are(article: tuple[str, str]) -> None:
    title, text = article
    with checks.no_hang(LINK_SECONDS):
        linked = seed_matcher().link(title=title, text=text)
    document = linked.document
    assert document == f"{title}{TITLE_SEPARATOR}{text}"
    spelled = {(e.entity_id, _folded(e.text.strip())) for e in seed_aliases()}
    previous_end = 0
    for match in linked.matches:
        assert previous_end <= match.start < match.end <= len(document)
        assert document[match.start : match.end] == match.surface
        assert (match.entity_id, _folded(match.surface)) in spelled, match
        assert match.sentence_start <= match.start and match.end <= match.sentence_end
        assert match.in_title == (match.start < len(title))
        previous_end = match.end
    assert all(0 <= score <= 1 for score in linked.salience.values())
    assert linked.about <= set(linked.salience)
    for name in linked.unknown_names:
        assert name in document[len(title) :], name


@settings(max_examples=examples(60))
@given(st.one_of(articles().map("\n\n".join), long_text()))
def test_it_splits_any_text_into_sentences(document: str) -> None:
    with checks.no_hang(LINK_SECONDS):
        sentences = split_sentences(document)
    previous_end = 0
    for start, end in sentences:
        assert previous_end <= start <= end <= len(document)
        previous_end = end
    covered = "".join(document[start:end] for start, end in sentences)
    assert "".join(covered.split()) == "".join(document.split())


def _folded(surface: str) -> str:
    # The automaton folds case one character at a time (İ stays İ): compare the same way.
    return "".join(low if len(low := c.lower()) == 1 else c for c in surface)
