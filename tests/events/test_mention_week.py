"""The weekly mention counters: right after linking, relinking, a curator's reject and undo, an
entity merge and an article's deletion, and the same as a rebuild from the mentions."""

import datetime

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from apps.entities.models import Alias, Company, Person
from apps.entities.services.merge import merge_entities
from apps.events import services
from apps.events.models import Mention, MentionWeek
from apps.events.services import curation
from apps.events.services.mention_weeks import recount, week_of
from apps.sources.models import Article
from tests.entities.builders import make_extracted_article, make_mention

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
D = datetime.date
# A Wednesday; its week starts on Monday 3 March 2025.
WEDNESDAY = datetime.datetime(2025, 3, 5, 12, 0, tzinfo=UTC)
WEEK = D(2025, 3, 3)


@pytest.fixture
def cast():
    lab = Company.objects.create(name="Halcyon Labs", slug="halcyon")
    Alias.objects.create(entity=lab, text="Halcyon Labs")
    rival = Company.objects.create(name="Meridian AI", slug="meridian")
    Alias.objects.create(entity=rival, text="Meridian AI")
    ada = Person.objects.create(name="Ada Quill", slug="ada-quill")
    Alias.objects.create(entity=ada, text="Ada Quill")
    return {"lab": lab, "rival": rival, "ada": ada}


@pytest.fixture
def curator(client):
    user = User.objects.create_user("curator", is_staff=True)  # force_login: no password hashing
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="events"))
    client.force_login(user)
    return user


def counters() -> dict[tuple[str, D], int]:
    rows = MentionWeek.objects.values_list("entity__slug", "week", "articles")
    return {(slug, week): articles for slug, week, articles in rows}


def linked(text: str, *, at: datetime.datetime = WEDNESDAY, title: str = "News") -> Article:
    article = make_extracted_article(title, text, published_at=at)
    services.analyze_article(article.id)
    return article


def relink(article: Article, text: str) -> None:
    Article.objects.filter(id=article.id).update(text=text)
    services.current_matcher(rebuild=True)
    services.analyze_article(article.id)


def test_it_counts_each_article_once_per_entity_in_its_week(cast):
    linked("Halcyon Labs hired Ada Quill. Halcyon Labs said so twice. Halcyon Labs!")
    linked("Halcyon Labs grew.", at=WEDNESDAY + datetime.timedelta(days=4))  # Sunday, same week
    linked("Halcyon Labs grew again.", at=WEDNESDAY + datetime.timedelta(days=5))  # next Monday

    assert counters() == {
        ("halcyon", WEEK): 2,
        ("halcyon", D(2025, 3, 10)): 1,
        ("ada-quill", WEEK): 1,
    }


def test_the_week_is_the_utc_one():
    # Monday 00:30 in UTC+2 is still Sunday in UTC: the week before.
    plus_two = datetime.timezone(datetime.timedelta(hours=2))
    assert week_of(datetime.datetime(2025, 3, 10, 0, 30, tzinfo=plus_two)) == WEEK
    assert week_of(datetime.datetime(2025, 3, 9, 23, 59, tzinfo=UTC)) == WEEK
    assert week_of(datetime.datetime(2025, 3, 10, 0, 0, tzinfo=UTC)) == D(2025, 3, 10)


def test_relinking_the_same_article_changes_nothing(cast):
    article = linked("Halcyon Labs hired Ada Quill.")
    before = counters()

    services.analyze_article(article.id)
    services.analyze_article(article.id)

    assert counters() == before == {("halcyon", WEEK): 1, ("ada-quill", WEEK): 1}


def test_relinking_takes_out_what_the_article_no_longer_names(cast):
    article = linked("Halcyon Labs hired Ada Quill.")
    linked("Ada Quill spoke.")

    relink(article, "Meridian AI hired Ada Quill.")

    assert counters() == {("meridian", WEEK): 1, ("ada-quill", WEEK): 2}
    assert not MentionWeek.objects.filter(entity=cast["lab"]).exists()  # no zero rows left


def test_a_rejected_mention_uncounts_the_article_only_when_it_was_the_last(client, curator, cast):
    article = linked("Halcyon Labs hired Ada Quill. Later Halcyon Labs grew.")
    first, second = Mention.objects.filter(article=article, entity=cast["lab"]).order_by("start")

    _act(client, "reject", first)
    assert counters()[("halcyon", WEEK)] == 1  # still named by the other mention

    _act(client, "reject", second)
    assert ("halcyon", WEEK) not in counters()

    _act(client, "undo_rejection", first, second)
    assert counters()[("halcyon", WEEK)] == 1


def test_a_relink_keeps_a_rejection_and_its_count(cast, curator):
    article = linked("Halcyon Labs hired Ada Quill.")
    curation.reject_mentions(Mention.objects.filter(entity=cast["lab"]), user=curator)

    services.analyze_article(article.id)

    assert counters() == {("ada-quill", WEEK): 1}


