"""What every API view shares: the allowed methods, JSON errors, headers, and paging."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict

from apps.common.keyset import BadCursor, Keyset
from apps.events.api import params
from apps.events.api.params import ApiError
from apps.events.api.serialise import JSON

View = Callable[..., HttpResponse]


def api_view(view: View) -> View:
    """GET and HEAD only; errors as {"error": ...}; cacheable for a minute by anyone, anywhere."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            refusal = error(405, f"{request.method} is not allowed: this API is read-only")
            refusal["Allow"] = "GET, HEAD"
            return refusal
        response: HttpResponse
        try:
            response = view(request, *args, **kwargs)
        except ApiError as problem:
            response = error(problem.status, problem.message)
        response["Cache-Control"] = "public, max-age=60"
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


def error(status: int, message: str, **extra: Any) -> JsonResponse:
    return JsonResponse({"error": message} | extra, status=status)


def json(data: JSON) -> JsonResponse:
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def listing(request: HttpRequest, results: list[JSON], cursor: str) -> JsonResponse:
    return json({"results": results, "next": next_url(request, cursor)})


def next_url(request: HttpRequest, cursor: str) -> str | None:
    """The same query with the next page's cursor: filters ride along unchanged."""
    if not cursor:
        return None
    query = request.GET.copy()
    query["cursor"] = cursor
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def page(request: HttpRequest, keyset: Keyset, rows: QuerySet[Any]) -> tuple[list[Any], str]:
    query = request.GET
    try:
        return keyset.page(rows, cursor=params.cursor(query), limit=params.limit(query))
    except BadCursor:
        raise params.bad(
            "cursor", "not a cursor from this API; use the `next` URL as given"
        ) from None


def ids_by_slug(model: type[Model], query: QueryDict, parameter: str) -> list[int]:
    slugs = params.values(query, parameter)
    found = dict(model._default_manager.filter(slug__in=slugs).values_list("slug", "pk"))
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        raise params.bad(parameter, f"no {model._meta.verbose_name} with slug {missing[0]!r}")
    return list(found.values())
