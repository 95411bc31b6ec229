"""The subscribe form (public, on every page that can be followed) and the manage form."""

from typing import Any

from django import forms

from apps.digests.models import Subscriber
from apps.digests.schedule import zone_names
from apps.entities.models import Entity
from apps.events.models import Storyline
from apps.events.vocabulary import EventType

HONEYPOT = "website"


def normalise_email(value: str) -> str:
    """One spelling per mailbox: the whole address lower-cased (no provider we send to treats
    the local part's case as meaningful)."""
    return value.strip().lower()


class SubscribeForm(forms.Form):
    email = forms.EmailField(max_length=254)
    # What to follow (hidden fields of "follow this"); neither means every storyline.
    storyline = forms.SlugField(max_length=200, required=False)
    entity = forms.SlugField(max_length=200, required=False)
    # A field people never see: a bot that fills every input gives itself away.
    website = forms.CharField(max_length=200, required=False)

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data["email"])

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get(HONEYPOT))


class ManageForm(forms.Form):
    storylines = forms.ModelMultipleChoiceField(
        queryset=Storyline.objects.order_by("title"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # Entities are too many to list: the followed ones are shown (untick to drop), and one more
    # can be added by its slug.
    entities = forms.ModelMultipleChoiceField(
        queryset=Entity.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    add_entity = forms.SlugField(
        max_length=200, required=False, label="Follow another company, person or cluster"
    )
    event_types = forms.MultipleChoiceField(
        choices=EventType.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    frequency = forms.ChoiceField(choices=Subscriber.Frequency.choices, widget=forms.RadioSelect)
    hour = forms.TypedChoiceField(
        choices=[(h, f"{h:02d}:00") for h in range(24)], coerce=int, label="At"
    )
    weekday = forms.TypedChoiceField(
        choices=Subscriber.Weekday.choices, coerce=int, label="On (weekly digests)"
    )
    time_zone = forms.ChoiceField(label="Time zone")
    only_confirmed = forms.BooleanField(
        required=False, label="Only confirmed events (leave rumours out)"
    )

    def __init__(self, *args: Any, followed_entities: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entities"].queryset = Entity.objects.filter(  # type: ignore[attr-defined]
            id__in=followed_entities
        ).order_by("name")
        self.fields["time_zone"].choices = [(name, name) for name in zone_names()]  # type: ignore[attr-defined]

    def clean_add_entity(self) -> Entity | None:
        slug = self.cleaned_data["add_entity"]
        if not slug:
            return None
        entity = Entity.objects.filter(slug=slug).first()
        if entity is None:
            raise forms.ValidationError("No company, person or cluster has this name in LabIntel.")
        return entity
