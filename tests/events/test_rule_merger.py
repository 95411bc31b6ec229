import datetime

import pytest

from apps.events.rules.merger import RULE, find
from apps.events.vocabulary import EventType, Role, Status
from tests.events.rulekit import eid, sentence

D = datetime.date


def merged(marked: str, **kwargs) -> list[list[int]]:
    return [f.entity_ids(Role.MERGED) for f in find(sentence(marked, **kwargs))]


@pytest.mark.parametrize(
    ("marked", "companies"),
    [
        ("[xAI] and [X] merged in March 2025.", ["xAI", "X"]),
        ("[xAI] merged with [X] on Tuesday.", ["xAI", "X"]),
        ("[SpaceX] will combine with [xAI] next month.", ["SpaceX", "xAI"]),
        ("The boards approved an all-stock merger of [SpaceX] and [xAI].", ["SpaceX", "xAI"]),
        ("A merger between [SpaceX] and [xAI] was announced on Monday.", ["SpaceX", "xAI"]),
        ("[SpaceX] and [xAI] have agreed to combine their businesses.", ["SpaceX", "xAI"]),
        ("[xAI] signed a merger agreement with [X] on Friday.", ["xAI", "X"]),
        ("[xAI] and [X] merged into a single company in 2025.", ["xAI", "X"]),
        ("[SpaceX], [xAI], and [X] agreed to merge.", ["SpaceX", "xAI", "X"]),
        ("[SpaceX] agreed to merge its business with [xAI].", ["SpaceX", "xAI"]),
    ],
)
def test_it_reads_mergers(marked, companies):
    assert merged(marked) == [[eid(name) for name in companies]]


def test_it_dates_and_values_the_merger():
    s = sentence(
        "[SpaceX] and [xAI] merged on Monday in a deal valuing the combined company at "
        "$1.25 trillion."
    )
    [finding] = find(s)
    assert finding.type == EventType.MERGER
    assert (finding.rule, finding.version) == (RULE.name, RULE.version)
    assert finding.date.date == D(2026, 2, 9)
    assert [(q.value, q.role) for q in finding.quantities] == [(1_250_000_000_000, "valuation")]
    assert s.text[finding.trigger[0] : finding.trigger[1]] == "merged"


def test_it_dates_a_merger_in_a_relative_clause_by_its_own_date():
    [finding] = find(
        sentence("[xAI], which merged with [X] in 2025, raised $20 billion on Tuesday.")
    )
    assert finding.date.date == D(2025, 1, 1)
    assert finding.quantities == ()


def test_it_reads_the_company_from_an_earlier_sentence():
    assert merged("The company merged with [X] last year.", recent=("xAI",)) == [
        [eid("xAI"), eid("X")]
    ]


def test_it_stops_the_list_where_a_new_clause_starts():
    s = sentence("[xAI] merged with [X], and [Tesla] invested $2 billion in the combined company.")
    [finding] = find(s)
    assert finding.entity_ids(Role.MERGED) == [eid("xAI"), eid("X")]
    assert finding.quantities == ()


@pytest.mark.parametrize(
    ("marked", "status"),
    [
        ("[SpaceX] and [xAI] are in talks to merge, people familiar with the matter said.", "r"),
        ("[SpaceX] could merge with [xAI] this year.", "r"),
        ("[SpaceX] denied it would merge with [xAI].", "d"),
    ],
)
def test_it_reads_rumours_and_denials(marked, status):
    [finding] = find(sentence(marked))
    assert finding.status == {"r": Status.RUMOURED, "d": Status.DENIED}[status]


@pytest.mark.parametrize(
    "marked",
    [
        "[Morph Labs] merged into [xAI] in January.",  # an acquisition
        "[xAI] merged its research and product teams last month.",
        "[xAI] merged the two divisions, [OpenAI] said.",
        "[xAI] combined reasoning with search, [Google] said.",
        "[OpenAI] competes with [xAI] and [Anthropic].",
        "[SpaceX] has not merged with [xAI].",
        "The combined company, [SpaceX], employs 10,000 people.",
        "[xAI] merged with a rival.",
    ],
)
def test_it_finds_nothing_without_two_merging_companies(marked):
    assert find(sentence(marked)) == []