def test_rejecting_many_mentions_across_articles_at_once(cast, curator):
    for _ in range(3):
        linked("Halcyon Labs hired Ada Quill.")
    linked("Halcyon Labs grew.", at=WEDNESDAY + datetime.timedelta(weeks=1))

    curation.reject_mentions(Mention.objects.filter(entity=cast["lab"]), user=curator)
    assert counters() == {("ada-quill", WEEK): 3}

    curation.restore_mentions(Mention.objects.all())
    assert counters() == {
        ("halcyon", WEEK): 3,
        ("halcyon", D(2025, 3, 10)): 1,
        ("ada-quill", WEEK): 3,
    }


def test_a_merge_counts_an_article_naming_both_once(cast):
    both = linked("Halcyon Labs and Meridian AI agreed.")
    linked("Meridian AI alone.")
    linked("Meridian AI, the week after.", at=WEDNESDAY + datetime.timedelta(weeks=1))
    assert counters()[("halcyon", WEEK)] == 1 and counters()[("meridian", WEEK)] == 2

    merge_entities(cast["lab"], cast["rival"])

    assert counters() == {("halcyon", WEEK): 2, ("halcyon", D(2025, 3, 10)): 1}
    assert Mention.objects.filter(article=both, entity=cast["lab"]).count() == 2
    _assert_recount_agrees()


def test_deleting_an_article_takes_it_out(cast):
    kept = linked("Halcyon Labs hired Ada Quill.")
    gone = linked("Halcyon Labs grew.")

    gone.delete()

    assert counters() == {("halcyon", WEEK): 1, ("ada-quill", WEEK): 1}
    kept.source.delete()  # a whole feed, with its articles
    assert counters() == {}


def test_recount_agrees_with_the_live_counters_on_a_mixed_history(cast, curator):
    articles = [
        linked(text, at=WEDNESDAY + datetime.timedelta(days=days))
        for text, days in [
            ("Halcyon Labs hired Ada Quill.", 0),
            ("Meridian AI and Halcyon Labs agreed. Halcyon Labs said.", 1),
            ("Ada Quill left Meridian AI.", 6),
            ("Meridian AI grew.", 13),
            ("Nobody known here.", 20),
            ("Ada Quill, Halcyon Labs, Meridian AI.", -30),
            ("Halcyon Labs alone.", 2),  # the week both have articles the other has not
        ]
    ]
    relink(articles[0], "Meridian AI hired Ada Quill.")
    relink(articles[4], "Halcyon Labs arrives.")
    curation.reject_mentions(
        Mention.objects.filter(article=articles[1], entity=cast["lab"])[:1], user=curator
    )
    curation.reject_mentions(Mention.objects.filter(article=articles[2]), user=curator)
    curation.restore_mentions(Mention.objects.filter(article=articles[2], entity=cast["ada"]))
    articles[3].delete()
    merge_entities(cast["rival"], cast["lab"])

    live = counters()
    assert live[("meridian", WEEK)] == 3  # articles 0, 1 and the last: 1 names both
    _assert_recount_agrees()


def test_the_command_counts_mentions_a_bulk_load_wrote_directly(cast):
    article = make_extracted_article("Raw", "Raw.", published_at=WEDNESDAY)
    # A loader's raw INSERT leaves the mention's copy of the date empty (its db_default).
    make_mention(article, cast["lab"], published_at=None)
    make_mention(article, cast["lab"], start=10, published_at=None)
    make_mention(article, cast["ada"], status=Mention.Status.REJECTED, published_at=None)
    assert counters() == {}

    call_command("recount_mentions", stdout=_Sink())

    assert counters() == {("halcyon", WEEK): 1}
    assert set(Mention.objects.values_list("published_at", flat=True)) == {WEDNESDAY}


def test_a_raw_insert_may_leave_the_new_column_out(cast):
    article = make_extracted_article("Raw", "Raw.", published_at=WEDNESDAY)
    with connection.cursor() as cursor:
        cursor.execute(
            'INSERT INTO events_mention (article_id, entity_id, start, "end", surface, sentence,'
            " in_title, salience, is_about, status, created_at)"
            " VALUES (%s, %s, 0, 7, 'Halcyon', 'Halcyon.', %s, 0.5, %s, 'linked', %s)",
            [article.id, cast["lab"].id, False, True, WEDNESDAY],
        )
    assert Mention.objects.get().published_at is None

    recount()

    assert counters() == {("halcyon", WEEK): 1}


def _act(client, action: str, *mentions: Mention) -> None:
    data = {"action": action, "_selected_action": [m.pk for m in mentions]}
    response = client.post(reverse("admin:events_mention_changelist"), data)
    assert response.status_code == 302


def _assert_recount_agrees() -> None:
    live = counters()
    recount()
    assert counters() == live


class _Sink:
    def write(self, text: str) -> None:
        pass
