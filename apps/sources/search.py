"""Full-text search over articles: ranked, with highlighted snippets, in bounded time.

PostgreSQL: each article's title (weight A) and text (weight B) as a stored tsvector with a
GIN index (migration 0004), queried with websearch_to_tsquery so that whatever a reader types
is valid syntax. SQLite (the embedded default) has no full-text index here: every word must
appear in the title or the text, and snippets are cut in Python.

Either way a search never ranks every match of a common word: it takes the newest
CANDIDATES matches and ranks only those (see below for how PostgreSQL finds them cheaply).
The price: an old article that would rank above all of the newest matches is not shown; the
page says when the matches were capped, and more words narrow them.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from apps.sources.models import Article

CONFIG = "english"
# The article's tsvector, a generated column that only PostgreSQL has (migration 0004: title
# weighted A, text B, with the GIN index article_search_idx). Its config must be CONFIG.
DOCUMENT = "search_document"
CANDIDATES = 200
# Markers ts_headline puts around matches. They are turned into <mark> only after the
# headline has been escaped; characters no feed text should hold, and harmless if one does
# (see _marked).
START, STOP = "\ue000", "\ue001"
SNIPPET_CHARS = 240


@dataclass(frozen=True)
class ArticleHit:
    id: int
    title: SafeString  # escaped, matches in <mark>
    snippet: SafeString  # escaped, matches in <mark>
    url: str
    outlet: str
    published_at: datetime


@dataclass(frozen=True)
class ArticleResults:
    hits: list[ArticleHit]
    # More articles matched than were ranked: these are the best of the newest CANDIDATES.
    capped: bool


def search_articles(query: str, *, limit: int, now: datetime | None = None) -> ArticleResults:
    """The best `limit` of the newest CANDIDATES articles matching `query`: two queries on
    PostgreSQL (the planner's setting and the newest article's date, then the search), one
    on SQLite. `now` is the current time unless a test says otherwise."""
    if connection.vendor == "postgresql":
        return _postgres(query, limit=limit, now=now or timezone.now())
    return _fallback(query, limit=limit)


# How the newest CANDIDATES matches are found, in bounded time whatever the word.
#
# The GIN index knows which articles match but not their order; the published_at index knows
# the order but not what matches. Walking published_at and testing each article (the plan
# PostgreSQL picks for ORDER BY published_at LIMIT n) reads and decompresses each article's
# tsvector, some 15 µs that its cost model does not count: on 300,000 synthetic articles a
# word in 20 of them took 15 s that way, the planner guessing 0.5 % for any word outside its
# statistics. The GIN index alone fetches every match before sorting: a third of the table
# for a common word.
#
# So the matches are taken window by window, newest first (articles up to 1 day old, then
# up to 2, 4, 8, 16, 32, 128 and 512 days old, then all older), each window's matches
# sorted, the windows chained by UNION ALL under one LIMIT: PostgreSQL runs a window only
# while the newer ones have not given enough. In a window it intersects the word's GIN bitmap
# with the window's published_at range (BitmapAnd) and reads only the rows in both, or, for
# a common word in a small window, tests the window's rows. Two things keep it from the
# costly plans: the sort key is written `published_at + '0 s'`, so that no window is walked
# in index order, and ROW_COST (set for this transaction only) tells the planner what
# testing a row costs here, so that it intersects rather than tests in any large window. A
# common word stops in the first windows; a rare one reads every window's few matches.
#
# Only the candidates are ranked, and only the `limit` shown get headlines: ts_headline
# parses the text again, the costliest step per row (so it reads at most HEADLINE_CHARS).

# The windows' edges: articles up to this many days old, doubling while windows are small.
WINDOW_AGES = (1, 2, 4, 8, 16, 32, 128, 512)
HEADLINE_CHARS = 20_000
# cpu_tuple_cost for the search (PostgreSQL's default is 0.01): a row tested here means a
# detoasted tsvector, about 15 µs against the 0.1 µs of reading a plain row (measured on
# 300,000 synthetic articles), a hundred times what the default assumes.
ROW_COST = 1.0

_WORDS = f"websearch_to_tsquery('{CONFIG}', %(query)s)"
_WINDOW = f"""(
    SELECT a.id, a.published_at FROM sources_article a
    WHERE a.{DOCUMENT} @@ {_WORDS} AND {{range}}
    ORDER BY a.published_at + interval '0 s' DESC, a.id DESC
    LIMIT %(candidates)s
)"""  # noqa: S608 (only constants are formatted in; the reader's words are a parameter)


def _window_range(index: int) -> str:
    """Window `index`: newer than edge `index`, not newer than the edge before it."""
    newer = f"a.published_at >= %(edge{index})s" if index < len(WINDOW_AGES) else ""
    older = f"a.published_at < %(edge{index - 1})s" if index else ""
    return " AND ".join(bound for bound in (newer, older) if bound)


_NEWEST = "\n    UNION ALL\n".join(
    _WINDOW.format(range=_window_range(index)) for index in range(len(WINDOW_AGES) + 1)
)
# The words are written out in each window rather than read from the `query` CTE, so that
# the planner sees them and estimates from the index's statistics how many articles match.
_POSTGRES_SQL = f"""
WITH query AS (SELECT {_WORDS} AS q),
newest AS (
    {_NEWEST}
    LIMIT %(candidates)s
),
best AS (
    SELECT a.id, a.published_at, ts_rank(a.{DOCUMENT}, query.q, 1) AS rank,
        (SELECT count(*) FROM newest) AS candidates
    FROM newest JOIN sources_article a ON a.id = newest.id, query
    ORDER BY rank DESC, a.published_at DESC, a.id DESC
    LIMIT %(limit)s
)
SELECT a.id, a.url, a.published_at, s.title, s.feed_url, best.candidates,
    ts_headline('{CONFIG}', a.title, query.q, %(title_options)s),
    CASE WHEN a.text = '' THEN ''
        ELSE ts_headline('{CONFIG}', left(a.text, {HEADLINE_CHARS}), query.q, %(text_options)s)
    END
