"""Thin Celery tasks of the events app: take ids, call one service."""

from functools import partial

from celery import shared_task
from django.db import transaction

from apps.events import services


@shared_task(name="events.analyze_article", ignore_result=True)
def analyze_article(article_id: int) -> None:
    services.analyze_article(article_id)


@shared_task(name="events.sweep_unanalyzed_articles", ignore_result=True)
def sweep_unanalyzed_articles() -> int:
    article_ids = services.unanalyzed_article_ids()
    for article_id in article_ids:
        transaction.on_commit(partial(analyze_article.delay, article_id))
    return len(article_ids)
