"""The alias matcher: pure, so no database. Prose written for these tests."""

from apps.entities.matching import (
    ABOUT_THRESHOLD,
    AliasEntry,
    Linked,
    Matcher,
    split_sentences,
)

XAI, X, SPACEX, MUSK, BA, WU, COLOSSUS, META, NVIDIA, TESLA = range(1, 11)
GROK_CO, SELC, TVA = 11, 12, 13

ENTRIES = [
    AliasEntry(XAI, "xAI", False, False, "company"),
    AliasEntry(XAI, "X.AI Corp.", False, False, "company"),
    AliasEntry(XAI, "SpaceX AI", False, False, "company"),
    AliasEntry(X, "X", True, True, "company"),
    AliasEntry(X, "Twitter", False, False, "company"),
    AliasEntry(SPACEX, "SpaceX", False, False, "company"),
    AliasEntry(MUSK, "Elon Musk", False, False, "person"),
    AliasEntry(MUSK, "Musk", False, True, "person"),
    AliasEntry(BA, "Jimmy Ba", False, False, "person"),
    AliasEntry(BA, "Ba", True, True, "person"),
    AliasEntry(WU, "Tony Wu", False, False, "person"),
    AliasEntry(WU, "Yuhuai Wu", False, False, "person"),
    AliasEntry(WU, "Wu", True, True, "person"),
    AliasEntry(COLOSSUS, "Colossus", False, True, "cluster"),
    AliasEntry(COLOSSUS, "Memphis Supercluster", False, False, "cluster"),
    AliasEntry(META, "Meta", False, True, "company"),
    AliasEntry(META, "Facebook", False, False, "company"),
    AliasEntry(NVIDIA, "NVIDIA", False, False, "company"),
    AliasEntry(TESLA, "Tesla", False, False, "company"),
    AliasEntry(SELC, "Southern Environmental Law Center", False, False, "company"),
    AliasEntry(TVA, "Tennessee Valley Authority", False, False, "company"),
]
RELATED = {COLOSSUS: {XAI}, X: {XAI}, MUSK: {XAI, SPACEX, TESLA, X}, BA: {XAI}, WU: {XAI}}

MATCHER = Matcher(ENTRIES, related=RELATED)


def link(text: str, title: str = "") -> Linked:
    return MATCHER.link(title=title, text=text)


def surfaces(linked: Linked, entity_id: int | None = None) -> list[str]:
    return [m.surface for m in linked.matches if entity_id is None or m.entity_id == entity_id]


def entities(linked: Linked) -> set[int]:
    return {m.entity_id for m in linked.matches}


# --- Offsets and boundaries ------------------------------------------------------------------


def test_it_gives_offsets_into_title_blank_line_text() -> None:
    linked = link("The cluster runs NVIDIA chips.", title="xAI expands")
    assert linked.document == "xAI expands\n\nThe cluster runs NVIDIA chips."
    for match in linked.matches:
        assert linked.document[match.start : match.end] == match.surface
    assert [(m.surface, m.in_title) for m in linked.matches] == [("xAI", True), ("NVIDIA", False)]


def test_it_needs_word_boundaries_on_both_sides() -> None:
    linked = link("Xavier Teslanova said the xAIs and unTesla brands were invented for this test.")
    assert linked.matches == []


def test_it_ends_a_word_at_a_hyphen() -> None:
    linked = link("An xAI-backed start-up bought Tesla-made batteries.")
    assert surfaces(linked) == ["xAI", "Tesla"]


def test_it_matches_possessives_with_straight_and_curly_apostrophes() -> None:
    linked = link("Elon Musk said xAI's cluster was ready. Musk\u2019s post drew replies.")
    assert surfaces(linked, XAI) == ["xAI"]
    assert surfaces(linked, MUSK) == ["Elon Musk", "Musk"]


def test_it_is_unicode_aware_at_boundaries() -> None:
    linked = link("Die xAIé-Gruppe und die Teslaß AG gibt es nicht, aber «xAI» schon.")
    assert surfaces(linked) == ["xAI"]


def test_it_keeps_offsets_when_lower_casing_changes_length() -> None:
    linked = link("İstanbul investors met xAI on Monday.")
    (match,) = linked.matches
    assert linked.document[match.start : match.end] == "xAI"


def test_it_matches_aliases_that_end_in_punctuation() -> None:
    linked = link("The notice named X.AI Corp. and two property companies.")
    assert surfaces(linked) == ["X.AI Corp."]


# --- Case -------------------------------------------------------------------------------------


