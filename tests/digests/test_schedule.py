"""When the next digest is due, in the reader's time zone."""

from datetime import UTC, datetime

from apps.digests.schedule import next_slot


def slot(after: datetime, **settings) -> datetime:
    fields = {"frequency": "daily", "hour": 8, "weekday": 0, "time_zone": "UTC"} | settings
    return next_slot(after, **fields)


def test_it_picks_the_next_hour_today_or_tomorrow():
    assert slot(datetime(2026, 3, 2, 7, 59, tzinfo=UTC)) == datetime(2026, 3, 2, 8, tzinfo=UTC)
    # Strictly after: a digest claimed at 8:00 is next due the day after.
    assert slot(datetime(2026, 3, 2, 8, 0, tzinfo=UTC)) == datetime(2026, 3, 3, 8, tzinfo=UTC)


def test_it_reads_the_hour_in_the_readers_time_zone():
    after = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)

    assert slot(after, time_zone="America/New_York") == datetime(2026, 1, 15, 13, tzinfo=UTC)
    assert slot(after, time_zone="Asia/Tokyo") == datetime(2026, 1, 15, 23, tzinfo=UTC)


def test_weekly_digests_come_on_the_readers_weekday():
    # 2026-03-02 is a Monday; Friday 17:00 in Paris (UTC+1 in March before the change).
    due = slot(
        datetime(2026, 3, 2, 9, tzinfo=UTC),
        frequency="weekly",
        weekday=4,
        hour=17,
        time_zone="Europe/Paris",
    )

    assert due == datetime(2026, 3, 6, 16, tzinfo=UTC)


def test_it_keeps_the_wall_clock_hour_across_daylight_saving():
    # New York springs forward on 2026-03-08: 8:00 is 13:00 UTC before, 12:00 UTC after.
    before = slot(datetime(2026, 3, 7, 12, tzinfo=UTC), time_zone="America/New_York")
    after = slot(before, time_zone="America/New_York")

    assert before == datetime(2026, 3, 7, 13, tzinfo=UTC)
    assert after == datetime(2026, 3, 8, 12, tzinfo=UTC)


def test_an_hour_that_does_not_exist_that_day_still_gives_one_slot_a_day():
    # 2:00 does not exist in New York on 2026-03-08; the slots still move forward daily.
    first = slot(datetime(2026, 3, 7, 12, tzinfo=UTC), hour=2, time_zone="America/New_York")
    second = slot(first, hour=2, time_zone="America/New_York")
    third = slot(second, hour=2, time_zone="America/New_York")

    assert first < second < third
    assert (second - first).total_seconds() / 3600 in (23, 24)


def test_an_unknown_zone_falls_back_to_utc():
    due = slot(datetime(2026, 3, 2, 9, tzinfo=UTC), time_zone="Mars/Olympus_Mons")

    assert due == datetime(2026, 3, 3, 8, tzinfo=UTC)
