"""Feeds out: Atom and RSS of storylines, entities, event types and the latest events, read back
with feedparser and strict XML parsers; and the staff-only OPML of the sources."""

import datetime
import html
import io
import re

import feedparser
import pytest
from defusedxml.ElementTree import fromstring as defused_fromstring
from django.contrib.auth.models import Permission, User
from lxml import etree

from apps.dashboard import feeds
from apps.events.models import Event, StorylineEvent
from apps.events.services.storylines import refresh_storyline
from apps.sources.models import Source
from apps.sources.parsers.opml import parse_opml
from tests.entities.builders import (
    make_article,
    make_company,
    make_event,
    make_evidence,
    make_person,
    make_storyline,
)

pytestmark = pytest.mark.django_db
SITE = "https://labintel.example"
HOSTILE = "<script>alert(1)</script> ]]> \x07\x0b\x1b"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def lab():
    return make_company(name="Halcyon Labs", slug="halcyon")


@pytest.fixture
def exodus(lab):
    return make_storyline(
        [{"types": ["departure"], "entities": ["halcyon"], "roles": ["from_company"]}],
        title="Halcyon exodus",
        slug="halcyon-exodus",
        description="Who left Halcyon, and when.",
    )


def departure(lab, name: str, day: datetime.date, **overrides):
    person = make_person(name=name)
    overrides.setdefault("summary", f"{name} left")
    event = make_event((person, "person"), (lab, "from_company"), date=day, **overrides)
    outlet = Source.objects.get_or_create(
        feed_url="https://wire.example/feed.xml", defaults={"title": "The Wire"}
    )[0]
    article = make_article(source=outlet, url=f"https://wire.example/{name.lower()}")
    make_evidence(event, article, sentence=f"{name} has left Halcyon Labs.")
    return event


def parse(body: bytes) -> feedparser.FeedParserDict:
    # Strictly well-formed first: feedparser alone would forgive a broken document.
    etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
    defused_fromstring(body, forbid_dtd=True)
    parsed = feedparser.parse(io.BytesIO(body))
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def read(client, url: str) -> feedparser.FeedParserDict:
    response = client.get(url)
    assert response.status_code == 200, url
    return parse(response.content)


def self_link(parsed) -> str:
    return next(link.href for link in parsed.feed.links if link.rel == "self")


def test_it_serves_a_storyline_as_atom_newest_first_with_links_to_the_timeline(client, lab, exodus):
    early = departure(lab, "Ada", datetime.date(2025, 2, 10))
    late = departure(lab, "Cy", datetime.date(2026, 3, 1), date_precision="month")
    refresh_storyline(exodus)

    response = client.get("/storylines/halcyon-exodus/feed.atom")
    parsed = parse(response.content)

    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert parsed.version == "atom10"
    assert parsed.feed.title == "Halcyon exodus · LabIntel"
    assert parsed.feed.subtitle == "Who left Halcyon, and when."
    assert parsed.feed.link == f"{SITE}/storylines/halcyon-exodus/"
    assert self_link(parsed) == f"{SITE}/storylines/halcyon-exodus/feed.atom"
    assert [e.title for e in parsed.entries] == ["Cy left", "Ada left"]
    assert [e.link for e in parsed.entries] == [
        f"{SITE}/storylines/halcyon-exodus/?since=2026-03-01#event-{late.id}",
        f"{SITE}/storylines/halcyon-exodus/?since=2025-02-10#event-{early.id}",
    ]
    assert parsed.entries[0].id == f"{SITE}/api/events/{late.id}/"


def test_an_item_says_when_with_its_precision_and_cites_its_sources(client, lab, exodus):
    event = departure(lab, "Cy", datetime.date(2026, 3, 1), date_precision="month")
    departure(lab, "Bo", datetime.date(2025, 1, 1), date_precision="year", date_is_estimate=True)
    make_evidence(event, sentence="Cy may be leaving, a source said.", status="rumoured")
    found = datetime.datetime(2026, 3, 5, 9, tzinfo=datetime.UTC)
    revised = datetime.datetime(2026, 3, 7, 18, tzinfo=datetime.UTC)
    Event.objects.filter(id=event.id).update(created_at=found, updated_at=revised)
    refresh_storyline(exodus)

    cy, bo = read(client, "/storylines/halcyon-exodus/feed.atom").entries

    assert "Mar 2026 (known to the month)" in cy.summary
    assert "~2025 (estimated)" in bo.summary
    assert "Cy has left Halcyon Labs." in cy.summary
    assert '<a href="https://wire.example/cy">The Wire</a>' in cy.summary
    assert "Cy may be leaving, a source said." in cy.summary and "(Rumoured)" in cy.summary
    assert f'<a href="{SITE}/entities/halcyon/#event-{event.id}">Halcyon Labs</a>' in cy.summary
    assert [tag.term for tag in cy.tags] == ["Departure", "Confirmed"]
    # Published when LabIntel found it, updated when it last changed; the event's own date is
    # in the text, with its precision.
    assert cy.published_parsed[:5] == (2026, 3, 5, 9, 0)
    assert cy.updated_parsed[:5] == (2026, 3, 7, 18, 0)


