import datetime
from dataclasses import replace

from apps.events.rules.base import Finding, Sentence
from apps.events.rules.lawsuit import RULE, find
from apps.events.vocabulary import EventType, Role, Status
from tests.events.rulekit import eid, named, sentence


def _parties(finding: Finding) -> tuple[list[int], list[int]]:
    return finding.entity_ids(Role.PLAINTIFF), finding.entity_ids(Role.DEFENDANT)


def test_it_reads_an_active_suit_with_its_relative_date():
    s = sentence("[xAI] sued [OpenAI] on Tuesday over trade secrets.")
    [found] = find(s)
    assert found.type == EventType.LAWSUIT
    assert _parties(found) == ([eid("xAI")], [eid("OpenAI")])
    assert found.date is not None and found.date.date == datetime.date(2026, 2, 10)
    assert found.status == Status.CONFIRMED
    assert (found.rule, found.version) == (RULE.name, RULE.version)
    assert s.text[found.trigger[0] : found.trigger[1]] == "sued"


def test_it_reads_the_passive_voice():
    [found] = find(sentence("[OpenAI] was sued by [xAI] last month."))
    assert _parties(found) == ([eid("xAI")], [eid("OpenAI")])
    assert found.date is not None and found.date.date == datetime.date(2026, 1, 1)


def test_it_reads_several_plaintiffs_and_defendants_of_a_filed_lawsuit():
    [found] = find(
        sentence("[xAI] and [X] filed a lawsuit against [Apple] and [OpenAI] in August 2025.")
    )
    assert _parties(found) == ([eid("xAI"), eid("X")], [eid("Apple"), eid("OpenAI")])
    assert found.date is not None and found.date.date == datetime.date(2025, 8, 1)


def test_it_reads_the_progressive_and_a_title_before_a_defendant():
    [found] = find(sentence("[Musk] is suing [OpenAI] and its chief executive [Sam Altman]."))
    assert _parties(found) == ([eid("Musk")], [eid("OpenAI"), eid("Sam Altman")])


def test_it_takes_the_person_not_the_company_that_titles_him():
    [found] = find(
        sentence("[xAI] has sued former [xAI] engineer [Xuechen Li], who joined [OpenAI].")
    )
    assert _parties(found) == ([eid("xAI")], [eid("Xuechen Li")])


def test_it_resolves_a_pronoun_subject_from_earlier_sentences():
    [found] = find(sentence("It sued [OpenAI] in Delaware last year.", recent=("xAI", "Musk")))
    assert _parties(found) == ([eid("xAI")], [eid("OpenAI")])


def test_it_resolves_the_company_and_skips_the_date_of_an_aside():
    s = sentence("[Musk], who co-founded [OpenAI] in 2015, sued the company in 2024.")
    [found] = find(s)
    assert _parties(found) == ([eid("Musk")], [eid("OpenAI")])
    assert found.date is not None and found.date.date.year == 2024


def test_it_reads_a_suit_brought_by_one_party_against_another():
    s = sentence("A lawsuit brought by the [NAACP] against [xAI] accuses it of polluting.")
    [found] = find(s)
    assert _parties(found) == ([eid("NAACP")], [eid("xAI")])


def test_it_reads_a_defendant_facing_a_suit_filed_by_someone():
    [found] = find(sentence("[xAI] faces a lawsuit filed by the [NAACP] over [Colossus]."))
    assert _parties(found) == ([eid("NAACP")], [eid("xAI")])
    assert found.entity_ids(Role.CLUSTER) == [eid("Colossus")]


def test_it_makes_the_justice_department_a_party_to_the_suit_it_joined():
    s = sentence("The [Justice Department] joined [Musk]'s suit against [OpenAI] on Monday.")
    [found] = find(s)
    assert _parties(found) == ([eid("Justice Department"), eid("Musk")], [eid("OpenAI")])


def test_it_keeps_a_court_named_as_the_venue_out_of_the_plaintiffs():
    s = sentence("In the [Delaware Court of Chancery], [Musk] sued [OpenAI] on Monday.")
    [found] = find(s)
    assert _parties(found) == ([eid("Musk")], [eid("OpenAI")])
    assert found.entity_ids(Role.REGULATOR) == [eid("Delaware Court of Chancery")]


def test_it_accepts_a_defendant_and_a_court_without_a_named_plaintiff():
    [found] = find(sentence("[xAI] was sued in [U.S. District Court] in San Francisco."))
    assert _parties(found) == ([], [eid("xAI")])
    assert found.entity_ids(Role.REGULATOR) == [eid("U.S. District Court")]


def test_it_gives_each_suit_of_a_recap_its_own_date():
    s = sentence("[xAI] sued [OpenAI] in August; [OpenAI] sued [xAI] in October.")
    first, second = find(s)
    assert _parties(first) == ([eid("xAI")], [eid("OpenAI")])
    assert _parties(second) == ([eid("OpenAI")], [eid("xAI")])
    assert first.date is not None and first.date.date.month == 8
    assert second.date is not None and second.date.date.month == 10


