"""Curation of what the analysis found: wrong mentions are rejected, unknown names become
entities, events are reviewed (confirmed, rejected, merged, split), storylines are edited."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.text import Truncator, slugify

from apps.common.dates import format_partial_date
from apps.entities.models import Alias, Company, Entity, Person
from apps.events import services
from apps.events.models import (
    Event,
    EventParticipant,
    Evidence,
    Mention,
    Storyline,
    StorylineEvent,
    UnknownName,
)
from apps.events.services import curation
from apps.events.services.storylines import (
    clauses_of,
    place_events,
    refresh_storyline,
    rule_selection,
)
from apps.events.storylines import RuleError
from apps.events.vocabulary import Status
from apps.sources.admin import ArticleAdmin
from apps.sources.models import Article

# Below this confidence an unconfirmed event is in the "needs review" filter.
REVIEW_BELOW = 0.6
# A storyline page previews this many of the events its rule selects.
PREVIEW_SIZE = 100


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin):
    list_display = [
        "article",
        "entity",
        "surface",
        "excerpt",
        "salience",
        "is_about",
        "status",
    ]
    list_filter = ["status", "is_about", "entity__type"]
    search_fields = ["surface", "entity__name"]
    list_select_related = ["article", "entity"]
    actions = ["reject", "undo_rejection"]
    # The linker writes mentions; a curator only rejects them (and relinking respects that).
    readonly_fields = fields = (
        "article",
        "entity",
        "surface",
        "sentence",
        "start",
        "end",
        "in_title",
        "salience",
        "is_about",
        "status",
        "rejected_by",
        "created_at",
    )

    @admin.display(description="sentence")
    def excerpt(self, mention: Mention) -> str:
        return Truncator(mention.sentence).chars(120)

    @admin.action(description="Reject: this name here is not this entity", permissions=["change"])
    def reject(self, request: HttpRequest, queryset: QuerySet[Mention]) -> None:
        count = curation.reject_mentions(queryset, user=_curator(request))
        self.message_user(request, f"Rejected {count} mentions.", messages.SUCCESS)

    @admin.action(description="Undo rejection", permissions=["change"])
    def undo_rejection(self, request: HttpRequest, queryset: QuerySet[Mention]) -> None:
        count = curation.restore_mentions(queryset)
        self.message_user(request, f"Linked {count} mentions again.", messages.SUCCESS)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class UnknownNameStatusFilter(admin.SimpleListFilter):
    """Open names by default: a dismissed name is one a curator already looked at."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("dismissed", "Dismissed"), ("all", "All")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "dismissed":
            return queryset.filter(dismissed=True)
        if self.value() == "all":
            return queryset
        return queryset.filter(dismissed=False)

    def choices(self, changelist: Any) -> Any:
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "Open",
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


@admin.register(UnknownName)
class UnknownNameAdmin(admin.ModelAdmin):
    list_display = ["text", "article_count", "last_seen_at", "dismissed"]
    list_filter = [UnknownNameStatusFilter]
    search_fields = ["text"]
    readonly_fields = fields = ("text", "article_count", "last_seen_at", "dismissed")
    actions = ["dismiss", "create_company", "create_person"]

    @admin.action(description="Dismiss: nothing to track", permissions=["change"])
    def dismiss(self, request: HttpRequest, queryset: QuerySet[UnknownName]) -> None:
        count = queryset.update(dismissed=True)
        self.message_user(request, f"Dismissed {count} names.", messages.SUCCESS)

    @admin.action(description="Create a company from each name", permissions=["create_company"])
    def create_company(self, request: HttpRequest, queryset: QuerySet[UnknownName]) -> None:
        self._create(request, queryset, Company)

    @admin.action(description="Create a person from each name", permissions=["create_person"])
    def create_person(self, request: HttpRequest, queryset: QuerySet[UnknownName]) -> None:
        self._create(request, queryset, Person)

    def has_create_company_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("entities.add_company") and self.has_change_permission(request)

    def has_create_person_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("entities.add_person") and self.has_change_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def _create(
        self, request: HttpRequest, queryset: QuerySet[UnknownName], model: type[Entity]
    ) -> None:
        created, known = [], []
        for unknown in queryset:
            if _name_is_taken(unknown.text):
                known.append(unknown.text)
                continue
            _create_entity(model, unknown.text)
            # The name is known now; relinking finds its mentions and will not list it again.
            unknown.delete()
            created.append(unknown.text)
        if created:
            noun = model._meta.verbose_name_plural if len(created) > 1 else model._meta.verbose_name
            self.message_user(
                request,
                f"Created {len(created)} {noun}: {', '.join(created)}. "
                "Relink articles to find their mentions.",
                messages.SUCCESS,
            )
        if known:
            self.message_user(
                request,
                f"Already an entity or alias, not created: {', '.join(known)}.",
                messages.WARNING,
            )