FROM best
JOIN sources_article a ON a.id = best.id
JOIN sources_source s ON s.id = a.source_id
CROSS JOIN query
ORDER BY best.rank DESC, best.published_at DESC, best.id DESC
"""  # noqa: S608 (only constants are formatted in; the reader's words are a parameter)
_SETUP_SQL = "SELECT set_config('cpu_tuple_cost', %s, true), max(published_at) FROM sources_article"
_MARKS = f'StartSel="{START}", StopSel="{STOP}"'
_TITLE_OPTIONS = f"{_MARKS}, HighlightAll=true"
_TEXT_OPTIONS = f'{_MARKS}, MaxFragments=2, MinWords=12, MaxWords=30, FragmentDelimiter=" … "'


def postgres_params(query: str, *, limit: int, now: datetime) -> dict[str, str | int | datetime]:
    """_POSTGRES_SQL's parameters (also to EXPLAIN it as it runs)."""
    params: dict[str, str | int | datetime] = {
        "query": query,
        "limit": limit,
        "candidates": CANDIDATES,
        "title_options": _TITLE_OPTIONS,
        "text_options": _TEXT_OPTIONS,
    }
    for index, days in enumerate(WINDOW_AGES):
        params[f"edge{index}"] = now - timedelta(days=days)
    return params


def _postgres(query: str, *, limit: int, now: datetime) -> ArticleResults:
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        # The planner's row cost for this transaction only (a local set_config), and the
        # newest article: the windows count back from it when the news stopped before now
        # (a quiet desk, the demo corpus), so that the first windows are not empty.
        cursor.execute(_SETUP_SQL, [str(ROW_COST)])
        _, newest = cursor.fetchone()
        anchor = min(now, newest) if newest else now
        cursor.execute(_POSTGRES_SQL, postgres_params(query, limit=limit, now=anchor))
        rows = cursor.fetchall()
    hits = [
        ArticleHit(
            id=id_,
            title=_marked(title),
            snippet=_marked(snippet),
            url=url,
            outlet=outlet or feed_url,
            published_at=published_at,
        )
        for id_, url, published_at, outlet, feed_url, _, title, snippet in rows
    ]
    return ArticleResults(hits=hits, capped=bool(rows) and rows[0][5] >= CANDIDATES)


