from decimal import Decimal

import pytest

from apps.events.rules.quantities import Quantity, find_quantities


def _read(sentence: str) -> list[tuple[str, str, str, bool, str, str]]:
    """Each quantity as (kind, value, chip type, approximate, role, matched text)."""
    return [
        (q.kind, str(q.value), q.chip_type, q.approximate, q.role, sentence[q.start : q.end])
        for q in find_quantities(sentence)
    ]


GPUS_AND_CHIPS = [
    (
        "Colossus reached 200,000 GPUs in its second phase.",
        [("gpus", "200000", "", False, "", "200,000 GPUs")],
    ),
    (
        "The Memphis site now runs 200k H100s.",
        [("gpus", "200000", "H100", False, "", "200k H100s")],
    ),
    (
        "Meta ordered 100,000 Nvidia H100 chips for the new cluster.",
        [("gpus", "100000", "H100", False, "", "100,000 Nvidia H100 chips")],
    ),
    (
        "The cluster holds 200,000 GPUs, 50,000 of them H200s.",
        [
            ("gpus", "200000", "", False, "", "200,000 GPUs"),
            ("gpus", "50000", "H200", False, "", "50,000 of them H200s"),
        ],
    ),
    (
        "It runs 300,000 accelerators, of which 60,000 are Trainium2 chips.",
        [
            ("chips", "300000", "", False, "", "300,000 accelerators"),
            ("chips", "60000", "Trainium2", False, "", "60,000 are Trainium2 chips"),
        ],
    ),
    (
        "Musk has promised one million GPUs.",
        [("gpus", "1000000", "", False, "", "one million GPUs")],
    ),
    ("The goal is a million GPUs by 2026.", [("gpus", "1000000", "", False, "", "a million GPUs")]),
    (
        "The plan calls for 1.2 million GPUs.",
        [("gpus", "1200000", "", False, "", "1.2 million GPUs")],
    ),
    (
        "Google will supply half a million chips.",
        [("chips", "500000", "", False, "", "half a million chips")],
    ),
    (
        "The startup operates more than 100,000 GPUs.",
        [("gpus", "100000", "", True, "", "more than 100,000 GPUs")],
    ),
    ("It bought 100,000+ GPUs last year.", [("gpus", "100000", "", True, "", "100,000+ GPUs")]),
    ("The lab rents ~20,000 GPUs.", [("gpus", "20000", "", True, "", "~20,000 GPUs")]),
    ("It trained on 25,000 GPUs or so.", [("gpus", "25000", "", True, "", "25,000 GPUs or so")]),
    (
        "Anthropic will use up to one million TPUs.",
        [("chips", "1000000", "TPU", True, "", "up to one million TPUs")],
    ),
    (
        "The pod links 8,960 TPU v5p chips.",
        [("chips", "8960", "TPU v5p", False, "", "8,960 TPU v5p chips")],
    ),
    (
        "A 100,000-GPU cluster went live in July.",
        [("gpus", "100000", "", False, "", "100,000-GPU")],
    ),
    (
        "Oracle will host 400,000 of Nvidia's GB200 superchips.",
        [("gpus", "400000", "GB200", False, "", "400,000 of Nvidia's GB200 superchips")],
    ),
    (
        "The second phase adds 550,000 GB200 and GB300 GPUs.",
        [("gpus", "550000", "", False, "", "550,000 GB200 and GB300 GPUs")],
    ),
    (
        "AMD will ship 30,000 MI300X accelerators to the lab.",
        [("gpus", "30000", "MI300X", False, "", "30,000 MI300X accelerators")],
    ),
    ("They added twenty GPUs to the test rack.", [("gpus", "20", "", False, "", "twenty GPUs")]),
    (
        "Each lab got half a dozen chips, then two dozen GPUs.",
        [
            ("chips", "6", "", False, "", "half a dozen chips"),
            ("gpus", "24", "", False, "", "two dozen GPUs"),
        ],
    ),
    (
        "The buyer wants a hundred thousand GPUs or more.",
        [("gpus", "100000", "", True, "", "a hundred thousand GPUs or more")],
    ),
]

