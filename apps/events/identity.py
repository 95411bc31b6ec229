"""Is a new report the same event as one we already have? Pure: no database.

The same event reported by many articles must be one event with many pieces of evidence. Two
reports are the same event when they have the same type, the same key participants (the person
who left, the company acquired, the cluster that grew), nothing that contradicts (left Google vs
left xAI; 100,000 vs 200,000 GPUs; Grok 2 vs Grok 3) and dates that can be the same day:

- A date is an interval: a day, a month, a year. Two dates agree when their intervals, widened
  by a few days of slack (an announcement and the day it takes effect), overlap.
- A report that dates nothing was dated by its publication: it agrees with any event from the
  two months before publication (news that "X has left" follows the leaving).
- Some events happen once for the same participants (a person leaves a company once; a company
  is acquired once): those agree across a wider window, so a recap that says "left in 2024"
  joins the June 2024 departure and a vague retrospective never splits it; and an undated
  report of one agrees with any earlier date ("Kosic has left", two years on).
"""

import datetime
from calendar import monthrange
from collections.abc import Mapping
from dataclasses import dataclass, field

from apps.common.dates import DatePrecision
from apps.events.vocabulary import EventType, Role

SLACK = datetime.timedelta(days=10)
UNDATED_LOOKBACK = datetime.timedelta(days=62)
UNDATED_LOOKAHEAD = datetime.timedelta(days=3)
ONCE_WINDOW = datetime.timedelta(days=550)

KEY_ROLES: dict[str, tuple[Role, ...]] = {
    EventType.DEPARTURE: (Role.PERSON,),
    EventType.HIRE: (Role.PERSON,),
    EventType.ACQUISITION: (Role.ACQUIRED,),
    EventType.MERGER: (Role.MERGED,),
    EventType.FUNDING: (Role.RECIPIENT,),
    EventType.LAWSUIT: (Role.PLAINTIFF, Role.DEFENDANT),
    EventType.LEGAL_NOTICE: (Role.PLAINTIFF, Role.DEFENDANT),
    EventType.PERMIT: (Role.REGULATOR,),
    EventType.PARTNERSHIP: (Role.PARTNER,),
    EventType.CLUSTER_MILESTONE: (Role.CLUSTER,),
    EventType.MODEL_RELEASE: (Role.COMPANY,),
    EventType.REORGANISATION: (Role.COMPANY,),
    EventType.ANNOUNCEMENT: (Role.COMPANY,),
}
# Roles that, when both reports name them, must agree.
CHECKED_ROLES: dict[str, tuple[Role, ...]] = {
    EventType.DEPARTURE: (Role.FROM_COMPANY,),
    EventType.HIRE: (Role.DESTINATION,),
    EventType.ACQUISITION: (Role.ACQUIRER,),
    EventType.PERMIT: (Role.CLUSTER,),
}
ONCE = frozenset({EventType.DEPARTURE, EventType.HIRE, EventType.ACQUISITION, EventType.MERGER})
# Types whose detail names the thing itself (a model: Grok 2 and Grok 3 are two releases); other
# types' detail is the wording of one report ("came online", "went live").
NAMED_BY_DETAIL = frozenset({EventType.MODEL_RELEASE})
# Quantities that tell two events of these types apart when both reports give them.
DISTINGUISHING = ("accelerators", "h100e", "power_mw", "turbines", "usd")
# The figures an event is known by: they come from the report that created it and are never
# added to later, so that the event matches the same reports whatever order they arrive in.
DEFINING = frozenset({"gpus", "chips", "h100e", "power_mw", "turbines", "usd", "projection"})
_PRECISION_RANK = {DatePrecision.YEAR: 0, DatePrecision.MONTH: 1, DatePrecision.DAY: 2}


