"""Search: articles by full text, entities by any of their names, events by their summary."""

from django.db import connection
from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from apps.dashboard.forms import SearchForm
from apps.dashboard.http import HtmxHttpRequest
from apps.entities.models import Alias, Entity
from apps.events.models import Event, EventParticipant, StorylineEvent
from apps.sources.search import CONFIG, query_terms, search_articles

ARTICLES = 10
ENTITIES = 10
EVENTS = 10
# Shorter words of a longer query ("of", "x") would name half the entities.
WORD_MIN = 3


@require_GET
@vary_on_headers("HX-Request")
def search(request: HtmxHttpRequest) -> HttpResponse:
    """The results for `q`; as the `search-results` fragment when htmx asks (live search).

    Three queries whatever is found (four on PostgreSQL): articles, entities, events."""
    form = SearchForm(request.GET)
    template = "dashboard/search.html"
    if request.htmx.target == "search-results":
        template += "#search-results"
    if not form.is_valid():
        return render(request, template, {"form": form, "query": ""}, status=400)
    query = form.cleaned_data["q"]
    context: dict[str, object] = {"form": form, "query": query}
    if query:
        articles = search_articles(query, limit=ARTICLES)
        context |= {
            "articles": articles.hits,
            "articles_capped": articles.capped,
            "entities": list(_entities(query)),
            "events": list(_events(query)),
        }
    return render(request, template, context)


def _entities(query: str) -> QuerySet[Entity]:
    """Entities with an alias (their own name is one) holding the whole query or starting
    with one of its words; each once, with the alias that matched. An alias that starts
    with the whole query first, then one that holds it, then a word's."""
    words = [term for term in query_terms(query)[0] if len(term) >= WORD_MIN]
    by_word = Q()
    for word in words:
        by_word |= Q(text__istartswith=word)
    aliases = Alias.objects.filter(entity=OuterRef("pk"))
    holding = aliases.filter(text__icontains=query)
    matching = aliases.filter(Q(text__icontains=query) | by_word)
    return (
        Entity.objects.filter(Exists(matching))
        .annotate(
            starts=Exists(holding.filter(text__istartswith=query)),
            holds=Exists(holding),
            matched=Subquery(matching.order_by("text").values("text")[:1]),
        )
        .only("slug", "name", "type")
        .order_by("-starts", "-holds", "name", "id")[:ENTITIES]
    )


def _events(query: str) -> QuerySet[Event]:
    """The newest visible events whose summary matches the query, each with where it is
    shown: its first storyline, else its first participant's page."""
    storylines = StorylineEvent.objects.filter(
        event=OuterRef("pk"), origin__in=StorylineEvent.LISTED
    ).order_by("storyline__slug")
    participants = EventParticipant.objects.filter(event=OuterRef("pk")).order_by("role", "id")
    return (
        _matching_summaries(query)
        .annotate(
            storyline_slug=Subquery(storylines.values("storyline__slug")[:1]),
            storyline_title=Subquery(storylines.values("storyline__title")[:1]),
            entity_slug=Subquery(participants.values("entity__slug")[:1]),
            entity_name=Subquery(participants.values("entity__name")[:1]),
        )
        .only("type", "date", "date_precision", "date_is_estimate", "status", "summary")
        .order_by("-date", "-id")[:EVENTS]
    )


def _matching_summaries(query: str) -> QuerySet[Event]:
    """On PostgreSQL, full-text search as for articles; elsewhere, every word."""
    events = Event.objects.visible()
    if connection.vendor == "postgresql":
        return events.filter(summary_matches(query))
    wanted, excluded = query_terms(query)
    if not wanted:
        return events.none()
    for term in wanted:
        events = events.filter(summary__icontains=term)
    for term in excluded:
        events = events.exclude(summary__icontains=term)
    return events


def summary_matches(query: str) -> RawSQL:
    """An event's summary matches the query (PostgreSQL): the expression of the summaries'
    GIN index (apps/events migration 0004), repeated exactly so that the index serves it."""
    # Only the constant CONFIG is formatted in; the reader's words are a parameter.
    return RawSQL(  # noqa: S611
        f"to_tsvector('{CONFIG}'::regconfig, events_event.summary)"
        f" @@ websearch_to_tsquery('{CONFIG}'::regconfig, %s)",
        [query],
        output_field=BooleanField(),
    )
