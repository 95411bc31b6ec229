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
        # The company's own word, however the outlet frames it.
        "xAI confirmed on Thursday that it had closed a $6bn round.",
        "'We have raised $6 billion,' the company said in a statement.",
        "A spokesperson for xAI confirmed the purchase of the Memphis site.",
        "xAI Raises $6B In Series C",
        "The company announced the acquisition in a blog post.",
        "xAI said in a post on X that Grok 4 was now available.",
        # Hearsay the company went on to confirm.
        "xAI is raising $6bn, Bloomberg reported; the company later confirmed the round.",
        "xAI confirmed the deal, which was first reported by The Information.",
        "The long-rumoured acquisition was confirmed by the company on Friday.",
        # Looks like a hedge or a negation, is neither.
        "xAI raised $6 billion but did not disclose its valuation.",
        "xAI raised $6 billion and declined to comment on its valuation.",
        "xAI has not only raised $6 billion but also hired 200 engineers.",
        "The company reported revenue of $500 million for the quarter.",
        "xAI's annual report said the cluster came online in June.",
        "Musk told reporters xAI had bought the plant.",
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
        "xAI confirmed it is in talks to acquire the start-up.",
    ],
)
def test_it_reads_hedged_claims_as_rumoured(text):
    assert status_of(text) == Status.RUMOURED


@pytest.mark.parametrize(
    "text",
    [
        # Unnamed outlets and word of mouth.
        "A single site is reporting that xAI has acquired Cursor.",
        "xAI has raised $6 billion, according to an unverified post on X.",
        "Word is that Ba has left xAI.",
        "Word around Memphis is that the turbines were switched on.",
        "Reports suggest xAI closed a $6bn round last week.",
        "Reports emerged on Tuesday that Ba had quit.",
        "Media reports say xAI bought the Southaven plant.",
        "One newsletter claimed that xAI had raised $20 billion.",
        "A tech blog wrote that OpenAI had sued xAI.",
        "xAI has bought the plant, according to unconfirmed reports.",
        "xAI raised $6bn, according to reports.",
        # Another outlet's report.
        "A report on Thursday said xAI had raised $6 billion.",
        "xAI raised $6 billion, Bloomberg reported.",
        "xAI raised $6 billion, The Wall Street Journal reported on Thursday.",
        "Bloomberg reported that xAI had raised $6 billion.",
        "The Information reported on Tuesday that Ba had left xAI.",
        "Bloomberg News reported last week that xAI bought the site.",
        "xAI has acquired the start-up, according to a report in The Information.",
        "According to a Bloomberg report, xAI raised $6 billion.",
        "The raise, first reported by Bloomberg, values xAI at $50 billion.",
        "As reported by The Verge, xAI has hired two engineers from Tesla.",
        "A Thursday report by Reuters said xAI had filed suit.",
        "xAI raised $6bn, Bloomberg reported, citing people familiar with the deal.",
        # Unnamed people.
        "Sources say xAI has closed its round.",
        "A source told Reuters that Ba had left.",
        "xAI bought the plant, people with knowledge of the deal said.",
        "Ba has left xAI, two insiders said.",
        "Ba has quit, said one employee, who spoke on condition of anonymity.",
        "Ba has quit, said a person who asked not to be named.",
        "It is understood that xAI has signed the lease.",
        # Nobody would confirm it.
        "Reuters could not independently verify the report that xAI raised $6bn.",
        "xAI raised $6bn; the company declined to confirm the figure.",
        "xAI raised $6bn, but the company did not immediately confirm the report.",
        "xAI declined to confirm or deny that it had bought the plant.",
        "A spokesperson would neither confirm nor deny that Ba had left.",
        "Musk did not deny that xAI had raised money.",
    ],
)
def test_it_reads_hearsay_and_other_outlets_reports_as_rumoured(text):
    assert status_of(text) == Status.RUMOURED


@pytest.mark.parametrize(
    "text",
    [
        "A spokesperson denied that Ba was leaving xAI.",
        "Musk disputed reports that the company was raising money.",
        "The company called the report completely false.",
        "Ba is not leaving the company, a spokesperson said.",
        "The company has no plans to sell the site.",
        "xAI pushed back on a report that it had raised $6bn.",
        "Musk pushed back against the report on X.",
        "Musk waved off reports that xAI was raising money.",
        "The company brushed aside speculation about a merger.",
        "A spokesperson shot down the report.",
        "Musk knocked down a Bloomberg story about the raise.",
        "xAI rejected the report as inaccurate.",
        "Musk called the report fake.",
        "Musk called a report that xAI was raising money 'fake news'.",
        "The company called the reports fabricated.",
        "Musk labelled the story \u201cnonsense\u201d.",
        "There is no truth to the report that xAI bought the plant.",
        "There is no truth whatsoever in these rumours, Musk said.",
        "'That's simply false,' a spokesperson said of the report.",
        "\u201cThis is not true,\u201d Musk wrote on X.",
        "The reports that xAI had raised $6bn are false, the company said.",
        "Musk said there was nothing to the reports.",
        "Ba is not quitting, xAI said.",
        "A spokesperson refuted the claim that xAI had sued OpenAI.",
        "xAI poured cold water on reports of a merger with Tesla.",
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
        "xAI has not raised any outside money this year.",
        "xAI did not release Grok 5 on Tuesday as planned.",
        "OpenAI never sued xAI.",
        "OpenAI hasn't filed suit against xAI.",
        "xAI has not yet signed the lease.",
        "xAI has still not formally launched the model.",
        "The company didn't ship Grok 5.",
        "xAI won't raise money this year.",
        "The two companies have never merged.",
        "Tesla did not invest in xAI.",
        "The deal has not closed.",
        "The regulator has yet to grant the permit.",
        "xAI is yet to raise its next round.",
        "The two sides failed to settle.",
        "xAI never officially unveiled the model.",
        "The permit has never been issued.",
        "xAI cannot buy the plant under state law.",
        # A condition claims nothing happened.
        "If Kroiss leaves, Ross Nordeen would be the only co-founder left.",
        "Nobody can say what happens to the unit if Ba leaves.",
    ],
)
def test_it_reads_negated_claims_as_nothing(text):
    assert status_of(text) is None


@pytest.mark.parametrize(
    "text",
    [
        # A denial wins over a negation and over hearsay.
        "Musk denied a report that xAI had not paid its bills.",
        "Bloomberg reported that xAI had raised $6bn; Musk called the report false.",
    ],
)
def test_it_reads_a_denial_first(text):
    assert status_of(text) == Status.DENIED
