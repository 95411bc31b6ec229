"""Chart geometry: readable axis numbers, weekly bars and step series in SVG coordinates."""

import datetime

import pytest

from apps.dashboard.charts import Plot, Point, nice_top, short_number, step_chart, weekly_bars

D = datetime.date
PLOT = Plot()


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0, "0"),
        (7, "7"),
        (2.5, "2.5"),
        (0.25, "0.25"),
        (12.5, "12.5"),
        (150.0, "150"),
        (950, "950"),
        (1_000, "1k"),
        (1_200, "1.2k"),
        (100_000, "100k"),
        (230_000, "230k"),
        (999_999, "1M"),
        (1_200_000, "1.2M"),
        (3_000_000_000, "3B"),
        (-1_500, "-1.5k"),
    ],
)
def test_it_writes_numbers_as_axes_read_them(value, shown):
    assert short_number(value) == shown


@pytest.mark.parametrize(
    ("peak", "top", "step"),
    [(7, 8, 2), (10, 10, 2.5), (95, 100, 25), (230_000, 300_000, 100_000), (1.5, 1.5, 0.5)],
)
def test_it_rounds_the_axis_up_to_a_round_step(peak, top, step):
    assert nice_top(peak) == (top, step)


def test_a_count_axis_has_whole_steps_and_an_empty_one_still_has_a_scale():
    assert nice_top(3, whole=True) == (3, 1)
    assert nice_top(9, whole=True) == (10, 5)
    assert nice_top(0, whole=True) == (4, 1)


def test_it_draws_one_bar_per_week_zero_filled_up_to_the_last_week():
    last = D(2025, 3, 10)
    chart = weekly_bars({D(2025, 3, 3): 4, last: 2, D(2024, 1, 1): 99}, last_week=last, weeks=3)

    assert [b.week for b in chart.bars] == [D(2025, 2, 24), D(2025, 3, 3), last]
    assert [b.value for b in chart.bars] == [0, 4, 2]  # a week outside the window is ignored
    assert chart.total == 6 and chart.peak is not None and chart.peak.week == D(2025, 3, 3)


def test_bar_heights_are_proportional_and_stand_on_the_axis():
    chart = weekly_bars({D(2025, 3, 3): 4, D(2025, 3, 10): 2}, last_week=D(2025, 3, 10), weeks=2)
    four, two = chart.bars

    assert four.y + four.height == two.y + two.height == PLOT.bottom
    assert four.height == pytest.approx(2 * two.height, abs=0.2)
    assert four.y == PLOT.top  # 4 is the top of a 0..4 axis
    assert four.x + four.width <= two.x  # side by side, never overlapping
    assert PLOT.left <= four.x and two.x + two.width <= PLOT.right


def test_it_labels_the_value_axis_with_round_numbers_from_zero():
    chart = weekly_bars({D(2025, 3, 10): 7}, last_week=D(2025, 3, 10), weeks=1)

    assert [t.label for t in chart.value_ticks] == ["0", "2", "4", "6", "8"]
    assert chart.value_ticks[0].position == PLOT.bottom
    assert chart.value_ticks[-1].position == PLOT.top


def test_an_empty_year_has_bars_of_no_height_and_no_peak():
    chart = weekly_bars({}, last_week=D(2025, 3, 10), weeks=52)

    assert len(chart.bars) == 52 and all(b.height == 0 for b in chart.bars)
    assert chart.total == 0 and chart.peak is None


def test_it_labels_the_weeks_that_start_a_month_with_the_year_where_it_changes():
    chart = weekly_bars({}, last_week=D(2025, 3, 10), weeks=52)
    labels = [t.label for t in chart.time_ticks]

    assert labels[0].endswith("2024") and "Jan 2025" in labels
    assert len(labels) <= 7
    positions = [t.position for t in chart.time_ticks]
    assert positions == sorted(positions)


def test_a_step_line_holds_each_value_until_the_next_report():
    points = [
        Point(D(2024, 1, 1), 100_000, "https://a.example/1"),
        Point(D(2024, 7, 1), 200_000, "https://b.example/2"),
    ]
    chart = step_chart(points, end=D(2025, 1, 1))
    assert chart is not None
    first, second = chart.markers

    # Flat, up, flat to the end of the axis.
    assert chart.path == f"M{first.x} {first.y}H{second.x}V{second.y}H{float(PLOT.right)}"
    assert first.x == PLOT.left and second.y < first.y
    assert [m.point.href for m in chart.markers] == ["https://a.example/1", "https://b.example/2"]
    assert chart.latest == points[1]


def test_the_axis_is_shared_when_given_and_widened_to_hold_every_point():
    points = [Point(D(2024, 6, 1), 10)]
    shared = step_chart(points, start=D(2024, 1, 1), end=D(2024, 12, 31))
    assert shared is not None

    assert PLOT.left < shared.markers[0].x < PLOT.right
    wider = step_chart([Point(D(2025, 6, 1), 10)], start=D(2024, 1, 1), end=D(2024, 12, 31))
    assert wider is not None and wider.markers[0].x == PLOT.right


def test_a_plan_is_a_marker_off_the_line():
    reported = Point(D(2024, 1, 1), 100)
    planned = Point(D(2026, 1, 1), 1_000, projected=True)
    chart = step_chart([reported, planned])
    assert chart is not None

    assert len(chart.markers) == 2
    assert chart.path.count("V") == 0  # the line never climbs to the plan
    assert chart.latest == reported
    assert [t.label for t in chart.value_ticks][-1] == "1k"  # but the axis holds it


def test_a_single_report_is_not_drawn_on_the_edge():
    chart = step_chart([Point(D(2024, 6, 1), 5)])
    assert chart is not None

    assert PLOT.left < chart.markers[0].x < PLOT.right


def test_nothing_to_draw_is_no_chart():
    assert step_chart([]) is None


def test_a_long_span_is_labelled_by_year():
    chart = step_chart([Point(D(2015, 1, 1), 1), Point(D(2025, 1, 1), 2)])
    assert chart is not None

    labels = [t.label for t in chart.time_ticks]
    assert labels == ["2016", "2018", "2020", "2022", "2024"]
