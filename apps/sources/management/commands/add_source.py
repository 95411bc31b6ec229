from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.common.errors import FetchError
from apps.sources import services


class Command(BaseCommand):
    help = "Add a feed by URL (checked by the address guard). Known URLs are left as they are."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("url")
        parser.add_argument("--title", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            source = services.add_source(options["url"], title=options["title"])
        except FetchError as error:
            raise CommandError(f"Refused {options['url']!r}: {error}") from None
        self.stdout.write(f"Source {source.id}: {source.feed_url} (due {source.next_fetch_at:%c})")