def _marked(headline: str) -> SafeString:
    """A ts_headline result as HTML: every character escaped, then START…STOP as <mark>.

    The markers are split on before escaping and open and close strictly in turn, so a text
    that itself holds a marker character can only misplace a highlight, never add markup.
    """
    pieces: list[str] = []
    inside = False
    for part in re.split(f"([{START}{STOP}])", headline):
        if part == START and not inside:
            pieces.append("<mark>")
            inside = True
        elif part == STOP and inside:
            pieces.append("</mark>")
            inside = False
        elif part not in (START, STOP):
            pieces.append(escape(part))
    if inside:
        pieces.append("</mark>")
    return mark_safe("".join(pieces))  # noqa: S308 (every text piece is escaped above)


# -- SQLite: the embedded default ------------------------------------------------------------

_TERM = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')
_WORD = re.compile(r"\w")


def query_terms(query: str) -> tuple[list[str], list[str]]:
    """The words (or "quoted phrases") a query asks for, and those it excludes with a minus,
    read as websearch_to_tsquery reads them, less stemming and `or`."""
    wanted: list[str] = []
    excluded: list[str] = []
    for found in _TERM.finditer(query):
        minus = found.group(1) or found.group(3)
        term = (found.group(2) if found.group(2) is not None else found.group(4)).strip()
        # Punctuation alone is no word (websearch_to_tsquery skips it too).
        if not _WORD.search(term) or term.casefold() == "or":
            continue
        (excluded if minus else wanted).append(term)
    return wanted, excluded


def _fallback(query: str, *, limit: int) -> ArticleResults:
    wanted, excluded = query_terms(query)
    if not wanted:
        return ArticleResults(hits=[], capped=False)
    articles = Article.objects.select_related("source").only(
        "url", "title", "text", "published_at", "source__title", "source__feed_url"
    )
    for term in wanted:
        articles = articles.filter(Q(title__icontains=term) | Q(text__icontains=term))
    for term in excluded:
        articles = articles.exclude(Q(title__icontains=term) | Q(text__icontains=term))
    newest = list(articles.order_by("-published_at", "-id")[:CANDIDATES])
    # Title matches first (as weight A does), then how often the words appear; stable, so
    # newest first among equals.
    ranked = sorted(newest, key=lambda a: -_score(a, wanted))[:limit]
    hits = [
        ArticleHit(
            id=article.id,
            title=_mark_terms(article.title, wanted),
            snippet=_snippet(article.text, wanted),
            url=article.url,
            outlet=article.source.title or article.source.feed_url,
            published_at=article.published_at,
        )
        for article in ranked
    ]
    return ArticleResults(hits=hits, capped=len(newest) >= CANDIDATES)


def _score(article: Article, terms: list[str]) -> float:
    title, text = article.title.casefold(), article.text.casefold()
    return sum(10 * title.count(t.casefold()) + min(text.count(t.casefold()), 10) for t in terms)


def _spans(text: str, terms: list[str]) -> Iterator[tuple[int, int]]:
    pattern = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    for found in re.finditer(pattern, text, flags=re.IGNORECASE):
        yield found.span()


def _mark_terms(text: str, terms: list[str]) -> SafeString:
    pieces: list[str] = []
    at = 0
    for start, end in _spans(text, terms):
        pieces.extend([escape(text[at:start]), "<mark>", escape(text[start:end]), "</mark>"])
        at = end
    pieces.append(escape(text[at:]))
    return mark_safe("".join(pieces))  # noqa: S308 (every text piece is escaped above)


def _snippet(text: str, terms: list[str]) -> SafeString:
    """About SNIPPET_CHARS of the text around the first match, cut at spaces."""
    first = next(_spans(text, terms), None)
    if first is None:
        window = text[:SNIPPET_CHARS]
    else:
        start = max(0, first[0] - SNIPPET_CHARS // 3)
        if start:
            start = text.find(" ", start, first[0]) + 1 or start
        window = text[start : start + SNIPPET_CHARS]
    cut = window.rfind(" ") if len(window) == SNIPPET_CHARS else -1
    window = " ".join((window[:cut] if cut > 0 else window).split())
    return _mark_terms(window, terms)
