"""Feeds out: Atom and RSS of the latest events of a storyline, an entity, an event type or the
whole desk, and the OPML of the feeds LabIntel reads (for staff).

Every feed is one `EventFeed` subclass whose `get_object` runs all the queries (the subject,
then the latest events with what they show, in a fixed number of queries) and hands Django's
syndication framework a `Subject` to read. Links are built from `settings.SITE_URL`, never
from the request's Host: a feed is cached and re-served by readers and aggregators, so a
forged Host would otherwise reach every subscriber. Every string is cleaned of the characters
XML 1.0 cannot hold (Django's writer refuses them in text and lets them through attributes).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.html import escape
from django.utils.http import urlencode
from django.views.decorators.http import conditional_page, require_safe

from apps.common.dates import DatePrecision
from apps.common.html import clean_text
from apps.entities.models import Entity
from apps.events.models import Event, Storyline
from apps.events.selectors import (
    NEWEST_FIRST,
    EventFilter,
    filter_events,
    storyline_events,
    with_related,
)
from apps.events.vocabulary import EventType, Status
from apps.sources import services as sources

# A feed is a window on what is new, not an archive: readers keep what they have seen.
FEED_ITEMS = 50
FORMATS: dict[str, type[SyndicationFeed]] = {"atom": Atom1Feed, "rss": Rss201rev2Feed}
PRECISION_TEXT: dict[str, str] = {
    DatePrecision.DAY: "known to the day",
    DatePrecision.MONTH: "known to the month",
    DatePrecision.YEAR: "known to the year",
}


@dataclass(frozen=True)
class FeedItem:
    event: Event
    link: str  # the event on the page it belongs to, absolute


@dataclass(frozen=True)
class Subject:
    """What a feed follows, with everything its XML shows already loaded."""

    title: str
    description: str
    page: str  # the page that shows these events, absolute
    feeds: dict[str, str]  # format → this feed's own absolute URL
    items: list[FeedItem]


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def feed_urls(name: str, *args: str) -> dict[str, str]:
    """A subject's feeds in every format, absolute: feed_urls("storyline", slug)."""
    return {fmt: absolute(reverse(f"dashboard:{name}_{fmt}", args=args)) for fmt in FORMATS}


def latest_events(events: QuerySet[Event]) -> list[Event]:
    """The newest events, as every other listing orders them, with what an item shows: four
    queries whatever their number (the events, then participants, evidence and storylines)."""
    rows, _ = NEWEST_FIRST.page(with_related(events), cursor="", limit=FEED_ITEMS)
    return rows


def on_timeline(slug: str, event: Event) -> str:
    """The event on a storyline's timeline. The timeline reads oldest first one page at a time,
    so the link starts it at the event's date: the anchor is then on the first page."""
    query = urlencode({"since": event.date.isoformat()})
    return absolute(f"{reverse('dashboard:storyline', args=[slug])}?{query}#event-{event.id}")


def on_entity_page(slug: str, event: Event) -> str:
    return absolute(f"{reverse('dashboard:entity', args=[slug])}#event-{event.id}")


def home_of(event: Event) -> str:
    """Where an event is read in context when the feed follows no page of its own: its first
    storyline, else the page of its first participant, else its record in the API."""
    for entry in event.storyline_entries.all():
        return on_timeline(entry.storyline.slug, event)
    for participant in event.participants.all():
        return on_entity_page(participant.entity.slug, event)
    return absolute(reverse("api:event", args=[event.id]))


def date_text(event: Event) -> str:
    """The event's date as precise as it is known, and saying how precise: "Feb 2025 (known
    to the month)", "~10 Feb 2025 (estimated)"."""
    if event.date_is_estimate:
        return f"{event.date_display} (estimated)"
    return f"{event.date_display} ({PRECISION_TEXT.get(event.date_precision, 'known')})"


def event_title(event: Event) -> str:
    """One line; a rumour or a denial says so first, since many readers show only titles."""
    text = clean_text(event.summary or str(event), single_line=True)
    if event.status != Status.CONFIRMED:
        return f"{event.get_status_display()}: {text}"
    return text


def web_url(url: str) -> str:
    """An outlet's link only if it is http(s): a feed reader may not sanitise what it shows."""
    return url if url.lower().startswith(("http://", "https://")) else ""


