"""The talent flow: who left which company for where, drawn and listed, filtered through the URL,
with an htmx fragment that is a fragment."""

import datetime
import html
import re

import pytest
import time_machine

from apps.events.models import Event
from tests.entities.builders import (
    make_affiliation,
    make_company,
    make_event,
    make_evidence,
    make_person,
)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "talent-flow"}
DAY = datetime.date(2026, 2, 10)


@pytest.fixture
def xai():
    return make_company(name="xAI", slug="xai")


@pytest.fixture
def openai():
    return make_company(name="OpenAI", slug="openai")


@pytest.fixture
def google():
    return make_company(name="Google", slug="google")


def departure(name, left, went=None, day=DAY, **overrides):
    person = overrides.pop("person", None) or make_person(name=name)
    parties = [(person, "person"), (left, "from_company")]
    parties += [(went, "destination")] if went else []
    event = make_event(*parties, date=day, summary=f"{name} left", **overrides)
    make_evidence(event, sentence=f"{name} has left {left.name}.")
    return event


def hire(name, joined, came_from, day=DAY, **overrides):
    person = overrides.pop("person", None) or make_person(name=name)
    parties = [(person, "person"), (joined, "destination"), (came_from, "from_company")]
    event = make_event(*parties, type="hire", date=day, summary=f"{name} joined", **overrides)
    make_evidence(event, sentence=f"{name} joined {joined.name} from {came_from.name}.")
    return event


