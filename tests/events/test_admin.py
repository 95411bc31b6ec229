from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.entities.models import Alias, Company, Person
from apps.events import services
from apps.events.models import (
    Event,
    Mention,
    Storyline,
    StorylineEvent,
    UnknownName,
)
from apps.events.services import matcher
from apps.events.vocabulary import EventType, Role, Status
from apps.sources.models import Article
from tests.entities.builders import (
    XAI_STORY,
    make_alias,
    make_article,
    make_company,
    make_event,
    make_evidence,
    make_extracted_article,
    make_mention,
    make_person,
)

pytestmark = pytest.mark.django_db

PAGES = ["mention", "unknownname", "event", "storyline"]
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
    services.analyze_article(article.id)
    client.force_login(User.objects.create_superuser("boss", password="pw"))

    listing = client.get(reverse("admin:sources_article_changelist"))
    page = client.get(reverse("admin:sources_article_change", args=[article.id]))

    assert listing.status_code == 200 and b'<td class="field-entities">xAI</td>' in listing.content
    assert page.status_code == 200 and b"xAI&#x27;s Colossus cluster" in page.content


def test_a_curator_adds_an_alias_and_relinks_from_the_admin(client):
    matcher._cached = None
    article = make_extracted_article("Jimmy Ba leaves xAI", XAI_STORY)
    services.analyze_article(article.id)
    assert not Mention.objects.exists()
    lab = Company.objects.create(name="xAI", slug="xai")
    Alias.objects.create(entity=lab, text="xAI")
    client.force_login(User.objects.create_superuser("boss", password="pw"))

    client.post(
        reverse("admin:sources_article_changelist"),
        {"action": "relink", "_selected_action": [article.id]},
    )

    assert Mention.objects.filter(article=article, entity=lab).count() == 3


# Events and storylines: the review queue, its actions, and the storyline editor.

HOSTILE = 'He <script>alert("x")</script> has left the lab.'


def queue(client, **params) -> list[Event]:
    return list(
        client.get(reverse("admin:events_event_changelist"), params).context["cl"].result_list
    )


def event_form(event: Event, **overrides: Any) -> dict[str, Any]:
    """The event's change form as a browser would post it, inlines untouched."""
    data = {
        "type": event.type,
        "status": event.status,
        "summary": event.summary,
        "detail": event.detail,
        "date": event.date.isoformat(),
        "date_precision": event.date_precision,
        "quantities": "{}",
    }
    participants = list(event.participants.all())
    evidence = list(event.evidence.all())
    data |= {"participants-TOTAL_FORMS": len(participants)}
    data |= {"participants-INITIAL_FORMS": len(participants)}
    for n, row in enumerate(participants):
        data |= {
            f"participants-{n}-id": row.pk,
            f"participants-{n}-event": event.pk,
            f"participants-{n}-entity": row.entity_id,
            f"participants-{n}-role": row.role,
        }
    data |= {"evidence-TOTAL_FORMS": len(evidence), "evidence-INITIAL_FORMS": len(evidence)}
    for n, row in enumerate(evidence):
        data |= {f"evidence-{n}-id": row.pk, f"evidence-{n}-event": event.pk}
    return data | overrides


def test_the_queue_puts_unconfirmed_and_least_sure_events_first(client, curator):
    sure = make_event(confidence=0.9)
    unsure = make_event(confidence=0.2)
    done = make_event(confidence=0.1, curated=True)
    make_event(merged_into=sure)

    assert queue(client) == [unsure, sure, done]
    assert len(queue(client, merged="all")) == 4


def test_the_queue_filters_what_needs_review(client, curator):
    unsure = make_event(confidence=0.3)
    rumour = make_event(confidence=0.9, status=Status.RUMOURED)
    make_event(confidence=0.9)
    make_event(confidence=0.3, curated=True)
    make_event(confidence=0.3, rejected=True)

    assert queue(client, review="yes") == [unsure, rumour]
    assert queue(client, status__exact="rumoured") == [rumour]


def test_the_queue_searches_summaries_and_participant_names(client, curator):
    person = make_person(name="Grace Hopper")
    found = make_event((person, Role.PERSON), (make_company(name="Lab One"), Role.FROM_COMPANY))
    make_event(summary="A chip order")

    assert queue(client, q="Hopper") == [found]
    assert [e.summary for e in queue(client, q="chip")] == ["A chip order"]


