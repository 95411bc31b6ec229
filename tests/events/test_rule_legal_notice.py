import datetime

from apps.events.rules.base import Finding
from apps.events.rules.legal_notice import RULE, find
from apps.events.vocabulary import EventType, Role, Status
from tests.events.rulekit import eid, sentence


def _parties(finding: Finding) -> tuple[list[int], list[int]]:
    return finding.entity_ids(Role.PLAINTIFF), finding.entity_ids(Role.DEFENDANT)


def test_it_reads_a_notice_of_intent_to_sue_sent_to_someone():
    s = sentence("The [NAACP] sent [xAI] a notice of intent to sue on Tuesday.")
    [found] = find(s)
    assert found.type == EventType.LEGAL_NOTICE
    assert _parties(found) == ([eid("NAACP")], [eid("xAI")])
    assert found.date is not None and found.date.date == datetime.date(2026, 2, 10)
    assert (found.rule, found.version, found.status) == (RULE.name, RULE.version, "confirmed")
    assert s.text[found.trigger[0] : found.trigger[1]].startswith("sent")


def test_it_counts_the_client_of_the_sender_and_the_cluster():
    s = sentence(
        "The [Southern Environmental Law Center], on behalf of the [NAACP], sent a notice of "
        "intent to sue [xAI] over turbines at [Colossus]."
    )
    [found] = find(s)
    assert _parties(found) == (
        [eid("Southern Environmental Law Center"), eid("NAACP")],
        [eid("xAI")],
    )
    assert found.entity_ids(Role.CLUSTER) == [eid("Colossus")]


def test_it_reads_a_notice_received_from_the_sender():
    [found] = find(
        sentence("[xAI] received a notice of intent to sue from the [NAACP] last month.")
    )
    assert _parties(found) == ([eid("NAACP")], [eid("xAI")])
    assert found.date is not None and found.date.date == datetime.date(2026, 1, 1)


def test_it_reads_a_threat_to_sue():
    [found] = find(sentence("[Musk] threatened to sue [Apple] in August."))
    assert _parties(found) == ([eid("Musk")], [eid("Apple")])
    assert found.date is not None and found.date.date == datetime.date(2025, 8, 1)


def test_it_reads_a_threat_of_legal_action_made_by_a_pronoun():
    [found] = find(sentence("He threatened [OpenAI] with legal action.", recent=("Musk",)))
    assert _parties(found) == ([eid("Musk")], [eid("OpenAI")])


def test_it_reads_a_promise_to_sue_in_reported_speech():
    [found] = find(sentence("[Musk] said he would sue [OpenAI] over the deal."))
    assert _parties(found) == ([eid("Musk")], [eid("OpenAI")])


def test_lawyers_send_for_their_client():
    s = sentence("Lawyers for the [NAACP] sent [xAI] a 60-day notice of intent to sue.")
    [found] = find(s)
    assert _parties(found) == ([eid("NAACP")], [eid("xAI")])


def test_it_reads_a_letter_that_demands():
    s = sentence("[OpenAI] sent a letter to [xAI] demanding that it preserve documents.")
    [found] = find(s)
    assert _parties(found) == ([eid("OpenAI")], [eid("xAI")])


def test_it_reads_a_cease_and_desist_in_both_voices():
    [active] = find(sentence("[X] sent [Morph Labs] a cease-and-desist letter on Monday."))
    assert _parties(active) == ([eid("X")], [eid("Morph Labs")])
    [passive] = find(sentence("[Morph Labs] was served with a cease-and-desist by [X]."))
    assert _parties(passive) == ([eid("X")], [eid("Morph Labs")])


def test_it_takes_the_sender_from_a_possessive():
    [found] = find(sentence("The [NAACP]'s notice of intent to sue [xAI] was sent in June 2025."))
    assert _parties(found) == ([eid("NAACP")], [eid("xAI")])
    assert found.date is not None and found.date.date == datetime.date(2025, 6, 1)


def test_a_cluster_stands_in_for_an_unnamed_recipient():
    s = sentence("The [NAACP] filed a notice of intent to sue over the turbines at [Colossus].")
    [found] = find(s)
    assert _parties(found) == ([eid("NAACP")], [])
    assert found.entity_ids(Role.CLUSTER) == [eid("Colossus")]


def test_it_marks_rumours_and_denials():
    [rumour] = find(sentence("[OpenAI] is said to have sent [xAI] a cease-and-desist."))
    assert rumour.status == Status.RUMOURED
    [denial] = find(sentence("The [NAACP] denied that it had threatened to sue [xAI]."))
    assert denial.status == Status.DENIED


def test_it_finds_nothing_without_a_legal_notice():
    for text in (
        "[OpenAI] sent a letter to [xAI] congratulating the team.",
        "The [NAACP] has not sent a notice to [xAI].",
        "[Musk] threatened to leave [OpenAI] in 2018.",
        "[xAI] sued [OpenAI] on Tuesday.",
        "[Musk] has no plans to sue [OpenAI].",
        "A notice of intent to sue was mentioned at the hearing.",
    ):
        assert find(sentence(text)) == [], text


