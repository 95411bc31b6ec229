import dataclasses
import datetime

import pytest

from apps.events.rules.hire import RULE, find
from apps.events.rules.when import MONTH
from apps.events.vocabulary import EventType, Role, Status
from tests.events.rulekit import eid, sentence

D = datetime.date


def hires(marked: str, recent: tuple[str, ...] = ()) -> list[tuple[int, int, int | None]]:
    """(person, destination, from company) of each finding, in order."""
    return [
        (
            f.entity_ids(Role.PERSON)[0],
            f.entity_ids(Role.DESTINATION)[0],
            (f.entity_ids(Role.FROM_COMPANY) or [None])[0],
        )
        for f in find(sentence(marked, recent=recent))
    ]


def only(marked: str, recent: tuple[str, ...] = ()):
    found = find(sentence(marked, recent=recent))
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    "marked",
    [
        "[OpenAI] hired [Jimmy Ba].",
        "[Jimmy Ba] joined [OpenAI].",
        "[Jimmy Ba] has joined rival [OpenAI] as chief scientist.",
        "[Jimmy Ba] has been named chief scientist of [OpenAI].",
        "[Jimmy Ba] was appointed head of research at [OpenAI].",
        "[OpenAI] appointed [Jimmy Ba] as chief scientist.",
        "[Jimmy Ba] was brought on by [OpenAI].",
        "[Jimmy Ba] will join [OpenAI].",
        "[Jimmy Ba] is joining [OpenAI].",
        "[OpenAI] has tapped [Jimmy Ba] to lead its research.",
        "[Jimmy Ba] takes the helm at [OpenAI].",
        "[Jimmy Ba] named chief scientist of [OpenAI]",
    ],
)
def test_it_reads_the_ways_news_says_someone_was_hired(marked: str) -> None:
    assert hires(marked) == [(eid("Jimmy Ba"), eid("OpenAI"), None)]


def test_it_fills_in_the_rule() -> None:
    finding = only("[OpenAI] hired [Jimmy Ba].")
    assert finding.type == EventType.HIRE
    assert (finding.rule, finding.version) == (RULE.name, RULE.version)
    assert finding.trigger is not None


@pytest.mark.parametrize(
    "marked",
    [
        "[Jimmy Ba] joins [OpenAI] from [xAI].",
        "[OpenAI] poached [Jimmy Ba] from [xAI].",
        "[Jimmy Ba] departed [xAI] to join [OpenAI].",
        "[Jimmy Ba] left [xAI] and joined [OpenAI].",
        "Former [xAI] researcher [Jimmy Ba] joined [OpenAI].",
        "[Jimmy Ba], formerly of [xAI], has joined [OpenAI].",
        "[OpenAI] said it had hired [Jimmy Ba], a former [xAI] researcher.",
        "[OpenAI] has hired [Jimmy Ba], who left [xAI] in January.",
        "After leaving [xAI], [Jimmy Ba] joined [OpenAI].",
    ],
)
def test_it_reads_where_they_came_from(marked: str) -> None:
    assert hires(marked) == [(eid("Jimmy Ba"), eid("OpenAI"), eid("xAI"))]


def test_it_reads_a_pronoun_subject_and_its_date() -> None:
    finding = only("He joined [OpenAI] in March.", recent=("Jimmy Ba",))
    assert finding.entity_ids(Role.PERSON) == [eid("Jimmy Ba")]
    assert finding.date is not None
    assert (finding.date.date, finding.date.precision) == (D(2025, 3, 1), MONTH)


def test_it_reads_the_company_of_the_earlier_sentences() -> None:
    assert hires("The startup hired him last week.", recent=("Jimmy Ba", "xAI")) == [
        (eid("Jimmy Ba"), eid("xAI"), None)
    ]


def test_it_reads_a_hire_told_in_a_relative_clause_with_its_own_date() -> None:
    finding = only("[Kyle Kosic], who joined [xAI] in 2023, left on Tuesday.")
    assert finding.entity_ids(Role.DESTINATION) == [eid("xAI")]
    assert finding.date is not None and finding.date.date == D(2023, 1, 1)


def test_it_does_not_lend_the_next_verb_its_date() -> None:
    assert only("[Jimmy Ba] joined [xAI] and left in 2024.").date is None


def test_it_gives_each_hire_of_a_recap_its_own_date() -> None:
    found = find(sentence("[xAI] hired [Jimmy Ba] in 2023 and [Kyle Kosic] in 2024."))
    assert [(f.entity_ids(Role.PERSON)[0], f.date.date.year) for f in found if f.date] == [
        (eid("Jimmy Ba"), 2023),
        (eid("Kyle Kosic"), 2024),
    ]


@pytest.mark.parametrize(
    ("marked", "status"),
    [
        ("[Jimmy Ba] is in talks to join [OpenAI].", Status.RUMOURED),
        ("[Jimmy Ba] is expected to join [OpenAI], according to people familiar.", Status.RUMOURED),
        ("A spokesperson denied that [Jimmy Ba] will join [OpenAI].", Status.DENIED),
    ],
)
def test_it_reads_rumours_and_denials(marked: str, status: Status) -> None:
    assert only(marked).status == status


