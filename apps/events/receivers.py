"""The events app's answer to what the sources and entities apps announce (they cannot call us
directly)."""

from functools import partial
from typing import Any

from django.db import transaction
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from apps.entities.signals import entities_merged
from apps.sources.models import Article
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


@receiver(entities_merged, dispatch_uid="events.recount_merged_entity")
def recount_merged_entity(sender: Any, *, survivor_id: int, **kwargs: Any) -> None:
    # The merge moved the loser's weekly counters or dropped them where the survivor had the same
    # week; an article naming both counts once, so only a recount from the mentions is right.
    from apps.events.services.mention_weeks import recount_entity

    recount_entity(survivor_id)


@receiver(pre_delete, sender=Article, dispatch_uid="events.uncount_deleted_article")
def uncount_deleted_article(sender: Any, *, instance: Article, **kwargs: Any) -> None:
    # Its mentions go with it (a cascade, which sends no signal of its own): count it out first,
    # inside the deletion's transaction.
    from apps.events.services.mention_weeks import uncount_articles

    uncount_articles([instance.pk])
