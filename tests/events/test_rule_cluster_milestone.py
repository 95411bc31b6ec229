import dataclasses
import datetime
from decimal import Decimal

from apps.events.rules.base import CLUSTER, PERSON, Finding
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
    [up] = find(sentence("[Colossus] reached 200,000 GPUs, up from 100,000 GPUs earlier."))
    assert _counts(up) == [("gpus", Decimal(200000))]
    assert up.date is None


def test_it_reads_a_dated_earlier_count_as_a_milestone_of_its_own():
    s = sentence("[Colossus 2] now runs 40 turbines, up from 12 in October, a county filing shows.")
    now, before = find(s)
    assert _counts(now) == [("turbines", Decimal(40))] and now.date is None
    assert _counts(before) == [("turbines", Decimal(12))]
    assert before.date is not None and before.date.date == datetime.date(2025, 10, 1)
    assert before.entity_ids(Role.CLUSTER) == [eid("Colossus 2")]


def test_it_leaves_an_undated_earlier_count_alone():
    [found] = find(sentence("[Colossus] has 300 MW, up from 150 at its previous count."))
    assert _counts(found) == [("power_mw", Decimal(300))]


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


def test_it_reads_a_reduced_switched_on_and_refuses_turned_on_as_an_attack():
    s = sentence("[Meta]'s [Hyperion] led the field, powered on in late March.")
    [found] = find(s)
    assert found.entity_ids(Role.CLUSTER) == [eid("Hyperion")]
    assert found.detail == "powered on"
    assert found.date is not None and found.date.date == datetime.date(2025, 3, 1)
    assert find(sentence("Local activists turned on [xAI] after [Colossus] opened.")) == []


def test_it_reads_full_operating_capacity():
    [found] = find(sentence("[Stargate Abilene] hit full operating capacity last month."))
    assert found.detail == "hit full operating capacity"
    assert found.date is not None and found.date.date == datetime.date(2026, 1, 1)


def test_taking_a_cluster_to_a_count_is_a_plan_when_it_was_wanted():
    s = sentence("In October [Oracle] said it wanted to take [Stargate Abilene] to 400,000 GPUs.")
    [found] = find(s)
    assert _counts(found) == [("gpus", Decimal(400000))]
    assert found.extras == {"projection": "1"}
    assert found.date is not None and found.date.date == datetime.date(2025, 10, 1)


def test_a_count_with_an_aside_is_the_subject_of_training_and_the_colon_clause_dates_it():
    s = sentence(
        "[Sam Altman] posted an update on Monday: 400,000 chips, including 50,000 GB300s, are "
        "already training models at [Stargate Abilene]."
    )
    [found] = find(s)
    assert found.entity_ids(Role.CLUSTER) == [eid("Stargate Abilene")]
    assert _counts(found) == [("chips", Decimal(400000))]
    assert found.date is not None and found.date.date == datetime.date(2026, 2, 9)


def test_the_companys_campus_stands_for_the_latest_cluster():
    s = sentence(
        "An [Amazon] executive said 300,000 Trainium2 chips are running at the company's campus.",
        recent=("Project Rainier",),
    )
    [found] = find(s)
    assert found.entity_ids(Role.CLUSTER) == [eid("Project Rainier")]
    assert _counts(found) == [("chips", Decimal(300000))]


def test_a_named_site_is_not_the_latest_cluster():
    s = sentence(
        "Photos taken on Sunday show the gas turbines removed from the [Colossus 1] site.",
        recent=("Colossus 2",),
    )
    [found] = find(s)
    assert found.entity_ids(Role.CLUSTER) == [eid("Colossus 1")]
    assert found.detail == "turbines removed" and found.quantities == ()


def test_only_turbines_are_removed_from_a_cluster():
    [found] = find(sentence("[xAI] hauled away 12 turbines from [Colossus] in May."))
    assert found.detail == "turbines removed" and found.quantities == ()
    assert find(sentence("[xAI] was removed from the list of bidders for [Colossus] work.")) == []


