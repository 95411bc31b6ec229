from datetime import date

import pytest

from apps.events.models import Event, EventParticipant, Evidence, Storyline, StorylineEvent
from apps.sources.models import Source
from tests.entities.builders import (
    make_affiliation,
    make_alias,
    make_article,
    make_cluster,
    make_company,
    make_observation,
    make_person,
)

pytestmark = pytest.mark.django_db

API = "http://testserver/api/"


def make_event(**overrides) -> Event:
    fields = {"type": "hire", "date": date(2025, 1, 10), "summary": "Someone joined somewhere"}
    return Event.objects.create(**(fields | overrides))


def involve(event: Event, entity, role: str) -> EventParticipant:
    return EventParticipant.objects.create(event=event, entity=entity, role=role)


def cite(event: Event, article=None, **overrides) -> Evidence:
    fields = {
        "event": event,
        "article": article or make_article(),
        "sentence": "She joined the lab on Friday.",
        "start": 0,
        "end": 29,
        "found_by": "hire@1",
    }
    return Evidence.objects.create(**(fields | overrides))


def make_storyline(**overrides) -> Storyline:
    fields = {"title": "Talent wars", "slug": "talent-wars"}
    return Storyline.objects.create(**(fields | overrides))


def place(storyline: Storyline, event: Event, **overrides) -> StorylineEvent:
    return StorylineEvent.objects.create(storyline=storyline, event=event, **overrides)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def walk(client, url: str) -> tuple[list[dict], int]:
    """Every row of a listing, following `next`; and how many pages it took."""
    rows, pages = [], 0
    while url:
        body = client.get(url).json()
        rows += body.get("results", body.get("events"))
        url, pages = body["next"], pages + 1
    return rows, pages


def error_of(response, status: int) -> str:
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    return response.json()["error"]


@pytest.fixture
def story():
    """A departure with two participants, two articles' evidence and two storylines."""
    person, lab = make_person(name="Ada Byron"), make_company(name="Example Lab")
    event = make_event(
        type="departure",
        date=date(2025, 2, 1),
        date_precision="month",
        date_is_estimate=True,
        status="rumoured",
        confidence=0.4567,
        summary="Ada Byron leaves Example Lab",
        quantities={"usd": 1000},
        detail="chief scientist",
    )
    involve(event, person, "person")
    involve(event, lab, "from_company")
    source = Source.objects.create(feed_url="https://wire.example/rss", title="The Wire")
    cite(event, make_article(source=source, title="Byron leaves"), found_by="departure@1")
    cite(event, make_article(), status="denied", start=40, end=60)
    place(make_storyline(slug="exits", title="Exits"), event)
    place(make_storyline(slug="byron", title="Byron"), event, origin="pinned")
    place(make_storyline(slug="left-out", title="Left out"), event, origin="excluded")
    return event


def test_it_lists_endpoints_filters_and_vocabulary(client):
    body = client.get("/api/").json()
    assert body["endpoints"]["events"]["url"] == f"{API}events/"
    assert set(body["endpoints"]["events"]["filters"]) >= {"storyline", "entity", "since", "cursor"}
    assert "departure" in body["vocabulary"]["event_types"]
    assert body["vocabulary"]["entity_types"] == ["company", "person", "cluster"]


def test_it_shows_an_event_with_participants_evidence_and_storylines(client, story):
    body = client.get(f"/api/events/{story.pk}/").json()
    assert body["id"] == story.pk and body["url"] == f"{API}events/{story.pk}/"
    assert body["type"] == "departure" and body["status"] == "rumoured"
    assert body["date"] == "2025-02-01" and body["date_precision"] == "month"
    assert body["date_is_estimate"] is True and body["date_display"] == "~Feb 2025"
    assert body["confidence"] == 0.457 and body["quantities"] == {"usd": 1000}
    assert body["detail"] == "chief scientist" and body["curated"] is False
    roles = {p["role"]: p["entity"] for p in body["participants"]}
    assert roles["person"]["name"] == "Ada Byron" and roles["person"]["type"] == "person"
    assert roles["from_company"]["url"] == f"{API}entities/{roles['from_company']['slug']}/"
    first, second = body["evidence"]
    assert first["article"]["outlet"] == "The Wire" and first["article"]["title"] == "Byron leaves"
    assert first["article"]["url"].startswith("https://news.example/story-")
    assert first["article"]["published_at"].endswith("+00:00")
    assert (
        first["sentence"] == "She joined the lab on Friday." and first["found_by"] == "departure@1"
    )
    assert second["status"] == "denied" and second["article"]["outlet"] == "news.example"
    assert body["storylines"] == ["byron", "exits"]


