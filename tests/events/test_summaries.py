from apps.events.summaries import summarize
from apps.events.vocabulary import EventType, Status


def test_it_says_who_left_where_for_where() -> None:
    names = {"person": ["Jimmy Ba"], "from_company": ["xAI"], "destination": ["OpenAI"]}
    assert summarize(EventType.DEPARTURE, names, quantities={}) == "Jimmy Ba left xAI for OpenAI"


def test_it_leaves_out_a_role_without_a_name() -> None:
    names = {"person": ["Jimmy Ba"], "from_company": ["xAI"]}
    assert summarize(EventType.DEPARTURE, names, quantities={}) == "Jimmy Ba left xAI"
    assert summarize(EventType.DEPARTURE, {}, quantities={}) == "Someone left a company"


def test_it_says_who_joined_from_where() -> None:
    names = {"person": ["Ada"], "destination": ["OpenAI"], "from_company": ["xAI"]}
    assert summarize(EventType.HIRE, names, quantities={}) == "Ada joined OpenAI from xAI"


def test_it_lists_several_names_once_each() -> None:
    names = {"partner": ["Nvidia", "Oracle", "Nvidia", "xAI"]}
    assert summarize(EventType.PARTNERSHIP, names, quantities={}) == (
        "Nvidia, Oracle and xAI partnered"
    )


def test_it_writes_money_in_words() -> None:
    names = {"acquirer": ["xAI"], "acquired": ["X"]}
    assert summarize(EventType.ACQUISITION, names, quantities={"usd": 33_000_000_000}) == (
        "xAI acquired X for $33 billion"
    )
    assert summarize(EventType.ACQUISITION, names, quantities={"usd": "1250000"}) == (
        "xAI acquired X for $1.25 million"
    )
    assert summarize(EventType.ACQUISITION, names, quantities={"usd": 750_000}) == (
        "xAI acquired X for $750,000"
    )


def test_it_says_what_a_company_raised_at_what_valuation_from_whom() -> None:
    names = {"recipient": ["xAI"], "investor": ["Sequoia", "a16z"]}
    quantities = {"usd": 6_000_000_000, "valuation_usd": 24_000_000_000}
    assert summarize(EventType.FUNDING, names, quantities=quantities) == (
        "xAI raised $6 billion at a $24 billion valuation from Sequoia and a16z"
    )
    assert summarize(EventType.FUNDING, {"recipient": ["xAI"]}, quantities={}) == (
        "xAI raised new funding"
    )


def test_it_says_what_a_cluster_reached() -> None:
    names = {"cluster": ["Colossus 1"]}
    quantities = {"gpus": 200_000, "chip_type": "H100", "power_mw": 1500}
    assert summarize(EventType.CLUSTER_MILESTONE, names, quantities=quantities) == (
        "Colossus 1 reached 200,000 H100 GPUs and 1.5 GW"
    )


def test_it_says_a_projection_is_a_plan() -> None:
    quantities = {"power_mw": 150, "projection": True}
    assert summarize(EventType.CLUSTER_MILESTONE, {}, quantities=quantities) == (
        "A cluster is planned to reach 150 MW"
    )


def test_it_says_what_a_regulator_approved_for_whom() -> None:
    names = {"regulator": ["Shelby County"], "cluster": ["Colossus"]}
    assert summarize(EventType.PERMIT, names, quantities={"turbines": 15}) == (
        "Shelby County approved 15 turbines for Colossus"
    )


def test_it_says_who_sued_whom_over_what() -> None:
    names = {"plaintiff": ["NAACP"], "defendant": ["xAI"], "cluster": ["Colossus"]}
    assert summarize(EventType.LAWSUIT, names, quantities={}) == "NAACP sued xAI over Colossus"


def test_it_names_a_release_by_its_detail() -> None:
    names = {"company": ["xAI"]}
    assert summarize(EventType.MODEL_RELEASE, names, quantities={}, detail="Grok 3") == (
        "xAI released Grok 3"
    )


def test_it_falls_back_to_the_company_and_the_detail() -> None:
    names = {"company": ["xAI"]}
    assert summarize(EventType.ANNOUNCEMENT, names, quantities={}, detail="new office") == (
        "xAI: new office"
    )
    assert summarize(EventType.ANNOUNCEMENT, names, quantities={}) == "xAI"


def test_it_puts_a_rumour_or_a_denial_in_front() -> None:
    names = {"person": ["Ada"], "from_company": ["xAI"]}
    rumour = summarize(EventType.DEPARTURE, names, quantities={}, status=Status.RUMOURED)
    denial = summarize(EventType.DEPARTURE, names, quantities={}, status=Status.DENIED)
    assert (rumour, denial) == ("Rumoured: Ada left xAI", "Denied: Ada left xAI")
