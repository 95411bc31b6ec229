import dataclasses
import datetime

import pytest

from apps.events.rules.departure import RULE, find
from apps.events.rules.when import DAY, MONTH, YEAR, find_dates
from apps.events.vocabulary import EventType, Role, Status
from tests.events.rulekit import PUBLISHED, eid, sentence

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


def with_employers(
    marked: str, employers: dict[str, tuple[str, ...]], recent: tuple[str, ...] = ()
):
    """The sentence with the knowledge base's employers of its people, current first."""
    return dataclasses.replace(
        sentence(marked, recent=recent),
        employers={eid(p): tuple(eid(c) for c in cs) for p, cs in employers.items()},
    )


def triples(found) -> list[tuple[int, int, int | None]]:
    return [
        (
            f.entity_ids(Role.PERSON)[0],
            f.entity_ids(Role.FROM_COMPANY)[0],
            (f.entity_ids(Role.DESTINATION) or [None])[0],
        )
        for f in found
    ]


@pytest.mark.parametrize(
    "marked",
    [
        "[Jimmy Ba] went back to [OpenAI].",
        "[Jimmy Ba] goes back to [OpenAI] after two years.",
        "[Jimmy Ba] returned to [OpenAI] last month.",
        "[Jimmy Ba] has rejoined rival [OpenAI].",
        "[Jimmy Ba] is returning to [OpenAI], where he started his career.",
    ],
)
def test_it_reads_a_return_as_leaving_the_company_of_the_article(marked: str) -> None:
    assert moves(marked, recent=("xAI",)) == [(eid("Jimmy Ba"), eid("xAI"), eid("OpenAI"))]


def test_it_reads_a_return_from_a_named_company() -> None:
    assert moves("[Jimmy Ba] returned to [OpenAI] from [xAI].", recent=("Google",)) == [
        (eid("Jimmy Ba"), eid("xAI"), eid("OpenAI"))
    ]
    assert moves("[xAI] co-founder [Jimmy Ba] has rejoined [OpenAI].") == [
        (eid("Jimmy Ba"), eid("xAI"), eid("OpenAI"))
    ]


def test_it_reads_the_company_returned_from_in_the_knowledge_base() -> None:
    found = find(with_employers("[Jimmy Ba] rejoined [OpenAI] on Monday.", {"Jimmy Ba": ("xAI",)}))
    assert triples(found) == [(eid("Jimmy Ba"), eid("xAI"), eid("OpenAI"))]
    assert found[0].date is not None and found[0].date.date == D(2026, 2, 9)


def test_it_never_takes_a_past_employer_as_the_company_returned_from() -> None:
    # The record's current employer is where he went back to: its older ones are his past.
    marked = "[Jimmy Ba] returned to [OpenAI] on Monday."
    assert find(with_employers(marked, {"Jimmy Ba": ("OpenAI", "Google")})) == []
    # Back from leave at the company he works at.
    marked = "[Jimmy Ba] returned to [xAI] after parental leave."
    assert find(with_employers(marked, {"Jimmy Ba": ("xAI", "Google")}, ("xAI",))) == []


def test_it_keeps_each_returner_to_their_own_destination() -> None:
    marked = "[Jimmy Ba] returned to [OpenAI] and [Kyle Kosic] went back to [Google]."
    assert moves(marked, recent=("xAI",)) == [
        (eid("Jimmy Ba"), eid("xAI"), eid("OpenAI")),
        (eid("Kyle Kosic"), eid("xAI"), eid("Google")),
    ]


@pytest.mark.parametrize(
    "marked",
    [
        "[Jimmy Ba] returned to the stage to demo the model.",
        "[Jimmy Ba] returned to [OpenAI]'s offices for a meeting.",
        "[Jimmy Ba] went back to work on Monday.",
        "[Jimmy Ba], who rejoined [OpenAI] in 2023, said the model was strong.",
        "[Jimmy Ba] has not returned to [OpenAI].",
        "[Jimmy Ba] never went back to [OpenAI].",
        "[Jimmy Ba] has no plans to rejoin [OpenAI].",
    ],
)
def test_it_finds_no_return_where_nobody_moved(marked: str) -> None:
    assert find(sentence(marked, recent=("xAI",))) == []


