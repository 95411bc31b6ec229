from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from apps.entities.models import Affiliation, Alias, Company, Entity, Person
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

MODELS = ["company", "person", "computecluster", "entity"]


@pytest.fixture
def curator(client):
    user = User.objects.create_user("curator", password="pw", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="entities"))
    client.force_login(user)
    return user


@pytest.fixture
def xai():
    company = make_company(name="xAI", kind=Company.Kind.AI_LAB)
    make_alias(company, "xAI")
    make_alias(company, "Grok maker")
    make_alias(company, "Grok's maker")
    return company


class _FormFields(HTMLParser):
    """The fields of the admin's change form, as a browser would submit them untouched."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, str] = {}
        self.in_form = False
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attr = {key: value or "" for key, value in attrs}
        name = attr.get("name", "")
        if tag == "form":
            self.in_form = attr.get("id", "").endswith("_form")
        elif not self.in_form or "__prefix__" in name:
            return
        elif tag == "input" and attr.get("type") not in ("submit", "button", "file"):
            if attr.get("type") not in ("checkbox", "radio") or "checked" in attr:
                self.data[name] = attr.get("value", "")
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select:
            if "selected" in attr or self.select not in self.data:
                self.data[self.select] = attr.get("value", "")
        elif tag == "textarea":
            self.textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea] += data.lstrip("\n") if not self.data[self.textarea] else data


def change_form(client, url: str) -> dict[str, str]:
    parser = _FormFields()
    parser.feed(client.get(url).content.decode())
    return parser.data


def merge(client, model: str, *entities, follow=False, **extra):
    url = reverse(f"admin:entities_{model}_changelist")
    data = {"action": "merge", "_selected_action": [entity.pk for entity in entities]}
    return client.post(url, data | extra, follow=follow)


@pytest.mark.parametrize("model", MODELS)
def test_it_refuses_anonymous_visitors(client, model):
    response = client.get(reverse(f"admin:entities_{model}_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("model", MODELS)
def test_it_refuses_staff_without_permission(client, model):
    client.force_login(User.objects.create_user("intern", password="pw", is_staff=True))
    assert client.get(reverse(f"admin:entities_{model}_changelist")).status_code == 403


def test_it_shows_every_list_and_page_to_a_curator(client, curator, xai):
    person, cluster = make_person(), make_cluster(owner=xai)
    make_affiliation(person, xai, destination=make_company(name="SpaceX", parent=xai))
    make_observation(cluster)
    for model in MODELS:
        assert client.get(reverse(f"admin:entities_{model}_changelist")).status_code == 200
        if model != "entity":
            assert client.get(reverse(f"admin:entities_{model}_add")).status_code == 200
    for entity in (xai, person, cluster):
        url = reverse(f"admin:entities_{entity._meta.model_name}_change", args=[entity.pk])
        assert client.get(url).status_code == 200


def test_a_company_page_shows_its_people_subsidiaries_and_clusters(client, curator, xai):
    make_affiliation(make_person(name="Igor Babuschkin"), xai, title="Co-founder")
    make_company(name="X Holdings", parent=xai)
    make_cluster(name="Colossus", owner=xai)

    response = client.get(reverse("admin:entities_company_change", args=[xai.pk]))

    for text in (b"Igor Babuschkin", b"X Holdings", b"Colossus", b"Grok maker"):
        assert text in response.content


def test_a_cluster_page_lists_its_observations_in_order(client, curator):
    cluster = make_cluster()
    make_observation(cluster, as_of="2025-06-01", note="second")
    make_observation(cluster, as_of="2024-09-01", note="first")

    content = client.get(reverse("admin:entities_computecluster_change", args=[cluster.pk]))

    assert content.content.index(b"first") < content.content.index(b"second")


def test_the_entity_page_leads_to_the_kinds_own_page(client, curator):
    person = make_person()
    response = client.get(reverse("admin:entities_entity_change", args=[person.pk]))
    assert response["Location"] == reverse("admin:entities_person_change", args=[person.pk])


@pytest.mark.parametrize("model", ["company", "entity"])
def test_it_finds_an_entity_by_any_alias_once(client, curator, xai, model):
    make_company(name="Anthropic")
    response = client.get(reverse(f"admin:entities_{model}_changelist"), {"q": "grok"})
    assert [entity.name for entity in response.context["cl"].result_list] == ["xAI"]


def test_autocomplete_finds_an_entity_by_alias(client, curator, xai):
    params = {"app_label": "entities", "model_name": "company", "field_name": "parent"}
    response = client.get(reverse("admin:autocomplete"), params | {"term": "Grok"})
    assert [row["text"] for row in response.json()["results"]] == ["xAI"]


def test_saving_an_entity_marks_it_curated(client, curator, xai):
    make_company(name="X Holdings", parent=xai)
    make_cluster(owner=xai)
    roster = make_affiliation(make_person(), xai)
    url = reverse("admin:entities_company_change", args=[xai.pk])
    data = change_form(client, url) | {"description": "Frontier lab."}

    response = client.post(url, data)

    assert response.status_code == 302
    xai.refresh_from_db()
    assert xai.description == "Frontier lab." and xai.curated_at is not None
    assert xai.subsidiaries.count() == 1 and xai.clusters.count() == 1
    assert Affiliation.objects.get(pk=roster.pk).curated_at is None  # edited on the person


def test_adding_an_entity_marks_it_curated_and_keeps_its_aliases(client, curator):
    url = reverse("admin:entities_person_add")
    data = change_form(client, url) | {"name": "Jimmy Ba", "slug": "jimmy-ba"}
    data |= {"aliases-0-text": "Ba", "aliases-0-needs_context": "on"}

    assert client.post(url, data).status_code == 302

    person = Person.objects.get(slug="jimmy-ba")
    assert person.curated_at is not None
    assert Alias.objects.get(entity=person).needs_context


def test_saving_a_career_marks_the_changed_affiliations_curated(client, curator, xai):
    person = make_person()
    changed = make_affiliation(person, xai, start="2023-03-01")
    untouched = make_affiliation(person, make_company(name="SpaceX"), start="2024-01-01")
    url = reverse("admin:entities_person_change", args=[person.pk])
    data = change_form(client, url)
    assert data["affiliations-0-id"] == str(changed.pk)  # the career, in order

    response = client.post(url, data | {"affiliations-0-title": "Co-founder"})

    assert response.status_code == 302
    changed.refresh_from_db()
    assert changed.title == "Co-founder" and changed.curated_at is not None
    assert Affiliation.objects.get(pk=untouched.pk).curated_at is None


def test_merge_shows_what_will_move_then_merges(client, curator, xai):
    x_ai = make_company(name="X.AI Corp")
    make_mention(make_article(), x_ai)
    make_mention(make_article(), x_ai)

    page = merge(client, "company", xai, x_ai)

    assert page.status_code == 200
    assert page.templates[0].name == "admin/entities/merge_confirm.html"
    assert b"Mentions (entity)</td><td>2" in page.content

    response = merge(client, "company", xai, x_ai, post="yes", survivor=xai.pk)

    assert response["Location"] == reverse("admin:entities_company_change", args=[xai.pk])
    assert not Entity.objects.filter(pk=x_ai.pk).exists()
    assert Mention.objects.filter(entity=xai).count() == 2
    assert xai.aliases.filter(text="X.AI Corp").exists()


def test_merge_lets_the_curator_pick_either_survivor(client, curator, xai):
    x_ai = make_company(name="X.AI Corp")
    merge(client, "entity", xai, x_ai, post="yes", survivor=x_ai.pk)
    assert list(Company.objects.values_list("name", flat=True)) == ["X.AI Corp"]


def test_merge_needs_exactly_two_of_the_same_type(client, curator, xai):
    person = make_person(name="xAI")
    one = merge(client, "company", xai, follow=True)
    assert b"Select exactly two" in one.content

    mixed = merge(client, "entity", xai, person, post="yes", survivor=xai.pk, follow=True)

    assert b"same type" in mixed.content
    assert Person.objects.filter(pk=person.pk).exists()


def test_merge_needs_change_and_delete_permission(client, xai):
    user = User.objects.create_user("editor", password="pw", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["view_company", "change_company"])
    )
    client.force_login(user)
    x_ai = make_company(name="X.AI Corp")

    merge(client, "company", xai, x_ai, post="yes", survivor=xai.pk)

    assert Company.objects.count() == 2
