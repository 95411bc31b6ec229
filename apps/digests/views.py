"""Subscribe, confirm, manage, preview, follow and unsubscribe.

Every page but the subscribe form is reached by a signed link from a mail (no passwords). Each
link's token is read before anything else; a tampered, expired or wrong-purpose one gets a page
that says so and how to get a new link.
"""

from functools import partial

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.digests import services, tasks
from apps.digests.forms import ManageForm, SubscribeForm
from apps.digests.models import Subscriber
from apps.digests.services import ratelimit
from apps.digests.services.mail import render_digest
from apps.digests.services.subscribing import add_follow, follow_title
from apps.digests.tokens import BadToken, Claim, ExpiredToken, Purpose, make_token, read_token


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    """The same answer for every address, new or known (SECURITY.md 10): the work that depends
    on the address's state is done by a task, which every accepted request enqueues."""
    if request.method == "GET":
        return render(request, "digests/subscribe.html", {"form": SubscribeForm()})
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return render(request, "digests/subscribe.html", {"form": form}, status=400)
    if form.is_bot:
        return render(request, "digests/subscribed.html")
    data = form.cleaned_data
    visitor = ratelimit.client_address(
        request.META.get("REMOTE_ADDR", ""),
        request.META.get("HTTP_X_FORWARDED_FOR", ""),
        trusted_proxies=settings.TRUSTED_PROXIES,
    )
    client = ratelimit.client_of(visitor)
    if not ratelimit.allow_subscribe(email=data["email"], client=client, now=timezone.now()):
        return render(request, "digests/rate_limited.html", status=429)
    # Stored before the broker is asked: with Redis down or hung the page still answers (within
    # the broker's socket timeout) and the mail goes out once the sweep finds the request.
    stored = services.record_request(
        data["email"], storyline=data["storyline"], entity=data["entity"]
    )
    transaction.on_commit(partial(tasks.queue_subscribe_mail, stored.id))
    return render(request, "digests/subscribed.html")


def _claim(purpose: Purpose, token: str, request: HttpRequest) -> Claim | HttpResponse:
    try:
        return read_token(purpose, token)
    except ExpiredToken:
        reason = "expired"
    except BadToken:
        reason = "invalid"
    context = {"reason": reason, "purpose": purpose.name.lower()}
    return render(request, "digests/bad_link.html", context, status=400)


def _manage_url(subscriber: Subscriber) -> str:
    return reverse("digests:manage", args=[make_token(Purpose.MANAGE, subscriber)])


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (link scanners that fetch every URL in a mail confirm nothing);
    POST confirms and goes on to the manage page."""
    claim = _claim(Purpose.CONFIRM, token, request)
    if isinstance(claim, HttpResponse):
        return claim
    if request.method == "POST":
        services.confirm(claim.subscriber, claim.follow, now=timezone.now())
        return HttpResponseRedirect(_manage_url(claim.subscriber) + "?confirmed=1", status=303)
    context = {"follow_title": follow_title(claim.follow), "subscriber": claim.subscriber}
    return render(request, "digests/confirm.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest, token: str) -> HttpResponse:
    """A confirmed reader adds what they asked to follow from a page (GET asks, POST adds)."""
    claim = _claim(Purpose.FOLLOW, token, request)
    if isinstance(claim, HttpResponse):
        return claim
    if request.method == "POST":
        add_follow(claim.subscriber, claim.follow)
        return HttpResponseRedirect(_manage_url(claim.subscriber) + "?saved=1", status=303)
    return render(request, "digests/follow.html", {"follow_title": follow_title(claim.follow)})


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    claim = _claim(Purpose.MANAGE, token, request)
    if isinstance(claim, HttpResponse):
        return claim
    subscriber = claim.subscriber
    follows = list(subscriber.subscriptions.select_related("storyline", "entity"))
    entity_ids = [row.entity_id for row in follows if row.entity_id]
    if request.method == "POST":
        form = ManageForm(request.POST, followed_entities=entity_ids)
        if form.is_valid():
            services.update_settings(subscriber, form.cleaned_data, now=timezone.now())
            return HttpResponseRedirect(request.path + "?saved=1", status=303)
        status = 400
    else:
        form = ManageForm(initial=_initial(subscriber, follows), followed_entities=entity_ids)
        status = 200
    context = {
        "form": form,
        "subscriber": subscriber,
        "token": token,
        "saved": "saved" in request.GET,
        "confirmed": "confirmed" in request.GET,
        "unsubscribe_url": reverse(
            "digests:unsubscribe", args=[make_token(Purpose.UNSUBSCRIBE, subscriber)]
        ),
    }
    return render(request, "digests/manage.html", context, status=status)


def _initial(subscriber: Subscriber, follows: list) -> dict[str, object]:  # type: ignore[type-arg]
    return {
        "storylines": [row.storyline_id for row in follows if row.storyline_id],
        "entities": [row.entity_id for row in follows if row.entity_id],
        "event_types": [row.event_type for row in follows if row.event_type],
        "frequency": subscriber.frequency,
        "hour": subscriber.hour,
        "weekday": subscriber.weekday,
        "time_zone": subscriber.time_zone,
        "only_confirmed": subscriber.only_confirmed,
    }


@never_cache
@require_POST
def resubscribe(request: HttpRequest, token: str) -> HttpResponse:
    claim = _claim(Purpose.MANAGE, token, request)
    if isinstance(claim, HttpResponse):
        return claim
    services.resubscribe(claim.subscriber, now=timezone.now())
    return HttpResponseRedirect(reverse("digests:manage", args=[token]) + "?saved=1", status=303)


@never_cache
@require_GET
def preview(request: HttpRequest, token: str) -> HttpResponse:
    """The reader's next digest as it would be sent now: the same builder and templates."""
    claim = _claim(Purpose.MANAGE, token, request)
    if isinstance(claim, HttpResponse):
        return claim
    return render_preview(request, claim.subscriber, back=reverse("digests:manage", args=[token]))


def render_preview(request: HttpRequest, subscriber: Subscriber, *, back: str) -> HttpResponse:
    """Shared with the staff preview in admin."""
    digest, _ = services.build_one(subscriber, now=timezone.now())
    rendered = None if digest.is_empty else render_digest(subscriber, digest)
    context = {"subscriber": subscriber, "rendered": rendered, "digest": digest, "back": back}
    return render(request, "digests/preview.html", context)


# RFC 8058: mail clients POST here with no cookie and no CSRF token, and must not be redirected;
# the token in the URL is the authority. GET and HEAD (link scanners, a click in a mail) only ask.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    claim = _claim(Purpose.UNSUBSCRIBE, token, request)
    if isinstance(claim, HttpResponse):
        return claim
    if request.method == "POST":
        services.unsubscribe(claim.subscriber, now=timezone.now())
        context = {"done": True, "manage_url": _manage_url(claim.subscriber)}
        return render(request, "digests/unsubscribe.html", context)
    return render(request, "digests/unsubscribe.html", {"done": False})