def rows(body: str) -> list[tuple[str, str, str, str]]:
    """The list of moves as (person, from, to, date)."""
    table = re.search(r'<table class="moves">.*?</table>', body, re.S)
    if table is None:
        return []
    found = []
    for row in re.findall(r"<tr>(.*?)</tr>", table.group(0), re.S)[1:]:
        cells = [
            html.unescape(re.sub(r"<[^>]+>|\s+", " ", cell)).split("(")[0].strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        found.append(tuple(cells[:4]))
    return found


def band_titles(body: str) -> list[str]:
    return [
        html.unescape(t)
        for t in re.findall(r'<a href="[^"]*" class="flow-link"><title>([^<]*→[^<]*)</title>', body)
    ]


def test_it_draws_and_lists_who_went_where(client, xai, openai, google):
    departure("Ada Quill", xai, openai)
    departure("Bo Reed", xai, openai, day=datetime.date(2026, 1, 5))
    departure("Cy Lane", xai, day=datetime.date(2025, 6, 1), date_precision="month")
    hire("Di Moss", openai, google, day=datetime.date(2025, 3, 1))

    body = client.get("/talent/").content.decode()

    assert sorted(band_titles(body)) == [
        "Google → OpenAI: 1 person",
        "xAI → Not known yet: 1 person",
        "xAI → OpenAI: 2 people",
    ]
    assert "<title>xAI: 3 people left</title>" in body
    assert "<title>OpenAI: 3 people went there</title>" in body
    assert rows(body) == [
        ("Ada Quill", "xAI", "OpenAI", "10 Feb 2026"),
        ("Bo Reed", "xAI", "OpenAI", "5 Jan 2026"),
        ("Cy Lane", "xAI", "not known yet", "Jun 2025"),
        ("Di Moss", "Google", "OpenAI", "1 Mar 2025"),
    ]
    assert "Ada Quill has left xAI." in body and "Di Moss joined OpenAI from Google." in body
    assert "4 moves" in body


def test_nodes_link_to_companies_and_bands_to_the_pair(client, xai, openai):
    departure("Ada Quill", xai, openai)
    departure("Cy Lane", xai)

    body = client.get("/talent/?period=12m").content.decode()

    assert '<a href="/entities/xai/" class="flow-link"><title>xAI: 2 people left' in body
    assert '<a href="?period=12m&amp;from=xai&amp;to=openai" class="flow-link">' in body
    assert '<a href="?period=12m&amp;from=xai&amp;to=~unknown" class="flow-link">' in body
    assert 'role="img" aria-labelledby="flow-title flow-desc"' in body
    assert '<desc id="flow-desc">2 moves from 1 company.' in body


def test_small_companies_fold_into_other(client, openai, monkeypatch):
    monkeypatch.setattr("apps.dashboard.views.talent.MOST_SOURCES", 3)
    for name, people in [("Big", 3), ("Mid", 2), ("Small", 1), ("Tiny", 1)]:
        lab = make_company(name=name, slug=name.lower())
        for n in range(people):
            departure(f"{name} {n}", lab, openai)

    body = client.get("/talent/").content.decode()

    assert sorted(band_titles(body)) == [
        "Big → OpenAI: 3 people",
        "Mid → OpenAI: 2 people",
        "Other → OpenAI: 2 people",
    ]
    assert '<a href="#moves" class="flow-link"><title>Small, Tiny: 2 people left</title>' in body
    assert '<a href="?to=openai" class="flow-link"><title>Other → OpenAI' in body
    assert len(rows(body)) == 7  # the list still has every move


def test_rumours_denials_and_what_curators_threw_out_are_not_moves(client, xai, openai):
    departure("Ru Mour", xai, openai, status="rumoured")
    departure("De Nied", xai, openai, status="denied")
    departure("Re Jected", xai, openai, rejected=True)
    kept = departure("Ke Pt", xai, openai)
    departure("Me Rged", xai, openai, merged_into=kept)
    make_event((make_person(name="No Move"), "person"), (xai, "from_company"), type="funding")

    body = client.get("/talent/").content.decode()

    assert [row[0] for row in rows(body)] == ["Ke Pt"]
    assert band_titles(body) == ["xAI → OpenAI: 1 person"]


def test_a_hire_without_a_company_left_is_not_a_move(client, openai):
    person = make_person(name="New Comer")
    make_event((person, "person"), (openai, "destination"), type="hire")

    assert rows(client.get("/talent/").content.decode()) == []


def test_a_departure_and_the_hire_that_ends_it_are_one_move(client, xai, openai):
    ba = make_person(name="Jimmy Ba")
    departure("Jimmy Ba", xai, person=ba, day=datetime.date(2026, 1, 30))
    hire("Jimmy Ba", openai, xai, person=ba, day=datetime.date(2026, 2, 3))
    # Leaving the same lab again, years later, is another move.
    departure("Jimmy Ba", xai, person=ba, day=datetime.date(2028, 5, 1))

    body = client.get("/talent/").content.decode()

    assert rows(body) == [
        ("Jimmy Ba", "xAI", "not known yet", "1 May 2028"),
        ("Jimmy Ba", "xAI", "OpenAI", "30 Jan 2026"),
    ]
    assert sorted(band_titles(body)) == [
        "xAI → Not known yet: 1 person",
        "xAI → OpenAI: 1 person",
    ]
    # The merged move cites both reports.
    assert "Jimmy Ba has left xAI." in body and "Jimmy Ba joined OpenAI from xAI." in body


def test_two_moves_to_different_places_are_not_merged(client, xai, openai, google):
    ba = make_person(name="Jimmy Ba")
    departure("Jimmy Ba", xai, openai, person=ba, day=datetime.date(2026, 1, 30))
    departure("Jimmy Ba", xai, google, person=ba, day=datetime.date(2026, 2, 3))

    assert len(rows(client.get("/talent/").content.decode())) == 2


def test_the_career_record_says_where_a_departure_went(client, xai, openai, google):
    ada = make_person(name="Ada Quill")
    make_affiliation(ada, xai, end=DAY, destination=openai)
    make_affiliation(ada, google, end=datetime.date(2019, 1, 1), destination=xai)
    departure("Ada Quill", xai, person=ada)

    body = client.get("/talent/").content.decode()

    assert rows(body) == [("Ada Quill", "xAI", "OpenAI", "10 Feb 2026")]
    assert "(career record)" in body


def test_a_career_record_from_long_before_says_nothing(client, xai, openai):
    ada = make_person(name="Ada Quill")
    make_affiliation(ada, xai, end=datetime.date(2020, 1, 1), destination=openai)
    departure("Ada Quill", xai, person=ada)

    assert rows(client.get("/talent/").content.decode())[0][2] == "not known yet"


def test_it_filters_by_period(client, xai, openai):
    departure("Old Timer", xai, openai, day=datetime.date(2024, 5, 1))
    departure("Mid Way", xai, openai, day=datetime.date(2025, 6, 1))
    departure("New Comer", xai, openai, day=datetime.date(2026, 2, 1))

    dated = client.get("/talent/?since=2025-01-01&until=2025-12-31").content.decode()
    with time_machine.travel(datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC)):
        recent = client.get("/talent/?period=12m").content.decode()
        both = client.get("/talent/?period=24m&until=2025-12-31").content.decode()

    assert [row[0] for row in rows(dated)] == ["Mid Way"]
    assert band_titles(dated) == ["xAI → OpenAI: 1 person"]
    assert [row[0] for row in rows(recent)] == ["New Comer"]
    assert "since 1 Dec 2025" in recent
    assert [row[0] for row in rows(both)] == ["Mid Way"]


