"""Redis paused (SIGSTOP: connections accepted, nothing answered) while the real web app (gunicorn)
serves pages and takes a subscription (SECURITY.md 14).

Pages never touch the broker, so they answer as usual. The subscribe form stores the request in
PostgreSQL first and then asks the broker once, giving up at its socket timeout: the visitor gets
the usual "check your inbox" within the bound, never a hung page. When Redis is back, the beat's
sweep queues the request (or the message the paused Redis took after all is delivered), and the
confirmation goes out exactly once, with nobody doing anything.
"""

import re
import time

import pytest
import requests

from apps.digests.models import SubscribeRequest
from apps.events.services.storylines import refresh_storyline
from tests.conftest import wait_for
from tests.digests.smtp import SmtpServer
from tests.entities.builders import (
    make_article,
    make_company,
    make_event,
    make_evidence,
    make_person,
    make_storyline,
)
from tests.faults._e_support import WebProcess

pytestmark = pytest.mark.django_db(transaction=True)

BOUND = 5.0  # seconds a page may take while Redis is hung
READER = "new.reader@example.org"


@pytest.fixture
def news() -> dict[str, str]:
    """Something for every page to show: a storyline with an event, its company, an article."""
    lab = make_company(name="Halcyon Labs", slug="halcyon")
    storyline = make_storyline(
        [{"types": ["departure"], "entities": ["halcyon"], "roles": ["from_company"]}],
        title="Halcyon exodus",
        slug="halcyon-exodus",
    )
    event = make_event(
        (make_person(name="Ada Early"), "person"), (lab, "from_company"), summary="Ada leaves"
    )
    make_evidence(event, make_article(title="Ada Early leaves Halcyon Labs"))
    refresh_storyline(storyline)
    return {
        "home": "/",
        "storyline": "/storylines/halcyon-exodus/",
        "entity": "/entities/halcyon/",
        "search": "/search/?q=Halcyon",
        "subscribe form": "/digests/subscribe/",
    }


@pytest.fixture
def smtp():
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def web(tmp_path, redis):
    process = WebProcess(tmp_path / "web.log", env={"REDIS_URL": redis.url()}).start()
    yield process
    process.stop()


def _timed(call, *args, **kwargs) -> tuple[requests.Response, float]:
    started = time.monotonic()
    response = call(*args, timeout=BOUND * 3, **kwargs)
    return response, time.monotonic() - started


def _subscribe(web: WebProcess, session: requests.Session) -> tuple[requests.Response, float]:
    form = session.get(web.url("/digests/subscribe/"), timeout=BOUND).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = {"email": READER, "storyline": "halcyon-exodus", "csrfmiddlewaretoken": token}
    return _timed(session.post, web.url("/digests/subscribe/"), data=data)


def test_pages_and_the_subscribe_form_answer_while_redis_is_hung_and_the_mail_goes_out_once(
    news, smtp, redis, web, start_worker, start_beat, recovery_timer
):
    start_worker(EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(smtp.port))
    beat = start_beat(BEAT_SPEEDUP="60")  # the one-minute sweep runs every second
    web.wait_ready()
    session = requests.Session()
    for path in news.values():  # warm: each gunicorn worker has loaded the app
        assert session.get(web.url(path), timeout=BOUND * 3).status_code == 200

    redis.pause()
    try:
        for name, path in news.items():
            response, seconds = _timed(session.get, web.url(path))
            assert response.status_code == 200, name
            assert seconds < BOUND, f"{name} took {seconds:.1f}s with Redis hung"
        response, seconds = _subscribe(web, session)
        assert response.status_code == 200 and "Check your inbox" in response.text
        assert seconds < BOUND, f"the subscribe form took {seconds:.1f}s with Redis hung"
        assert SubscribeRequest.objects.filter(email=READER).count() == 1  # kept in PostgreSQL
        time.sleep(1)
        assert smtp.inbox.to(READER) == []
    finally:
        redis.resume()
    recovery_timer.healed()

    wait_for(lambda: smtp.inbox.to(READER), timeout=30, what="the confirmation mail")
    seconds = recovery_timer.record(
        "Redis paused while the web takes a subscription",
        page_bound_seconds=BOUND,
        subscribe_seconds_while_paused=round(seconds, 2),
        note="seconds from Redis resumed until the confirmation mail was delivered",
    )
    wait_for(lambda: not SubscribeRequest.objects.exists(), timeout=10, what="the request done")
    swept = beat.sent("digests.sweep_subscribe_mails")
    wait_for(
        lambda: beat.sent("digests.sweep_subscribe_mails") >= swept + 2,
        timeout=15,
        what="two more sweeps",
    )
    [mail] = smtp.inbox.to(READER)
    assert "/digests/confirm/" in mail.get_body(preferencelist=("plain",)).get_content()
    assert seconds < 20