def _name_is_taken(text: str) -> bool:
    return Entity.objects.filter(Q(name__iexact=text) | Q(aliases__text__iexact=text)).exists()


@transaction.atomic
def _create_entity(model: type[Entity], name: str) -> Entity:
    entity = model.objects.create(name=name, slug=_unique_slug(name), curated_at=timezone.now())
    Alias.objects.create(entity=entity, text=name)
    return entity


def _unique_slug(name: str) -> str:
    base = slugify(name)[:180] or "entity"
    slug, n = base, 1
    while Entity.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


class MentionInline(admin.TabularInline):
    """An article's linked entities, on the article's own admin page."""

    model = Mention
    fields = ("entity", "surface", "sentence", "salience", "is_about", "status")
    readonly_fields = fields
    ordering = ("-is_about", "-salience", "start")
    extra = 0
    can_delete = False
    show_change_link = True  # rejecting happens on the mention's page or in its list

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# The sources app cannot know about mentions; the events app extends its Article admin instead.
admin.site.unregister(Article)


@admin.register(Article)
class ArticleWithMentionsAdmin(ArticleAdmin):
    inlines = [MentionInline]
    list_display = [*ArticleAdmin.list_display, "entities"]
    actions = ["relink"]

    @admin.action(description="Relink to entities as they are now", permissions=["view"])
    def relink(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        """After an alias edit or a merge: the same as `manage.py reanalyze`, for these articles."""
        services.current_matcher(rebuild=True)
        done = sum(services.analyze_article(pk) for pk in queryset.values_list("id", flat=True))
        self.message_user(request, f"Relinked {done} articles.", messages.SUCCESS)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        linked = Mention.objects.filter(status=Mention.Status.LINKED).select_related("entity")
        return super().get_queryset(request).prefetch_related(Prefetch("mentions", linked))

    @admin.display(description="entities")
    def entities(self, article: Article) -> str:
        """What the article is about first, then what it only mentions."""
        mentions = article.mentions.all()
        about = {m.entity.name for m in mentions if m.is_about}
        passing = {m.entity.name for m in mentions} - about
        names = sorted(about, key=str.casefold) + sorted(passing, key=str.casefold)
        return Truncator(", ".join(names)).chars(100)


def highlighted(evidence: Evidence) -> str:
    """The evidence sentence, escaped (it is text from the web), its trigger words in <mark>."""
    sentence, start, end = evidence.sentence, evidence.trigger_start, evidence.trigger_end
    if start is None or end is None or not 0 <= start < end <= len(sentence):
        return escape(sentence)
    return format_html("{}<mark>{}</mark>{}", sentence[:start], sentence[start:end], sentence[end:])


def _article_link(article: Article) -> str:
    url = reverse("admin:sources_article_change", args=[article.pk])
    return format_html('<a href="{}">{}</a>', url, Truncator(str(article)).chars(80))


def _curator(request: HttpRequest) -> AbstractBaseUser:
    # The admin only lets signed-in staff this far; this tells the type checker so.
    if isinstance(request.user, AnonymousUser):
        raise PermissionDenied
    return request.user


class ParticipantInline(admin.TabularInline):
    model = EventParticipant
    fields = ["entity", "role"]
    autocomplete_fields = ["entity"]
    extra = 0


class EvidenceInline(admin.TabularInline):
    """The sentences behind the event; a wrong one is split off to its own event, not edited."""

    model = Evidence
    fields = readonly_fields = (
        "marked_sentence",
        "article_link",
        "outlet",
        "status",
        "reported",
        "found_by",
    )
    extra = 0
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Evidence]:
        return super().get_queryset(request).select_related("article__source")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="sentence")
    def marked_sentence(self, evidence: Evidence) -> str:
        return highlighted(evidence)

    @admin.display(description="article")
    def article_link(self, evidence: Evidence) -> str:
        return _article_link(evidence.article)

    @admin.display(description="outlet")
    def outlet(self, evidence: Evidence) -> str:
        return str(evidence.article.source)

    @admin.display(description="date it gives")
    def reported(self, evidence: Evidence) -> str:
        return format_partial_date(evidence.reported_date, evidence.reported_precision)


