"""Signed links in mail: confirm an address, manage a subscription, unsubscribe, add a follow.

Each purpose has its own salt, so a token made for one is refused by every other. A token names
the subscriber by id and binds a keyed hash of the address, so it stops working if the address
on the row changes; it never carries the address itself, nor anything the visitor typed.
"""

from dataclasses import dataclass
from enum import Enum
from typing import Any

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from apps.digests.models import Subscriber

DAY = 24 * 3600


class Purpose(Enum):
    # (salt, lifetime in seconds; None never expires)
    CONFIRM = ("labintel.digests.confirm", 3 * DAY)
    # Every digest carries a fresh one; an old mail's link stops working after three months.
    MANAGE = ("labintel.digests.manage", 90 * DAY)
    # Unsubscribing must keep working from any mail a reader kept (RFC 8058, CAN-SPAM).
    UNSUBSCRIBE = ("labintel.digests.unsubscribe", None)
    FOLLOW = ("labintel.digests.follow", 3 * DAY)

    @property
    def salt(self) -> str:
        return self.value[0]

    @property
    def max_age(self) -> int | None:
        return self.value[1]


class BadToken(Exception):
    """A link that is not ours, was altered, was made for another purpose, or names no one."""


class ExpiredToken(BadToken):
    pass


@dataclass(frozen=True)
class Claim:
    subscriber: Subscriber
    # What to follow, for confirm and follow links: ("storyline", id), ("entity", id),
    # ("storylines", 0) for every storyline, or None.
    follow: tuple[str, int] | None = None


def address_hash(email: str) -> str:
    return salted_hmac("labintel.digests.address", email.lower()).hexdigest()[:16]


def make_token(
    purpose: Purpose, subscriber: Subscriber, follow: tuple[str, int] | None = None
) -> str:
    payload: dict[str, Any] = {"s": subscriber.pk, "h": address_hash(subscriber.email)}
    if follow is not None:
        payload["f"] = list(follow)
    return signing.dumps(payload, salt=purpose.salt)


def read_token(purpose: Purpose, token: str) -> Claim:
    try:
        payload = signing.loads(token, salt=purpose.salt, max_age=purpose.max_age)
    except signing.SignatureExpired:
        raise ExpiredToken("This link has expired.") from None
    except signing.BadSignature:
        raise BadToken("This link is not valid.") from None
    try:
        subscriber_id, digest = int(payload["s"]), str(payload["h"])
        follow = _follow(payload.get("f"))
    except (KeyError, TypeError, ValueError):
        raise BadToken("This link is not valid.") from None
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or not constant_time_compare(digest, address_hash(subscriber.email)):
        raise BadToken("This link is not valid.")
    return Claim(subscriber, follow)


def _follow(value: object) -> tuple[str, int] | None:
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != 2:
        raise ValueError("follow")
    kind, target = value
    if kind not in ("storyline", "entity", "storylines"):
        raise ValueError("follow")
    return str(kind), int(target)
