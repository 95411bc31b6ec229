"""Article extraction (apps/sources/parsers/extract.py: trafilatura, then nh3): any page, in
any declared or actual encoding, gives no article or one that is safe to store."""

from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from apps.sources.parsers import extract as extraction
from apps.sources.parsers.extract import Extracted, extract
from tests.fuzz import checks
from tests.fuzz.corpus import FIXTURES
from tests.fuzz.profiles import examples
from tests.fuzz.strategies.markup import pages
from tests.fuzz.strategies.text import awkward_text, urls

PAGE_URL = "https://news.example/2026/02/story.html"
# An extract task shares a 60 s soft limit with the download; pages of these sizes take
# milliseconds to a second.
EXTRACT_SECONDS = 10.0


def extract_within_limit(
    page: bytes | str, *, url: str = PAGE_URL, content_type: str = ""
) -> Extracted | None:
    with checks.no_hang(EXTRACT_SECONDS):
        return extract(page, url=url, content_type=content_type)


# What servers put in a page's Content-Type, which names the charset before the page does.
CONTENT_TYPES = st.one_of(
    st.sampled_from(
        (
            *("", "text/html", "text/html; charset=utf-8", "text/html; charset='latin-1'"),
            *("text/html; charset=utf-16", "text/html; charset=base64", "text/html;charset="),
        )
    ),
    awkward_text(2).map("text/html; charset={}".format),
)


def valid_article(article: Extracted) -> None:
    checks.storable_fields(article)
    checks.safe_html(article.html)
    checks.web_url(article.canonical_url)
    checks.sane_moment(article.published_at, earliest=extraction.EARLIEST_DATE)
    assert article.word_count >= extraction.MIN_WORDS
    assert len(article.title) <= extraction.TITLE_MAX
    assert len(article.author) <= extraction.AUTHOR_MAX
    assert len(article.language) <= extraction.LANGUAGE_MAX
    assert len(article.site_name) <= extraction.SITE_NAME_MAX


@settings(max_examples=examples(30))
@given(pages(), urls(), CONTENT_TYPES)
# htmldate asserted (lxml's drop_tree) on a page whose root element became an <svg>.
@example(b"<svg onload=x>" + (FIXTURES / "pages" / "section_front.html").read_bytes(), PAGE_URL, "")
# The charset regex was quadratic in the spaces after "charset=": 30,000 took 14 s.
@example(b"<p>x</p>", PAGE_URL, "text/html; charset=" + " " * 30_000)
def test_it_extracts_a_safe_article_or_nothing(page: bytes, url: str, content_type: str) -> None:
    article = extract_within_limit(page, url=url, content_type=content_type)
    event("article" if article else "no article")
    if article is not None:
        valid_article(article)