def test_it_reads_the_two_companies_as_the_last_two_named():
    s = sentence("[Tesla] has run [Cursor] since the two companies combined in June 2024.")
    [finding] = find(s)
    assert set(finding.entity_ids(Role.MERGED)) == {eid("Tesla"), eid("Cursor")}
    # The since-clause's own date is the merger's, not a running total's start.
    assert finding.date is not None and finding.date.date == datetime.date(2024, 6, 1)
    earlier = sentence("The two firms agreed to merge on Monday.", recent=("Oracle", "Meta"))
    [told_before] = find(earlier)
    assert set(told_before.entity_ids(Role.MERGED)) == {eid("Oracle"), eid("Meta")}


def test_it_leaves_an_undated_combination_that_is_only_talked_about():
    assert (
        find(sentence("The combination of [Meta] and [Cursor] brings two cultures together.")) == []
    )
    [dated] = find(sentence("The combination of [Meta] and [Cursor] closed in March 2025."))
    assert set(dated.entity_ids(Role.MERGED)) == {eid("Meta"), eid("Cursor")}


def test_it_reads_nothing_when_only_one_company_is_around():
    assert find(sentence("The two companies combined in June.", recent=("Meta",))) == []


# Round 3: phrasings from outlets the rules were not written against.
@pytest.mark.parametrize(
    ("marked", "status"),
    [
        ("[SpaceX] and [xAI] Merge in $1.25 Trillion Deal", "c"),
        ("[SpaceX] merges with [xAI]", "c"),
        ("[SpaceX] and [xAI] agreed to combine in an all-stock deal.", "c"),
        ("[SpaceX] is in talks to merge with [xAI], according to people familiar with it.", "r"),
        ("[SpaceX] and [xAI] have completed their merger.", "c"),
        ("The merger of [SpaceX] and [xAI] closed on Monday.", "c"),
        ("[SpaceX] denied it was in talks to merge with [xAI].", "d"),
        ("[SpaceX] and [xAI] announced a merger on Tuesday.", "c"),
        ("[SpaceX] struck a deal to combine with [xAI].", "c"),
        ("[SpaceX]-[xAI] merger completed", "c"),
        ("[SpaceX]\u2013[xAI] merger talks stall", "r"),
        ("[Musk] merged [SpaceX] and [xAI] in March.", "c"),
        ("[SpaceX] is merging with [xAI], the companies said.", "c"),
        ("[SpaceX] agreed to a merger with [xAI] on Monday.", "c"),
        ("[SpaceX] was merged with [xAI] in 2025.", "c"),
    ],
)
def test_it_reads_mergers_as_other_outlets_write_them(marked, status):
    [finding] = find(sentence(marked))
    assert sorted(finding.entity_ids(Role.MERGED)) == sorted([eid("SpaceX"), eid("xAI")])
    expected = {"r": Status.RUMOURED, "d": Status.DENIED, "c": Status.CONFIRMED}[status]
    assert finding.status == expected


@pytest.mark.parametrize(
    "marked",
    [
        "[Tesla] will not merge with [xAI], [Musk] said.",
        "Analysts expect [Tesla] to merge with [xAI] eventually.",
        "[Tesla] combined its AI team with [xAI]'s engineers.",
        "[Tesla] combines [Nvidia] chips with its own.",
        "The combined company, [SpaceX], will be led by [Musk].",
        "Shareholders of [Tesla] voted against merging with [xAI].",
        "[Musk] merged [X] into [xAI] in March.",
        "[Tesla] and [xAI] abandoned merger talks in May.",
    ],
)
def test_it_finds_no_merger_in_plans_parts_and_deals_called_off(marked):
    assert find(sentence(marked)) == []
