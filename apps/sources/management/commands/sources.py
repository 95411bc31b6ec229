from typing import Any

from django.core.management.base import BaseCommand
from django.db.models import Count

from apps.sources.models import Source


class Command(BaseCommand):
    help = "Show every source's health: status, errors, last success, next fetch, articles."

    def handle(self, *args: Any, **options: Any) -> None:
        rows = Source.objects.annotate(article_count=Count("articles")).order_by("title")
        header = f"{'id':>4}  {'source':<36} {'kind':<7} {'status':<8} {'errs':>4} "
        header += f"{'articles':>8}  {'last success':<16}  {'next fetch':<16}  problem"
        self.stdout.write(header)
        for source in rows:
            self.stdout.write(_row(source))


def _row(source: Source) -> str:
    status = "inactive" if not source.is_active else str(source.last_status or "-")
    problem = source.deactivated_reason or source.last_error
    return (
        f"{source.id:>4}  {str(source)[:36]:<36} {source.kind:<7} {status:<8} "
        f"{source.consecutive_errors:>4} {source.article_count:>8}  "  # type: ignore[attr-defined]
        f"{_when(source.last_success_at):<16}  {_when(source.next_fetch_at):<16}  {problem[:60]}"
    )


def _when(moment: Any) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "never"
