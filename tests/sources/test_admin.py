import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.sources.models import Article, FetchLog, Source
from tests.sitegen import serve_outlet

pytestmark = pytest.mark.django_db

OPML = b"""<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
<outline text="Tech"><outline text="Good" type="rss" xmlUrl="%s"/>
<outline text="Metadata" type="rss" xmlUrl="http://169.254.169.254/latest/meta-data/"/></outline>
</body></opml>"""


@pytest.fixture
def curator(client):
    user = User.objects.create_user("curator", password="pw", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__endswith="_source"))
    client.force_login(user)
    return user


def test_it_refuses_anonymous_visitors(client):
    response = client.get(reverse("admin:sources_source_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_it_refuses_staff_without_permission(client):
    client.force_login(User.objects.create_user("intern", password="pw", is_staff=True))
    assert client.get(reverse("admin:opml_import")).status_code == 403
    assert client.get(reverse("admin:sources_source_add")).status_code == 403


def test_it_lists_sources_with_their_health(client, curator):
    Source.objects.create(
        feed_url="https://a.example/feed", last_error="HTTP 500", consecutive_errors=2
    )
    response = client.get(reverse("admin:sources_source_changelist"))
    assert response.status_code == 200 and b"HTTP 500" in response.content


def test_the_add_form_uses_the_address_guard(client, curator, settings):
    settings.FETCH_ALLOW_LOOPBACK = False
    url = reverse("admin:sources_source_add")
    response = client.post(url, {"feed_url": "http://127.0.0.1:6379/", "is_active": "on"})
    assert response.status_code == 200 and not Source.objects.exists()
    assert b"errorlist" in response.content


def test_fetch_now_fetches_the_source(client, curator, loopback, eager_tasks):
    serve_outlet(loopback, count=2)
    source = Source.objects.create(feed_url=loopback.url("/feed.xml"))
    url = reverse("admin:sources_source_changelist")
    client.post(url, {"action": "fetch_now", "_selected_action": [source.id]})
    assert FetchLog.objects.get(source=source).status == 200
    assert Article.objects.filter(source=source).count() == 2


def test_opml_import_adds_good_feeds_and_reports_refused_ones(client, curator, settings):
    settings.FETCH_ALLOW_LOOPBACK = False
    data = OPML % b"https://feeds.example.org/ai.xml"
    upload = SimpleUploadedFile("feeds.opml", data, content_type="text/x-opml")
    response = client.post(reverse("admin:opml_import"), {"file": upload}, follow=True)
    assert list(Source.objects.values_list("feed_url", flat=True)) == [
        "https://feeds.example.org/ai.xml"
    ]
    assert b"Refused http://169.254.169.254" in response.content


def test_opml_export_lists_active_sources(client, curator):
    Source.objects.create(feed_url="https://a.example/feed", title="A & B")
    response = client.get(reverse("admin:opml_export"))
    assert response.status_code == 200 and b"https://a.example/feed" in response.content
    assert b"A &amp; B" in response.content


def test_article_pages_are_read_only_and_link_to_the_original(
    client, loopback, eager_tasks, django_capture_on_commit_callbacks
):
    client.force_login(User.objects.create_superuser("boss", password="pw"))
    serve_outlet(loopback, count=1)
    source = Source.objects.create(feed_url=loopback.url("/feed.xml"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:sources_source_changelist"),
            {"action": "fetch_now", "_selected_action": [source.id]},
        )
    article = Article.objects.get()

    listing = client.get(reverse("admin:sources_article_changelist"))
    page = client.get(reverse("admin:sources_article_change", args=[article.id]))

    assert listing.status_code == 200 and b"full text" in listing.content
    assert page.status_code == 200
    assert f'href="{article.url}" rel="noopener noreferrer nofollow"'.encode() in page.content
    assert b'name="title"' not in page.content  # nothing to edit
    assert client.get(reverse("admin:sources_fetchlog_changelist")).status_code == 200


@pytest.fixture
def unreachable_broker():
    """Point Celery at a closed loopback port for one test, with fresh connection pools."""
    from labintel.celery import app

    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url="redis://127.0.0.1:9/0", task_always_eager=False)
    app._pool, app.amqp._producer_pool = None, None
    yield
    app.conf.update(saved)
    app._pool, app.amqp._producer_pool = None, None


def test_fetch_now_answers_and_keeps_the_source_due_when_the_broker_is_down(
    client, curator, unreachable_broker
):
    source = Source.objects.create(feed_url="https://a.example/feed")
    url = reverse("admin:sources_source_changelist")

    response = client.post(
        url, {"action": "fetch_now", "_selected_action": [source.id]}, follow=True
    )

    assert response.status_code == 200 and b"task queue is unreachable" in response.content
    source.refresh_from_db()
    assert source.claim_token is None and source.next_fetch_at <= timezone.now()
