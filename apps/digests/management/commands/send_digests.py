from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from apps.common.batches import chunks
from apps.digests import services
from apps.digests.models import Subscriber
from apps.digests.services.mail import render_digest


class Command(BaseCommand):
    help = (
        "Send the digests that are due, in this process (what beat does in the full stack), or "
        "print one subscriber's next digest without sending it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all",
            action="store_true",
            help="make every confirmed subscriber due now first (a demo, or a catch-up)",
        )
        parser.add_argument(
            "--preview", metavar="EMAIL", help="print this subscriber's next digest; send nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["preview"]:
            self._preview(options["preview"])
            return
        now = timezone.now()
        if options["all"]:
            Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED).update(next_digest_at=now)
        totals = services.BatchResult()
        while send_ids := services.claim_due(now=now):
            self._add(totals, services.send_digests(send_ids, now=now))
        stale = services.stale_pending(now=now)
        for send_ids in chunks(stale, services.CHUNK):
            self._add(totals, services.send_digests(send_ids, now=now))
        self.stdout.write(
            f"{len(totals.sent)} sent, {len(totals.empty)} with nothing to say, "
            f"{len(totals.bounced)} bounced, {len(set(totals.again))} left pending"
            + (f" ({totals.error})" if totals.error else "")
        )

    def _add(self, totals: services.BatchResult, result: services.BatchResult) -> None:
        totals.sent += result.sent
        totals.empty += result.empty
        totals.bounced += result.bounced
        totals.again += result.again
        totals.error = result.error or totals.error

    def _preview(self, email: str) -> None:
        subscriber = Subscriber.objects.filter(email=email.strip().lower()).first()
        if subscriber is None:
            raise CommandError(f"No subscriber has the address {email!r}.")
        digest, _ = services.build_one(subscriber, now=timezone.now())
        if digest.is_empty:
            self.stdout.write("Nothing changed since the last digest: no mail would be sent.")
            return
        rendered = render_digest(subscriber, digest)
        self.stdout.write(f"Subject: {rendered.subject}\n\n{rendered.text}")