def test_the_queue_counts_evidence_in_a_bounded_number_of_queries(client, curator):
    def load() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("admin:events_event_changelist"))
        assert response.status_code == 200
        return len(queries)

    lab = make_company(name="Lab One")
    for _ in range(2):
        make_evidence(make_event((lab, Role.FROM_COMPANY)))
    few = load()
    for _ in range(8):
        event = make_event((lab, Role.FROM_COMPANY))
        make_evidence(event)
        make_evidence(event)
    response = client.get(reverse("admin:events_event_changelist"))

    assert load() == few
    assert b'<td class="field-evidence_count">2</td>' in response.content


def test_the_event_page_escapes_sentences_and_marks_the_trigger(client, curator):
    event = make_event()
    start = HOSTILE.index("has left")
    make_evidence(event, sentence=HOSTILE, trigger_start=start, trigger_end=start + 8)
    make_evidence(event, trigger_start=None, trigger_end=None)

    page = client.get(reverse("admin:events_event_change", args=[event.pk]))

    assert page.status_code == 200
    assert b"<script>alert" not in page.content
    assert b"He &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <mark>has left</mark>" in (
        page.content
    )
    assert b"news.example/feed.xml" in page.content  # the outlet
    assert reverse("admin:sources_article_change", args=[Article.objects.first().pk]).encode() in (
        page.content
    )


def test_saving_an_event_marks_it_curated(client, curator):
    event = make_event((make_person(), Role.PERSON))
    make_evidence(event)
    url = reverse("admin:events_event_change", args=[event.pk])

    response = client.post(url, event_form(event, summary="Edited by hand"))

    assert response.status_code == 302, response.context["errors"]
    event.refresh_from_db()
    assert event.curated and event.curated_by == curator and event.summary == "Edited by hand"
    assert event.evidence.count() == 1 and event.participants.count() == 1


def test_events_cannot_be_deleted_only_rejected(client, curator):
    event = make_event()
    assert client.get(reverse("admin:events_event_delete", args=[event.pk])).status_code == 403


def test_confirm_and_reject_actions(client, curator):
    good, bad = make_event(), make_event()

    act(client, "event", "confirm", good)
    act(client, "event", "reject", bad)

    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.curated and not good.rejected and good.curated_by == curator
    assert bad.rejected and bad.curated_by == curator


def test_actions_need_permission_to_change_events(client):
    user = User.objects.create_user("reader", password="pw", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename="view_event"))
    client.force_login(user)
    event = make_event()

    act(client, "event", "reject", event)

    event.refresh_from_db()
    assert not event.rejected


def test_merge_asks_which_event_to_keep_then_merges(client, curator):
    first = make_event((make_person(name="Grace Hopper"), Role.PERSON))
    second = make_event(date=date(2025, 2, 11))
    make_evidence(first)
    make_evidence(second)

    page = act(client, "event", "merge", first, second)
    assert page.templates[0].name == "admin/events/event/merge_confirm.html"
    assert b'name="keep"' in page.content and b"Grace Hopper (Person)" in page.content
    assert Event.objects.visible().count() == 2

    response = client.post(
        reverse("admin:events_event_changelist"),
        {
            "action": "merge",
            "_selected_action": [first.pk, second.pk],
            "post": "yes",
            "keep": second.pk,
        },
    )

    assert response["Location"] == reverse("admin:events_event_change", args=[second.pk])
    assert list(Event.objects.visible()) == [second] and second.evidence.count() == 2


def test_merge_needs_two_events(client, curator):
    response = act(client, "event", "merge", make_event(), follow=True)
    assert b"Select two or more events" in response.content


def split_url(event: Event) -> str:
    return reverse("admin:events_event_split", args=[event.pk])


def test_split_lists_the_evidence_then_moves_the_checked_ones(client, curator):
    event = make_event()
    stay = make_evidence(event, sentence=HOSTILE)
    go = make_evidence(event)
    change_page = client.get(reverse("admin:events_event_change", args=[event.pk]))
    assert split_url(event).encode() in change_page.content

    page = client.get(split_url(event))
    assert page.status_code == 200 and f'value="{go.pk}"'.encode() in page.content
    assert b"<script>alert" not in page.content

    response = client.post(split_url(event), {"evidence": [go.pk]})

    new = Event.objects.exclude(pk=event.pk).get()
    assert response["Location"] == reverse("admin:events_event_change", args=[new.pk])
    assert list(event.evidence.all()) == [stay] and list(new.evidence.all()) == [go]


