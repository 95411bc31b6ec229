import datetime
from decimal import Decimal

from apps.events.rules.base import Finding
from apps.events.rules.permit import RULE, find
from apps.events.vocabulary import EventType, Role, Status
from tests.events.rulekit import eid, sentence

HEALTH = "Shelby County Health Department"


def _parties(finding: Finding) -> tuple[list[int], list[int]]:
    return finding.entity_ids(Role.REGULATOR), finding.entity_ids(Role.COMPANY)


def test_it_reads_a_health_department_approving_turbines_at_a_cluster():
    s = sentence(
        f"The [{HEALTH}] approved a permit for [xAI] to run 15 gas turbines at [Colossus] on "
        "Wednesday."
    )
    [found] = find(s)
    assert found.type == EventType.PERMIT
    assert _parties(found) == ([eid(HEALTH)], [eid("xAI")])
    assert found.entity_ids(Role.CLUSTER) == [eid("Colossus")]
    assert [(q.kind, q.value) for q in found.quantities] == [("turbines", Decimal(15))]
    assert found.detail == "15 gas turbines"
    assert found.date is not None and found.date.date == datetime.date(2026, 2, 11)
    assert (found.rule, found.version, found.status) == (RULE.name, RULE.version, "confirmed")
    assert s.text[found.trigger[0] : found.trigger[1]] == "approved"


def test_it_keeps_quantity_offsets_in_the_sentence():
    s = sentence(f"On Monday, the [{HEALTH}] issued [xAI] a permit; [xAI] plans 15 turbines.")
    [found] = find(s)
    assert found.quantities == ()
    s = sentence(f"On Monday, the [{HEALTH}] issued [xAI] a permit for 15 turbines.")
    [found] = find(s)
    [q] = found.quantities
    assert s.text[q.start : q.end] == "15 turbines"
    assert found.date is not None and found.date.date == datetime.date(2026, 2, 9)


def test_it_reads_a_permit_received_from_a_regulator():
    s = sentence(f"[xAI] received an air permit from the [{HEALTH}] in July 2025.")
    [found] = find(s)
    assert _parties(found) == ([eid(HEALTH)], [eid("xAI")])
    assert found.detail == "air permit"
    assert found.date is not None and found.date.date == datetime.date(2025, 7, 1)


def test_a_utility_approving_power_is_the_regulator():
    [found] = find(sentence("[TVA] approved 150 MW of power for [xAI] last year."))
    assert _parties(found) == ([eid("TVA")], [eid("xAI")])
    assert [(q.kind, q.value) for q in found.quantities] == [("power_mw", Decimal(150))]


def test_it_reads_the_passive_with_a_possessive_applicant():
    s = sentence(f"[xAI]'s permit for 15 turbines was approved by the [{HEALTH}].")
    [found] = find(s)
    assert _parties(found) == ([eid(HEALTH)], [eid("xAI")])


def test_it_resolves_the_department_from_earlier_sentences():
    s = sentence("The department granted [xAI] a permit for 15 turbines.", recent=("xAI", HEALTH))
    [found] = find(s)
    assert _parties(found) == ([eid(HEALTH)], [eid("xAI")])


def test_it_reads_a_board_signing_off_on_a_plan():
    s = sentence(
        "The [Air Pollution Control Board] signed off on [xAI]'s plan to run turbines at "
        "[Colossus]."
    )
    [found] = find(s)
    assert _parties(found) == ([eid("Air Pollution Control Board")], [eid("xAI")])
    assert found.entity_ids(Role.CLUSTER) == [eid("Colossus")]


def test_it_reads_approval_won_from_a_regulator():
    s = sentence(
        "[xAI] won approval from the [MDEQ] for 41 turbines at the [Southaven power plant] in June."
    )
    [found] = find(s)
    assert _parties(found) == ([eid("MDEQ")], [eid("xAI")])
    assert found.entity_ids(Role.CLUSTER) == [eid("Southaven power plant")]


def test_a_participle_takes_its_regulator_from_by():
    s = sentence(f"The permit, issued by the [{HEALTH}], allows [xAI] to operate 15 turbines.")
    [found] = find(s)
    assert _parties(found) == ([eid(HEALTH)], [eid("xAI")])
    appeal = f"The [NAACP] appealed the permit granted to [xAI] by the [{HEALTH}]."
    assert find(sentence(appeal)) == []


def test_an_aside_declining_comment_is_not_a_refusal():
    s = sentence(
        f"The [{HEALTH}], which declined to comment, issued [xAI] a permit for 15 turbines."
    )
    [found] = find(s)
    assert found.status == Status.CONFIRMED


