"""When to poll a source next: pure functions over what the last fetch told us.

The interval follows how often the source publishes, never polls sooner than the server asks
(Cache-Control, Expires, the feed's TTL, Retry-After), and always stays inside the clamp, so a
source is neither hammered nor forgotten. Errors back off exponentially up to the clamp's top
and keep polling there: a failing source is retried daily, never silently dropped.
"""

import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from itertools import pairwise
from statistics import median

# Unchanged feeds are polled a little less often each time, up to the clamp.
UNCHANGED_GROWTH = 1.5
# Poll about twice per typical gap between a source's posts.
POLLS_PER_GAP = 2
# Server hints beyond a year are treated as a year: they only matter up to the clamp anyway, and
# absurd values must not overflow timedelta.
_LONGEST_HINT = 365 * 86400
_MAX_AGE = re.compile(r"(?:^|,)\s*(?:s-)?max-age\s*=\s*\"?(\d+)", re.IGNORECASE)


def clamp(interval: timedelta, *, minimum: timedelta, maximum: timedelta) -> timedelta:
    return max(minimum, min(maximum, interval))


def publishing_gap(published: Iterable[datetime]) -> timedelta | None:
    """The median gap between consecutive posts, or None with fewer than two dated posts."""
    dates = sorted(set(published), reverse=True)[:20]
    gaps = [(newer - older).total_seconds() for newer, older in pairwise(dates)]
    return timedelta(seconds=median(gaps)) if gaps else None


def server_hint(
    headers: Mapping[str, str], *, now: datetime, ttl_seconds: int | None
) -> timedelta | None:
    """The longest "don't come back before" the server or the feed expressed, if any."""
    hints = [
        _max_age(headers.get("cache-control", "")),
        _expires(headers.get("expires", ""), now=now),
        _seconds(ttl_seconds) if ttl_seconds else None,
    ]
    present = [hint for hint in hints if hint is not None]
    return max(present) if present else None


def interval_after_success(
    current: timedelta,
    *,
    new_entries: int,
    published: Iterable[datetime],
    hint: timedelta | None,
    minimum: timedelta,
    maximum: timedelta,
) -> timedelta:
    gap = publishing_gap(published)
    if new_entries and gap is not None:
        interval = gap / POLLS_PER_GAP
    elif new_entries:
        interval = current
    else:
        interval = current * UNCHANGED_GROWTH
    if hint is not None:
        interval = max(interval, hint)
    return clamp(interval, minimum=minimum, maximum=maximum)


def interval_after_error(
    consecutive_errors: int,
    *,
    retry_after: float | None,
    minimum: timedelta,
    maximum: timedelta,
) -> timedelta:
    """Exponential backoff from the minimum, honouring Retry-After, capped at the maximum."""
    exponent = min(max(consecutive_errors - 1, 0), 32)
    interval = minimum * (2**exponent)
    if retry_after is not None:
        interval = max(interval, _seconds(retry_after))
    return clamp(interval, minimum=minimum, maximum=maximum)


def _seconds(value: float) -> timedelta:
    return timedelta(seconds=min(max(value, 0), _LONGEST_HINT))


def _max_age(cache_control: str) -> timedelta | None:
    if "no-cache" in cache_control.lower() or "no-store" in cache_control.lower():
        return None
    match = _MAX_AGE.search(cache_control)
    return _seconds(int(match.group(1))) if match else None


def _expires(value: str, *, now: datetime) -> timedelta | None:
    if not value:
        return None
    try:
        expires = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if expires.tzinfo is None:
        return None
    return expires - now if expires > now else None
