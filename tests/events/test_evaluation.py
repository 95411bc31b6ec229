import datetime
from typing import Any

from apps.events.evaluation import Labelled, agrees, date_right, false_confirmations, score
from apps.events.vocabulary import EventType, Role, Status

D = datetime.date


def event(**overrides: Any) -> Labelled:
    fields: dict[str, Any] = {
        "article": "a1",
        "type": EventType.DEPARTURE,
        "status": Status.CONFIRMED,
        "date": D(2025, 2, 10),
        "precision": "day",
        "participants": frozenset({(Role.PERSON, "ada"), (Role.FROM_COMPANY, "xai")}),
    }
    return Labelled(**(fields | overrides))


def test_it_agrees_on_the_same_type_status_and_key_participants() -> None:
    assert agrees(event(), event(participants=frozenset({(Role.PERSON, "ada")})))
    assert not agrees(event(), event(status=Status.RUMOURED))
    assert not agrees(event(), event(type=EventType.HIRE))
    assert not agrees(event(), event(participants=frozenset({(Role.PERSON, "bob")})))


def test_it_disagrees_when_a_checked_role_contradicts() -> None:
    other = event(participants=frozenset({(Role.PERSON, "ada"), (Role.FROM_COMPANY, "meta")}))
    assert not agrees(event(), other)


def test_it_scores_a_date_within_the_labels_precision() -> None:
    month = event(date=D(2025, 2, 1), precision="month")
    assert date_right(month, event(date=D(2025, 2, 27)))
    assert not date_right(month, event(date=D(2025, 3, 1)))
    assert date_right(event(precision="year"), event(date=D(2025, 12, 31)))
    assert not date_right(event(), event(date=D(2025, 2, 11)))


def test_it_counts_right_wrong_and_missed_per_type() -> None:
    hire = event(type=EventType.HIRE, participants=frozenset({(Role.PERSON, "bob")}))
    found_hire = event(type=EventType.HIRE, participants=frozenset({(Role.PERSON, "eve")}))
    scores = score([event(), hire], [event(date=D(2025, 2, 11)), found_hire])
    departures, hires = scores[EventType.DEPARTURE], scores[EventType.HIRE]
    assert (departures.right, departures.wrong, departures.missed) == (1, 0, 0)
    assert departures.dated_right == 0
    assert (hires.right, hires.wrong, hires.missed) == (0, 1, 1)
    assert hires.wrong_items == [found_hire] and hires.missed_items == [hire]
    assert (hires.precision, hires.recall) == (0.0, 0.0)


def test_it_matches_each_label_once() -> None:
    scores = score([event()], [event(), event()])[EventType.DEPARTURE]
    assert (scores.right, scores.wrong, scores.precision) == (1, 1, 0.5)


def test_it_matches_only_within_an_article() -> None:
    scores = score([event()], [event(article="a2")])[EventType.DEPARTURE]
    assert (scores.right, scores.wrong, scores.missed) == (0, 1, 1)


def test_it_counts_perfect_precision_and_recall_when_there_is_nothing() -> None:
    assert score([], []) == {}
    empty = score([event()], [event()])[EventType.DEPARTURE]
    assert (empty.precision, empty.recall) == (1.0, 1.0)


def test_it_counts_a_rumour_extracted_as_confirmed() -> None:
    rumour = event(status=Status.RUMOURED)
    assert false_confirmations([rumour], [event()]) == 1
    assert false_confirmations([rumour], [event(status=Status.RUMOURED)]) == 0
    assert false_confirmations([rumour], [event(article="a2")]) == 0
    assert false_confirmations([event()], [event()]) == 0


def test_it_does_not_call_a_confirmed_round_a_false_confirmation_beside_a_denied_one():
    confirmed = event(type=EventType.FUNDING, participants=frozenset({(Role.RECIPIENT, "lab")}))
    denied = event(
        type=EventType.FUNDING,
        status=Status.DENIED,
        date=D(2025, 9, 1),
        precision="month",
        participants=frozenset({(Role.RECIPIENT, "lab")}),
    )
    assert false_confirmations([confirmed, denied], [confirmed]) == 0
    assert (
        false_confirmations([denied], [event(**{**vars(denied), "status": Status.CONFIRMED})]) == 1
    )
