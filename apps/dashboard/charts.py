"""Chart geometry: numbers in, SVG coordinates and readable labels out. No database, no markup.

Pages hand these functions plain values (weekly counts, dated observations); the templates
`dashboard/_bars.html` and `dashboard/_steps.html` draw what comes back. Coordinates are in the
SVG's own user units (its viewBox), rounded to a tenth, so the markup stays short and the charts
scale with the page.
"""

import datetime
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

WIDTH = 640
HEIGHT = 200
# Room around the plot for the value axis (left) and the time axis (below).
MARGIN_LEFT = 44
MARGIN_RIGHT = 24
MARGIN_TOP = 10
MARGIN_BOTTOM = 24
# A value axis with about this many steps above zero.
TICKS = 4
_SUFFIXES = ((1e3, "k"), (1e6, "M"), (1e9, "B"), (1e12, "T"))
# The time axis labels every 1, 3, 6, 12… months, whichever leaves at most this many labels.
TIME_LABELS = 7
_MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60, 120)


def short_number(value: float) -> str:
    """A number as people read it on an axis: 950, 1.2k, 100k, 1.2M, 2.5."""
    if value < 0:
        return "-" + short_number(-value)
    if value < 1000:
        return _trim(value)
    for size, suffix in _SUFFIXES:
        text = _trim(value / size)
        # 999,999 is "1M", not "1000k".
        if float(text) < 1000 or suffix == _SUFFIXES[-1][1]:
            return text + suffix
    raise AssertionError("unreachable: the last suffix always answers")


def _trim(value: float) -> str:
    """Two decimals below 10, one below 100, none above; no trailing zeros: 1.25, 12.5, 150."""
    places = 2 if value < 10 else 1 if value < 100 else 0
    text = f"{value:.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def nice_top(peak: float, *, ticks: int = TICKS, whole: bool = False) -> tuple[float, float]:
    """The top of a value axis that starts at zero and holds `peak`, and its step: a step of 1,
    2, 2.5 or 5 times a power of ten, so that every tick reads as a round number (`whole`: only
    whole steps, for counts)."""
    if peak <= 0 or not math.isfinite(peak):
        return float(ticks), 1.0
    raw = peak / ticks
    power = 10 ** math.floor(math.log10(raw))
    multiples = (1, 2, 5, 10) if whole else (1, 2, 2.5, 5, 10)
    step = next(m * power for m in multiples if m * power >= raw * (1 - 1e-9))
    if whole:
        step = max(1.0, float(math.ceil(step)))
    return float(step * math.ceil(peak / step - 1e-9)), float(step)


@dataclass(frozen=True)
class Tick:
    position: float  # x for the time axis, y for the value axis
    label: str


@dataclass(frozen=True)
class Plot:
    """The drawing area inside the margins, in the SVG's units."""

    width: int = WIDTH
    height: int = HEIGHT

    @property
    def left(self) -> int:
        return MARGIN_LEFT

    @property
    def right(self) -> int:
        return self.width - MARGIN_RIGHT

    @property
    def top(self) -> int:
        return MARGIN_TOP

    @property
    def bottom(self) -> int:
        return self.height - MARGIN_BOTTOM

    @property
    def value_label_x(self) -> int:
        """Where the value axis's labels end (they are right-aligned to it)."""
        return self.left - 6

    @property
    def time_label_y(self) -> int:
        """The baseline of the time axis's labels."""
        return self.height - 6

    def y_of(self, value: float, top_value: float) -> float:
        return _round(self.bottom - (self.bottom - self.top) * value / top_value)

    def value_ticks(self, top_value: float, step: float) -> list[Tick]:
        count = round(top_value / step)
        return [
            Tick(self.y_of(step * n, top_value), short_number(step * n)) for n in range(count + 1)
        ]


def _round(value: float) -> float:
    return round(value, 1)


# Weekly bars ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    week: datetime.date  # the Monday
    value: int

    @property
    def week_label(self) -> str:
        """The Monday as people read it (3 Mar 2025). Made here, not by the template's date
        filter, which costs more across a year of bars than the rest of the chart."""
        return f"{self.week.day} {self.week:%b %Y}"


@dataclass(frozen=True)
class BarChart:
    plot: Plot
    bars: list[Bar]
    value_ticks: list[Tick]
    time_ticks: list[Tick]
    total: int
    peak: Bar | None  # the first week with the most, None when every week is zero


