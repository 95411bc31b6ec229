"""When a reader's next digest is due: a pure function of their settings and the clock.

The reader gives an hour (and a weekday for weekly digests) in their own time zone; the slot is
that wall-clock time, turned into an instant. Across a daylight-saving change the wall-clock
time is kept (8:00 stays 8:00), a time that does not exist that day (2:30 when clocks jump to
3:00) is read with the offset before the jump, and an ambiguous one takes its first occurrence.
"""

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

DAILY = "daily"
WEEKLY = "weekly"

# How far back a first digest, or a newly followed item, looks for news: one period.
LOOKBACK = {DAILY: timedelta(days=1), WEEKLY: timedelta(days=7)}


def zone(name: str) -> ZoneInfo:
    """The reader's zone; a name the system no longer knows falls back to UTC."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


@cache
def zone_names() -> tuple[str, ...]:
    """The zones a reader can pick (reading the zone database takes a while: once)."""
    return tuple(sorted(available_timezones() - {"localtime", "Factory"}))


def next_slot(
    after: datetime, *, frequency: str, hour: int, weekday: int, time_zone: str
) -> datetime:
    """The first scheduled instant strictly after `after`, in UTC."""
    tz = zone(time_zone)
    day = after.astimezone(tz).date()
    # Two weeks of candidate days always contain the next slot, whatever the weekday.
    for offset in range(15):
        candidate_day = day + timedelta(days=offset)
        if frequency == WEEKLY and candidate_day.weekday() != weekday:
            continue
        slot = _wall_clock(candidate_day, hour, tz)
        if slot > after:
            return slot
    raise AssertionError("no slot within two weeks")  # unreachable: a week has every weekday


def _wall_clock(day: date, hour: int, tz: ZoneInfo) -> datetime:
    local = datetime.combine(day, time(hour), tzinfo=tz)  # fold=0: the first occurrence
    return local.astimezone(UTC)
