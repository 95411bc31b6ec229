"""What curators do to events: confirm, reject, merge two into one, split one into two; and to
mentions: reject one (this name here is not this entity), or undo that.

Each of these marks the events it touches as curated, and a curated, rejected or merged-away event
is never changed again by re-running the analysis: a curator's word is final. Confidence is left
as it is here; the analysis service recomputes it from the evidence an event ends up with.
Every function puts the events it changed back in step with the storylines' rules.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet

from apps.events.models import Event, EventParticipant, Evidence, Mention, StorylineEvent
from apps.events.services.mention_weeks import counting
from apps.events.services.storylines import place_events

Origin = StorylineEvent.Origin


class CurationError(ValueError):
    """A curation that cannot be done as asked; the message says why, for the curator."""


@dataclass(frozen=True)
class MergeReport:
    keep: Event
    merged: int
    evidence_moved: int
    # Sentences the keeper already had (same article, same place): left with the merged event.
    evidence_duplicates: int
    participants_added: int

    def __str__(self) -> str:
        text = (
            f"Merged {self.merged} event(s) into “{self.keep}”: moved {self.evidence_moved} "
            f"evidence sentence(s), added {self.participants_added} participant(s)"
        )
        if self.evidence_duplicates:
            text += f"; {self.evidence_duplicates} sentence(s) were already its evidence"
        return text + "."


def confirm_events(events: Iterable[Event], *, user: AbstractBaseUser) -> int:
    """The curator says these are events as they stand (a confirmation also undoes a rejection);
    events merged away are left alone. Returns how many were confirmed."""
    ids = _ids(events)
    with transaction.atomic():
        count = Event.objects.filter(pk__in=ids, merged_into__isnull=True).update(
            curated=True, curated_by=user, rejected=False
        )
        place_events(ids)
    return count


def reject_events(events: Iterable[Event], *, user: AbstractBaseUser) -> int:
    """The curator says these are not events: hidden from readers and from storylines' rules."""
    ids = _ids(events)
    with transaction.atomic():
        count = Event.objects.filter(pk__in=ids, merged_into__isnull=True).update(
            rejected=True, curated=True, curated_by=user
        )
        place_events(ids)
    return count


def merge_events(keep: Event, others: Iterable[Event], *, user: AbstractBaseUser) -> MergeReport:
    """Fold `others` into `keep`: their evidence, participants and storyline entries move to it,
    and they stay behind, hidden, pointing at it (`merged_into`).

    Evidence the keeper already has (same article and start, the unique key) is not moved, so
    every sentence is the keeper's evidence exactly once. A curator's pin, exclusion, order or
    note on a merged event carries over unless the keeper has its own for that storyline.
    """
    other_ids = sorted({event.pk for event in others} - {keep.pk})
    with transaction.atomic():
        rows = Event.objects.select_for_update().filter(pk__in=[keep.pk, *other_ids])
        events = {event.pk: event for event in rows}
        _check_mergeable(keep.pk, other_ids, events)
        moved, duplicates = _move_evidence(keep.pk, other_ids)
        added = _add_participants(keep.pk, other_ids)
        _move_storyline_entries(keep.pk, other_ids)
        # Events merged into these earlier now point at the keeper: no chains to follow.
        Event.objects.filter(merged_into_id__in=other_ids).update(merged_into_id=keep.pk)
        Event.objects.filter(pk__in=other_ids).update(
            merged_into_id=keep.pk, curated=True, curated_by=user
        )
        Event.objects.filter(pk=keep.pk).update(curated=True, curated_by=user)
        place_events([keep.pk, *other_ids])
    keep.refresh_from_db()
    return MergeReport(
        keep=keep,
        merged=len(other_ids),
        evidence_moved=moved,
        evidence_duplicates=duplicates,
        participants_added=added,
    )


