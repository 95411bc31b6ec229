"""Content Security Policy on every response, nonces on our own scripts, htmx that never evals,
and every area that shows outside text `hx-disable`d (SECURITY.md items 6 and 15).

The pages are filled with data whose every outside string (outlet, title, author, text, summary,
URL, evidence sentence, event summary, affiliation title, observation note) carries MARK, so a
test can find, on any page, each place that shows outside text and ask what surrounds it.
"""

import datetime
import hashlib
import json
import re
from base64 import b64encode
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from lxml import html as lxml_html

from apps.digests.services.building import build_one
from apps.digests.services.mail import render_digest
from apps.digests.tokens import Purpose, make_token
from apps.events.services.storylines import refresh_storyline
from apps.sources.models import Source
from tests.digests.conftest import follow, make_subscriber
from tests.entities.builders import (
    make_affiliation,
    make_article,
    make_cluster,
    make_company,
    make_event,
    make_evidence,
    make_extracted_article,
    make_observation,
    make_person,
    make_storyline,
)

pytestmark = pytest.mark.django_db

MARK = "qxmark"
DAY = datetime.date(2025, 2, 10)
RECENTLY = timezone.now() - datetime.timedelta(hours=2)


@dataclass
class World:
    company: str
    person: str
    cluster: str
    storyline: str
    article: int
    pending: int
    event: int
    source: int
    token: str


@pytest.fixture
def world() -> World:
    outlet = Source.objects.create(feed_url=f"https://{MARK}.example/feed", title=f"{MARK} Wire")
    lab = make_company(name="Halcyon Labs", slug="halcyon")
    rival = make_company(name="Rival AI", slug="rival")
    ada = make_person(name="Ada Quill", slug="ada")
    cluster = make_cluster(name="Halcyon One", slug="halcyon-one", owner=lab)
    make_affiliation(ada, lab, title=f"{MARK} chief scientist", end=DAY, destination=rival)
    make_observation(cluster, note=f"{MARK} note", source_url=f"https://{MARK}.example/obs")
    make_observation(cluster, note=f"{MARK} other", gpus=200_000, source_url="https://b.example/")
    article = make_extracted_article(
        f"Ada Quill leaves Halcyon {MARK}",
        f"Ada Quill has left Halcyon Labs, {MARK} reports.\n\nShe joins Rival AI.",
        source=outlet,
        author=f"{MARK} Reporter",
        url=f"https://{MARK}.example/ada",
        published_at=RECENTLY,
    )
    pending = make_article(
        source=outlet,
        title=f"Pending {MARK}",
        text="",
        summary_html=(
            f'<p>The {MARK} <a href="https://{MARK}.example/s">summary</a></p>'
            f'<figure><img src="https://{MARK}.example/pixel.gif" alt="A chart"></figure>'
        ),
    )
    event = make_event(
        (ada, "person"), (lab, "from_company"), (rival, "destination"),
        date=DAY, summary=f"Ada Quill left Halcyon Labs {MARK}",
    )  # fmt: skip
    make_evidence(event, article, sentence=f"Ada Quill has left Halcyon Labs, {MARK} reports.")
    storyline = make_storyline(
        [{"types": ["departure"], "entities": ["halcyon"], "roles": ["from_company"]}],
        title="Halcyon exodus",
        slug="halcyon-exodus",
    )
    refresh_storyline(storyline)
    reader = make_subscriber(email="reader@example.org", confirmed_at=RECENTLY)
    follow(reader, lab)
    return World(
        company=lab.slug,
        person=ada.slug,
        cluster=cluster.slug,
        storyline=storyline.slug,
        article=article.id,
        pending=pending.id,
        event=event.id,
        source=outlet.id,
        token=make_token(Purpose.MANAGE, reader),
    )


def reader_pages(w: World) -> dict[str, str]:
    """The pages a reader sees, all built on templates/base.html, by name."""
    return {
        "home": "/",
        "storyline": f"/storylines/{w.storyline}/",
        "company": f"/entities/{w.company}/",
        "person": f"/entities/{w.person}/",
        "cluster": f"/entities/{w.cluster}/",
        "article": f"/articles/{w.article}/",
        "article-pending": f"/articles/{w.pending}/",
        "search": f"/search/?q={MARK}",
        "talent": "/talent/",
        "subscribe": "/digests/subscribe/",
        "manage": f"/digests/manage/{w.token}/",
        "preview": f"/digests/manage/{w.token}/preview/",
    }