def test_it_matches_case_insensitive_aliases_in_any_case() -> None:
    linked = link("Traders said XAI and nvidia shares moved together.")
    assert entities(linked) == {XAI, NVIDIA}


def test_it_matches_case_sensitive_aliases_exactly() -> None:
    linked = link("xAI said a post on x was not a post on X, which the company owns.")
    assert [(m.surface, m.entity_id) for m in linked.matches if m.entity_id == X] == [("X", X)]


def test_it_refuses_a_lower_case_ambiguous_name() -> None:
    linked = link("Facebook ran a meta-analysis of meta descriptions on its pages.")
    assert surfaces(linked, META) == ["Facebook"]


# --- Overlaps ---------------------------------------------------------------------------------


def test_it_prefers_the_longest_overlapping_alias() -> None:
    linked = link("SpaceX AI is the new name; Tony Wu and SpaceX staff agreed.")
    assert [(m.surface, m.entity_id) for m in linked.matches] == [
        ("SpaceX AI", XAI),
        ("Tony Wu", WU),
        ("SpaceX", SPACEX),
    ]


def test_it_returns_matches_in_document_order_without_overlaps() -> None:
    linked = link("Tesla, xAI and SpaceX AI and Tesla again.", title="Tesla and xAI")
    starts = [m.start for m in linked.matches]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in zip(linked.matches, linked.matches[1:], strict=False))


# --- Context ----------------------------------------------------------------------------------


def test_it_does_not_link_the_codebreaking_colossus() -> None:
    linked = link(
        "At Bletchley Park, Tommy Flowers built Colossus to read German teleprinter traffic. "
        "Colossus ran its first job in early 1944, and ten of the machines were working by "
        "the end of the war."
    )
    assert COLOSSUS not in entities(linked)


def test_it_links_colossus_when_the_article_names_its_owner() -> None:
    linked = link(
        "xAI said on Monday that Colossus now runs 200,000 GPUs. Colossus will double again."
    )
    assert surfaces(linked, COLOSSUS) == ["Colossus", "Colossus"]


def test_it_links_an_ambiguous_name_when_an_unambiguous_one_of_the_entity_appears() -> None:
    linked = link("The Memphis Supercluster went live in September. Colossus drew 150 megawatts.")
    assert surfaces(linked, COLOSSUS) == ["Memphis Supercluster", "Colossus"]


def test_it_does_not_link_meta_without_context() -> None:
    linked = link("Reviewers said Meta is a common prefix, and a meta description helps search.")
    assert META not in entities(linked)


def test_it_links_meta_when_the_article_names_facebook() -> None:
    linked = link("Facebook's parent said Meta would build a larger cluster next year.")
    assert surfaces(linked, META) == ["Facebook", "Meta"]


def test_it_links_x_when_the_article_names_xai() -> None:
    linked = link("xAI took over X in March, and Linda Yaccarino left X in July.")
    assert surfaces(linked, X) == ["X", "X"]


def test_it_refuses_x_glued_to_other_characters() -> None:
    linked = link(
        "xAI staff had X-ray scans, used the Spectrum-X network and an X/Y plot.\n\n"
        "X. Install the racks.\nY. Cable them."
    )
    assert X not in entities(linked)


def test_it_accepts_x_at_the_end_of_a_sentence() -> None:
    linked = link("xAI posted the news on X. Investors reacted within minutes.")
    assert surfaces(linked, X) == ["X"]


def test_it_links_a_surname_only_after_the_full_name() -> None:
    linked = link("Ba left first. Jimmy Ba, a co-founder of xAI, resigned. Ba said it was time.")
    ba = [m for m in linked.matches if m.entity_id == BA]
    assert [m.surface for m in ba] == ["Jimmy Ba", "Ba"]
    assert linked.document[ba[1].start :].startswith("Ba said")


def test_it_does_not_link_a_surname_on_related_context_alone() -> None:
    linked = link("xAI lost another researcher. Wu declined to comment.")
    assert WU not in entities(linked)


def test_it_links_a_headline_surname_when_the_body_names_the_person() -> None:
    linked = link("Elon Musk said the company would grow.", title="Musk's xAI Hires Again")
    assert [m.in_title for m in linked.matches if m.entity_id == MUSK] == [True, False]


def test_it_treats_related_as_mutual() -> None:
    # Only COLOSSUS → XAI is listed; X is related to XAI, not to the cluster.
    matcher = Matcher(ENTRIES, related={XAI: {COLOSSUS}})
    linked = matcher.link(title="", text="xAI runs Colossus in Memphis.")
    assert COLOSSUS in {m.entity_id for m in linked.matches}


