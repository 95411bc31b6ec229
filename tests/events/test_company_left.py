"""Which company a departure leaves when the sentence does not name it: the one the title names
and the article is about, not one named in passing or a past employer."""

import datetime

import pytest

from apps.events import services
from apps.events.models import Event
from tests.entities.builders import (
    make_affiliation,
    make_alias,
    make_company,
    make_extracted_article,
    make_person,
)

pytestmark = pytest.mark.django_db
WHEN = datetime.datetime(2026, 3, 28, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def cast():
    entities = {}
    companies = (("Halcyon Labs", "halcyon"), ("Borealis AI", "borealis"), ("Cobalt", "cobalt"))
    for name, slug in companies:
        entities[name] = make_company(name=name, slug=slug)
        make_alias(entities[name], name)
    for name in ("Ada Quill", "Bo Lindqvist", "Vera Stone", "Cy Marsh", "Dee Ruiz", "Eli Park"):
        entities[name] = make_person(name=name)
        make_alias(entities[name], name)
    return entities


def left(title: str, text: str) -> set[tuple[str, str]]:
    article = make_extracted_article(title, text, published_at=WHEN)
    assert services.analyze_article(article.id)
    moves = set()
    for event in Event.objects.visible().filter(type="departure"):
        roles = {p.role: p.entity.name for p in event.participants.all()}
        moves.add((roles["person"], roles.get("from_company", "")))
    return moves


def test_the_company_is_the_titles_even_many_names_later(cast):
    text = (
        "Halcyon Labs has had a hard year. Ada Quill once worked with Bo Lindqvist and Vera "
        "Stone. Dee Ruiz and Eli Park said Borealis AI and Cobalt were hiring. "
        "Cy Marsh, the company's general counsel, stepped down in early March."
    )

    assert left("The people leaving Halcyon Labs", text) == {("Cy Marsh", "Halcyon Labs")}


def test_a_list_of_leavers_leaves_the_titles_company_not_where_one_went_since(cast):
    # Ada left Halcyon for Borealis long ago: the knowledge base has her at Borealis now.
    make_affiliation(cast["Ada Quill"], cast["Borealis AI"], start=datetime.date(2024, 5, 1))
    text = (
        "Halcyon Labs lost another founder this week. Ada Quill went back to Borealis AI in "
        "2024. Ada Quill, Bo Lindqvist and Vera Stone have all left."
    )

    moves = left("Another founder leaves Halcyon Labs", text)

    assert ("Ada Quill", "Borealis AI") not in moves
    assert {("Bo Lindqvist", "Halcyon Labs"), ("Vera Stone", "Halcyon Labs")} <= moves


def test_a_company_listed_after_a_past_employer_is_past_too(cast):
    text = (
        "Vera Stone, who previously worked at Cobalt and Borealis AI, is the third member of "
        "the founding team to leave."
    )

    assert left("Vera Stone leaves Halcyon Labs", text) == {("Vera Stone", "Halcyon Labs")}
