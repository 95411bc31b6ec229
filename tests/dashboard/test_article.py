"""The article reader: text with linked mentions, the events it supports, the same story from
other outlets, and the feed's summary while the text is not read yet."""

import datetime

import pytest
from django.utils import timezone

from apps.events.models import Mention
from apps.sources.models import Source, StoryCluster
from tests.entities.builders import (
    make_article,
    make_company,
    make_event,
    make_evidence,
    make_extracted_article,
    make_mention,
    make_person,
)

pytestmark = pytest.mark.django_db

TITLE = "Ada Quill leaves Halcyon"
TEXT = "Ada Quill has left Halcyon Labs.\n\nHalcyon said <script>alert(1)</script> nothing."


def mention(article, entity, surface: str, *, nth: int = 0, **overrides) -> Mention:
    """A mention of `surface` where it stands in the article's title + blank line + text."""
    document = f"{article.title}\n\n{article.text}"
    start = -1
    for _ in range(nth + 1):
        start = document.index(surface, start + 1)
    return make_mention(
        article, entity, start=start, end=start + len(surface), surface=surface, **overrides
    )


@pytest.fixture
def story():
    outlet = Source.objects.create(feed_url="https://ledger.example/feed", title="The Ledger")
    article = make_extracted_article(
        TITLE, TEXT, source=outlet, author="Sam Reporter", url="https://ledger.example/ada"
    )
    lab = make_company(name="Halcyon Labs", slug="halcyon")
    ada = make_person(name="Ada Quill", slug="ada")
    return article, lab, ada


def page(client, article) -> str:
    response = client.get(f"/articles/{article.id}/")
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_the_article_with_its_outlet_author_date_and_original(client, story):
    article, _, _ = story

    body = page(client, article)

    assert "The Ledger" in body and "By Sam Reporter" in body
    assert f'datetime="{article.published_at.isoformat()}"' in body
    assert (
        '<a href="https://ledger.example/ada" rel="noopener noreferrer nofollow" class="original">'
        in body
    )
    assert "<p>Ada Quill has left Halcyon Labs.</p>" in body


def test_it_links_the_linked_mentions_in_the_title_and_text_only(client, story):
    article, lab, ada = story
    mention(article, ada, "Ada Quill")  # in the title
    mention(article, lab, "Halcyon Labs")
    mention(article, lab, "Halcyon", nth=2, status=Mention.Status.REJECTED)

    body = page(client, article)

    title = '<a class="mention" href="/entities/ada/" title="Ada Quill">Ada Quill</a> leaves'
    assert f'<h1 id="article-title">{title} Halcyon</h1>' in body
    assert (
        'Ada Quill has left <a class="mention" href="/entities/halcyon/" title="Halcyon Labs">'
        "Halcyon Labs</a>." in body
    )
    assert "<p>Halcyon said" in body  # the rejected mention is not linked
    assert body.count('class="mention"') == 2


def test_hostile_text_is_escaped(client, story):
    article, lab, _ = story
    mention(article, lab, "Halcyon", nth=2)

    body = page(client, article)

    assert "<script>alert(1)" not in body
    assert "said &lt;script&gt;alert(1)&lt;/script&gt; nothing." in body


def test_it_lists_the_events_it_supports_with_its_sentence(client, story):
    article, lab, ada = story
    event = make_event((ada, "person"), (lab, "from_company"), summary="Ada Quill left Halcyon")
    make_evidence(event, article, sentence="Ada Quill has left Halcyon Labs.", start=26)
    other = make_evidence(event, sentence="Quill is gone, a rival reports.")
    hidden = make_event((ada, "person"), summary="A rejected reading", rejected=True)
    make_evidence(hidden, article, start=60)
    make_event((ada, "person"), summary="Not from this article")

    body = page(client, article)

    assert "Ada Quill left Halcyon" in body
    assert '<blockquote class="reported">Ada Quill has left Halcyon Labs.</blockquote>' in body
    # The event as every page shows it: its other sources too, each with a link to read it here.
    assert "Quill is gone, a rival reports." in body
    assert f'href="/articles/{other.article_id}/"' in body
    assert "A rejected reading" not in body and "Not from this article" not in body


def test_it_links_the_same_story_from_other_outlets(client, story):
    article, _, _ = story
    cluster = StoryCluster.objects.create()
    article.story = cluster
    article.save(update_fields=["story"])
    wire = Source.objects.create(feed_url="https://wire.example/feed", title="Wire")
    copy = make_article(title="Quill exits Halcyon", story=cluster, source=wire)
    make_article(title="Another story")

    body = page(client, article)

    assert f'<a href="/articles/{copy.id}/">Quill exits Halcyon</a>' in body
    assert "Wire" in body and "Another story" not in body
    assert body.count(f'href="/articles/{article.id}/"') == 0


def test_an_article_not_read_yet_shows_the_feed_summary_with_htmx_disabled(client):
    article = make_article(
        title="Pending", text="", summary_html='<p>The <a href="https://x.example/">summary</a></p>'
    )

    body = page(client, article)

    assert "has not read the full text yet" in body
    assert (
        '<div class="article-text feed-summary" hx-disable>'
        '<p>The <a href="https://x.example/">summary</a></p></div>' in body
    )


def test_an_unknown_article_is_404(client):
    assert client.get("/articles/999999/").status_code == 404


def test_its_queries_are_fixed_whatever_it_holds(client, story, django_assert_num_queries):
    article, lab, ada = story
    cluster = StoryCluster.objects.create()
    article.story = cluster
    article.save(update_fields=["story"])
    for n in range(3):
        make_article(title=f"Copy {n}", story=cluster)
        event = make_event((ada, "person"), (lab, "from_company"), summary=f"Event {n}")
        make_evidence(event, article, start=n)
        make_evidence(event)
    mention(article, ada, "Ada Quill")
    mention(article, lab, "Halcyon Labs")
    # Article and outlet; mentions; events, their participants, evidence and storylines; the
    # same story.
    with django_assert_num_queries(7):
        page(client, article)


def test_the_evidence_under_an_event_links_to_the_article_reader(client):
    lab = make_company(name="Halcyon Labs", slug="halcyon")
    event = make_event(
        (make_person(name="Ada Quill"), "person"), (lab, "from_company"),
        date=timezone.localdate() - datetime.timedelta(days=1),
    )  # fmt: skip
    evidence = make_evidence(event)

    body = client.get("/entities/halcyon/").content.decode()

    assert f'href="/articles/{evidence.article_id}/"' in body
