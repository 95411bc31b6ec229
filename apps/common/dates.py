"""Dates known to a day, a month or a year, and how to show them without pretending more."""

from datetime import UTC, date, datetime

from django.db import models


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


def parse_partial_date(value: str) -> tuple[date, str]:
    """'2026-02-10', '2026-02' or '2026' as (a date, its precision); month and year dates are
    stored as their first day, and the precision says not to read that day as known."""
    parts = [int(part) for part in value.strip().split("-")]
    if len(parts) == 3:
        return date(*parts), DatePrecision.DAY
    if len(parts) == 2:
        return date(parts[0], parts[1], 1), DatePrecision.MONTH
    if len(parts) == 1:
        return date(parts[0], 1, 1), DatePrecision.YEAR
    raise ValueError(f"not a date: {value!r}")


def format_partial_date(value: date | None, precision: str, *, estimate: bool = False) -> str:
    """As precise as it is known ("Feb 2026"), and marked "~" when it is an estimate."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        shown = f"{value:%Y}"
    elif precision == DatePrecision.MONTH:
        shown = f"{value:%b %Y}"
    else:
        shown = f"{value.day} {value:%b %Y}"
    return f"~{shown}" if estimate else shown


def utc_day(moment: datetime) -> date:
    """The day of a moment in UTC (a naive time is taken as UTC already)."""
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(UTC).date()
