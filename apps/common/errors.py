"""Typed errors for everything that reads the outside world.

Each error has a short `kind` (stored on Source.last_error_kind and FetchLog.error_kind, shown in
admin) and a human-readable message. Fetch failures are data, not crashes: the service that
catches one records it and schedules the next attempt.
"""


class FetchError(Exception):
    kind = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class Blocked(FetchError):
    """The URL or an address it resolved to is not one we may connect to."""

    kind = "blocked"


class TooLarge(FetchError):
    kind = "too_large"


class Timeout(FetchError):
    kind = "timeout"


class ConnectionFailed(FetchError):
    kind = "connection"


class TooManyRedirects(FetchError):
    kind = "redirects"


class HTTPError(FetchError):
    kind = "http"

    def __init__(self, status: int, *, retry_after: float | None = None) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        # Seconds the server asked us to wait (Retry-After), already parsed; None if absent.
        self.retry_after = retry_after


class NotAFeed(FetchError):
    kind = "not_a_feed"


class NotAnArticle(FetchError):
    """A page that was fetched but holds no article we can read (a PDF, an index page)."""

    kind = "not_an_article"


class ParseError(FetchError):
    kind = "parse"
