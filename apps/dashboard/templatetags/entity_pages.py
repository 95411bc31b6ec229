"""Filters for the entity pages: dates as precisely as they are known, numbers as axes read them,
and links only where a reader can follow them."""

import datetime
from urllib.parse import urlsplit

from django import template

from apps.common.dates import format_partial_date
from apps.dashboard.charts import short_number

register = template.Library()


@register.filter
def partial_date(value: datetime.date | None, precision: str) -> str:
    """`{{ a.start|partial_date:a.start_precision }}`: "2023", "Jul 2023" or "12 Jul 2023"."""
    return format_partial_date(value, precision)


@register.filter
def short(value: float | None) -> str:
    """`{{ 120000|short }}`: "120k"."""
    return "" if value is None else short_number(float(value))


@register.filter
def web_url(url: str) -> str:
    """The URL if a reader can follow it (http or https), else "": a stored URL is data from
    outside, and a `javascript:` link must never reach a page."""
    return url if url.strip().lower().startswith(("https://", "http://")) else ""


@register.filter
def host(url: str) -> str:
    """`{{ url|host }}`: "www.example.com", to name a source by its site."""
    return urlsplit(url).hostname or url