# --- Sentences --------------------------------------------------------------------------------


def test_it_splits_sentences_but_not_after_abbreviations_or_initials() -> None:
    text = (
        "Mr. Lowry met U.S. officials at Acme Inc. on Monday. The site is on Paul R. Lowry "
        "Road! “Why here?” she asked.\n\nA new paragraph starts here"
    )
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Mr. Lowry met U.S. officials at Acme Inc. on Monday.",
        "The site is on Paul R. Lowry Road!",
        "“Why here?” she asked.",
        "A new paragraph starts here",
    ]


def test_it_gives_each_match_its_sentence() -> None:
    linked = link("The board met on Thursday. It approved power for xAI. Nobody objected.")
    (match,) = linked.matches
    assert linked.document[match.sentence_start : match.sentence_end] == (
        "It approved power for xAI."
    )


def test_it_ends_the_title_sentence_at_the_blank_line() -> None:
    linked = link("Tesla batteries arrived.", title="xAI grows")
    (title_match, _) = linked.matches
    assert linked.document[title_match.sentence_start : title_match.sentence_end] == "xAI grows"


# --- Salience ---------------------------------------------------------------------------------

STORY = (
    "The Tennessee Valley Authority approved 150 megawatts for xAI on Thursday. "
    "The supply runs through the city utility, and xAI must cut demand on request.\n\n"
    "Tesla batteries on site can carry the load for a short time, the board said. "
    "NVIDIA chips fill the building. NVIDIA did not comment. NVIDIA shares rose."
)


def test_it_marks_what_the_article_is_about() -> None:
    linked = link(STORY, title="TVA board signs off on power for xAI")
    # xAI: title; TVA: lead and never again (a passing mention); NVIDIA: named three times.
    assert linked.about == frozenset({XAI, NVIDIA})
    assert linked.salience[TESLA] < ABOUT_THRESHOLD
    assert linked.salience[TVA] < ABOUT_THRESHOLD


def test_it_scores_salience_between_zero_and_one() -> None:
    linked = link(STORY + " xAI" * 20, title="xAI and xAI")
    assert all(0.0 <= score <= 1.0 for score in linked.salience.values())
    assert linked.salience[XAI] == 1.0


def test_it_counts_a_lead_entity_named_twice_as_about() -> None:
    linked = link(
        "Southern Environmental Law Center lawyers wrote to the county. The Southern "
        "Environmental Law Center says the turbines need permits.\n\nThe county is reviewing.",
        title="Lawyers challenge turbines",
    )
    assert linked.about == frozenset({SELC})


def test_it_skips_a_repeated_headline_when_finding_the_lead() -> None:
    linked = link(
        "Board signs off\n\nThe board met. It talked. Then Tesla came up.", title="Board signs off"
    )
    # The lead is "The board met. It talked."; Tesla, named once after it, is passing.
    assert linked.salience[TESLA] == 0.1


# --- Unknown names ----------------------------------------------------------------------------


def test_it_lists_unknown_capitalised_names() -> None:
    linked = link(
        "“We keep hearing about megawatts,” said Nora Castellanos, who lives near the site. "
        "The Southern Environmental Law Center and the Memphis Community Against Pollution "
        "group joined her. Nora Castellanos spoke again. The University of Toronto agreed."
    )
    assert linked.unknown_names == [
        "Nora Castellanos",
        "Memphis Community Against Pollution",
        "University of Toronto",
    ]


def test_it_leaves_out_sentence_initial_words_and_the_title() -> None:
    linked = link(
        "In Memphis the board voted. Residents Said nothing.", title="Big Headline In Title Case"
    )
    assert linked.unknown_names == ["Residents Said"]


# --- Edge cases -------------------------------------------------------------------------------


def test_it_works_with_no_aliases() -> None:
    linked = Matcher([]).link(title="xAI", text="Nora Castellanos spoke.")
    assert linked.matches == []
    assert linked.unknown_names == ["Nora Castellanos"]


def test_it_ignores_blank_aliases_and_trims_padded_ones() -> None:
    matcher = Matcher(
        [
            AliasEntry(1, "  ", False, False, "company"),
            AliasEntry(2, " Tesla ", False, False, "company"),
        ]
    )
    linked = matcher.link(title="", text="Tesla shipped.")
    assert [(m.entity_id, m.surface) for m in linked.matches] == [(2, "Tesla")]


def test_it_handles_an_empty_article() -> None:
    linked = link("", title="")
    assert linked.matches == []
    assert linked.about == frozenset()
