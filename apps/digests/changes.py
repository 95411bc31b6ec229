"""What changed for one reader: a pure diff between what their last digest showed and now.

No database, no templates. The builder (apps.digests.services.building) loads the facts; this
module decides what is news to the reader and what snapshot to keep for next time:

- **new events** in what they follow: found (created) since their last digest, or within one
  period for a first digest or a newly followed item; rumoured ones only for readers who want
  them;
- **confirmations**: an event that was rumoured when the last digest was built and is confirmed
  now (a denial too, for readers who follow rumours);
- **changed counters**: "now 11 of 12 co-founders gone" when the number moved;
- **revised figures**: "Colossus: 200,000 → 230,000 GPUs" when a cluster's latest figure moved.

The snapshot is small: the ids of in-scope events found in the last hour before it (events are
committed a little after they are created, so the next digest looks back over that hour and
skips what it already saw), the in-scope rumours, the counters and the figures.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

CONFIRMED = "confirmed"
RUMOURED = "rumoured"
DENIED = "denied"

# Events are stamped when created and seen when their transaction commits; a digest looks back
# this far before its predecessor's snapshot, so an event committed late is not missed.
OVERLAP = timedelta(hours=1)
# Events shown per group; the rest are counted and linked ("and 4 more on the page").
EVENTS_PER_GROUP = 10
SOURCES_PER_EVENT = 3
SNAPSHOT_VERSION = 1

KIND_ORDER = {"storyline": 0, "entity": 1, "type": 2}

METRICS = {
    "gpus": "GPUs",
    "h100_equivalents": "H100 equivalents",
    "power_mw": "MW",
    "turbines": "turbines",
}


@dataclass(frozen=True)
class Item:
    """A followed thing: "storyline:3", "entity:7" or "type:funding", with its title and page."""

    key: str
    title: str
    url: str
    # For an entity: company, person or cluster; for the others, their kind.
    label: str = ""

    @property
    def kind(self) -> str:
        return self.key.split(":", 1)[0]


@dataclass(frozen=True)
class SourceLink:
    title: str
    outlet: str
    url: str


@dataclass(frozen=True)
class EventFact:
    id: int
    type_label: str
    status: str
    date_display: str
    summary: str
    created_at: datetime
    # The follow keys the event falls under: its storylines, participants and type.
    keys: frozenset[str]
    sources: tuple[SourceLink, ...] = ()
    # When it happened (None: not known), for the order the reader reads them in.
    day: date | None = None


@dataclass(frozen=True)
class CounterFact:
    """A storyline's headline counter, as apps.events.selectors.founders_gone gives it."""

    storyline_key: str
    company_slug: str
    company_name: str
    company_url: str
    gone: int
    founders: int

    @property
    def key(self) -> str:
        return f"{self.storyline_key}/{self.company_slug}"


@dataclass(frozen=True)
class Figure:
    """A cluster's latest figure of one kind (latest dated observation that is not a plan)."""

    cluster_key: str
    cluster_name: str
    cluster_url: str
    metric: str
    value: float
    source_url: str = ""

    @property
    def key(self) -> str:
        return f"{self.cluster_key}/{self.metric}"


@dataclass(frozen=True)
class Snapshot:
    taken_at: datetime
    follows: frozenset[str] = frozenset()
    recent: frozenset[int] = frozenset()
    rumoured: frozenset[int] = frozenset()
    counters: dict[str, tuple[int, int]] = field(default_factory=dict)
    figures: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "v": SNAPSHOT_VERSION,
            "taken_at": self.taken_at.isoformat(),
            "follows": sorted(self.follows),
            "recent": sorted(self.recent),
            "rumoured": sorted(self.rumoured),
            "counters": {key: list(value) for key, value in sorted(self.counters.items())},
            "figures": dict(sorted(self.figures.items())),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> "Snapshot | None":
        """The stored snapshot, or None (no digest yet, or one from an unknown version)."""
        if not data or data.get("v") != SNAPSHOT_VERSION:
            return None
        return cls(
            taken_at=datetime.fromisoformat(data["taken_at"]),
            follows=frozenset(data.get("follows", [])),
            recent=frozenset(data.get("recent", [])),
            rumoured=frozenset(data.get("rumoured", [])),
            counters={k: (int(v[0]), int(v[1])) for k, v in data.get("counters", {}).items()},
            figures={k: float(v) for k, v in data.get("figures", {}).items()},
        )