def test_it_serves_the_same_storyline_as_rss(client, lab, exodus):
    event = departure(lab, "Ada", datetime.date(2025, 2, 10))
    refresh_storyline(exodus)
    StorylineEvent.objects.filter(event=event).update(note="The first to go.")

    response = client.get("/storylines/halcyon-exodus/feed.rss")
    parsed = parse(response.content)

    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert parsed.version == "rss20"
    assert parsed.feed.link == f"{SITE}/storylines/halcyon-exodus/"
    assert self_link(parsed) == f"{SITE}/storylines/halcyon-exodus/feed.rss"
    (entry,) = parsed.entries
    assert entry.title == "Ada left"
    assert entry.link == f"{SITE}/storylines/halcyon-exodus/?since=2025-02-10#event-{event.id}"
    assert entry.id == f"{SITE}/api/events/{event.id}/" and not entry.guidislink
    assert "10 Feb 2025 (known to the day)" in entry.summary
    assert "<em>Curator's note:</em> The first to go." in entry.summary
    assert [tag.term for tag in entry.tags] == ["Departure", "Confirmed"]


@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_an_entity_feed_lists_its_events_and_links_to_its_page(client, lab, fmt):
    other = make_company(name="Other Co", slug="other")
    first = departure(lab, "Ada", datetime.date(2025, 2, 10))
    second = departure(lab, "Cy", datetime.date(2026, 3, 2))
    make_event((other, "company"), summary="Not about Halcyon")

    parsed = read(client, f"/entities/halcyon/feed.{fmt}")

    assert parsed.feed.title == "Halcyon Labs · LabIntel"
    assert parsed.feed.link == f"{SITE}/entities/halcyon/"
    assert self_link(parsed) == f"{SITE}/entities/halcyon/feed.{fmt}"
    assert [(e.title, e.link) for e in parsed.entries] == [
        ("Cy left", f"{SITE}/entities/halcyon/#event-{second.id}"),
        ("Ada left", f"{SITE}/entities/halcyon/#event-{first.id}"),
    ]


@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_an_event_type_feed_links_each_event_to_its_storyline_or_its_entity(
    client, lab, exodus, fmt
):
    in_story = departure(lab, "Ada", datetime.date(2025, 2, 10))
    refresh_storyline(exodus)
    loose = make_event(
        (make_company(name="Buyer", slug="buyer"), "acquirer"),
        type="acquisition",
        summary="Buyer buys a shop",
        date=datetime.date(2026, 1, 5),
    )
    hire = make_event(
        (make_company(name="Hirer", slug="hirer"), "destination"),
        type="hire",
        summary="Hirer hires",
    )

    departures = read(client, f"/events/departure/feed.{fmt}")
    acquisitions = read(client, f"/events/acquisition/feed.{fmt}")

    assert departures.feed.title == "Departure events · LabIntel"
    assert self_link(departures) == f"{SITE}/events/departure/feed.{fmt}"
    assert [(e.title, e.link) for e in departures.entries] == [
        ("Ada left", f"{SITE}/storylines/halcyon-exodus/?since=2025-02-10#event-{in_story.id}")
    ]
    assert [(e.title, e.link) for e in acquisitions.entries] == [
        ("Buyer buys a shop", f"{SITE}/entities/buyer/#event-{loose.id}")
    ]
    assert hire.summary not in str(departures) + str(acquisitions)


@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_the_latest_feed_has_confirmed_events_as_the_home_page(client, lab, fmt):
    departure(lab, "Ada", datetime.date(2025, 2, 10))
    departure(lab, "Ru", datetime.date(2026, 1, 1), status="rumoured")

    parsed = read(client, f"/feed.{fmt}")

    assert parsed.feed.link == f"{SITE}/"
    assert self_link(parsed) == f"{SITE}/feed.{fmt}"
    assert [e.title for e in parsed.entries] == ["Ada left"]


def test_feed_ids_differ_between_feeds_that_share_a_page(client, lab):
    departure(lab, "Ada", datetime.date(2025, 2, 10))

    ids = {read(client, url).feed.id for url in ("/feed.atom", "/events/departure/feed.atom")}

    assert ids == {f"{SITE}/feed.atom", f"{SITE}/events/departure/feed.atom"}


