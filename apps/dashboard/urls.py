from django.urls import path

from apps.dashboard import feeds
from apps.dashboard.views import article, entity, home, search, storyline, talent

app_name = "dashboard"
urlpatterns = [
    path("", home.home, name="home"),
    path("storylines/<slug:slug>/", storyline.storyline, name="storyline"),
    path("entities/<slug:slug>/", entity.entity, name="entity"),
]

# Feeds out (Atom and RSS) and, for staff, the OPML of the feeds LabIntel reads.
urlpatterns += [
    path("feed.atom", feeds.feed_view(feeds.LatestFeed("atom")), name="latest_atom"),
    path("feed.rss", feeds.feed_view(feeds.LatestFeed("rss")), name="latest_rss"),
    path(
        "storylines/<slug:slug>/feed.atom",
        feeds.feed_view(feeds.StorylineFeed("atom")),
        name="storyline_atom",
    ),
    path(
        "storylines/<slug:slug>/feed.rss",
        feeds.feed_view(feeds.StorylineFeed("rss")),
        name="storyline_rss",
    ),
    path(
        "entities/<slug:slug>/feed.atom",
        feeds.feed_view(feeds.EntityFeed("atom")),
        name="entity_atom",
    ),
    path(
        "entities/<slug:slug>/feed.rss",
        feeds.feed_view(feeds.EntityFeed("rss")),
        name="entity_rss",
    ),
    path(
        "events/<slug:type>/feed.atom",
        feeds.feed_view(feeds.EventTypeFeed("atom")),
        name="event_type_atom",
    ),
    path(
        "events/<slug:type>/feed.rss",
        feeds.feed_view(feeds.EventTypeFeed("rss")),
        name="event_type_rss",
    ),
    path("sources.opml", feeds.sources_opml, name="sources_opml"),
]
urlpatterns += [path("talent/", talent.talent, name="talent")]
urlpatterns += [
    path("search/", search.search, name="search"),
    path("articles/<int:pk>/", article.article, name="article"),
]
