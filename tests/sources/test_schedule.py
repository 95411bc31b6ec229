from datetime import UTC, datetime, timedelta

from apps.sources import schedule

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
LOW, HIGH = timedelta(minutes=5), timedelta(hours=24)


def _after_success(current=timedelta(hours=1), *, new=1, published=(), hint=None):
    return schedule.interval_after_success(
        current, new_entries=new, published=published, hint=hint, minimum=LOW, maximum=HIGH
    )


def test_it_polls_twice_per_typical_gap_between_posts():
    posts = [NOW - timedelta(hours=4 * n) for n in range(6)]
    assert _after_success(published=posts) == timedelta(hours=2)


def test_it_slows_down_while_a_feed_is_unchanged():
    assert _after_success(timedelta(hours=2), new=0) == timedelta(hours=3)
    assert _after_success(timedelta(hours=20), new=0) == HIGH


def test_it_never_polls_sooner_than_the_server_asks():
    posts = [NOW - timedelta(minutes=10 * n) for n in range(6)]
    assert _after_success(published=posts, hint=timedelta(hours=6)) == timedelta(hours=6)


def test_it_keeps_every_interval_inside_the_clamp():
    burst = [NOW - timedelta(seconds=n) for n in range(6)]
    assert _after_success(published=burst) == LOW
    assert _after_success(hint=timedelta(days=30)) == HIGH


def test_it_reads_max_age_expires_and_ttl_and_takes_the_longest():
    headers = {
        "cache-control": "public, max-age=600",
        "expires": "Sun, 01 Mar 2026 13:00:00 GMT",
    }
    assert schedule.server_hint(headers, now=NOW, ttl_seconds=None) == timedelta(hours=1)
    assert schedule.server_hint({}, now=NOW, ttl_seconds=7200) == timedelta(hours=2)
    assert (
        schedule.server_hint({"cache-control": "no-cache, max-age=600"}, now=NOW, ttl_seconds=None)
        is None
    )


def test_it_survives_absurd_and_malformed_hints():
    headers = {"cache-control": "max-age=" + "9" * 40, "expires": "not a date"}
    assert schedule.server_hint(headers, now=NOW, ttl_seconds=None) == timedelta(days=365)
    assert schedule.server_hint({"expires": "0"}, now=NOW, ttl_seconds=None) is None


def test_it_backs_off_exponentially_up_to_the_clamp_and_stays_there():
    waits = [
        schedule.interval_after_error(n, retry_after=None, minimum=LOW, maximum=HIGH)
        for n in (1, 2, 3, 10, 1000)
    ]
    assert waits[:3] == [LOW, LOW * 2, LOW * 4]
    assert waits[3] == waits[4] == HIGH


def test_it_honours_retry_after_on_errors():
    wait = schedule.interval_after_error(1, retry_after=3600, minimum=LOW, maximum=HIGH)
    assert wait == timedelta(hours=1)
    assert schedule.interval_after_error(1, retry_after=1e12, minimum=LOW, maximum=HIGH) == HIGH
