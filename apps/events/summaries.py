"""One-line summaries of events, generated from their structured fields. Pure.

The summary is what every list, digest and feed shows, so it says only what the fields say:
"Jimmy Ba left xAI for OpenAI", "Colossus 1 reached 200,000 H100 GPUs". Roles map to names
that the caller looked up; a role without a name is left out rather than guessed.
"""

from collections.abc import Mapping, Sequence
from decimal import Decimal

from apps.events.vocabulary import EventType, Role, Status


def summarize(
    event_type: str,
    names: Mapping[str, Sequence[str]],
    *,
    quantities: Mapping[str, object],
    detail: str = "",
    status: str = Status.CONFIRMED,
) -> str:
    line = _line(event_type, names, quantities, detail)
    # Names lead every summary, so the status goes in front rather than into the verb.
    if status == Status.RUMOURED:
        return f"Rumoured: {line}"
    if status == Status.DENIED:
        return f"Denied: {line}"
    return line


def _line(
    event_type: str, names: Mapping[str, Sequence[str]], q: Mapping[str, object], detail: str
) -> str:
    def one(role: Role) -> str:
        return _and(names.get(role, ()))

    person, company = one(Role.PERSON), one(Role.COMPANY)
    match event_type:
        case EventType.DEPARTURE:
            text = f"{person or 'Someone'} left {one(Role.FROM_COMPANY) or 'a company'}"
            return text + (f" for {one(Role.DESTINATION)}" if one(Role.DESTINATION) else "")
        case EventType.HIRE:
            text = f"{person or 'Someone'} joined {one(Role.DESTINATION) or 'a company'}"
            return text + (f" from {one(Role.FROM_COMPANY)}" if one(Role.FROM_COMPANY) else "")
        case EventType.ACQUISITION:
            text = f"{one(Role.ACQUIRER) or 'A buyer'} acquired {one(Role.ACQUIRED) or 'a company'}"
            return text + _money(q, " for ")
        case EventType.MERGER:
            return f"{one(Role.MERGED) or 'Two companies'} merged" + _money(q, " in a deal worth ")
        case EventType.FUNDING:
            text = f"{one(Role.RECIPIENT) or 'A company'} raised"
            text += _money(q, " ") or " new funding"
            if q.get("valuation_usd"):
                text += f" at a {_usd(q['valuation_usd'])} valuation"
            return text + (f" from {one(Role.INVESTOR)}" if one(Role.INVESTOR) else "")
        case EventType.LAWSUIT:
            text = f"{one(Role.PLAINTIFF) or 'A plaintiff'} sued {one(Role.DEFENDANT) or 'a party'}"
            return text + _over(one(Role.CLUSTER))
        case EventType.LEGAL_NOTICE:
            text = f"{one(Role.PLAINTIFF) or 'A party'} sent a legal notice to "
            return text + (one(Role.DEFENDANT) or "a party") + _over(one(Role.CLUSTER))
        case EventType.PERMIT:
            text = f"{one(Role.REGULATOR) or 'A regulator'} approved"
            what = _amounts(q)
            text += f" {what}" if what else " a permit"
            for_whom = one(Role.CLUSTER) or company
            return text + (f" for {for_whom}" if for_whom else "")
        case EventType.PARTNERSHIP:
            text = f"{one(Role.PARTNER) or 'Two companies'} partnered"
            return text + (f" on {one(Role.CLUSTER)}" if one(Role.CLUSTER) else "")
        case EventType.CLUSTER_MILESTONE:
            cluster = one(Role.CLUSTER) or "A cluster"
            what = _amounts(q)
            if q.get("projection"):
                return f"{cluster} is planned to reach {what}" if what else f"{cluster}: plans"
            return f"{cluster} reached {what}" if what else f"{cluster}: {detail or 'milestone'}"
        case EventType.MODEL_RELEASE:
            return f"{company or 'A company'} released {detail or 'a model'}"
        case EventType.REORGANISATION:
            return f"{company or 'A company'} reorganised"
    return f"{company or one(Role.PARTNER) or 'Announcement'}: {detail}".strip(": ")


def _and(items: Sequence[str]) -> str:
    items = list(dict.fromkeys(items))
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _over(cluster: str) -> str:
    return f" over {cluster}" if cluster else ""


def _money(q: Mapping[str, object], lead: str) -> str:
    return f"{lead}{_usd(q['usd'])}" if q.get("usd") else ""


def _usd(value: object) -> str:
    amount = Decimal(str(value))
    for scale, word in ((10**12, "trillion"), (10**9, "billion"), (10**6, "million")):
        if amount >= scale:
            return f"${_tidy(amount / scale)} {word}"
    return f"${amount:,.0f}"


def _tidy(value: Decimal) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text


def _amounts(q: Mapping[str, object]) -> str:
    parts = []
    if q.get("gpus") or q.get("chips"):
        count = int(Decimal(str(q.get("gpus") or q.get("chips"))))
        chip = f" {q['chip_type']}" if q.get("chip_type") else ""
        parts.append(f"{count:,}{chip} {'GPUs' if q.get('gpus') else 'chips'}")
    if q.get("h100e"):
        parts.append(f"{int(Decimal(str(q['h100e']))):,} H100 equivalents")
    if q.get("power_mw"):
        mw = Decimal(str(q["power_mw"]))
        parts.append(f"{_tidy(mw / 1000)} GW" if mw >= 1000 else f"{_tidy(mw)} MW")
    if q.get("turbines"):
        parts.append(f"{int(Decimal(str(q['turbines'])))} turbines")
    return " and ".join(parts)
