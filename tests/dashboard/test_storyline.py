"""A storyline's timeline: grouped by month, filtered and paged through the URL, with htmx
fragments that are fragments."""

import datetime
import re

import pytest

from apps.events.models import StorylineEvent
from apps.events.services.storylines import refresh_storyline
from tests.entities.builders import (
    make_affiliation,
    make_company,
    make_event,
    make_evidence,
    make_person,
    make_storyline,
)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def lab():
    return make_company(name="Halcyon Labs", slug="halcyon")


@pytest.fixture
def exodus(lab):
    return make_storyline(
        [{"types": ["departure"], "entities": ["halcyon"], "roles": ["from_company"]}],
        title="Halcyon exodus",
        slug="halcyon-exodus",
    )


def departure(lab, name: str, day: datetime.date, **overrides):
    person = make_person(name=name)
    event = make_event(
        (person, "person"), (lab, "from_company"), summary=f"{name} left", date=day, **overrides
    )
    make_evidence(event, sentence=f"{name} has left Halcyon Labs.")
    return event


def summaries(body: str) -> list[str]:
    return re.findall(r'<p class="summary">([^<]*)</p>', body)


def test_it_shows_the_timeline_oldest_first_grouped_by_month(client, lab, exodus):
    departure(lab, "Cy Late", datetime.date(2026, 3, 2))
    departure(lab, "Ada Early", datetime.date(2026, 2, 10))
    departure(lab, "Bo Guess", datetime.date(2026, 2, 1), date_precision="month")
    refresh_storyline(exodus)

    body = client.get("/storylines/halcyon-exodus/").content.decode()

    assert summaries(body) == ["Bo Guess left", "Ada Early left", "Cy Late left"]
    assert body.count("<h2>February 2026</h2>") == 1 and "<h2>March 2026</h2>" in body
    assert "Feb 2026" in body  # a month-precise date is shown as a month, not as the 1st
    assert "Ada Early has left Halcyon Labs." in body


def test_it_marks_rumours_and_hides_exclusions(client, lab, exodus):
    departure(lab, "Ru Mour", datetime.date(2026, 1, 5), status="rumoured")
    excluded = departure(lab, "Ex Cluded", datetime.date(2026, 1, 6))
    refresh_storyline(exodus)
    StorylineEvent.objects.filter(event=excluded).update(origin=StorylineEvent.Origin.EXCLUDED)

    body = client.get("/storylines/halcyon-exodus/").content.decode()

    assert '<span class="badge rumoured">Rumoured</span>' in body
    assert "Ex Cluded" not in body


def test_filters_narrow_the_timeline_and_the_fragment_is_a_fragment(client, lab, exodus):
    departure(lab, "Ada Early", datetime.date(2025, 2, 10))
    departure(lab, "Cy Late", datetime.date(2026, 3, 2))
    refresh_storyline(exodus)

    response = client.get(
        "/storylines/halcyon-exodus/?since=2026-01-01", HTTP_HX_TARGET="timeline", **HTMX
    )
    body = response.content.decode()

    assert summaries(body) == ["Cy Late left"]
    assert "<html" not in body and body.lstrip().startswith('<div id="timeline">')
    assert response["Vary"] == "HX-Request"


def test_it_filters_by_participant(client, lab, exodus):
    ada = departure(lab, "Ada Early", datetime.date(2025, 2, 10))
    departure(lab, "Cy Late", datetime.date(2026, 3, 2))
    refresh_storyline(exodus)
    slug = ada.participants.get(role="person").entity.slug

    body = client.get(f"/storylines/halcyon-exodus/?entity={slug}").content.decode()

    assert summaries(body) == ["Ada Early left"]


def test_load_more_pages_by_cursor_without_repeating_the_month(client, lab, exodus, monkeypatch):
    monkeypatch.setattr("apps.dashboard.views.storyline.TIMELINE_PAGE", 2)
    for day in (1, 2, 3, 4):
        departure(lab, f"Person {day}", datetime.date(2026, 2, day))
    refresh_storyline(exodus)

    first = client.get("/storylines/halcyon-exodus/").content.decode()
    link = re.search(r'href="\?(cursor=[^"]+)"', first).group(1)
    more = client.get(f"/storylines/halcyon-exodus/?{link}", HTTP_HX_TARGET="load-more", **HTMX)
    body = more.content.decode()

    assert summaries(first) == ["Person 1 left", "Person 2 left"]
    assert summaries(body) == ["Person 3 left", "Person 4 left"]
    assert "February 2026" not in body and "<html" not in body
    assert 'id="load-more"' not in body  # the last page