def test_it_reads_a_rumoured_return() -> None:
    marked = "[Jimmy Ba] is expected to rejoin [OpenAI], people familiar with the matter said."
    assert only(marked, recent=("xAI",)).status == Status.RUMOURED


@pytest.mark.parametrize(
    "marked",
    [
        "[Jimmy Ba] walked out of [xAI].",
        "[Jimmy Ba] walks out.",
        "[Jimmy Ba] walked out on his team on Friday.",
        "[Jimmy Ba] went quietly.",
        "[Jimmy Ba] goes quietly after three years.",
        "[Jimmy Ba] bows out.",
        "[Jimmy Ba] bowed out as chief scientist in January.",
        "[Jimmy Ba] heads for the exit.",
        "[Jimmy Ba] is heading for the exits at [xAI].",
        "[Jimmy Ba] calls it quits.",
        "[Jimmy Ba] called it quits at [xAI].",
        "[Jimmy Ba] said goodbye on Tuesday.",
        "[Jimmy Ba] says goodbye to [xAI].",
        "[Jimmy Ba] bid farewell to his colleagues.",
        "[Jimmy Ba] bid farewell to [xAI] after three years.",
    ],
)
def test_it_reads_the_idioms_of_leaving(marked: str) -> None:
    assert moves(marked, recent=("xAI",)) == [(eid("Jimmy Ba"), eid("xAI"), None)]


def test_it_names_where_someone_who_said_goodbye_went() -> None:
    assert moves("[Jimmy Ba] said goodbye to [xAI] and joined [OpenAI].") == [
        (eid("Jimmy Ba"), eid("xAI"), eid("OpenAI"))
    ]


@pytest.mark.parametrize(
    "marked",
    [
        "[Jimmy Ba] walked out of the meeting.",
        "[Jimmy Ba] walked out on stage to present the model.",
        "[Jimmy Ba] bowed out of the race.",
        "[Jimmy Ba] went quietly about his work.",
        "[Jimmy Ba] said goodbye to the crowd.",
        "[Jimmy Ba] said goodbye to reporters and went inside.",
        "[Elon Musk] headed for the exit after the keynote.",
        "[Jimmy Ba] has not walked out.",
        "[Jimmy Ba] is not going quietly.",
        "[Jimmy Ba] never said goodbye to [xAI].",
    ],
)
def test_it_finds_no_idiom_where_nobody_left(marked: str) -> None:
    assert find(sentence(marked, recent=("xAI",))) == []


def test_it_gives_each_person_announcing_their_exits_a_finding() -> None:
    marked = "[Tony Wu] and then [Jimmy Ba] announced their exits on consecutive days."
    assert moves(marked, recent=("xAI",)) == [
        (eid("Tony Wu"), eid("xAI"), None),
        (eid("Jimmy Ba"), eid("xAI"), None),
    ]
    known = with_employers(marked, {"Tony Wu": ("xAI",), "Jimmy Ba": ("xAI",)})
    assert triples(find(known)) == [
        (eid("Tony Wu"), eid("xAI"), None),
        (eid("Jimmy Ba"), eid("xAI"), None),
    ]
    assert moves("[Tony Wu] and [Jimmy Ba] announced their departures from [xAI].") == [
        (eid("Tony Wu"), eid("xAI"), None),
        (eid("Jimmy Ba"), eid("xAI"), None),
    ]


def test_it_reads_his_exit_with_the_employer_from_the_knowledge_base() -> None:
    found = find(
        with_employers("[Jimmy Ba] announced his exit on Tuesday.", {"Jimmy Ba": ("xAI", "Google")})
    )
    assert triples(found) == [(eid("Jimmy Ba"), eid("xAI"), None)]


@pytest.mark.parametrize(
    "marked",
    [
        "[Christian Szegedy] leaves.",
        "[Kyle Kosic] departs.",
        "[Greg Yang] steps back.",
        "[Greg Yang] steps back from [xAI] to focus on his health.",
    ],
)
def test_it_reads_a_timeline_told_in_the_present(marked: str) -> None:
    assert len(find(sentence(marked, recent=("xAI",)))) == 1
    assert moves(marked, recent=("xAI",))[0][1] == eid("xAI")


