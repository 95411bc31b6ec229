"""A real browser on the real pages: Debian's Chromium, driven by Playwright, against a live
server on loopback that serves the demo data (the run command's seed and corpus).

Playwright's own browser download cannot work here, so the suite never runs `playwright
install`: it launches the distribution's Chromium by path, and installs the package with apt-get
when it is missing and it can (root, apt-get present). Only where it cannot does it skip, saying
why.

Django and Playwright's sync API share the test thread. Playwright marks the thread as running
its asyncio loop (its dispatcher runs the loop in a greenlet and needs the mark whenever it is
called), and Django then treats the thread as async: it refuses ORM calls there and would hand
out other connections. So the two take turns (`_LoopMark`): the demo data is loaded before
Playwright starts and flushed after it stops; the mark is lifted between tests, while
pytest-django opens and rolls back each test's transaction; and a test writes what the server
must see through `committed()`, on a thread of its own.
"""

import asyncio
import contextlib
import io
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection, connections
from django.db.backends.base.creation import TEST_DATABASE_PREFIX
from django.test.testcases import LiveServerThread
from django.test.utils import modify_settings
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    expect,
    sync_playwright,
)
from playwright.sync_api import Response as PageResponse

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_NAMES = ("chromium", "chromium-browser")
APT_TIMEOUT = 900  # seconds: a cold `apt-get update` plus Chromium's download on a slow mirror

T = TypeVar("T")
ColorScheme = Literal["light", "dark"]

# A loaded CI machine can take a few seconds to answer an htmx request: wait as long for what a
# test expects to see as for a page to load.
expect.set_options(timeout=10_000)


# --- Chromium -----------------------------------------------------------------------------------


