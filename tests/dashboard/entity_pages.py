"""What the entity page tests share: news about an entity, events with an entity, and a parse of
the page's lists."""

import datetime
import re
from typing import Any

from apps.events.services.mention_weeks import recount
from apps.sources.models import Article
from tests.entities.builders import make_article, make_event, make_evidence, make_mention

UTC = datetime.UTC
# A Wednesday; news in these tests is dated from here back.
NEWEST = datetime.datetime(2025, 3, 5, 12, 0, tzinfo=UTC)


def news_about(entity: Any, count: int, *, every: datetime.timedelta, **article: Any) -> list:
    """`count` articles about the entity, newest first, `every` apart from NEWEST, each naming it
    twice (one article, however often it names the entity, is listed and counted once)."""
    made = []
    for n in range(count):
        published = NEWEST - n * every
        row = make_article(published_at=published, title=f"Story {n}", **article)
        make_mention(row, entity, is_about=True, start=0)
        make_mention(row, entity, is_about=True, start=40)
        made.append(row)
    recount()
    return made


def events_with(entity: Any, count: int, role: str = "from_company") -> list:
    made = []
    for n in range(count):
        event = make_event(
            (entity, role),
            summary=f"Event number {n}",
            date=datetime.date(2025, 1, 1) + datetime.timedelta(days=n),
        )
        make_evidence(event)
        made.append(event)
    return made


def hrefs(body: str, element_id: str) -> tuple[str, str]:
    """The href and hx-get of a "load more" link in the element with this id."""
    block = body[body.index(f'id="{element_id}"') :]
    href = re.search(r'href="([^"]*)"', block)
    hx_get = re.search(r'hx-get="([^"]*)"', block)
    assert href and hx_get
    return href.group(1).replace("&amp;", "&"), hx_get.group(1).replace("&amp;", "&")


def titles(body: str) -> list[str]:
    """The article titles listed, in order."""
    return re.findall(r'class="title">([^<]*)<', body)


def summaries(body: str) -> list[str]:
    return re.findall(r'<p class="summary">([^<]*)</p>', body)


def published(article: Article) -> str:
    return f"{article.published_at:%-d %b %Y}"