@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_rumours_and_denials_say_so_and_rejected_or_merged_events_are_absent(
    client, lab, exodus, fmt
):
    departure(lab, "Ru", datetime.date(2026, 1, 4), status="rumoured")
    departure(lab, "De", datetime.date(2026, 1, 3), status="denied")
    kept = departure(lab, "Kept", datetime.date(2026, 1, 2))
    departure(lab, "Rejected", datetime.date(2026, 1, 1), rejected=True)
    departure(lab, "Merged", datetime.date(2026, 1, 1), merged_into=kept)
    refresh_storyline(exodus)
    StorylineEvent.objects.update(origin=StorylineEvent.Origin.PINNED)  # pinned: still hidden

    for url in (
        f"/storylines/halcyon-exodus/feed.{fmt}",
        f"/entities/halcyon/feed.{fmt}",
        f"/events/departure/feed.{fmt}",
    ):
        entries = read(client, url).entries
        assert [e.title for e in entries] == ["Rumoured: Ru left", "Denied: De left", "Kept left"]
        assert [t.term for t in entries[0].tags] == ["Departure", "Rumoured"]


@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_hostile_text_is_escaped_and_the_xml_stays_well_formed(
    client, lab, exodus, fmt, monkeypatch
):
    exodus.title = f"Exodus {HOSTILE}"
    exodus.save()
    event = departure(lab, "Ada", datetime.date(2025, 2, 10), summary=f"Ada {HOSTILE} left")
    Source.objects.filter(title="The Wire").update(title=f"Wire {HOSTILE}")
    make_evidence(event, sentence=f"Quote {HOSTILE}")
    refresh_storyline(exodus)
    # PostgreSQL refuses to store NUL, so it is slipped in after the events are loaded.
    load = feeds.latest_events

    def with_nul(events):
        rows = load(events)
        for row in rows:
            row.summary += "\x00"
            for evidence in row.evidence.all():
                evidence.sentence += "\x00"
        return rows

    monkeypatch.setattr("apps.dashboard.feeds.latest_events", with_nul)

    body = client.get(f"/storylines/halcyon-exodus/feed.{fmt}").content
    parsed = parse(body)

    assert b"<script" not in body and b"]]>" not in body
    assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", body)
    assert parsed.feed.title == "Exodus <script>alert(1)</script> ]]> · LabIntel"
    (entry,) = parsed.entries
    # RSS titles are escaped once more, since many readers take them for HTML (Atom's are text).
    title = entry.title if fmt == "atom" else html.unescape(entry.title)
    assert title == "Ada <script>alert(1)</script> ]]> left"
    assert "<script" not in entry.summary
    assert "Quote &lt;script&gt;alert(1)&lt;/script&gt; ]]&gt;" in entry.summary
    assert "Wire &lt;script&gt;" in entry.summary


def test_an_outlet_link_that_is_not_http_is_not_a_link(client, lab):
    event = make_event((lab, "company"), type="announcement", summary="News")
    make_evidence(event, make_article(url="javascript:alert(1)"), sentence="It said so.")

    body = client.get("/entities/halcyon/feed.atom").content

    assert b"javascript:" not in body and b"It said so." in body


def test_links_come_from_the_site_url_never_from_the_host(client, lab, exodus, settings):
    settings.ALLOWED_HOSTS = ["*"]
    departure(lab, "Ada", datetime.date(2025, 2, 10))
    refresh_storyline(exodus)

    for url in (
        "/feed.rss",
        "/storylines/halcyon-exodus/feed.atom",
        "/entities/halcyon/feed.rss",
        "/events/departure/feed.atom",
    ):
        body = client.get(url, HTTP_HOST="evil.example", secure=True).content
        assert b"evil.example" not in body
        urls = re.findall(rb'(?:href="|<link>|<guid[^>]*>|<id>)([^"<]+)', body)
        # Ours from the site URL; the rest are the outlets' articles.
        assert urls and all(u.startswith((SITE.encode(), b"https://wire.example/")) for u in urls)


def test_a_feed_holds_only_the_latest_items(client, lab, monkeypatch):
    monkeypatch.setattr("apps.dashboard.feeds.FEED_ITEMS", 2)
    for day in (1, 2, 3):
        departure(lab, f"P{day}", datetime.date(2026, 1, day))

    entries = read(client, "/entities/halcyon/feed.atom").entries

    assert [e.title for e in entries] == ["P3 left", "P2 left"]


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # The subject; the events and their participants, evidence and storylines.
        ("/storylines/halcyon-exodus/feed.atom", 5),
        ("/entities/halcyon/feed.rss", 5),
        ("/events/departure/feed.atom", 4),
        ("/feed.rss", 4),
    ],
)
def test_its_queries_are_fixed_whatever_the_events(
    client, lab, exodus, django_assert_num_queries, url, queries
):
    departure(lab, "First", datetime.date(2025, 1, 1))
    refresh_storyline(exodus)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    for day in range(1, 21):
        departure(lab, f"Person {day}", datetime.date(2026, 1, day))
    refresh_storyline(exodus)
    with django_assert_num_queries(queries):
        assert len(parse(client.get(url).content).entries) == 21


