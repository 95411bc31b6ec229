from datetime import timedelta

import pytest
from django.utils import timezone

from apps.entities.models import Alias, Company, ComputeCluster, Person
from apps.entities.services.merge import merge_entities
from apps.events import services, tasks
from apps.events.models import Mention, UnknownName
from apps.events.services import matcher
from apps.sources.models import Article
from tests.entities.builders import XAI_STORY, make_extracted_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    xai = Company.objects.create(name="xAI", slug="xai", kind=Company.Kind.AI_LAB)
    Alias.objects.create(entity=xai, text="xAI")
    ba = Person.objects.create(name="Jimmy Ba", slug="jimmy-ba")
    Alias.objects.create(entity=ba, text="Jimmy Ba")
    Alias.objects.create(entity=ba, text="Ba", case_sensitive=True, needs_context=True)
    colossus = ComputeCluster.objects.create(name="Colossus", slug="colossus", owner=xai)
    Alias.objects.create(entity=colossus, text="Colossus", needs_context=True)
    return {"xai": xai, "ba": ba, "colossus": colossus}


def _linked(article: Article) -> set[str]:
    mentions = Mention.objects.filter(article=article, status=Mention.Status.LINKED)
    return set(mentions.values_list("entity__slug", flat=True))


def test_it_links_an_article_to_its_entities(cast):
    article = make_extracted_article("Jimmy Ba leaves xAI", XAI_STORY)

    assert services.analyze_article(article.id)

    assert _linked(article) == {"xai", "jimmy-ba", "colossus"}
    ba = Mention.objects.filter(article=article, entity=cast["ba"])
    assert ba.count() == 3  # title, full name, then "Ba said"
    assert all(m.is_about for m in ba)
    surname = ba.get(surface="Ba")
    assert surname.sentence == "Ba said the decision was his own."
    article.refresh_from_db()
    assert article.analyzed_at is not None


def test_it_ignores_articles_without_text_yet(cast):
    article = make_extracted_article("Pending", "", extracted_at=None)
    assert not services.analyze_article(article.id)
    assert not Mention.objects.exists()


def test_linking_twice_gives_the_same_mentions(cast):
    article = make_extracted_article("Jimmy Ba leaves xAI", XAI_STORY)
    services.analyze_article(article.id)
    first = list(Mention.objects.values_list("entity_id", "start", "end", "sentence"))

    services.analyze_article(article.id)

    assert list(Mention.objects.values_list("entity_id", "start", "end", "sentence")) == first


def test_a_rejected_mention_stays_rejected_after_reanalysis(cast):
    article = make_extracted_article("Jimmy Ba leaves xAI", XAI_STORY)
    services.analyze_article(article.id)
    Mention.objects.filter(entity=cast["colossus"]).update(status=Mention.Status.REJECTED)

    services.reanalyze()

    colossus = Mention.objects.filter(article=article, entity=cast["colossus"])
    assert [m.status for m in colossus] == [Mention.Status.REJECTED]
    assert _linked(article) == {"xai", "jimmy-ba"}


def test_a_new_alias_takes_effect_on_reanalysis(cast):
    article = make_extracted_article("Jimmy Ba leaves xAI", XAI_STORY)
    services.analyze_article(article.id)
    assert "shelby-health" not in _linked(article)
    agency = Company.objects.create(
        name="Shelby County Health Department", slug="shelby-health", kind=Company.Kind.REGULATOR
    )

    services.reanalyze()

    assert "shelby-health" in _linked(article)
    assert Mention.objects.get(entity=agency).is_about is False  # a passing mention


def test_it_collects_unknown_names_once_per_article(cast):
    article = make_extracted_article("Jimmy Ba leaves xAI", XAI_STORY)
    services.analyze_article(article.id)
    services.analyze_article(article.id)

    name = UnknownName.objects.get(text="Shelby County Health Department")
    assert name.article_count == 1

    Company.objects.create(name="Shelby County Health Department", slug="shelby")
    Alias.objects.create(
        entity=Company.objects.get(slug="shelby"), text="Shelby County Health Department"
    )
    services.reanalyze()
    assert not UnknownName.objects.filter(text="Shelby County Health Department").exists()


def test_the_sweep_enqueues_articles_that_lost_their_link_message(
    cast, django_capture_on_commit_callbacks
):
    late = make_extracted_article(
        "Old", XAI_STORY, extracted_at=timezone.now() - timedelta(hours=1)
    )
    make_extracted_article("Fresh", XAI_STORY)

    with django_capture_on_commit_callbacks() as callbacks:
        assert tasks.sweep_unanalyzed_articles() == 1

    assert [cb.args for cb in callbacks] == [(late.id,)]


def test_the_matcher_is_rebuilt_when_aliases_change(cast, monkeypatch):
    monkeypatch.setattr(matcher, "CHECK_EVERY_SECONDS", 0.0)
    before = services.current_matcher()
    assert services.current_matcher() is before

    Alias.objects.create(entity=cast["xai"], text="X.AI Corp.")

    assert services.current_matcher() is not before


def test_it_counts_unknown_names_across_articles(cast):
    text = (
        "The hearing drew a crowd, said Nora Castellanos, a resident. "
        "Later that day Nora Castellanos spoke again, and Marcus Feld listened."
    )
    for n in range(2):
        services.analyze_article(make_extracted_article(f"Hearing {n}", text).id)

    assert UnknownName.objects.get(text="Nora Castellanos").article_count == 2
    assert UnknownName.objects.get(text="Marcus Feld").article_count == 2


def test_after_a_merge_reanalysis_links_the_survivor_by_both_names(cast):
    duplicate = Company.objects.create(name="X.AI Corp.", slug="x-ai-corp")
    Alias.objects.create(entity=duplicate, text="X.AI Corp.")
    text = XAI_STORY + " X.AI Corp. filed the permit application in June."
    article = make_extracted_article("Jimmy Ba leaves xAI", text)
    services.analyze_article(article.id)
    assert "x-ai-corp" in _linked(article)

    merge_entities(cast["xai"], duplicate)
    services.reanalyze()

    assert "x-ai-corp" not in _linked(article)
    surfaces = set(
        Mention.objects.filter(article=article, entity=cast["xai"]).values_list(
            "surface", flat=True
        )
    )
    assert {"xAI", "X.AI Corp."} <= surfaces
