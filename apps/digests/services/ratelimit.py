"""Fixed-window rate limits for the subscribe form, counted in PostgreSQL (or SQLite).

Why the database: the embedded default runs without Redis, and Django's default cache is local
to one process, so each gunicorn worker would keep its own count (and a restart would reset
it). The database is shared by every web process in both ways of running; one small row per
key and window is cheap next to the mail the form sends.

Keys are keyed hashes, so the table holds no address in clear.
"""

import ipaddress
from datetime import datetime, timedelta

from django.db import transaction
from django.utils.crypto import salted_hmac

from apps.digests.models import RateLimitBucket

WINDOW = timedelta(hours=1)
# A reader who mistyped, or lost the first mail, can ask again; a script cannot mail-bomb one
# address.
PER_ADDRESS = 3
# A whole office behind one address can still sign up; a script cannot sign up thousands.
PER_CLIENT = 20


def _key(kind: str, value: str) -> str:
    return f"{kind}:{salted_hmac('labintel.digests.ratelimit', value).hexdigest()[:40]}"


def client_address(remote_addr: str, forwarded_for: str, *, trusted_proxies: int) -> str:
    """The visitor's address. Behind `trusted_proxies` proxies, each appending the address it
    received the request from to X-Forwarded-For, that is the entry the outermost one added:
    entries further left are whatever the visitor chose to send."""
    if trusted_proxies == 0:
        return remote_addr
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    if len(hops) < trusted_proxies:
        return remote_addr  # not through all of our proxies: the connection's own address
    return hops[-trusted_proxies]


def client_of(address_text: str) -> str:
    """The client a request counts against: its address, or its /64 for IPv6 (one host
    usually has a whole /64 to pick addresses from)."""
    try:
        address = ipaddress.ip_address(address_text)
    except ValueError:
        return "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def mailbox_of(email: str) -> str:
    """The mailbox an address delivers to, as far as a limit should care: most providers
    deliver name+anything@ to name@, so those share the address's budget."""
    local, _, domain = email.lower().rpartition("@")
    return f"{local.split('+', 1)[0] or local}@{domain}"


def allow_subscribe(*, email: str, client: str, now: datetime) -> bool:
    """Count this request against the address and the client, both always (the same work
    whoever asks), and say whether both are within their limits."""
    by_address = _hit(_key("address", mailbox_of(email)), limit=PER_ADDRESS, now=now)
    by_client = _hit(_key("client", client), limit=PER_CLIENT, now=now)
    return by_address and by_client


@transaction.atomic
def _hit(key: str, *, limit: int, now: datetime) -> bool:
    bucket, _ = RateLimitBucket.objects.select_for_update().get_or_create(
        key=key, defaults={"window_start": now}
    )
    if bucket.window_start <= now - WINDOW:
        bucket.window_start, bucket.hits = now, 0
    bucket.hits += 1
    bucket.save(update_fields=["window_start", "hits"])
    return bucket.hits <= limit


def forget_old(*, now: datetime) -> int:
    return RateLimitBucket.objects.filter(window_start__lt=now - WINDOW).delete()[0]
