"""The geometry of a flow diagram: sources on the left, targets on the right, one band per pair.

Pure: (source, target, count) triples in, node boxes and band paths out, in SVG user units; the
page adds the words and the links. Choices:

- Bounded: at most `max_sources` nodes on the left and `max_targets` on the right; the smallest
  are folded into one `OTHER` node per side, so a busy year draws as many boxes as a quiet one.
- Ordered to cross less: sources by their totals (the biggest first, where readers look), then
  each target at the barycentre of the sources it draws from, which is the classic one-sided
  heuristic for two layers. Ties break by key, so the same input always draws the same picture.
- `OTHER` and the caller's `pinned` targets (such as "not known yet") stay at the bottom, where
  a reader expects them, and are never folded.
- A band is a closed shape between two cubic Bézier curves, as thick as its count; a node is
  as tall as its total (with a floor, so that one person stays visible and labels never touch).
"""

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

# Not a slug (slugs have no parentheses), so it never collides with a caller's key.
OTHER = "(other)"

WIDTH = 760.0
NODE_WIDTH = 14.0
LABEL_ROOM = 200.0  # each side's labels sit outside its nodes
TOP = 28.0  # room for the column headings
BOTTOM = 8.0
FLOW_HEIGHT = 360.0  # the height all the flow gets once there is enough of it
MAX_UNIT = 24.0  # the thickness of one person while there are few
MIN_NODE = 6.0
GAP = 14.0

Side = Literal["source", "target"]


@dataclass(frozen=True)
class Node:
    key: str
    side: Side
    total: int
    x: float
    y: float
    height: float
    folded: tuple[str, ...] = ()  # the keys an OTHER node stands for, biggest first

    width = NODE_WIDTH

    @property
    def middle(self) -> float:
        return self.y + self.height / 2

    @property
    def label_x(self) -> float:
        return self.x - 6 if self.side == "source" else self.x + NODE_WIDTH + 6

    @property
    def label_anchor(self) -> str:
        return "end" if self.side == "source" else "start"


@dataclass(frozen=True)
class Band:
    source: str
    target: str
    count: int
    thickness: float
    source_y: float  # the top of its slice of the source node
    target_y: float  # the top of its slice of the target node
    path: str  # an SVG path: two cubic Béziers and the node edges between them

    @property
    def label_x(self) -> float:
        return LABEL_ROOM + NODE_WIDTH + 4

    @property
    def label_y(self) -> float:
        return self.source_y + self.thickness / 2


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    sources: tuple[Node, ...]
    targets: tuple[Node, ...]
    bands: tuple[Band, ...]

    @property
    def total(self) -> int:
        return sum(node.total for node in self.sources)


def layout(
    flows: Iterable[tuple[str, str, int]],
    *,
    max_sources: int = 8,
    max_targets: int = 8,
    pinned: Collection[str] = (),
) -> Layout:
    """Lay out the flows; a pair given twice counts once with both counts, zero counts are
    dropped, and a negative count is a ValueError."""
    if max_sources < 2 or max_targets < 2:
        raise ValueError("each side needs room for at least one node and OTHER")
    merged: Counter[tuple[str, str]] = Counter()
    for source, target, count in flows:
        if count < 0:
            raise ValueError(f"negative count for {source!r} → {target!r}")
        if count:
            merged[source, target] += count
    kept_sources, folded_sources = _fold(_totals(merged, 0), max_sources, ())
    kept_targets, folded_targets = _fold(_totals(merged, 1), max_targets, pinned)
    folded: Counter[tuple[str, str]] = Counter()
    for (source, target), count in merged.items():
        folded[kept_sources.get(source, OTHER), kept_targets.get(target, OTHER)] += count

    source_order = _by_total(_totals(folded, 0))
    unit = _unit(sum(folded.values()))
    sources = _stack(source_order, _totals(folded, 0), "source", unit, folded_sources)
    middles = {node.key: node.middle for node in sources}
    target_order = _by_barycentre(folded, middles, pinned)
    targets = _stack(target_order, _totals(folded, 1), "target", unit, folded_targets)
    bands = _bands(folded, sources, targets, unit)
    tallest = max((_bottom(side) for side in (sources, targets)), default=TOP)
    return Layout(WIDTH, tallest + BOTTOM, sources, targets, bands)


def _totals(flows: Mapping[tuple[str, str], int], side: int) -> Counter[str]:
    totals: Counter[str] = Counter()
    for pair, count in flows.items():
        totals[pair[side]] += count
    return totals


def _by_total(totals: Mapping[str, int]) -> list[str]:
    """Biggest first, ties by key; OTHER last whatever its size."""
    return sorted(totals, key=lambda key: (key == OTHER, -totals[key], key))


