"""The flow diagram's geometry: sizes, order, folding, and paths, with no database."""

import itertools
import re

import pytest

from apps.dashboard.flow import FLOW_HEIGHT, GAP, MAX_UNIT, MIN_NODE, OTHER, Layout, layout


def keys(nodes) -> list[str]:
    return [node.key for node in nodes]


def crossings(drawn: Layout) -> int:
    """Pairs of bands that leave in one order and arrive in the other."""
    return sum(
        1
        for a, b in itertools.combinations(drawn.bands, 2)
        if (a.source_y - b.source_y) * (a.target_y - b.target_y) < 0
    )


def test_it_sizes_nodes_by_totals_and_bands_by_counts():
    drawn = layout([("xai", "openai", 3), ("xai", "meta", 1), ("google", "openai", 2)])

    sizes = {node.key: node.height for node in drawn.sources + drawn.targets}
    assert [n.total for n in drawn.sources] == [4, 2] and drawn.total == 6
    assert sizes["xai"] == 2 * sizes["google"] == 4 * MAX_UNIT
    assert {(b.source, b.target): b.thickness for b in drawn.bands} == {
        ("xai", "openai"): 3 * MAX_UNIT,
        ("xai", "meta"): MAX_UNIT,
        ("google", "openai"): 2 * MAX_UNIT,
    }


def test_it_adds_up_a_pair_given_twice_and_drops_zeroes():
    drawn = layout([("a", "b", 1), ("a", "b", 2), ("a", "c", 0)])

    assert [(b.source, b.target, b.count) for b in drawn.bands] == [("a", "b", 3)]
    assert keys(drawn.targets) == ["b"]


def test_it_refuses_a_negative_count():
    with pytest.raises(ValueError, match="negative"):
        layout([("a", "b", -1)])


def test_it_puts_the_biggest_source_first_and_targets_where_their_sources_are():
    flows = [("small", "z-first", 1), ("big", "a-last", 5), ("mid", "m", 3)]

    drawn = layout(flows)

    assert keys(drawn.sources) == ["big", "mid", "small"]
    # Each target faces its source, so no band crosses another.
    assert keys(drawn.targets) == ["a-last", "m", "z-first"]
    assert crossings(drawn) == 0


def test_barycentres_cross_less_than_alphabetical_order():
    flows = [("a", "y", 4), ("a", "x", 1), ("b", "x", 3), ("c", "w", 2), ("b", "w", 1)]

    drawn = layout(flows)

    assert crossings(drawn) == 0
    assert keys(drawn.targets)[0] == "y"  # drawn mostly from the top source


def test_no_two_bands_overlap_inside_a_node():
    drawn = layout([("a", "x", 2), ("a", "y", 1), ("b", "x", 1), ("b", "y", 3)])

    for side in ("source_y", "target_y"):
        ends = "source" if side == "source_y" else "target"
        for _, group in itertools.groupby(
            sorted(drawn.bands, key=lambda b: (getattr(b, ends), getattr(b, side))),
            key=lambda b: getattr(b, ends),
        ):
            slices = list(group)
            for one, two in itertools.pairwise(slices):
                assert getattr(one, side) + one.thickness == pytest.approx(getattr(two, side))


def test_it_folds_the_smallest_into_other_and_keeps_pinned_at_the_bottom():
    flows = [(f"s{n}", f"t{n}", 10 - n) for n in range(6)] + [("s0", "?", 1), ("s5", "?", 1)]

    drawn = layout(flows, max_sources=3, max_targets=4, pinned=["?"])

    assert keys(drawn.sources) == ["s0", "s1", OTHER]
    assert drawn.sources[-1].folded == ("s2", "s3", "s4", "s5")
    assert drawn.sources[-1].total == 8 + 7 + 6 + 5 + 1
    assert keys(drawn.targets)[-2:] == [OTHER, "?"] and len(drawn.targets) == 4
    assert drawn.total == sum(count for *_, count in flows)


def test_same_input_same_picture_whatever_the_order():
    flows = [("a", "x", 2), ("b", "x", 2), ("b", "y", 2), ("c", "y", 1)]

    assert layout(flows) == layout(list(reversed(flows)))


def test_its_size_is_bounded_however_many_people_move():
    many = layout([(f"s{n}", f"t{n % 13}", 50) for n in range(40)], max_sources=8, max_targets=8)

    assert len(many.sources) == 8 and len(many.targets) == 8
    assert many.height <= 28 + FLOW_HEIGHT + 8 * (MIN_NODE + GAP) + 8


def test_one_person_is_still_visible():
    drawn = layout([("huge", "x", 5000), ("tiny", "y", 1)])

    assert min(node.height for node in drawn.sources) == MIN_NODE


def test_a_band_is_two_cubic_curves_between_its_slices():
    band = layout([("a", "b", 1)]).bands[0]

    numbers = r"(-?[\d.]+)"
    shape = rf"M{numbers} {numbers}C.*L{numbers} {numbers}C.*Z"
    assert band.path.count("C") == 2
    x0, y0, x1, y1 = (float(v) for v in re.fullmatch(shape, band.path).groups())
    assert (y0, y1 - band.thickness) == (band.source_y, band.target_y) and x0 < x1


def test_nothing_to_draw_is_an_empty_layout():
    drawn = layout([])

    assert drawn.sources == drawn.targets == drawn.bands == () and drawn.height > 0
