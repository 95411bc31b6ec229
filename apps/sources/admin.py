"""Curation of sources and articles. Every URL a curator types goes through the address guard."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from kombu.exceptions import OperationalError

from apps.common import http
from apps.common.errors import FetchError
from apps.sources import services, tasks
from apps.sources.models import Article, FetchLog, Source


class SourceForm(forms.ModelForm):
    feed_url = forms.URLField(max_length=2000, assume_scheme="https")
    site_url = forms.URLField(max_length=2000, assume_scheme="https", required=False)

    class Meta:
        model = Source
        fields = ["feed_url", "title", "site_url", "is_active"]

    def clean_feed_url(self) -> str:
        try:
            return http.check_url(self.cleaned_data["feed_url"])
        except FetchError as error:
            raise forms.ValidationError(str(error)) from None


class OpmlUploadForm(forms.Form):
    file = forms.FileField(help_text="An OPML file exported from a feed reader.")


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    form = SourceForm
    list_display = [
        "__str__",
        "kind",
        "is_active",
        "last_status",
        "consecutive_errors",
        "last_success_at",
        "next_fetch_at",
        "article_count",
        "problem",
    ]
    list_filter = ["is_active", "kind", "last_error_kind"]
    search_fields = ["title", "feed_url", "site_url"]
    actions = ["fetch_now"]
    readonly_fields = [
        "kind",
        "etag",
        "last_modified",
        "next_fetch_at",
        "fetch_interval",
        "consecutive_errors",
        "last_error_kind",
        "last_error",
        "last_status",
        "last_fetched_at",
        "last_success_at",
        "deactivated_reason",
        "created_at",
    ]
    change_list_template = "admin/sources/source/change_list.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Source]:
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(ordering="article_count", description="articles")
    def article_count(self, source: Source) -> int:
        return source.article_count  # type: ignore[attr-defined, no-any-return]

    @admin.display(description="problem")
    def problem(self, source: Source) -> str:
        return source.deactivated_reason or source.last_error

    @admin.action(description="Fetch now", permissions=["change"])
    def fetch_now(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        now = timezone.now()
        unqueued = 0
        for source in queryset.filter(is_active=True):
            token = services.claim_source(source, now=now)
            try:
                tasks.fetch_source.delay(source.id, str(token))
            except OperationalError:
                # The broker is down: the page must still answer, and the source stays due.
                services.release_claim(source, token=token, now=now)
                unqueued += 1
        if unqueued:
            self.message_user(
                request,
                f"The task queue is unreachable: {unqueued} source(s) stay due and will be "
                "fetched as soon as it is back.",
                messages.WARNING,
            )
        else:
            self.message_user(request, "Fetch queued.", messages.SUCCESS)

    def get_urls(self) -> list[URLPattern]:
        own = [
            path("import-opml/", self.admin_site.admin_view(self.import_opml), name="opml_import"),
            path("export-opml/", self.admin_site.admin_view(self.export_opml), name="opml_export"),
        ]
        return own + super().get_urls()

    def import_opml(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = OpmlUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            return self._import(request, form.cleaned_data["file"])
        context = {**self.admin_site.each_context(request), "form": form, "title": "Import OPML"}
        return TemplateResponse(request, "admin/sources/source/import_opml.html", context)

    def _import(self, request: HttpRequest, upload: Any) -> HttpResponse:
        # One byte past the cap is enough for the parser to see an oversized file and refuse it.
        try:
            report = services.import_opml(upload.read(settings.OPML_MAX_BYTES + 1))
        except FetchError as error:
            self.message_user(request, f"Not imported: {error}", messages.ERROR)
            return HttpResponseRedirect(request.path)
        self.message_user(
            request,
            f"Added {len(report.added)}, already known {len(report.existing)}, "
            f"refused {len(report.refused)}.",
            messages.SUCCESS,
        )
        for url, reason in report.refused[:20]:
            self.message_user(request, f"Refused {url}: {reason}", messages.WARNING)
        return HttpResponseRedirect(reverse("admin:sources_source_changelist"))

    def export_opml(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        response = HttpResponse(services.export_opml(), content_type="text/x-opml; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="labintel-sources.opml"'
        return response


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "source", "published_at", "state", "word_count", "story"]
    list_filter = ["source", "text_from", "extraction_error_kind", "published_at"]
    search_fields = ["title", "url", "canonical_url"]
    date_hierarchy = "published_at"
    list_select_related = ["source"]
    # Articles are what the outlets wrote: curators read them here, they do not edit them.
    readonly_fields = fields = (
        "source",
        "title",
        "original",
        "canonical_url",
        "author",
        "published_at",
        "published_from",
        "language",
        "story",
        "word_count",
        "text_from",
        "fetched_at",
        "extracted_at",
        "extract_attempts",
        "extraction_error_kind",
        "extraction_error",
        "text",
    )

    @admin.display(description="state")
    def state(self, article: Article) -> str:
        if article.extracted_at is None:
            return f"pending ({article.extract_attempts} attempts)"
        if article.extraction_error:
            return f"feed text: {article.extraction_error_kind or 'no page text'}"
        return "full text"

    @admin.display(description="original")
    def original(self, article: Article) -> str:
        return format_html(
            '<a href="{}" rel="noopener noreferrer nofollow" target="_blank">{}</a>',
            article.url,
            article.url,
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(FetchLog)
class FetchLogAdmin(admin.ModelAdmin):
    list_display = [
        "source",
        "started_at",
        "status",
        "duration_ms",
        "bytes",
        "new_entries",
        "error",
    ]
    list_filter = ["status", "error_kind", "source"]
    list_select_related = ["source"]
    date_hierarchy = "started_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