def test_it_refuses_bad_filters_with_a_clear_message(client, exodus):
    for query, message in [
        ("since=2026-13-40", "Enter a valid date"),
        ("since=2026-03-01&until=2026-01-01", "The start date is after the end date"),
        ("cursor=not-ours", "This is not a place in this timeline"),
        ("entity=nobody", "No entity has this name"),
        ("type=coronation", "Select a valid choice"),
    ]:
        response = client.get(f"/storylines/halcyon-exodus/?{query}")
        assert response.status_code == 400, query
        assert message in response.content.decode(), query


def test_an_unknown_storyline_is_404(client):
    assert client.get("/storylines/nothing-here/").status_code == 404


def test_it_escapes_what_came_from_articles(client, lab, exodus):
    event = departure(lab, "Ada Early", datetime.date(2026, 2, 10))
    make_evidence(event, sentence='<script>alert("x")</script> left.')
    refresh_storyline(exodus)

    body = client.get("/storylines/halcyon-exodus/").content.decode()

    assert '<script>alert("x")' not in body
    assert "&lt;script&gt;" in body


def test_the_headline_counts_the_co_founders_who_left(client, lab, exodus):
    ada = departure(lab, "Ada Early", datetime.date(2025, 2, 10)).participants.get(role="person")
    make_affiliation(ada.entity.person, lab, is_cofounder=True)
    for name in ("Stays One", "Stays Two"):
        make_affiliation(make_person(name=name), lab, is_cofounder=True)
    departure(lab, "Not A Founder", datetime.date(2025, 3, 1))
    refresh_storyline(exodus)

    body = client.get("/storylines/halcyon-exodus/").content.decode()

    assert re.search(r">1</a> of <a [^>]*>3</a> co-founders have left Halcyon Labs", body)
    assert 'href="?type=departure&amp;entity=halcyon&amp;cofounders=1"' in body


def test_the_gone_number_lists_the_co_founders_departures_only(client, lab, exodus):
    ada = departure(lab, "Ada Early", datetime.date(2025, 2, 10)).participants.get(role="person")
    make_affiliation(ada.entity.person, lab, is_cofounder=True)
    departure(lab, "Not A Founder", datetime.date(2025, 3, 1))
    refresh_storyline(exodus)

    body = client.get("/storylines/halcyon-exodus/?type=departure&entity=halcyon&cofounders=1")

    assert summaries(body.content.decode()) == ["Ada Early left"]
    assert "a co-founder of" in body.content.decode()


def test_co_founders_only_needs_an_entity(client, exodus):
    response = client.get("/storylines/halcyon-exodus/?cofounders=1")

    assert response.status_code == 400
    assert "whose co-founders?" in response.content.decode()


def test_a_rule_naming_an_entity_merged_away_since_still_shows(client, lab):
    ada = departure(lab, "Ada Early", datetime.date(2025, 2, 10)).participants.get(role="person")
    make_affiliation(ada.entity.person, lab, is_cofounder=True)
    rule = [{"types": ["departure"], "entities": ["halcyon", "merged-away"]}]
    story = make_storyline(rule, slug="with-a-gone-entity")
    StorylineEvent.objects.create(storyline=story, event=ada.event)

    response = client.get("/storylines/with-a-gone-entity/")

    assert response.status_code == 200
    assert "co-founders have left Halcyon Labs" in response.content.decode()


def test_no_headline_where_no_co_founders_are_known(client, lab, exodus):
    departure(lab, "Ada Early", datetime.date(2025, 2, 10))
    refresh_storyline(exodus)

    assert "co-founders have left" not in client.get("/storylines/halcyon-exodus/").content.decode()


def test_its_queries_are_fixed_whatever_the_events(client, lab, exodus, django_assert_num_queries):
    # Storyline; the timeline page and its participants, evidence and storylines; the headline
    # (the rule's entities, the co-founders).
    for day in range(1, 25):
        departure(lab, f"Person {day}", datetime.date(2026, 1, day))
    refresh_storyline(exodus)
    with django_assert_num_queries(7):
        client.get("/storylines/halcyon-exodus/")


def test_the_headline_counts_no_rumoured_departure(client, lab, exodus):
    ada = departure(lab, "Ada Early", datetime.date(2025, 2, 10), status="rumoured")
    make_affiliation(ada.participants.get(role="person").entity.person, lab, is_cofounder=True)
    refresh_storyline(exodus)

    body = client.get("/storylines/halcyon-exodus/").content.decode()

    assert re.search(r">0</a> of <a [^>]*>1</a> co-founders have left Halcyon Labs", body)