@pytest.mark.parametrize(
    "marked",
    [
        "[Greg Yang], who co-founded [xAI], has also left.",
        "[Greg Yang], another co-founder, has also left.",
        "[Greg Yang] is the latest to leave [xAI].",
        "[Greg Yang] is the latest co-founder to leave [xAI], following [Kyle Kosic].",
    ],
)
def test_it_reads_one_more_departure(marked: str) -> None:
    assert moves(marked, recent=("xAI",)) == [(eid("Greg Yang"), eid("xAI"), None)]


def test_it_leaves_a_present_tense_leave_that_is_not_a_departure() -> None:
    assert find(sentence("[Jimmy Ba] leaves nothing to chance.", recent=("xAI",))) == []


def test_it_reads_its_as_the_company_named_before_the_verb() -> None:
    marked = "[Sam Altman] helped start [Anthropic] and later quit its board in 2021."
    assert moves(marked, recent=("OpenAI",)) == [(eid("Sam Altman"), eid("Anthropic"), None)]


def test_it_does_not_take_the_current_employer_for_an_old_departure() -> None:
    # The record says where Szegedy works now; a 2024 exit was from somewhere else.
    old = with_employers(
        "[Christian Szegedy] left in March 2024.", {"Christian Szegedy": ("Morph Labs",)}, ("xAI",)
    )
    assert triples(find(old)) == [(eid("Christian Szegedy"), eid("xAI"), None)]
    recent = with_employers(
        "[Christian Szegedy] left on Monday.", {"Christian Szegedy": ("Morph Labs",)}, ("xAI",)
    )
    assert triples(find(recent)) == [(eid("Christian Szegedy"), eid("Morph Labs"), None)]


def test_it_dates_an_entry_of_a_timeline_by_its_heading_for_the_employer() -> None:
    heading = find_dates("June 2024.", published=PUBLISHED)[0]
    marked = "[Christian Szegedy] walks out."
    entry = dataclasses.replace(
        with_employers(marked, {"Christian Szegedy": ("Morph Labs",)}, ("xAI",)),
        heading_date=heading,
    )
    assert triples(find(entry)) == [(eid("Christian Szegedy"), eid("xAI"), None)]


def test_it_takes_the_company_most_of_the_articles_people_work_at() -> None:
    marked = "[Igor Babuschkin] departed in June 2024 to launch [Babuschkin Ventures]."
    known = with_employers(
        marked,
        {"Igor Babuschkin": ("Babuschkin Ventures",), "Jimmy Ba": ("xAI",), "Tony Wu": ("xAI",)},
        ("Morph Labs",),
    )
    assert triples(find(known)) == [
        (eid("Igor Babuschkin"), eid("xAI"), eid("Babuschkin Ventures"))
    ]


def test_it_never_takes_a_veteran_of_a_company_as_leaving_it() -> None:
    marked = "[Greg Yang], a veteran of [Microsoft]'s research arm, left in March."
    assert moves(marked, recent=("xAI",)) == [(eid("Greg Yang"), eid("xAI"), None)]


@pytest.mark.parametrize(
    "marked",
    [
        "[Tony Wu] was the second co-founder to go, in May.",
        "[Tony Wu], who ran reasoning, was the latest of the founders to leave.",
        "[Tony Wu] was gone by the end of March.",
        "[Tony Wu] is already gone.",
        "Researcher [Tony Wu] was out weeks after the interview.",
        "The research team lost [Tony Wu] that spring.",
    ],
)
def test_it_reads_copular_and_loss_idioms(marked: str) -> None:
    assert moves(marked, recent=("xAI",)) == [(eid("Tony Wu"), eid("xAI"), None)]


def test_it_reads_who_a_company_lost_and_to_whom() -> None:
    marked = "[Anthropic] lost co-founder [Greg Yang] to [OpenAI] in April."
    assert moves(marked) == [(eid("Greg Yang"), eid("Anthropic"), eid("OpenAI"))]
    marked = "[Tony Wu] and [Greg Yang], who led the research teams, were both gone by March."
    assert moves(marked, recent=("xAI",)) == [
        (eid("Tony Wu"), eid("xAI"), None),
        (eid("Greg Yang"), eid("xAI"), None),
    ]


