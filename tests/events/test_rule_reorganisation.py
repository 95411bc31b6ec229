import dataclasses
import datetime

import pytest

from apps.events.rules.reorganisation import RULE, find
from apps.events.vocabulary import EventType, Role, Status
from tests.events.rulekit import eid, sentence

D = datetime.date


def companies(marked: str, recent: tuple[str, ...] = ()) -> list[int]:
    return [f.entity_ids(Role.COMPANY)[0] for f in find(sentence(marked, recent=recent))]


@pytest.mark.parametrize(
    "marked",
    [
        "[xAI] restructured its engineering teams.",
        "[xAI] announced a sweeping reorganization.",
        "[xAI] is being reorganised into four product units.",
        "[xAI] split its engineering organisation into four units.",
        "[Elon Musk] said [xAI] was rebuilt from scratch.",
        "[Elon Musk] rebuilt [xAI] from the ground up.",
        "[xAI] overhauled its teams.",
        "[Elon Musk] reorganised [xAI] after the merger.",
        "A leadership shake-up at [xAI] followed the departures.",
        "[xAI]'s restructuring is under way.",
        "The reorganisation of [xAI] cut two layers of management.",
    ],
)
def test_it_reads_the_ways_news_says_a_company_reorganised(marked: str) -> None:
    assert companies(marked) == [eid("xAI")]


def test_it_fills_in_the_rule_and_the_date() -> None:
    [finding] = find(sentence("[xAI] restructured its engineering teams on Monday."))
    assert finding.type == EventType.REORGANISATION
    assert (finding.rule, finding.version) == (RULE.name, RULE.version)
    assert finding.date is not None and finding.date.date == D(2026, 2, 9)
    assert finding.trigger is not None


def test_it_reads_the_company_of_the_earlier_sentences() -> None:
    assert companies("Musk said it would reorganise into three divisions.", recent=("xAI",)) == [
        eid("xAI")
    ]
    assert companies("The company was rebuilt from scratch.", recent=("xAI",)) == [eid("xAI")]


def test_it_reads_every_company_of_the_subject() -> None:
    assert companies("[xAI] and [X] were split into two companies.") == [eid("xAI"), eid("X")]


@pytest.mark.parametrize(
    ("marked", "status"),
    [
        ("[xAI] is considering a restructuring.", Status.RUMOURED),
        ("[xAI] denied that it would restructure.", Status.DENIED),
    ],
)
def test_it_reads_rumours_and_denials(marked: str, status: Status) -> None:
    [finding] = find(sentence(marked))
    assert finding.status == status


@pytest.mark.parametrize(
    "marked",
    [
        "[xAI] has not restructured its teams.",
        "[xAI] restructured its debt.",
        "[Tesla] announced a stock split into more shares.",
        "[Elon Musk] said his team rebuilt Grok from scratch.",
        "[Alvarez & Marsal], a restructuring firm, advised [xAI].",
        "[xAI] hired a chief restructuring officer.",
        "[xAI] overhauled its Grok app.",
        "Restructuring is common in Silicon Valley.",
        "[xAI] released Grok 4 on Tuesday.",
    ],
)
def test_it_finds_nothing_where_nothing_was_reorganised(marked: str) -> None:
    assert find(sentence(marked, recent=("xAI",))) == []


def test_it_reads_a_company_carved_or_divided_into_units() -> None:
    assert companies("[Sam Altman] carved [OpenAI] into three divisions on Monday.") == [
        eid("OpenAI")
    ]
    marked = dataclasses.replace(
        sentence("[Elon Musk] divided the company into five teams.", recent=("Google",)),
        employers={eid("Elon Musk"): (eid("xAI"),)},
    )
    assert [f.entity_ids(Role.COMPANY) for f in find(marked)] == [[eid("xAI")]]


def test_it_reads_a_reorganisation_owned_by_a_person_or_a_time() -> None:
    marked = dataclasses.replace(
        sentence("[Tony Wu] got a new unit in [Elon Musk]'s March reorganisation."),
        employers={eid("Elon Musk"): (eid("xAI"),)},
    )
    found = find(marked)
    assert [f.entity_ids(Role.COMPANY) for f in found] == [[eid("xAI")]]
    assert found[0].date is not None and found[0].date.date == D(2025, 3, 1)
    found = find(sentence("He got a new role in last month's restructuring.", recent=("xAI",)))
    assert [f.entity_ids(Role.COMPANY) for f in found] == [[eid("xAI")]]
    assert found[0].date is not None and found[0].date.date == D(2026, 1, 1)


def test_it_does_not_date_a_reorganisation_by_another_clause() -> None:
    marked = "Since 2024 [Tony Wu] had run research; he lost it in the restructuring at [xAI]."
    found = find(sentence(marked))
    assert [f.entity_ids(Role.COMPANY) for f in found] == [[eid("xAI")]]
    assert found[0].date is None


@pytest.mark.parametrize(
    "marked",
    [
        "The chef carved the turkey into slices.",
        "[xAI] divided its earnings into two halves.",
        "[Elon Musk] carved the cake into pieces at the party.",
    ],
)
def test_it_finds_no_reorganisation_in_these(marked: str) -> None:
    assert find(sentence(marked, recent=("xAI",))) == []


def test_it_dates_by_the_story_rather_than_its_dateline() -> None:
    marked = (
        "SEATTLE, Feb 11 (Newswire) - [Amazon] has restructured its devices unit, executives "
        "told staff at a meeting on Tuesday evening."
    )
    found = find(sentence(marked))
    assert found[0].date is not None and found[0].date.date == D(2026, 2, 10)
    bare = find(
        sentence("SEATTLE, Feb 11 (Newswire) - [Amazon] has restructured its devices unit.")
    )
    assert bare[0].date is not None and bare[0].date.date == D(2026, 2, 11)