def test_it_lists_events_newest_first_with_ties_by_id(client):
    old = make_event(date=date(2024, 5, 1))
    same_day = [make_event(date=date(2025, 3, 1)) for _ in range(3)]
    new = make_event(date=date(2025, 6, 1))
    assert ids(client.get("/api/events/")) == [new.pk, *[e.pk for e in reversed(same_day)], old.pk]


def test_it_never_shows_rejected_or_merged_events(client, story):
    rejected = make_event(rejected=True)
    merged = make_event(merged_into=story)
    storyline = Storyline.objects.get(slug="exits")
    place(storyline, rejected)
    place(storyline, merged)
    assert ids(client.get("/api/events/")) == [story.pk]
    assert ids(client.get("/api/events/?storyline=exits")) == [story.pk]
    assert [e["id"] for e in client.get("/api/storylines/exits/").json()["events"]] == [story.pk]
    assert error_of(client.get(f"/api/events/{rejected.pk}/"), 404) == f"no event {rejected.pk}"


def test_it_points_a_merged_event_at_the_one_that_absorbed_it(client, story):
    merged = make_event(merged_into=story)
    response = client.get(f"/api/events/{merged.pk}/")
    assert response.status_code == 404
    assert response.json()["merged_into"] == f"{API}events/{story.pk}/"


def test_it_filters_events_by_type_any_of_several(client):
    hire, departure = make_event(type="hire"), make_event(type="departure")
    make_event(type="funding")
    assert ids(client.get("/api/events/?type=hire")) == [hire.pk]
    assert set(ids(client.get("/api/events/?type=hire&type=departure"))) == {hire.pk, departure.pk}


def test_it_filters_events_by_status(client):
    rumour = make_event(status="rumoured")
    make_event(status="confirmed")
    denial = make_event(status="denied")
    assert ids(client.get("/api/events/?status=rumoured")) == [rumour.pk]
    assert set(ids(client.get("/api/events/?status=rumoured&status=denied"))) == {
        rumour.pk,
        denial.pk,
    }


def test_it_filters_events_by_date_range_inclusive(client):
    before, first, last, after = (make_event(date=date(2025, 1, day)) for day in (9, 10, 20, 21))
    assert ids(client.get("/api/events/?since=2025-01-10&until=2025-01-20")) == [last.pk, first.pk]
    assert ids(client.get("/api/events/?since=2025-01-21")) == [after.pk]
    assert ids(client.get("/api/events/?until=2025-01-09")) == [before.pk]


def test_it_filters_events_by_storyline_without_excluded_ones(client, story):
    other = make_event()
    place(make_storyline(slug="other"), other)
    assert ids(client.get("/api/events/?storyline=exits")) == [story.pk]
    assert ids(client.get("/api/events/?storyline=left-out")) == []
    assert set(ids(client.get("/api/events/?storyline=exits&storyline=other"))) == {
        story.pk,
        other.pk,
    }


def test_it_filters_events_by_participant_once_per_event(client):
    lab, rival = make_company(name="Lab"), make_company(name="Rival")
    both = make_event(type="partnership")
    involve(both, lab, "partner")
    involve(both, lab, "company")
    involve(both, rival, "partner")
    alone = make_event(date=date(2024, 1, 1))
    involve(alone, rival, "company")
    make_event()
    assert ids(client.get(f"/api/events/?entity={lab.slug}")) == [both.pk]
    assert ids(client.get(f"/api/events/?entity={lab.slug}&entity={rival.slug}")) == [
        both.pk,
        alone.pk,
    ]