def weekly_bars(
    counts: Mapping[datetime.date, int],
    *,
    last_week: datetime.date,
    weeks: int,
    plot: Plot = Plot(),
) -> BarChart:
    """One bar per week for the `weeks` weeks that end with `last_week` (a Monday); weeks that
    `counts` does not name are zero."""
    mondays = [last_week - datetime.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    values = [max(0, counts.get(monday, 0)) for monday in mondays]
    top_value, step = nice_top(max(values, default=0), whole=True)
    slot = (plot.right - plot.left) / len(mondays) if mondays else 0
    gap = min(2.0, slot * 0.2)
    bars = []
    for n, (monday, value) in enumerate(zip(mondays, values, strict=True)):
        y = plot.y_of(value, top_value)
        bars.append(
            Bar(
                x=_round(plot.left + n * slot + gap / 2),
                y=y,
                width=_round(slot - gap),
                height=_round(plot.bottom - y),
                week=monday,
                value=value,
            )
        )
    peak = max(bars, key=lambda bar: bar.value, default=None)
    return BarChart(
        plot=plot,
        bars=bars,
        value_ticks=plot.value_ticks(top_value, step),
        time_ticks=_bar_time_ticks(bars),
        total=sum(values),
        peak=peak if peak is not None and peak.value > 0 else None,
    )


def _bar_time_ticks(bars: Sequence[Bar]) -> list[Tick]:
    """A label under the first week of each month (every few months on a long axis)."""
    if not bars:
        return []
    first, last = bars[0].week, bars[-1].week + datetime.timedelta(days=6)
    step = _month_step(first, last)
    ticks: list[Tick] = []
    for bar in bars:
        sunday = bar.week + datetime.timedelta(days=6)
        # The week holding a month's first day, when the month is one the step labels.
        if sunday.day <= 7 and (sunday.year * 12 + sunday.month - 1) % step == 0:
            label = _month_label(sunday, step, first=not ticks)
            ticks.append(Tick(_round(bar.x + bar.width / 2), label))
    return ticks


# Step series ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    """One dated value of a series, and where it comes from."""

    day: datetime.date
    value: float
    href: str = ""  # its source; a point without one is drawn but links nowhere
    label: str = ""  # what the point says, for its tooltip and for screen readers
    projected: bool = False  # a plan, not a report: drawn apart, off the line


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    point: Point


@dataclass(frozen=True)
class StepChart:
    plot: Plot
    path: str  # an SVG path: the value holds until the next report changes it
    markers: list[Marker]
    value_ticks: list[Tick]
    time_ticks: list[Tick]
    first: Point | None  # the first and the latest reported (not projected) values
    latest: Point | None


def step_chart(
    points: Sequence[Point],
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    plot: Plot = Plot(),
) -> StepChart | None:
    """A step line through the reported points in date order (several reports of one day are
    drawn one above the other), held flat to `end`; projected points are markers only.
    The time axis runs from `start` to `end` (default: the first and last points), so two
    charts of one cluster can share it. None when there is no point to draw."""
    if not points:
        return None
    ordered = sorted(points, key=lambda p: p.day)  # stable: reports of a day keep their order
    first_day = min(start or ordered[0].day, ordered[0].day)
    last_day = max(end or ordered[-1].day, ordered[-1].day)
    if last_day == first_day:  # one day: give it a month either side so it is not an edge
        first_day -= datetime.timedelta(days=30)
        last_day += datetime.timedelta(days=30)
    span = (last_day - first_day).days

    def x_of(day: datetime.date) -> float:
        return _round(plot.left + (plot.right - plot.left) * (day - first_day).days / span)

    top_value, step = nice_top(max(p.value for p in ordered))
    markers = [Marker(x_of(p.day), plot.y_of(p.value, top_value), p) for p in ordered]
    reported = [m for m in markers if not m.point.projected]
    return StepChart(
        plot=plot,
        path=_step_path(reported, x_of(last_day)),
        markers=markers,
        value_ticks=plot.value_ticks(top_value, step),
        time_ticks=_time_ticks(first_day, last_day, x_of),
        first=reported[0].point if reported else None,
        latest=reported[-1].point if reported else None,
    )


def _step_path(markers: Sequence[Marker], end_x: float) -> str:
    if not markers:
        return ""
    parts = [f"M{markers[0].x} {markers[0].y}"]
    for marker in markers[1:]:
        parts.append(f"H{marker.x}V{marker.y}")
    parts.append(f"H{end_x}")
    return "".join(parts)


def _time_ticks(
    first: datetime.date, last: datetime.date, x_of: Callable[[datetime.date], float]
) -> list[Tick]:
    """Labels on the first day of every few months between `first` and `last`."""
    step = _month_step(first, last)
    month = first.year * 12 + first.month - 1
    month += -month % step
    ticks: list[Tick] = []
    while True:
        day = datetime.date(month // 12, month % 12 + 1, 1)
        if day > last:
            return ticks
        if day >= first:
            ticks.append(Tick(x_of(day), _month_label(day, step, first=not ticks)))
        month += step


def _month_step(first: datetime.date, last: datetime.date) -> int:
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    return next((s for s in _MONTH_STEPS if months / s <= TIME_LABELS), _MONTH_STEPS[-1])


def _month_label(day: datetime.date, step: int, *, first: bool) -> str:
    """'2025' on a yearly axis; on a monthly one 'Mar 2025' for the first label and where a year
    starts, 'Mar' within a year."""
    if step >= 12:
        return f"{day:%Y}"
    return f"{day:%b %Y}" if first or day.month == 1 else f"{day:%b}"
