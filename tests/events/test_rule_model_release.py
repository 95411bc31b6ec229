import dataclasses
import datetime

import pytest

from apps.events.rules.model_release import RULE, find
from apps.events.vocabulary import EventType, Role, Status
from tests.events.rulekit import eid, named, sentence

D = datetime.date


def releases(marked: str, **kwargs) -> list[tuple[int, str]]:
    return [(f.entity_ids(Role.COMPANY)[0], f.detail) for f in find(sentence(marked, **kwargs))]


@pytest.mark.parametrize(
    ("marked", "company", "model"),
    [
        ("[xAI] released Grok 3 on Monday.", "xAI", "Grok 3"),
        ("[xAI] launched Grok 4, its newest model, in July 2025.", "xAI", "Grok 4"),
        ("[Anthropic] unveiled Claude 3.5 Sonnet.", "Anthropic", "Claude 3.5 Sonnet"),
        ("[OpenAI] introduced GPT-4o mini on Thursday.", "OpenAI", "GPT-4o mini"),
        ("[xAI] unveiled its Grok 4 model.", "xAI", "Grok 4"),
        ("[xAI] on Monday released Grok 4.1, its latest model.", "xAI", "Grok 4.1"),
        ("[OpenAI] released o3-mini in January.", "OpenAI", "o3-mini"),
        ("[xAI] released a new model called Grok on Monday.", "xAI", "Grok"),
        ("[xAI] made Grok 3 available to all users on Tuesday.", "xAI", "Grok 3"),
        ("[xAI] released Grok 3 to Premium+ subscribers.", "xAI", "Grok 3"),
        ("Grok 3, [xAI]'s new model, launched on Monday.", "xAI", "Grok 3"),
        ("Grok 3 was released by [xAI] last week.", "xAI", "Grok 3"),
        ("[xAI]'s Grok 3 was released on Monday.", "xAI", "Grok 3"),
        ("The company open-sourced Grok 2.5 weights on Sunday.", "xAI", "Grok 2.5"),
    ],
)
def test_it_reads_the_company_and_the_model_name(marked, company, model):
    assert releases(marked, recent=("xAI",)) == [(eid(company), model)]


def test_it_dates_the_release_and_marks_the_verb():
    s = sentence("Grok 3, [xAI]'s new model, launched on Monday.")
    [finding] = find(s)
    assert finding.type == EventType.MODEL_RELEASE
    assert (finding.rule, finding.version) == (RULE.name, RULE.version)
    assert finding.date.date == D(2026, 2, 9)
    assert s.text[finding.trigger[0] : finding.trigger[1]] == "launched"


def test_it_reads_every_model_of_a_list():
    marked = "[Meta] rolled out Llama 4 Scout and Llama 4 Maverick last April."
    assert releases(marked) == [(eid("Meta"), "Llama 4 Scout"), (eid("Meta"), "Llama 4 Maverick")]


def test_it_reads_releases_of_two_companies_in_one_sentence():
    marked = "After [xAI] released Grok 3, [OpenAI] launched GPT-4.5."
    assert releases(marked) == [(eid("xAI"), "Grok 3"), (eid("OpenAI"), "GPT-4.5")]


def test_it_takes_the_cluster_the_model_was_trained_on():
    [finding] = find(sentence("[xAI] released Grok 3, trained on [Colossus], on Monday."))
    assert finding.participants == ((Role.COMPANY, eid("xAI")), (Role.CLUSTER, eid("Colossus")))
    [other] = find(sentence("[xAI] unveiled its Grok 4 model, which was trained at [Colossus 2]."))
    assert other.entity_ids(Role.CLUSTER) == [eid("Colossus 2")]
    [plain] = find(sentence("[xAI] released Grok 3 as [Colossus] came online."))
    assert plain.entity_ids(Role.CLUSTER) == []


@pytest.mark.parametrize(
    ("marked", "status"),
    [
        ("[xAI] is expected to release Grok 5 next month.", "r"),
        ("[xAI] denied it would launch Grok 5 this week.", "d"),
    ],
)
def test_it_reads_rumours_and_denials(marked, status):
    [finding] = find(sentence(marked))
    assert finding.status == {"r": Status.RUMOURED, "d": Status.DENIED}[status]


@pytest.mark.parametrize(
    "marked",
    [
        "[xAI] released a statement on Monday.",
        "[xAI] launched an investigation into the leak.",
        "[xAI] released its Q4 results.",
        "[X] launched X Money in beta.",
        "[xAI] launched [Colossus] in Memphis.",
        "[xAI] announced a partnership with [Nvidia].",
        "[xAI] released Grok on Monday.",  # no version and no word of a model: too weak
        "[Tesla] launched the Model Y in 2020.",
        "[xAI] has not released Grok 5.",
        "[xAI] announced Grok 5 would be delayed.",
        "[Nvidia] released Blackwell chips in 2024.",
        "Grok 3 was released on Monday.",  # nobody named
    ],
)
def test_it_finds_nothing_without_a_named_model_and_its_maker(marked):
    assert find(sentence(marked)) == []