@pytest.mark.parametrize(
    "marked",
    [
        "The engineers who built [xAI] with [Elon Musk] in 2023 are gone.",
        "Everyone [Elon Musk] hired that year is gone.",
        "[Greg Yang] was out of the office on Monday.",
        "[xAI] lost [Tony Wu]'s support for the plan.",
        "[xAI] lost a lawsuit to [Elon Musk].",
        "[Tony Wu] lost the vote.",
        "[Elon Musk] reshuffles [xAI] after a month of exits.",
        "She gave no reason for leaving.",
        "[Tony Wu] described leaving as the hardest call of his career.",
        "[Tony Wu], the latest of [xAI]'s founders to leave, spoke at a conference.",
    ],
)
def test_it_finds_nothing_in_these_passing_mentions(marked: str) -> None:
    assert find(sentence(marked, recent=("Linda Yaccarino", "xAI"))) == []


def test_it_keeps_a_destination_to_its_own_persons_clause() -> None:
    marked = "[Greg Yang] left [xAI] in May, and [Tony Wu] went back to [Google] in June."
    assert moves(marked) == [
        (eid("Greg Yang"), eid("xAI"), None),
        (eid("Tony Wu"), eid("xAI"), eid("Google")),
    ]


def test_it_reads_the_company_the_subject_worked_at_before_returning() -> None:
    marked = "[Tony Wu] led research at [xAI] and went back to [Google] in 2023."
    known = with_employers(marked, {"Tony Wu": ("Morph Labs",)}, ("Morph Labs",))
    assert triples(find(known)) == [(eid("Tony Wu"), eid("xAI"), eid("Google"))]


def test_it_reads_one_move_when_a_departure_names_the_return() -> None:
    found = find(sentence("[Tony Wu] left [xAI] in May 2024 to rejoin [Google]."))
    assert triples(found) == [(eid("Tony Wu"), eid("xAI"), eid("Google"))]
    assert found[0].date is not None and found[0].date.date == D(2024, 5, 1)


def test_it_does_not_borrow_the_date_of_an_asides_own_verb() -> None:
    marked = "[Tony Wu], one of the researchers [Elon Musk] recruited last spring, has left [xAI]."
    assert only(marked).date is None
    marked = "[Tony Wu]'s exit means the founders who started [xAI] in 2023 are scattered."
    assert only(marked, recent=("xAI",)).date is None
    lent = only("[Tony Wu] has left [xAI], a spokesperson confirmed on Tuesday.")
    assert lent.date is not None and lent.date.date == D(2026, 2, 10)


# Round 2: what remains, whose verb, boards, absolute clauses, the article's company, dates.


@pytest.mark.parametrize(
    "marked",
    [
        "After a year of exits, [Greg Yang] is now the sole researcher left at [xAI].",
        "[Greg Yang] is one of only two engineers left on the team.",
        "By summer, [Kyle Kosic] was the last original member left standing.",
        "[Kyle Kosic] says he has a lot left to prove at [xAI].",
        "Few of the founders remain; [Greg Yang] is the only one left.",
    ],
)
def test_it_reads_left_for_what_remains_as_no_departure(marked: str) -> None:
    assert find(sentence(marked, recent=("xAI",))) == []


def test_it_still_reads_the_last_one_who_left() -> None:
    marked = "[Greg Yang], the last original researcher, left [xAI] in March."
    assert moves(marked) == [(eid("Greg Yang"), eid("xAI"), None)]
    assert moves("[Greg Yang] left [xAI] to join [Anthropic].") == [
        (eid("Greg Yang"), eid("xAI"), eid("Anthropic"))
    ]


