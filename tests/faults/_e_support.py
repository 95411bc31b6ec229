"""Helpers of the second half of the fault suite (PostgreSQL restarts, the web under a paused
Redis, hanging feed servers, SMTP outages) that the shared fault services do not offer."""

import json
import time
from pathlib import Path
from typing import Any

from tests.digests.smtp import Inbox

ROOT = Path(__file__).resolve().parents[2]
FIGURES = ROOT / "test-artifacts" / "faults.json"


def record_recovery(name: str, seconds: float, **details: object) -> None:
    """Keep one figure of the run in test-artifacts/faults.json (read for the report)."""
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    figures = json.loads(FIGURES.read_text()) if FIGURES.exists() else {}
    figures[name] = {"recovery_seconds": round(seconds, 2), **details, "at": time.time()}
    FIGURES.write_text(json.dumps(figures, indent=2, sort_keys=True))


class DroppingInbox(Inbox):
    """Takes MAIL FROM and RCPT TO, then hangs up on the message itself, the first `drops`
    times: the client sees the connection close at DATA and nothing is delivered."""

    def __init__(self, *, drops: int) -> None:
        super().__init__()
        self.drops = drops
        self.dropped = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            drop = self.dropped < self.drops
            self.dropped += drop
        if drop:
            server.transport.close()
            return "421 4.4.2 Connection dropped"  # never reaches the client: it is gone
        return await super().handle_DATA(server, session, envelope)