def test_it_reads_a_headline_and_a_late_agent():
    [headline] = find(sentence("[OpenAI] Hit With Lawsuit From [xAI]", in_title=True))
    assert _parties(headline) == ([eid("xAI")], [eid("OpenAI")])
    s = sentence(
        "The suit was filed on Monday in the Northern District of California by [xAI] against "
        "[OpenAI]."
    )
    [late] = find(s)
    assert _parties(late) == ([eid("xAI")], [eid("OpenAI")])
    assert late.date is not None and late.date.date == datetime.date(2026, 2, 9)


def test_a_countersuit_is_a_suit_and_fighting_a_suit_is_not():
    [counter] = find(
        sentence("[OpenAI] said on Tuesday it had filed a countersuit against [Musk].")
    )
    assert _parties(counter) == ([eid("OpenAI")], [eid("Musk")])
    assert find(sentence("[xAI] said it would fight the lawsuit filed by the [NAACP].")) == []


def test_a_defendant_rebutting_the_claims_does_not_deny_the_suit():
    [found] = find(sentence("[OpenAI], which denied the allegations, was sued by [xAI]."))
    assert found.status == Status.CONFIRMED


def test_it_marks_rumours_and_denials():
    [rumour] = find(sentence("[xAI] is reportedly suing [OpenAI]."))
    assert rumour.status == Status.RUMOURED
    [denial] = find(sentence("[xAI] denied reports that it had sued [OpenAI]."))
    assert denial.status == Status.DENIED


def test_it_finds_nothing_in_what_is_not_a_new_suit():
    for text in (
        "[xAI] has not sued [OpenAI].",
        "[OpenAI] moved to dismiss the suit on Friday.",
        "A judge dismissed the lawsuit brought by [Musk] against [OpenAI].",
        "[Musk] threatened to sue [OpenAI].",
        "The [NAACP] sent [xAI] a notice of intent to sue.",
        "[xAI] was sued last year.",
        "[Musk] said the deal suits both [Nvidia] and [Oracle].",
        "[Sam Altman] said [OpenAI] will keep working with [Microsoft].",
    ):
        assert find(sentence(text)) == [], text


def test_an_organisations_lawyers_sue_for_it():
    [found] = find(sentence("[Anthropic]'s lawyers sued [Cursor] in federal court on Monday."))
    assert _parties(found) == ([eid("Anthropic")], [eid("Cursor")])


def _about(s: Sentence, *names: str) -> Sentence:
    return replace(s, about=frozenset(eid(name) for name in names))


def test_it_reads_an_administrative_appeal_and_whom_the_filer_acts_for():
    s = sentence(
        "[Earthjustice] filed an appeal on Monday with the [County Air Board], acting for the "
        "[Sierra Club].",
        recent=("Meta",),
    )
    [found] = find(_about(s, "Meta"))
    assert _parties(found) == ([eid("Earthjustice"), eid("Sierra Club")], [eid("Meta")])
    assert found.entity_ids(Role.REGULATOR) == [eid("County Air Board")]
    assert found.date is not None and found.date.date == datetime.date(2026, 2, 9)


def test_it_takes_the_articles_company_as_defendant_of_a_suit_filed_by_someone():
    s = sentence(
        "The suit was filed on March 3 by the [Sierra Club], represented by [Earthjustice].",
        recent=("Meta",),
    )
    [found] = find(_about(s, "Meta", "Sierra Club"))
    assert _parties(found) == ([eid("Sierra Club"), eid("Earthjustice")], [eid("Meta")])
    assert found.date is not None and found.date.date == datetime.date(2025, 3, 3)
    s = sentence(
        "The appeal was lodged in May by [Earthjustice] for the [Sierra Club].", recent=("Meta",)
    )
    [appeal] = find(_about(s, "Meta", "Earthjustice"))
    assert _parties(appeal) == ([eid("Earthjustice"), eid("Sierra Club")], [eid("Meta")])


def test_it_reads_a_filer_after_a_subordinating_conjunction():
    s = sentence("The plant is bigger than when the [Sierra Club] filed its lawsuit in June.")
    [found] = find(_about(replace(s, recent=(named("Meta"),)), "Meta"))
    assert _parties(found) == ([eid("Sierra Club")], [eid("Meta")])


def test_it_does_not_guess_a_defendant_when_the_article_or_the_sentence_says_otherwise():
    filed = "The [Sierra Club] filed a lawsuit on Monday"
    for text, about in (
        (f"{filed}.", ("Meta", "Tesla")),  # the article is about two companies
        (f"{filed} against the state of Louisiana.", ("Meta",)),
        (f"{filed} against Acme Corp.", ("Meta",)),
    ):
        s = sentence(text, recent=("Meta", "Tesla"))
        assert find(_about(s, *about)) == []