@pytest.mark.parametrize(
    ("marked", "model", "date"),
    [
        (
            "[Anthropic] has published the weights of Claude-2 under an open licence.",
            "Claude-2",
            None,
        ),
        (
            "The benchmark compares it with Claude 3, which [Anthropic] put out last March.",
            "Claude 3",
            datetime.date(2025, 3, 1),
        ),
        (
            "Llama 4 follows Llama 3, which [Meta] quietly released in April alongside a tool.",
            "Llama 3",
            datetime.date(2025, 4, 1),
        ),
    ],
)
def test_it_reads_weights_and_object_relatives(marked, model, date):
    [finding] = find(sentence(marked))
    assert finding.detail == model
    assert (finding.date.date if finding.date else None) == date


@pytest.mark.parametrize(
    "marked",
    [
        "Q3 2025, which [Anthropic] announced as a record quarter, was strong.",
        "Claude 5, which [Anthropic] has not released yet, is due in 2026.",
        "Claude 3, which [Anthropic] announced would be retired, was popular.",
        "[OpenAI] put out a statement on Friday.",
    ],
)
def test_it_finds_nothing_in_relatives_that_release_no_model(marked):
    assert find(sentence(marked)) == []


@pytest.mark.parametrize(
    ("marked", "model"),
    [
        ("It released its first model, Claude, to testers in March 2023.", "Claude"),
        ("On Monday [Meta] pushed out Llama 4, plus a smaller sibling, as a preview.", "Llama 4"),
        ("[Meta] put the weights of Llama 2, a 70-billion-parameter model, online.", "Llama 2"),
        ("[Meta] posts Llama 3's weights for anyone to download", "Llama 3"),
        ("[Anthropic] first showed Claude to the public in March, as a chatbot.", "Claude"),
    ],
)
def test_it_reads_releases_told_in_other_words(marked, model):
    assert [f.detail for f in find(sentence(marked, recent=("Anthropic",)))] == [model]


def test_it_reads_a_model_that_arrived_as_the_article_companys():
    went = dataclasses.replace(
        sentence("Claude 2 went out in beta last July; its successor followed."),
        recent=(named("Anthropic"),),
        about=frozenset({eid("Anthropic")}),
    )
    [finding] = find(went)
    assert (finding.entity_ids(Role.COMPANY), finding.detail) == ([eid("Anthropic")], "Claude 2")
    which = dataclasses.replace(
        sentence("Llama 3, which arrived in April with a bigger sibling, is still popular."),
        recent=(named("Meta"),),
        about=frozenset({eid("Meta")}),
    )
    [arrived] = find(which)
    assert arrived.detail == "Llama 3" and arrived.date is not None
    assert arrived.date.date == D(2025, 4, 1)
    # Without a company the article is about, nobody made it.
    assert find(sentence("The Pixel 9 arrived in August.", recent=("Meta",))) == []


@pytest.mark.parametrize(
    "marked",
    [
        "[Meta] is set to unveil Llama 5 in a livestream tonight.",
        "[Anthropic] is scheduled to release Claude 5 on Thursday.",
        "[Meta] will launch Llama 5 next month.",
        "[Tesla] put Model 3 on the road in 2017.",
    ],
)
def test_it_finds_no_release_in_a_scheduled_launch(marked):
    assert find(sentence(marked)) == []


# Round 3: phrasings from outlets the rules were not written against.
@pytest.mark.parametrize(
    ("marked", "model", "status"),
    [
        ("[xAI] Launches Grok 4", "Grok 4", "c"),
        ("[xAI] rolled out Grok 4 to all users on Tuesday.", "Grok 4", "c"),
        ("[xAI] open-sourced Grok 2.5 in August.", "Grok 2.5", "c"),
        ("[xAI] unveiled Grok 3 last week.", "Grok 3", "c"),
        ("[xAI] is expected to release Grok 5 next month.", "Grok 5", "r"),
    ],
)
def test_it_reads_releases_as_other_outlets_write_them(marked, model, status):
    [finding] = find(sentence(marked))
    assert finding.entity_ids(Role.COMPANY) == [eid("xAI")]
    assert finding.detail == model
    expected = {"r": Status.RUMOURED, "d": Status.DENIED, "c": Status.CONFIRMED}[status]
    assert finding.status == expected


@pytest.mark.parametrize(
    "marked",
    [
        "Analysts expect [OpenAI] to release GPT-6 this year.",
        "[Meta] delayed the release of Llama 5.",
        "[Meta] has postponed the launch of Llama 5 until the autumn.",
        "[OpenAI] pulled GPT-4o from ChatGPT.",
        "[Anthropic] said Claude Opus 4 outperforms GPT-5.",
    ],
)
def test_it_finds_no_release_in_forecasts_delays_and_comparisons(marked):
    assert find(sentence(marked)) == []
