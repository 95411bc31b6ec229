"""Services of the events app: linking articles to entities (events and storylines come next)."""

from apps.events.services.linking import LinkReport, link_article, relink, unlinked_article_ids
from apps.events.services.matcher import current_matcher

__all__ = ["LinkReport", "current_matcher", "link_article", "relink", "unlinked_article_ids"]
