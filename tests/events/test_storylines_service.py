from datetime import date
from itertools import count

import pytest

from apps.events.models import Event, Storyline, StorylineEvent
from apps.events.selectors import storyline_events
from apps.events.services.storylines import (
    place_events,
    refresh_storyline,
    rule_selection,
    update_counters,
)
from apps.events.storylines import RuleError
from apps.events.vocabulary import EventType, Role, Status
from tests.entities.builders import (
    make_cluster,
    make_company,
    make_event,
    make_person,
    make_storyline,
)

pytestmark = pytest.mark.django_db

Origin = StorylineEvent.Origin
_serial = count(1)


def entries(storyline: Storyline) -> dict[int, str]:
    return dict(storyline.entries.values_list("event_id", "origin"))


def counters(storyline: Storyline) -> tuple[int, date | None]:
    storyline.refresh_from_db()
    return storyline.event_count, storyline.last_event_date


def test_it_selects_by_entity_in_a_role() -> None:
    lab, person = make_company(), make_person()
    left = make_event((person, Role.PERSON), (lab, Role.FROM_COMPANY))
    make_event((person, Role.PERSON), (lab, Role.DESTINATION), type=EventType.HIRE)
    storyline = make_storyline([{"entities": [lab.slug], "roles": ["from_company"]}])
    assert list(rule_selection(storyline)) == [left]


def test_it_selects_by_type_dates_and_status() -> None:
    make_event(date=date(2024, 12, 31))
    kept = make_event(date=date(2025, 1, 1))
    make_event(date=date(2025, 1, 2), status=Status.RUMOURED)
    make_event(date=date(2025, 1, 3), type=EventType.HIRE)
    rule = [{"types": ["departure"], "since": "2025-01-01", "statuses": ["confirmed"]}]
    assert list(rule_selection(make_storyline(rule))) == [kept]


def test_it_selects_nothing_for_a_clause_without_types_or_entities() -> None:
    make_event()
    assert not rule_selection(make_storyline([{"statuses": ["confirmed"]}])).exists()


def test_it_refuses_a_rule_naming_an_unknown_entity() -> None:
    with pytest.raises(RuleError, match="unknown entities: nobody"):
        refresh_storyline(make_storyline([{"entities": ["nobody"]}]))


def test_it_refreshes_the_rule_part_and_keeps_pins_and_exclusions() -> None:
    storyline = make_storyline([{"types": ["departure"]}])
    selected, excluded = make_event(date=date(2025, 1, 5)), make_event()
    stale = make_event(type=EventType.HIRE)
    pinned = make_event(type=EventType.HIRE, date=date(2025, 3, 1))
    hidden = make_event(rejected=True)
    StorylineEvent.objects.create(storyline=storyline, event=stale)
    StorylineEvent.objects.create(storyline=storyline, event=pinned, origin=Origin.PINNED)
    StorylineEvent.objects.create(storyline=storyline, event=excluded, origin=Origin.EXCLUDED)

    refresh_storyline(storyline)

    assert entries(storyline) == {
        selected.id: Origin.RULE,
        pinned.id: Origin.PINNED,
        excluded.id: Origin.EXCLUDED,
    }
    assert hidden.id not in entries(storyline)
    assert counters(storyline) == (2, date(2025, 3, 1))


def test_it_places_new_events_and_drops_ones_that_no_longer_match() -> None:
    cluster = make_cluster()
    storyline = make_storyline([{"entities": [cluster.slug]}])
    other = make_storyline([{"types": ["hire"]}])
    new = make_event((cluster, Role.CLUSTER), type=EventType.CLUSTER_MILESTONE)
    changed = make_event()
    StorylineEvent.objects.create(storyline=storyline, event=changed)

    place_events([new.id, changed.id])

    assert entries(storyline) == {new.id: Origin.RULE}
    assert entries(other) == {}
    assert counters(storyline) == (1, date(2025, 2, 10))


