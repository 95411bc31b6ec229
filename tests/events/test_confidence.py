import pytest

from apps.events.confidence import REVIEW_BELOW, Support, confidence, independent_sources
from apps.events.vocabulary import Status


def test_it_counts_different_outlets_as_independent() -> None:
    assert independent_sources([Support(1, None, False), Support(2, None, False)]) == 2


def test_it_counts_one_outlet_once() -> None:
    assert independent_sources([Support(1, None, False), Support(1, 7, False)]) == 1


def test_it_counts_copies_of_one_story_once() -> None:
    assert independent_sources([Support(1, 7, False), Support(2, 7, False)]) == 1


def test_it_joins_groups_through_outlets_and_stories_in_any_order() -> None:
    # 1~2 share story 7, 2~3 share story 8 (seen before 2 is), 4 stands alone.
    supports = [
        Support(3, 8, False),
        Support(1, 7, False),
        Support(4, 9, False),
        Support(2, 7, False),
        Support(2, 8, False),
    ]
    assert independent_sources(supports) == 2


def test_it_has_no_confidence_without_support() -> None:
    assert confidence([], status=Status.CONFIRMED) == 0.0


def test_it_halves_the_doubt_with_each_independent_outlet() -> None:
    one = [Support(1, None, False)]
    assert confidence(one, status=Status.CONFIRMED) == 0.5
    assert confidence([*one, Support(2, None, False)], status=Status.CONFIRMED) == 0.75
    assert confidence([*one, Support(1, None, False)], status=Status.CONFIRMED) == 0.5


def test_it_takes_most_of_the_remaining_doubt_for_a_primary_source() -> None:
    assert confidence([Support(1, None, True)], status=Status.CONFIRMED) == 0.8


def test_it_never_reaches_certainty() -> None:
    many = [Support(n, None, True) for n in range(20)]
    assert confidence(many, status=Status.CONFIRMED) == 0.99


@pytest.mark.parametrize(("status", "cap"), [(Status.RUMOURED, 0.45), (Status.DENIED, 0.2)])
def test_it_keeps_hedged_events_under_review_however_often_repeated(
    status: str, cap: float
) -> None:
    many = [Support(n, None, True) for n in range(20)]
    assert confidence(many, status=status) == cap < REVIEW_BELOW