def split_event(event: Event, evidence_ids: Iterable[int], *, user: AbstractBaseUser) -> Event:
    """Move the chosen evidence of `event` to a new event that copies its type, date, status,
    summary, quantities and participants, for the curator to edit; both end up curated."""
    chosen = set(evidence_ids)
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.merged_into_id is not None:
            raise CurationError("This event was merged into another one; split that one.")
        own = set(event.evidence.values_list("pk", flat=True))
        if not chosen:
            raise CurationError("Choose the evidence to move to the new event.")
        if chosen - own:
            raise CurationError("Only this event's own evidence can be split off.")
        if chosen == own:
            raise CurationError("Leave at least one piece of evidence with this event.")
        new = Event.objects.create(
            type=event.type,
            date=event.date,
            date_precision=event.date_precision,
            date_is_estimate=event.date_is_estimate,
            status=event.status,
            # A placeholder until the analysis recomputes it from the moved evidence.
            confidence=event.confidence,
            summary=event.summary,
            quantities=event.quantities,
            detail=event.detail,
            curated=True,
            curated_by_id=user.pk,
        )
        EventParticipant.objects.bulk_create(
            EventParticipant(event=new, entity_id=entity_id, role=role)
            for entity_id, role in event.participants.values_list("entity_id", "role")
        )
        Evidence.objects.filter(pk__in=chosen).update(event=new)
        Event.objects.filter(pk=event.pk).update(curated=True, curated_by=user)
        place_events([event.pk, new.pk])
    return new


def _ids(events: Iterable[Event]) -> list[int]:
    return [event.pk for event in events]


def _check_mergeable(keep_id: int, other_ids: list[int], events: dict[int, Event]) -> None:
    keep = events.get(keep_id)
    if keep is None or keep.merged_into_id is not None or keep.rejected:
        raise CurationError("Merge into an event that is neither rejected nor merged away.")
    if not other_ids:
        raise CurationError("Choose at least one other event to merge.")
    if len(events) != len(other_ids) + 1:
        raise CurationError("Some of the events to merge no longer exist.")
    if any(events[pk].merged_into_id is not None for pk in other_ids):
        raise CurationError("Some of these events were already merged into another one.")


def _move_evidence(keep_id: int, other_ids: list[int]) -> tuple[int, int]:
    seen = set(Evidence.objects.filter(event_id=keep_id).values_list("article_id", "start"))
    moving: list[int] = []
    duplicates = 0
    rows = Evidence.objects.filter(event_id__in=other_ids).order_by("event_id", "pk")
    for pk, article_id, start in rows.values_list("pk", "article_id", "start"):
        if (article_id, start) in seen:
            duplicates += 1
            continue
        seen.add((article_id, start))
        moving.append(pk)
    Evidence.objects.filter(pk__in=moving).update(event_id=keep_id)
    return len(moving), duplicates


def _add_participants(keep_id: int, other_ids: list[int]) -> int:
    have = set(EventParticipant.objects.filter(event_id=keep_id).values_list("entity_id", "role"))
    wanted = set(
        EventParticipant.objects.filter(event_id__in=other_ids).values_list("entity_id", "role")
    )
    # The merged events keep their own rows: they record what each one was before the merge.
    EventParticipant.objects.bulk_create(
        EventParticipant(event_id=keep_id, entity_id=entity_id, role=role)
        for entity_id, role in sorted(wanted - have)
    )
    return len(wanted - have)


def _move_storyline_entries(keep_id: int, other_ids: list[int]) -> None:
    kept = {entry.storyline_id: entry for entry in StorylineEvent.objects.filter(event_id=keep_id)}
    for entry in StorylineEvent.objects.filter(event_id__in=other_ids).order_by("event_id", "pk"):
        mine = kept.get(entry.storyline_id)
        if mine is None:
            entry.event_id = keep_id
            entry.save(update_fields=["event"])
            kept[entry.storyline_id] = entry
            continue
        if mine.origin == Origin.RULE and entry.origin != Origin.RULE:
            mine.origin = entry.origin
        if mine.order is None:
            mine.order = entry.order
        mine.note = mine.note or entry.note
        mine.save(update_fields=["origin", "order", "note"])
        entry.delete()


def reject_mentions(mentions: QuerySet[Mention], *, user: AbstractBaseUser) -> int:
    """The curator says these names, there, are not these entities: unlinked, and relinking keeps
    them so. An article left with no linked mention of an entity stops counting for it."""
    ids = list(mentions.values_list("pk", flat=True))
    chosen = Mention.objects.filter(pk__in=ids)
    with counting(chosen.values_list("article_id", flat=True)):
        return chosen.update(status=Mention.Status.REJECTED, rejected_by=user)


def restore_mentions(mentions: QuerySet[Mention]) -> int:
    """Undo the rejection of these mentions (those of them that were rejected)."""
    ids = list(mentions.filter(status=Mention.Status.REJECTED).values_list("pk", flat=True))
    chosen = Mention.objects.filter(pk__in=ids)
    with counting(chosen.values_list("article_id", flat=True)):
        return chosen.update(status=Mention.Status.LINKED, rejected_by=None)