@pytest.mark.parametrize(
    "marked",
    [
        # A preposition governs the person: the group is the subject.
        "Her exit means five of the nine engineers who built [Colossus] alongside [Sam Altman] "
        "have now left.",
        "Most of the researchers who started [Anthropic] with [Greg Yang] are gone.",
        # The person is the subject of a reduced relative clause of their own.
        "Today, four of the ten founders [Sam Altman] recruited in 2015 have now left.",
        "The researchers [Greg Yang] brought from [Google] have left [xAI].",
        # The verb is in a clause opened after the person, with a subject of its own.
        "[Elon Musk] split [xAI] into three units after co-founder exits",
        "[Elon Musk] reshuffled [xAI] on Friday, a day after the third of three researchers "
        "to quit this month announced her departure.",
    ],
)
def test_it_does_not_take_someone_else_in_the_sentence_for_the_leaver(marked: str) -> None:
    assert find(sentence(marked, recent=("xAI",))) == []


@pytest.mark.parametrize(
    "marked",
    [
        "[Greg Yang] called it quits at [xAI].",
        "[Greg Yang] decided to leave [xAI].",
        "[Greg Yang] confirmed leaving [xAI].",
        "[Greg Yang] joined [xAI] in 2023 and left this week.",
        "[Greg Yang] stayed at [xAI] until the merger before leaving.",
        "[Greg Yang] quit after a dispute over pay and left [xAI].",
    ],
)
def test_it_keeps_the_subject_across_its_own_verbs(marked: str) -> None:
    assert moves(marked) == [(eid("Greg Yang"), eid("xAI"), None)]


def test_it_takes_the_announcer_for_the_leaver_of_his_departure() -> None:
    marked = "[Greg Yang] announced his departure from [xAI] on Monday."
    found = only(marked)
    assert found.entity_ids(Role.PERSON) == [eid("Greg Yang")]
    assert found.date is not None and found.date.date == D(2026, 2, 9)


@pytest.mark.parametrize(
    "marked",
    [
        "[Sam Altman] has long attacked [Anthropic], which he helped found in 2021 and left the "
        "board of in 2023.",
        "[Kyle Kosic] left the board in 2019.",
        "[Kyle Kosic] resigned from the board of directors last year.",
    ],
)
def test_it_never_gives_a_board_left_to_another_company(marked: str) -> None:
    assert find(sentence(marked, recent=("xAI",))) == []


def test_it_reads_a_board_whose_company_is_named() -> None:
    assert moves("[Kyle Kosic] resigned from [Tesla]'s board in 2019.") == [
        (eid("Kyle Kosic"), eid("Tesla"), None)
    ]
    assert moves("[Kyle Kosic] left the board of [Tesla].") == [
        (eid("Kyle Kosic"), eid("Tesla"), None)
    ]


def test_it_dates_a_coordinated_verb_by_its_own_date() -> None:
    found = only("[Kyle Kosic] co-founded [Morph Labs] in 2019 and left in 2022.")
    assert found.entity_ids(Role.FROM_COMPANY) == [eid("Morph Labs")]
    assert found.date is not None and found.date.date.year == 2022


def test_it_reads_an_absolute_clause_of_people_gone() -> None:
    marked = "With [Kyle Kosic] and [Greg Yang] now gone, only [Jimmy Ba] remains."
    assert moves(marked, recent=("xAI",)) == [
        (eid("Kyle Kosic"), eid("xAI"), None),
        (eid("Greg Yang"), eid("xAI"), None),
    ]
    assert find(sentence("With [Kyle Kosic] on board, [xAI] grew.", recent=("xAI",))) == []
    assert find(sentence("[Kyle Kosic] said the old plan was gone, for now.")) == []


def test_it_reads_a_job_given_up() -> None:
    marked = "[Mike Liberatore] gave up the finance chief's job at [Tesla] after a year."
    assert moves(marked) == [(eid("Mike Liberatore"), eid("Tesla"), None)]
    assert find(sentence("[Mike Liberatore] gave up his seat on the panel.", recent=("xAI",))) == []


def test_it_reads_the_second_verb_of_a_long_relative_clause() -> None:
    marked = (
        "He succeeds [Kyle Kosic], who had been handed the data-center buildout and the "
        "networking group in January and left earlier this month."
    )
    found = only(marked, recent=("Greg Yang", "xAI"))
    assert found.entity_ids(Role.PERSON) == [eid("Kyle Kosic")]
    assert found.date is not None and found.date.date == D(2026, 2, 1)


