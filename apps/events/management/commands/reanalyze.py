from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm

from apps.events import services
from apps.sources.models import Article


class Command(BaseCommand):
    help = (
        "Analyse every extracted article again (mentions and events) after aliases or rules "
        "changed. Safe to repeat: curators' decisions stay and no event is duplicated."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        total = Article.objects.filter(extracted_at__isnull=False).count()
        with tqdm(
            total=total, desc="reanalyze", unit=" articles", disable=not options["verbosity"]
        ) as bar:
            report = services.reanalyze(progress=bar.update)
        self.stdout.write(
            f"Analysed {report.articles} articles: {report.mentions} mentions, "
            f"{report.events} events."
        )
