"""The public subscribe form (SECURITY.md 10): the same answer and the same work for new,
pending, confirmed and unsubscribed addresses; rate limits; CSRF; a honeypot; no visitor text
in the mail; links from SITE_URL whatever the Host header says."""

import itertools
import re
import statistics
import time

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.digests.models import Subscriber, Subscription
from apps.digests.services import ratelimit
from tests.digests.conftest import make_subscriber
from tests.entities.builders import make_company, make_storyline

pytestmark = pytest.mark.django_db
URL = "/digests/subscribe/"
# Per-request values that differ whoever asks: the CSRF token and the CSP nonce.
CSRF = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": "|nonce=")[^"]+')


def links(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"<>]+", text)


def post(client: Client, email: str, ip: str = "192.0.2.1", **fields: str):
    return client.post(URL, {"email": email, **fields}, REMOTE_ADDR=ip)


def test_it_mails_a_confirmation_link_and_subscribes_nobody_yet(
    client, eager_tasks, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://labintel.example"
    storyline = make_storyline(title="Halcyon exodus", slug="halcyon-exodus")

    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, "New.Reader@Example.org", storyline="halcyon-exodus")

    assert response.status_code == 200 and b"Check your inbox" in response.content
    [message] = mail.outbox
    assert message.to == ["new.reader@example.org"]
    [confirm] = [url for url in links(message.body) if "/digests/confirm/" in url]
    assert confirm.startswith("https://labintel.example/digests/confirm/")
    assert "Halcyon exodus" in message.body
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.PENDING
    assert not Subscription.objects.exists()
    assert storyline.id  # followed only once the link is clicked


def _state(status: str, email: str) -> None:
    if status != "new":
        make_subscriber(email=email, status=status)


STATUSES = ["new", "pending", "confirmed", "unsubscribed"]


def test_it_answers_the_same_and_does_the_same_work_whatever_the_address(
    client, eager_tasks, django_capture_on_commit_callbacks
):
    bodies, query_counts, callbacks, mails = {}, {}, {}, {}
    for n, status in enumerate(STATUSES):
        email = f"{status}@example.org"
        _state(status, email)
        mail.outbox.clear()
        with (
            django_capture_on_commit_callbacks(execute=False) as queued,
            CaptureQueriesContext(connection) as queries,
        ):
            response = post(client, email, ip=f"198.51.100.{n + 1}")
        assert response.status_code == 200
        bodies[status] = CSRF.sub(r"\1…", response.content.decode())
        query_counts[status] = [q["sql"].split()[0] for q in queries.captured_queries]
        callbacks[status] = [getattr(c, "func", c).__name__ for c in queued]
        for callback in queued:  # the expensive part, done by the task: one mail each
            callback()
        mails[status] = len(mail.outbox)

    assert len(set(bodies.values())) == 1
    assert len({tuple(v) for v in query_counts.values()}) == 1, query_counts
    assert set(map(tuple, callbacks.values())) == {("queue_subscribe_mail",)}
    assert mails == dict.fromkeys(STATUSES, 1)


def test_a_confirmed_reader_gets_links_not_a_new_subscription(
    client, eager_tasks, django_capture_on_commit_callbacks
):
    reader = make_subscriber(email="known@example.org")
    make_storyline(title="Halcyon exodus", slug="halcyon-exodus")

    with django_capture_on_commit_callbacks(execute=True):
        post(client, "known@example.org", storyline="halcyon-exodus")

    [message] = mail.outbox
    assert "/digests/manage/" in message.body and "/digests/follow/" in message.body
    assert "/digests/confirm/" not in message.body
    assert not reader.subscriptions.exists()


def test_the_confirmation_mail_holds_nothing_the_visitor_typed(
    client, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, "typed.by.visitor@example.org", entity="evil-example-slug")
        post(client, "typed.by.visitor2@example.org", storyline="no-such-storyline")

    for message in mail.outbox:
        body = message.body + message.alternatives[0][0]
        assert "typed.by.visitor" not in body
        assert "evil-example-slug" not in body and "no-such-storyline" not in body
        assert message.to[0].startswith("typed.by.visitor")


