"""Who "he" and "his exit" mean when the sentence names nobody: the person the title names,
else the subject of the sentence before, never a founder named there in passing."""

import datetime

import pytest

from apps.events import services
from apps.events.models import Event
from tests.entities.builders import make_alias, make_company, make_extracted_article, make_person

pytestmark = pytest.mark.django_db
WHEN = datetime.datetime(2026, 3, 28, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def cast():
    lab = make_company(name="Halcyon Labs", slug="halcyon")
    make_alias(lab, "Halcyon Labs")
    people = {}
    for name in ("Ada Quill", "Bo Lindqvist", "Vera Stone"):
        people[name] = make_person(name=name)
        make_alias(people[name], name)
    return people


def who_left(title: str, text: str) -> set[str]:
    article = make_extracted_article(title, text, published_at=WHEN)
    assert services.analyze_article(article.id)
    departures = Event.objects.visible().filter(type="departure")
    return {p.entity.name for e in departures for p in e.participants.all() if p.role == "person"}


def test_his_exit_is_the_title_persons_not_the_founder_named_since(cast):
    text = (
        "Ada Quill has left Halcyon Labs. "
        "In the reorganisation Vera Stone announced last month she was put in charge of a unit. "
        "Her exit on Friday follows that of Bo Lindqvist."
    )

    assert who_left("Ada Quill leaves Halcyon Labs", text) == {"Ada Quill"}


def test_he_is_the_subject_of_the_sentence_before_not_a_name_in_its_aside(cast):
    text = (
        "Ada Quill, who started Halcyon Labs with Vera Stone, has left the company. "
        "The move became public on Friday, although her profile says she left in February."
    )

    assert who_left("A co-founder moves on", text) == {"Ada Quill"}
