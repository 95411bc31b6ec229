import datetime
from decimal import Decimal

from apps.events.rules.base import Finding
from apps.events.rules.cluster_milestone import RULE, find
from apps.events.vocabulary import EventType, Role, Status
from tests.events.rulekit import eid, sentence


def _counts(finding: Finding) -> list[tuple[str, Decimal]]:
    return [(q.kind, q.value) for q in finding.quantities]


def test_it_reads_a_count_reached_with_its_owner():
    s = sentence(
        "[xAI]'s [Colossus] supercomputer in Memphis now houses more than 200,000 Nvidia H100 "
        "and H200 GPUs."
    )
    [found] = find(s)
    assert found.type == EventType.CLUSTER_MILESTONE
    assert found.entity_ids(Role.CLUSTER) == [eid("Colossus")]
    assert found.entity_ids(Role.COMPANY) == [eid("xAI")]
    assert _counts(found) == [("gpus", Decimal(200000))]
    assert found.quantities[0].approximate
    assert (found.rule, found.version, found.status) == (RULE.name, RULE.version, "confirmed")
    assert s.text[found.trigger[0] : found.trigger[1]] == "houses"
    assert found.extras == {}


def test_it_gives_each_step_of_a_recap_its_own_date():
    s = sentence(
        "[Colossus] came online in September 2024 and doubled to 200,000 GPUs in February."
    )
    online, doubled = find(s)
    assert online.detail == "came online" and online.quantities == ()
    assert online.date is not None and online.date.date == datetime.date(2024, 9, 1)
    assert _counts(doubled) == [("gpus", Decimal(200000))]
    assert doubled.date is not None and doubled.date.date == datetime.date(2026, 2, 1)


def test_it_gives_two_clusters_their_own_counts_and_reads_a_left_out_noun():
    s = sentence("[Colossus 1] has 230,000 GPUs while [Colossus 2] will start with 550,000.")
    first, second = find(s)
    assert first.entity_ids(Role.CLUSTER) == [eid("Colossus 1")]
    assert _counts(first) == [("gpus", Decimal(230000))] and first.extras == {}
    assert second.entity_ids(Role.CLUSTER) == [eid("Colossus 2")]
    assert _counts(second) == [("gpus", Decimal(550000))]
    assert second.extras == {"projection": "1"}


def test_it_pairs_clusters_and_counts_given_respectively():
    s = sentence("[Colossus 1] and [Hyperion] have 230,000 and 550,000 GPUs respectively.")
    first, second = find(s)
    assert first.entity_ids(Role.CLUSTER) == [eid("Colossus 1")]
    assert _counts(first) == [("gpus", Decimal(230000))]
    assert second.entity_ids(Role.CLUSTER) == [eid("Hyperion")]
    assert _counts(second) == [("gpus", Decimal(550000))]


def test_a_plan_is_a_confirmed_projection():
    [found] = find(sentence("[xAI] plans to expand [Colossus] to 1 million GPUs."))
    assert _counts(found) == [("gpus", Decimal(1000000))]
    assert found.status == Status.CONFIRMED
    assert found.extras == {"projection": "1"}
    assert found.entity_ids(Role.COMPANY) == [eid("xAI")]


def test_a_future_date_makes_a_projection():
    [found] = find(sentence("[Colossus 2] is operational at 1 GW next year."))
    assert _counts(found) == [("power_mw", Decimal(1000))]
    assert found.extras == {"projection": "1"}


def test_the_supercomputer_stands_for_the_latest_cluster_and_its_counts_merge():
    s = sentence(
        "The supercomputer now draws 150 MW and runs 35 gas turbines.", recent=("Colossus",)
    )
    [found] = find(s)
    assert found.entity_ids(Role.CLUSTER) == [eid("Colossus")]
    assert _counts(found) == [("power_mw", Decimal(150)), ("turbines", Decimal(35))]


def test_it_reads_changes_of_state():
    [first] = find(sentence("[Colossus 2] got its first GB200s on Monday."))
    assert first.detail == "first GB200s"
    assert first.date is not None and first.date.date == datetime.date(2026, 2, 9)
    [ground] = find(sentence("Construction began at the site in June.", recent=("Colossus 2",)))
    assert ground.entity_ids(Role.CLUSTER) == [eid("Colossus 2")]
    assert ground.date is not None and ground.date.date == datetime.date(2025, 6, 1)
    [training] = find(sentence("[xAI] began training Grok 5 on [Colossus 2] last week."))
    assert training.detail == "began training"
    assert training.entity_ids(Role.COMPANY) == [eid("xAI")]


def test_it_may_stand_for_the_cluster_just_named():
    s = sentence("[xAI] built [Colossus] in 122 days, and it went live in September 2024.")
    [found] = find(s)
    assert found.entity_ids(Role.CLUSTER) == [eid("Colossus")]
    assert found.date is not None and found.date.date == datetime.date(2024, 9, 1)
    assert find(sentence("[xAI] said it now has 200,000 GPUs.", recent=("Colossus",))) == []


def test_has_before_a_participle_is_an_auxiliary():
    assert find(sentence("[Nvidia] has sold 100,000 GPUs to [xAI] for [Colossus].")) == []
    assert find(sentence("[Colossus] has drawn criticism over its 35 gas turbines.")) == []


def test_it_reads_a_count_before_its_change_and_a_count_added_to_a_cluster():
    [online] = find(sentence("Some 100,000 GPUs came online at [Colossus] in September."))
    assert _counts(online) == [("gpus", Decimal(100000))]
    [added] = find(sentence("[xAI] added 100,000 GPUs to [Colossus] in 92 days."))
    assert _counts(added) == [("gpus", Decimal(100000))]
    assert added.entity_ids(Role.COMPANY) == [eid("xAI")]


def test_it_reads_where_a_count_went_not_where_it_started():
    [grew] = find(sentence("[Colossus] grew from 100,000 to 200,000 GPUs."))
    assert _counts(grew) == [("gpus", Decimal(200000))]
    [up] = find(sentence("[Colossus] reached 200,000 GPUs, up from 100,000 GPUs in 2024."))
    assert _counts(up) == [("gpus", Decimal(200000))]
    assert up.date is None


def test_it_marks_rumours():
    [found] = find(sentence("[Colossus 2] reportedly reached 550,000 GPUs."))
    assert found.status == Status.RUMOURED


def test_it_does_not_read_counts_that_belong_to_something_else():
    for text in (
        "The [Shelby County Health Department] approved a permit for [xAI] to run 15 gas "
        "turbines at [Colossus].",
        "[xAI] raised $6 billion to build [Colossus], which employs 100,000 people.",
        "[xAI] bought 100,000 GPUs for [Colossus] from [Nvidia].",
        "[Colossus] has room for 1 million GPUs.",
    ):
        assert find(sentence(text)) == [], text


def test_it_finds_nothing_without_a_milestone():
    for text in (
        "[Colossus] has not reached full capacity.",
        "[Colossus] is yet to come online.",
        "Grok 3 was trained on [Colossus].",
        "The [Colossus]-trained model Grok 3 went live on Monday.",
        "The facility came online in 2024.",  # no cluster in the article so far
        "[xAI] now has 200,000 GPUs.",
        "Residents near [Colossus] said the turbines run day and night.",
    ):
        assert find(sentence(text)) == [], text