def _find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def _apt_get(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    # Waits for another apt or dpkg run to finish instead of failing on its lock.
    command = ["apt-get", "-o", f"DPkg::Lock::Timeout={APT_TIMEOUT // 3}", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=APT_TIMEOUT)


def _install_chromium(say: Callable[[str], None]) -> None:
    """apt-get install chromium; on failure (a stale or missing package list) update, retry."""
    install = ("install", "-y", "--no-install-recommends", "chromium")
    started = time.monotonic()
    say("browser tests: Chromium is missing; installing Debian's `chromium` with apt-get ...")
    done = _apt_get(*install)
    if done.returncode != 0:
        say("browser tests: apt-get install failed; running apt-get update, then trying again")
        updated = _apt_get("update")
        if updated.returncode != 0:
            pytest.fail(f"apt-get update failed:\n{updated.stderr[-3000:]}", pytrace=False)
        done = _apt_get(*install)
    if done.returncode != 0:
        pytest.fail(f"apt-get install chromium failed:\n{done.stderr[-3000:]}", pytrace=False)
    say(f"browser tests: Chromium installed in {time.monotonic() - started:.0f} s")


def _cannot_install() -> str:
    """Why this process cannot install Chromium itself, or "" when it can."""
    if shutil.which("apt-get") is None:
        return "there is no apt-get on this machine to install it"
    if os.geteuid() != 0:
        return "this user is not root, so apt-get cannot install it"
    return ""


def _announcer(request: pytest.FixtureRequest) -> Callable[[str], None]:
    """A print that reaches the terminal at once, through pytest's output capture."""
    capture = request.config.pluginmanager.getplugin("capturemanager")

    def say(line: str) -> None:
        with capture.global_and_fixture_disabled():
            print(f"\n{line}", flush=True)

    return say


@pytest.fixture(scope="session")
def chromium_path(request: pytest.FixtureRequest) -> str:
    path = _find_chromium()
    if path:
        return path
    why = _cannot_install()
    if why:
        pytest.skip(
            f"the browser tests need Chromium, which is not installed, and {why}: "
            "install Chromium (on Debian: apt-get install chromium) to run them"
        )
    _install_chromium(_announcer(request))
    path = _find_chromium()
    if path is None:
        pytest.fail("apt-get installed chromium, but no chromium is on PATH", pytrace=False)
    return path


# --- The site -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    """The live server's base URL, e.g. http://127.0.0.1:41234."""

    url: str


def _load_demo() -> None:
    from apps.events.services import matcher

    # The alias matcher caches what it read; the seed changes it.
    matcher._cached = None
    quiet = {"verbosity": 0, "stdout": io.StringIO()}
    call_command("load_seed", **quiet)
    call_command("load_storylines", **quiet)
    call_command("demo", "--no-serve", "--demo-port", "0", **quiet)
    matcher._cached = None


def _refuse_a_real_database() -> None:
    """The suite commits and flushes: only ever on the test database. pytest-django creates it
    when some collected test is marked django_db, as every browser test is."""
    name = str(connection.settings_dict["NAME"])
    if not name.startswith(TEST_DATABASE_PREFIX):
        pytest.fail(f"the browser tests refuse to load and flush {name!r}: not a test database")


class _JoiningServer(ThreadedWSGIServer):
    """Waits for its request threads when it closes: each closes its database connection as it
    ends, so none is left open when the test database is flushed and dropped."""

    daemon_threads = False
    block_on_close = True


class _ServerThread(LiveServerThread):
    server_class = _JoiningServer


def _start_server() -> LiveServerThread:
    server = _ServerThread("127.0.0.1", static_handler=StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    return server


@pytest.fixture(scope="package")
def site(django_db_setup: None, django_db_blocker: Any) -> Iterator[Site]:
    """The demo data, committed once for every browser test, served by a live server thread.

    Committed, not inside a test's transaction, because the server's threads have connections
    of their own; flushed after the package's last test, so no other test sees it."""
    with django_db_blocker.unblock():
        _refuse_a_real_database()
        _load_demo()
        hosts = modify_settings(ALLOWED_HOSTS={"append": "127.0.0.1"})
        hosts.enable()
        server = _start_server()
        try:
            yield Site(f"http://127.0.0.1:{server.port}")
        finally:
            server.terminate()
            hosts.disable()
            call_command("flush", "--noinput", verbosity=0)


def committed(work: Callable[[], T]) -> T:
    """Run ORM work on a connection of its own, outside the test's transaction (and away from
    Playwright's loop), so that what it writes is committed and the live server sees it."""

    def run() -> T:
        try:
            return work()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


# --- The browser --------------------------------------------------------------------------------


class _LoopMark:
    """Lifts Playwright's running-loop mark off this thread while Django's own code runs between
    tests, and puts it back before the browser is used again (see the module docstring)."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None

    def lift(self) -> None:
        self._loop = asyncio._get_running_loop()
        asyncio._set_running_loop(None)

    def restore(self) -> None:
        if self._loop is not None:
            asyncio._set_running_loop(self._loop)
            self._loop = None


_loop_mark = _LoopMark()


@pytest.fixture(scope="package")
def playwright(site: Site) -> Iterator[Playwright]:
    # Started after the demo data is loaded, stopped before it is flushed (see the docstring).
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def browser(playwright: Playwright, chromium_path: str) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=chromium_path, headless=True)
    _loop_mark.lift()
    yield browser
    _loop_mark.restore()
    browser.close()


@dataclass
class Trouble:
    """What went wrong while a page was open: console errors, uncaught exceptions, requests that
    failed or were answered with an error status."""

    console: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console.append(f"uncaught: {error}"))
        page.on("requestfailed", self._on_failed)
        page.on("response", self._on_response)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console.append(f"{message.text} ({message.location.get('url')})")

    def _on_failed(self, request: Request) -> None:
        self.failed.append(f"{request.method} {request.url}: {request.failure}")

    def _on_response(self, response: PageResponse) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.request.method} {response.url}: {response.status}")


@dataclass
class Tab:
    page: Page
    trouble: Trouble


@contextlib.contextmanager
def open_tab(browser: Browser, site: Site, *, color_scheme: ColorScheme = "light") -> Iterator[Tab]:
    """A fresh browser context (no saved theme, no cache) and its page, watched for trouble."""
    _loop_mark.restore()
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, color_scheme=color_scheme, base_url=site.url
    )
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        trouble = Trouble()
        trouble.watch(page)
        yield Tab(page, trouble)
    finally:
        context.close()
        _loop_mark.lift()


@pytest.fixture
def tab(browser: Browser, site: Site) -> Iterator[Tab]:
    with open_tab(browser, site) as opened:
        yield opened


@pytest.fixture
def page(tab: Tab) -> Page:
    return tab.page


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