def test_it_filters_by_pair(client, xai, openai, google):
    departure("Ada Quill", xai, openai)
    departure("Bo Reed", xai, google)
    departure("Cy Lane", google, openai)
    departure("Di Moss", xai)

    pair = client.get("/talent/?from=xai&to=openai").content.decode()
    into = client.get("/talent/?to=openai").content.decode()
    unknown = client.get("/talent/?from=xai&to=~unknown").content.decode()

    assert [row[0] for row in rows(pair)] == ["Ada Quill"]
    assert band_titles(pair) == ["xAI → OpenAI: 1 person"]
    assert sorted(row[0] for row in rows(into)) == ["Ada Quill", "Cy Lane"]
    assert [row[0] for row in rows(unknown)] == ["Di Moss"]
    assert "to a destination not known yet" in unknown


def test_it_refuses_bad_filters_with_a_clear_message(client, xai):
    for query, message in [
        ("since=2026-13-40", "Enter a valid date"),
        ("until=yesterday", "Enter a valid date"),
        ("since=2026-03-01&until=2026-01-01", "The start date is after the end date"),
        ("from=nobody", "No company has this name"),
        ("to=nobody", "No company has this name"),
        ("period=forever", "Select a valid choice"),
    ]:
        response = client.get(f"/talent/?{query}")
        assert response.status_code == 400, query
        assert message in response.content.decode(), query


def test_a_refusal_under_htmx_is_a_fragment_too(client):
    response = client.get("/talent/?since=nope", **HTMX)
    body = response.content.decode()

    assert response.status_code == 400
    assert body.lstrip().startswith('<div id="talent-flow">') and "<html" not in body
    assert "Enter a valid date" in body


def test_the_fragment_is_a_fragment(client, xai, openai):
    departure("Ada Quill", xai, openai)

    response = client.get("/talent/?from=xai", **HTMX)
    body = response.content.decode()

    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="talent-flow">') and body.rstrip().endswith("</div>")
    assert "<html" not in body and "<form" not in body
    assert band_titles(body) == ["xAI → OpenAI: 1 person"]
    assert response["Vary"] == "HX-Request"


def test_the_filters_are_htmx_and_plain_links_alike(client):
    body = client.get("/talent/").content.decode()

    form = re.search(r'<form class="filters"[^>]*>', body).group(0)
    assert 'method="get"' in form and 'action="/talent/"' in form
    assert 'hx-get="/talent/"' in form and 'hx-target="#talent-flow"' in form
    assert 'hx-push-url="true"' in form
    assert 'href="/talent/">Talent flow</a>' in body  # in the nav


def test_it_escapes_hostile_names_inside_the_drawing(client, openai):
    evil = make_company(name='<script>alert(1)</script>"Labs', slug="evil")
    departure("</text><script>x()</script>", evil, openai)

    body = client.get("/talent/").content.decode()

    assert "<script>alert(1)" not in body and "<script>x()" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot;Labs" in body
    assert "&lt;/text&gt;&lt;script&gt;x()" in body


def test_the_list_is_capped_and_says_how_many_more(client, xai, openai, monkeypatch):
    monkeypatch.setattr("apps.dashboard.views.talent.MOVES_SHOWN", 2)
    for n in range(5):
        departure(f"Person {n}", xai, openai, day=DAY - datetime.timedelta(days=n))

    body = client.get("/talent/").content.decode()

    assert [row[0] for row in rows(body)] == ["Person 0", "Person 1"]
    assert "And 3 more moves" in body
    assert band_titles(body) == ["xAI → OpenAI: 5 people"]  # the drawing counts them all


def test_nothing_to_show_says_so(client):
    body = client.get("/talent/").content.decode()

    assert "No moves match." in body and "<svg" not in body


def test_its_queries_are_fixed_whatever_the_moves(client, xai, openai, django_assert_num_queries):
    def add(n: int) -> None:
        for i in range(n):
            company = make_company(name=f"Lab {i}")
            departure(f"Person {i}", company, openai if i % 2 else None)
            hire(f"Hire {i}", company, xai)
            hire(f"Back {i}", openai, xai)

    # Moves' participants; career destinations; the cited sentences; and with filters, one for
    # the companies they name.
    add(3)
    with django_assert_num_queries(3):
        client.get("/talent/")
    add(12)
    assert Event.objects.count() == 45
    with django_assert_num_queries(3):
        client.get("/talent/")
    with django_assert_num_queries(4):
        client.get(f"/talent/?from={xai.slug}&to=openai&since=2026-01-01")
