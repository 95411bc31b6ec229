"""Keyset paging: each page starts right after the last row of the one before, and the first key
bounds the query so that a deep page is an index range, not a scan of every earlier page."""

import datetime

import pytest

from apps.common.keyset import Key, Keyset, as_date, as_int
from apps.events.models import Event
from tests.entities.builders import make_company, make_event

pytestmark = pytest.mark.django_db
NEWEST = Keyset("test", [Key("date", True, as_date), Key("id", True, as_int)])


def test_it_walks_every_row_once_across_pages_with_ties():
    lab = make_company(name="Halcyon Labs")
    for day in (1, 1, 1, 2, 2, 3, 5, 5):
        make_event((lab, "company"), date=datetime.date(2026, 1, day))
    rows = Event.objects.order_by("-date", "-id")
    seen, cursor = [], ""
    while True:
        page, cursor = NEWEST.page(rows, cursor=cursor, limit=3)
        seen += [event.id for event in page]
        if not cursor:
            break
    assert seen == list(rows.values_list("id", flat=True))


def test_a_deep_page_is_bounded_by_its_first_key():
    lab = make_company(name="Halcyon Labs")
    make_event((lab, "company"), date=datetime.date(2026, 1, 2))
    cursor = NEWEST.encode(Event.objects.get())
    after = NEWEST._after(NEWEST.decode(cursor))
    sql = str(Event.objects.filter(after).query)
    assert '"date" <= 2026-01-02' in sql.replace("'", "")
