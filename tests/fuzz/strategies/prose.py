"""News-like text for the linker and the event rules: sentences put together from the seed
entities' names, the words the rules trigger on, dates and figures, with awkward characters
and long runs mixed in."""

from hypothesis import strategies as st

from tests.fuzz.corpus import DATES, FIGURES, TRIGGERS, seed_names
from tests.fuzz.strategies.text import AWKWARD, WORDS, awkward_text, runs

_JOINS = (" ", " ", " ", ", ", ". ", "\n", "\n\n", "'s ", "\u2019s ", "-", " and ", " (", ") ")
_ENDS = (".", ". ", "!", "?", '."', "", ";", ":")


def sentences() -> st.SearchStrategy[str]:
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


def articles() -> st.SearchStrategy[tuple[str, str]]:
    """(title, text): a headline and paragraphs of sentences, sometimes with a long run."""
    paragraph = st.lists(st.one_of(sentences(), sentences(), runs(2000)), max_size=4).map(" ".join)
    text = st.lists(paragraph, max_size=5).map("\n\n".join)
    return st.tuples(sentences(), text)
