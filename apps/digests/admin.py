"""Subscribers (status, follows, last digest, bounces), a staff preview of anyone's next digest,
and the log of every digest period."""

from functools import partial

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html

from apps.digests import services, tasks
from apps.digests.models import DigestSend, Subscriber, Subscription
from apps.digests.services import build_one
from apps.digests.services.mail import digest_mail, render_digest
from apps.digests.views import render_preview


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    extra = 0
    autocomplete_fields = ["entity"]
    fields = ["storyline", "entity", "event_type", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "status",
        "frequency",
        "follow_count",
        "last_digest_at",
        "next_digest_at",
        "bounced_at",
        "preview_link",
    ]
    list_filter = ["status", "frequency", "only_confirmed"]
    search_fields = ["email"]
    inlines = [SubscriptionInline]
    actions = ["send_preview_to_me", "resend_confirmation"]
    readonly_fields = [
        "status",
        "next_digest_at",
        "last_digest",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
        "bounced_at",
        "bounce_reason",
    ]
    fields = [
        "email",
        "status",
        ("frequency", "hour", "weekday", "time_zone"),
        "only_confirmed",
        "next_digest_at",
        "last_digest",
        ("created_at", "confirmed_at", "unsubscribed_at"),
        ("bounced_at", "bounce_reason"),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Subscriber]:
        rows = super().get_queryset(request).select_related("last_digest")
        return rows.annotate(follow_count=Count("subscriptions"))

    @admin.display(ordering="follow_count", description="follows")
    def follow_count(self, subscriber: Subscriber) -> int:
        return subscriber.follow_count  # type: ignore[attr-defined]

    @admin.display(ordering="last_digest__period", description="last digest")
    def last_digest_at(self, subscriber: Subscriber) -> str:
        last = subscriber.last_digest
        if last is None:
            return "—"
        return f"{last.period:%Y-%m-%d %H:%M} ({last.get_status_display()})"

    @admin.display(description="preview")
    def preview_link(self, subscriber: Subscriber) -> str:
        url = reverse("admin:digests_subscriber_preview", args=[subscriber.pk])
        return format_html('<a href="{}">Preview</a>', url)

    def get_urls(self) -> list[URLPattern]:
        preview = self.admin_site.admin_view(self.preview_view)
        own = [path("<int:pk>/preview/", preview, name="digests_subscriber_preview")]
        return own + super().get_urls()

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Any subscriber's next digest, exactly as it would be sent now."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        subscriber = get_object_or_404(Subscriber, pk=pk)
        back = reverse("admin:digests_subscriber_change", args=[pk])
        return render_preview(request, subscriber, back=back)

    @admin.action(description="Send their next digest's preview to me (not recorded)")
    def send_preview_to_me(self, request: HttpRequest, queryset: QuerySet[Subscriber]) -> None:
        staff = request.user.email  # type: ignore[union-attr]
        if not staff:
            self.message_user(request, "Your user has no email address.", messages.ERROR)
            return
        sent = 0
        for subscriber in queryset[:20]:
            digest, _ = build_one(subscriber, now=timezone.now())
            if digest.is_empty:
                continue
            message = digest_mail(subscriber, render_digest(subscriber, digest), send=None)
            message.to = [staff]
            message.subject = f"[Preview for {subscriber.email}] {message.subject}"
            message.send()
            sent += 1
        self.message_user(request, f"Sent {sent} preview(s) to {staff}; empty digests skipped.")

    @admin.action(description="Resend the confirmation mail")
    def resend_confirmation(self, request: HttpRequest, queryset: QuerySet[Subscriber]) -> None:
        pending = queryset.exclude(status=Subscriber.Status.CONFIRMED)
        for email in pending.values_list("email", flat=True):
            stored = services.record_request(email)
            transaction.on_commit(partial(tasks.queue_subscribe_mail, stored.id))
        self.message_user(request, f"Queued {pending.count()} confirmation mail(s).")


@admin.register(DigestSend)
class DigestSendAdmin(admin.ModelAdmin):
    list_display = [
        "subscriber",
        "period",
        "status",
        "subject",
        "change_count",
        "attempts",
        "finished_at",
        "last_error",
    ]
    list_filter = ["status"]
    search_fields = ["subscriber__email", "subject"]
    date_hierarchy = "period"
    list_select_related = ["subscriber"]
    readonly_fields = [
        "subscriber",
        "period",
        "status",
        "attempts",
        "last_attempt_at",
        "last_error",
        "subject",
        "change_count",
        "snapshot",
        "created_at",
        "finished_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # periods are claimed by the sender, never made by hand
