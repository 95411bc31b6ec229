"""The home page: latest confirmed events (polled), storylines, who is in the news, health."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from apps.events import services
from apps.events.services.mention_weeks import recount
from apps.events.services.storylines import refresh_storyline
from tests.entities.builders import (
    make_alias,
    make_article,
    make_company,
    make_event,
    make_evidence,
    make_extracted_article,
    make_mention,
    make_person,
    make_storyline,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lab():
    return make_company(name="Halcyon Labs", slug="halcyon")


def departure(lab, name: str, **overrides):
    person = make_person(name=name)
    event = make_event(
        (person, "person"), (lab, "from_company"), summary=f"{name} left", **overrides
    )
    make_evidence(event, sentence=f"{name} has left Halcyon Labs.")
    return event


def test_it_shows_the_latest_confirmed_events_with_their_sources(client, lab):
    departure(lab, "Ada Quill")
    departure(lab, "Rumoured Person", status="rumoured")

    body = client.get("/").content.decode()

    assert "Ada Quill left" in body
    assert "Ada Quill has left Halcyon Labs." in body
    assert "Rumoured Person" not in body
    assert 'href="/entities/halcyon/"' in body


def test_the_latest_are_the_latest_to_happen_and_the_poll_starts_after_the_newest_found(
    client, lab
):
    departure(lab, "Found First", date=datetime.date(2026, 3, 1))
    older = departure(lab, "Found Later", date=datetime.date(2024, 1, 1))

    body = client.get("/").content.decode()

    assert body.index("Found First left") < body.index("Found Later left")
    assert f"?after={older.id}" in body


def test_it_lists_storylines_with_their_counters(client, lab):
    departure(lab, "Ada Quill")
    story = make_storyline([{"types": ["departure"], "entities": ["halcyon"]}], title="Exodus")
    refresh_storyline(story)

    body = client.get("/").content.decode()

    assert f'href="/storylines/{story.slug}/"' in body
    assert "1 event" in body


def test_the_poll_answers_only_what_is_new_and_204_when_nothing_is(client, lab):
    seen = departure(lab, "Ada Quill")
    poll = {"HTTP_HX_REQUEST": "true"}

    assert client.get(f"/?after={seen.id}", **poll).status_code == 204

    fresh = departure(lab, "Bo Lindqvist")
    response = client.get(f"/?after={seen.id}", **poll)
    body = response.content.decode()

    assert response.status_code == 200
    assert "<html" not in body
    assert "Bo Lindqvist left" in body and "Ada Quill" not in body
    assert f"?after={fresh.id}" in body  # the next poll starts from the newest shown


def test_the_poll_refuses_a_cursor_that_is_not_an_id(client):
    response = client.get("/?after=drop", HTTP_HX_REQUEST="true")
    assert response.status_code == 400


def test_it_ranks_entities_by_articles_in_the_week_of_the_newest_article(client, lab):
    rival = make_company(name="Meridian AI", slug="meridian")
    other = make_company(name="Elsewhere", slug="elsewhere")
    newest = datetime.datetime(2025, 3, 5, 12, tzinfo=datetime.UTC)  # a Wednesday
    for days in (0, 1, 2):  # Wednesday, Tuesday, Monday
        article = make_article(published_at=newest - datetime.timedelta(days=days))
        make_mention(article, lab)
        make_mention(article, lab, start=20)  # named twice, counted once
    make_mention(make_article(published_at=newest), rival)
    # The Sunday before: the week before, though within seven days.
    make_mention(make_article(published_at=newest - datetime.timedelta(days=3)), other)
    make_mention(make_article(published_at=newest - datetime.timedelta(days=30)), rival)
    recount()  # the builders write mentions directly, as a bulk load does

    body = client.get("/").content.decode()

    assert body.index('Halcyon Labs</a> <span class="meta">3 articles') < body.index(
        'Meridian AI</a> <span class="meta">1 article<'
    )
    assert "Elsewhere" not in body


def test_the_ranking_follows_the_linker_without_a_recount(client, lab):
    make_alias(lab, "Halcyon Labs")
    article = make_extracted_article("Halcyon Labs grows", "Halcyon Labs hired again.")
    services.analyze_article(article.id)

    assert 'Halcyon Labs</a> <span class="meta">1 article<' in client.get("/").content.decode()


def test_source_health_is_for_staff_only(client):
    assert "waiting for extraction" not in client.get("/").content.decode()

    staff = get_user_model().objects.create_user("ed", password="pw", is_staff=True)
    client.force_login(staff)

    assert "waiting for extraction" in client.get("/").content.decode()


def test_it_refuses_other_methods(client):
    assert client.post("/").status_code == 405


def test_its_queries_are_fixed_whatever_the_events(client, lab, django_assert_num_queries):
    # Events, their participants, evidence and storylines; the newest id; storylines; the news
    # week (2).
    for n in range(20):
        departure(lab, f"Person {n}")
    with django_assert_num_queries(8):
        client.get("/")
