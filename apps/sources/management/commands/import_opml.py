from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from apps.common.errors import FetchError
from apps.sources import services


def _advance(bar: tqdm) -> Callable[[int, int], None]:
    def advance(done: int, total: int) -> None:
        bar.total = total
        bar.update(1)

    return advance


class Command(BaseCommand):
    help = "Add every feed of an OPML file; unsafe or malformed entries are listed and skipped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        bar = tqdm(desc="import", unit=" feeds", disable=options["verbosity"] == 0)
        try:
            with bar:
                report = services.import_opml(path.read_bytes(), progress=_advance(bar))
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
