"""One URL for every entity: each kind gets its own page (see test_company, test_person and
test_cluster for what each shows)."""

import pytest
from django.urls import reverse

from tests.entities.builders import make_alias, make_cluster, make_company, make_person

pytestmark = pytest.mark.django_db


def test_each_kind_of_entity_gets_its_own_page_at_the_same_url(client):
    pages = {
        make_company(name="Halcyon Labs"): 'id="people-title"',
        make_person(name="Ada Quill"): 'id="career-title"',
        make_cluster(name="Colossus"): 'id="growth-title"',
    }
    sections = set(pages.values())

    for entity, own in pages.items():
        url = reverse("dashboard:entity", args=[entity.slug])
        assert url == f"/entities/{entity.slug}/"
        body = client.get(url).content.decode()
        assert f"<h1>{entity.name}</h1>" in body and own in body
        assert not any(other in body for other in sections - {own})


def test_every_kind_shows_its_other_names(client):
    for entity in (make_company(name="A"), make_person(name="B"), make_cluster(name="C")):
        make_alias(entity, f"{entity.name} alias")
        body = client.get(f"/entities/{entity.slug}/").content.decode()
        assert f"Also known as: {entity.name} alias" in body


def test_an_unknown_entity_is_404(client):
    assert client.get("/entities/nobody/").status_code == 404


def test_every_kind_has_its_feeds_and_a_follow_form(client):
    for entity in (make_company(name="<b>A</b>"), make_person(name="B"), make_cluster(name="C")):
        body = client.get(f"/entities/{entity.slug}/").content.decode()
        assert f'href="/entities/{entity.slug}/feed.atom"' in body
        assert f'<input type="hidden" name="entity" value="{entity.slug}">' in body
        assert 'action="/digests/subscribe/"' in body
    assert (
        "Follow &lt;b&gt;A&lt;/b&gt; by email"
        in client.get(
            f"/entities/{make_company(name='<b>A</b>', slug='a-b').slug}/"
        ).content.decode()
    )
