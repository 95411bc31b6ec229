"""The demo corpus: a loopback feed-and-page server, and the embedded demo run built on it.

The corpus in `demo/site/` is plain files. Feeds are stored as `*.tmpl` files holding a `{base}`
placeholder, filled in with the server's own address when served, so the corpus works on any port:
`compute-ledger/atom.xml.tmpl` is served as `/compute-ledger/atom.xml`. Every response carries
Last-Modified and an ETag, and conditional GETs get a 304, as a well-behaved news site would.

The server half is stdlib only, so `python -m apps.sources.demo --root DIR --port N` runs it
without Django (the benchmark serves its pages that way, in a separate process). Django is
imported inside the functions that need it for the same reason.
"""

from __future__ import annotations

import argparse
import errno
import hashlib
import logging
import mimetypes
import secrets
import sys
import threading
import time
from dataclasses import dataclass
from email.message import Message
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, TextIO
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    from apps.sources.models import Source
    from apps.sources.services import IngestReport

logger = logging.getLogger(__name__)

DEMO_ROOT = Path(__file__).resolve().parents[2] / "demo" / "site"
DEFAULT_DEMO_PORT = 8765
DEMO_USERNAME = "demo"
TEMPLATE_SUFFIX = ".tmpl"
BASE_PLACEHOLDER = b"{base}"

_CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".json": "application/feed+json",
    ".xml": "application/xml",
    ".opml": "text/x-opml",
    ".txt": "text/plain; charset=utf-8",
}


class DemoServerError(Exception):
    """The demo server could not start (most often: its port is taken)."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    root: Path
    base_url: str


@dataclass
class _Resource:
    body: bytes
    mtime: float
    content_type: str


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "LabIntelDemo/1.0"
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("demo server: " + format, *args)

    def _respond(self, *, send_body: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        target = _resolve(self.server.root, path)
        if target is None:
            self._send_plain(HTTPStatus.NOT_FOUND, b"not found\n", send_body=send_body)
            return
        if target.is_dir():
            if not path.endswith("/"):
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            target = target / "index.html"
        resource = _load(target, self.server.base_url)
        if resource is None:
            self._send_plain(HTTPStatus.NOT_FOUND, b"not found\n", send_body=send_body)
            return
        etag = '"' + hashlib.sha1(resource.body, usedforsecurity=False).hexdigest()[:20] + '"'
        last_modified = formatdate(resource.mtime, usegmt=True)
        not_modified = _not_modified(self.headers, etag=etag, mtime=resource.mtime)
        self.send_response(HTTPStatus.NOT_MODIFIED if not_modified else HTTPStatus.OK)
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", last_modified)
        if not_modified:
            self.end_headers()
            return
        self.send_header("Content-Type", resource.content_type)
        self.send_header("Content-Length", str(len(resource.body)))
        self.end_headers()
        if send_body:
            self.wfile.write(resource.body)

    def _send_plain(self, status: HTTPStatus, body: bytes, *, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)


def _resolve(root: Path, path: str) -> Path | None:
    """The file or folder a URL path names, or None when it is missing or outside the root."""
    target = (root / path.lstrip("/")).resolve()
    if not target.is_relative_to(root):
        return None
    if target.exists():
        return target
    template = target.with_name(target.name + TEMPLATE_SUFFIX)
    return target if template.is_file() else None


def _load(target: Path, base_url: str) -> _Resource | None:
    template = target.with_name(target.name + TEMPLATE_SUFFIX)
    if target.is_file():
        body, mtime = target.read_bytes(), target.stat().st_mtime
    elif template.is_file():
        body = template.read_bytes().replace(BASE_PLACEHOLDER, base_url.encode())
        mtime = template.stat().st_mtime
    else:
        return None
    return _Resource(body, mtime, _content_type(target.name, body))


def _content_type(name: str, body: bytes) -> str:
    suffix = Path(name).suffix
    if suffix == ".xml":
        head = body[:1000]
        if b"<feed" in head:
            return "application/atom+xml; charset=utf-8"
        if b"<rss" in head:
            return "application/rss+xml; charset=utf-8"
    return _CONTENT_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def _not_modified(headers: Message, *, etag: str, mtime: float) -> bool:
    # RFC 9110: If-None-Match wins over If-Modified-Since when both are sent.
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag in tags
    if_modified_since = headers.get("If-Modified-Since")
    if not if_modified_since:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False
    return int(mtime) <= since.timestamp()


class DemoServer:
    """A running demo server; `stop()` (or leaving a `with` block) shuts it down."""

    def __init__(self, httpd: _Server, thread: threading.Thread) -> None:
        self._httpd = httpd
        self._thread = thread

    @property
    def root(self) -> Path:
        return self._httpd.root

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return self._httpd.base_url

    def url(self, path: str) -> str:
        return self.base_url + path

    def feed_urls(self) -> list[str]:
        return [self.url(path) for path in feed_paths(self.root)]

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> DemoServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def feed_paths(root: Path) -> list[str]:
    """URL paths of the corpus's feeds: every `*.tmpl` file, served without its suffix."""
    return sorted(
        "/" + path.relative_to(root).as_posix().removesuffix(TEMPLATE_SUFFIX)
        for path in root.rglob("*" + TEMPLATE_SUFFIX)
    )


