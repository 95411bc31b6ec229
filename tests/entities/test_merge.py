from datetime import date

import pytest
from django.contrib.auth.models import User

from apps.entities.models import (
    Affiliation,
    Alias,
    ClusterObservation,
    Company,
    ComputeCluster,
    Entity,
    Person,
)
from apps.entities.services.merge import (
    MergeError,
    SameEntity,
    TypeMismatch,
    merge_entities,
    merge_preview,
)
from apps.events.models import Mention
from tests.entities.builders import (
    make_affiliation,
    make_alias,
    make_article,
    make_cluster,
    make_company,
    make_mention,
    make_observation,
    make_person,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def xai():
    company = make_company(name="xAI", kind=Company.Kind.AI_LAB)
    make_alias(company, "xAI")
    return company


@pytest.fixture
def x_ai():
    company = make_company(
        name="X.AI Corp",
        website="https://x.ai",
        founded=date(2023, 3, 1),
        founded_precision="month",
        description="Musk's AI lab.",
    )
    make_alias(company, "X.AI")
    return company


def test_it_moves_every_row_that_points_at_the_loser(xai, x_ai):
    person, other = make_person(name="Igor Babuschkin"), make_company(name="SpaceX")
    cluster = make_cluster(name="Colossus", owner=x_ai)
    subsidiary = make_company(name="X Holdings", parent=x_ai, successor=x_ai)
    career = make_affiliation(person, x_ai, is_cofounder=True)
    departure = make_affiliation(person, other, destination=x_ai)
    mention = make_mention(make_article(), x_ai)

    report = merge_entities(xai, x_ai)

    assert not Entity.objects.filter(pk=x_ai.pk).exists()
    assert Affiliation.objects.get(pk=career.pk).company_id == xai.pk
    assert Affiliation.objects.get(pk=departure.pk).destination_id == xai.pk
    assert ComputeCluster.objects.get(pk=cluster.pk).owner_id == xai.pk
    subsidiary.refresh_from_db()
    assert subsidiary.parent_id == xai.pk and subsidiary.successor_id == xai.pk
    assert Mention.objects.get(pk=mention.pk).entity_id == xai.pk
    assert set(xai.aliases.values_list("text", flat=True)) == {"xAI", "X.AI", "X.AI Corp"}
    assert report.moved["mentions (entity)"] == 1 and report.moved["companies (parent)"] == 1
    assert report.alias_added


def test_it_moves_a_persons_career_and_mentions(xai):
    igor, igor_b = make_person(name="Igor Babuschkin"), make_person(name="Igor B.")
    make_affiliation(igor_b, xai, title="Co-founder")
    make_mention(make_article(), igor_b)

    merge_entities(igor, igor_b)

    assert list(igor.affiliations.values_list("title", flat=True)) == ["Co-founder"]
    assert Mention.objects.get().entity_id == igor.pk
    assert not Person.objects.filter(pk=igor_b.pk).exists()


def test_it_moves_a_clusters_observations():
    colossus, memphis = make_cluster(name="Colossus"), make_cluster(name="Memphis Supercluster")
    make_observation(colossus, as_of=date(2024, 9, 1), gpus=100_000)
    make_observation(memphis, as_of=date(2025, 2, 1), gpus=200_000)

    merge_entities(colossus, memphis)

    series = ClusterObservation.objects.filter(cluster=colossus).order_by("as_of")
    assert list(series.values_list("gpus", flat=True)) == [100_000, 200_000]


def test_it_keeps_the_survivors_row_when_both_have_the_same_one(xai, x_ai):
    make_alias(x_ai, "xAI", case_sensitive=True)
    article = make_article()
    kept = make_mention(article, xai, start=10, salience=0.9)
    make_mention(article, x_ai, start=10, salience=0.1)
    moved = make_mention(article, x_ai, start=40)

    report = merge_entities(xai, x_ai)

    aliases = Alias.objects.filter(entity=xai, text="xAI")
    assert aliases.count() == 1 and not aliases.get().case_sensitive
    assert set(Mention.objects.values_list("pk", flat=True)) == {kept.pk, moved.pk}
    assert Mention.objects.get(pk=kept.pk).salience == 0.9
    assert report.dropped == {"aliases (entity)": 1, "mentions (entity)": 1}


def test_it_does_not_duplicate_the_losers_name_when_already_an_alias(xai, x_ai):
    make_alias(xai, "X.AI Corp")

    report = merge_entities(xai, x_ai)

    assert not report.alias_added
    assert xai.aliases.filter(text="X.AI Corp").count() == 1


def test_it_fills_the_survivors_empty_fields_from_the_loser(xai, x_ai):
    xai.description = "Frontier lab."
    xai.save()

    report = merge_entities(xai, x_ai)

    xai.refresh_from_db()
    assert xai.website == "https://x.ai" and xai.description == "Frontier lab."
    assert xai.founded == date(2023, 3, 1) and xai.founded_precision == "month"
    assert xai.kind == Company.Kind.AI_LAB and xai.name == "xAI"
    assert sorted(report.filled) == ["founded", "website"]


def test_it_unlinks_the_survivor_from_the_loser_it_absorbs(xai, x_ai):
    xai.parent = x_ai
    xai.save()
    x_ai.successor = xai
    x_ai.save()

    merge_entities(xai, x_ai)

    xai.refresh_from_db()
    assert xai.parent is None and xai.successor is None


def test_it_refuses_entities_of_different_types(xai):
    person = make_person(name="xAI")
    with pytest.raises(TypeMismatch):
        merge_entities(xai, person)
    with pytest.raises(MergeError):
        merge_entities(Entity.objects.get(pk=person.pk), xai)
    assert Person.objects.filter(pk=person.pk).exists()


def test_it_refuses_to_merge_an_entity_with_itself(xai):
    with pytest.raises(SameEntity):
        merge_entities(xai, Entity.objects.get(pk=xai.pk))
    assert Company.objects.filter(pk=xai.pk).exists()


def test_it_accepts_base_entity_rows(xai, x_ai):
    merge_entities(Entity.objects.get(pk=xai.pk), Entity.objects.get(pk=x_ai.pk))
    assert list(Company.objects.values_list("name", flat=True)) == ["xAI"]


def test_it_touches_nothing_else(xai, x_ai):
    bystander, person = make_company(name="Anthropic"), make_person(name="Dario Amodei")
    make_alias(bystander, "X.AI")
    affiliation = make_affiliation(person, bystander)
    make_mention(make_article(), bystander)
    curator = User.objects.create_user("curator")
    rejected = make_mention(make_article(), bystander, status="rejected", rejected_by=curator)

    merge_entities(xai, x_ai)

    assert list(bystander.aliases.values_list("text", flat=True)) == ["X.AI"]
    assert Affiliation.objects.get(pk=affiliation.pk).company_id == bystander.pk
    assert Mention.objects.filter(entity=bystander).count() == 2
    assert Mention.objects.get(pk=rejected.pk).rejected_by == curator
    assert Company.objects.count() == 2 and Person.objects.count() == 1


def test_it_bumps_alias_timestamps_so_the_linker_rebuilds(xai, x_ai):
    before = Alias.objects.get(entity=xai).updated_at

    merge_entities(xai, x_ai)

    assert all(alias.updated_at > before for alias in Alias.objects.filter(entity=xai))


def test_it_rolls_everything_back_when_a_step_fails(xai, x_ai, monkeypatch):
    make_mention(make_article(), x_ai)
    monkeypatch.setattr(Company, "delete", lambda self: 1 / 0)

    with pytest.raises(ZeroDivisionError):
        merge_entities(xai, x_ai)

    assert Mention.objects.get().entity_id == x_ai.pk
    assert list(x_ai.aliases.values_list("text", flat=True)) == ["X.AI"]


def test_the_preview_counts_what_will_move(xai, x_ai):
    make_mention(make_article(), x_ai)
    make_mention(make_article(), x_ai)
    make_company(name="X Holdings", parent=x_ai)

    assert merge_preview(xai, x_ai) == {
        "aliases (entity)": 1,
        "mentions (entity)": 2,
        "companies (parent)": 1,
    }
