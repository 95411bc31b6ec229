from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.sources.models import Article, Source
from tests.httpserver import Reply
from tests.sitegen import serve_outlet

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=out)
    return out.getvalue()


def test_add_source_refuses_unsafe_urls(settings):
    settings.FETCH_ALLOW_LOOPBACK = False
    for url in ("file:///etc/passwd", "http://127.0.0.1:6379/", "gopher://a.example/"):
        with pytest.raises(CommandError, match="Refused"):
            _run("add_source", url)
    assert not Source.objects.exists()


def test_add_source_is_idempotent(loopback):
    _run("add_source", loopback.url("/feed.xml"))
    _run("add_source", loopback.url("/feed.xml"))
    assert Source.objects.count() == 1


def test_ingest_fetches_and_extracts_until_idle(loopback):
    serve_outlet(loopback, count=3)
    serve_outlet(loopback, count=2, feed_path="/other.xml", prefix="/other")
    loopback.route("/broken.xml", Reply(500, b"no"))
    for path in ("/feed.xml", "/other.xml", "/broken.xml"):
        _run("add_source", loopback.url(path))

    output = _run("ingest", "--verbosity", "0")

    assert "Fetched 3 sources (1 failed), 5 new articles, 5 extracted." in output
    assert Article.objects.filter(text_from="page").count() == 5


def test_sources_shows_health(loopback):
    loopback.route("/broken.xml", Reply(500, b"no"))
    _run("add_source", loopback.url("/broken.xml"))
    _run("ingest", "--verbosity", "0")

    table = _run("sources")

    assert "HTTP 500" in table and "never" in table


def test_opml_round_trip(tmp_path, loopback):
    _run("add_source", loopback.url("/feed.xml"))
    exported = tmp_path / "out.opml"
    _run("export_opml", str(exported))
    Source.objects.all().delete()

    output = _run("import_opml", str(exported))

    assert "Added 1" in output and Source.objects.get().feed_url == loopback.url("/feed.xml")


def test_import_opml_explains_a_bad_file(tmp_path):
    bad = tmp_path / "bad.opml"
    bad.write_bytes(b"<html>not opml</html>")
    with pytest.raises(CommandError, match="not a usable OPML file"):
        _run("import_opml", str(bad))
    with pytest.raises(CommandError, match="Cannot read"):
        _run("import_opml", str(tmp_path / "missing.opml"))
