"""Curation of companies, people and clusters: names, careers, observations, and merging.

Whatever a curator saves is stamped with `curated_at`, so the seed loader leaves it alone after.
"""

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Model, QuerySet, URLField
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from apps.entities.models import (
    Affiliation,
    Alias,
    ClusterObservation,
    Company,
    ComputeCluster,
    Entity,
    Person,
)
from apps.entities.services.merge import MergeError, concrete, merge_entities, merge_preview

# Name search also finds every alias ("Grok's maker" finds xAI); the changelist and autocomplete
# drop the duplicate rows that joining the aliases produces.
ENTITY_SEARCH = ["name", "aliases__text", "slug"]
# A curator pasting "x.ai" means the https site.
URL_FIELDS: dict[Any, dict[str, Any]] = {URLField: {"assume_scheme": "https"}}


class AliasInline(admin.TabularInline):
    model = Alias
    fields = ["text", "case_sensitive", "needs_context"]
    extra = 1


class CareerInline(admin.TabularInline):
    """A person's career, in order."""

    model = Affiliation
    fk_name = "person"
    fields = [
        "company",
        "title",
        "kind",
        "is_cofounder",
        "start",
        "start_precision",
        "end",
        "end_precision",
        "end_reason",
        "destination",
        "source_urls",
        "curated_at",
    ]
    readonly_fields = ["curated_at"]
    autocomplete_fields = ["company", "destination"]
    ordering = ["start", "pk"]
    extra = 0


class RosterInline(admin.TabularInline):
    """A company's people, current and former; careers are edited on the person's page."""

    model = Affiliation
    fk_name = "company"
    fields = readonly_fields = (
        "person_link",
        "title",
        "kind",
        "is_cofounder",
        "start",
        "end",
        "end_reason",
        "destination",
    )
    ordering = ["start", "pk"]
    extra = 0
    can_delete = False
    verbose_name_plural = "people (edit careers on each person's page)"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Affiliation]:
        return super().get_queryset(request).select_related("person", "destination")

    @admin.display(description="person")
    def person_link(self, affiliation: Affiliation) -> str:
        url = reverse("admin:entities_person_change", args=[affiliation.person_id])
        return format_html('<a href="{}">{}</a>', url, affiliation.person)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class _ReadOnlyListInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SubsidiaryInline(_ReadOnlyListInline):
    model = Company
    fk_name = "parent"
    fields = ["name", "kind", "status"]
    verbose_name = "subsidiary"
    verbose_name_plural = "subsidiaries"


class OwnedClusterInline(_ReadOnlyListInline):
    model = ComputeCluster
    fk_name = "owner"
    fields = ["name", "city", "country", "status"]
    verbose_name_plural = "compute clusters it owns"


class ObservationInline(admin.TabularInline):
    model = ClusterObservation
    formfield_overrides = URL_FIELDS
    fields = [
        "as_of",
        "as_of_precision",
        "gpus",
        "chip_type",
        "h100_equivalents",
        "power_mw",
        "turbines",
        "basis",
        "is_projection",
        "note",
        "source_url",
    ]
    ordering = ["as_of", "pk"]
    extra = 0


