"""The analyze stage end to end on the database: articles in, events with evidence out."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings

from apps.entities.models import Affiliation, ClusterObservation, Person
from apps.entities.services.seed import load_seed
from apps.events import services
from apps.events.models import Event, Evidence, Storyline
from apps.events.selectors import storyline_events
from apps.events.services.seed import load_storylines
from apps.sources.models import Source, StoryCluster
from tests.entities.builders import make_extracted_article

pytestmark = pytest.mark.django_db

SEED = Path(settings.BASE_DIR) / "demo" / "seed"
FEB_12 = datetime.datetime(2026, 2, 12, 15, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def seeded():
    load_seed(SEED)
    load_storylines(SEED / "storylines.yaml")


def _outlet(name: str) -> Source:
    source, _ = Source.objects.get_or_create(
        feed_url=f"https://{name}.example/feed.xml", defaults={"title": name}
    )
    return source


def analysed(title: str, text: str, *, outlet: str = "wire", when=FEB_12, **fields):
    article = make_extracted_article(
        title, text, source=_outlet(outlet), published_at=when, **fields
    )
    assert services.analyze_article(article.id)
    return article


def departures_of(slug: str) -> list[Event]:
    return list(
        Event.objects.visible().filter(
            type="departure", participants__role="person", participants__entity__slug=slug
        )
    )


def test_it_turns_a_departure_into_a_dated_event_with_its_sentence():
    article = analysed(
        "Jimmy Ba leaves xAI",
        "Jimmy Ba, a co-founder of xAI, left the company on Tuesday, he said in a post.",
    )
    (event,) = departures_of("jimmy-ba")
    assert event.date == datetime.date(2026, 2, 10)
    assert event.date_precision == "day"
    assert event.summary == "Jimmy Ba left xAI"
    # The headline reports it too: each sentence that reports the event is evidence.
    sentences = {e.sentence: e for e in event.evidence.all()}
    evidence = next(e for s, e in sentences.items() if "left the company on Tuesday" in s)
    assert evidence.article == article
    assert evidence.found_by.startswith("departure@")


def test_the_same_departure_in_two_outlets_is_one_event_with_growing_confidence():
    analysed("Ba exits xAI", "Jimmy Ba has left xAI, the company confirmed.", outlet="one")
    (event,) = departures_of("jimmy-ba")
    single = event.confidence
    analysed(
        "Another founder goes",
        "xAI co-founder Jimmy Ba departed the startup on Tuesday.",
        outlet="two",
    )
    (event,) = departures_of("jimmy-ba")
    assert event.evidence.values("article").distinct().count() == 2
    assert event.confidence > single
    # The second report dated it: the day replaces the publication-day estimate.
    assert event.date == datetime.date(2026, 2, 10)
    assert not event.date_is_estimate


def test_a_wire_copy_in_a_second_outlet_is_not_a_second_source():
    story = StoryCluster.objects.create()
    text = "Jimmy Ba has left xAI, the company confirmed on Tuesday."
    analysed("Ba exits xAI", text, outlet="one", story=story)
    (event,) = departures_of("jimmy-ba")
    single = event.confidence
    analysed("Ba exits xAI", text, outlet="two", story=story)
    event.refresh_from_db()
    assert event.evidence.values("article").distinct().count() == 2
    assert event.confidence == single


def test_a_recap_corroborates_old_departures_at_their_own_dates():
    analysed(
        "Kosic leaves",
        "Kyle Kosic has left xAI to return to OpenAI.",
        when=datetime.datetime(2024, 4, 20, tzinfo=datetime.UTC),
    )
    analysed(
        "The founders who left xAI",
        "Kyle Kosic left xAI in April 2024 to rejoin OpenAI. "
        "Christian Szegedy departed in February 2025.",
        outlet="recap",
    )
    (kosic,) = departures_of("kyle-kosic")
    assert kosic.evidence.count() == 2
    assert (kosic.date.year, kosic.date.month) == (2024, 4)
    (szegedy,) = departures_of("christian-szegedy")
    assert (szegedy.date, szegedy.date_precision) == (datetime.date(2025, 2, 1), "month")


def test_a_departure_closes_the_persons_affiliation():
    analysed("Ba leaves", "Jimmy Ba left xAI on Tuesday.")
    ba = Person.objects.get(slug="jimmy-ba")
    stretch = Affiliation.objects.filter(person=ba, company__slug="xai").latest("id")
    assert stretch.end is not None


def test_reanalysis_duplicates_nothing():
    analysed("Ba leaves", "Jimmy Ba left xAI on Tuesday. Colossus now has 200,000 GPUs.")
    counts = (Event.objects.count(), Evidence.objects.count(), ClusterObservation.objects.count())
    services.reanalyze()
    services.reanalyze()
    assert (
        Event.objects.count(),
        Evidence.objects.count(),
        ClusterObservation.objects.count(),
    ) == counts


def test_reanalysis_of_an_unchanged_article_rewrites_no_event():
    article = analysed("Ba leaves", "Jimmy Ba left xAI on Tuesday.")
    (event,) = departures_of("jimmy-ba")

    services.analyze_article(article.id)

    (again,) = departures_of("jimmy-ba")
    assert (again.date, again.updated_at) == (event.date, event.updated_at)


def test_reanalysis_keeps_a_curators_decisions():
    analysed("Ba leaves", "Jimmy Ba left xAI on Tuesday.")
    (event,) = departures_of("jimmy-ba")
    evidence = event.evidence.count()
    Event.objects.filter(id=event.id).update(
        curated=True, date=datetime.date(2026, 2, 9), summary="Edited by a curator"
    )
    services.reanalyze()
    event.refresh_from_db()
    assert (event.date, event.summary) == (datetime.date(2026, 2, 9), "Edited by a curator")
    assert event.evidence.count() == evidence


def test_a_rejected_event_stays_rejected_and_is_not_created_again():
    analysed("Ba leaves", "Jimmy Ba left xAI on Tuesday.")
    (event,) = departures_of("jimmy-ba")
    Event.objects.filter(id=event.id).update(rejected=True)
    services.reanalyze()
    analysed("Ba leaves, again", "Jimmy Ba has left xAI.", outlet="other")
    assert departures_of("jimmy-ba") == []
    assert Event.objects.filter(type="departure").count() == 1


def test_a_rumour_is_rumoured_and_a_denial_never_confirmed():
    analysed("Ba weighs exit", "Jimmy Ba is said to be weighing an exit from xAI.")
    (event,) = departures_of("jimmy-ba")
    assert event.status == "rumoured"
    analysed(
        "Manuel Kroiss staying",
        "A spokesperson denied that Manuel Kroiss was leaving xAI.",
        outlet="other",
    )
    assert all(e.status != "confirmed" for e in departures_of("manuel-kroiss"))


def test_a_revised_gpu_count_is_a_new_milestone_and_a_new_observation():
    before = ClusterObservation.objects.count()
    analysed(
        "Colossus online",
        "xAI said its Colossus supercomputer in Memphis came online with 100,000 GPUs.",
        when=datetime.datetime(2024, 9, 3, tzinfo=datetime.UTC),
    )
    analysed(
        "Colossus doubles",
        "xAI's Colossus supercomputer in Memphis has grown to 200,000 GPUs.",
        when=datetime.datetime(2025, 2, 18, tzinfo=datetime.UTC),
        outlet="other",
    )
    milestones = Event.objects.filter(type="cluster_milestone").order_by("date")
    assert [m.quantities.get("gpus") for m in milestones] == [100_000, 200_000]
    assert ClusterObservation.objects.count() == before + 2


def test_the_seed_storyline_picks_up_a_new_departure():
    analysed("Ba leaves", "Jimmy Ba left xAI on Tuesday.")
    exodus = Storyline.objects.get(slug="xai-exodus")
    assert [e.summary for e in storyline_events(exodus)] == ["Jimmy Ba left xAI"]
    assert exodus.event_count == 1
    colossus = Storyline.objects.get(slug="colossus-build-out")
    assert not storyline_events(colossus).exists()


def test_an_article_without_text_is_not_analysed():
    article = make_extracted_article("Nothing yet", "", extracted_at=None)
    assert not services.analyze_article(article.id)


@pytest.mark.django_db(transaction=True)
def test_a_matcher_naming_a_deleted_entity_is_rebuilt_not_fatal():
    # The process built its matcher; a curator then deletes a person it knows. Within the few
    # seconds before the next fingerprint check, an article naming them must still be analysed.
    stale = services.current_matcher()
    Person.objects.get(slug="jimmy-ba").delete()

    article = analysed("Jimmy Ba leaves xAI", "Jimmy Ba, a co-founder of xAI, left on Tuesday.")

    assert services.current_matcher() is not stale
    article.refresh_from_db()
    assert article.analyzed_at is not None
    assert article.mentions.filter(entity__name="xAI").exists()
    assert not Event.objects.filter(type="departure").exists()
