"""The pure diff: what is news to a reader, given their last snapshot and the facts now."""

from datetime import UTC, date, datetime, timedelta

from apps.digests.changes import (
    EVENTS_PER_GROUP,
    OVERLAP,
    CounterFact,
    EventFact,
    Figure,
    Item,
    Reading,
    Snapshot,
    diff,
    subject_line,
)

NOW = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
DAY = timedelta(days=1)
EXODUS = Item(
    "storyline:1", "Halcyon exodus", "https://site/storylines/halcyon-exodus/", "Storyline"
)
COLOSSUS = Item("entity:7", "Colossus", "https://site/entities/colossus/", "Compute cluster")
LAB = Item("entity:3", "Halcyon Labs", "https://site/entities/halcyon/", "Company")


def event(
    id: int, *, keys: set[str], created: datetime, status: str = "confirmed", day=None
) -> EventFact:
    return EventFact(
        id=id,
        type_label="Departure",
        status=status,
        date_display="9 Mar 2026",
        summary=f"Event {id}",
        created_at=created,
        keys=frozenset(keys),
        day=day,
    )


def reading(*events: EventFact, items=(EXODUS,), only_confirmed=True, **facts) -> Reading:
    return Reading(
        now=NOW,
        items=items,
        events=events,
        counters=facts.get("counters", ()),
        figures=facts.get("figures", ()),
        storyline_clusters=facts.get("storyline_clusters", {}),
        only_confirmed=only_confirmed,
        lookback=DAY,
    )


def snapshot(**fields) -> Snapshot:
    return Snapshot(taken_at=NOW - DAY, follows=frozenset({"storyline:1"}), **fields)


def shown(digest) -> list[tuple[str, int, str]]:
    return [(g.item.key, c.event.id, c.change) for g in digest.groups for c in g.events]


def test_it_reports_events_found_since_the_last_digest():
    old = event(1, keys={"storyline:1"}, created=NOW - 3 * DAY)
    new = event(2, keys={"storyline:1"}, created=NOW - DAY / 2)
    elsewhere = event(3, keys={"storyline:9"}, created=NOW - DAY / 2)

    digest, _ = diff(snapshot(), reading(old, new, elsewhere))

    assert shown(digest) == [("storyline:1", 2, "new")]


def test_it_looks_back_over_the_overlap_but_skips_what_the_last_digest_saw():
    seen_late = event(4, keys={"storyline:1"}, created=NOW - DAY - OVERLAP / 2)
    committed_late = event(5, keys={"storyline:1"}, created=NOW - DAY - OVERLAP / 3)

    digest, _ = diff(snapshot(recent=frozenset({4})), reading(seen_late, committed_late))

    assert shown(digest) == [("storyline:1", 5, "new")]


def test_a_first_digest_covers_one_period():
    before = event(1, keys={"storyline:1"}, created=NOW - 2 * DAY)
    within = event(2, keys={"storyline:1"}, created=NOW - DAY / 3)

    digest, snap = diff(None, reading(before, within))

    assert shown(digest) == [("storyline:1", 2, "new")]
    assert digest.since is None and digest.period_text == "the last day"
    assert snap.follows == {"storyline:1"} and snap.taken_at == NOW


def test_new_events_read_latest_happening_first_whenever_they_were_found():
    retrospective = event(1, keys={"storyline:1"}, created=NOW - DAY / 4, day=date(2025, 1, 5))
    this_week = event(2, keys={"storyline:1"}, created=NOW - DAY / 2, day=date(2026, 3, 8))
    undated = event(3, keys={"storyline:1"}, created=NOW - DAY / 5)

    digest, _ = diff(None, reading(retrospective, this_week, undated))

    [group] = digest.groups
    assert [change.event.id for change in group.events] == [2, 1, 3]


def test_a_newly_followed_item_gets_one_period_of_news_not_its_whole_past():
    prev = snapshot()  # followed only the storyline
    lab_old = event(1, keys={"entity:3"}, created=NOW - 5 * DAY)
    lab_new = event(2, keys={"entity:3"}, created=NOW - DAY / 2)

    digest, _ = diff(prev, reading(lab_old, lab_new, items=(EXODUS, LAB)))

    assert shown(digest) == [("entity:3", 2, "new")]


def test_rumours_are_left_out_for_readers_who_want_only_confirmed_events():
    rumour = event(1, keys={"storyline:1"}, created=NOW - DAY / 2, status="rumoured")

    quiet, snap = diff(snapshot(), reading(rumour))
    told, _ = diff(snapshot(), reading(rumour, only_confirmed=False))

    assert quiet.is_empty and snap.rumoured == {1}
    assert shown(told) == [("storyline:1", 1, "new")]