def test_split_refuses_to_move_every_sentence(client, curator):
    event = make_event()
    evidence = [make_evidence(event), make_evidence(event)]

    response = client.post(split_url(event), {"evidence": [e.pk for e in evidence]}, follow=True)

    assert b"Leave at least one" in response.content and Event.objects.count() == 1


def test_split_refuses_who_may_not_change_events(client):
    event = make_event()
    go = make_evidence(event)
    make_evidence(event)

    assert "/admin/login/" in client.get(split_url(event))["Location"]
    client.force_login(User.objects.create_user("reader", password="pw"))
    assert "/admin/login/" in client.post(split_url(event), {"evidence": [go.pk]})["Location"]
    client.force_login(User.objects.create_user("intern", password="pw", is_staff=True))
    assert client.post(split_url(event), {"evidence": [go.pk]}).status_code == 403
    assert Event.objects.count() == 1


def test_split_needs_the_csrf_token(curator):
    event = make_event()
    go = make_evidence(event)
    make_evidence(event)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(curator)

    assert browser.post(split_url(event), {"evidence": [go.pk]}).status_code == 403
    assert Event.objects.count() == 1


def storyline_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Departures",
        "slug": "departures",
        "description": "",
        "rule": '[{"types": ["departure"]}]',
        "entries-TOTAL_FORMS": 0,
        "entries-INITIAL_FORMS": 0,
    }
    return data | overrides


def test_a_new_storyline_is_filled_by_its_rule(client, curator):
    departure = make_event()
    make_event(type=EventType.FUNDING)

    response = client.post(reverse("admin:events_storyline_add"), storyline_form())

    assert response.status_code == 302, response.context["errors"]
    storyline = Storyline.objects.get()
    assert list(storyline.entries.values_list("event_id", flat=True)) == [departure.pk]
    assert storyline.event_count == 1 and storyline.last_event_date == departure.date


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ('[{"types": ["promotion"]}]', "Clause 1: unknown types: promotion."),
        ('[{"entities": ["no-such-lab"]}]', "Clause 1 names unknown entities: no-such-lab."),
        ('{"types": ["departure"]}', "The rule must be a list of clauses."),
        ("[{", "Enter a valid JSON."),
    ],
)
def test_a_rule_that_cannot_be_read_is_refused_with_the_reason(client, curator, rule, message):
    response = client.post(reverse("admin:events_storyline_add"), storyline_form(rule=rule))

    assert response.status_code == 200 and message in response.content.decode()
    assert not Storyline.objects.exists()


def test_the_storyline_page_previews_the_rule_and_keeps_pins(client, curator):
    lab = make_company(name="Lab One")
    selected = make_event((lab, Role.FROM_COMPANY), summary="Leaves <b>the lab</b>")
    pinned = make_event(type=EventType.FUNDING, summary="A round")
    storyline = Storyline.objects.create(
        title="Lab One", slug="lab-one", rule=[{"entities": [lab.slug]}]
    )
    url = reverse("admin:events_storyline_change", args=[storyline.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert b"Leaves &lt;b&gt;the lab&lt;/b&gt;" in page.content and b"A round" not in page.content

    form = storyline_form(
        title="Lab One",
        slug="lab-one",
        rule=f'[{{"entities": ["{lab.slug}"]}}]',
        **{
            "entries-TOTAL_FORMS": 1,
            "entries-0-event": pinned.pk,
            "entries-0-origin": "pinned",
            "entries-0-order": "",
            "entries-0-note": "Money for the lab",
        },
    )
    response = client.post(url, form)

    assert response.status_code == 302, response.context["errors"]
    entries = dict(StorylineEvent.objects.values_list("event_id", "origin"))
    assert entries == {selected.pk: "rule", pinned.pk: "pinned"}
    storyline.refresh_from_db()
    assert storyline.event_count == 2


def test_pinning_autocompletes_only_visible_events(client, curator):
    shown = make_event(summary="Leaves the lab")
    make_event(summary="Leaves the lab again", rejected=True)
    make_event(summary="Leaves the lab, told twice", merged_into=shown)
    params = {
        "app_label": "events",
        "model_name": "storylineevent",
        "field_name": "event",
        "term": "leaves",
    }

    found = client.get(reverse("admin:autocomplete"), params).json()["results"]

    assert [row["id"] for row in found] == [str(shown.pk)]