def test_a_known_slug_becomes_an_id_and_the_title_is_labintels_own(
    client, eager_tasks, django_capture_on_commit_callbacks
):
    make_company(name="Halcyon Labs", slug="halcyon")

    with django_capture_on_commit_callbacks(execute=True):
        post(client, "reader@example.org", entity="halcyon")

    [message] = mail.outbox
    assert "Halcyon Labs" in message.body
    assert "halcyon" not in message.body.replace("Halcyon Labs", "")


def test_a_poisoned_host_header_never_reaches_a_link_in_the_mail(
    client, eager_tasks, django_capture_on_commit_callbacks, settings
):
    settings.ALLOWED_HOSTS = ["*"]
    settings.SITE_URL = "https://labintel.example"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            URL,
            {"email": "reader@example.org"},
            HTTP_HOST="evil.example",
            HTTP_X_FORWARDED_HOST="evil.example",
        )

    [message] = mail.outbox
    body = message.body + message.alternatives[0][0]
    assert "evil.example" not in body
    assert links(message.body) and all(
        url.startswith("https://labintel.example") for url in links(message.body)
    )


def test_it_refuses_a_post_without_a_csrf_token():
    client = Client(enforce_csrf_checks=True)

    response = client.post(URL, {"email": "reader@example.org"})

    assert response.status_code == 403
    assert not Subscriber.objects.exists()


def test_the_form_works_with_its_csrf_token(django_capture_on_commit_callbacks, eager_tasks):
    client = Client(enforce_csrf_checks=True)
    page = client.get(URL).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"email": "reader@example.org", "csrfmiddlewaretoken": token})

    assert response.status_code == 200 and len(mail.outbox) == 1


