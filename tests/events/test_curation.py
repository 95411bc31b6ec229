import pytest
from django.contrib.auth.models import User

from apps.events import services
from apps.events.models import Event, Evidence, StorylineEvent
from apps.events.services.curation import (
    CurationError,
    confirm_events,
    merge_events,
    reject_events,
    split_event,
)
from apps.events.services.storylines import refresh_storyline
from apps.events.vocabulary import EventType, Role, Status
from apps.sources.models import Article
from tests.entities.builders import (
    make_alias,
    make_article,
    make_company,
    make_event,
    make_evidence,
    make_extracted_article,
    make_person,
    make_storyline,
)

pytestmark = pytest.mark.django_db

Origin = StorylineEvent.Origin


def sentences(event: Event) -> list[tuple[int, int]]:
    return sorted(Evidence.objects.filter(event=event).values_list("article_id", "start"))


@pytest.fixture
def curator():
    return User.objects.create_user("curator", password="pw", is_staff=True)


@pytest.fixture
def lab():
    return make_company(name="Lab One")


def test_it_confirms_events_and_says_who_did(curator):
    event = make_event()

    assert confirm_events([event], user=curator) == 1

    event.refresh_from_db()
    assert event.curated and event.curated_by == curator and not event.rejected


def test_confirming_a_rejected_event_brings_it_back(curator):
    event = make_event(rejected=True)
    confirm_events(Event.objects.all(), user=curator)
    event.refresh_from_db()
    assert not event.rejected and event.curated


def test_it_leaves_merged_away_events_alone_when_confirming(curator):
    keep = make_event()
    gone = make_event(merged_into=keep)

    assert confirm_events([gone], user=curator) == 0

    gone.refresh_from_db()
    assert not gone.curated


def test_it_rejects_events_and_takes_them_out_of_storylines(curator, lab):
    event = make_event((lab, Role.FROM_COMPANY))
    storyline = make_storyline([{"types": ["departure"]}])
    refresh_storyline(storyline)
    assert storyline.entries.count() == 1

    assert reject_events([event], user=curator) == 1

    event.refresh_from_db()
    storyline.refresh_from_db()
    assert event.rejected and event.curated and event.curated_by == curator
    assert not storyline.entries.exists() and storyline.event_count == 0


def test_a_rejected_event_stays_rejected(curator, lab):
    rejected = make_event((lab, Role.FROM_COMPANY))
    other = make_event((lab, Role.FROM_COMPANY))
    reject_events([rejected], user=curator)
    storyline = make_storyline([{"entities": [lab.slug]}])

    refresh_storyline(storyline)
    confirm_events([other], user=curator)
    split_off = make_evidence(other)
    make_evidence(other)
    split_event(other, [split_off.pk], user=curator)

    rejected.refresh_from_db()
    assert rejected.rejected
    assert not storyline.entries.filter(event=rejected).exists()


def test_merge_moves_every_sentence_to_the_keeper_exactly_once(curator):
    shared = make_article()
    keep, first, second = make_event(), make_event(), make_event()
    make_evidence(keep, shared, start=0)
    make_evidence(first, shared, start=0)  # the same sentence, found for both events
    make_evidence(first, shared, start=200)
    make_evidence(second, start=5)
    every = {(e.article_id, e.start) for e in Evidence.objects.all()}

    report = merge_events(keep, [first, second, keep], user=curator)

    assert sentences(keep) == sorted(every)
    assert report.merged == 2 and report.evidence_moved == 2 and report.evidence_duplicates == 1
    assert "Merged 2 event(s)" in str(report)


def test_merge_takes_the_union_of_participants(curator, lab):
    person, other_lab = make_person(), make_company(name="Lab Two")
    keep = make_event((person, Role.PERSON), (lab, Role.FROM_COMPANY))
    other = make_event((person, Role.PERSON), (other_lab, Role.DESTINATION))

    report = merge_events(keep, [other], user=curator)

    roles = set(keep.participants.values_list("entity_id", "role"))
    assert roles == {
        (person.pk, Role.PERSON),
        (lab.pk, Role.FROM_COMPANY),
        (other_lab.pk, Role.DESTINATION),
    }
    assert report.participants_added == 1


def test_merge_hides_the_others_behind_the_keeper(curator):
    keep, other, older = make_event(confidence=0.3), make_event(), make_event()
    older.merged_into = other
    older.save()

    merge_events(keep, [other], user=curator)

    keep.refresh_from_db()
    other.refresh_from_db()
    older.refresh_from_db()
    assert other.merged_into == keep and other.curated and other.curated_by == curator
    assert older.merged_into == keep  # no chains to follow
    assert keep.curated and keep.confidence == 0.3  # the analysis recomputes it later
    assert list(Event.objects.visible()) == [keep]


def test_merge_keeps_pins_orders_and_notes_on_storylines(curator, lab):
    storyline = make_storyline([{"entities": [lab.slug]}])
    other_storyline = make_storyline([], title="Pinned only")
    keep = make_event((lab, Role.FROM_COMPANY))
    other = make_event((lab, Role.FROM_COMPANY))
    refresh_storyline(storyline)
    StorylineEvent.objects.filter(storyline=storyline, event=other).update(
        origin=Origin.PINNED, order=3, note="The second wave"
    )
    StorylineEvent.objects.create(storyline=other_storyline, event=other, origin=Origin.PINNED)

    merge_events(keep, [other], user=curator)

    entry = StorylineEvent.objects.get(storyline=storyline)
    assert (entry.event, entry.origin, entry.order, entry.note) == (
        keep,
        Origin.PINNED,
        3,
        "The second wave",
    )
    assert StorylineEvent.objects.get(storyline=other_storyline).event == keep
    storyline.refresh_from_db()
    assert storyline.event_count == 1