IN_CONTEXT = [
    (
        "Nvidia sold 3.76 million data center GPUs in 2023.",
        [("gpus", "3760000", "", False, "", "3.76 million data center GPUs")],
    ),
    (
        "It will house 100,000 liquid-cooled Nvidia H100 GPUs.",
        [("gpus", "100000", "H100", False, "", "100,000 liquid-cooled Nvidia H100 GPUs")],
    ),
    (
        "Sales of H20 chips fell, though 1.3 million H20s shipped.",
        [("gpus", "1300000", "H20", False, "", "1.3 million H20s")],
    ),
    (
        "Musk said xAI would buy 1 million Blackwell GPUs for Colossus 2.",
        [("gpus", "1000000", "Blackwell", False, "", "1 million Blackwell GPUs")],
    ),
    (
        "In 2023, 35 turbines were installed, each rated at 16 MW.",
        [
            ("turbines", "35", "", False, "", "35 turbines"),
            ("power_mw", "16", "", False, "", "16 MW"),
        ],
    ),
    (
        "Amazon put in $4 billion, then another $4bn; Anthropic is now valued at $61.5 billion.",
        [
            ("usd", "4000000000", "", False, "amount", "$4 billion"),
            ("usd", "4000000000", "", False, "amount", "$4bn"),
            ("usd", "61500000000", "", False, "valuation", "$61.5 billion"),
        ],
    ),
    (
        "Revenue reached $3.7 billion a year while shares traded at $180 a share.",
        [("usd", "3700000000", "", False, "amount", "$3.7 billion")],
    ),
    (
        "Its 3 data centers hold 10,000 chips and employ 1,500 staff.",
        [
            ("chips", "10000", "", False, "", "10,000 chips"),
            ("people", "1500", "", False, "", "1,500 staff"),
        ],
    ),
    (
        "One million H100s. Seven turbines. A dozen engineers quit.",
        [
            ("gpus", "1000000", "H100", False, "", "One million H100s"),
            ("turbines", "7", "", False, "", "Seven turbines"),
            ("people", "12", "", False, "", "A dozen engineers"),
        ],
    ),
]

H100_EQUIVALENTS = [
    ("The lab counts 50,000 H100e.", [("h100e", "50000", "H100", False, "", "50,000 H100e")]),
    (
        "Its compute reached 200,000 H100 equivalents.",
        [("h100e", "200000", "H100", False, "", "200,000 H100 equivalents")],
    ),
    (
        "It has roughly 150,000 H100-equivalent GPUs.",
        [("h100e", "150000", "H100", True, "", "roughly 150,000 H100-equivalent GPUs")],
    ),
    (
        "That is the equivalent of 600,000 H100s.",
        [("h100e", "600000", "H100", False, "", "600,000 H100s")],
    ),
]

DOLLARS = [
    (
        "xAI raised $6 billion in a Series B.",
        [("usd", "6000000000", "", False, "amount", "$6 billion")],
    ),
    (
        "The company raised $6bn from investors.",
        [("usd", "6000000000", "", False, "amount", "$6bn")],
    ),
    ("It raised US$6 billion.", [("usd", "6000000000", "", False, "amount", "US$6 billion")]),
    (
        "It raised 6 billion dollars.",
        [("usd", "6000000000", "", False, "amount", "6 billion dollars")],
    ),
    (
        "The round brought in $500 million.",
        [("usd", "500000000", "", False, "amount", "$500 million")],
    ),
    ("The angel check was $250k.", [("usd", "250000", "", False, "amount", "$250k")]),
    ("The seed round was $250M.", [("usd", "250000000", "", False, "amount", "$250M")]),
    (
        "It agreed a 10-billion-dollar deal.",
        [("usd", "10000000000", "", False, "amount", "10-billion-dollar")],
    ),
    ("Fees came to USD 3bn.", [("usd", "3000000000", "", False, "amount", "USD 3bn")]),
    (
        "It spent nearly $1.5 trillion.",
        [("usd", "1500000000000", "", True, "amount", "nearly $1.5 trillion")],
    ),
    (
        "xAI raised $6 billion at a $24 billion valuation.",
        [
            ("usd", "6000000000", "", False, "amount", "$6 billion"),
            ("usd", "24000000000", "", False, "valuation", "$24 billion"),
        ],
    ),
    (
        "OpenAI is now valued at $230 billion.",
        [("usd", "230000000000", "", False, "valuation", "$230 billion")],
    ),
    (
        "The startup raised $6.6 billion, valuing it at about $157 billion.",
        [
            ("usd", "6600000000", "", False, "amount", "$6.6 billion"),
            ("usd", "157000000000", "", True, "valuation", "about $157 billion"),
        ],
    ),
    (
        "The round values the company at $80bn.",
        [("usd", "80000000000", "", False, "valuation", "$80bn")],
    ),
    (
        "It closed at a valuation of $18 billion.",
        [("usd", "18000000000", "", False, "valuation", "$18 billion")],
    ),
    (
        "Investors agreed to a $40 billion post-money valuation.",
        [("usd", "40000000000", "", False, "valuation", "$40 billion")],
    ),
    (
        "It signed a deal worth $10 billion.",
        [("usd", "10000000000", "", False, "amount", "$10 billion")],
    ),
]

POWER = [
    ("The campus will draw 1 GW.", [("power_mw", "1000", "", False, "", "1 GW")]),
    ("The site needs 1.2 gigawatts.", [("power_mw", "1200", "", False, "", "1.2 gigawatts")]),
    (
        "The substation supplies 150 megawatts.",
        [("power_mw", "150", "", False, "", "150 megawatts")],
    ),
    ("The utility approved 150MW for the site.", [("power_mw", "150", "", False, "", "150MW")]),
    ("The turbines produce about 300 MW.", [("power_mw", "300", "", True, "", "about 300 MW")]),
    (
        "Developers filed for a 300-megawatt plant.",
        [("power_mw", "300", "", False, "", "300-megawatt")],
    ),
    ("It plans a 2-gigawatt campus.", [("power_mw", "2000", "", False, "", "2-gigawatt")]),
    ("It will need a gigawatt of power.", [("power_mw", "1000", "", False, "", "a gigawatt")]),
    (
        "The expansion adds half a gigawatt.",
        [("power_mw", "500", "", False, "", "half a gigawatt")],
    ),
    ("Each rack draws 120 kW.", [("power_mw", "0.12", "", False, "", "120 kW")]),
]

