from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.entities.services.seed import SeedError, load_seed


class Command(BaseCommand):
    help = "Load the seed companies, people and clusters. Safe to re-run: curated rows are kept."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", nargs="?", type=Path, help="default: demo/seed/")

    def handle(self, *args: Any, **options: Any) -> None:
        directory = options["directory"] or Path(settings.BASE_DIR) / "demo" / "seed"
        try:
            report = load_seed(directory)
        except SeedError as error:
            raise CommandError(f"Nothing loaded. {error}") from None
        for line in report.lines():
            self.stdout.write(line)
