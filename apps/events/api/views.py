"""The API's views: read the query string, run a fixed number of queries, answer JSON."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict

from apps.common.keyset import Key, Keyset, as_int, as_str
from apps.entities.models import Affiliation, Alias, Company, ComputeCluster, Entity, Person
from apps.events.api import http, params
from apps.events.api.params import ApiError
from apps.events.api.serialise import (
    JSON,
    Links,
    affiliation_json,
    cluster_json,
    company_json,
    entity_summary_json,
    event_json,
    storyline_json,
)
from apps.events.models import Event, Storyline
from apps.events.selectors import (
    NEWEST_FIRST,
    TIMELINE,
    EventFilter,
    filter_events,
    storyline_events,
    with_related,
)
from apps.events.vocabulary import EventType, Role, Status

View = Callable[..., HttpResponse]
PAGING = ("limit", "cursor")
EVENT_FILTERS = ("storyline", "entity", "type", "status", "since", "until")
ENTITY_FILTERS = ("type", "q")
_MAX_Q = 200

ENTITIES = Keyset("entities", [Key("name", False, as_str), Key("id", False, as_int)])
STORYLINES = Keyset("storylines", [Key("title", False, as_str), Key("id", False, as_int)])


@http.api_view
def index(request: HttpRequest) -> HttpResponse:
    links = Links(request)
    paging = {"limit": f"1 to {params.MAX_LIMIT}, default {params.DEFAULT_LIMIT}",
              "cursor": "opaque; follow the `next` URL of the previous page"}  # fmt: skip
    return http.json(
        {
            "name": "LabIntel API",
            "version": 1,
            "documentation": "README.md, section 'JSON API'",
            "endpoints": {
                "events": {
                    "url": f"{links.root}events/",
                    "item": f"{links.root}events/{{id}}/",
                    "order": "newest first (date, then id, descending)",
                    "filters": {
                        "storyline": "storyline slug; repeatable (any of)",
                        "entity": "entity slug of a participant; repeatable (any of)",
                        "type": "event type; repeatable (any of)",
                        "status": "event status; repeatable (any of)",
                        "since": "YYYY-MM-DD, inclusive",
                        "until": "YYYY-MM-DD, inclusive",
                    }
                    | paging,
                },
                "entities": {
                    "url": f"{links.root}entities/",
                    "item": f"{links.root}entities/{{slug}}/",
                    "order": "by name",
                    "filters": {
                        "type": "company, person or cluster; repeatable (any of)",
                        "q": "a substring of the name or of any alias, any case",
                    }
                    | paging,
                },
                "storylines": {
                    "url": f"{links.root}storylines/",
                    "item": f"{links.root}storylines/{{slug}}/",
                    "order": "by title; an item's events in timeline order",
                    "filters": paging,
                },
            },
            "vocabulary": {
                "event_types": EventType.values,
                "event_statuses": Status.values,
                "roles": Role.values,
                "entity_types": Entity.Type.values,
            },
        }
    )


def _event_filter(query: QueryDict) -> EventFilter:
    since, until = params.day(query, "since"), params.day(query, "until")
    if since and until and since > until:
        raise params.bad("since", "is after until")
    storylines = params.values(query, "storyline")
    entities = params.values(query, "entity")
    return EventFilter(
        types=tuple(params.choices(query, "type", EventType.values)),
        statuses=tuple(params.choices(query, "status", Status.values)),
        since=since,
        until=until,
        storyline_ids=tuple(http.ids_by_slug(Storyline, query, "storyline") if storylines else ()),
        entity_ids=tuple(http.ids_by_slug(Entity, query, "entity") if entities else ()),
    )


@http.api_view
def events(request: HttpRequest) -> HttpResponse:
    params.check_known(request.GET, EVENT_FILTERS + PAGING)
    found = filter_events(Event.objects.visible(), _event_filter(request.GET))
    rows, cursor = http.page(request, NEWEST_FIRST, with_related(found))
    links = Links(request)
    return http.listing(request, [event_json(e, links) for e in rows], cursor)


@http.api_view
def event(request: HttpRequest, pk: int) -> HttpResponse:
    params.check_known(request.GET, ())
    found = with_related(Event.objects.visible().filter(pk=pk)).first()
    links = Links(request)
    if found is not None:
        return http.json(event_json(found, links))
    # A merged event's old URL still leads somewhere: the event that absorbed it.
    survivor = Event.objects.filter(pk=pk, rejected=False).values_list("merged_into", flat=True)
    merged_into = survivor.first()
    if merged_into is not None:
        return http.error(404, f"event {pk} was merged", merged_into=links.event(merged_into))
    raise ApiError(404, f"no event {pk}")


@http.api_view
def entities(request: HttpRequest) -> HttpResponse:
    query = request.GET
    params.check_known(query, ENTITY_FILTERS + PAGING)
    found = Entity.objects.only("slug", "name", "type")
    types = params.choices(query, "type", Entity.Type.values)
    if types:
        found = found.filter(type__in=types)
    text = params.single(query, "q")
    if len(text) > _MAX_Q:
        raise params.bad("q", f"longer than {_MAX_Q} characters")
    if text:
        aliases = Alias.objects.filter(entity=OuterRef("pk"), text__icontains=text)
        found = found.filter(Q(name__icontains=text) | Exists(aliases))
    names = Prefetch("aliases", queryset=Alias.objects.only("entity_id", "text"))
    rows, cursor = http.page(request, ENTITIES, found.prefetch_related(names))
    links = Links(request)
    return http.listing(request, [entity_summary_json(e, links) for e in rows], cursor)


def _entity_kind(entity_type: str) -> tuple[QuerySet[Any], Callable[[Any, Links], JSON]]:
    """The subclass row with what its JSON needs loaded, and the function that shows it."""
    if entity_type == Entity.Type.COMPANY:
        return Company.objects.select_related("parent", "successor"), company_json
    if entity_type == Entity.Type.CLUSTER:
        clusters = ComputeCluster.objects.select_related("owner")
        return clusters.prefetch_related("observations"), cluster_json
    career = Affiliation.objects.select_related("company", "destination")
    people = Person.objects.prefetch_related(Prefetch("affiliations", queryset=career))
    return people, _person_json


def _person_json(person: Person, links: Links) -> JSON:
    return {"affiliations": [affiliation_json(a, links) for a in person.affiliations.all()]}


@http.api_view
def entity(request: HttpRequest, slug: str) -> HttpResponse:
    params.check_known(request.GET, ())
    # Two steps: the kind decides which table to read and what to load with it.
    kind = Entity.objects.filter(slug=slug).values_list("type", flat=True).first()
    rows, show = _entity_kind(kind or "")
    found = rows.prefetch_related("aliases").filter(slug=slug).first() if kind else None
    if found is None:
        raise ApiError(404, f"no entity with slug {slug!r}")
    links = Links(request)
    return http.json(
        entity_summary_json(found, links)
        | {
            "description": found.description,
            "source_urls": found.source_urls,
            "events": f"{links.root}events/?{urlencode({'entity': found.slug})}",
        }
        | show(found, links)
    )


@http.api_view
def storylines(request: HttpRequest) -> HttpResponse:
    params.check_known(request.GET, PAGING)
    rows, cursor = http.page(request, STORYLINES, Storyline.objects.all())
    links = Links(request)
    return http.listing(request, [storyline_json(s, links) for s in rows], cursor)


@http.api_view
def storyline(request: HttpRequest, slug: str) -> HttpResponse:
    params.check_known(request.GET, PAGING)
    found = Storyline.objects.filter(slug=slug).first()
    if found is None:
        raise ApiError(404, f"no storyline with slug {slug!r}")
    rows, cursor = http.page(request, TIMELINE, with_related(storyline_events(found)))
    links = Links(request)
    shown = [event_json(e, links) | {"note": e.storyline_note} for e in rows]
    return http.json(
        storyline_json(found, links) | {"events": shown, "next": http.next_url(request, cursor)}
    )


@http.api_view
def not_found(request: HttpRequest) -> HttpResponse:
    raise ApiError(404, f"no such endpoint: {request.path}; see {Links(request).root}")
