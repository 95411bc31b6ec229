from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm

from apps.events import services
from apps.sources.models import Article


class Command(BaseCommand):
    help = "Relink every extracted article to the entities as they are now (after alias edits)."

    def handle(self, *args: Any, **options: Any) -> None:
        total = Article.objects.filter(extracted_at__isnull=False).count()
        with tqdm(
            total=total, desc="relink", unit=" articles", disable=not options["verbosity"]
        ) as bar:
            report = services.relink(progress=bar.update)
        self.stdout.write(f"Relinked {report.articles} articles: {report.mentions} mentions.")