@dataclass(frozen=True)
class EventChange:
    event: EventFact
    # "new", "confirmed" (was rumoured) or "denied" (was rumoured).
    change: str


@dataclass(frozen=True)
class CounterChange:
    fact: CounterFact
    # None when there is no earlier figure to compare with (shown as context, not as news).
    before: int | None


@dataclass(frozen=True)
class Revision:
    figure: Figure
    before: float

    @property
    def unit(self) -> str:
        return METRICS.get(self.figure.metric, self.figure.metric)

    @property
    def before_display(self) -> str:
        return format_number(self.before)

    @property
    def after_display(self) -> str:
        return format_number(self.figure.value)


@dataclass
class Group:
    """What changed under one followed item."""

    item: Item
    events: list[EventChange] = field(default_factory=list)
    counters: list[CounterChange] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    more: int = 0  # events left out of the mail past EVENTS_PER_GROUP

    @property
    def change_count(self) -> int:
        news = [c for c in self.counters if c.before is not None]
        return len(self.events) + self.more + len(news) + len(self.revisions)


@dataclass
class Digest:
    groups: list[Group]
    # The last digest's snapshot time; None for a first digest (which covers one period).
    since: datetime | None
    lookback: timedelta

    @property
    def change_count(self) -> int:
        return sum(group.change_count for group in self.groups)

    @property
    def is_empty(self) -> bool:
        return self.change_count == 0

    @property
    def period_text(self) -> str:
        """What a first digest covers: "the last day", "the last week"."""
        days = self.lookback.days
        return (
            "the last day"
            if days <= 1
            else "the last week"
            if days == 7
            else f"the last {days} days"
        )


@dataclass(frozen=True)
class Reading:
    """Everything a reader's digest is computed from, loaded by the builder."""

    now: datetime
    items: Sequence[Item]
    # Candidate events: every visible event found since the earliest window start of the
    # batch, and the earlier rumours; the diff keeps the reader's.
    events: Iterable[EventFact]
    counters: Iterable[CounterFact]
    figures: Iterable[Figure]
    # Storyline key -> the cluster keys its rule names (their figures go with the storyline).
    storyline_clusters: dict[str, tuple[str, ...]]
    only_confirmed: bool
    lookback: timedelta


def window_start(previous: Snapshot | None, *, now: datetime, lookback: timedelta) -> datetime:
    """How far back this reader's candidate events must go (the builder loads from the
    earliest of a batch)."""
    start = now - lookback
    if previous is not None:
        start = min(start, previous.taken_at - OVERLAP)
    return start


def diff(previous: Snapshot | None, reading: Reading) -> tuple[Digest, Snapshot]:
    """The reader's digest and the snapshot to keep for the next one."""
    follows = {item.key for item in reading.items}
    known = set(previous.follows) if previous else set()
    in_scope = [event for event in reading.events if event.keys & follows]
    order = _group_order(reading.items)
    groups = {item.key: Group(item) for item in order}

    for event in sorted(in_scope, key=lambda e: (e.created_at, e.id)):
        change = _event_change(event, previous, reading, known=known, follows=follows)
        if change is not None:
            home = next(key for key in groups if key in event.keys)
            groups[home].events.append(EventChange(event, change))

    counters = [c for c in reading.counters if c.storyline_key in follows]
    for counter in counters:
        before = previous.counters.get(counter.key) if previous else None
        group = groups[counter.storyline_key]
        if before is not None and before[0] != counter.gone:
            group.counters.append(CounterChange(counter, before[0]))
        elif before is None and group.events:
            group.counters.append(CounterChange(counter, None))

    figures = _figures_in_scope(reading, follows)
    for figure, home in figures:
        before_value = previous.figures.get(figure.key) if previous else None
        if before_value is not None and before_value != figure.value:
            groups[home].revisions.append(Revision(figure, before_value))

    shown = []
    for group in groups.values():
        group.events.sort(key=_newest_first)
        group.more = max(0, len(group.events) - EVENTS_PER_GROUP)
        del group.events[EVENTS_PER_GROUP:]
        if group.change_count:
            shown.append(group)
    snapshot = Snapshot(
        taken_at=reading.now,
        follows=frozenset(follows),
        recent=frozenset(e.id for e in in_scope if e.created_at >= reading.now - OVERLAP),
        rumoured=frozenset(e.id for e in in_scope if e.status == RUMOURED),
        counters={c.key: (c.gone, c.founders) for c in counters},
        figures={figure.key: figure.value for figure, _ in figures},
    )
    digest = Digest(shown, previous.taken_at if previous else None, reading.lookback)
    return digest, snapshot


