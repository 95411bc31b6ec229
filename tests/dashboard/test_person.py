"""A person's page: a career in order, with dates as precise as known; events; articles."""

import datetime

import pytest

from tests.dashboard.entity_pages import events_with, hrefs, news_about, summaries, titles
from tests.entities.builders import make_affiliation, make_company, make_person

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def ada():
    return make_person(name="Ada Quill", slug="ada", description="Researcher.")


def page(client, **params) -> str:
    response = client.get("/entities/ada/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_a_career_in_order_with_why_and_where_each_stretch_ended(client, ada):
    first = make_company(name="Halcyon Labs", slug="halcyon")
    second = make_company(name="Meridian AI", slug="meridian")
    make_affiliation(ada, second, title="Chief Scientist", start=D(2025, 3, 1),
                     start_precision="month")  # fmt: skip
    make_affiliation(ada, first, title="Co-founder and CTO", is_cofounder=True,
                     start=D(2023, 1, 1), start_precision="year", end=D(2025, 2, 10),
                     end_reason="resigned", destination=second)  # fmt: skip
    make_affiliation(ada, make_company(name="Old Board", slug="old-board"), title="",
                     kind="board", end_reason="fired")  # fmt: skip

    body = page(client)
    career = body[body.index('id="career-title"') : body.index('id="events-title"')]

    # No start date first, then by start: 2023, then Mar 2025.
    meridian_row = 'Chief Scientist at <a href="/entities/meridian/">'
    assert career.index("old-board") < career.index("halcyon") < career.index(meridian_row)
    assert "Board member at" in career  # no title: the kind of stretch
    assert "end date unknown" in career and "Left: fired" in career
    halcyon = career[career.index('<time datetime="2023-01-01">') :][:900]
    assert "2023</time> \N{EN DASH}" in halcyon and "10 Feb 2025" in halcyon
    assert "Co-founder and CTO at" in halcyon and "badge cofounder" in halcyon
    assert 'Left: resigned; went to <a href="/entities/meridian/">Meridian AI</a>' in halcyon
    meridian = career[career.index("Mar 2025") :][:400]
    assert "now" in meridian and 'class="current"' in career


def test_a_person_without_a_known_career_says_so(client, ada):
    assert "No known affiliation yet." in page(client)


def test_it_lists_events_and_articles_with_load_more(client, ada):
    events_with(ada, 12, role="person")
    news_about(ada, 11, every=datetime.timedelta(days=2))

    body = page(client)

    assert summaries(body)[0] == "Event number 11" and len(summaries(body)) == 10
    assert titles(body)[0] == "Story 0" and len(titles(body)) == 10
    for list_id in ("events-more", "articles-more"):
        href, hx_get = hrefs(body, list_id)
        assert href == hx_get
        more = client.get(f"/entities/ada/{href}", HTTP_HX_REQUEST="true", HTTP_HX_TARGET=list_id)
        assert more.status_code == 200 and "<html" not in more.content.decode()


def test_a_hostile_name_is_escaped(client):
    make_person(name='"><img src=x onerror=alert(1)>', slug="evil")

    body = client.get("/entities/evil/").content.decode()

    assert "<img src=x" not in body and "&lt;img src=x onerror=alert(1)&gt;" in body


@pytest.mark.parametrize("rows", [1, 25])
def test_its_queries_are_fixed_whatever_it_holds(client, ada, rows, django_assert_num_queries):
    for n in range(rows):
        make_affiliation(ada, make_company(name=f"Lab {n}"), end=D(2024, 1, 1),
                         destination=make_company(name=f"Next {n}"))  # fmt: skip
    events_with(ada, rows, role="person")
    news_about(ada, rows, every=datetime.timedelta(days=3))
    # Entity; person; career; aliases; storylines; events and their participants, evidence,
    # storylines; the newest article; the weekly counters; the articles.
    with django_assert_num_queries(12):
        page(client)
