"""The embedded beat: the fixed-interval schedule as a pure function, and its refusals."""

from datetime import timedelta

import pytest
from celery.schedules import crontab

from apps.common.periodic import EmbeddedBeat, Entry, due, entries


def test_it_reads_intervals_given_as_timedelta_or_seconds() -> None:
    schedule = {
        "poll": {"task": "sources.fetch_due_sources", "schedule": timedelta(minutes=1)},
        "sweep": {"task": "sources.sweep_stuck_articles", "schedule": 300},
    }
    assert entries(schedule) == [
        Entry("poll", "sources.fetch_due_sources", 60.0),
        Entry("sweep", "sources.sweep_stuck_articles", 300.0),
    ]


@pytest.mark.parametrize("every", [crontab(minute=0), 0, -5, timedelta(0)])
def test_it_refuses_what_it_would_never_run_on_time(every: object) -> None:
    with pytest.raises(ValueError, match="fixed intervals only"):
        entries({"odd": {"task": "sources.fetch_due_sources", "schedule": every}})


def test_an_entry_is_due_first_at_once_then_after_its_interval() -> None:
    poll, sweep = Entry("poll", "t.poll", 60.0), Entry("sweep", "t.sweep", 300.0)
    assert due([poll, sweep], {}, now=1000.0) == [poll, sweep]
    last = {"poll": 1000.0, "sweep": 1000.0}
    assert due([poll, sweep], last, now=1059.9) == []
    assert due([poll, sweep], last, now=1060.0) == [poll]
    assert due([poll, sweep], last, now=1300.0) == [poll, sweep]


def test_it_refuses_to_start_with_a_task_nobody_defines() -> None:
    beat = EmbeddedBeat({"ghost": {"task": "nowhere.nothing", "schedule": 60}})
    with pytest.raises(ValueError, match=r"nowhere\.nothing"):
        beat.start()


def test_the_project_schedule_is_one_the_embedded_beat_runs(settings) -> None:
    beat = EmbeddedBeat(settings.CELERY_BEAT_SCHEDULE)
    assert {e.task for e in beat.schedule} >= {
        "sources.fetch_due_sources",
        "digests.send_due_digests",
    }