class EventFeed(Feed):
    """The latest events of a subject as Atom or RSS (one instance per format)."""

    author_name = "LabIntel"

    def __init__(self, fmt: str) -> None:
        self.format = fmt
        self.feed_type = FORMATS[fmt]

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Subject:
        raise NotImplementedError

    def title(self, subject: Subject) -> str:
        return clean_text(f"{subject.title} · LabIntel", single_line=True)

    def description(self, subject: Subject) -> str:
        return clean_text(subject.description, single_line=True)

    subtitle = description

    def link(self, subject: Subject) -> str:
        return subject.page

    def feed_url(self, subject: Subject) -> str:
        return subject.feeds[self.format]

    def feed_guid(self, subject: Subject) -> str:
        # Not the page: the type feeds and the latest-events feed all point at the home page.
        return subject.feeds["atom"]

    def items(self, subject: Subject) -> list[FeedItem]:
        return subject.items

    def item_title(self, item: FeedItem) -> str:
        title = event_title(item.event)
        # RSS titles are read as HTML by many readers (Atom's are plain text): escape them once
        # more, as Django does by default, so "<b>" reads as "<b>" there too.
        return escape(title) if self.format == "rss" else title

    def item_description(self, item: FeedItem) -> str:
        event = item.event
        context = {
            "event": event,
            "date": date_text(event),
            "link": item.link,
            "participants": [
                (p.get_role_display(), p.entity.name, on_entity_page(p.entity.slug, event))
                for p in event.participants.all()
            ],
            "sources": [
                {
                    "sentence": e.sentence,
                    "outlet": e.article.source.title or e.article.source.feed_url,
                    "url": web_url(e.article.url),
                    "published": e.article.published_at,
                    "status": e.get_status_display() if e.status != Status.CONFIRMED else "",
                }
                for e in event.evidence.all()
            ],
        }
        return clean_text(render_to_string("dashboard/feed_item.html", context))

    def item_link(self, item: FeedItem) -> str:
        return item.link

    def item_guid(self, item: FeedItem) -> str:
        # One id wherever the event appears (storyline, entity and type feeds, and the API).
        return absolute(reverse("api:event", args=[item.event.id]))

    item_guid_is_permalink = False

    def item_pubdate(self, item: FeedItem) -> datetime.datetime:
        # When LabIntel published the event; the date it happened is in the text.
        return item.event.created_at

    def item_updateddate(self, item: FeedItem) -> datetime.datetime:
        return item.event.updated_at

    def item_categories(self, item: FeedItem) -> list[str]:
        return [item.event.get_type_display(), item.event.get_status_display()]


class StorylineFeed(EventFeed):
    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Subject:
        storyline = Storyline.objects.get(slug=kwargs["slug"])
        slug = storyline.slug
        return Subject(
            title=storyline.title,
            description=storyline.description or f"The events of the storyline {storyline}.",
            page=absolute(reverse("dashboard:storyline", args=[slug])),
            feeds=feed_urls("storyline", slug),
            items=[
                FeedItem(event, on_timeline(slug, event))
                for event in latest_events(storyline_events(storyline))
            ],
        )


class EntityFeed(EventFeed):
    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Subject:
        entity = Entity.objects.get(slug=kwargs["slug"])
        events = filter_events(Event.objects.visible(), EventFilter(entity_ids=(entity.id,)))
        return Subject(
            title=entity.name,
            description=f"Events involving {entity} ({entity.get_type_display().lower()}).",
            page=absolute(reverse("dashboard:entity", args=[entity.slug])),
            feeds=feed_urls("entity", entity.slug),
            items=[
                FeedItem(event, on_entity_page(entity.slug, event))
                for event in latest_events(events)
            ],
        )


class EventTypeFeed(EventFeed):
    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Subject:
        if kwargs["type"] not in EventType.values:
            raise Http404("No such event type.")
        kind = EventType(kwargs["type"])
        events = filter_events(Event.objects.visible(), EventFilter(types=(kind.value,)))
        return Subject(
            title=f"{kind.label} events",
            description=f"Every {kind.label.lower()} LabIntel has found, newest first.",
            page=absolute(reverse("dashboard:home")),
            feeds=feed_urls("event_type", kind.value),
            items=[FeedItem(event, home_of(event)) for event in latest_events(events)],
        )


class LatestFeed(EventFeed):
    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Subject:
        # As the home page that links it: confirmed events only.
        events = filter_events(Event.objects.visible(), EventFilter(statuses=(Status.CONFIRMED,)))
        return Subject(
            title="Latest confirmed events",
            description="The confirmed events LabIntel has found, newest first.",
            page=absolute(reverse("dashboard:home")),
            feeds=feed_urls("latest"),
            items=[FeedItem(event, home_of(event)) for event in latest_events(events)],
        )


def feed_view(feed: EventFeed) -> Callable[..., HttpResponse]:
    """GET and HEAD only, and 304 Not Modified for a reader that already has this version."""
    view: Callable[..., HttpResponse] = require_safe(conditional_page(feed))
    return view


@require_safe
@staff_member_required
def sources_opml(request: HttpRequest) -> HttpResponse:
    """The feeds LabIntel reads, as OPML, for staff allowed to see sources (as in the admin)."""
    if not request.user.has_perm("sources.view_source"):
        raise PermissionDenied
    response = HttpResponse(sources.export_opml(), content_type="text/x-opml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="labintel-sources.opml"'
    return response