class MergeableAdmin(admin.ModelAdmin):
    """The merge action: pick two, choose the survivor on a confirmation page, merge."""

    actions = ["merge"]

    @admin.action(description="Merge two selected entities…", permissions=["merge"])
    def merge(self, request: HttpRequest, queryset: QuerySet[Any]) -> HttpResponse | None:
        pair = list(queryset.order_by("pk")[:3])
        if len(pair) != 2:
            self.message_user(request, "Select exactly two entities to merge.", messages.ERROR)
            return None
        if pair[0].type != pair[1].type:
            self.message_user(
                request, "Only entities of the same type can be merged.", messages.ERROR
            )
            return None
        if request.POST.get("post") == "yes":
            return self._merge_confirmed(request, pair)
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge entities",
            "opts": self.model._meta,
            # Either may survive: what would move from the other one in each case.
            "choices": [
                (survivor, loser, sorted(merge_preview(survivor, loser).items()))
                for survivor, loser in (pair, pair[::-1])
            ],
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/entities/merge_confirm.html", context)

    def has_merge_permission(self, request: HttpRequest) -> bool:
        # Django grants an action when any one of its permissions holds; merging needs both.
        return self.has_change_permission(request) and self.has_delete_permission(request)

    def _merge_confirmed(self, request: HttpRequest, pair: list[Entity]) -> HttpResponse | None:
        chosen = request.POST.get("survivor")
        survivor = next((entity for entity in pair if str(entity.pk) == chosen), None)
        if survivor is None:
            self.message_user(request, "Choose which entity survives.", messages.ERROR)
            return None
        loser = pair[1] if survivor is pair[0] else pair[0]
        try:
            report = merge_entities(survivor, loser)
        except MergeError as error:
            self.message_user(request, f"Not merged: {error}", messages.ERROR)
            return None
        self.log_change(request, report.survivor, str(report))
        self.message_user(request, str(report), messages.SUCCESS)
        return HttpResponseRedirect(_change_url(report.survivor))


def _change_url(entity: Entity) -> str:
    entity = concrete(entity)
    return reverse(f"admin:entities_{entity._meta.model_name}_change", args=[entity.pk])


class CuratedEntityAdmin(MergeableAdmin):
    """What every entity admin shares: alias search, alias inline, the curated stamp, merge."""

    search_fields = ENTITY_SEARCH
    list_display = ["name", "slug", "alias_list", "curated_at", "updated_at"]
    readonly_fields = ["curated_at", "created_at", "updated_at"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = URL_FIELDS
    inlines = [AliasInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).prefetch_related("aliases")

    @admin.display(description="aliases")
    def alias_list(self, entity: Entity) -> str:
        return ", ".join(alias.text for alias in entity.aliases.all())

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        obj.curated_at = timezone.now()
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        instances: list[Model] = formset.save(commit=False)
        for deleted in formset.deleted_objects:
            deleted.delete()
        now = timezone.now()
        for instance in instances:
            if isinstance(instance, Affiliation):
                instance.curated_at = now
            instance.save()
        formset.save_m2m()


@admin.register(Entity)
class EntityAdmin(MergeableAdmin):
    """Every entity in one list: for search, autocomplete, and merging across the three lists."""

    list_display = ["name", "type", "slug", "curated_at"]
    list_filter = ["type"]
    search_fields = ENTITY_SEARCH
    readonly_fields = ["type", "name", "slug", "description", "curated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # An entity is edited on its own kind's page, with its inlines.
        entity = self.get_object(request, object_id)
        if entity is None or not self.has_view_or_change_permission(request, entity):
            return super().change_view(request, object_id, form_url, extra_context)
        return HttpResponseRedirect(_change_url(entity))


@admin.register(Company)
class CompanyAdmin(CuratedEntityAdmin):
    list_display = ["name", "kind", "status", "parent", "alias_list", "curated_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent", "successor"]
    fields = [
        "name",
        "slug",
        "kind",
        "status",
        "description",
        "website",
        ("founded", "founded_precision"),
        "parent",
        "successor",
        ("curated_at", "created_at", "updated_at"),
    ]
    inlines = [AliasInline, RosterInline, SubsidiaryInline, OwnedClusterInline]


@admin.register(Person)
class PersonAdmin(CuratedEntityAdmin):
    fields = ["name", "slug", "description", ("curated_at", "created_at", "updated_at")]
    inlines = [AliasInline, CareerInline]


@admin.register(ComputeCluster)
class ComputeClusterAdmin(CuratedEntityAdmin):
    list_display = ["name", "owner", "status", "city", "country", "chip_count", "curated_at"]
    list_filter = ["status", "country"]
    list_select_related = ["owner"]
    autocomplete_fields = ["owner"]
    fields = [
        "name",
        "slug",
        "owner",
        "status",
        "description",
        ("city", "region", "country"),
        ("latitude", "longitude"),
        ("chip_type", "chip_count", "h100_equivalents", "power_mw"),
        ("curated_at", "created_at", "updated_at"),
    ]
    inlines = [AliasInline, ObservationInline]