class NeedsReviewFilter(admin.SimpleListFilter):
    """What a curator should look at first: unconfirmed events the analysis is unsure of, and
    unconfirmed rumours however many outlets repeat them."""

    title = "needs review"
    parameter_name = "review"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Needs review")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() != "yes":
            return queryset
        unsure = Q(confidence__lt=REVIEW_BELOW) | Q(status=Status.RUMOURED)
        return queryset.filter(unsure, curated=False, rejected=False)


class MergedFilter(admin.SimpleListFilter):
    """Events merged into another are hidden by default: their evidence lives on the keeper."""

    title = "merged"
    parameter_name = "merged"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Merged away"), ("all", "All")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "yes":
            return queryset.filter(merged_into__isnull=False)
        if self.value() == "all":
            return queryset
        return queryset.filter(merged_into__isnull=True)

    def choices(self, changelist: Any) -> Any:
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "Not merged",
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """The review queue: unconfirmed events first, least sure first."""

    list_display = [
        "date_shown",
        "type",
        "summary",
        "status",
        "confidence",
        "curated",
        "evidence_count",
    ]
    list_display_links = ["date_shown", "summary"]
    list_filter = [NeedsReviewFilter, "curated", "status", "type", "rejected", MergedFilter]
    search_fields = ["summary", "participants__entity__name"]
    ordering = ["curated", "confidence", "-date", "-id"]
    actions = ["confirm", "reject", "merge"]
    inlines = [ParticipantInline, EvidenceInline]
    fields = [
        ("type", "status"),
        "summary",
        "detail",
        ("date", "date_precision", "date_is_estimate"),
        "quantities",
        "rejected",
        ("confidence", "curated", "curated_by"),
        ("merged_into", "created_at", "updated_at"),
    ]
    readonly_fields = [
        "confidence",
        "curated",
        "curated_by",
        "merged_into",
        "created_at",
        "updated_at",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Event]:
        return super().get_queryset(request).annotate(evidence_count=Count("evidence"))

    @admin.display(description="date", ordering="date")
    def date_shown(self, event: Event) -> str:
        return event.date_display

    @admin.display(description="evidence", ordering="evidence_count")
    def evidence_count(self, event: Event) -> int:
        return event.evidence_count  # type: ignore[attr-defined, no-any-return]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Event], search_term: str
    ) -> tuple[QuerySet[Event], bool]:
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # Pinning to a storyline picks among the events readers can see.
        if request.resolver_match and request.resolver_match.url_name == "autocomplete":
            queryset = queryset.filter(rejected=False, merged_into__isnull=True)
        return queryset, may_have_duplicates

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The next analysis would find a deleted event again; a rejected one stays rejected.
        return False

    def save_model(self, request: HttpRequest, obj: Event, form: Any, change: bool) -> None:
        obj.curated = True
        obj.curated_by_id = _curator(request).pk
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # Its type, date or participants may have changed which storylines select it.
        place_events([form.instance.pk])

    @admin.action(description="Confirm: these are events as they stand", permissions=["change"])
    def confirm(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        count = curation.confirm_events(queryset, user=_curator(request))
        self.message_user(request, f"Confirmed {count} events.", messages.SUCCESS)

    @admin.action(description="Reject: these are not events", permissions=["change"])
    def reject(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        count = curation.reject_events(queryset, user=_curator(request))
        self.message_user(request, f"Rejected {count} events.", messages.SUCCESS)

    @admin.action(description="Merge selected events into one…", permissions=["change"])
    def merge(self, request: HttpRequest, queryset: QuerySet[Event]) -> HttpResponse | None:
        events = list(queryset.order_by("date", "pk"))
        if len(events) < 2:
            self.message_user(request, "Select two or more events to merge.", messages.ERROR)
            return None
        if request.POST.get("post") == "yes":
            return self._merge_confirmed(request, events)
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge events",
            "opts": self.model._meta,
            "rows": list(zip(events, _participant_lists(events), strict=True)),
            "events": events,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/events/event/merge_confirm.html", context)

    def _merge_confirmed(self, request: HttpRequest, events: list[Event]) -> HttpResponse | None:
        keep = next((e for e in events if str(e.pk) == request.POST.get("keep")), None)
        if keep is None:
            self.message_user(request, "Choose the event to keep.", messages.ERROR)
            return None
        try:
            report = curation.merge_events(keep, events, user=_curator(request))
        except curation.CurationError as error:
            self.message_user(request, f"Not merged: {error}", messages.ERROR)
            return None
        self.log_change(request, keep, str(report))
        self.message_user(request, str(report), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:events_event_change", args=[keep.pk]))

    def get_urls(self) -> list[URLPattern]:
        split = self.admin_site.admin_view(self.split_view)
        return [
            path("<path:object_id>/split/", split, name="events_event_split"),
            *super().get_urls(),
        ]

    def split_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Move the checked evidence of an event that is really two events to a new event."""
        event = self.get_object(request, unquote(object_id))
        if event is None:
            raise Http404("No such event.")
        if not self.has_change_permission(request, event):
            raise PermissionDenied
        if request.method == "POST":
            chosen = [int(pk) for pk in request.POST.getlist("evidence") if pk.isdigit()]
            try:
                new = curation.split_event(event, chosen, user=_curator(request))
            except curation.CurationError as error:
                self.message_user(request, f"Not split: {error}", messages.ERROR)
            else:
                message = f"Split {len(chosen)} evidence sentence(s) off event {event.pk}."
                self.log_addition(request, new, message)
                self.message_user(request, f"{message} Edit the new event.", messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:events_event_change", args=[new.pk]))
        evidence = event.evidence.select_related("article__source").order_by("pk")
        context = {
            **self.admin_site.each_context(request),
            "title": f"Split event: {event}",
            "opts": self.model._meta,
            "original": event,
            "rows": [(e, highlighted(e), _article_link(e.article)) for e in evidence],
        }
        return TemplateResponse(request, "admin/events/event/split.html", context)


def _participant_lists(events: list[Event]) -> list[str]:
    """Each event's participants as one line, for the merge page, in one query."""
    rows = EventParticipant.objects.filter(event__in=events).select_related("entity")
    names: dict[int, list[str]] = {event.pk: [] for event in events}
    for row in rows:
        names[row.event_id].append(f"{row.entity.name} ({row.get_role_display()})")
    return [", ".join(names[event.pk]) for event in events]


class StorylineForm(forms.ModelForm):
    class Meta:
        model = Storyline
        fields = ["title", "slug", "description", "rule"]
        help_texts = {
            "rule": "A JSON list of clauses; an event belongs when any clause selects it, e.g. "
            '[{"types": ["departure"], "entities": ["xai"], "roles": ["from_company"], '
            '"since": "2023-07-01", "statuses": ["confirmed"]}]. Keys: types, entities '
            "(slugs), roles, since, until, statuses.",
        }

    def clean_rule(self) -> Any:
        rule = self.cleaned_data.get("rule")
        if rule is None:
            return []
        try:
            clauses_of(Storyline(rule=rule))
        except RuleError as error:
            raise forms.ValidationError(str(error)) from None
        return rule


class StorylineEventInline(admin.TabularInline):
    """Pins and exclusions are a curator's; entries the rule selected are recomputed on save."""

    model = StorylineEvent
    fields = ["event", "origin", "order", "note"]
    autocomplete_fields = ["event"]
    # A curator's exclusions and pins ("excluded" < "pinned" < "rule") above the rule's choices.
    ordering = ["origin", "order", "event__date", "event_id"]
    extra = 1

    def get_queryset(self, request: HttpRequest) -> QuerySet[StorylineEvent]:
        return super().get_queryset(request).select_related("event")


@admin.register(Storyline)
class StorylineAdmin(admin.ModelAdmin):
    form = StorylineForm
    list_display = ["title", "slug", "event_count", "last_event_date", "updated_at"]
    search_fields = ["title", "slug", "description"]
    prepopulated_fields = {"slug": ["title"]}
    fields = [
        "title",
        "slug",
        "description",
        "rule",
        ("event_count", "last_event_date"),
        "preview",
    ]
    readonly_fields = ["event_count", "last_event_date", "preview"]
    inlines = [StorylineEventInline]

    @admin.display(description="what the rule selects now")
    def preview(self, storyline: Storyline) -> str:
        if storyline.pk is None:
            return "Save the storyline to see what its rule selects."
        try:
            selection = rule_selection(storyline).order_by("date", "pk")
            events = list(selection[: PREVIEW_SIZE + 1])
        except RuleError as error:
            return f"The saved rule cannot be read: {error}"
        if not events:
            return "Nothing: the rule selects no visible event."
        rows = format_html_join(
            "",
            '<li>{} · <a href="{}">{}</a></li>',
            (
                (e.date_display, reverse("admin:events_event_change", args=[e.pk]), str(e))
                for e in events[:PREVIEW_SIZE]
            ),
        )
        more = f"… and more (first {PREVIEW_SIZE} shown)" if len(events) > PREVIEW_SIZE else ""
        return format_html('<ol class="storyline-preview">{}</ol>{}', rows, more)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # The rule, or the curator's pins and exclusions, may have changed: recompute after both.
        refresh_storyline(form.instance)
