"""An article's text as safe paragraphs with its mentions linked (apps.dashboard.highlight)."""

from apps.dashboard.highlight import Mark, highlight


def mark(start: int, end: int, href: str = "/entities/xai/", **overrides) -> Mark:
    return Mark(start=start, end=end, href=href, label=overrides.pop("label", "xAI"), **overrides)


def test_it_links_each_mark_and_splits_paragraphs():
    text = "xAI grew.\n\nIts Colossus runs in Memphis."
    paragraphs = highlight(text, [mark(0, 3), mark(15, 23, "/entities/colossus/", label="C")])

    assert paragraphs == [
        '<a class="mention" href="/entities/xai/" title="xAI">xAI</a> grew.',
        'Its <a class="mention" href="/entities/colossus/" title="C">Colossus</a> runs in Memphis.',
    ]


def test_it_reads_offsets_from_where_the_text_starts_in_the_document():
    title = "Ba leaves"
    text = "Jimmy Ba left xAI."
    body_start = len(title) + 2

    (paragraph,) = highlight(
        text, [mark(body_start + 14, body_start + 17), mark(0, 2)], offset=body_start
    )

    assert (
        paragraph == 'Jimmy Ba left <a class="mention" href="/entities/xai/" title="xAI">xAI</a>.'
    )


def test_it_escapes_the_text_around_and_inside_marks():
    text = '<script>alert(1)</script> & "xAI" <b>'

    (paragraph,) = highlight(text, [mark(0, 8, '/e/"onmouseover=x', label="<i>")])

    assert "<script>" not in paragraph and "<b>" not in paragraph
    assert paragraph == (
        '<a class="mention" href="/e/&quot;onmouseover=x" title="&lt;i&gt;">&lt;script&gt;</a>'
        "alert(1)&lt;/script&gt; &amp; &quot;xAI&quot; &lt;b&gt;"
    )


def test_overlapping_marks_keep_the_earliest_then_the_longest():
    text = "Elon Musk and xAI"
    paragraphs = highlight(
        text, [mark(5, 9, "/musk/"), mark(0, 9, "/elon-musk/"), mark(0, 4, "/elon/"), mark(8, 17)]
    )

    assert paragraphs == [
        '<a class="mention" href="/elon-musk/" title="xAI">Elon Musk</a> and xAI',
    ]


def test_it_drops_marks_out_of_range_reversed_empty_or_across_paragraphs():
    text = "One xAI.\n\nTwo."
    hostile = [
        mark(-5, 2), mark(4, 4), mark(7, 4), mark(4, 10_000), mark(10**12, 10**12 + 3),
        mark(6, 12),
    ]  # fmt: skip

    assert highlight(text, hostile) == ["One xAI.", "Two."]


def test_it_drops_a_mark_whose_text_changed_since_it_was_found():
    text = "xAI and Grok"
    paragraphs = highlight(text, [mark(0, 3, expected="XAI"), mark(8, 12, expected="Colo")])

    assert paragraphs == ['<a class="mention" href="/entities/xai/" title="xAI">xAI</a> and Grok']


def test_it_skips_blank_lines_and_keeps_single_line_breaks_as_paragraphs():
    assert highlight("First\n\n\n   \nSecond\nThird", []) == ["First", "Second", "Third"]
    assert highlight("", [mark(0, 1)]) == []