def admin_pages(w: World) -> dict[str, str]:
    return {
        "admin": "/admin/",
        "admin-articles": "/admin/sources/article/",
        "admin-article": f"/admin/sources/article/{w.article}/change/",
        "admin-events": "/admin/events/event/",
        "admin-event": f"/admin/events/event/{w.event}/change/",
        "admin-sources": "/admin/sources/source/",
        "admin-source": f"/admin/sources/source/{w.source}/change/",
    }


def other_responses(w: World) -> dict[str, str]:
    """Responses that are not HTML pages of ours (or not found): feeds, health, a 404."""
    return {
        "atom": "/feed.atom",
        "rss": "/feed.rss",
        "storyline-atom": f"/storylines/{w.storyline}/feed.atom",
        "entity-rss": f"/entities/{w.company}/feed.rss",
        "healthz": "/healthz",
        "not-found": "/no-such-page/",
    }


@pytest.fixture
def curator(client):
    user = get_user_model().objects.create_superuser("curator", "c@example.org", "x" * 20)
    client.force_login(user)
    return user


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    header = response.headers.get("Content-Security-Policy", "")
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


def nonce_of(response) -> str:
    nonces = [s for s in policy(response)["script-src"] if s.startswith("'nonce-")]
    assert len(nonces) == 1
    return nonces[0].removeprefix("'nonce-").removesuffix("'")


def document(response):
    return lxml_html.document_fromstring(response.content.decode())


def get(client, path: str, **headers):
    response = client.get(path, **headers)
    assert response.status_code in (200, 404), (path, response.status_code)
    return response


def assert_strict(rules: dict[str, list[str]]) -> None:
    assert rules["default-src"] == ["'self'"]
    assert "'self'" in rules["script-src"]
    assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"} & set(
        rules["script-src"]
    )
    assert rules["object-src"] == ["'none'"]
    assert rules["base-uri"] == ["'none'"]
    assert rules["frame-ancestors"] == ["'none'"]
    assert rules["form-action"] == ["'self'"]
    assert rules["style-src"] == ["'self'"]
    assert "'unsafe-inline'" not in rules["style-src-attr"]
    assert rules["img-src"] == ["'self'", "data:"]


def test_every_kind_of_response_carries_the_policy(client, world, curator):
    paths = reader_pages(world) | admin_pages(world) | other_responses(world)
    for name, path in paths.items():
        rules = policy(get(client, path))
        assert rules, f"{name} has no Content-Security-Policy"
        assert_strict(rules)
    client.logout()
    assert_strict(policy(get(client, "/admin/login/")))


def test_an_htmx_fragment_carries_the_policy_too(client, world):
    path = f"/storylines/{world.storyline}/?type=departure"
    response = get(client, path, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="timeline")

    assert b"<html" not in response.content
    assert_strict(policy(response))


def test_our_scripts_carry_the_responses_nonce(client, world, settings):
    settings.DEBUG = True  # django-htmx adds its debug script too: it must get the nonce
    pages = reader_pages(world)
    # base.html loads the scripts; one page of each kind of view is enough.
    for name in ("home", "article", "search", "preview"):
        path = pages[name]
        response = get(client, path)
        scripts = document(response).xpath("//script")
        sources = [s.get("src") for s in scripts]
        assert any("htmx-2.min.js" in src for src in sources), name
        assert any("labintel/site.js" in src for src in sources), name
        assert any("django-htmx.js" in src for src in sources), name
        assert {s.get("nonce") for s in scripts} == {nonce_of(response)}, name


def test_the_nonce_is_new_for_every_response(client, world):
    nonces = {nonce_of(get(client, "/")) for _ in range(3)}
    nonces.add(nonce_of(get(client, f"/articles/{world.article}/")))

    assert len(nonces) == 4
    assert all(len(n) >= 22 for n in nonces)  # 16 random bytes, base64


