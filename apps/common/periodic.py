"""Beat for the embedded default: the periodic tasks of CELERY_BEAT_SCHEDULE, run in-process.

The full stack runs `celery beat`. The embedded default has no broker and no beat, yet a demo
left running should still poll its sources, sweep stranded articles and send the digests that
fall due, as the full stack does. This runs the same schedule on a daemon thread, calling each
task in place (as every task runs without a broker). It knows tasks only by their names, so no
app below the ones that own the tasks has to import them.

Only fixed intervals (timedelta or seconds) are supported: that is all the schedule uses, and a
crontab entry is refused at start rather than silently never run.
"""

import logging
import threading
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from celery import current_app
from django.db import close_old_connections, connections

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Entry:
    name: str
    task: str
    every: float  # seconds


def entries(schedule: Mapping[str, Mapping[str, Any]]) -> list[Entry]:
    """The schedule as fixed intervals; anything else is a configuration error."""
    found = []
    for name, spec in schedule.items():
        every = spec["schedule"]
        if isinstance(every, timedelta):
            every = every.total_seconds()
        if not isinstance(every, int | float) or every <= 0:
            raise ValueError(f"{name}: the embedded beat runs fixed intervals only, not {every!r}")
        found.append(Entry(name=name, task=spec["task"], every=float(every)))
    return found


def due(schedule: list[Entry], last_run: Mapping[str, float], now: float) -> list[Entry]:
    """Entries never run, or whose interval has passed since their last run."""
    return [e for e in schedule if now - last_run.get(e.name, float("-inf")) >= e.every]


class EmbeddedBeat:
    """Runs the schedule on one daemon thread until stopped. One task at a time, so a slow
    fetch delays the next entry instead of piling up threads on one SQLite file."""

    def __init__(self, schedule: Mapping[str, Mapping[str, Any]], *, tick: float = 1.0) -> None:
        self.schedule = entries(schedule)
        self.tick = tick
        self.last_run: dict[str, float] = {}
        self.runs: Counter[str] = Counter()  # per entry, failed runs included
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="embedded-beat", daemon=True)

    def start(self) -> "EmbeddedBeat":
        current_app.loader.import_default_modules()  # every app's tasks.py, as a worker does
        missing = [e.task for e in self.schedule if e.task not in current_app.tasks]
        if missing:
            raise ValueError(f"the beat schedule names unknown tasks: {', '.join(missing)}")
        self._thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        self._stopped.set()
        self._thread.join(timeout)

    def run_due(self) -> list[str]:
        """Run what is due now; the names of the entries run."""
        ran = []
        for entry in due(self.schedule, self.last_run, time.monotonic()):
            if self._stopped.is_set():
                break
            self.last_run[entry.name] = time.monotonic()
            self.runs[entry.name] += 1
            ran.append(entry.name)
            close_old_connections()
            try:
                current_app.tasks[entry.task].apply(throw=True)
            except Exception:  # one failing entry must not stop the others or the beat
                log.exception("embedded beat: %s failed", entry.name)
            finally:
                close_old_connections()
        return ran

    def _loop(self) -> None:
        try:
            while not self._stopped.is_set():
                self.run_due()
                self._stopped.wait(self.tick)
        finally:
            connections.close_all()  # this thread's own; nobody else would close them