def test_the_keepers_own_storyline_decision_wins(curator, lab):
    storyline = make_storyline([{"entities": [lab.slug]}])
    keep = make_event((lab, Role.FROM_COMPANY))
    other = make_event((lab, Role.FROM_COMPANY))
    StorylineEvent.objects.create(storyline=storyline, event=keep, origin=Origin.EXCLUDED)
    StorylineEvent.objects.create(storyline=storyline, event=other, origin=Origin.PINNED, note="x")

    merge_events(keep, [other], user=curator)

    entry = StorylineEvent.objects.get(storyline=storyline)
    assert entry.origin == Origin.EXCLUDED and entry.note == "x"


@pytest.mark.parametrize("case", ["into_merged", "into_rejected", "alone", "already_merged"])
def test_merge_refuses_what_cannot_be_merged(curator, case):
    keep, other, third = make_event(), make_event(), make_event()
    others = [other]
    if case == "into_merged":
        Event.objects.filter(pk=keep.pk).update(merged_into=third)
    elif case == "into_rejected":
        Event.objects.filter(pk=keep.pk).update(rejected=True)
    elif case == "alone":
        others = [keep]
    else:
        Event.objects.filter(pk=other.pk).update(merged_into=third)
    make_evidence(other)

    with pytest.raises(CurationError):
        merge_events(keep, others, user=curator)

    assert Evidence.objects.get().event == other


def test_split_moves_the_chosen_sentences_to_a_copy(curator, lab):
    person = make_person()
    event = make_event(
        (person, Role.PERSON),
        (lab, Role.FROM_COMPANY),
        status=Status.RUMOURED,
        quantities={"usd": 1000},
        detail="to start a company",
    )
    stay, go, also = make_evidence(event), make_evidence(event), make_evidence(event)
    every = sorted(Evidence.objects.values_list("article_id", "start"))

    new = split_event(event, [go.pk, also.pk], user=curator)

    assert sentences(event) == [(stay.article_id, stay.start)]
    assert sorted(sentences(event) + sentences(new)) == every
    assert (new.type, new.date, new.status, new.quantities, new.detail, new.summary) == (
        event.type,
        event.date,
        Status.RUMOURED,
        {"usd": 1000},
        "to start a company",
        event.summary,
    )
    assert set(new.participants.values_list("entity_id", "role")) == set(
        event.participants.values_list("entity_id", "role")
    )
    event.refresh_from_db()
    assert event.curated and new.curated and new.curated_by == curator


@pytest.mark.parametrize("case", ["none", "all", "foreign"])
def test_split_refuses_an_empty_a_whole_or_a_foreign_choice(curator, case):
    event, other = make_event(), make_event()
    first, second = make_evidence(event), make_evidence(event)
    foreign = make_evidence(other)
    chosen = {"none": [], "all": [first.pk, second.pk], "foreign": [first.pk, foreign.pk]}[case]

    with pytest.raises(CurationError):
        split_event(event, chosen, user=curator)

    assert Event.objects.count() == 2 and sentences(event) == sorted(
        (e.article_id, e.start) for e in (first, second)
    )


def test_split_places_the_new_event_in_storylines(curator, lab):
    storyline = make_storyline([{"entities": [lab.slug]}])
    event = make_event((lab, Role.FROM_COMPANY))
    make_evidence(event)
    go = make_evidence(event)
    refresh_storyline(storyline)

    new = split_event(event, [go.pk], user=curator)

    assert set(storyline.entries.values_list("event_id", flat=True)) == {event.pk, new.pk}
    storyline.refresh_from_db()
    assert storyline.event_count == 2


# Re-running the analysis after a curator's decision: the decision stands.


@pytest.fixture
def analysed():
    person = make_person(name="Grace Hopper")
    lab = make_company(name="Lab One")
    make_alias(person, "Grace Hopper")
    make_alias(lab, "Lab One")

    def analyse(text: str) -> Article:
        article = make_extracted_article("A researcher moves on", text)
        assert services.analyze_article(article.id)
        return article

    return analyse


def departures() -> list[Event]:
    return list(Event.objects.visible().filter(type=EventType.DEPARTURE))


def test_reanalysis_does_not_bring_a_rejected_event_back(curator, analysed):
    article = analysed("Grace Hopper has left Lab One, the company said on Tuesday.")
    (event,) = departures()
    reject_events([event], user=curator)

    services.analyze_article(article.id)

    event.refresh_from_db()
    assert event.rejected and departures() == []


def test_reanalysis_adds_to_the_keeper_of_a_merge(curator, analysed):
    analysed("Grace Hopper has left Lab One, the company said on Tuesday.")
    later = analysed("Grace Hopper left Lab One in March 2024, she said.")
    keep, other = sorted(departures(), key=lambda event: event.pk)
    merge_events(keep, [other], user=curator)

    services.analyze_article(later.id)

    assert departures() == [keep] and keep.evidence.count() == 2
    other.refresh_from_db()
    assert other.merged_into == keep and not other.evidence.exists()