def serve_demo(root: Path, *, port: int) -> DemoServer:
    """Serve `root` on 127.0.0.1:`port` (0 picks a free port) from a daemon thread."""
    try:
        httpd = _Server(("127.0.0.1", port), _Handler)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise DemoServerError(
                f"Port {port} on 127.0.0.1 is already in use (is another demo running?). "
                "Stop it, or pick another port with --demo-port."
            ) from error
        raise DemoServerError(f"Could not serve the demo on port {port}: {error}") from error
    httpd.root = root.resolve()
    httpd.base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, name="demo-feed-server", daemon=True)
    thread.start()
    return DemoServer(httpd, thread)


# --- The embedded demo run (needs Django) ----------------------------------------------------


@dataclass
class DemoLogin:
    username: str
    password: str


def add_demo_sources(server: DemoServer) -> list[Source]:
    """Add the corpus's feeds (idempotent) and make them due, so every run polls them again."""
    from django.utils import timezone

    from apps.sources.models import Source
    from apps.sources.services import add_source

    sources = [add_source(url) for url in server.feed_urls()]
    Source.objects.filter(pk__in=[s.pk for s in sources]).update(next_fetch_at=timezone.now())
    return sources


def ingest_with_progress(*, file: TextIO | None = None, quiet: bool = False) -> IngestReport:
    """Run the ingest with two progress bars: feeds fetched and articles extracted."""
    from django.utils import timezone
    from tqdm import tqdm

    from apps.sources.models import Article, Source
    from apps.sources.services import ingest

    out = file or sys.stderr
    due = Source.objects.due(timezone.now()).count()
    feeds = tqdm(total=due, desc="Feeds   ", unit="feed", file=out, position=0, disable=quiet)
    articles = tqdm(total=0, desc="Articles", unit="article", file=out, position=1, disable=quiet)

    def progress(message: str) -> None:
        if message == "source":
            feeds.update(1)
            # New articles appear as feeds are read: grow the second bar's total to match.
            articles.total = articles.n + Article.objects.pending_extraction().count()
            articles.refresh()
        elif message == "article":
            articles.update(1)
        else:
            articles.set_postfix_str(message[:40])

    try:
        return ingest(progress=progress)
    finally:
        feeds.close()
        articles.close()


def reset_demo_login() -> DemoLogin:
    """Create or update the `demo` superuser with a fresh random password (shown once per run)."""
    from django.contrib.auth import get_user_model

    password = secrets.token_urlsafe(12)
    user, _ = get_user_model().objects.get_or_create(
        username=DEMO_USERNAME, defaults={"email": "demo@labintel.localhost"}
    )
    user.is_active = user.is_staff = user.is_superuser = True
    user.set_password(password)
    user.save()
    return DemoLogin(DEMO_USERNAME, password)


# --- `python -m apps.sources.demo`: the server alone, for the benchmark ----------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve a LabIntel demo corpus on loopback.")
    parser.add_argument("--root", type=Path, default=DEMO_ROOT)
    parser.add_argument("--port", type=int, default=DEFAULT_DEMO_PORT)
    args = parser.parse_args(argv)
    try:
        server = serve_demo(args.root, port=args.port)
    except DemoServerError as error:
        sys.exit(str(error))
    # The first line tells a parent process which port was picked.
    print(f"serving {server.base_url}/", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
