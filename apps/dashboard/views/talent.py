"""Talent flow: who left which company, for where, as a flow diagram and the list of moves.

What counts as a move is apps.events.moves's to say; the diagram's geometry is
apps.dashboard.flow's. This view filters, folds the moves into pairs and puts words and links
on the geometry.
"""

from collections import Counter
from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from apps.dashboard import flow
from apps.dashboard.forms import UNKNOWN_DESTINATION, TalentForm
from apps.dashboard.http import HtmxHttpRequest
from apps.events.moves import Move, Party, evidence_for, moves

MOVES_SHOWN = 100
MOST_SOURCES = 8
MOST_DESTINATIONS = 8
NOT_KNOWN = "Not known yet"


@dataclass(frozen=True)
class DrawnNode:
    node: flow.Node
    label: str
    title: str
    href: str
    unknown: bool = False


@dataclass(frozen=True)
class DrawnBand:
    band: flow.Band
    title: str
    href: str
    unknown: bool


@require_GET
@vary_on_headers("HX-Request")
def talent(request: HtmxHttpRequest) -> HttpResponse:
    """The flow diagram and the list of moves, for a period and a company pair."""
    template = "dashboard/talent.html#talent-flow" if request.htmx else "dashboard/talent.html"
    form = TalentForm(request.GET)
    if not form.is_valid():
        return render(request, template, {"form": form}, status=400)
    today = timezone.localdate()
    found = moves(form.move_filter(today))
    shown = found[:MOVES_SHOWN]
    evidence = evidence_for(shown)
    context = {
        "form": form,
        "since": form.period_start(today),
        "until": form.cleaned_data["until"],
        "unknown_only": form.cleaned_data["to"] == UNKNOWN_DESTINATION,
        "total": len(found),
        "moves": [(m, [evidence[e] for e in m.event_ids if e in evidence]) for m in shown],
        "more": len(found) - len(shown),
        "every_pair": "?" + form.query(from_="", to=""),
        **_diagram(found, form),
    }
    return render(request, template, context)


def _diagram(found: list[Move], form: TalentForm) -> dict[str, object]:
    pairs = Counter((m.source, m.destination) for m in found)
    names: dict[str, Party] = {}
    for source, destination in pairs:
        names[source.slug] = source
        if destination:
            names[destination.slug] = destination
    drawn = flow.layout(
        ((s.slug, d.slug if d else UNKNOWN_DESTINATION, n) for (s, d), n in pairs.items()),
        max_sources=MOST_SOURCES,
        max_targets=MOST_DESTINATIONS,
        pinned=(UNKNOWN_DESTINATION,),
    )
    nodes = [_node(node, names, form) for node in (*drawn.sources, *drawn.targets)]
    bands = [_band(band, names, form) for band in drawn.bands]
    return {
        "layout": drawn,
        "nodes": nodes,
        "bands": bands,
        "description": _description(pairs),
    }


def _name(key: str, names: dict[str, Party]) -> str:
    if key == UNKNOWN_DESTINATION:
        return NOT_KNOWN
    if key == flow.OTHER:
        return "Other"
    return names[key].name


def _node(node: flow.Node, names: dict[str, Party], form: TalentForm) -> DrawnNode:
    name = _name(node.key, names)
    people = f"{node.total} {'person' if node.total == 1 else 'people'}"
    verb = "left" if node.side == "source" else "went there"
    if node.key == flow.OTHER:
        others = ", ".join(names[key].name for key in node.folded)
        return DrawnNode(node, name, f"{others}: {people} {verb}", "#moves")
    if node.key == UNKNOWN_DESTINATION:
        href = "?" + form.query(to=UNKNOWN_DESTINATION)
        return DrawnNode(node, name, f"{people}: destination {name.lower()}", href, True)
    href = reverse("dashboard:entity", args=[node.key])
    return DrawnNode(node, name, f"{name}: {people} {verb}", href)


def _band(band: flow.Band, names: dict[str, Party], form: TalentForm) -> DrawnBand:
    source, target = _name(band.source, names), _name(band.target, names)
    people = f"{band.count} {'person' if band.count == 1 else 'people'}"
    # A folded end filters nothing: the link narrows to the end that has a name.
    pair = {
        "from_": "" if band.source == flow.OTHER else band.source,
        "to": "" if band.target == flow.OTHER else band.target,
    }
    return DrawnBand(
        band,
        f"{source} → {target}: {people}",
        "?" + form.query(**pair),
        band.target == UNKNOWN_DESTINATION,
    )


def _description(pairs: Counter[tuple[Party, Party | None]]) -> str:
    """The diagram in one sentence, for those who cannot see it (the list below has it all)."""
    if not pairs:
        return "No moves in this period."
    total, companies = sum(pairs.values()), len({source for source, _ in pairs})
    biggest = sorted(pairs.items(), key=lambda item: (-item[1], item[0][0].name))[:3]
    named = "; ".join(
        f"{s.name} to {d.name if d else NOT_KNOWN.lower()}: {n}" for (s, d), n in biggest
    )
    return (
        f"{total} move{'s' if total != 1 else ''} from {companies} "
        f"compan{'ies' if companies != 1 else 'y'}. The largest: {named}."
    )
