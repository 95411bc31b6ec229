"""Services of the digests app: subscribing, building and sending digests."""

from apps.digests.services.building import build_one, prepare, readers
from apps.digests.services.sending import (
    CHUNK,
    BatchResult,
    claim_due,
    record_bounce,
    send_digests,
    stale_pending,
)
from apps.digests.services.subscribing import (
    confirm,
    forget_unconfirmed,
    request_subscription,
    resubscribe,
    unsubscribe,
    update_settings,
)

__all__ = [
    "CHUNK",
    "BatchResult",
    "build_one",
    "claim_due",
    "confirm",
    "forget_unconfirmed",
    "prepare",
    "readers",
    "record_bounce",
    "request_subscription",
    "resubscribe",
    "send_digests",
    "stale_pending",
    "unsubscribe",
    "update_settings",
]