def test_putting_someone_on_notice_is_a_notice():
    [found] = find(sentence("[Sequoia] put [Cursor] on formal notice on Monday."))
    assert _parties(found) == ([eid("Sequoia")], [eid("Cursor")])
    assert found.date is not None and found.date.date == datetime.date(2026, 2, 9)
    [passive] = find(
        sentence("[Cursor] was put on notice by the [Southern Environmental Law Center].")
    )
    assert _parties(passive) == ([eid("Southern Environmental Law Center")], [eid("Cursor")])
    assert find(sentence("[Meta] put its plans for [Hyperion] on hold.")) == []


def test_the_pronoun_of_a_warning_is_the_warner_not_the_warned():
    s = sentence("The [Sierra Club] has warned [Meta] that it will sue the company over the plant.")
    [found] = find(s)
    assert _parties(found) == ([eid("Sierra Club")], [eid("Meta")])
    s = sentence("[Earthjustice] told [Meta] in a letter that it plans to sue over [Hyperion].")
    [found] = find(s)
    assert _parties(found) == ([eid("Earthjustice")], [eid("Meta")])
    assert found.entity_ids(Role.CLUSTER) == [eid("Hyperion")]


def test_it_still_reads_the_warned_party_suing_when_no_one_told_it():
    [found] = find(sentence("[Meta] said that it will sue [Earthjustice] for defamation."))
    assert _parties(found) == ([eid("Meta")], [eid("Earthjustice")])


def test_it_reads_a_notice_named_first_with_its_sender_and_recipient_after():
    s = sentence(
        "The notice of intent, served on Monday by [Earthjustice] for the group, names [Meta]."
    )
    [found] = find(s)
    assert _parties(found) == ([eid("Earthjustice")], [eid("Meta")])
    assert found.date is not None and found.date.date == datetime.date(2026, 2, 9)


def test_it_does_not_read_a_notice_criticised_by_someone_or_a_correction():
    for text in (
        "The notice of intent, criticised by [Meta] as a stunt, names [Tesla].",
        "An earlier version of this story said the [Sierra Club] sent [Meta] a notice of intent "
        "to sue.",
    ):
        assert find(sentence(text)) == []


def test_hearsay_makes_a_notice_a_rumour():
    s = sentence("Word in Memphis is that the [Sierra Club] sent [Meta] a notice of intent to sue.")
    [found] = find(s)
    assert found.status == Status.RUMOURED


# Round 3: the other ways outlets write a notice or a threat to sue.

XAI, NAACP, SELC = eid("xAI"), eid("NAACP"), eid("Southern Environmental Law Center")


def test_it_reads_many_ways_of_giving_notice():
    for text, title, parties in (
        (
            "[Southern Environmental Law Center] lawyers sent [xAI] a 60-day notice under the "
            "Clean Air Act.",
            False,
            ([SELC], [XAI]),
        ),
        ("The [NAACP] has served notice on [xAI] that it plans to sue.", False, ([NAACP], [XAI])),
        ("[xAI] Faces Threat of Lawsuit From [NAACP]", True, ([NAACP], [XAI])),
        ("[xAI] was warned by the [NAACP] that it would face a lawsuit.", False, ([NAACP], [XAI])),
        ("The [NAACP] is threatening legal action against [xAI].", False, ([NAACP], [XAI])),
        ("[NAACP] Threatens to Sue [xAI] Over Memphis Turbines", True, ([NAACP], [XAI])),
        ("[xAI] has been put on notice by the [NAACP].", False, ([NAACP], [XAI])),
    ):
        [found] = find(sentence(text, in_title=title))
        assert _parties(found) == parties, text


def test_it_reads_a_threat_told_without_that_and_the_letters_date():
    [found] = find(
        sentence(
            "In a letter dated June 17, the [Southern Environmental Law Center] told [xAI] it "
            "would sue unless the turbines were removed."
        )
    )
    assert _parties(found) == ([SELC], [XAI])
    assert found.date is not None and found.date.date == datetime.date(2025, 6, 17)


def test_it_reads_a_notice_whose_sender_comes_after_it():
    passive = find(sentence("A notice of intent to sue [xAI] was filed by the [NAACP] in June."))
    assert [_parties(f) for f in passive] == [([NAACP], [XAI])]
    assert passive[0].date is not None and passive[0].date.date == datetime.date(2025, 6, 1)
    [accuses] = find(
        sentence(
            "The notice of intent to sue, sent by the [Southern Environmental Law Center] on "
            "behalf of the [NAACP], accuses [xAI] of violating the Clean Air Act."
        )
    )
    assert _parties(accuses) == ([SELC, NAACP], [XAI])


def test_it_does_not_read_notices_that_are_not_legal_threats():
    for text in (
        "[xAI] sent 60-day notices to 500 workers it plans to lay off.",
        "[xAI] gave notice to its landlord in Memphis.",
        "[xAI] served notice on [Oracle] that it would end the lease.",
        "The [NAACP] has not decided whether to sue [xAI].",
        "[xAI] sent a letter to investors about [Colossus].",
        "[xAI] did not respond to the [NAACP]'s letter.",
        "[xAI] said it had received no notice from the [NAACP].",
        "The [NAACP] sued [xAI] in federal court.",
    ):
        assert find(sentence(text)) == [], text
