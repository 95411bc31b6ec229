"""Keyset pagination with opaque cursors: a page starts after the last row of the previous one.

OFFSET reads and throws away every skipped row, and a row inserted while a client walks the pages
shifts them (a duplicate or a gap); a position in the sort order does neither. The cursor is that
position (the sort keys of the last row served) as base64url JSON, tagged with the listing it
belongs to. It is not signed: a forged cursor only selects another page of public data.
"""

import base64
import binascii
import datetime
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

M = TypeVar("M", bound=Model)


class BadCursor(ValueError):
    """A cursor this listing did not hand out."""


def as_int(value: Any) -> int:
    if type(value) is not int:
        raise BadCursor("not an integer")
    return value


def as_str(value: Any) -> str:
    if not isinstance(value, str):
        raise BadCursor("not a string")
    return value


def as_date(value: Any) -> datetime.date:
    try:
        return datetime.date.fromisoformat(as_str(value))
    except ValueError:
        raise BadCursor("not a date") from None


@dataclass(frozen=True)
class Key:
    field: str  # a model field or an annotation; never null (coalesce it first)
    descending: bool
    parse: Callable[[Any], Any]  # a cursor's JSON value back to the field's type, or BadCursor


@dataclass(frozen=True)
class Keyset:
    """One listing's sort order; its last key must be unique (the primary key) to break ties."""

    tag: str
    keys: Sequence[Key]

    def page(self, rows: QuerySet[M], *, cursor: str, limit: int) -> tuple[list[M], str]:
        """Up to `limit` rows after `cursor` ("" for the first page), and the next page's cursor
        ("" on the last page). One query: it reads one row more to know whether there is more."""
        if cursor:
            rows = rows.filter(self._after(self.decode(cursor)))
        order = [f"-{key.field}" if key.descending else key.field for key in self.keys]
        found = list(rows.order_by(*order)[: limit + 1])
        if len(found) <= limit:
            return found, ""
        return found[:limit], self.encode(found[limit - 1])

    def encode(self, row: Model) -> str:
        values = [getattr(row, key.field) for key in self.keys]
        shown = [v.isoformat() if isinstance(v, datetime.date) else v for v in values]
        raw = json.dumps([self.tag, *shown], separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def decode(self, cursor: str) -> list[Any]:
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            data = json.loads(raw)
        except (binascii.Error, ValueError):
            raise BadCursor("not a cursor") from None
        if not isinstance(data, list) or len(data) != len(self.keys) + 1 or data[0] != self.tag:
            raise BadCursor("not a cursor of this listing")
        return [key.parse(value) for key, value in zip(self.keys, data[1:], strict=True)]

    def _after(self, position: Sequence[Any]) -> Q:
        # (a, b, c) after (x, y, z): a > x, or a = x and b > y, or a = x and b = y and c > z
        # ("<" where the key is descending).
        after, ties = Q(), Q()
        for key, value in zip(self.keys, position, strict=True):
            lookup = "lt" if key.descending else "gt"
            after |= ties & Q(**{f"{key.field}__{lookup}": value})
            ties &= Q(**{key.field: value})
        # Implied by the OR chain, but the database can only use this one as an index range:
        # without it page 50 reads every row of the 49 pages before it.
        first = self.keys[0]
        bound = Q(**{f"{first.field}__{'lte' if first.descending else 'gte'}": position[0]})
        return bound & after