def test_an_apposed_count_in_the_subject_comes_online_with_its_cluster():
    s = sentence(
        "[Oracle] said phase two of [Stargate Abilene], about 200,000 GB200 chips, should start "
        "coming online next quarter."
    )
    [found] = find(s)
    assert _counts(found) == [("gpus", Decimal(200000))]
    assert found.extras == {"projection": "1"}


def test_the_first_to_reach_is_a_claim_not_a_plan():
    s = sentence(
        "[Sam Altman] said on Friday that [Stargate Abilene] is the only site in the country to "
        "draw 1.2 GW."
    )
    [found] = find(s)
    assert _counts(found) == [("power_mw", Decimal(1200))]
    assert found.extras == {}
    assert found.date is not None and found.date.date == datetime.date(2026, 2, 6)
    [plan] = find(sentence("[Hyperion] will be the first cluster to draw 5 GW."))
    assert plan.extras == {"projection": "1"}


def test_a_season_just_past_gives_its_year():
    s = sentence("Analysts said last summer that [Hyperion] had some 150,000 GPUs installed.")
    [found] = find(s)
    # when.py may place the season in its middle month or leave it at the year: either way 2025.
    assert found.date is not None and found.date.date.year == 2025
    assert found.date.approximate


def test_running_accelerators_in_a_sentence_naming_no_one_run_at_the_latest_cluster():
    s = sentence(
        "Work started in May, when [Musk] wrote that 50,000 H100s in one hall had begun training.",
        recent=("Colossus 2",),
    )
    [found] = find(s)
    assert found.entity_ids(Role.CLUSTER) == [eid("Colossus 2")]
    assert _counts(found) == [("gpus", Decimal(50000))]
    # Another company named: the chips may be anyone's.
    other = sentence("[Meta] said 50,000 H100s had begun training.", recent=("Colossus 2",))
    assert find(other) == []


def test_a_bare_count_beside_a_cluster_gives_its_size():
    s = sentence(
        "Researchers date [Hyperion], 250,000 GB200s on a Louisiana campus, to early December."
    )
    [found] = find(s)
    assert _counts(found) == [("gpus", Decimal(250000))]
    assert found.date is not None and found.date.date == datetime.date(2025, 12, 1)
    passing = sentence("[xAI] leased land beside [Colossus], a 100,000-GPU cluster, in May.")
    assert find(passing) == []


def test_it_reads_a_count_a_cluster_stood_at_in_an_aside_with_the_asides_date():
    s = sentence(
        "The Atlanta campus, which stood at 300 MW in June, now draws 615 MW.",
        recent=("Fairwater Atlanta",),
    )
    then, now = find(s)
    assert _counts(then) == [("power_mw", Decimal(300))]
    assert then.date is not None and then.date.date == datetime.date(2025, 6, 1)
    assert _counts(now) == [("power_mw", Decimal(615))] and now.date is None


def test_it_reads_there_as_the_articles_latest_cluster():
    s = sentence(
        "[Amazon]'s cloud chief said in November that 400,000 Trainium2 chips were running there.",
        recent=("Amazon", "Project Rainier"),
    )
    [found] = find(s)
    assert found.entity_ids(Role.CLUSTER) == [eid("Project Rainier")]
    assert _counts(found) == [("chips", Decimal(400000))]
    [tied] = find(
        sentence("[Nvidia] said the 50,000 GPUs there are networked.", recent=("Hyperion",))
    )
    assert tied.entity_ids(Role.CLUSTER) == [eid("Hyperion")]


def test_it_does_not_read_an_existential_there_or_a_place_visited():
    for text in (
        "There were 3,000 people at the opening, [Meta] said.",
        "[Musk] went there in May and said the chips were fine.",
    ):
        assert find(sentence(text, recent=("Hyperion",))) == []


