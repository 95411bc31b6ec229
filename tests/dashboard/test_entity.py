"""An entity's page: who or what it is, its other names, its events."""

import pytest

from tests.entities.builders import make_alias, make_company, make_event, make_evidence, make_person

pytestmark = pytest.mark.django_db


def test_it_shows_the_entity_its_aliases_and_its_events(client):
    lab = make_company(name="Halcyon Labs", slug="halcyon")
    make_alias(lab, "Halcyon")
    ada = make_person(name="Ada Quill")
    event = make_event((ada, "person"), (lab, "from_company"), summary="Ada Quill left Halcyon")
    make_evidence(event, sentence="Ada Quill has left Halcyon Labs.")
    make_event((make_person(name="Someone Else"), "person"), summary="Unrelated")

    body = client.get("/entities/halcyon/").content.decode()

    assert "<h1>Halcyon Labs</h1>" in body
    assert "Also known as: Halcyon" in body
    assert "Ada Quill left Halcyon" in body and "Unrelated" not in body


def test_an_unknown_entity_is_404(client):
    assert client.get("/entities/nobody/").status_code == 404


def test_its_queries_are_fixed_whatever_the_events(client, django_assert_num_queries):
    lab = make_company(name="Halcyon Labs", slug="halcyon")
    for n in range(15):
        make_event((make_person(name=f"P{n}"), "person"), (lab, "from_company"))
    # Entity; aliases; events and their participants, evidence and storylines.
    with django_assert_num_queries(6):
        client.get("/entities/halcyon/")
