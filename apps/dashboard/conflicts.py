"""Conflicting reports: sources that give different figures for the same thing at the same time.

Pure: reports in, groups out. Two reports of one metric are about the same time when they are
dated to the same precision and name the same period: the same month, the same year, or, for
reports known to the day, days no further apart than `slack` (a week by default: outlets repeat
a company's figure a few days late). A group of such reports is a conflict when two of them,
from different sources, give different values. Reports dated less precisely than others are not
compared with them: "2024: 100k GPUs" does not contradict "1 Sep 2024: 150k".
"""

import datetime
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from itertools import groupby
from typing import Generic, TypeVar

from apps.common.dates import DatePrecision

T = TypeVar("T")
SLACK = datetime.timedelta(days=7)


@dataclass(frozen=True)
class Report(Generic[T]):
    metric: str
    day: datetime.date
    precision: str
    value: Hashable
    source: str  # what makes two reports independent: their sources differ
    item: T  # what the caller wants back (an observation)


def conflicts(
    reports: Iterable[Report[T]], *, slack: datetime.timedelta = SLACK
) -> list[list[Report[T]]]:
    """The groups of reports that contradict each other, by metric and date."""
    found: list[list[Report[T]]] = []
    ordered = sorted(reports, key=lambda r: (r.metric, r.precision, _period(r), r.day))
    for _, same in groupby(ordered, key=lambda r: (r.metric, r.precision, _period(r))):
        for group in _near(list(same), slack):
            if _disagree(group):
                found.append(group)
    return sorted(found, key=lambda group: (group[0].day, group[0].metric))


def _period(report: Report[T]) -> tuple[int, int]:
    """The month or the year a report names; every day-precision report shares one key."""
    if report.precision == DatePrecision.YEAR:
        return report.day.year, 0
    if report.precision == DatePrecision.MONTH:
        return report.day.year, report.day.month
    return 0, 0


def _near(reports: list[Report[T]], slack: datetime.timedelta) -> list[list[Report[T]]]:
    """Reports of one period split where a day is more than `slack` after its group's first day
    (not its last: a series reported every few days is not one long group)."""
    if not reports or reports[0].precision != DatePrecision.DAY:
        return [reports] if reports else []
    groups: list[list[Report[T]]] = []
    for report in reports:
        if groups and report.day - groups[-1][0].day <= slack:
            groups[-1].append(report)
        else:
            groups.append([report])
    return groups


def _disagree(group: list[Report[T]]) -> bool:
    return any(
        a.value != b.value and a.source != b.source
        for n, a in enumerate(group)
        for b in group[n + 1 :]
    )