def test_it_never_places_over_a_pin_or_an_exclusion() -> None:
    storyline = make_storyline([{"types": ["hire"]}])
    pinned, excluded = make_event(), make_event(type=EventType.HIRE)
    StorylineEvent.objects.create(storyline=storyline, event=pinned, origin=Origin.PINNED)
    StorylineEvent.objects.create(storyline=storyline, event=excluded, origin=Origin.EXCLUDED)

    place_events([pinned.id, excluded.id])

    assert entries(storyline) == {pinned.id: Origin.PINNED, excluded.id: Origin.EXCLUDED}


def test_it_places_by_the_rest_of_a_rule_whose_entity_is_gone() -> None:
    lab = make_company()
    storyline = make_storyline([{"types": ["hire"]}, {"entities": [lab.slug, "merged-away"]}])
    hire, left = make_event(type=EventType.HIRE), make_event((lab, Role.FROM_COMPANY))
    place_events([hire.id, left.id])
    assert entries(storyline) == {hire.id: Origin.RULE, left.id: Origin.RULE}


def test_it_does_not_widen_a_clause_whose_entities_are_all_gone() -> None:
    # "Departures from X" must not become "every departure" once X is merged away.
    storyline = make_storyline([{"types": ["departure"], "entities": ["merged-away"]}])
    event = make_event((make_company(), Role.FROM_COMPANY))
    place_events([event.id])
    assert entries(storyline) == {}


def test_it_drops_a_rejected_event_from_the_rule_part() -> None:
    storyline = make_storyline([{"types": ["departure"]}])
    event = make_event()
    place_events([event.id])
    Event.objects.filter(id=event.id).update(rejected=True)
    place_events([event.id])
    assert entries(storyline) == {}
    assert counters(storyline) == (0, None)


def test_it_updates_counters_when_a_pinned_event_is_rejected() -> None:
    storyline = make_storyline([{"types": ["hire"]}])
    pinned = make_event()
    StorylineEvent.objects.create(storyline=storyline, event=pinned, origin=Origin.PINNED)
    update_counters([storyline.id])
    assert counters(storyline) == (1, date(2025, 2, 10))

    Event.objects.filter(id=pinned.id).update(rejected=True)
    place_events([pinned.id])

    assert counters(storyline) == (0, None)


def test_it_counts_neither_exclusions_nor_rejected_nor_merged_events() -> None:
    storyline = make_storyline([])
    kept = make_event(date=date(2025, 1, 1))
    rejected = make_event(date=date(2025, 6, 1), rejected=True)
    merged = make_event(date=date(2025, 6, 2), merged_into=kept)
    excluded = make_event(date=date(2025, 6, 3))
    for event in (kept, rejected, merged):
        StorylineEvent.objects.create(storyline=storyline, event=event, origin=Origin.PINNED)
    StorylineEvent.objects.create(storyline=storyline, event=excluded, origin=Origin.EXCLUDED)

    update_counters([storyline.id])

    assert counters(storyline) == (1, date(2025, 1, 1))


def test_it_lists_a_storylines_events_by_date_then_curators_order() -> None:
    storyline = make_storyline([])
    late = make_event(date=date(2025, 3, 1))
    unordered, second, first = make_event(), make_event(), make_event()
    early = make_event(date=date(2025, 1, 1))
    for event, order in ((late, 1), (unordered, None), (second, 2), (first, 1), (early, 9)):
        StorylineEvent.objects.create(storyline=storyline, event=event, order=order)

    assert list(storyline_events(storyline)) == [early, first, second, unordered, late]


def test_it_lists_pins_but_not_exclusions_or_hidden_events() -> None:
    storyline, elsewhere = make_storyline([]), make_storyline([])
    pinned, excluded, rejected = make_event(), make_event(), make_event(rejected=True)
    StorylineEvent.objects.create(storyline=storyline, event=pinned, origin=Origin.PINNED)
    StorylineEvent.objects.create(storyline=storyline, event=excluded, origin=Origin.EXCLUDED)
    StorylineEvent.objects.create(storyline=storyline, event=rejected)
    StorylineEvent.objects.create(storyline=elsewhere, event=excluded)

    assert list(storyline_events(storyline)) == [pinned]
