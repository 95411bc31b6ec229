"""Every URL LabIntel answers is either public on purpose or refuses who may not use it.

The routes come from the resolver itself, so a route added tomorrow is checked tomorrow: it is
either listed in PUBLIC below (with the reason it is public) or it must refuse an anonymous
visitor, a logged-in reader who is not staff, and a staff member without permissions
(SECURITY.md item 13). The second half covers the staff actions of item 13 one by one: a user
who lacks the permission is refused and nothing changes.
"""

import re
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, path, resolve, reverse
from django.utils import timezone

from apps.digests.models import DigestSend
from apps.entities.models import Company
from apps.events.models import Event, UnknownName
from apps.sources.models import FetchLog, Source
from tests.digests.conftest import make_subscriber
from tests.entities.builders import (
    make_article,
    make_cluster,
    make_company,
    make_event,
    make_mention,
    make_person,
    make_storyline,
)

pytestmark = pytest.mark.django_db

# Routes anyone may use, and why. Keyed by the route as the resolver spells it.
PUBLIC = {
    # Readers' pages and the feeds out: the product itself.
    "": "home",
    "storylines/<slug:slug>/": "storyline",
    "entities/<slug:slug>/": "entity page",
    "talent/": "talent flow",
    "search/": "search",
    "articles/<int:pk>/": "article reader",
    "feed.atom": "feed",
    "feed.rss": "feed",
    "storylines/<slug:slug>/feed.atom": "feed",
    "storylines/<slug:slug>/feed.rss": "feed",
    "entities/<slug:slug>/feed.atom": "feed",
    "entities/<slug:slug>/feed.rss": "feed",
    "events/<slug:type>/feed.atom": "feed",
    "events/<slug:type>/feed.rss": "feed",
    # The public, read-only JSON API (writes answer 405: tests/events/test_api.py).
    "api/": "API index",
    "api/events/": "API",
    "api/events/<int:pk>/": "API",
    "api/entities/": "API",
    "api/entities/<slug:slug>/": "API",
    "api/storylines/": "API",
    "api/storylines/<slug:slug>/": "API",
    "api/.+/": "API's JSON 404",
    # Digests: the public form, then links whose signed token is the key
    # (tests/digests/test_tokens.py refuses tampered ones).
    "digests/subscribe/": "subscribe form",
    "digests/confirm/<str:token>/": "token link",
    "digests/follow/<str:token>/": "token link",
    "digests/manage/<str:token>/": "token link",
    "digests/manage/<str:token>/preview/": "token link",
    "digests/manage/<str:token>/resubscribe/": "token link",
    "digests/unsubscribe/<str:token>/": "token link (RFC 8058: cookie-less POST)",
    # Load balancers' probe, and the way in.
    "healthz": "liveness probe, no data",
    "admin/login/": "the login form",
    "admin/logout/": "logging out (a visitor has nothing to lose)",
}
# What any staff member may open, whatever their permissions: Django admin's own frame.
ANY_STAFF = {
    "admin/",
    "admin/password_change/",
    "admin/password_change/done/",
    "admin/jsi18n/",
}
LOGIN = "/admin/login/"


@dataclass
class Route:
    spelling: str  # the route as the resolver spells it, prefixes joined
    pattern: URLPattern