def test_it_combines_filters(client, story):
    lab = story.participants.get(role="from_company").entity
    url = f"/api/events/?entity={lab.slug}&storyline=exits&type=departure&since=2025-01-01"
    assert ids(client.get(url)) == [story.pk]
    assert ids(client.get(url + "&status=confirmed")) == []


def test_it_walks_every_event_once_across_pages(client):
    made = [make_event(date=date(2025, 1, 1 + n % 4)) for n in range(23)]
    expected = [e.pk for e in sorted(made, key=lambda e: (e.date, e.pk), reverse=True)]
    rows, pages = walk(client, "/api/events/?limit=5")
    assert [row["id"] for row in rows] == expected
    assert pages == 5


def test_it_keeps_filters_in_the_next_url(client):
    for _ in range(3):
        make_event(type="hire")
    make_event(type="funding")
    first = client.get("/api/events/?type=hire&limit=2").json()
    assert "type=hire" in first["next"] and "limit=2" in first["next"]
    rows, _ = walk(client, first["next"])
    assert len(rows) == 1 and rows[0]["type"] == "hire"


def test_it_neither_repeats_nor_skips_when_events_arrive_mid_walk(client):
    made = [make_event(date=date(2025, 1, n)) for n in range(1, 7)]
    first = client.get("/api/events/?limit=3").json()
    make_event(date=date(2025, 2, 1))  # newer than everything: belongs before page one
    rows, _ = walk(client, first["next"])
    assert [r["id"] for r in first["results"] + rows] == [e.pk for e in reversed(made)]


def test_it_serves_at_most_200_and_50_by_default(client):
    Event.objects.bulk_create(Event(type="hire", date=date(2025, 1, 1)) for _ in range(201))
    assert len(ids(client.get("/api/events/"))) == 50
    assert len(ids(client.get("/api/events/?limit=1000"))) == 200


def test_it_ends_the_walk_with_no_next(client):
    make_event()
    assert client.get("/api/events/?limit=1").json()["next"] is None


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("type=hiring", "type"),
        ("status=maybe", "status"),
        ("since=2025-13-01", "since"),
        ("until=2025-1-1", "until"),
        ("since=yesterday", "since"),
        ("since=2025-02-01&until=2025-01-01", "since"),
        ("since=2025-01-01&since=2025-02-01", "since"),
        ("limit=ten", "limit"),
        ("limit=0", "limit"),
        ("limit=-5", "limit"),
        ("cursor=not-a-cursor", "cursor"),
        ("cursor=WyJldmVudHMiLCIyMDI1LTAxLTAxIiwiNyJd", "cursor"),  # an id that is not a number
        ("cursor=" + "A" * 600, "cursor"),
        ("storyline=nowhere", "storyline"),
        ("entity=nobody", "entity"),
        ("tpye=hire", "tpye"),
    ],
)
def test_it_refuses_bad_event_filters_naming_the_parameter(client, query, parameter):
    assert error_of(client.get(f"/api/events/?{query}"), 400).startswith(f"{parameter}: ")


def test_it_refuses_a_cursor_from_another_listing(client):
    make_company(name="A")
    make_company(name="B")
    cursor = client.get("/api/entities/?limit=1").json()["next"].split("cursor=")[1]
    assert error_of(client.get(f"/api/events/?cursor={cursor}"), 400).startswith("cursor: ")


def test_it_ignores_blank_filters(client):
    event = make_event()
    assert ids(client.get("/api/events/?type=&since=&entity=&cursor=")) == [event.pk]


