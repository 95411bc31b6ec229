"""A company's page: profile and chains, its people, events, storylines, weekly news, articles."""

import datetime

import pytest

from apps.events.models import MentionWeek
from apps.events.services.mention_weeks import recount
from apps.events.services.storylines import refresh_storyline
from tests.dashboard.entity_pages import (
    events_with,
    hrefs,
    news_about,
    summaries,
    titles,
)
from tests.entities.builders import (
    make_affiliation,
    make_alias,
    make_article,
    make_cluster,
    make_company,
    make_mention,
    make_person,
    make_storyline,
)

pytestmark = pytest.mark.django_db

D = datetime.date
WEEK = datetime.timedelta(weeks=1)


@pytest.fixture
def lab():
    return make_company(
        name="Halcyon Labs",
        slug="halcyon",
        kind="ai_lab",
        founded=D(2023, 3, 1),
        founded_precision="month",
        website="https://halcyon.example/",
    )


def page(client, slug="halcyon", **params) -> str:
    response = client.get(f"/entities/{slug}/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_the_profile_and_other_names(client, lab):
    make_alias(lab, "Halcyon Labs")  # its own name is not "also known as"
    make_alias(lab, "Halcyon")

    body = page(client)

    assert "<h1>Halcyon Labs</h1>" in body
    assert "AI lab" in body
    assert "Also known as: Halcyon<" in body
    assert '<time datetime="2023-03-01">Mar 2023</time>' in body  # as precisely as known
    assert 'href="https://halcyon.example/"' in body


def test_it_links_its_owner_successor_predecessors_and_subsidiaries(client, lab):
    lab.parent = make_company(name="Skyward Corp", slug="skyward")
    lab.successor = make_company(name="Halcyon Next", slug="halcyon-next")
    lab.save()
    make_company(name="Old Halcyon", slug="old-halcyon", successor=lab, status="merged")
    make_company(name="Halcyon Robotics", slug="halcyon-robotics", parent=lab)

    body = page(client)

    assert 'Owned by</dt><dd><a href="/entities/skyward/">Skyward Corp</a>' in body
    assert 'Became</dt><dd><a href="/entities/halcyon-next/">Halcyon Next</a>' in body
    assert 'Took over from</dt><dd><a href="/entities/old-halcyon/">' in body
    assert 'Owns</dt><dd><a href="/entities/halcyon-robotics/">' in body


def test_it_follows_where_the_company_led_what_it_became_then_who_owns_that(client):
    # "X" became xAI, which SpaceX owns.
    owner = make_company(name="Orbital", slug="orbital")
    heir = make_company(name="Heir AI", slug="heir", parent=owner)
    make_company(name="Tweeter", slug="tweeter", successor=heir, status="merged")

    body = page(client, slug="tweeter")

    assert (
        'Where it led</dt><dd class="chain">Tweeter → became <a href="/entities/heir/">Heir AI</a>'
        ' → owned by <a href="/entities/orbital/">Orbital</a></dd>'
    ) in body
    # One step is already said by "Became": no chain line for it.
    assert "Where it led" not in page(client, slug="heir")


def test_a_long_chain_ends_with_an_ellipsis_and_a_loop_ends(client, lab):
    chain = [make_company(name=f"Owner {n}", slug=f"owner-{n}") for n in range(6)]
    for child, parent in zip([lab, *chain], chain, strict=False):
        child.parent = parent
        child.save()

    body = page(client)

    assert "owner-3" in body and "owner-4" not in body and "Owner 3</a> → …" in body
    chain[1].parent = lab  # a curator's slip: a loop
    chain[1].save()
    looped = page(client)
    assert "owner-1" in looped and "owner-2" not in looped and "→ …" not in looped


def test_it_lists_its_people_now_and_before_and_where_they_went(client, lab):
    rival = make_company(name="Meridian AI", slug="meridian")
    ada = make_person(name="Ada Quill", slug="ada")
    bo = make_person(name="Bo Lind", slug="bo")
    cy = make_person(name="Cy Park", slug="cy")
    make_affiliation(ada, lab, title="Chief Scientist", is_cofounder=True, start=D(2023, 3, 1),
                     start_precision="month", end=D(2025, 2, 10), end_reason="resigned",
                     destination=rival)  # fmt: skip
    make_affiliation(bo, lab, title="CEO", is_cofounder=True, start=D(2023, 1, 1),
                     start_precision="year")  # fmt: skip
    make_affiliation(cy, lab, title="Engineer", start=D(2024, 5, 2), end=D(2024, 6, 1),
                     end_precision="month")  # fmt: skip

    body = page(client)
    now, former = body.index('id="current-title"'), body.index('id="former-title"')

    assert now < body.index('href="/entities/bo/"') < former
    assert former < body.index('href="/entities/ada/"') < body.index('href="/entities/cy/"')
    bo_row = body[body.index('href="/entities/bo/"') :]
    assert (
        "Co-founder" in bo_row[:200] and 'since <time datetime="2023-01-01">2023</time>' in bo_row
    )
    ada_row = body[body.index('href="/entities/ada/"') :][:700]
    assert "Co-founder" in ada_row and "Mar 2023" in ada_row and "10 Feb 2025" in ada_row
    assert "resigned" in ada_row and '→ <a href="/entities/meridian/">Meridian AI</a>' in ada_row
    cy_row = body[body.index('href="/entities/cy/"') :][:400]
    assert "Co-founder" not in cy_row and "Jun 2024" in cy_row  # left, known to the month
    make_affiliation(make_person(name="Dee", slug="dee"), lab, title="Counsel",
                     end=D(2025, 1, 1), end_precision="year")  # fmt: skip
    dee_row = page(client)
    dee_row = dee_row[dee_row.index('href="/entities/dee/"') :][:400]
    assert 'Counsel, until\n        <time datetime="2025-01-01">2025</time>' in dee_row


def test_it_lists_its_events_newest_first_and_loads_more(client, lab):
    events_with(lab, 25)
    make_company(name="Elsewhere", slug="elsewhere")

    body = page(client)

    assert summaries(body) == [f"Event number {n}" for n in range(24, 14, -1)]
    href, hx_get = hrefs(body, "events-more")
    assert href == hx_get and href.startswith("?events=")
    assert 'hx-target="#events-more"' in body and 'hx-push-url="true"' in body

    more = client.get(f"/entities/halcyon/{href}", HTTP_HX_REQUEST="true",
                      HTTP_HX_TARGET="events-more")  # fmt: skip
    fragment = more.content.decode()
    assert more.status_code == 200 and "<html" not in fragment and "<h1>" not in fragment
    assert summaries(fragment) == [f"Event number {n}" for n in range(14, 4, -1)]
    assert more["Vary"] and "HX-Request" in more["Vary"]
    href, _ = hrefs(fragment, "events-more")
    last = client.get(f"/entities/halcyon/{href}", HTTP_HX_REQUEST="true",
                      HTTP_HX_TARGET="events-more").content.decode()  # fmt: skip
    assert summaries(last) == [f"Event number {n}" for n in range(4, -1, -1)]
    assert 'id="events-more"' not in last  # the last page

    # The same URL without htmx (a reload after hx-push-url) is the whole page from there on.
    full = page(client, events=href.split("=", 1)[1])
    assert "<h1>Halcyon Labs</h1>" in full and summaries(full)[0] == "Event number 4"
    assert "← Newest events" in full


def test_it_links_the_storylines_it_is_in(client, lab):
    events_with(lab, 1)
    story = make_storyline([{"types": ["departure"], "entities": ["halcyon"]}], title="Exodus")
    other = make_storyline([{"types": ["funding"]}], title="Money")
    refresh_storyline(story)
    refresh_storyline(other)

    body = page(client)

    assert f'href="/storylines/{story.slug}/">Exodus</a>' in body
    assert "Money" not in body


def test_it_charts_its_articles_per_week(client, lab):
    news_about(lab, 3, every=datetime.timedelta(days=1))  # Wed, Tue, Mon: one week
    make_mention(make_article(published_at=datetime.datetime(2025, 2, 19, tzinfo=datetime.UTC)),
                 lab)  # fmt: skip  # a passing mention still counts as news
    recount()

    body = page(client)
    chart = body[body.index('<figure class="chart chart-bars">') :]
    chart = chart[: chart.index("</figure>")]

    assert (
        'role="img"' in chart and 'aria-labelledby="weekly-chart-title weekly-chart-desc"' in chart
    )
    assert '<title id="weekly-chart-title">Articles naming Halcyon Labs, per week</title>' in chart
    assert "52 weeks to the week of 3 Mar 2025: 4 articles" in chart
    assert chart.count("<rect ") == 2
    assert "<title>Week of 3 Mar 2025: 3 articles</title>" in chart
    assert "<title>Week of 17 Feb 2025: 1 article</title>" in chart
    # The text fallback: every week with news, as a table.
    assert '<time datetime="2025-03-03">3 Mar 2025</time></td><td>3</td>' in chart


def test_the_chart_reads_the_counters_not_the_mentions(client, lab):
    news_about(lab, 1, every=WEEK)
    MentionWeek.objects.filter(entity=lab).update(articles=40)

    assert "<title>Week of 3 Mar 2025: 40 articles</title>" in page(client)


def test_it_lists_the_articles_about_it_newest_first_each_once_and_pages_them(client, lab):
    about = news_about(lab, 13, every=datetime.timedelta(hours=30))
    passing = make_article(title="Passing", published_at=about[0].published_at)
    make_mention(passing, lab, is_about=False)
    rejected = make_article(title="Rejected", published_at=about[0].published_at)
    make_mention(rejected, lab, is_about=True, status="rejected")

    body = page(client)

    assert titles(body) == [f"Story {n}" for n in range(10)]
    href, hx_get = hrefs(body, "articles-more")
    assert href == hx_get and href.startswith("?articles=")
    more = client.get(f"/entities/halcyon/{href}", HTTP_HX_REQUEST="true",
                      HTTP_HX_TARGET="articles-more")  # fmt: skip
    fragment = more.content.decode()
    assert "<html" not in fragment and titles(fragment) == ["Story 10", "Story 11", "Story 12"]


def test_an_article_links_to_the_reader_and_to_its_source(client, lab):
    (article,) = news_about(lab, 1, every=WEEK)

    body = page(client)

    assert f'<a href="/articles/{article.id}/" class="title">Story 0</a>' in body
    assert f'<a href="{article.url}" rel="noopener noreferrer nofollow">original</a>' in body


def test_hostile_names_and_links_are_inert(client):
    evil = "<script>alert(1)</script>"
    lab = make_company(name=evil, slug="evil", website="javascript:alert(1)",
                       source_urls=["javascript:alert(2)"])  # fmt: skip
    person = make_person(name=f"{evil} Jr", slug="evil-jr")
    make_affiliation(person, lab, title=evil)
    article = make_article(title=evil, url="javascript:alert(3)")
    make_mention(article, lab, is_about=True)

    body = page(client, slug="evil")

    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert 'href="javascript:' not in body


def test_unknown_slugs_are_404_and_bad_cursors_400(client, lab):
    assert client.get("/entities/nobody/").status_code == 404
    for name in ("events", "articles"):
        response = client.get("/entities/halcyon/", {name: "not-a-cursor"})
        assert response.status_code == 400
        assert f"not a place in this entity's {name}" in response.content.decode()
    # A cursor of the other list is refused too.
    events_with(lab, 11)
    href, _ = hrefs(page(client), "events-more")
    cursor = href.split("=", 1)[1]
    assert client.get("/entities/halcyon/", {"articles": cursor}).status_code == 400


def test_it_refuses_other_methods(client, lab):
    assert client.post("/entities/halcyon/").status_code == 405


def _fill(lab, n: int) -> None:
    people = [make_person(name=f"Person {k}") for k in range(n)]
    for k, person in enumerate(people):
        make_affiliation(person, lab, end=D(2025, 1, 1) if k % 2 else None,
                         destination=make_company(name=f"Next {k}") if k % 2 else None)  # fmt: skip
    make_cluster(name=f"Cluster {n}", owner=lab)
    make_company(name=f"Sub {n}", parent=lab)
    events_with(lab, n)
    news_about(lab, n, every=WEEK)


@pytest.mark.parametrize("rows", [1, 30])
def test_its_queries_are_fixed_whatever_it_holds(client, lab, rows, django_assert_num_queries):
    _fill(lab, rows)
    lab.parent = make_company(name="Owner", parent=make_company(name="Owner's owner"))
    lab.save()
    events_with(make_person(name="Someone"), 1)
    refresh_storyline(make_storyline([{"types": ["departure"], "entities": ["halcyon"]}]))
    # Entity; company with owner and successor; subsidiaries and predecessors; roster; clusters;
    # where it led; aliases; storylines; events and their participants, evidence, storylines;
    # the newest article; the weekly counters; the articles.
    with django_assert_num_queries(15):
        page(client)


def test_its_fragments_cost_their_list_alone(client, lab, django_assert_num_queries):
    events_with(lab, 12)
    news_about(lab, 12, every=WEEK)
    body = page(client)
    fragments = {"events-more": 5, "articles-more": 2}  # entity + the list (+ events' prefetches)
    for target, queries in fragments.items():
        href, _ = hrefs(body, target)
        with django_assert_num_queries(queries):
            response = client.get(f"/entities/halcyon/{href}", HTTP_HX_REQUEST="true",
                                  HTTP_HX_TARGET=target)  # fmt: skip
        assert response.status_code == 200 and "<html" not in response.content.decode()
