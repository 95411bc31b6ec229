"""Services of the events app: analysing articles (mentions, events), storylines, curation."""

from apps.events.services.analysis import (
    AnalysisReport,
    analyze_article,
    reanalyze,
    unanalyzed_article_ids,
)
from apps.events.services.matcher import current_matcher

__all__ = [
    "AnalysisReport",
    "analyze_article",
    "current_matcher",
    "reanalyze",
    "unanalyzed_article_ids",
]