@pytest.mark.parametrize(
    "url",
    [
        "/api/events/999999/",
        "/api/entities/nobody/",
        "/api/storylines/nowhere/",
        "/api/nothing-here/",
        "/api/events/not-a-number/",
    ],
)
def test_it_answers_404_in_json(client, url):
    assert error_of(client.get(url), 404)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_it_refuses_writes(client, method):
    response = getattr(client, method)("/api/events/")
    assert error_of(response, 405)
    assert response["Allow"] == "GET, HEAD"


def test_it_answers_head(client):
    assert client.head("/api/events/").status_code == 200


@pytest.mark.parametrize("url", ["/api/", "/api/events/", "/api/events/?type=nope"])
def test_it_is_public_and_cacheable_for_a_minute(client, url):
    response = client.get(url)
    assert response["Cache-Control"] == "public, max-age=60"
    assert response["Access-Control-Allow-Origin"] == "*"


def _busy_events(count: int) -> Storyline:
    storyline = Storyline.objects.get_or_create(slug="busy", defaults={"title": "Busy"})[0]
    lab = make_company(name="Busy Lab")
    for _ in range(count):
        event = make_event()
        involve(event, lab, "company")
        involve(event, make_person(), "person")
        cite(event)
        cite(event, start=50, end=80)
        place(storyline, event)
    return storyline


@pytest.mark.parametrize("count", [2, 30])
def test_it_reads_an_event_page_in_four_queries_whatever_its_size(
    client, count, django_assert_max_num_queries
):
    _busy_events(count)
    with django_assert_max_num_queries(4):
        assert len(ids(client.get("/api/events/"))) == count


@pytest.mark.parametrize("count", [2, 30])
def test_it_reads_a_filtered_page_in_six_queries(client, count, django_assert_max_num_queries):
    _busy_events(count)
    lab = make_company(name="Busy Lab", slug="busy-lab")
    involve(Event.objects.first(), lab, "partner")
    cursor = client.get("/api/events/?limit=1").json()["next"].split("cursor=")[1]
    url = f"/api/events/?storyline=busy&entity=busy-lab&type=hire&cursor={cursor}"
    with django_assert_max_num_queries(6):
        client.get(url)


def test_it_reads_a_storyline_page_in_five_queries(client, django_assert_max_num_queries):
    _busy_events(20)
    with django_assert_max_num_queries(5):
        assert len(client.get("/api/storylines/busy/").json()["events"]) == 20


def test_it_lists_entities_by_name_with_aliases(client):
    lab = make_company(name="Beta Lab")
    make_alias(lab, "BL")
    make_alias(lab, "Beta")
    make_person(name="Alan Turing")
    body = client.get("/api/entities/").json()
    assert [e["name"] for e in body["results"]] == ["Alan Turing", "Beta Lab"]
    assert body["results"][1]["aliases"] == ["BL", "Beta"]
    assert body["results"][1]["url"] == f"{API}entities/{lab.slug}/"


def test_it_filters_entities_by_type(client):
    make_company()
    person, cluster = make_person(), make_cluster()
    names = client.get("/api/entities/?type=person&type=cluster").json()["results"]
    assert {e["slug"] for e in names} == {person.slug, cluster.slug}


def test_it_finds_entities_by_any_alias_in_any_case(client):
    lab = make_company(name="Frontier Research Inc")
    make_alias(lab, "FRI")
    make_company(name="Unrelated")
    assert [e["slug"] for e in client.get("/api/entities/?q=fri").json()["results"]] == [lab.slug]
    assert [e["slug"] for e in client.get("/api/entities/?q=SEARCH").json()["results"]] == [
        lab.slug
    ]


def test_it_walks_every_entity_once(client):
    made = [make_company(name=f"Lab {n % 3}") for n in range(8)]
    rows, pages = walk(client, "/api/entities/?limit=3")
    assert sorted(r["slug"] for r in rows) == sorted(e.slug for e in made)
    assert len(rows) == 8 and pages == 3


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("type=robot", "type"), ("q=" + "x" * 201, "q"), ("limit=many", "limit"), ("name=x", "name")],
)
def test_it_refuses_bad_entity_filters(client, query, parameter):
    assert error_of(client.get(f"/api/entities/?{query}"), 400).startswith(f"{parameter}: ")


