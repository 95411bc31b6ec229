"""Search: articles by full text (PostgreSQL; a simple fallback on SQLite), entities by any
alias, events by summary; a live htmx fragment; bad input refused."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from apps.dashboard.views import search as search_view
from apps.events.models import Event
from apps.events.services.storylines import refresh_storyline
from apps.sources import search
from apps.sources.models import Article, Source
from tests.entities.builders import (
    make_alias,
    make_article,
    make_cluster,
    make_company,
    make_event,
    make_person,
    make_storyline,
)

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="PostgreSQL full-text search"
)


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def results(client, q: str, **headers) -> str:
    response = client.get("/search/", {"q": q}, **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_has_the_search_form_that_searches_as_you_type(client):
    body = results(client, "")

    assert '<form role="search" action="/search/" method="get"' in body
    assert '<input type="search" name="q" id="search-q"' in body
    assert 'hx-trigger="input changed delay:250ms, search"' in body
    assert 'hx-target="#search-results"' in body and 'hx-push-url="true"' in body
    assert '<div id="search-results">' in body
    # The page's own box replaces the header's.
    assert 'id="site-search-q"' not in body


def test_other_pages_have_the_small_search_box_in_the_header(client):
    body = client.get("/").content.decode()

    assert 'action="/search/"' in body and 'id="site-search-q"' in body and 'name="q"' in body


def test_an_empty_query_shows_a_hint_and_asks_the_database_nothing(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        body = results(client, "   ")

    assert "Type a few words" in body


def test_a_query_too_long_is_refused_with_the_reason(client):
    response = client.get("/search/", {"q": "x" * 201})

    assert response.status_code == 400
    assert "Searches are at most 200 characters (this one has 201)" in response.content.decode()


def test_a_nul_character_is_refused_not_sent_to_the_database(client):
    response = client.get("/search/", {"q": "colossus\x00"})

    assert response.status_code == 400
    assert "Null characters are not allowed" in response.content.decode()


def test_the_live_search_answers_only_the_results_fragment(client):
    make_article(title="Turbines arrive in Memphis", text="Gas turbines were installed.")

    body = results(client, "turbines", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="search-results")

    assert body.lstrip().startswith('<div id="search-results">')
    assert "<html" not in body and "<form" not in body
    assert "Turbines" in body and "<mark>" in body


def test_a_bad_live_query_answers_the_fragment_with_the_error(client):
    response = client.get(
        "/search/", {"q": "x" * 300}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="search-results"
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert body.lstrip().startswith('<div id="search-results">')
    assert 'role="alert"' in body and "at most 200 characters" in body


def test_it_finds_articles_title_matches_first_with_marked_snippets(client):
    in_text = make_article(
        title="Power plans in Tennessee",
        text="The site added gas turbines last month. Residents complained.",
        published_at=days_ago(1),
    )
    in_title = make_article(
        title="Turbines at the Colossus site", text="The permit covers 15 units.",
        published_at=days_ago(3),
    )  # fmt: skip
    make_article(title="Unrelated", text="Nothing about power here.", published_at=days_ago(2))

    body = results(client, "turbines")

    first, second = (
        body.index(f'href="/articles/{in_title.id}/"'),
        body.index(f'href="/articles/{in_text.id}/"'),
    )
    assert first < second
    assert "Unrelated" not in body
    assert "<mark>Turbines</mark> at the Colossus site" in body
    assert "gas <mark>turbines</mark> last month" in body
    assert "news.example" in body  # the outlet, named by its feed when it has no title


def test_it_reads_phrases_and_excluded_words(client):
    wanted = make_article(title="A", text="The co-founder left the lab on Friday.")
    make_article(title="B", text="The co-founder stayed; the lab left town.")
    make_article(title="C", text="A co-founder left, a rumour says.")

    body = results(client, '"co-founder left" -rumour')

    assert f'href="/articles/{wanted.id}/"' in body
    assert body.count('href="/articles/') == 1


def test_hostile_text_in_titles_and_snippets_is_escaped(client):
    make_article(
        title='<script>alert("t")</script> Turbines & <b>bold</b>',
        text='Before <img src=x onerror=alert(1)> the turbines "hum" & <a href="javascript:x">',
    )

    body = results(client, "turbines")

    assert "<script>" not in body and "<img" not in body and "<b>bold" not in body
    assert '<a href="javascript' not in body
    assert "&lt;script&gt;" in body and "&lt;img src=x onerror=alert(1)&gt;" in body
    assert "<mark>Turbines</mark>" in body and "<mark>turbines</mark>" in body


@pytest.mark.parametrize("q", ["'&|!(:*", '"', "-", "or", "<mark>", "%_\\", "a:* & !b"])
def test_any_syntax_is_a_search_not_an_error(client, q):
    make_article(title="Something", text="Anything at all.")

    results(client, q)


def test_highlight_markers_in_the_text_never_make_markup():
    assert search._marked("a\ue001b\ue000<c>\ue000d") == "a" + "b<mark>&lt;c&gt;d</mark>"
    assert search._marked("\ue000x\ue001\ue001y") == "<mark>x</mark>y"


def test_it_finds_entities_by_any_alias_once_each_starting_matches_first(client):
    lab = make_company(name="Mercury Labs", slug="mercury")
    make_alias(lab, "Mercury Labs")
    make_alias(lab, "MERC AI")
    make_alias(lab, "Merc")
    boss = make_person(name="Ada Quill", slug="ada")
    make_alias(boss, "Ada Quill")
    make_alias(boss, "the Mercury founder")
    make_cluster(name="Unrelated", slug="other")

    body = results(client, "merc")

    assert body.count('href="/entities/mercury/"') == 1
    assert body.index('href="/entities/mercury/"') < body.index('href="/entities/ada/"')
    assert "Company" in body and "Person" in body
    assert "also “the Mercury founder”" in body
    assert "/entities/other/" not in body


def test_it_finds_entities_by_the_whole_query_first_then_by_its_words(client):
    names = {
        "Halcyon Labs": "full", "The Halcyon Labs Trust": "inside", "Halcyonic": "word",
        "Labs Inc": "labs", "Ofcom": "ofcom", "Unrelated": "other",
    }  # fmt: skip
    for name, slug in names.items():
        make_alias(make_company(name=name, slug=slug), name)

    body = results(client, "Halcyon labs")
    shown = [slug for slug in names.values() if f'href="/entities/{slug}/"' in body]
    order = sorted(shown, key=lambda slug: body.index(f'href="/entities/{slug}/"'))

    assert order == ["full", "inside", "word", "labs"]
    # Words shorter than three letters name nothing on their own.
    assert "/entities/ofcom/" not in results(client, "of labs")


def test_it_finds_events_newest_first_linked_to_their_storyline_or_entity(client):
    lab = make_company(name="Mercury Labs", slug="mercury")
    ada = make_person(name="Ada Quill", slug="ada")
    older = make_event(
        (ada, "person"), (lab, "from_company"), summary="Ada Quill leaves Mercury Labs",
        date=datetime.date(2024, 1, 5),
    )  # fmt: skip
    story = make_storyline([{"types": ["departure"], "entities": ["mercury"]}], title="Exodus")
    refresh_storyline(story)
    newer = make_event(
        (ada, "person"), summary="Ada Quill joins a startup", type="hire",
        date=datetime.date(2024, 3, 1),
    )  # fmt: skip
    make_event((ada, "person"), summary="Ada Quill leaves again", rejected=True)

    body = results(client, "ada quill")

    assert body.index("Ada Quill joins a startup") < body.index("Ada Quill leaves Mercury Labs")
    assert f'href="/storylines/{story.slug}/#event-{older.id}"' in body
    assert f'href="/entities/ada/#event-{newer.id}"' in body
    assert "leaves again" not in body


def test_its_queries_are_fixed_whatever_it_finds(client, django_assert_num_queries):
    lab = make_company(name="Mercury Labs", slug="mercury")
    for n in range(4):
        make_alias(make_person(name=f"Mercury person {n}"), f"Mercury person {n}")
        make_event((lab, "company"), summary=f"Mercury event {n}")
        make_article(title=f"Mercury story {n}", text="Mercury rises.")
    # Articles (on PostgreSQL the planner's setting, then the ranked search with headlines and
    # outlets); entities; events with their links.
    with django_assert_num_queries(4 if connection.vendor == "postgresql" else 3):
        body = results(client, "mercury")

    assert body.count('href="/articles/') == 4 and body.count("Mercury event") == 4


@postgres_only
def test_it_stems_words_as_postgresql_reads_english(client):
    article = make_article(title="Labs", text="She was hiring engineers in Memphis.")

    body = results(client, "hires")

    assert f'href="/articles/{article.id}/"' in body and "<mark>hiring</mark>" in body


@postgres_only
def test_it_ranks_only_the_newest_matches_of_a_common_word(client, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES", 3)
    # The best match, in the title: but older than the three newest matches.
    old = make_article(title="Turbines", text="Turbines.", published_at=days_ago(30))
    newest = [
        make_article(title=f"News {n}", text="One turbine.", published_at=days_ago(n))
        for n in range(1, 4)
    ]

    body = results(client, "turbine")

    assert f'href="/articles/{old.id}/"' not in body
    assert all(f'href="/articles/{a.id}/"' in body for a in newest)
    assert "the best of the newest" in body


@postgres_only
def test_the_search_expression_is_the_indexed_one():
    # The GIN index serves only a WHERE clause that repeats its expression exactly.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            f"EXPLAIN SELECT id FROM sources_article WHERE {search.DOCUMENT} "
            "@@ websearch_to_tsquery('english', 'colossus')"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "article_search_idx" in plan


@postgres_only
def test_no_window_walks_the_published_at_index_in_order():
    # Walking published_at tests every article it passes (for a rare word, all of them), and
    # it is the plan PostgreSQL picks for ORDER BY published_at LIMIT n of a common word.
    source = Source.objects.create(feed_url="https://many.example/feed")
    Article.objects.bulk_create(
        Article(
            source=source, guid=str(n), url=f"https://many.example/{n}",
            canonical_url=f"https://many.example/{n}", title=f"Memphis {n}",
            text="Memphis news.", published_at=days_ago(n / 5000), published_from="feed",
        )
        for n in range(2000)
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE sources_article")
        cursor.execute(
            "EXPLAIN " + search._POSTGRES_SQL,
            search.postgres_params("memphis", limit=10, now=timezone.now()),
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())

    # Each window sorts its own matches: none is read in the index's order, even in part.
    assert "Incremental Sort" not in plan
    assert plan.count("::interval)) DESC") == len(search.WINDOW_AGES) + 1


@postgres_only
def test_it_finds_events_by_their_words_stems_through_the_summaries_index(client):
    make_event((make_person(name="Ada Quill"), "person"), summary="Ada Quill is hiring engineers")
    make_event((make_person(name="Bo Lee"), "person"), summary="Bo Lee hires nobody")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = Event.objects.filter(search_view.summary_matches("hired")).only("id").explain()

    assert "event_summary_search_idx" in plan
    body = results(client, "hired -nobody")
    assert "Ada Quill is hiring engineers" in body and "Bo Lee" not in body


def test_the_fallback_ranks_title_matches_first_and_cuts_snippets_around_the_match():
    source = Source.objects.create(feed_url="https://other.example/feed", title="Other")
    long_text = "Filler words here. " * 30 + "The turbines hum." + " More filler." * 30
    in_text = make_article(title="Plans", text=long_text, source=source)
    in_title = make_article(title="Turbines", text="Short.", published_at=days_ago(5))

    found = search._fallback("turbines", limit=10)

    assert [hit.id for hit in found.hits] == [in_title.id, in_text.id]
    snippet = found.hits[1].snippet
    assert "The <mark>turbines</mark> hum." in snippet and len(snippet) < 300
    assert found.hits[1].outlet == "Other"


def test_query_terms_read_phrases_exclusions_and_or():
    assert search.query_terms('"gas turbine" -permit or Memphis') == (
        ["gas turbine", "Memphis"],
        ["permit"],
    )
    assert search.query_terms('- "" or') == ([], [])
