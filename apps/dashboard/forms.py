"""The query strings pages accept, checked before any query runs."""

import datetime
from calendar import monthrange
from typing import Any

from django import forms
from django.utils.http import urlencode

from apps.common.html import clean_text
from apps.common.keyset import BadCursor, Keyset
from apps.entities.models import Entity
from apps.events.moves import MoveFilter
from apps.events.selectors import ARTICLES_ABOUT, NEWEST_FIRST, TIMELINE, EventFilter
from apps.events.vocabulary import EventType, Status


class TimelineForm(forms.Form):
    """A timeline's filters and its "load more" cursor, as they appear in the URL."""

    type = forms.ChoiceField(choices=[("", "All types"), *EventType.choices], required=False)
    status = forms.ChoiceField(choices=[("", "Any status"), *Status.choices], required=False)
    entity = forms.SlugField(required=False, max_length=200)
    cofounders = forms.BooleanField(required=False, label="Its co-founders only")
    since = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )
    cursor = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def clean_entity(self) -> Entity | None:
        slug = self.cleaned_data["entity"]
        if not slug:
            return None
        entity = Entity.objects.filter(slug=slug).only("slug", "name").first()
        if entity is None:
            raise forms.ValidationError("No entity has this name in LabIntel.")
        return entity

    def clean_cursor(self) -> str:
        return _cursor_of(TIMELINE, self.cleaned_data["cursor"], "this timeline")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError("The start date is after the end date.")
        if data.get("cofounders") and not data.get("entity"):
            raise forms.ValidationError("Co-founders only needs an entity: whose co-founders?")
        return data

    def event_filter(self) -> EventFilter:
        data = self.cleaned_data
        entity = data["entity"]
        return EventFilter(
            types=(data["type"],) if data["type"] else (),
            statuses=(data["status"],) if data["status"] else (),
            since=data["since"],
            until=data["until"],
            entity_ids=(entity.id,) if entity else (),
            cofounders_of=entity.id if entity and data["cofounders"] else None,
        )

    def filter_query(self) -> str:
        """The filters alone (no cursor), for links that keep them."""
        data = self.cleaned_data
        shown = {
            "type": data["type"],
            "status": data["status"],
            "entity": data["entity"].slug if data["entity"] else "",
            "cofounders": "1" if data["cofounders"] else "",
            "since": data["since"].isoformat() if data["since"] else "",
            "until": data["until"].isoformat() if data["until"] else "",
        }
        return urlencode({name: value for name, value in shown.items() if value})


# The talent flow's "not known yet" node as a `to` value: not a slug, so no entity can have it.
UNKNOWN_DESTINATION = "~unknown"
_PERIOD_MONTHS = {"12m": 12, "24m": 24}


class TalentForm(forms.Form):
    """The talent flow's filters: a period (a preset, dates, or both: both apply) and the company
    left and the one joined (`from`, `to`; `to=~unknown` for moves whose destination is not
    known yet)."""

    period = forms.ChoiceField(
        choices=[("", "All time"), ("12m", "Last 12 months"), ("24m", "Last 2 years")],
        required=False,
    )
    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    # `from` is a Python keyword: the field is `from_`, its name in the URL `from`.
    from_ = forms.CharField(required=False, max_length=200, label="Left")
    to = forms.CharField(required=False, max_length=200, label="Went to")
    # The entities `from` and `to` name, once the form is clean.
    source: Entity | None = None
    destination: Entity | None = None

    def add_prefix(self, field_name: str) -> str:
        return super().add_prefix(field_name.rstrip("_"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError("The start date is after the end date.")
        wanted = {data.get("from_"), data.get("to")} - {None, "", UNKNOWN_DESTINATION}
        found = {e.slug: e for e in Entity.objects.filter(slug__in=wanted).only("slug", "name")}
        for name in ("from_", "to"):
            slug = data.get(name)
            if slug and slug != UNKNOWN_DESTINATION and slug not in found:
                self.add_error(name, "No company has this name in LabIntel.")
        self.source = found.get(data.get("from_") or "")
        self.destination = found.get(data.get("to") or "")
        return data

    def period_start(self, today: datetime.date) -> datetime.date | None:
        """The later of the preset's start and the `since` date."""
        months = _PERIOD_MONTHS.get(self.cleaned_data["period"])
        starts = [_months_before(today, months) if months else None, self.cleaned_data["since"]]
        return max((day for day in starts if day), default=None)

    def move_filter(self, today: datetime.date) -> MoveFilter:
        return MoveFilter(
            since=self.period_start(today),
            until=self.cleaned_data["until"],
            source_id=self.source.id if self.source else None,
            destination_id=self.destination.id if self.destination else None,
            destination_unknown=self.cleaned_data["to"] == UNKNOWN_DESTINATION,
        )

    def query(self, **changes: str) -> str:
        """The filters as a query string, with some changed (`from_` for `from`; "" drops)."""
        data = self.cleaned_data
        shown = {
            "period": data["period"],
            "since": data["since"].isoformat() if data["since"] else "",
            "until": data["until"].isoformat() if data["until"] else "",
            "from": data["from_"],
            "to": data["to"],
        } | {name.rstrip("_"): value for name, value in changes.items()}
        return urlencode({name: value for name, value in shown.items() if value})


def _months_before(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return datetime.date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


class EntityPageForm(forms.Form):
    """Where an entity page's two lists start: its events and its articles ("load more")."""

    events = forms.CharField(required=False, max_length=200)
    articles = forms.CharField(required=False, max_length=200)

    def clean_events(self) -> str:
        return _cursor_of(NEWEST_FIRST, self.cleaned_data["events"], "this entity's events")

    def clean_articles(self) -> str:
        return _cursor_of(ARTICLES_ABOUT, self.cleaned_data["articles"], "this entity's articles")

    def query(self, **changes: str) -> str:
        """Both cursors as a query string, with some changed ("" drops one)."""
        shown = {"events": self.cleaned_data["events"], "articles": self.cleaned_data["articles"]}
        return urlencode({name: value for name, value in (shown | changes).items() if value})


def _cursor_of(keyset: Keyset, value: str, listing: str) -> str:
    """A "load more" cursor of this listing, or a clear refusal."""
    if value:
        try:
            keyset.decode(value)
        except BadCursor:
            raise forms.ValidationError(f"This is not a place in {listing}.") from None
    return value


class SearchForm(forms.Form):
    """What a reader searches for: any words, in the syntax of a web search engine."""

    q = forms.CharField(
        required=False,
        max_length=200,
        label="Search",
        error_messages={
            "max_length": "Searches are at most %(limit_value)d characters (this one has "
            "%(show_value)d). Fewer, more telling words work better."
        },
    )

    def clean_q(self) -> str:
        # One line, no control characters (PostgreSQL refuses NUL; the form already says so).
        return clean_text(self.cleaned_data["q"], single_line=True)