def test_it_reads_a_count_someone_puts_at_a_figure():
    s = sentence(
        "A county filing last week put the number of turbines at the plant at 31, up from 20 in "
        "November.",
        recent=("Colossus 2",),
    )
    now, before = find(s)
    assert now.entity_ids(Role.CLUSTER) == [eid("Colossus 2")]
    assert _counts(now) == [("turbines", Decimal(31))]
    assert _counts(before) == [("turbines", Decimal(20))]
    assert before.date is not None and before.date.date == datetime.date(2025, 11, 1)


def test_it_reads_buildings_running_and_power_supply_starting():
    [built] = find(sentence("[Hyperion] had its first three halls fully running by late October."))
    assert built.entity_ids(Role.CLUSTER) == [eid("Hyperion")]
    assert built.date is not None and built.date.date == datetime.date(2025, 10, 1)
    [fed] = find(
        sentence("Gas turbines there began supplying the halls in March.", recent=("Hyperion",))
    )
    assert fed.entity_ids(Role.CLUSTER) == [eid("Hyperion")]


def test_it_ignores_a_third_partys_forecast_and_never_makes_the_forecaster_the_owner():
    for text in (
        "[SemiAnalysis] expects [Hyperion] to reach 2 GW by 2028.",
        "[SemiAnalysis] forecasts the Louisiana site to pass 1 GW next year.",
        "[SemiAnalysis]'s model has the first hall of [Hyperion] switching on in April.",
    ):
        assert find(sentence(text, recent=("Hyperion",))) == []
    [estimate] = find(sentence("[SemiAnalysis] estimates [Hyperion] reached 400 MW in January."))
    assert estimate.entity_ids(Role.COMPANY) == []
    [plan] = find(sentence("[Meta] plans to expand [Hyperion] to 2 GW."))
    assert plan.entity_ids(Role.COMPANY) == [eid("Meta")] and plan.extras == {"projection": "1"}


def test_it_takes_a_possessive_owner_only_when_it_stands_before_the_cluster():
    [owned] = find(sentence("[Meta]'s Louisiana campus [Hyperion] came online in May."))
    assert owned.entity_ids(Role.COMPANY) == [eid("Meta")]
    [found] = find(
        sentence("[SemiAnalysis]'s satellite count shows [Hyperion] reached 200 MW in May.")
    )
    assert found.entity_ids(Role.COMPANY) == []


def test_it_ignores_a_correction_notes_withdrawn_figure():
    s = sentence(
        "Correction: A previous version of this story said [Hyperion] reached 2 GW; it has 1 GW."
    )
    assert all(_counts(f) != [("power_mw", Decimal(2000))] for f in find(s))


def test_it_reads_hearsay_as_a_rumour():
    [found] = find(
        sentence("Word around Richland Parish is that [Hyperion] came online on Sunday.")
    )
    assert found.status == Status.RUMOURED


def test_it_does_not_read_a_complaints_allegation_as_a_count():
    for text in (
        "The suit accuses [Meta] of running 20 turbines at [Hyperion] without permits.",
        "The complaint alleges that [Hyperion] ran 20 turbines without permits.",
    ):
        assert find(sentence(text)) == []


def test_it_reads_an_apposition_as_the_named_cluster_not_the_latest():
    s = sentence("[Stargate Abilene], the Texas campus, came online in June.", recent=("Hyperion",))
    [found] = find(s)
    assert found.entity_ids(Role.CLUSTER) == [eid("Stargate Abilene")]


# Round 3: the other ways outlets write a cluster's size and state.


def _one(text: str, recent: tuple[str, ...] = (), in_title: bool = False) -> Finding:
    [found] = find(sentence(text, recent=recent, in_title=in_title))
    return found


