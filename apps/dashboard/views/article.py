"""The article reader: one article's text with the names it mentions linked, the events it
supports, and the same story from other outlets."""

from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from apps.common.html import without_images
from apps.dashboard.highlight import Mark, highlight
from apps.dashboard.http import HtmxHttpRequest
from apps.entities.matching import TITLE_SEPARATOR
from apps.events.models import Event, Evidence, Mention
from apps.events.selectors import with_related
from apps.sources.models import Article

SAME_STORY = 20


@require_GET
def article(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Seven queries (six when the article stands alone): the article and its outlet, its
    mentions, the events it supports with what every event shows (participants, evidence,
    storylines), and the other outlets' articles of its story."""
    found = get_object_or_404(
        Article.objects.select_related("source").defer("html", "feed_content_html", "minhash"),
        pk=pk,
    )
    marks = _marks(found)
    body_start = len(found.title) + len(TITLE_SEPARATOR)
    events = list(_supported_events(found))
    title = highlight(found.title, marks)  # one paragraph, or none when there is no title
    paragraphs = highlight(found.text, marks, offset=body_start)
    context = {
        "article": found,
        "title_html": title[0] if title else "",
        "paragraphs": paragraphs,
        # The feed's summary stands in while the text is not read yet.
        "summary_html": "" if paragraphs else without_images(found.summary_html),
        "events": [(event, _sentences(event, found)) for event in events],
        "same_story": list(_same_story(found)),
    }
    return render(request, "dashboard/article.html", context)


def _marks(article: Article) -> list[Mark]:
    """The article's linked mentions (not those a curator rejected) as marks to link."""
    mentions = (
        Mention.objects.filter(article=article, status=Mention.Status.LINKED)
        .select_related("entity")
        .only("start", "end", "surface", "entity__slug", "entity__name")
    )
    return [
        Mark(
            start=m.start,
            end=m.end,
            href=reverse("dashboard:entity", args=[m.entity.slug]),
            label=m.entity.name,
            expected=m.surface,
        )
        for m in mentions
    ]


def _supported_events(article: Article) -> QuerySet[Event]:
    """The visible events this article is evidence for, newest first, as every page shows
    an event (participants, all its sources, storylines)."""
    cited = Evidence.objects.filter(article=article).values("event_id")
    return with_related(Event.objects.visible().filter(id__in=cited)).order_by("-date", "-id")


def _sentences(event: Event, article: Article) -> list[Evidence]:
    """This article's sentences among the event's (already loaded) evidence."""
    return [e for e in event.evidence.all() if e.article_id == article.id]


def _same_story(article: Article) -> QuerySet[Article]:
    if article.story_id is None:
        return Article.objects.none()
    return (
        Article.objects.filter(story_id=article.story_id)
        .exclude(pk=article.pk)
        .select_related("source")
        .only("title", "url", "published_at", "source__title", "source__feed_url")
        .order_by("published_at", "id")[:SAME_STORY]
    )