@dataclass(frozen=True)
class Report:
    type: str
    participants: frozenset[tuple[str, int]]
    date: datetime.date
    precision: str
    approximate: bool = False
    undated: bool = False  # the sentence dated nothing: `date` is the publication day
    quantities: Mapping[str, object] = field(default_factory=dict)
    detail: str = ""

    def ids(self, role: str) -> set[int]:
        return {entity_id for r, entity_id in self.participants if r == role}


def same_event(known: Report, new: Report) -> bool:
    if known.type != new.type:
        return False
    # Every key role both reports name must agree, and at least one must be named by both: a
    # notice whose recipient one report leaves out is still the notice its sender sent.
    shared = False
    for role in KEY_ROLES.get(new.type, ()):
        ours, theirs = known.ids(role), new.ids(role)
        if ours and theirs:
            if not ours & theirs:
                return False
            shared = True
    if not shared:
        return False
    for role in CHECKED_ROLES.get(new.type, ()):
        ours, theirs = known.ids(role), new.ids(role)
        if ours and theirs and not ours & theirs:
            return False
    # A company is acquired once, whatever figure each report puts on the deal; a cluster's
    # 100,000 and 200,000 GPUs are two milestones, and two rounds of funding are two events.
    if new.type not in ONCE and _different_numbers(known.quantities, new.quantities):
        return False
    if new.type in NAMED_BY_DETAIL and _different_detail(known.detail, new.detail):
        return False
    if new.type in ONCE and (_old_news(known, new) or _old_news(new, known)):
        return True
    return dates_agree(known, new, window=ONCE_WINDOW if new.type in ONCE else SLACK)


def _old_news(dated: Report, undated: Report) -> bool:
    """An undated "Kosic has left" in a 2026 recap is the 2024 departure we know, not a second
    one: what happens once agrees with any earlier date. (A person who rejoins and leaves again
    is rarer than a recap that dates nothing.)"""
    return undated.undated and not dated.undated and _interval(dated)[0] <= undated.date


def dates_agree(a: Report, b: Report, *, window: datetime.timedelta = SLACK) -> bool:
    a_start, a_end = _interval(a)
    b_start, b_end = _interval(b)
    return a_start - window <= b_end and b_start - window <= a_end


def better_dated(new: Report, known: Report) -> bool:
    """Does the new report date the event better than what we have? Any date beats the
    publication day; then a day beats a month beats a year; then exact beats approximate."""
    return date_rank(new) > date_rank(known)


def date_rank(report: Report) -> tuple[bool, int, bool]:
    return (
        not report.undated,
        _PRECISION_RANK[DatePrecision(report.precision)],
        not report.approximate,
    )


def _interval(report: Report) -> tuple[datetime.date, datetime.date]:
    if report.undated:
        return report.date - UNDATED_LOOKBACK, report.date + UNDATED_LOOKAHEAD
    day = report.date
    if report.precision == DatePrecision.YEAR:
        return day.replace(month=1, day=1), day.replace(month=12, day=31)
    if report.precision == DatePrecision.MONTH:
        last = monthrange(day.year, day.month)[1]
        return day.replace(day=1), day.replace(day=last)
    return day, day


def _different_numbers(a: Mapping[str, object], b: Mapping[str, object]) -> bool:
    a, b = _counted(a), _counted(b)
    for kind in DISTINGUISHING:
        x, y = a.get(kind), b.get(kind)
        if x is not None and y is not None and not _close(float(str(x)), float(str(y))):
            return True
    return False


def _counted(quantities: Mapping[str, object]) -> dict[str, object]:
    """One report says "100,000 GPUs", another "100,000 chips": the same count."""
    counted = dict(quantities)
    counted["accelerators"] = quantities.get("gpus", quantities.get("chips"))
    return counted


def _different_detail(a: str, b: str) -> bool:
    return bool(a and b and a.casefold() != b.casefold())


def _close(x: float, y: float) -> bool:
    # "$6 billion" and "$6.0bn" are one figure; 100,000 and 200,000 GPUs are two milestones.
    return abs(x - y) <= 0.02 * max(abs(x), abs(y))