def test_it_reads_the_many_verbs_a_count_is_told_with():
    for text, kind, value in (
        ("[Colossus] is home to 200,000 GPUs.", "gpus", 200000),
        ("[Colossus] now counts some 230,000 GPUs.", "gpus", 230000),
        ("[Colossus 2] now sports 550,000 GB200 chips.", "gpus", 550000),
        ("[Colossus] packs 200,000 GPUs into a former Electrolux factory.", "gpus", 200000),
        ("[xAI]'s [Colossus] boasts 100,000 Nvidia H100 chips.", "gpus", 100000),
        ("[Colossus] runs on 150 MW of power drawn from the grid.", "power_mw", 150),
        ("[Colossus] went from 100,000 to 200,000 GPUs in 92 days.", "gpus", 200000),
        ("[Colossus] was built with 100,000 H100 GPUs in 122 days.", "gpus", 100000),
        ("[Colossus] now stands at two hundred thousand GPUs.", "gpus", 200000),
    ):
        found = _one(text)
        assert found.entity_ids(Role.CLUSTER)[0] in (eid("Colossus"), eid("Colossus 2")), text
        assert _counts(found) == [(kind, Decimal(value))], text
        assert found.extras == {}, text


def test_it_reads_wire_copy_with_a_dateline_and_an_aside():
    found = _one(
        "MEMPHIS, Tenn. (AP) — [xAI]'s [Colossus] supercomputer, which the company says is the "
        "world's largest, now totals 200,000 GPUs."
    )
    assert _counts(found) == [("gpus", Decimal(200000))]
    assert found.entity_ids(Role.COMPANY) == [eid("xAI")]


def test_it_reads_headlines_in_title_case():
    hits = _one("[Colossus] Hits 200K GPUs", in_title=True)
    assert _counts(hits) == [("gpus", Decimal(200000))]
    tops = _one("[xAI]'s [Colossus] Now Tops 200,000 GPUs, Musk Says", in_title=True)
    assert _counts(tops) == [("gpus", Decimal(200000))]
    assert _one("[Colossus 2] Comes Online", in_title=True).detail == "comes online"


def test_it_reads_figures_set_beside_the_cluster():
    for text in (
        "[Colossus], with 200,000 GPUs, is the largest cluster in the world.",
        "[Colossus], a 200,000-GPU system in Memphis, is the world's largest.",
        "[xAI] trains Grok on [Colossus], a supercomputer with 200,000 GPUs.",
        "With 200,000 GPUs, [Colossus] is the largest AI training system in the world.",
        "[Colossus] \u2014 200,000 GPUs strong \u2014 came online in 2024.",
    ):
        found = _one(text)
        assert _counts(found) == [("gpus", Decimal(200000))], text
        assert found.date is None, text  # said in passing: the clause's date is not the figure's


def test_a_figure_in_passing_joins_the_change_of_state_of_its_cluster():
    found = _one("[Colossus] (200,000 GPUs) came online last year.")
    assert found.detail == "came online"
    assert _counts(found) == [("gpus", Decimal(200000))]
    assert found.date is not None and found.date.date.year == 2025


def test_it_reads_a_figure_written_as_a_modifier():
    named = _one("The 150MW facility, known as [Colossus], sits in south Memphis.")
    assert _counts(named) == [("power_mw", Decimal(150))]
    latest = _one("The 150MW facility sits beside a TVA substation.", recent=("Colossus",))
    assert latest.entity_ids(Role.CLUSTER) == [eid("Colossus")]
    owned = _one("[xAI]'s 200,000-GPU [Colossus] trained Grok 3.")
    assert owned.entity_ids(Role.COMPANY) == [eid("xAI")]
    assert find(sentence("[Colossus 2] is the first gigawatt-class cluster.")) == []


