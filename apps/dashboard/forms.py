"""The query strings pages accept, checked before any query runs."""

from typing import Any

from django import forms
from django.utils.http import urlencode

from apps.common.keyset import BadCursor
from apps.entities.models import Entity
from apps.events.selectors import TIMELINE, EventFilter
from apps.events.vocabulary import EventType, Status


class TimelineForm(forms.Form):
    """A timeline's filters and its "load more" cursor, as they appear in the URL."""

    type = forms.ChoiceField(choices=[("", "All types"), *EventType.choices], required=False)
    status = forms.ChoiceField(choices=[("", "Any status"), *Status.choices], required=False)
    entity = forms.SlugField(required=False, max_length=200)
    cofounders = forms.BooleanField(required=False, label="Its co-founders only")
    since = forms.DateField(required=False, label="From")
    until = forms.DateField(required=False, label="To")
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
        value: str = self.cleaned_data["cursor"]
        if value:
            try:
                TIMELINE.decode(value)
            except BadCursor:
                raise forms.ValidationError("This is not a place in this timeline.") from None
        return value

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
