"""The events app's answer to what the sources app announces (it cannot call us directly)."""

from functools import partial
from typing import Any

from django.db import transaction
from django.dispatch import receiver

from apps.sources.signals import article_extracted


@receiver(article_extracted, dispatch_uid="events.analyze_extracted_article")
def analyze_extracted_article(
    sender: Any, *, article_id: int, run_now: bool, **kwargs: Any
) -> None:
    # Imported here: this module is loaded while apps are still being set up, and the analysis
    # services pull in the matcher, the rules and the models of three apps.
    from apps.events import services, tasks

    if run_now:
        services.analyze_article(article_id)
    else:
        transaction.on_commit(partial(tasks.analyze_article.delay, article_id))