def test_the_facility_its_and_a_count_noun_stand_for_the_latest_cluster():
    recent = ("Colossus",)
    for text, kind, value in (
        ("The facility is now home to 200,000 GPUs.", "gpus", 200000),
        ("Its capacity has since grown to 300 MW.", "power_mw", 300),
        ("The site's GPU count stands at about 200,000.", "gpus", 200000),
        ("Since then, the supercomputer has doubled in size, to 200,000 GPUs.", "gpus", 200000),
    ):
        found = _one(text, recent)
        assert found.entity_ids(Role.CLUSTER) == [eid("Colossus")], text
        assert _counts(found) == [(kind, Decimal(value))], text


def test_it_takes_the_date_of_the_clause():
    brings = _one("The expansion brings [Colossus] to 300,000 GPUs, the company said Monday.")
    assert brings.date is not None and brings.date.date == datetime.date(2026, 2, 9)
    climbed = _one("[Colossus]'s power draw has climbed from 150 MW to 300 MW this year.")
    assert _counts(climbed) == [("power_mw", Decimal(300))]
    assert climbed.date is not None and climbed.date.date.year == 2026


def test_it_reads_more_changes_of_state():
    for text, detail, day in (
        ("[xAI] brought [Colossus] online in just 122 days in 2024.", "came online", None),
        ("[xAI] finished [Colossus] in September 2024.", "finished", datetime.date(2024, 9, 1)),
        ("[Colossus] officially opened its doors on Sept. 2, 2024.", "opened", None),
        ("Operations at [Colossus] began in September 2024.", "operations began", None),
        ("[Colossus] has been running since September 2024.", "online since", None),
    ):
        found = _one(text)
        assert found.detail == detail, text
        assert found.date is not None and found.date.date.year == 2024, text
        assert day is None or found.date.date == day, text
    assert _one("[Colossus 2] is now partially online.").entity_ids(Role.CLUSTER) == [
        eid("Colossus 2")
    ]


def test_a_plan_in_an_aside_is_still_a_plan():
    found = _one("[Colossus 2], which will eventually house 550,000 GB200s, is under construction.")
    assert found.extras == {"projection": "1"}


def test_it_reads_rumours_and_denials_of_a_count():
    talks = _one("[xAI] is reportedly in talks to expand [Colossus] to 1 million GPUs.")
    assert talks.status == Status.RUMOURED and talks.extras == {"projection": "1"}
    denied = _one("[xAI] denied reports that [Colossus] had reached 300,000 GPUs.")
    assert denied.status == Status.DENIED


def test_it_does_not_read_comparisons_suppositions_or_outsiders_guesses():
    for text in (
        "[Meta]'s new cluster will have 1.3 million GPUs, more than [Colossus].",
        "[Microsoft] runs 300,000 GPUs in Atlanta, dwarfing [Colossus].",
        "[Colossus] needs more power than the 150 MW the grid supplies, critics say.",
        "If [Colossus] reached 1 million GPUs, it would draw 1.5 GW.",
        "Analysts say [Colossus] could need 2 GW by 2027.",
        "[Colossus] could one day hold 1 million GPUs, one analyst speculated.",
        "[Colossus] is smaller than [Meta]'s 350,000-GPU fleet.",
        "[Colossus] cost an estimated $7 billion to build.",
        "The 35 turbines near [Colossus] emit nitrogen oxides.",
        "[Colossus] employs 1,000 people.",
        "[Colossus] is home to 1,200 jobs.",
        "[xAI] opened an office near [Colossus] in May.",
        "[Nvidia] sold 200,000 GPUs last quarter.",
    ):
        assert find(sentence(text, recent=("Colossus",))) == [], text


def _fictional(
    marked: str,
    *,
    clusters: tuple[str, ...],
    recent: tuple[str, ...] = (),
    people: tuple[str, ...] = (),
):
    """A sentence about made-up sites and people: the names in `clusters` are clusters and those
    in `people` persons, not companies."""
    s = sentence(marked, recent=recent)

    def kind(n):
        if n.surface in clusters:
            return dataclasses.replace(n, kind=CLUSTER)
        return dataclasses.replace(n, kind=PERSON) if n.surface in people else n

    return dataclasses.replace(
        s, names=tuple(map(kind, s.names)), recent=tuple(map(kind, s.recent))
    )


