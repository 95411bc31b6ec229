"""News-like text for the linker and the event rules: sentences put together from the seed
entities' names, the words the rules trigger on, dates and figures, with awkward characters
and long runs mixed in."""

from functools import cache

from hypothesis import strategies as st

from tests.fuzz.corpus import DATES, FIGURES, HEDGES, TRIGGERS, seed_names
from tests.fuzz.strategies.text import AWKWARD, WORDS, awkward_text, runs

KINDS = ("company", "person", "cluster")
_JOINS = (" ", " ", " ", ", ", ". ", "\n", "\n\n", "'s ", "\u2019s ", "-", " and ", " (", ") ")
_ENDS = (".", ". ", "!", "?", '."', "", ";", ":")


@cache
def sentences() -> st.SearchStrategy[str]:
    return st.one_of(claims(), claims(), word_salad())


@cache
def claims() -> st.SearchStrategy[str]:
    """Sentences shaped like the events the rules read: who, the trigger, whom, when, how much."""
    party = st.one_of(*(st.sampled_from(seed_names(kind)) for kind in KINDS))
    parts = st.tuples(
        st.sampled_from(HEDGES),
        party,
        st.sampled_from(TRIGGERS),
        party,
        st.sampled_from(("", "", *TRIGGERS)),
        st.sampled_from(("", *FIGURES)),
        st.sampled_from(("", *DATES)),
        st.sampled_from(("", "", *(f" {t} " for t in TRIGGERS))),
        st.one_of(st.just(""), party),
    )
    return st.builds(
        lambda words, end: " ".join(w for w in words if w).replace("  ", " ") + end,
        parts,
        st.sampled_from(_ENDS),
    )


@cache
def word_salad() -> st.SearchStrategy[str]:
    word = st.one_of(
        st.sampled_from(seed_names()),
        st.sampled_from(seed_names()).map(str.lower),
        st.sampled_from(TRIGGERS),
        st.sampled_from(DATES),
        st.sampled_from(FIGURES),
        st.sampled_from(WORDS),
        st.sampled_from(AWKWARD),
        awkward_text(2),
    )
    pieces = st.lists(st.tuples(word, st.sampled_from(_JOINS)), min_size=1, max_size=16)
    return st.builds(
        lambda parts, end: "".join(w + j for w, j in parts).strip() + end,
        pieces,
        st.sampled_from(_ENDS),
    )


@cache
def articles() -> st.SearchStrategy[tuple[str, str]]:
    """(title, text): a headline and paragraphs of sentences, sometimes with a long run."""
    paragraph = st.lists(st.one_of(sentences(), sentences(), runs(2000)), max_size=4).map(" ".join)
    text = st.lists(paragraph, max_size=5).map("\n\n".join)
    return st.tuples(sentences(), text)
