"""Reading the query string: every value checked, and a 400 that names the parameter."""

import datetime
import re
from collections.abc import Iterable

from django.http import QueryDict

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MAX_CURSOR = 500  # ours are under 100 characters; anything far longer is not one


class ApiError(Exception):
    """Answered as {"error": message} with this HTTP status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def bad(parameter: str, problem: str) -> ApiError:
    return ApiError(400, f"{parameter}: {problem}")


def check_known(query: QueryDict, allowed: Iterable[str]) -> None:
    """A misspelt filter (`?tpye=hire`) must fail loudly, not return everything."""
    allowed = list(allowed)
    unknown = sorted(set(query) - set(allowed))
    if unknown:
        takes = ", ".join(allowed) or "no parameters"
        raise bad(unknown[0], f"unknown parameter; this endpoint takes {takes}")


def values(query: QueryDict, parameter: str) -> list[str]:
    """Every non-blank value of a repeatable parameter (`type=a&type=b`), in order, once each."""
    return list(dict.fromkeys(v.strip() for v in query.getlist(parameter) if v.strip()))


def single(query: QueryDict, parameter: str) -> str:
    found = values(query, parameter)
    if len(found) > 1:
        raise bad(parameter, "give it once")
    return found[0] if found else ""


def choices(query: QueryDict, parameter: str, allowed: Iterable[str]) -> list[str]:
    allowed = list(allowed)
    found = values(query, parameter)
    for value in found:
        if value not in allowed:
            raise bad(parameter, f"unknown value {value!r}; one of {', '.join(allowed)}")
    return found


def day(query: QueryDict, parameter: str) -> datetime.date | None:
    value = single(query, parameter)
    if not value:
        return None
    try:
        if not _ISO_DAY.fullmatch(value):
            raise ValueError(value)
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise bad(parameter, f"{value!r} is not a date as YYYY-MM-DD") from None


def limit(query: QueryDict) -> int:
    """1 to MAX_LIMIT; more is served as MAX_LIMIT, as a client asking for "all" would want."""
    value = single(query, "limit")
    if not value:
        return DEFAULT_LIMIT
    if not value.isascii() or not value.isdigit() or int(value) < 1:
        raise bad("limit", f"{value!r} is not a whole number from 1 to {MAX_LIMIT}")
    return min(int(value), MAX_LIMIT)


def cursor(query: QueryDict) -> str:
    value = single(query, "cursor")
    if len(value) > _MAX_CURSOR:
        raise bad("cursor", "not a cursor from this API; use the `next` URL as given")
    return value