def _fold(
    totals: Mapping[str, int], most: int, pinned: Collection[str]
) -> tuple[dict[str, str], tuple[str, ...]]:
    """Which keys keep their own node (mapped to themselves) and which fold into OTHER."""
    free = [key for key in _by_total(totals) if key not in pinned and key != OTHER]
    room = most - sum(1 for key in totals if key in pinned)
    if len(free) <= room:
        kept, folded = free, []
    else:
        # One place goes to OTHER itself.
        cut = max(room - 1, 0)
        kept, folded = free[:cut], free[cut:]
    mapping = {key: key for key in [*kept, *pinned] if key in totals}
    # A caller's own OTHER key keeps meaning "the rest" and joins the folded node.
    return mapping, tuple(folded)


def _by_barycentre(
    flows: Mapping[tuple[str, str], int], middles: Mapping[str, float], pinned: Collection[str]
) -> list[str]:
    weight: defaultdict[str, float] = defaultdict(float)
    totals = _totals(flows, 1)
    for (source, target), count in flows.items():
        weight[target] += count * middles[source]
    centre = {key: weight[key] / totals[key] for key in totals}
    free = sorted(
        (key for key in totals if key != OTHER and key not in pinned),
        key=lambda key: (centre[key], -totals[key], key),
    )
    bottom = [OTHER] if OTHER in totals else []
    return free + bottom + sorted(key for key in totals if key in pinned)


def _unit(total: int) -> float:
    return min(MAX_UNIT, FLOW_HEIGHT / total) if total else MAX_UNIT


def _stack(
    order: list[str], totals: Mapping[str, int], side: Side, unit: float, folded: tuple[str, ...]
) -> tuple[Node, ...]:
    x = LABEL_ROOM if side == "source" else WIDTH - LABEL_ROOM - NODE_WIDTH
    nodes: list[Node] = []
    y = TOP
    for key in order:
        height = max(MIN_NODE, totals[key] * unit)
        nodes.append(Node(key, side, totals[key], x, y, height, folded if key == OTHER else ()))
        y += height + GAP
    return tuple(nodes)


def _bottom(nodes: tuple[Node, ...]) -> float:
    return max((node.y + node.height for node in nodes), default=TOP)


def _bands(
    flows: Mapping[tuple[str, str], int],
    sources: tuple[Node, ...],
    targets: tuple[Node, ...],
    unit: float,
) -> tuple[Band, ...]:
    """Each source's bands leave it in the order of their targets, and arrive in the order of
    their sources, so no two bands cross inside a node."""
    rank = {("s", n.key): i for i, n in enumerate(sources)}
    rank |= {("t", n.key): i for i, n in enumerate(targets)}
    by_source = sorted(flows, key=lambda p: (rank["s", p[0]], rank["t", p[1]]))
    by_target = sorted(flows, key=lambda p: (rank["t", p[1]], rank["s", p[0]]))
    source_top = _slices(by_source, 0, {n.key: n for n in sources}, flows, unit)
    target_top = _slices(by_target, 1, {n.key: n for n in targets}, flows, unit)
    x0, x1 = LABEL_ROOM + NODE_WIDTH, WIDTH - LABEL_ROOM - NODE_WIDTH
    return tuple(
        _band(pair, flows[pair], unit, (x0, source_top[pair]), (x1, target_top[pair]))
        for pair in by_source
    )


def _slices(
    pairs: list[tuple[str, str]],
    side: int,
    nodes: Mapping[str, Node],
    flows: Mapping[tuple[str, str], int],
    unit: float,
) -> dict[tuple[str, str], float]:
    """Where each band's slice starts on one side: stacked in order, centred in the node (a
    node raised to the minimum height is taller than its bands)."""
    tops: dict[tuple[str, str], float] = {}
    used: dict[str, float] = {}
    totals = _totals(flows, side)
    for pair in pairs:
        node = nodes[pair[side]]
        if node.key not in used:
            used[node.key] = node.y + (node.height - totals[node.key] * unit) / 2
        tops[pair] = used[node.key]
        used[node.key] += flows[pair] * unit
    return tops


def _band(
    pair: tuple[str, str],
    count: int,
    unit: float,
    start: tuple[float, float],
    end: tuple[float, float],
) -> Band:
    (x0, s0), (x1, t0) = start, end
    thickness = count * unit
    s1, t1, xm = s0 + thickness, t0 + thickness, (x0 + x1) / 2
    path = (
        f"M{_n(x0)} {_n(s0)}C{_n(xm)} {_n(s0)} {_n(xm)} {_n(t0)} {_n(x1)} {_n(t0)}"
        f"L{_n(x1)} {_n(t1)}C{_n(xm)} {_n(t1)} {_n(xm)} {_n(s1)} {_n(x0)} {_n(s1)}Z"
    )
    return Band(pair[0], pair[1], count, thickness, s0, t0, path)


def _n(value: float) -> str:
    """A coordinate to two decimals at most, without trailing zeros: short, stable paths."""
    return f"{value:.2f}".rstrip("0").rstrip(".")