def test_a_filled_honeypot_gets_the_same_page_and_no_mail(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = post(client, "bot@example.org", website="http://spam.example")

    assert response.status_code == 200 and b"Check your inbox" in response.content
    assert queued == [] and not Subscriber.objects.exists()


def test_a_bad_address_is_a_400_with_the_form(client):
    response = post(client, "not an address")

    assert response.status_code == 400
    assert b"Enter a valid email address" in response.content


def test_it_limits_requests_per_address(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        answers = [
            post(client, "target@example.org", ip=f"203.0.113.{n}").status_code
            for n in range(ratelimit.PER_ADDRESS + 2)
        ]

    assert answers == [200] * ratelimit.PER_ADDRESS + [429, 429]
    assert len(queued) == ratelimit.PER_ADDRESS


def test_it_limits_requests_per_client(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        answers = [
            post(client, f"person{n}@example.org", ip="203.0.113.7").status_code
            for n in range(ratelimit.PER_CLIENT + 1)
        ]
        other_client = post(client, "someone@example.org", ip="203.0.113.8").status_code

    assert answers[-1] == 429 and answers[:-1] == [200] * ratelimit.PER_CLIENT
    assert other_client == 200 and len(queued) == ratelimit.PER_CLIENT + 1


def test_a_rate_limited_answer_is_the_same_whatever_the_address(client):
    make_subscriber(email="known@example.org")
    answers = {}
    for email in ("known@example.org", "unknown@example.org"):
        for _ in range(ratelimit.PER_ADDRESS):
            post(client, email, ip="198.51.100.50")
        response = post(client, email, ip="198.51.100.50")
        answers[email] = (response.status_code, CSRF.sub("", response.content.decode()))

    assert len(set(answers.values())) == 1 and answers["known@example.org"][0] == 429


def test_ipv6_clients_count_per_64():
    assert ratelimit.client_of("2001:db8::1") == ratelimit.client_of("2001:db8::ffff")
    assert ratelimit.client_of("2001:db8:0:1::1") != ratelimit.client_of("2001:db8::1")
    assert ratelimit.client_of("garbage") == "unknown"


def test_the_follow_form_is_on_the_home_and_storyline_pages(client):
    make_storyline(title="Halcyon exodus", slug="halcyon-exodus")

    home = client.get("/").content.decode()
    storyline = client.get("/storylines/halcyon-exodus/").content.decode()

    assert 'action="/digests/subscribe/"' in home and 'name="website"' in home
    assert '<input type="hidden" name="storyline" value="halcyon-exodus">' in storyline


def test_a_client_rotating_ipv6_addresses_in_its_64_is_limited_as_one(client):
    answers = [
        post(client, f"person{n}@example.org", ip=f"2001:db8:1:2::{n + 1:x}").status_code
        for n in range(ratelimit.PER_CLIENT + 1)
    ]

    assert answers == [200] * ratelimit.PER_CLIENT + [429]
    assert post(client, "next@example.org", ip="2001:db8:1:3::1").status_code == 200


def test_a_forged_forwarded_for_header_does_not_reset_the_client_limit(client):
    answers = [
        client.post(
            URL,
            {"email": f"person{n}@example.org"},
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
            HTTP_X_REAL_IP=f"198.51.100.{n}",
        ).status_code
        for n in range(ratelimit.PER_CLIENT + 1)
    ]

    assert answers[-1] == 429


def test_a_filled_honeypot_gets_exactly_the_page_a_person_gets(client):
    person = post(client, "person@example.org", ip="198.51.100.70")
    bot = post(client, "bot@example.org", ip="198.51.100.71", website="http://spam.example")

    assert person.status_code == bot.status_code == 200
    assert CSRF.sub("", person.content.decode()) == CSRF.sub("", bot.content.decode())


def test_it_answers_in_the_same_time_whatever_the_address():
    # The same work is proven above, query by query; this measures what an attacker would.
    # Requests are interleaved, each state first in turn, so the load of the machine and the
    # warm-up of a round fall on every state alike.
    rounds, durations = 20, {status: [] for status in STATUSES}
    for n, status in itertools.product(range(rounds), STATUSES):
        _state(status, f"{status}{n}@example.org")
    for n in range(rounds):
        for status in STATUSES[n % 4 :] + STATUSES[: n % 4]:
            email = f"{status}{n}@example.org"
            started = time.perf_counter()
            response = post(Client(), email, ip=f"10.{n}.{STATUSES.index(status)}.1")
            durations[status].append(time.perf_counter() - started)
            assert response.status_code == 200

    medians = {status: statistics.median(times) for status, times in durations.items()}
    fastest, slowest = min(medians.values()), max(medians.values())
    assert slowest - fastest < max(0.005, fastest / 2), medians


@pytest.mark.parametrize(
    ("forwarded", "proxies", "visitor"),
    [
        ("198.51.100.7", 0, "10.0.0.2"),  # no proxy trusted: the header is the visitor's own
        ("198.51.100.7", 1, "198.51.100.7"),
        ("6.6.6.6, 198.51.100.7", 1, "198.51.100.7"),  # a forged entry left of ours
        ("6.6.6.6, 198.51.100.7, 10.0.0.9", 2, "198.51.100.7"),
        ("", 1, "10.0.0.2"),  # did not come through the proxy
    ],
)
def test_the_visitor_is_the_address_the_outermost_trusted_proxy_saw(forwarded, proxies, visitor):
    assert ratelimit.client_address("10.0.0.2", forwarded, trusted_proxies=proxies) == visitor


def test_behind_a_trusted_proxy_each_visitor_has_their_own_limit(client, settings):
    settings.TRUSTED_PROXIES = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for n in range(ratelimit.PER_CLIENT):
        answer = client.post(
            URL, {"email": f"busy{n}@example.org"}, HTTP_X_FORWARDED_FOR="198.51.100.20", **proxy
        )
        assert answer.status_code == 200
    busy = client.post(
        URL, {"email": "busy-last@example.org"}, HTTP_X_FORWARDED_FOR="198.51.100.20", **proxy
    )
    other = client.post(
        URL,
        {"email": "other@example.org"},
        HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.21",
        **proxy,
    )

    assert busy.status_code == 429
    assert other.status_code == 200


def test_tagged_addresses_share_their_mailbox_limit(client):
    answers = [
        post(client, f"victim+{n}@example.org", ip=f"198.51.100.{100 + n}").status_code
        for n in range(ratelimit.PER_ADDRESS + 1)
    ]

    assert answers[:-1] == [200] * ratelimit.PER_ADDRESS and answers[-1] == 429
    assert ratelimit.mailbox_of("Victim+news@Example.org") == "victim@example.org"
    assert ratelimit.mailbox_of("+only@example.org") == "+only@example.org"
