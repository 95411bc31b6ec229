"""Curation of what the linker found: wrong mentions are rejected, unknown names become entities."""

from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import Truncator, slugify

from apps.entities.models import Alias, Company, Entity, Person
from apps.events import services
from apps.events.models import Mention, UnknownName
from apps.sources.admin import ArticleAdmin
from apps.sources.models import Article


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
        count = queryset.update(status=Mention.Status.REJECTED, rejected_by=request.user)
        self.message_user(request, f"Rejected {count} mentions.", messages.SUCCESS)

    @admin.action(description="Undo rejection", permissions=["change"])
    def undo_rejection(self, request: HttpRequest, queryset: QuerySet[Mention]) -> None:
        rejected = queryset.filter(status=Mention.Status.REJECTED)
        count = rejected.update(status=Mention.Status.LINKED, rejected_by=None)
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
        """After an alias edit or a merge: the same as `manage.py relink`, for these articles."""
        services.current_matcher(rebuild=True)
        done = sum(services.link_article(pk) for pk in queryset.values_list("id", flat=True))
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
