"""An entity's page: a company, a person or a compute cluster."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from apps.entities.models import Entity
from apps.events.models import Event
from apps.events.selectors import NEWEST_FIRST, EventFilter, filter_events, with_related

EVENTS_PAGE = 40


@require_GET
def entity(request: HttpRequest, slug: str) -> HttpResponse:
    """An entity's profile, aliases and latest events."""
    found = get_object_or_404(Entity, slug=slug)
    events = filter_events(Event.objects.visible(), EventFilter(entity_ids=(found.id,)))
    rows, _ = NEWEST_FIRST.page(with_related(events), cursor="", limit=EVENTS_PAGE)
    context = {
        "entity": found,
        "aliases": list(found.aliases.order_by("text").values_list("text", flat=True)),
        "events": rows,
    }
    return render(request, "dashboard/entity.html", context)
