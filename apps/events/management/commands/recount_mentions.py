from typing import Any

from django.core.management.base import BaseCommand

from apps.events.services import mention_weeks


class Command(BaseCommand):
    help = (
        "Rebuild the weekly mention counters (and each mention's copy of its article's date) "
        "from the mentions: after a bulk load that wrote rows directly, or as a repair. "
        "Safe to repeat; the analysis keeps them up to date on its own."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        rows = mention_weeks.recount()
        self.stdout.write(f"Counted {rows} entity-weeks of articles.")
