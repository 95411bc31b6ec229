"""Linking is part of the pipeline: `ingest` ends with every new article linked."""

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command

from apps.entities.models import Alias, Company
from apps.events.models import Mention
from apps.sources.models import Article
from tests.httpserver import Reply
from tests.sitegen import article_page, rss_feed

pytestmark = pytest.mark.django_db


def test_ingest_links_what_it_extracts(loopback):
    lab = Company.objects.create(name="Halcyon Labs", slug="halcyon", kind=Company.Kind.AI_LAB)
    Alias.objects.create(entity=lab, text="Halcyon Labs")
    rival = Company.objects.create(name="Meridian AI", slug="meridian", kind=Company.Kind.AI_LAB)
    Alias.objects.create(entity=rival, text="Meridian AI")
    # Trafilatura keeps a "More news" list inside <article>: it is navigation, not the story.
    more = '<h3>More news</h3><ul><li><a href="/m">Meridian AI raises a round</a></li></ul>'
    page = (
        article_page(4, title="Halcyon Labs opens a campus")
        .replace("<p>", "<p>Halcyon Labs said on Monday it would open a second campus. ", 1)
        .replace("</article>", more + "</article>")
    )
    loopback.route("/news/4.html", Reply(200, page.encode(), {"Content-Type": "text/html"}))
    feed = rss_feed(
        loopback.base_url,
        [("Halcyon Labs opens a campus", "/news/4.html", datetime(2026, 3, 2, tzinfo=UTC))],
        title="Circuit Desk",
    )
    loopback.route("/feed.xml", Reply(200, feed.encode(), {"Content-Type": "application/rss+xml"}))
    call_command("add_source", loopback.url("/feed.xml"), stdout=StringIO())

    call_command("ingest", "--verbosity", "0", stdout=StringIO())

    article = Article.objects.get()
    assert article.analyzed_at is not None
    assert Mention.objects.filter(article=article, entity=lab, is_about=True).exists()
    assert not Mention.objects.filter(entity=rival).exists()
