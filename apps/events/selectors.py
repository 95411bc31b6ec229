"""Reads shared by the API, the pages and the digests."""

from django.db.models import F, QuerySet

from apps.events.models import Event, Storyline, StorylineEvent


def storyline_events(storyline: Storyline) -> QuerySet[Event]:
    """The storyline's events in timeline order: by date, then a curator's order among events of
    the same date; rule-selected and pinned, never excluded, rejected or merged away."""
    return (
        Event.objects.visible()
        .filter(
            storyline_entries__storyline=storyline,
            storyline_entries__origin__in=[
                StorylineEvent.Origin.RULE,
                StorylineEvent.Origin.PINNED,
            ],
        )
        .annotate(
            timeline_order=F("storyline_entries__order"),
            storyline_note=F("storyline_entries__note"),
        )
        .order_by("date", F("timeline_order").asc(nulls_last=True), "id")
    )
