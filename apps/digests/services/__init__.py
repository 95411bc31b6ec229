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
    drop_bounced_request,
    forget_unconfirmed,
    mark_queued,
    record_request,
    request_subscription,
    resubscribe,
    send_request,
    unqueued_requests,
    unsubscribe,
    update_settings,
)

__all__ = [
    "CHUNK",
    "BatchResult",
    "build_one",
    "claim_due",
    "confirm",
    "drop_bounced_request",
    "forget_unconfirmed",
    "mark_queued",
    "prepare",
    "readers",
    "record_bounce",
    "record_request",
    "request_subscription",
    "resubscribe",
    "send_digests",
    "send_request",
    "stale_pending",
    "unqueued_requests",
    "unsubscribe",
    "update_settings",
]