def test_it_tells_a_rumour_that_was_confirmed():
    confirmed = event(1, keys={"storyline:1"}, created=NOW - 5 * DAY)
    still = event(2, keys={"storyline:1"}, created=NOW - 5 * DAY, status="rumoured")

    digest, snap = diff(snapshot(rumoured=frozenset({1, 2})), reading(confirmed, still))

    assert shown(digest) == [("storyline:1", 1, "confirmed")]
    assert snap.rumoured == {2}
    assert subject_line(digest) == "Confirmed: Event 1"


def test_a_denial_is_news_only_to_readers_who_were_told_the_rumour():
    denied = event(1, keys={"storyline:1"}, created=NOW - 5 * DAY, status="denied")
    prev = snapshot(rumoured=frozenset({1}))

    assert diff(prev, reading(denied))[0].is_empty
    assert shown(diff(prev, reading(denied, only_confirmed=False))[0]) == [
        ("storyline:1", 1, "denied")
    ]


def test_an_event_is_told_once_under_the_first_followed_item():
    both = event(1, keys={"storyline:1", "entity:3"}, created=NOW - DAY / 2)

    digest, _ = diff(snapshot(), reading(both, items=(LAB, EXODUS)))

    assert shown(digest) == [("storyline:1", 1, "new")]


def counter(gone: int) -> CounterFact:
    return CounterFact("storyline:1", "halcyon", "Halcyon Labs", "https://site/e/", gone, 12)


def test_it_tells_a_counter_that_moved_and_says_so_in_the_subject():
    prev = snapshot(counters={"storyline:1/halcyon": (10, 12)})
    new = event(2, keys={"storyline:1"}, created=NOW - DAY / 2)

    digest, snap = diff(prev, reading(new, counters=[counter(11)]))

    [group] = digest.groups
    assert [(c.fact.gone, c.before) for c in group.counters] == [(11, 10)]
    assert (
        subject_line(digest) == "Halcyon exodus: now 11 of 12 co-founders gone · and 1 more change"
    )
    assert snap.counters == {"storyline:1/halcyon": (11, 12)}


def test_an_unchanged_counter_is_no_news():
    prev = snapshot(counters={"storyline:1/halcyon": (11, 12)})

    assert diff(prev, reading(counters=[counter(11)]))[0].is_empty


def gpus(value: float) -> Figure:
    return Figure(
        "entity:7", "Colossus", "https://site/entities/colossus/", "gpus", value, "https://src/"
    )


def test_it_tells_a_revised_figure_of_a_followed_cluster():
    prev = Snapshot(
        taken_at=NOW - DAY, follows=frozenset({"entity:7"}), figures={"entity:7/gpus": 200_000}
    )

    digest, snap = diff(prev, reading(items=(COLOSSUS,), figures=[gpus(230_000)]))

    assert [(r.before_display, r.after_display, r.unit) for r in digest.groups[0].revisions] == [
        ("200,000", "230,000", "GPUs")
    ]
    assert subject_line(digest) == "Colossus: 200,000 → 230,000 GPUs"
    assert snap.figures == {"entity:7/gpus": 230_000}


def test_a_storyline_tells_the_figures_of_the_clusters_its_rule_names():
    prev = snapshot(figures={"entity:7/gpus": 100_000})
    facts = {"figures": [gpus(200_000)], "storyline_clusters": {"storyline:1": ("entity:7",)}}

    digest, _ = diff(prev, reading(**facts))

    assert digest.groups[0].item == EXODUS and len(digest.groups[0].revisions) == 1


def test_a_first_figure_is_remembered_not_told():
    digest, snap = diff(None, reading(items=(COLOSSUS,), figures=[gpus(230_000)]))

    assert digest.is_empty and snap.figures == {"entity:7/gpus": 230_000}


def test_it_caps_the_events_of_a_group_and_counts_the_rest():
    many = [event(i, keys={"storyline:1"}, created=NOW - DAY / 2) for i in range(1, 15)]

    digest, _ = diff(snapshot(), reading(*many))

    [group] = digest.groups
    assert len(group.events) == EVENTS_PER_GROUP and group.more == 4
    assert digest.change_count == 14
    assert subject_line(digest).startswith("Halcyon exodus: 14 new events")


def test_nothing_changed_is_an_empty_digest():
    digest, snap = diff(snapshot(), reading())

    assert digest.is_empty and digest.groups == []
    assert snap.taken_at == NOW


def test_the_snapshot_survives_json():
    snap = Snapshot(
        taken_at=NOW,
        follows=frozenset({"storyline:1", "entity:7"}),
        recent=frozenset({4, 5}),
        rumoured=frozenset({2}),
        counters={"storyline:1/halcyon": (11, 12)},
        figures={"entity:7/gpus": 230_000.0},
    )

    assert Snapshot.from_json(snap.to_json()) == snap
    assert Snapshot.from_json({}) is None and Snapshot.from_json({"v": 99}) is None