def _event_change(
    event: EventFact,
    previous: Snapshot | None,
    reading: Reading,
    *,
    known: set[str],
    follows: set[str],
) -> str | None:
    if previous is not None and event.id in previous.rumoured:
        if event.status == CONFIRMED:
            return "confirmed"
        if event.status == DENIED and not reading.only_confirmed:
            return "denied"
        return None
    if previous is not None and event.id in previous.recent:
        return None
    starts = []
    if previous is not None and event.keys & known:
        starts.append(previous.taken_at - OVERLAP)
    if event.keys & (follows - known):
        starts.append(reading.now - reading.lookback)
    if not starts or event.created_at < min(starts):
        return None
    if event.status == CONFIRMED or (event.status == RUMOURED and not reading.only_confirmed):
        return "new"
    return None


def _group_order(items: Iterable[Item]) -> list[Item]:
    """Storylines first, then entities, then event types; by title within each."""
    return sorted(items, key=lambda item: (KIND_ORDER.get(item.kind, 9), item.title.lower()))


def _figures_in_scope(reading: Reading, follows: set[str]) -> list[tuple[Figure, str]]:
    """Each figure of a followed cluster, or of a cluster a followed storyline's rule names,
    with the group it is told in (the cluster's own, else the first such storyline's)."""
    homes: dict[str, str] = {}
    for item in _group_order(reading.items):
        if item.kind == "storyline":
            for cluster_key in reading.storyline_clusters.get(item.key, ()):
                homes.setdefault(cluster_key, item.key)
    for key in follows:
        if key.startswith("entity:"):
            homes[key] = key
    return [
        (figure, homes[figure.cluster_key])
        for figure in reading.figures
        if figure.cluster_key in homes
    ]


def _newest_first(change: EventChange) -> tuple[bool, int, float, int]:
    """Confirmations first (they settle something the reader was told before), then the
    latest happenings: a retrospective found today about last year reads after this week's
    news. Undated events come last."""
    event = change.event
    happened = event.day.toordinal() if event.day else 0
    return (change.change == "new", -happened, -event.created_at.timestamp(), -event.id)


def subject_line(digest: Digest) -> str:
    """The main change, in a few words, and how many more there are."""
    lead, total = _main_change(digest), digest.change_count
    if total > 1:
        return f"{lead} · and {total - 1} more change{'s' if total > 2 else ''}"
    return lead


def _main_change(digest: Digest) -> str:
    for group in digest.groups:
        for counter in group.counters:
            if counter.before is not None:
                fact = counter.fact
                return f"{group.item.title}: now {fact.gone} of {fact.founders} co-founders gone"
    for group in digest.groups:
        for revision in group.revisions:
            figure = revision.figure
            return (
                f"{figure.cluster_name}: {revision.before_display} → "
                f"{revision.after_display} {revision.unit}"
            )
    for group in digest.groups:
        for change in group.events:
            if change.change == "confirmed":
                return f"Confirmed: {_short(change.event.summary)}"
    for group in digest.groups:
        count = len(group.events) + group.more
        if count == 1:
            return f"{group.item.title}: {_short(group.events[0].event.summary)}"
        if count:
            return f"{group.item.title}: {count} new events"
    return "Nothing new"


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def format_number(value: float) -> str:
    """200000 → "200,000"; 150.5 → "150.5"."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"
