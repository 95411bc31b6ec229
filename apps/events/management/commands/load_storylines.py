from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.events.services.seed import load_storylines
from apps.events.storylines import RuleError

DEFAULT_PATH = Path(settings.BASE_DIR) / "demo" / "seed" / "storylines.yaml"


class Command(BaseCommand):
    help = "Create the seed storylines that do not exist yet, then refresh every one listed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            storylines = load_storylines(path)
        except (OSError, RuleError, yaml.YAMLError) as error:
            raise CommandError(str(error)) from None
        for storyline in storylines:
            storyline.refresh_from_db()
            self.stdout.write(f"{storyline.title}: {storyline.event_count} events")
