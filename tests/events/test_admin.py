import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse
from django.utils import timezone

from apps.entities.models import Alias, Company, Person
from apps.events import services
from apps.events.models import Mention, UnknownName
from apps.events.services import matcher
from tests.entities.builders import (
    XAI_STORY,
    make_alias,
    make_article,
    make_company,
    make_extracted_article,
    make_mention,
    make_person,
)

pytestmark = pytest.mark.django_db

PAGES = ["mention", "unknownname"]
ENTITY_PERMS = ["add_company", "add_person"]


@pytest.fixture
def curator(client):
    user = User.objects.create_user("curator", password="pw", is_staff=True)
    perms = Permission.objects.filter(content_type__app_label="events")
    user.user_permissions.set(perms | Permission.objects.filter(codename__in=ENTITY_PERMS))
    client.force_login(user)
    return user


@pytest.fixture
def mention():
    return make_mention(make_article(), make_company(name="xAI"), surface="xAI")


def make_unknown(text: str, **overrides) -> UnknownName:
    fields = {"text": text, "article_count": 3, "last_seen_at": timezone.now()}
    return UnknownName.objects.create(**(fields | overrides))


def act(client, page: str, action: str, *rows, follow=False):
    data = {"action": action, "_selected_action": [row.pk for row in rows]}
    return client.post(reverse(f"admin:events_{page}_changelist"), data, follow=follow)


@pytest.mark.parametrize("page", PAGES)
def test_it_refuses_anonymous_visitors(client, page):
    response = client.get(reverse(f"admin:events_{page}_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("page", PAGES)
def test_it_refuses_staff_without_permission(client, page):
    client.force_login(User.objects.create_user("intern", password="pw", is_staff=True))
    assert client.get(reverse(f"admin:events_{page}_changelist")).status_code == 403


def test_it_shows_mentions_with_their_sentence(client, curator, mention):
    response = client.get(reverse("admin:events_mention_changelist"))
    assert response.status_code == 200 and b"xAI said on Monday" in response.content

    page = client.get(reverse("admin:events_mention_change", args=[mention.pk]))

    assert page.status_code == 200 and b'name="surface"' not in page.content  # read-only


def test_it_filters_mentions_by_entity_type_status_and_about(client, curator, mention):
    person = make_mention(make_article(), make_person(name="Igor"), is_about=True)
    url = reverse("admin:events_mention_changelist")

    def listed(**params):
        return list(client.get(url, params).context["cl"].result_list)

    assert listed(entity__type="person") == [person]
    assert listed(is_about__exact="0") == [mention]
    assert listed(status__exact="rejected") == []


def test_it_searches_mentions_by_surface_and_entity_name(client, curator, mention):
    make_mention(make_article(), make_person(name="Igor Babuschkin"), surface="Babuschkin")
    url = reverse("admin:events_mention_changelist")

    assert list(client.get(url, {"q": "xai"}).context["cl"].result_list) == [mention]
    found = client.get(url, {"q": "Igor"}).context["cl"].result_list
    assert [row.surface for row in found] == ["Babuschkin"]


def test_reject_marks_the_mention_and_who_rejected_it(client, curator, mention):
    act(client, "mention", "reject", mention)

    mention.refresh_from_db()
    assert mention.status == Mention.Status.REJECTED and mention.rejected_by == curator


def test_undo_rejection_links_the_mention_again(client, curator, mention):
    Mention.objects.update(status=Mention.Status.REJECTED, rejected_by=curator)

    act(client, "mention", "undo_rejection", mention)

    mention.refresh_from_db()
    assert mention.status == Mention.Status.LINKED and mention.rejected_by is None


def test_mentions_cannot_be_added_by_hand(client, curator):
    assert client.get(reverse("admin:events_mention_add")).status_code == 403


def test_the_unknown_names_list_hides_dismissed_names_by_default(client, curator):
    make_unknown("Macrohard", article_count=9)
    make_unknown("Monday", dismissed=True)
    url = reverse("admin:events_unknownname_changelist")

    def listed(**params):
        return [row.text for row in client.get(url, params).context["cl"].result_list]

    assert listed() == ["Macrohard"]
    assert listed(status="dismissed") == ["Monday"]
    assert sorted(listed(status="all")) == ["Macrohard", "Monday"]


def test_an_unknown_name_page_works(client, curator):
    name = make_unknown("Macrohard")
    url = reverse("admin:events_unknownname_change", args=[name.pk])
    assert client.get(url).status_code == 200


def test_dismiss_takes_names_off_the_list(client, curator):
    name = make_unknown("Monday")
    act(client, "unknownname", "dismiss", name)
    name.refresh_from_db()
    assert name.dismissed


def test_create_company_turns_the_name_into_a_company_with_an_alias(client, curator):
    name = make_unknown("Macrohard")
    make_company(name="Other", slug="macrohard")

    act(client, "unknownname", "create_company", name)

    company = Company.objects.get(name="Macrohard")
    assert company.slug == "macrohard-2" and company.curated_at is not None
    assert list(company.aliases.values_list("text", flat=True)) == ["Macrohard"]
    assert not UnknownName.objects.exists()


def test_create_person_turns_the_name_into_a_person(client, curator):
    act(client, "unknownname", "create_person", make_unknown("Greg Yang"))

    person = Person.objects.get(name="Greg Yang")
    assert person.slug == "greg-yang"
    assert Alias.objects.get(entity=person).text == "Greg Yang"


def test_create_skips_names_that_are_already_known(client, curator):
    make_alias(make_company(name="xAI"), "X.AI")
    name = make_unknown("x.ai")

    response = act(client, "unknownname", "create_company", name, follow=True)

    assert Company.objects.count() == 1 and UnknownName.objects.filter(pk=name.pk).exists()
    assert b"Already an entity or alias" in response.content


def test_create_needs_permission_to_add_that_kind_of_entity(client, curator):
    curator.user_permissions.remove(Permission.objects.get(codename="add_person"))

    act(client, "unknownname", "create_person", make_unknown("Greg Yang"))

    assert not Person.objects.exists()


def test_the_article_page_shows_its_linked_entities(client):
    matcher._cached = None
    lab = Company.objects.create(name="xAI", slug="xai")
    Alias.objects.create(entity=lab, text="xAI")
    article = make_extracted_article("Jimmy Ba leaves xAI", XAI_STORY)
    services.link_article(article.id)
    client.force_login(User.objects.create_superuser("boss", password="pw"))

    listing = client.get(reverse("admin:sources_article_changelist"))
    page = client.get(reverse("admin:sources_article_change", args=[article.id]))

    assert listing.status_code == 200 and b'<td class="field-entities">xAI</td>' in listing.content
    assert page.status_code == 200 and b"xAI&#x27;s Colossus cluster" in page.content


def test_a_curator_adds_an_alias_and_relinks_from_the_admin(client):
    matcher._cached = None
    article = make_extracted_article("Jimmy Ba leaves xAI", XAI_STORY)
    services.link_article(article.id)
    assert not Mention.objects.exists()
    lab = Company.objects.create(name="xAI", slug="xai")
    Alias.objects.create(entity=lab, text="xAI")
    client.force_login(User.objects.create_superuser("boss", password="pw"))

    client.post(
        reverse("admin:sources_article_changelist"),
        {"action": "relink", "_selected_action": [article.id]},
    )

    assert Mention.objects.filter(article=article, entity=lab).count() == 3
