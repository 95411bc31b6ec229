"""What the fuzzers start from: real feeds, pages and OPML (the demo corpus and the test
fixtures), the seed entities' names, and the words the event rules trigger on."""

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from apps.entities.matching import AliasEntry, Matcher

ROOT = Path(__file__).resolve().parents[2]
DEMO_SITE = ROOT / "demo" / "site"
SEED = ROOT / "demo" / "seed"
FIXTURES = ROOT / "tests" / "fixtures"
# The demo feeds are templates holding `{base}`, the address the demo server answers on.
DEMO_BASE = "https://demo.example"


def _read(path: Path) -> bytes:
    body = path.read_bytes()
    return body.replace(b"{base}", DEMO_BASE.encode()) if path.suffix == ".tmpl" else body


def _files(*paths: Path) -> tuple[bytes, ...]:
    return tuple(_read(path) for path in sorted(paths))


FEEDS = _files(
    *DEMO_SITE.rglob("*.tmpl"),
    *(p for p in (FIXTURES / "feeds").iterdir() if p.suffix in (".xml", ".json")),
)
PAGES = _files(
    *(p for p in DEMO_SITE.rglob("*.html") if p.name != "index.html"),
    *(FIXTURES / "pages").glob("*.html"),
)
OPML = _files(FIXTURES / "feeds" / "subscriptions.opml")

# Words the rules read as events, dates and figures (their modules' docstrings list them).
TRIGGERS = (
    *("has left", "left", "leaves", "stepped down as", "resigned from", "departed", "quit"),
    *("parted ways with", "was ousted by", "is out as CEO of", "announced his departure from"),
    *("joined", "joins", "hired", "was named CFO of", "appointed", "was brought on by", "from"),
    *("restructured", "split into four units", "reorganisation at", "a leadership shake-up at"),
    *("acquired", "was bought by", "now owned by", "takeover of", "merged into", "absorbed"),
    *("merged with", "will combine with", "an all-stock merger of", "sold", "to"),
    *("raised", "closed a", "Series C led by", "invested", "in", "values", "at", "valuation"),
    *("partnered with", "signed a deal with", "struck a deal with", "will lease", "to use"),
    *("released", "unveiled", "launched", "Grok 3", "GPT-4o mini", "model", "trained on"),
    *("reached", "now has", "houses", "came online with", "draws", "runs", "went live", "began"),
    *("approved", "granted", "issued a permit for", "received a permit from", "signed off on"),
    *("sued", "filed a lawsuit against", "was sued by", "joined the suit against", "appeal"),
    *("sent", "a notice of intent to sue", "threatened to sue", "a cease-and-desist to"),
    *("denied", "is not leaving", "declined to confirm or deny", "reportedly", "is said to"),
    *("has not left", "never joined", "plans to", "will", "is in talks to raise", "he", "she"),
    *("the company", "the startup", "the supercomputer", "its", "'s", "co-founder", "former"),
)
# Words around a claim that make it a rumour or a denial, or that refer back to an entity.
HEDGES = (
    *("", "", "", "Reportedly, ", "A spokesperson denied that ", "Sources say ", "He said "),
    *("It is not true that ", "According to filings, ", "The company said ", "She "),
)
DATES = (
    *("on Tuesday", "last week", "yesterday", "in March", "in mid-2024", "since 2023", "today"),
    *("Feb. 10, 2026", "10 February 2026", "2026-02-10", "the 29th of February", "last year"),
    *("three months ago", "over the weekend", "early next year", "in the spring", "Q4 2025"),
    *("the end of March", "last autumn", "this summer", "next month", "around Feb. 10", "2024"),
    *("April 2024.", "March 27:", "Late February.", "in 1999", "99 years ago", "next Sunday"),
)
FIGURES = (
    *("$6 billion", "US$6 billion", "USD 6bn", "6 billion dollars", "a $24 billion valuation"),
    *("100,000 Nvidia H100 chips", "200,000 GPUs", "1 GW", "1.2 gigawatts", "150MW", "500 kW"),
    *("35 gas turbines", "a dozen mobile turbines", "H100 equivalents", "1,200 employees"),
    *("€1.2 billion", "$142.50 a share", "25,000 GPUs or so", "about 300 MW", "half a billion"),
)


@cache
def seed_aliases() -> tuple[AliasEntry, ...]:
    """Every seed entity's name and aliases, with their flags, as the linker reads them."""
    entries: list[AliasEntry] = []
    for name, kind in (("companies", "company"), ("people", "person"), ("clusters", "cluster")):
        records: list[dict[str, Any]] = yaml.safe_load((SEED / f"{name}.yaml").read_text())
        for record in records:
            entity_id = len(entries) + 1
            entries.append(AliasEntry(entity_id, record["name"], False, False, kind))
            entries += [_alias(entity_id, alias, kind) for alias in record.get("aliases") or []]
    return tuple(entries)


def _alias(entity_id: int, alias: str | dict[str, Any], kind: str) -> AliasEntry:
    if isinstance(alias, str):
        return AliasEntry(entity_id, alias, False, False, kind)
    flags = bool(alias.get("case_sensitive")), bool(alias.get("needs_context"))
    return AliasEntry(entity_id, alias["text"], *flags, kind)


@cache
def seed_matcher() -> Matcher:
    return Matcher(seed_aliases())


def seed_names(kind: str = "") -> tuple[str, ...]:
    """The seed's names and aliases, of one kind ("company", "person", "cluster") or all."""
    return tuple(e.text for e in seed_aliases() if not kind or e.entity_type == kind)
