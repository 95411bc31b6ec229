import datetime

import pytest

from apps.events.rules.departure import RULE, find
from apps.events.rules.when import DAY, MONTH, YEAR
from apps.events.vocabulary import EventType, Role, Status
from tests.events.rulekit import eid, sentence

D = datetime.date


def moves(marked: str, recent: tuple[str, ...] = ()) -> list[tuple[int, int, int | None]]:
    """(person, from company, destination) of each finding, in order."""
    found = find(sentence(marked, recent=recent))
    return [
        (
            f.entity_ids(Role.PERSON)[0],
            f.entity_ids(Role.FROM_COMPANY)[0],
            (f.entity_ids(Role.DESTINATION) or [None])[0],
        )
        for f in found
    ]


def only(marked: str, recent: tuple[str, ...] = ()):
    found = find(sentence(marked, recent=recent))
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    "marked",
    [
        "[Jimmy Ba] has left [xAI].",
        "[Jimmy Ba] is leaving [xAI].",
        "[Jimmy Ba] stepped down as chief scientist of [xAI].",
        "[Jimmy Ba] resigned from [xAI].",
        "[Jimmy Ba] quit [xAI] abruptly.",
        "[Jimmy Ba] exited [xAI] quietly.",
        "[Jimmy Ba] is out at [xAI].",
        "[Jimmy Ba] is out as research lead of [xAI].",
        "[xAI] parted ways with [Jimmy Ba].",
        "[Jimmy Ba] and [xAI] have parted ways.",
        "[Jimmy Ba] was fired by [xAI].",
        "[Jimmy Ba] was ousted from [xAI].",
        "[xAI] ousted co-founder [Jimmy Ba].",
        "[xAI] let [Jimmy Ba] go.",
        "[Jimmy Ba] is no longer with [xAI].",
        "[Jimmy Ba] has moved on from [xAI].",
        "[Jimmy Ba] left his role as head of research at [xAI].",
        "[xAI] co-founder [Jimmy Ba] announced his departure.",
        "[Jimmy Ba]'s resignation from [xAI] took effect on Friday.",
        "[Jimmy Ba], a co-founder of [xAI], has left.",
        "[Jimmy Ba], who co-founded [xAI], left in 2024.",
        "[xAI] said [Jimmy Ba] had stepped down.",
        "[Jimmy Ba], [xAI]'s chief scientist, has left after just three months.",
        "[Jimmy Ba], one of [xAI]'s co-founders, said on Monday he is stepping back.",
        "The departure of [Jimmy Ba], who joined [xAI] in 2023, was reported by [Bloomberg].",
        "After leaving [xAI], [Jimmy Ba] took a long break.",
    ],
)
def test_it_reads_the_ways_news_says_someone_left(marked: str) -> None:
    assert moves(marked) == [(eid("Jimmy Ba"), eid("xAI"), None)]


def test_it_fills_in_the_rule_and_the_trigger() -> None:
    finding = only("[Jimmy Ba] has left [xAI].")
    assert finding.type == EventType.DEPARTURE
    assert (finding.rule, finding.version) == (RULE.name, RULE.version)
    assert finding.status == Status.CONFIRMED
    assert finding.trigger is not None
    assert (
        "[Jimmy Ba] has left [xAI].".replace("[", "").replace("]", "")[
            finding.trigger[0] : finding.trigger[1]
        ]
        == "left"
    )


@pytest.mark.parametrize(
    "marked",
    [
        "[Jimmy Ba] departed [xAI] to join [OpenAI].",
        "[Jimmy Ba] left [xAI] for [OpenAI].",
        "[Jimmy Ba] left [xAI] for rival [OpenAI] last month.",
        "[Jimmy Ba] has left [xAI] and joined [OpenAI].",
        "[Jimmy Ba] defected from [xAI] to [OpenAI].",
    ],
)
def test_it_names_where_they_went(marked: str) -> None:
    assert moves(marked) == [(eid("Jimmy Ba"), eid("xAI"), eid("OpenAI"))]


def test_it_takes_the_company_left_not_a_past_employer_in_passing() -> None:
    assert moves("[Jimmy Ba], formerly of [Google], left [xAI].") == [
        (eid("Jimmy Ba"), eid("xAI"), None)
    ]
    assert moves("Former [Google] researcher [Jimmy Ba] has left [xAI] for [OpenAI].") == [
        (eid("Jimmy Ba"), eid("xAI"), eid("OpenAI"))
    ]


def test_it_dates_the_main_clause_not_the_relative_one() -> None:
    finding = only("[Kyle Kosic], who joined [xAI] in 2023, left on Tuesday.")
    assert finding.entity_ids(Role.FROM_COMPANY) == [eid("xAI")]
    assert finding.date is not None
    assert (finding.date.date, finding.date.precision) == (D(2026, 2, 10), DAY)


def test_it_dates_a_departure_told_in_a_relative_clause_by_that_clause() -> None:
    finding = only("[Jimmy Ba], who left [xAI] in 2024, joined [OpenAI] in March.")
    assert finding.date is not None
    assert (finding.date.date, finding.date.precision) == (D(2024, 1, 1), YEAR)