def test_it_shows_a_company_with_its_parent(client, django_assert_max_num_queries):
    parent = make_company(name="Holding")
    lab = make_company(name="Lab", kind="ai_lab", parent=parent, founded=date(2023, 3, 1))
    make_alias(lab, "The Lab")
    with django_assert_max_num_queries(4):
        body = client.get(f"/api/entities/{lab.slug}/").json()
    assert body["type"] == "company" and body["kind"] == "ai_lab"
    assert body["aliases"] == ["The Lab"] and body["founded"] == "2023-03-01"
    assert body["parent"]["slug"] == parent.slug and body["successor"] is None
    assert body["events"] == f"{API}events/?entity={lab.slug}"


def test_it_shows_a_person_with_their_career(client, django_assert_max_num_queries):
    person, lab, rival = make_person(), make_company(name="Lab"), make_company(name="Rival")
    make_affiliation(person, lab, title="Researcher", start=date(2020, 1, 1), destination=rival)
    with django_assert_max_num_queries(4):
        body = client.get(f"/api/entities/{person.slug}/").json()
    (career,) = body["affiliations"]
    assert career["company"]["slug"] == lab.slug and career["title"] == "Researcher"
    assert career["start"] == "2020-01-01" and career["end"] is None
    assert career["destination"]["slug"] == rival.slug


def test_it_shows_a_cluster_with_its_observations(client, django_assert_max_num_queries):
    owner = make_company(name="Owner")
    cluster = make_cluster(owner=owner, city="Springfield", power_mw="150.5")
    make_observation(cluster, as_of=date(2024, 9, 1), gpus=100_000)
    make_observation(cluster, as_of=date(2025, 2, 1), gpus=200_000)
    with django_assert_max_num_queries(4):
        body = client.get(f"/api/entities/{cluster.slug}/").json()
    assert body["owner"]["slug"] == owner.slug and body["power_mw"] == 150.5
    assert [o["gpus"] for o in body["observations"]] == [100_000, 200_000]


def test_it_lists_storylines_by_title(client):
    make_storyline(slug="b", title="Beta", event_count=3, last_event_date=date(2025, 1, 2))
    make_storyline(slug="a", title="Alpha")
    rows, _ = walk(client, "/api/storylines/?limit=1")
    assert [s["slug"] for s in rows] == ["a", "b"]
    assert rows[1]["event_count"] == 3 and rows[1]["last_event_date"] == "2025-01-02"
    assert rows[1]["url"] == f"{API}storylines/b/"


def test_it_shows_a_storyline_in_timeline_order(client):
    storyline = make_storyline()
    late = make_event(date=date(2025, 3, 1))
    unplaced = make_event(date=date(2025, 2, 1))
    second = make_event(date=date(2025, 2, 1))
    first = make_event(date=date(2025, 2, 1))
    early = make_event(date=date(2024, 1, 1))
    place(storyline, late)
    place(storyline, unplaced)
    place(storyline, second, order=2, note="then this")
    place(storyline, first, order=1)
    place(storyline, early, origin="pinned")
    place(storyline, make_event(date=date(2024, 6, 1)), origin="excluded")
    body = client.get("/api/storylines/talent-wars/").json()
    assert body["title"] == "Talent wars" and body["next"] is None
    expected = [early.pk, first.pk, second.pk, unplaced.pk, late.pk]
    assert [e["id"] for e in body["events"]] == expected
    assert body["events"][2]["note"] == "then this"
    rows, pages = walk(client, "/api/storylines/talent-wars/?limit=2")
    assert [e["id"] for e in rows] == expected and pages == 3


def test_it_refuses_a_bad_cursor_on_a_storyline(client):
    make_storyline()
    response = client.get("/api/storylines/talent-wars/?cursor=e30")
    assert error_of(response, 400).startswith("cursor: ")