def test_it_ignores_public_appeals_and_suits_only_threatened():
    for text in (
        "The [Red Cross] launched an appeal for donations after the storm.",
        "The turbines are the subject of a threatened lawsuit by the [Sierra Club].",
    ):
        s = sentence(text, recent=("Meta",))
        assert find(_about(s, "Meta")) == []


# Round 3: the other ways outlets write a suit being brought.

XAI, OPENAI, NAACP = eid("xAI"), eid("OpenAI"), eid("NAACP")


def test_it_reads_many_ways_of_bringing_a_suit():
    for text, title, parties in (
        ("[xAI] Sued by [NAACP] Over Memphis Turbines", True, ([NAACP], [XAI])),
        ("[Elon Musk] has taken [OpenAI] to court.", False, ([eid("Musk")], [OPENAI])),
        ("[xAI] dragged [OpenAI] into court on Monday.", False, ([XAI], [OPENAI])),
        ("[Musk]'s [xAI] took legal action against [OpenAI] last month.", False, ([XAI], [OPENAI])),
        ("[xAI] brought a case against [OpenAI] in Delaware.", False, ([XAI], [OPENAI])),
        ("[xAI] launched legal proceedings against [OpenAI] on Friday.", False, ([XAI], [OPENAI])),
        ("[xAI] has filed a countersuit against [OpenAI].", False, ([XAI], [OPENAI])),
        ("[OpenAI] faces a new lawsuit from [xAI] over trade secrets.", False, ([XAI], [OPENAI])),
        ("[xAI] is the target of a lawsuit filed by the [NAACP].", False, ([NAACP], [XAI])),
        ("The [NAACP] took [xAI] to court over the turbines.", False, ([NAACP], [XAI])),
    ):
        [found] = find(sentence(text, in_title=title))
        assert _parties(found) == parties, text
        assert found.status == Status.CONFIRMED, text


def test_it_reads_a_reduced_passive_in_an_aside_with_its_date():
    [found] = find(
        sentence("[xAI], sued by the [NAACP] in April, says the turbines are temporary.")
    )
    assert _parties(found) == ([NAACP], [XAI])
    assert found.date is not None and found.date.date == datetime.date(2025, 4, 1)


def test_it_reads_a_fronted_complaint_and_whom_it_accuses():
    [found] = find(
        sentence(
            "In a complaint filed Monday in San Francisco, [xAI] accused [OpenAI] of stealing "
            "trade secrets."
        )
    )
    assert _parties(found) == ([XAI], [OPENAI])
    assert found.date is not None and found.date.date == datetime.date(2026, 2, 9)


def test_it_reads_a_suit_that_names_its_defendant():
    for text in (
        "The suit, filed by [xAI] in the Northern District of California, names [OpenAI] as a "
        "defendant.",
        "[OpenAI] was named as a defendant in a lawsuit filed by [xAI] on Tuesday.",
    ):
        [found] = find(sentence(text))
        assert _parties(found) == ([XAI], [OPENAI]), text


def test_it_reads_a_case_caption_being_filed():
    [found] = find(sentence("[xAI] v. [OpenAI] was filed in federal court on Wednesday."))
    assert _parties(found) == ([XAI], [OPENAI])
    assert found.date is not None and found.date.date == datetime.date(2026, 2, 11)


def test_it_does_not_read_suits_referred_to_considered_or_other_meanings():
    for text in (
        "In its lawsuit, [xAI] accuses [OpenAI] of stealing trade secrets.",
        "In a blog post published Monday, [xAI] accused [OpenAI] of hypocrisy.",
        "[Musk] v. [OpenAI] goes to trial in March.",
        "[xAI] is considering taking [OpenAI] to court.",
        "[xAI] reportedly plans to sue [OpenAI].",
        "[xAI] said it would countersue [OpenAI].",
        "[xAI] took [OpenAI]'s engineers to a court-side seat.",
        "[OpenAI] has made the case that [xAI] is a competitor.",
        "In the case of [xAI], the court is in Memphis.",
        "The [NAACP] is weighing legal action against [xAI].",
        "[OpenAI] said it would fight [xAI]'s lawsuit in court.",
        "A judge dismissed [xAI]'s suit against [OpenAI].",
        "[xAI] has been sued by former employees.",
    ):
        assert find(sentence(text)) == [], text


def test_a_suit_someone_can_bring_is_no_suit():
    for marked in (
        "Citizens can sue [xAI] under the Clean Air Act.",
        "In February the same groups sent [xAI] a formal notice of intent to sue over the "
        "turbines, the 60-day warning federal law requires before citizens can take a polluter "
        "to court.",
    ):
        assert find(sentence(marked, recent=("NAACP", "xAI"))) == []