TURBINES = [
    ("Residents counted 35 gas turbines.", [("turbines", "35", "", False, "", "35 gas turbines")]),
    ("The permit covers 15 turbines.", [("turbines", "15", "", False, "", "15 turbines")]),
    ("Plans show a 41-turbine plant.", [("turbines", "41", "", False, "", "41-turbine")]),
    (
        "The site used 35 methane gas turbines.",
        [("turbines", "35", "", False, "", "35 methane gas turbines")],
    ),
    (
        "The operator runs a dozen turbines.",
        [("turbines", "12", "", False, "", "a dozen turbines")],
    ),
    (
        "Some 20 mobile turbines arrived.",
        [("turbines", "20", "", True, "", "Some 20 mobile turbines")],
    ),
    (
        "Officials found fifteen turbines on site.",
        [("turbines", "15", "", False, "", "fifteen turbines")],
    ),
]

PEOPLE = [
    ("The lab employs 1,200 people.", [("people", "1200", "", False, "", "1,200 people")]),
    (
        "It hired 300 new engineers this quarter.",
        [("people", "300", "", False, "", "300 new engineers")],
    ),
    (
        "Two people familiar with the matter said 40 researchers left.",
        [("people", "40", "", False, "", "40 researchers")],
    ),
]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    GPUS_AND_CHIPS + IN_CONTEXT + H100_EQUIVALENTS + DOLLARS + POWER + TURBINES + PEOPLE,
)
def test_it_reads_quantities(sentence: str, expected: list[tuple[str, ...]]) -> None:
    assert _read(sentence) == expected


NOTHING = [
    "The company was founded in 2024 and moved in 2025.",
    "In 2024 GPUs were scarce everywhere.",
    "By 2026 chips from TSMC will dominate.",
    "Revenue grew 20% in the quarter.",
    "About 20 percent of GPUs sat idle.",
    "Shares rose 3.5% to $142.50 a share on March 3, 2025.",
    "GPT-4 and Grok 3 were trained on H100 chips.",
    "The H100 is Nvidia's flagship; the GB200 follows.",
    "xAI's Grok 3 GPUs story was wrong.",
    "It ordered GB200 NVL72 racks.",
    "It uses Solar Titan 130 turbines.",
    "Call +1 (555) 123-4567 or write to us.",
    "Updated 3:45 pm ET, 12 comments, 5 min read.",
    "It was the third GPU deal and the first chip plant.",
    "One chip to rule them all, one GPU too.",
    "Training took 1 million GPU hours.",
    "The plant produced 5,000 MWh last year.",
    "Output reached 12 gigawatt-hours.",
    "Ranges such as 50,000-100,000 GPUs are too vague.",
    "Tens of thousands of GPUs and dozens of turbines arrived.",
    "It raised €1.2 billion from European funds.",
    "It raised £500m in London and C$2 billion in Toronto.",
    "The deal was worth 1 billion euros.",
    "Page 2 of 10",
    "Renting one costs $2 per GPU hour or $20/month.",
    "Three people familiar with the matter declined to comment.",
    "It is a chip designed for a gigantic model.",
]


@pytest.mark.parametrize("sentence", NOTHING)
def test_it_finds_nothing_in_years_percentages_names_and_furniture(sentence: str) -> None:
    assert find_quantities(sentence) == []


def test_it_reads_every_quantity_of_a_sentence_in_order() -> None:
    sentence = (
        "xAI, valued at $50 billion, will add 35 gas turbines and about 1.2 GW so that "
        "Colossus can run 1 million GPUs in 2026."
    )

    assert [(q.kind, q.role) for q in find_quantities(sentence)] == [
        ("usd", "valuation"),
        ("turbines", ""),
        ("power_mw", ""),
        ("gpus", ""),
    ]


def test_it_gives_offsets_into_the_sentence() -> None:
    sentence = "It runs 200,000 GPUs."

    assert find_quantities(sentence) == [
        Quantity("gpus", Decimal(200000), "", False, "", 8, 20),
    ]


def test_it_gives_exact_decimals() -> None:
    [quantity] = find_quantities("The round was $6.6 billion.")

    assert quantity.value == Decimal("6600000000")
    assert isinstance(quantity.value, Decimal)


def test_it_reads_scale_words_in_title_case_headlines():
    (quantity,) = find_quantities("SpaceX Buys a Rocket Maker, Creating a $1.25 Trillion Group")
    assert (quantity.kind, quantity.value) == ("usd", Decimal("1250000000000"))
