"""How a sentence's hedges and denials set the status of the claim it makes."""

import pytest

from apps.events.rules.status import status_of
from apps.events.vocabulary import Status


@pytest.mark.parametrize(
    "text",
    [
        "Jimmy Ba has left xAI.",
        "xAI raised $6 billion, the company said on Monday.",
        "He said the company had raised $6 billion.",
        "Ba said to reporters that he was leaving.",
        "The weights of the model were released.",
        "A considerable number of GPUs came online.",
    ],
)
def test_it_reads_a_plain_report_as_confirmed(text):
    assert status_of(text) == Status.CONFIRMED


@pytest.mark.parametrize(
    "text",
    [
        "Ba is said to be weighing an exit from xAI.",
        "Kosic said to have joined a new start-up",
        "xAI is in talks to buy the site, according to people familiar with the matter.",
        "The company reportedly raised $10 billion.",
        "Two people close to the company said the deal could close soon.",
        "SpaceX has secured an option to acquire the editor's maker.",
        "She is expected to leave by the summer.",
    ],
)
def test_it_reads_hedged_claims_as_rumoured(text):
    assert status_of(text) == Status.RUMOURED


@pytest.mark.parametrize(
    "text",
    [
        "A spokesperson denied that Ba was leaving xAI.",
        "Musk disputed reports that the company was raising money.",
        "The company called the report completely false.",
        "Ba is not leaving the company, a spokesperson said.",
        "The company has no plans to sell the site.",
    ],
)
def test_it_reads_denials_as_denied(text):
    assert status_of(text) == Status.DENIED


@pytest.mark.parametrize(
    "text",
    [
        "Ba has not left xAI.",
        "Ba hasn\u2019t left xAI.",
        "The board never approved the permit.",
        "xAI did not acquire the plant.",
    ],
)
def test_it_reads_negated_claims_as_nothing(text):
    assert status_of(text) is None