@pytest.mark.parametrize(
    "url",
    [
        "/storylines/nothing/feed.atom",
        "/storylines/nothing/feed.rss",
        "/entities/nobody/feed.atom",
        "/entities/nobody/feed.rss",
        "/events/nonsense/feed.atom",
        "/events/nonsense/feed.rss",
        "/events/departure/feed.json",
    ],
)
def test_unknown_subjects_are_404(client, url):
    assert client.get(url).status_code == 404


def test_it_answers_get_and_head_only_and_304_when_unchanged(client, lab):
    departure(lab, "Ada", datetime.date(2025, 2, 10))
    url = "/entities/halcyon/feed.atom"

    first = client.get(url)

    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert first["Last-Modified"]


def test_the_storyline_page_links_its_feeds(client, exodus):
    body = client.get("/storylines/halcyon-exodus/").content.decode()

    assert (
        '<link rel="alternate" type="application/atom+xml" title="Halcyon exodus (Atom)"'
        ' href="/storylines/halcyon-exodus/feed.atom">'
    ) in body
    assert (
        '<link rel="alternate" type="application/rss+xml" title="Halcyon exodus (RSS)"'
        ' href="/storylines/halcyon-exodus/feed.rss">'
    ) in body
    assert (
        '<a href="/storylines/halcyon-exodus/feed.atom" type="application/atom+xml">Feed</a>'
        in (body)
    )


def test_the_home_page_links_the_latest_feed_and_each_storyline_feed(client, exodus):
    body = client.get("/").content.decode()

    assert (
        'type="application/atom+xml" title="LabIntel: latest events (Atom)" href="/feed.atom"'
        in (body)
    )
    assert 'type="application/rss+xml" title="LabIntel: latest events (RSS)" href="/feed.rss"' in (
        body
    )
    assert 'title="Halcyon exodus (Atom)" href="/storylines/halcyon-exodus/feed.atom"' in body
    assert '<a href="/feed.atom" type="application/atom+xml">Feed</a>' in body
    assert "/sources.opml" not in body  # staff only


def test_every_linked_feed_answers(client, exodus):
    body = client.get("/storylines/halcyon-exodus/").content.decode()
    for href in re.findall(
        r'<link rel="alternate" type="[^"]+" title="[^"]*" href="([^"]+)"', body
    ):
        assert client.get(href).status_code == 200, href


# The OPML of the feeds LabIntel reads: staff who may see sources only.


def staff(client, *, may_view_sources: bool) -> User:
    user = User.objects.create_user("curator", password="pw", is_staff=True)
    if may_view_sources:
        user.user_permissions.set(Permission.objects.filter(codename="view_source"))
    client.force_login(user)
    return user


def test_the_opml_lists_the_active_sources_for_staff(client):
    Source.objects.create(feed_url="https://a.example/feed", title="A & <B>")
    Source.objects.create(feed_url="https://off.example/feed", is_active=False)
    staff(client, may_view_sources=True)

    response = client.get("/sources.opml")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/x-opml; charset=utf-8"
    etree.fromstring(response.content, etree.XMLParser(resolve_entities=False))
    feeds = parse_opml(response.content)
    assert [(f.feed_url, f.title) for f in feeds] == [("https://a.example/feed", "A & <B>")]


def test_the_opml_is_linked_from_the_home_page_for_staff(client):
    staff(client, may_view_sources=True)
    assert 'href="/sources.opml"' in client.get("/").content.decode()


def test_the_opml_sends_visitors_to_log_in(client):
    Source.objects.create(feed_url="https://a.example/feed")

    anonymous = client.get("/sources.opml")
    client.force_login(User.objects.create_user("reader", password="pw"))
    reader = client.get("/sources.opml")

    for response in (anonymous, reader):
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
        assert b"a.example" not in response.content


def test_the_opml_refuses_staff_who_may_not_see_sources(client):
    staff(client, may_view_sources=False)
    assert client.get("/sources.opml").status_code == 403


@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_a_subject_with_no_events_yet_has_a_valid_empty_feed(client, exodus, fmt):
    parsed = read(client, f"/storylines/halcyon-exodus/feed.{fmt}")
    assert parsed.entries == [] and parsed.feed.title == "Halcyon exodus · LabIntel"