def test_it_reads_training_that_started_there():
    s = _fictional(
        "On February 3 she said training had begun there on 24,000 MI300X GPUs.",
        clusters=("Helios",),
        recent=("Vantor", "Helios"),
    )
    [found] = find(s)
    assert found.entity_ids(Role.CLUSTER) == [eid("Helios")]
    assert found.detail == "training began"
    assert _counts(found) == [("gpus", Decimal(24000))]
    assert found.date is not None and found.date.date == datetime.date(2026, 2, 3)
    assert found.extras == {}
    negated = _fictional(
        "She said training had not begun there yet.", clusters=("Helios",), recent=("Helios",)
    )
    assert find(negated) == []


def test_it_reads_a_growth_said_of_it_after_a_person_spoke():
    s = _fictional(
        "[Rosa Ortega] posted that it would expand to 64,000 GPUs by autumn.",
        clusters=("Helios",),
        recent=("Helios",),
        people=("Rosa Ortega",),
    )
    [found] = find(s)
    assert found.entity_ids(Role.CLUSTER) == [eid("Helios")]
    assert _counts(found) == [("gpus", Decimal(64000))]
    assert found.extras == {"projection": "1"}


def test_it_leaves_it_to_a_company_named_before_or_counts_of_people():
    for text in (
        "[Vantor] said it would expand to 64,000 GPUs by autumn.",
        "[Rosa Ortega] said it would grow to 5,000 employees.",
    ):
        s = _fictional(text, clusters=("Helios",), recent=("Helios",), people=("Rosa Ortega",))
        assert find(s) == [], text


def test_a_growth_under_way_is_a_projection_beside_the_count_reached():
    s = _fictional(
        "The 32,000 GPUs there are wired together, and [Vantor] is now doubling [Helios] to "
        "64,000 GPUs.",
        clusters=("Helios",),
        recent=("Helios",),
    )
    reached, doubling = find(s)
    assert _counts(reached) == [("gpus", Decimal(32000))] and reached.extras == {}
    assert _counts(doubling) == [("gpus", Decimal(64000))]
    assert doubling.extras == {"projection": "1"}
    done = _fictional("[Helios] doubled to 64,000 GPUs in May.", clusters=("Helios",))
    assert find(done)[0].extras == {}


def test_it_reads_a_count_given_as_so_many_of_them():
    s = _fictional(
        "In May the firm said the first MI355Xs for the site, 48,000 of them, would start coming "
        "online in weeks.",
        clusters=("Helios",),
        recent=("Helios",),
    )
    [found] = find(s)
    assert _counts(found) == [("gpus", Decimal(48000))]
    assert found.extras == {"projection": "1"}
    # Only chips are counted so: "400 of them" after engineers is no count of the site's.
    staff = _fictional(
        "The first engineers for the site, 400 of them, started work in May.",
        clusters=("Helios",),
        recent=("Helios",),
    )
    assert find(staff) == []


def test_it_reads_a_count_after_a_plain_be():
    plan = _fictional(
        "The first phase of [Helios], she said, will be 64,000 MI355X chips.",
        clusters=("Helios",),
    )
    [found] = find(plan)
    assert _counts(found) == [("gpus", Decimal(64000))]
    assert found.extras == {"projection": "1"}
    [now] = find(_fictional("[Helios] is 300 MW today.", clusters=("Helios",)))
    assert _counts(now) == [("power_mw", Decimal(300))] and now.extras == {}
    for text in (
        "[Helios] is one of three sites with 100,000 GPUs.",
        "[Helios] is not 300 MW yet.",
        "[Helios] is the largest of the 12 sites.",
    ):
        assert find(_fictional(text, clusters=("Helios",))) == [], text
