"""Thin Celery tasks of the events app: take ids, call one service."""

from functools import partial

from celery import shared_task
from django.db import transaction

from apps.events import services


@shared_task(name="events.link_article", ignore_result=True)
def link_article(article_id: int) -> None:
    services.link_article(article_id)


@shared_task(name="events.sweep_unlinked_articles", ignore_result=True)
def sweep_unlinked_articles() -> int:
    article_ids = services.unlinked_article_ids()
    for article_id in article_ids:
        transaction.on_commit(partial(link_article.delay, article_id))
    return len(article_ids)
