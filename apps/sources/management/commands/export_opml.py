import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from apps.sources import services


class Command(BaseCommand):
    help = "Write the active sources as OPML to FILE, or to standard output."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, nargs="?")

    def handle(self, *args: Any, **options: Any) -> None:
        data = services.export_opml()
        if options["file"]:
            options["file"].write_bytes(data)
            self.stdout.write(f"Wrote {options['file']}")
        else:
            sys.stdout.buffer.write(data)
