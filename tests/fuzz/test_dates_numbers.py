"""Dates and numbers in prose (apps/events/rules/when.py, quantities.py) and partial dates
(apps/common/dates.py): any text gives real dates in a sane range and figures that make sense,
and what is written plainly reads back as what was written."""

import datetime
from decimal import Decimal

from hypothesis import example, given, settings
from hypothesis import strategies as st

from apps.common.dates import DatePrecision, format_partial_date, parse_partial_date
from apps.events.rules.quantities import find_quantities
from apps.events.rules.when import event_date, find_dates
from tests.fuzz import checks
from tests.fuzz.profiles import examples
from tests.fuzz.strategies.prose import sentences
from tests.fuzz.strategies.text import awkward_text, long_text
from tests.fuzz.test_rules import publication_times

READ_SECONDS = 2.0
DAYS = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2099, 12, 31))


@settings(max_examples=examples(100))
@given(st.one_of(sentences(), long_text()), publication_times())
def test_it_finds_only_real_dates_in_any_text(sentence: str, published: datetime.datetime):
    with checks.no_hang(READ_SECONDS):
        dates = find_dates(sentence, published=published)
        chosen = event_date(sentence, published=published)
    previous_end = 0
    for found in dates:
        assert previous_end <= found.start < found.end <= len(sentence)
        previous_end = found.end
        checks.sane_day(found.date, around=published.date(), years=200)
        if found.precision != DatePrecision.DAY:
            assert found.date.day == 1
        if found.precision == DatePrecision.YEAR:
            assert found.date.month == 1
    assert chosen is None or chosen in dates


# Each writes a day the way news does and says what it must read back as.
_WRITTEN_DAYS = (
    (lambda d: f"{d:%B} {d.day}, {d.year}", DatePrecision.DAY),
    (lambda d: f"{d:%b}. {d.day}, {d.year}".replace("May.", "May"), DatePrecision.DAY),
    (lambda d: f"{d.day} {d:%B} {d.year}", DatePrecision.DAY),
    (lambda d: f"{d:%Y-%m-%d}", DatePrecision.DAY),
    (lambda d: f"in {d:%B} {d.year}", DatePrecision.MONTH),
    (lambda d: f"in {d.year}", DatePrecision.YEAR),
)
_AROUND = st.tuples(
    st.sampled_from(("The deal closed ", "xAI filed it ", "", "It happened on ")),
    st.sampled_from((".", ", the filing shows.", " after a long review.", "")),
)


@settings(max_examples=examples(100))
@given(DAYS, st.sampled_from(_WRITTEN_DAYS), _AROUND, publication_times())
# "Jun." and "Jul." were not read as months, while "Jan." to "Dec." around them were.
@example(
    datetime.date(2000, 6, 1),
    _WRITTEN_DAYS[1],
    ("The deal closed ", "."),
    datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC),
)
def test_it_reads_back_dates_as_written(day, written, around, published) -> None:
    write, precision = written
    expression = write(day)
    sentence = around[0] + expression + around[1]
    expected = {
        DatePrecision.DAY: day,
        DatePrecision.MONTH: day.replace(day=1),
        DatePrecision.YEAR: day.replace(month=1, day=1),
    }[precision]
    dates = find_dates(sentence, published=published)
    start = len(around[0])
    assert any(
        (d.date, d.precision) == (expected, precision)
        and d.start <= start
        and d.end >= start + len(expression)
        for d in dates
    ), (sentence, dates)


@settings(max_examples=examples(100))
@given(DAYS, st.sampled_from(DatePrecision.values))
def test_it_reads_back_partial_dates(day: datetime.date, precision: str) -> None:
    text = {"day": f"{day:%Y-%m-%d}", "month": f"{day:%Y-%m}", "year": f"{day:%Y}"}[precision]
    parsed, parsed_precision = parse_partial_date(text)
    assert parsed_precision == precision and text == parsed.isoformat()[: len(text)]
    assert format_partial_date(parsed, precision)


@settings(max_examples=examples(100))
@given(st.one_of(awkward_text(4), st.from_regex(r"-?\d{1,9}(-\d{0,9}){0,3}", fullmatch=True)))
def test_it_refuses_what_is_not_a_date_with_a_value_error(text: str) -> None:
    try:
        parsed, precision = parse_partial_date(text)
    except ValueError:
        return
    checks.sane_day(parsed, around=datetime.date(2000, 1, 1), years=10_000)
    assert precision in DatePrecision.values


_SCALES = {"": 1, " million": 10**6, " billion": 10**9, "M": 10**6, "bn": 10**9, "k": 10**3}
_UNITS = {  # written after a number, and what it reads back as: kind and factor
    " GPUs": ("gpus", 1),
    " Nvidia H100 chips": ("gpus", 1),
    " gas turbines": ("turbines", 1),
    " employees": ("people", 1),
    " MW": ("power_mw", 1),
    " megawatts": ("power_mw", 1),
    " GW": ("power_mw", 1000),
    "-gigawatt": ("power_mw", 1000),
    " kW": ("power_mw", Decimal("0.001")),
}


@settings(max_examples=examples(100))
@given(
    st.decimals(min_value=1, max_value=999_999, places=2),
    st.sampled_from(sorted(_UNITS)),
    st.booleans(),
)
def test_it_reads_back_counts_and_power_as_written(value: Decimal, unit: str, grouped: bool):
    number = f"{value:,}" if grouped else f"{value}"
    kind, factor = _UNITS[unit]
    if kind not in ("power_mw",) and value != value.to_integral_value():
        number = f"{int(value):,}" if grouped else f"{int(value)}"
        value = Decimal(int(value))
    sentence = f"The site now runs {number}{unit} in all."
    found = [q for q in find_quantities(sentence) if q.kind == kind]
    assert [q.value for q in found] == [value * factor], (sentence, found)
    assert sentence[found[0].start : found[0].end].startswith(number)


@settings(max_examples=examples(100))
@given(st.decimals(min_value=1, max_value=999, places=2), st.sampled_from(sorted(_SCALES)))
def test_it_reads_back_dollar_amounts_as_written(value: Decimal, scale: str) -> None:
    sentence = f"The startup raised ${value}{scale} from investors."
    (found,) = find_quantities(sentence)
    assert (found.kind, found.role, found.value) == ("usd", "amount", value * _SCALES[scale])
    assert sentence[found.start : found.end] == f"${value}{scale}"