def test_it_marks_rumours_and_denials():
    s = sentence("The [MDEQ] is reportedly poised to approve a permit for 41 turbines.")
    [rumour] = find(s)
    assert rumour.status == Status.RUMOURED
    [denial] = find(sentence(f"A spokesperson denied that the [{HEALTH}] approved the permit."))
    assert denial.status == Status.DENIED


def test_a_refused_permit_gives_nothing():
    for text in (
        f"The [{HEALTH}] denied [xAI]'s permit for 15 turbines.",
        "The [MDEQ] rejected the permit application for the [Southaven power plant].",
        f"The [{HEALTH}] voted down a permit for [xAI].",
    ):
        assert find(sentence(text)) == [], text


def test_it_finds_nothing_that_is_not_a_permit():
    for text in (
        "The [FTC] approved [Microsoft]'s acquisition of [Activision].",
        "The [MDEQ] has yet to approve a permit for the [Southaven power plant].",
        f"The [{HEALTH}] has not approved a permit for [xAI].",
        f"The [{HEALTH}] approved the budget on Tuesday.",
        "[xAI] applied for a permit to run 15 turbines.",
        f"The [NAACP] urged the [{HEALTH}] to issue a permit with strict limits.",
        "A permit for 15 turbines was approved last year.",
    ):
        assert find(sentence(text)) == [], text


def test_an_organisations_board_approves_for_it():
    s = sentence("[TVA]'s board of directors on Thursday approved 200 MW of power for [Oracle].")
    [found] = find(s)
    assert _parties(found) == ([eid("TVA")], [eid("Oracle")])
    assert found.date is not None and found.date.date == datetime.date(2026, 2, 12)
    # After a preposition the body is not the subject.
    assert find(sentence("Power for [Oracle] was discussed by [TVA]'s board.")) == []


def test_it_reads_who_granted_a_permit_that_is_being_appealed():
    s = sentence(
        f"Residents filed an appeal in May against an air permit for 12 turbines that the "
        f"[{HEALTH}] had issued in April."
    )
    [found] = find(s)
    assert found.entity_ids(Role.REGULATOR) == [eid(HEALTH)]
    assert found.date is not None and found.date.date == datetime.date(2025, 4, 1)


def test_it_still_ignores_an_appealed_permit_whose_grantor_is_not_the_relatives_subject():
    for text in (
        "Residents appealed the permit granted to [Meta] last year.",
        f"Residents appealed the permit, which [Meta] had obtained from the [{HEALTH}].",
    ):
        assert find(sentence(text)) == []


def test_it_ignores_a_correction_note():
    s = sentence(f"An earlier version incorrectly said the [{HEALTH}] approved 20 turbines.")
    assert find(s) == []


# Round 3: more of the ways outlets write an approval, and what is not one yet.


def test_it_reads_approvals_written_other_ways():
    for text, regulator, company in (
        (
            f"The [{HEALTH}] on Wednesday approved [xAI]'s application to run 15 gas turbines at "
            "[Colossus].",
            eid(HEALTH),
            eid("xAI"),
        ),
        (f"[{HEALTH}] Approves [xAI] Turbine Permit", eid(HEALTH), eid("xAI")),
        (
            f"[xAI] was granted a permit by the [{HEALTH}] to operate 15 turbines.",
            eid(HEALTH),
            eid("xAI"),
        ),
        ("[xAI] obtained a Title V permit from [MDEQ] last month.", eid("MDEQ"), eid("xAI")),
        ("[xAI] has received approval from the [TVA] for 150 megawatts.", eid("TVA"), eid("xAI")),
    ):
        [found] = find(sentence(text))
        assert found.entity_ids(Role.REGULATOR) == [regulator], text
        assert found.entity_ids(Role.COMPANY) == [company], text


def test_it_does_not_read_an_approval_that_may_come():
    for text in (
        f"The [{HEALTH}] could approve the permit as soon as next week.",
        "[xAI] hopes to win approval from [MDEQ] for 41 turbines.",
        f"The [{HEALTH}] is reviewing [xAI]'s permit application.",
        f"[xAI] applied for a permit from the [{HEALTH}] in January.",
    ):
        assert find(sentence(text)) == [], text


def test_it_before_the_verb_is_the_authority_not_the_company_named_last():
    marked = (
        "In February the [Tennessee Valley Authority]'s board approved another 150 megawatts "
        "for [xAI]'s Memphis-area operations, doubling the 150 megawatts it approved in 2024."
    )
    regulators = {r for f in find(sentence(marked)) for r in _parties(f)[0]}
    assert regulators == {eid("Tennessee Valley Authority")}
