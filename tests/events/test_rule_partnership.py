import datetime

import pytest

from apps.events.rules.partnership import RULE, find
from apps.events.vocabulary import EventType, Role, Status
from tests.events.rulekit import eid, sentence

D = datetime.date


def partners(marked: str, **kwargs) -> list[list[int]]:
    return [f.entity_ids(Role.PARTNER) for f in find(sentence(marked, **kwargs))]


@pytest.mark.parametrize(
    ("marked", "companies"),
    [
        ("[xAI] partnered with [Nvidia] on Tuesday.", ["xAI", "Nvidia"]),
        ("[xAI] and [Oracle] signed a deal in June 2025.", ["xAI", "Oracle"]),
        ("[xAI] signed a $300 million agreement with [Telegram].", ["xAI", "Telegram"]),
        (
            "[Microsoft] teamed up with [xAI] and [Nvidia] last week.",
            ["Microsoft", "xAI", "Nvidia"],
        ),
        ("A partnership between [xAI] and [Microsoft] was announced.", ["xAI", "Microsoft"]),
        ("[xAI] and [Nvidia] have formed a joint venture.", ["xAI", "Nvidia"]),
        ("[xAI] expanded its partnership with [Oracle] in January.", ["xAI", "Oracle"]),
        ("[xAI] signed a contract with [Nvidia] for 100,000 GPUs.", ["xAI", "Nvidia"]),
        ("[xAI] inked a multi-year cloud pact with [Oracle].", ["xAI", "Oracle"]),
        ("[xAI] is collaborating with [Microsoft] on safety research.", ["xAI", "Microsoft"]),
        ("[Nvidia] and [xAI] are partners on the project.", ["Nvidia", "xAI"]),
        (
            "[OpenAI] launched a joint venture called Stargate with [Oracle] and [SoftBank].",
            ["OpenAI", "Oracle", "SoftBank"],
        ),
    ],
)
def test_it_reads_partnerships(marked, companies):
    assert partners(marked) == [[eid(name) for name in companies]]


def test_it_reads_a_lease_of_a_cluster_between_two_companies():
    s = sentence("[xAI] will lease [Colossus 2] to [Anthropic], the companies said on Monday.")
    [finding] = find(s)
    assert finding.type == EventType.PARTNERSHIP
    assert (finding.rule, finding.version) == (RULE.name, RULE.version)
    assert finding.participants == (
        (Role.PARTNER, eid("xAI")),
        (Role.PARTNER, eid("Anthropic")),
        (Role.CLUSTER, eid("Colossus 2")),
    )
    assert finding.date.date == D(2026, 2, 9)
    assert s.text[finding.trigger[0] : finding.trigger[1]] == "lease"
    [tenant] = find(sentence("[Anthropic] leased capacity at [Project Rainier] from [Amazon]."))
    assert tenant.entity_ids(Role.PARTNER) == [eid("Anthropic"), eid("Amazon")]
    assert tenant.entity_ids(Role.CLUSTER) == [eid("Project Rainier")]


def test_it_takes_the_cluster_a_deal_is_about():
    [finding] = find(sentence("[Oracle] struck a deal with [xAI] to use [Colossus] for training."))
    assert finding.entity_ids(Role.PARTNER) == [eid("Oracle"), eid("xAI")]
    assert finding.entity_ids(Role.CLUSTER) == [eid("Colossus")]


def test_it_reads_the_company_from_an_earlier_sentence():
    marked = "The company announced a partnership with [Nvidia] on Monday."
    assert partners(marked, recent=("xAI",)) == [[eid("xAI"), eid("Nvidia")]]


@pytest.mark.parametrize(
    ("marked", "status"),
    [
        ("[xAI] is in talks to partner with [Oracle], according to people familiar with it.", "r"),
        ("[xAI] denied it had signed a deal with [Oracle].", "d"),
    ],
)
def test_it_reads_rumours_and_denials(marked, status):
    [finding] = find(sentence(marked))
    assert finding.status == {"r": Status.RUMOURED, "d": Status.DENIED}[status]


@pytest.mark.parametrize(
    "marked",
    [
        "[xAI] competes with [OpenAI] and [Anthropic].",
        "[Musk] met with [Nvidia] executives on Monday.",
        "[xAI] is in a dispute with [OpenAI] over a contract.",
        "[xAI] signed a deal to acquire [X].",
        "[xAI] signed a merger agreement with [X].",
        "[xAI] signed a settlement agreement with [OpenAI] on Monday.",
        "[xAI] settled with [OpenAI].",
        "[xAI] ended its partnership with [Oracle] last month.",
        "[xAI] has not partnered with [OpenAI].",
        "[xAI] is working with [Microsoft] on the project.",
        "[xAI] partnered with a local utility.",
        "[xAI] leased a warehouse near [Memphis].",
    ],
)
def test_it_finds_nothing_in_other_dealings(marked):
    assert find(sentence(marked)) == []


@pytest.mark.parametrize(
    "marked",
    [
        "In April [Oracle] agreed to let [OpenAI] use all of [Stargate Abilene] for training.",
        "[Oracle] said on Monday that [OpenAI] would take over [Stargate Abilene].",
        "[OpenAI] will run on [Stargate Abilene] under an agreement [Oracle] signed in April.",
    ],
)
def test_it_reads_a_company_using_another_companys_cluster(marked):
    [finding] = find(sentence(marked))
    assert set(finding.entity_ids(Role.PARTNER)) == {eid("Oracle"), eid("OpenAI")}
    assert finding.entity_ids(Role.CLUSTER) == [eid("Stargate Abilene")]


@pytest.mark.parametrize(
    "marked",
    [
        "[OpenAI] uses [Stargate Abilene] to train its models.",  # no owner in the sentence
        "[Sam Altman] said that [OpenAI] would use [Stargate Abilene].",  # a person says so
        "[Oracle] said that [OpenAI] would not use [Stargate Abilene].",
        "[Oracle] said that [OpenAI] would use more chips.",  # no cluster
    ],
)
def test_it_finds_no_tenancy_without_an_owner_and_a_cluster(marked):
    assert find(sentence(marked)) == []


# Round 3: phrasings from outlets the rules were not written against.
@pytest.mark.parametrize(
    ("marked", "status"),
    [
        ("[xAI] Partners With [Oracle] on Training Capacity", "c"),
        ("[xAI] and [Oracle] signed a multiyear partnership on Monday.", "c"),
        ("[xAI] teamed up with [Oracle] to build a data centre.", "c"),
        ("[xAI] announced a strategic alliance with [Oracle].", "c"),
        ("[xAI] denied it had partnered with [Oracle].", "d"),
    ],
)
def test_it_reads_partnerships_as_other_outlets_write_them(marked, status):
    [finding] = find(sentence(marked))
    assert sorted(finding.entity_ids(Role.PARTNER)) == sorted([eid("xAI"), eid("Oracle")])
    expected = {"r": Status.RUMOURED, "d": Status.DENIED, "c": Status.CONFIRMED}[status]
    assert finding.status == expected


@pytest.mark.parametrize(
    "marked",
    [
        "Analysts expect [Meta] to partner with [Google].",
        "[Meta] ended its partnership with [Google] in May.",
        "[Tesla] partners include [Nvidia] and [Oracle].",
        "[Nvidia] and [xAI] have not partnered.",
        "[Meta] called off its partnership with [Google].",
    ],
)
def test_it_finds_no_partnership_in_forecasts_and_endings(marked):
    assert find(sentence(marked)) == []
