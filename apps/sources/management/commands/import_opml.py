from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.common.errors import FetchError
from apps.sources import services


class Command(BaseCommand):
    help = "Add every feed of an OPML file; unsafe or malformed entries are listed and skipped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            report = services.import_opml(path.read_bytes())
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        except FetchError as error:
            raise CommandError(f"{path} is not a usable OPML file: {error}") from None
        self.stdout.write(
            f"Added {len(report.added)}, already known {len(report.existing)}, "
            f"refused {len(report.refused)}."
        )
        for url, reason in report.refused:
            self.stderr.write(f"  refused {url!r}: {reason}")
