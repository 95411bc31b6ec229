"""A real HTTP server on loopback for tests: static files from a folder plus scripted routes.

Routes are plain functions `(request) -> Reply`, so a test can serve a feed, count conditional
GETs, redirect, drip bytes slowly or hang, over a real socket.
"""

import contextlib
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]

    def header(self, name: str) -> str | None:
        """A request header by case-insensitive name."""
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), None)


@dataclass
class Reply:
    status: int = 200
    body: bytes | Iterable[bytes] = b""
    headers: dict[str, str] = field(default_factory=dict)
    # Seconds to sleep between body chunks (for dripping servers).
    chunk_delay: float = 0.0


Route = Callable[[Request], Reply]

_CONTENT_TYPES = {
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".json": "application/feed+json",
    ".html": "text/html; charset=utf-8",
    ".opml": "text/x-opml",
}


class LoopbackServer:
    def __init__(self, root: Path | None = None) -> None:
        self.root = root
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                server._handle(self)

            def do_HEAD(self) -> None:
                server._handle(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def route(self, path: str, reply: Route | Reply) -> None:
        self.routes[path] = reply if callable(reply) else (lambda request: reply)

    def hits(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def start(self) -> "LoopbackServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        request = Request(handler.command, handler.path, dict(handler.headers.items()))
        with self._lock:
            self.requests.append(request)
        route = self.routes.get(handler.path.split("?")[0]) or self.routes.get(handler.path)
        reply = route(request) if route else self._static(handler.path)
        # A client that gave up (a deadline test) is not the server's problem.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._send(handler, reply)

    def _static(self, path: str) -> Reply:
        if self.root is None:
            return Reply(404, b"not found")
        target = (self.root / path.split("?")[0].lstrip("/")).resolve()
        if not target.is_relative_to(self.root.resolve()) or not target.is_file():
            return Reply(404, b"not found")
        content_type = _CONTENT_TYPES.get(target.suffix, "application/octet-stream")
        return Reply(200, target.read_bytes(), {"Content-Type": content_type})

    def _send(self, handler: BaseHTTPRequestHandler, reply: Reply) -> None:
        handler.send_response(reply.status)
        headers = {k.lower(): v for k, v in reply.headers.items()}
        if isinstance(reply.body, bytes):
            headers.setdefault("content-length", str(len(reply.body)))
            chunks: Iterable[bytes] = [reply.body]
        else:
            chunks = reply.body
            headers.setdefault("connection", "close")
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        if handler.command == "HEAD":
            return
        for chunk in chunks:
            handler.wfile.write(chunk)
            handler.wfile.flush()
            if reply.chunk_delay:
                time.sleep(reply.chunk_delay)
        if "connection" in headers:
            handler.close_connection = True


def conditional(body: bytes, *, etag: str, content_type: str) -> Route:
    """A route that answers 304 to a matching If-None-Match, like a well-behaved feed server."""

    def reply(request: Request) -> Reply:
        if request.header("If-None-Match") == etag:
            return Reply(304, b"", {"ETag": etag})
        return Reply(200, body, {"Content-Type": content_type, "ETag": etag})

    return reply
