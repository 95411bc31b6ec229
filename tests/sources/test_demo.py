import http.client
import io
import json
import urllib.request
from collections.abc import Iterator
from email.message import Message

import feedparser
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from apps.sources.demo import DEMO_ROOT, DemoServer, DemoServerError, feed_paths, serve_demo
from apps.sources.models import Article, FetchLog, Source


@pytest.fixture
def server() -> Iterator[DemoServer]:
    with serve_demo(DEMO_ROOT, port=0) as running:
        yield running


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, Message, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, b""


def entry_links(body: bytes) -> list[str]:
    """The entries' links, read without our own parser (feedparser 6.0 has no JSON Feed)."""
    if body.lstrip().startswith(b"{"):
        feed = json.loads(body)
        assert feed["version"] == "https://jsonfeed.org/version/1.1"
        assert all(item["id"] and item["title"] for item in feed["items"])
        return [item["url"] for item in feed["items"]]
    parsed = feedparser.parse(io.BytesIO(body))
    assert not parsed.bozo, parsed.get("bozo_exception")
    return [entry.link for entry in parsed.entries]


def article_paths() -> list[str]:
    """URL paths of the article pages; outlet home pages are DEMO_ROOT/<outlet>/index.html."""
    pages = [p for p in DEMO_ROOT.rglob("*.html") if len(p.relative_to(DEMO_ROOT).parts) > 2]
    paths = ["/" + p.relative_to(DEMO_ROOT).as_posix() for p in pages]
    return sorted(path.removesuffix("index.html") for path in paths)


def test_it_has_four_outlets_each_with_a_feed():
    assert feed_paths(DEMO_ROOT) == [
        "/compute-ledger/atom.xml",
        "/inference-desk/feed.xml",
        "/memphis-grid/feed.json",
        "/valley-wire/rss.xml",
    ]


def test_it_has_at_least_forty_two_article_pages():
    paths = article_paths()

    assert len(paths) >= 42
    assert {path.split("/")[1] for path in paths} == {
        "compute-ledger",
        "inference-desk",
        "memphis-grid",
        "valley-wire",
    }


def test_it_serves_well_formed_feeds_with_absolute_links(server):
    for url in server.feed_urls():
        status, _headers, body = get(url)
        links = entry_links(body)
        assert status == 200
        assert b"{base}" not in body
        assert len(links) >= 5
        assert all(link.startswith(server.base_url + "/") for link in links)


def test_it_lists_every_article_page_in_its_outlets_feed(server):
    links = [link for url in server.feed_urls() for link in entry_links(get(url)[2])]

    assert sorted(link.removeprefix(server.base_url) for link in links) == article_paths()


def test_it_carries_full_content_in_the_rss_content_module(server):
    _status, _headers, body = get(server.url("/inference-desk/feed.xml"))
    parsed = feedparser.parse(io.BytesIO(body))

    assert parsed.version == "rss20"
    assert all(len(entry.content[0].value.split()) >= 250 for entry in parsed.entries)


def test_it_serves_every_entry_page(server):
    links = [link for url in server.feed_urls() for link in entry_links(get(url)[2])]
    assert len(links) >= 42
    for link in links:
        status, headers, body = get(link)
        assert status == 200, link
        assert headers["Content-Type"].startswith("text/html")
        assert b"<article" in body or b"story-body" in body or b"entry-content" in body


def test_it_parses_every_feed_with_our_parser(server):
    feeds = pytest.importorskip("apps.sources.parsers.feeds")
    for url in server.feed_urls():
        _status, headers, body = get(url)
        parsed = feeds.parse_feed(body, url=url, headers=dict(headers.items()))
        assert len(parsed.entries) >= 5
        assert all(entry.url.startswith(server.base_url + "/") for entry in parsed.entries)
        assert all(entry.guid and entry.title for entry in parsed.entries)


def test_it_includes_a_syndicated_copy_and_a_story_about_another_lab():
    pages = {p: p.read_text() for p in DEMO_ROOT.rglob("*.html")}
    assert sum("originally published by" in text for text in pages.values()) >= 2
    assert any("Trainium2" in text and "Anthropic" in text for text in pages.values())


def test_it_answers_conditional_gets_with_304(server):
    url = server.url("/valley-wire/rss.xml")
    status, headers, _ = get(url)

    assert status == 200
    assert get(url, {"If-None-Match": headers["ETag"]})[0] == 304
    assert get(url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    assert get(url, {"If-None-Match": '"something-else"'})[0] == 200
    assert get(url, {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})[0] == 200


def test_it_redirects_folders_to_their_trailing_slash(server):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    connection.request("GET", "/compute-ledger/2024/09/colossus-online-100k-h100")
    response = connection.getresponse()

    assert response.status == 301
    assert response.headers["Location"] == "/compute-ledger/2024/09/colossus-online-100k-h100/"


def test_it_refuses_paths_outside_its_root(server):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    connection.request("GET", "/../../pyproject.toml")

    assert connection.getresponse().status == 404


def test_it_says_clearly_when_its_port_is_taken(server):
    with pytest.raises(DemoServerError, match="already in use"):
        serve_demo(DEMO_ROOT, port=server.port)


@pytest.mark.django_db(transaction=True)
def test_it_ingests_the_demo_corpus_end_to_end():
    call_command("demo", "--no-serve", "--demo-port", "0", verbosity=0, stdout=io.StringIO())

    assert Source.objects.count() == 4
    assert Article.objects.exclude(text="").filter(word_count__gte=200).count() >= 42
    assert get_user_model().objects.get(username="demo").is_superuser


@pytest.mark.django_db(transaction=True)
def test_it_can_run_again_against_the_same_feeds():
    with serve_demo(DEMO_ROOT, port=0) as running:
        port = str(running.port)
    call_command("demo", "--no-serve", "--demo-port", port, verbosity=0, stdout=io.StringIO())
    articles = Article.objects.count()

    out = io.StringIO()
    call_command("demo", "--no-serve", "--demo-port", port, verbosity=0, stdout=out)

    assert Source.objects.count() == 4
    assert Article.objects.count() == articles
    # The second poll of unchanged feeds is answered with 304 Not Modified.
    latest = [source.fetch_logs.first() for source in Source.objects.all()]
    assert [log.status for log in latest if log] == [304, 304, 304, 304]
    assert FetchLog.objects.count() == 8
    assert "Login: demo / " in out.getvalue()
