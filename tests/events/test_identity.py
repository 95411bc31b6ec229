import datetime
from typing import Any

from apps.events.identity import Report, better_dated, dates_agree, same_event
from apps.events.vocabulary import EventType, Role

D = datetime.date
ADA, BOB, LAB, RIVAL, COLOSSUS = 1, 2, 10, 11, 20


def report(**overrides: Any) -> Report:
    fields: dict[str, Any] = {
        "type": EventType.DEPARTURE,
        "participants": frozenset({(Role.PERSON, ADA), (Role.FROM_COMPANY, LAB)}),
        "date": D(2024, 6, 15),
        "precision": "day",
    }
    return Report(**(fields | overrides))


def milestone(**overrides: Any) -> Report:
    fields = {
        "type": EventType.CLUSTER_MILESTONE,
        "participants": frozenset({("cluster", COLOSSUS)}),
    }
    return report(**(fields | overrides))


def test_it_joins_two_reports_of_the_same_departure() -> None:
    assert same_event(report(), report(date=D(2024, 6, 17)))


def test_it_keeps_apart_events_of_different_types() -> None:
    hire = report(type=EventType.HIRE, participants=frozenset({(Role.PERSON, ADA)}))
    assert not same_event(report(), hire)


def test_it_keeps_apart_departures_of_different_people() -> None:
    other = report(participants=frozenset({(Role.PERSON, BOB), (Role.FROM_COMPANY, LAB)}))
    assert not same_event(report(), other)


def test_it_needs_every_key_role_to_be_shared() -> None:
    suit = report(
        type=EventType.LAWSUIT,
        participants=frozenset({(Role.PLAINTIFF, LAB), (Role.DEFENDANT, RIVAL)}),
    )
    other_plaintiff = report(
        type=EventType.LAWSUIT,
        participants=frozenset({(Role.PLAINTIFF, ADA), (Role.DEFENDANT, RIVAL)}),
    )
    assert same_event(suit, suit)
    assert not same_event(suit, other_plaintiff)


def test_it_keeps_apart_departures_from_different_companies() -> None:
    other = report(participants=frozenset({(Role.PERSON, ADA), (Role.FROM_COMPANY, RIVAL)}))
    assert not same_event(report(), other)


def test_it_joins_a_report_that_leaves_a_checked_role_out() -> None:
    assert same_event(report(), report(participants=frozenset({(Role.PERSON, ADA)})))


def test_it_keeps_apart_milestones_with_different_numbers() -> None:
    assert not same_event(
        milestone(quantities={"gpus": 100_000}), milestone(quantities={"gpus": 200_000})
    )


def test_it_joins_the_same_figure_written_two_ways_or_rounded() -> None:
    six = milestone(quantities={"usd": 6_000_000_000})
    assert same_event(six, milestone(quantities={"usd": "6.0e9"}))
    assert same_event(six, milestone(quantities={"usd": 5_950_000_000}))


def test_it_joins_when_only_one_report_gives_a_number() -> None:
    assert same_event(milestone(quantities={"gpus": 100_000}), milestone())


def test_it_keeps_apart_different_details_but_not_their_case() -> None:
    release = {"type": EventType.MODEL_RELEASE, "participants": frozenset({(Role.COMPANY, LAB)})}
    assert not same_event(report(**release, detail="Grok 2"), report(**release, detail="Grok 3"))
    assert same_event(report(**release, detail="Grok 3"), report(**release, detail="grok 3"))


def test_it_allows_a_few_days_of_slack_between_days() -> None:
    assert same_event(milestone(), milestone(date=D(2024, 6, 24)))
    assert not same_event(milestone(), milestone(date=D(2024, 7, 15)))


def test_it_reads_a_month_or_a_year_as_an_interval() -> None:
    assert dates_agree(report(), report(date=D(2024, 6, 1), precision="month"))
    assert dates_agree(report(), report(date=D(2024, 1, 1), precision="year"))
    assert not dates_agree(report(), report(date=D(2024, 9, 1), precision="month"))
    assert not dates_agree(report(), report(date=D(2023, 1, 1), precision="year"))


def test_it_dates_an_undated_report_by_the_two_months_before_publication() -> None:
    undated = milestone(date=D(2024, 8, 1), undated=True)
    assert same_event(milestone(date=D(2024, 6, 15)), undated)
    assert not same_event(milestone(date=D(2024, 4, 1)), undated)
    assert not same_event(milestone(date=D(2024, 9, 1)), undated)


def test_it_joins_once_only_events_across_a_wider_window() -> None:
    recap = report(date=D(2024, 1, 1), precision="year", approximate=True)
    assert same_event(report(), recap)
    assert same_event(report(), report(date=D(2025, 3, 1)))
    assert not same_event(milestone(), milestone(date=D(2025, 3, 1)))
    assert not same_event(report(), report(date=D(2026, 6, 15)))


def test_an_undated_once_only_report_is_any_earlier_one_in_either_order() -> None:
    recap = report(date=D(2026, 3, 13), undated=True)
    assert same_event(report(), recap)
    assert same_event(recap, report())
    # Not a milestone, which happens more than once.
    assert not same_event(milestone(), milestone(date=D(2026, 3, 13), undated=True))


def test_it_prefers_any_date_to_the_publication_day() -> None:
    undated = report(undated=True)
    year = report(precision="year", approximate=True)
    assert better_dated(year, undated)
    assert not better_dated(undated, year)


def test_it_prefers_a_day_to_a_month_to_a_year() -> None:
    day, month, year = report(), report(precision="month"), report(precision="year")
    assert better_dated(day, month) and better_dated(month, year)
    assert not better_dated(year, month)


def test_it_prefers_an_exact_date_to_an_approximate_one_but_not_an_equal_one() -> None:
    assert better_dated(report(), report(approximate=True))
    assert not better_dated(report(approximate=True), report())
    assert not better_dated(report(), report())


def test_it_keeps_one_acquisition_whatever_figure_each_report_gives():
    known = Report(
        type="acquisition",
        participants=frozenset({("acquirer", 1), ("acquired", 2)}),
        date=datetime.date(2026, 2, 2),
        precision="day",
        quantities={"usd": 250_000_000_000},
    )
    new = Report(
        type="acquisition",
        participants=frozenset({("acquirer", 1), ("acquired", 2)}),
        date=datetime.date(2026, 2, 2),
        precision="day",
        quantities={"usd": 1_250_000_000_000},
    )
    assert same_event(known, new)


def test_it_counts_gpus_and_chips_as_one_figure_and_ignores_report_wording():
    def milestone(kind: str, detail: str) -> Report:
        return Report(
            type="cluster_milestone",
            participants=frozenset({("cluster", 7)}),
            date=datetime.date(2024, 9, 1),
            precision="month",
            quantities={kind: 100_000},
            detail=detail,
        )

    assert same_event(milestone("gpus", "came online"), milestone("chips", "went live"))
    assert not same_event(
        milestone("gpus", ""),
        Report(
            type="cluster_milestone",
            participants=frozenset({("cluster", 7)}),
            date=datetime.date(2024, 9, 1),
            precision="month",
            quantities={"chips": 200_000},
        ),
    )