def test_no_page_needs_what_the_policy_refuses(client, world, curator):
    # Inline scripts, <style>, style="" and on* handlers would be blocked: no page may rely on them.
    for name, path in (reader_pages(world) | admin_pages(world)).items():
        page = document(get(client, path))
        inline = [
            s for s in page.xpath("//script[not(@src)]") if s.get("type") != "application/json"
        ]
        assert inline == [], name
        assert page.xpath("//style") == [], name
        assert page.xpath("//*[@style]") == [], name
        handlers = [a for e in page.iter() for a in e.attrib if a.lower().startswith("on")]
        assert handlers == [], name
        # Every script and stylesheet comes from this site (the admin's translations included).
        for url in page.xpath("//script/@src | //link[@rel='stylesheet']/@href"):
            assert url.startswith(("/static/", "/admin/jsi18n/")), (name, url)
        # Nothing else is loaded either: no outlet's image (img-src would refuse it anyway).
        loaded = page.xpath("//img/@src | //iframe/@src | //video/@poster | //source/@src")
        assert [url for url in loaded if not url.startswith("/")] == [], name


def test_htmx_never_evals_runs_fragment_scripts_or_leaves_the_site(client):
    meta = document(get(client, "/")).xpath("//head/meta[@name='htmx-config']")

    assert len(meta) == 1
    assert json.loads(meta[0].get("content")) == {
        "allowEval": False,
        "allowScriptTags": False,
        "includeIndicatorStyles": False,
        "selfRequestsOnly": True,
        "historyCacheSize": 0,
        "refreshOnHistoryMiss": True,
    }


def outside_text_places(page) -> list[tuple[str, object]]:
    """Every element of the body that shows MARK, in its text or in an attribute."""
    places = []
    for element in page.body.iter():
        if not isinstance(element.tag, str):
            continue  # a comment
        if MARK in (element.text or ""):
            places.append(("text", element))
        if MARK in (element.tail or ""):
            places.append(("tail", element.getparent()))
        for name, value in element.attrib.items():
            # The search box holds what the reader typed, and must stay live.
            if MARK in value and not (element.tag == "input" and name == "value"):
                places.append((name, element))
    return places


def htmx_disabled(element) -> bool:
    return any(e.get("hx-disable") is not None for e in element.iterancestors()) or (
        element.get("hx-disable") is not None
    )


def test_every_area_that_shows_outside_text_is_htmx_disabled_and_none_of_ours_is(client, world):
    for name, path in reader_pages(world).items():
        page = document(get(client, path))
        places = outside_text_places(page)
        if name not in ("subscribe", "manage"):
            assert places, f"{name} shows none of the outside text: the test proves nothing"
        loose = [(what, lxml_html.tostring(e)[:120]) for what, e in places if not htmx_disabled(e)]
        assert loose == [], name
        # hx-disable on an area with our own controls would switch them off.
        for area in page.xpath("//*[@hx-disable]"):
            ours = area.xpath(".//*[@hx-get or @hx-post or @hx-trigger]")
            assert ours == [], (name, lxml_html.tostring(ours[0])[:200] if ours else "")


def test_the_preview_allows_exactly_the_mails_own_styles(client, world):
    from apps.digests.models import Subscriber

    reader = Subscriber.objects.get(email="reader@example.org")
    digest, _ = build_one(reader, now=timezone.now())
    mail = render_digest(reader, digest).html
    allowed = set(policy(get(client, reader_pages(world)["preview"]))["style-src-attr"])

    styles = set(re.findall(r'style="([^"]*)"', mail))
    assert MARK in mail and styles  # the mail shows the event, styled
    for style in styles:
        digest_of = b64encode(hashlib.sha256(style.encode()).digest()).decode()
        assert f"'sha256-{digest_of}'" in allowed, style
    assert "'unsafe-hashes'" in allowed and "'unsafe-inline'" not in allowed


def test_the_preview_shows_the_mail_sandboxed_without_scripts(client, world):
    page = document(get(client, reader_pages(world)["preview"]))

    frame = page.xpath("//iframe[@srcdoc]")
    assert len(frame) == 1
    assert "allow-scripts" not in frame[0].get("sandbox")
    assert "allow-same-origin" not in frame[0].get("sandbox")
    assert MARK in frame[0].get("srcdoc")


def test_an_unread_articles_summary_is_shown_without_the_outlets_images(client, world):
    page = document(get(client, f"/articles/{world.pending}/"))

    summary = page.xpath("//div[contains(@class, 'feed-summary')]")
    assert len(summary) == 1 and summary[0].get("hx-disable") is not None
    assert f"The {MARK} summary" in summary[0].text_content()
    assert summary[0].xpath(".//a/@href") == [f"https://{MARK}.example/s"]
    assert summary[0].xpath(".//img") == []