def routes(resolver: URLResolver | None = None, prefix: str = "") -> list[Route]:
    """Every route under `resolver`, includes walked, in resolver order."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        spelling = prefix + _plain(str(entry.pattern))
        if isinstance(entry, URLResolver):
            found += routes(entry, spelling)
        else:
            found.append(Route(spelling, entry))
    return found


def _plain(pattern: str) -> str:
    """A regex route spelled like the others: no anchors, named groups kept as <name:regex>."""
    return pattern.removeprefix("^").removesuffix("$").replace("\\", "")


@dataclass
class World:
    """One row of everything a route can name, so that an id in a sample URL is real: a route
    that forgot its guard cannot hide behind a 404 for a missing row."""

    slug: str
    event: int
    article: int

    def pk_in(self, spelling: str) -> str:
        admin_model = re.match(r"admin/(\w+)/(\w+)/", spelling)
        if admin_model:
            model = apps.get_model(*admin_model.groups())
            return str(model._default_manager.values_list("pk", flat=True).first() or 1)
        return str(self.event if spelling.startswith("api/events/") else self.article)


@pytest.fixture
def world() -> World:
    company = make_company(name="xAI", slug="xai")
    article = make_article()
    event = make_event((company, "company"))
    make_person(name="Igor Babuschkin")
    make_cluster(name="Colossus", owner=company)
    make_mention(article, company)
    make_storyline(slug="xai")
    UnknownName.objects.create(text="Halcyon", article_count=2, last_seen_at=timezone.now())
    FetchLog.objects.create(source=article.source, started_at=timezone.now(), status=200)
    DigestSend.objects.create(subscriber=make_subscriber(), period=timezone.now())
    Group.objects.create(name="curators")
    return World(company.slug, event.pk, article.pk)


_GROUP = re.compile(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>([^)]*)\)|\.\+|\.\*")


def sample_url(route: Route, world: World) -> str:
    """A concrete URL for `route`, with real ids and slugs."""

    def fill(match: re.Match[str]) -> str:
        converter, _, _, regex = match.groups()
        if regex is not None:  # a regex group: its first alternative, or anything
            return regex.split("|")[0] if regex not in (".*", ".+") else "anything"
        if match.group(0) in (".+", ".*"):
            return "anything"
        if converter == "slug" and "type" in match.group(0):
            return "departure"
        if converter == "slug":
            return world.slug
        return world.pk_in(route.spelling)

    return "/" + _GROUP.sub(fill, route.spelling)


def refused(response: HttpResponse, url: str) -> bool:
    if response.status_code in (302, 301):
        # To the login form, or the admin's own hop from an object's URL to its change page
        # (a route of its own, checked like every other).
        return response["Location"].startswith(LOGIN) or response["Location"] == url + "change/"
    return response.status_code in (403, 404, 405)


def visitors() -> dict[str, Client]:
    reader = User.objects.create_user("reader", password="pw")
    intern = User.objects.create_user("intern", password="pw", is_staff=True)
    logged_in = {"reader": Client(), "staff without permissions": Client()}
    logged_in["reader"].force_login(reader)
    logged_in["staff without permissions"].force_login(intern)
    return {"anonymous": Client(), **logged_in}


def leaks(world: World, *, under: str = "") -> list[str]:
    """Every (visitor, method, URL) that a non-public route answered instead of refusing."""
    found = []
    for visitor, client in visitors().items():
        for route in routes():
            if route.spelling in PUBLIC or not route.spelling.startswith(under):
                continue
            if visitor == "staff without permissions" and route.spelling in ANY_STAFF:
                continue
            url = sample_url(route, world)
            assert resolve(url).func == route.pattern.callback, f"{url} is not {route.spelling}"
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                if not refused(response, url):
                    found.append(f"{visitor} {method.upper()} {url}: {response.status_code}")
    return found


def test_every_route_that_is_not_public_refuses_who_may_not_use_it(world):
    found = leaks(world)
    assert not found, "answered instead of refusing:\n" + "\n".join(found)


def test_it_checks_the_routes_that_matter(world):
    spellings = {route.spelling for route in routes()}
    assert {"sources.opml", "admin/sources/source/import-opml/"} <= spellings
    assert "admin/events/event/<path:object_id>/split/" in spellings
    assert "admin/digests/subscriber/<int:pk>/preview/" in spellings
    assert len(spellings - set(PUBLIC)) > 80  # every admin page of every model


def test_every_public_route_still_exists():
    spellings = {route.spelling for route in routes()}
    assert set(PUBLIC) - spellings == set()
    assert ANY_STAFF - spellings == set()


def test_every_public_page_answers_a_visitor(client, world):
    not_pages = {"api/.+/", "admin/logout/"}  # a JSON 404; a POST that sends you on
    for route in routes():
        if route.spelling in PUBLIC and route.spelling not in not_pages:
            url = sample_url(route, world)
            response = client.get(url)
            if response.status_code == 405:  # an action: POST only
                response = client.post(url)
            assert response.status_code in (200, 400), url  # 400: the sample token is no token


def ops_reindex(request: HttpRequest) -> HttpResponse:
    return HttpResponse("reindexed")  # an operational endpoint someone forgot to guard


urlpatterns = [path("ops/reindex/", ops_reindex), *get_resolver().url_patterns]


@override_settings(ROOT_URLCONF=__name__)
def test_the_check_catches_an_unguarded_operational_endpoint(world):
    assert "anonymous GET /ops/reindex/: 200" in leaks(world, under="ops/")


# --- Staff actions (SECURITY.md item 13): the right permission, or nothing happens ----------


def staff_with(client: Client, *codenames: str) -> User:
    user = User.objects.create_user("clerk", password="pw", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    return user


def fetch_now(client: Client, source: Source) -> HttpResponse:
    url = reverse("admin:sources_source_changelist")
    return client.post(url, {"action": "fetch_now", "_selected_action": [source.pk]})


def test_fetch_now_needs_permission_to_change_sources(client):
    staff_with(client, "view_source")
    source = Source.objects.create(feed_url="https://a.example/feed")
    due = source.next_fetch_at

    fetch_now(client, source)

    source.refresh_from_db()
    assert source.claim_token is None and source.next_fetch_at == due
    assert not FetchLog.objects.exists()


def test_fetch_now_needs_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    staff_with(client, "view_source", "change_source")
    source = Source.objects.create(feed_url="https://a.example/feed")

    assert fetch_now(client, source).status_code == 403

    source.refresh_from_db()
    assert source.claim_token is None


def test_opml_import_needs_permission_to_add_sources(client):
    staff_with(client, "view_source", "change_source")
    opml = b'<opml version="2.0"><body><outline xmlUrl="https://b.example/feed"/></body></opml>'
    upload = SimpleUploadedFile("feeds.opml", opml, content_type="text/x-opml")

    response = client.post(reverse("admin:opml_import"), {"file": upload})

    assert response.status_code == 403 and not Source.objects.exists()


def test_opml_export_needs_permission_to_view_sources(client):
    staff_with(client, "view_event")
    Source.objects.create(feed_url="https://secret.example/feed")
    response = client.get(reverse("admin:opml_export"))
    assert response.status_code == 403 and b"secret.example" not in response.content


def test_a_reader_cannot_merge_entities(client):
    reader = User.objects.create_user("reader", password="pw")
    client.force_login(reader)
    xai, x_ai = make_company(name="xAI"), make_company(name="X.AI Corp")

    response = client.post(
        reverse("admin:entities_company_changelist"),
        {"action": "merge", "_selected_action": [xai.pk, x_ai.pk], "post": "yes",
         "survivor": xai.pk},
    )  # fmt: skip

    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert Company.objects.count() == 2


def test_merging_events_needs_permission_to_change_events(client):
    staff_with(client, "view_event")
    first, second = make_event(), make_event()

    client.post(
        reverse("admin:events_event_changelist"),
        {"action": "merge", "_selected_action": [first.pk, second.pk], "post": "yes",
         "keep": first.pk},
    )  # fmt: skip

    assert Event.objects.filter(pk__in=[first.pk, second.pk], merged_into=None).count() == 2
