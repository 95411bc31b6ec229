from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm

from apps.sources import services


class Command(BaseCommand):
    help = "Fetch every due source and extract every pending article, here and now, until idle."

    def handle(self, *args: Any, **options: Any) -> None:
        with tqdm(desc="ingest", unit=" steps", disable=options["verbosity"] == 0) as bar:
            report = services.ingest(progress=lambda what: bar.update(1))
        self.stdout.write(
            f"Fetched {report.sources_fetched} sources ({report.fetch_errors} failed), "
            f"{report.articles_created} new articles, {report.articles_extracted} extracted."
        )
