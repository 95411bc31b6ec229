"""The event rules (apps/events/rules/*) over whole articles linked with the seed's aliases:
news-like sentences made of real entity names, trigger words, dates and figures. No rule
raises or crawls, and every finding is one the database can hold."""

import datetime

from hypothesis import event, given, settings
from hypothesis import strategies as st

from apps.common.dates import DatePrecision
from apps.events.rules.article import dedupe, read_article
from apps.events.rules.registry import ALL_RULES
from apps.events.vocabulary import EventType, Role, Status
from tests.fuzz import checks
from tests.fuzz.corpus import seed_matcher
from tests.fuzz.profiles import examples
from tests.fuzz.strategies.prose import articles

# Analysis runs every rule over every sentence; an article takes milliseconds.
READ_SECONDS = 5.0
QUANTITY_KINDS = {"gpus", "chips", "usd", "power_mw", "turbines", "h100e", "people"}


def publication_times() -> st.SearchStrategy[datetime.datetime]:
    # Articles are dated from 1990 (older dates are refused as placeholders) to tomorrow.
    return st.datetimes(
        min_value=datetime.datetime(1990, 1, 1),
        max_value=datetime.datetime(2100, 1, 1),
        timezones=st.just(datetime.UTC),
    )


@settings(max_examples=examples(80))
@given(articles(), publication_times())
def test_it_reads_any_article_into_storable_findings(
    article: tuple[str, str], published: datetime.datetime
) -> None:
    title, text = article
    linked = seed_matcher().link(title=title, text=text)
    with checks.no_hang(READ_SECONDS):
        found = dedupe(
            read_article(
                linked.document,
                linked.matches,
                published=published,
                rules=ALL_RULES,
                about=linked.about,
            )
        )
    event(f"{min(len(found), 3)}+ findings")
    named = {match.entity_id for match in linked.matches}
    for item in found:
        finding = item.finding
        event(f"found {finding.type}")
        assert linked.document[item.start : item.end] == item.sentence
        assert finding.type in EventType.values and finding.status in Status.values
        assert {role for role, _ in finding.participants} <= set(Role.values)
        assert {entity for _, entity in finding.participants} <= named
        if finding.trigger is not None:
            assert 0 <= finding.trigger[0] < finding.trigger[1] <= len(item.sentence)
        checks.storable(finding.detail)
        for quantity in finding.quantities:
            assert quantity.kind in QUANTITY_KINDS and quantity.value.is_finite()
            assert quantity.value >= 0
        if finding.date is not None:
            checks.sane_day(finding.date.date, around=published.date(), years=120)
            assert finding.date.precision in DatePrecision.values