def test_it_reads_a_return_in_a_recap_of_departures() -> None:
    marked = (
        "The others were [Kyle Kosic], who went back to [OpenAI] in 2024; [Greg Yang], who left "
        "in 2025; and [Jimmy Ba], who quit last May."
    )
    found = about(sentence(marked, recent=("Anthropic", "xAI")), "xAI")
    assert triples(find(found)) == [
        (eid("Kyle Kosic"), eid("xAI"), eid("OpenAI")),
        (eid("Greg Yang"), eid("xAI"), None),
        (eid("Jimmy Ba"), eid("xAI"), None),
    ]
    aside = "[Kyle Kosic], who went back to [OpenAI] in 2024, praised the model."
    assert find(sentence(aside, recent=("xAI",))) == []


def about(s, *names: str):
    return dataclasses.replace(s, about=frozenset(eid(n) for n in names))


def test_it_takes_the_article_company_for_an_unnamed_one() -> None:
    # The last company named is where someone else went; the article is about xAI.
    marked = "May 2025 - [Greg Yang], another co-founder, exits for [Morph Labs]."
    found = find(about(sentence(marked, recent=("Anthropic", "xAI")), "xAI"))
    assert triples(found) == [(eid("Greg Yang"), eid("xAI"), eid("Morph Labs"))]


def test_it_reads_the_company_of_a_role_the_subject_held() -> None:
    marked = (
        "He was one of [Tesla]'s first engineers and ran its factory software, then left in "
        "May 2023 to go back to [Google]."
    )
    assert moves(marked, recent=("Kyle Kosic", "Anthropic")) == [
        (eid("Kyle Kosic"), eid("Tesla"), eid("Google"))
    ]


def test_it_leaves_a_restated_move_to_the_sentence_that_told_it() -> None:
    assert (
        find(sentence("She is the third co-founder to go.", recent=("Linda Yaccarino", "X"))) == []
    )
    assert moves("She is the third co-founder to leave [X].", recent=("Linda Yaccarino",)) == [
        (eid("Linda Yaccarino"), eid("X"), None)
    ]


def test_it_reads_a_report_from_an_unnamed_site_as_a_rumour() -> None:
    marked = "One little-known blog claims that [Greg Yang] has left [xAI]."
    assert only(marked).status == Status.RUMOURED
    named = "[Greg Yang] has left [xAI], [xAI] said."
    assert only(named).status == Status.CONFIRMED


def test_it_does_not_date_a_departure_by_another_event_after_it() -> None:
    marked = "[Greg Yang]'s exit comes days after [Tesla] agreed to buy [xAI] on January 30."
    assert only(marked, recent=("xAI",)).date is None
    kept = only("[Greg Yang] left [xAI] after three years, in January.")
    assert kept.date is not None and kept.date.date == D(2026, 1, 1)


def test_it_does_not_date_by_a_dateline_when_the_story_gives_a_date() -> None:
    marked = (
        "LONDON, Feb 11 (Newswire) - [Greg Yang] has left [xAI], the lab confirmed in a note to "
        "staff on Monday."
    )
    found = only(marked)
    assert found.date is not None and found.date.date == D(2026, 2, 9)
    undated = only("LONDON, Feb 11 (Newswire) - [Greg Yang] has left [xAI].")
    assert undated.date is not None and undated.date.date == D(2026, 2, 11)


def test_it_reads_a_name_after_an_opening_date_as_no_aside() -> None:
    # "An" of "Andrew" once opened an aside, hiding the subject.
    marked = "In March, [Andrew Milich] and [Greg Yang] left [Cursor]."
    assert moves(marked) == [
        (eid("Andrew Milich"), eid("Cursor"), None),
        (eid("Greg Yang"), eid("Cursor"), None),
    ]


def test_it_reads_has_gone_as_a_departure_but_not_gone_public_or_up() -> None:
    assert moves("[Jimmy Ba], who ran the coding unit, has also gone.", recent=("xAI",)) == [
        (eid("Jimmy Ba"), eid("xAI"), None)
    ]
    assert moves("[Jimmy Ba] has gone public with his plan.", recent=("xAI",)) == []
    assert moves("Shares of [xAI] have gone up since [Jimmy Ba] spoke.") == []