def test_it_reads_the_last_day() -> None:
    finding = only("[Mike Liberatore] said Friday was his last day at [xAI].")
    assert finding.entity_ids(Role.PERSON) == [eid("Mike Liberatore")]
    assert finding.date is not None and finding.date.date == D(2026, 2, 6)


def test_it_gives_each_person_of_a_recap_their_own_date() -> None:
    found = find(
        sentence(
            "[xAI] has lost co-founders: [Kyle Kosic] left in 2024, [Christian Szegedy] in "
            "February 2025 and [Greg Yang] last month."
        )
    )
    assert [(f.entity_ids(Role.PERSON)[0], f.entity_ids(Role.FROM_COMPANY)[0]) for f in found] == [
        (eid("Kyle Kosic"), eid("xAI")),
        (eid("Christian Szegedy"), eid("xAI")),
        (eid("Greg Yang"), eid("xAI")),
    ]
    assert [(f.date.date, f.date.precision) for f in found if f.date] == [
        (D(2024, 1, 1), YEAR),
        (D(2025, 2, 1), MONTH),
        (D(2026, 1, 1), MONTH),
    ]


def test_it_reads_two_verbs_with_their_own_dates() -> None:
    found = find(
        sentence(
            "In 2024 [Kyle Kosic] left, and in 2025 [Christian Szegedy] quit.", recent=("xAI",)
        )
    )
    assert [f.date.date.year for f in found if f.date] == [2024, 2025]


def test_it_gives_everyone_listed_as_the_subject_a_finding() -> None:
    marked = "Co-founders [Kyle Kosic], [Christian Szegedy] and [Igor Babuschkin] have left [xAI]."
    assert [p for p, _, _ in moves(marked)] == [
        eid("Kyle Kosic"),
        eid("Christian Szegedy"),
        eid("Igor Babuschkin"),
    ]


def test_it_reads_a_pronoun_subject_from_the_earlier_sentences() -> None:
    finding = only("He left [xAI] last month.", recent=("Jimmy Ba",))
    assert finding.entity_ids(Role.PERSON) == [eid("Jimmy Ba")]
    assert finding.date is not None and finding.date.date == D(2026, 1, 1)


def test_it_reads_the_company_from_the_earlier_sentences() -> None:
    assert moves(
        "She stepped down from the company on Monday.", recent=("Linda Yaccarino", "X")
    ) == [(eid("Linda Yaccarino"), eid("X"), None)]


def test_it_reads_who_a_pronoun_is_within_the_sentence() -> None:
    assert moves("[Jimmy Ba] told [Reuters] he left [xAI] in January.") == [
        (eid("Jimmy Ba"), eid("xAI"), None)
    ]


def test_it_reads_the_date_of_the_report_when_the_clause_has_none() -> None:
    finding = only("[Jimmy Ba] stepped down, [xAI] said on Tuesday.")
    assert finding.date is not None and finding.date.date == D(2026, 2, 10)


def test_it_keeps_a_future_departure_with_its_date() -> None:
    finding = only("[Jimmy Ba] will leave [xAI] next month.")
    assert finding.date is not None and finding.date.date == D(2026, 3, 1)


@pytest.mark.parametrize(
    ("marked", "status"),
    [
        ("[Jimmy Ba] is said to be weighing an exit from [xAI].", Status.RUMOURED),
        (
            "[Jimmy Ba] is leaving [xAI], according to people familiar with the matter.",
            Status.RUMOURED,
        ),
        ("A spokesperson denied that [Jimmy Ba] is leaving [xAI].", Status.DENIED),
    ],
)
def test_it_reads_rumours_and_denials(marked: str, status: Status) -> None:
    assert only(marked).status == status


@pytest.mark.parametrize(
    "marked",
    [
        "[Jimmy Ba] has not left [xAI].",
        "[Jimmy Ba] never left [xAI].",
        "Former [xAI] engineer [Jimmy Ba] said the model was strong.",
        "[Jimmy Ba], a researcher at [xAI], said the cluster was busy.",
        "[Jimmy Ba] is the chief scientist of [xAI].",
        "[Elon Musk] said [xAI]'s Grok is leaving beta.",
        "[Jimmy Ba] left the meeting early.",
        "[Jimmy Ba] is on parental leave from [xAI].",
        "[Jimmy Ba] has quit smoking.",
        "[Jimmy Ba] left a comment on the [xAI] forum.",
        "[xAI] said there were two weeks left before launch.",
        "[Tesla] fired the contractor, [Elon Musk] said.",
        "[Elon Musk] praised the departure of [Google] from the market.",
        "[xAI] exited the data center business.",
    ],
)
def test_it_finds_nothing_where_nobody_left(marked: str) -> None:
    assert find(sentence(marked, recent=("xAI",))) == []


def test_it_needs_a_person() -> None:
    assert find(sentence("[xAI] is leaving the consortium.")) == []