@pytest.mark.parametrize(
    "marked",
    [
        "[Jimmy Ba] has not joined [OpenAI].",
        "[Jimmy Ba] joined [Elon Musk] on stage.",
        "[xAI] joined forces with [Oracle].",
        "[Jimmy Ba] joined [xAI]'s lawsuit against [OpenAI].",
        "[Elon Musk] named his son [X].",
        "[xAI] named its model Grok.",
        "[Jimmy Ba] is the chief scientist of [xAI].",
        "Former [xAI] engineer [Jimmy Ba] said the model was strong.",
        "[xAI] is hiring engineers.",
        "[Jimmy Ba] said [OpenAI] hired hundreds of engineers.",
    ],
)
def test_it_finds_nothing_where_nobody_was_hired(marked: str) -> None:
    assert find(sentence(marked)) == []


@pytest.mark.parametrize(
    "marked",
    [
        "[Greg Yang] left [Microsoft] for [xAI].",
        "[Greg Yang] went back to [xAI] last year.",
        "[Greg Yang] returned to [xAI] in May.",
        "[Greg Yang] defected to [xAI].",
    ],
)
def test_it_leaves_a_move_told_as_leaving_to_the_departure_rule(marked: str) -> None:
    assert find(sentence(marked, recent=("Microsoft",))) == []


def test_it_reads_a_move_from_one_company_to_another() -> None:
    assert hires("[Greg Yang] moved from [Microsoft] to [xAI] in 2023.") == [
        (eid("Greg Yang"), eid("xAI"), eid("Microsoft"))
    ]
    rumour = only("[Greg Yang] is reported to have moved from [Microsoft] to [xAI].")
    assert rumour.status == Status.RUMOURED


def test_it_reads_taking_the_job_at_the_known_employer() -> None:
    marked = dataclasses.replace(
        sentence("[Greg Yang] took the job in May 2023."), employers={eid("Greg Yang"): (1,)}
    )
    found = find(marked)
    assert [(f.entity_ids(Role.PERSON), f.entity_ids(Role.DESTINATION)) for f in found] == [
        ([eid("Greg Yang")], [eid("xAI")])
    ]
    assert found[0].date is not None and found[0].date.date == D(2023, 5, 1)
    assert hires("[Greg Yang] took the top job at [Anthropic] in 2021.") == [
        (eid("Greg Yang"), eid("Anthropic"), None)
    ]


@pytest.mark.parametrize(
    "marked",
    [
        "[Greg Yang] declined to take the job.",
        "[Greg Yang] took the job at a small lab in Austin.",
        "[Greg Yang] took the job seriously, [xAI] said.",
    ],
)
def test_it_finds_no_job_taken_here(marked: str) -> None:
    assert find(sentence(marked, recent=("xAI",))) == []


def test_it_reads_names_after_an_opening_date() -> None:
    # "An" of "Andrew" once opened an aside and hid the subject of "joined".
    marked = "In May, [Andrew Milich] and [Greg Yang] joined [Anthropic]."
    assert hires(marked) == [
        (eid("Andrew Milich"), eid("Anthropic"), None),
        (eid("Greg Yang"), eid("Anthropic"), None),
    ]


def test_it_reads_where_newcomers_worked_from_a_relative_clause() -> None:
    marked = (
        "Last May, [Andrew Milich] and [Greg Yang], who ran the inference team at [Nvidia], "
        "joined [Anthropic], the lab [Amazon] backs, to speed up serving."
    )
    assert hires(marked) == [
        (eid("Andrew Milich"), eid("Anthropic"), eid("Nvidia")),
        (eid("Greg Yang"), eid("Anthropic"), eid("Nvidia")),
    ]
    found = find(sentence(marked))
    assert found[0].date is not None and found[0].date.date == D(2025, 5, 1)


@pytest.mark.parametrize(
    "marked",
    [
        "[Andrew Milich], who now works at [Nvidia], joined [Anthropic]'s advisory board.",
        "[Andrew Milich], who co-founded [Nvidia]'s robotics group, joined [Anthropic].",
    ],
)
def test_it_takes_no_past_employer_from_a_present_or_loose_clause(marked: str) -> None:
    assert [f.entity_ids(Role.FROM_COMPANY) for f in find(sentence(marked))] == [[]]


@pytest.mark.parametrize(
    "marked",
    [
        "Engineers who worked alongside [Greg Yang] joined [Anthropic] this year.",
        "The researchers [Greg Yang] trained in 2022 joined [Anthropic].",
        "[Sam Altman] expanded [OpenAI] after several Google researchers joined [Anthropic].",
    ],
)
def test_it_does_not_take_someone_else_in_the_sentence_for_the_newcomer(marked: str) -> None:
    assert find(sentence(marked, recent=("xAI",))) == []


def test_it_reads_a_report_from_an_unnamed_site_as_a_rumour() -> None:
    marked = "A single fan site is reporting that [Greg Yang] has joined [Anthropic] from [xAI]."
    assert only(marked).status == Status.RUMOURED
    assert only("[Greg Yang] has joined [Anthropic] from [xAI].").status == Status.CONFIRMED
