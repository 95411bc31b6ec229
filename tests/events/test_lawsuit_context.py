"""A suit someone could bring, read in a whole article: "the warning the law requires before
citizens can take a polluter to court" sues no one."""

import datetime

import pytest

from apps.events import services
from apps.events.models import Event
from tests.entities.builders import make_alias, make_company, make_extracted_article

pytestmark = pytest.mark.django_db


def test_a_suit_citizens_can_bring_is_not_brought():
    for name in ("Harbor Rights League", "Halcyon Labs"):
        make_alias(make_company(name=name), name)
    text = (
        "The Harbor Rights League filed suit on Wednesday, accusing Halcyon Labs of running "
        "turbines without permits.\n\nThe lawsuit was expected. In February the same groups "
        "sent Halcyon Labs a formal notice of intent to sue over the turbines, the 60-day "
        "warning federal law requires before citizens can take a polluter to court."
    )
    article = make_extracted_article(
        "Harbor Rights League sues Halcyon Labs",
        text,
        published_at=datetime.datetime(2026, 4, 16, tzinfo=datetime.UTC),
    )
    assert services.analyze_article(article.id)

    suits = Event.objects.visible().filter(type="lawsuit")
    plaintiffs = {
        p.entity.name for e in suits for p in e.participants.all() if p.role == "plaintiff"
    }
    assert plaintiffs == {"Harbor Rights League"}
