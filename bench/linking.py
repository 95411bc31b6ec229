"""Linking benchmark: the alias matcher's speed against a bare automaton pass, and its accuracy.

Speed. Generates, with a fixed seed, 10,000 and 50,000 plausible company and person aliases
(plus the real seed aliases) and about 100 synthetic news articles of ~600 words, then measures
with time.process_time():

- the build of a `Matcher` (one pyahocorasick automaton over every alias);
- `Matcher.link` CPU per article, against an anchor taken in the same run on the same input:
  a bare `iter` pass of the same automaton over the same lower-cased document. Everything
  `link` adds (boundary, case and context checks, overlaps, sentences, salience, unknown names)
  shows up in the ratio.

Accuracy. Builds a Matcher from demo/seed/*.yaml (read directly: slug -> id by enumeration;
related = parent, successor, cluster owner, affiliation company and destination, as the
linking stage builds it from the database) and links the demo corpus pages (demo/site/, text
extracted by our own `extract`), then compares the linked entities per article with the
hand-written labels in bench/linking_labels.yaml: precision and recall over (article, entity).

Run: make bench  (or .venv/bin/python bench/linking.py)
"""

import json
import os
import platform
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import yaml
from report import Row, print_table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from apps.entities.matching import AliasEntry, Matcher  # noqa: E402
from apps.sources.parsers.extract import extract  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "linking.json"
LABELS = ROOT / "bench" / "linking_labels.yaml"
SEED_DIR = ROOT / "demo" / "seed"
SITE_DIR = ROOT / "demo" / "site"
SEED = 20240905
ALIAS_COUNTS = (10_000, 50_000)
ARTICLES = 100
ROUNDS = 3  # link every article this many times and keep the fastest round (less noise)

# --- Synthetic aliases ----------------------------------------------------------------------

ONSETS = ["b", "br", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "qu", "r", "s", "st",
          "t", "tr", "v", "w", "z", "th", "ch", "gr", "kl", "pr", "sh", "sk"]  # fmt: skip
VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "io", "ou", "y"]
CODAS = ["", "n", "r", "s", "l", "m", "x", "th", "nd", "rk", "st", "v"]
COMPANY_SUFFIXES = ["AI", "Labs", "Systems", "Capital", "Research", "Dynamics", "Compute",
                    "Robotics", "Partners", "Networks", "Energy", "Cloud", "Analytics",
                    "Ventures", "Semiconductor", "Holdings", "Technologies", "Power"]  # fmt: skip
FIRST_NAMES = ["Maya", "Jonas", "Priya", "Tobias", "Elena", "Kwame", "Ines", "Rafael",
               "Lena", "Omar", "Nora", "Felix", "Aisha", "Mateo", "Sofia", "Hiro", "Amara",
               "Lukas", "Zara", "Dmitri", "Chloe", "Arjun", "Freya", "Kofi", "Yuki", "Marta",
               "Idris", "Selin", "Bruno", "Leila", "Anton", "Mira", "Tariq", "Greta", "Emeka",
               "Ana"]  # fmt: skip


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(
        rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(syllables)
    ).capitalize()


def synthetic_aliases(count: int, *, seed: int, first_id: int) -> list[AliasEntry]:
    """`count` unique aliases: companies ("Vorantis Labs"), people ("Maya Trelkov") and, as the
    seed does, each person's bare surname as an ambiguous alias."""
    rng = random.Random(seed)
    entries: list[AliasEntry] = []
    seen: set[str] = set()
    entity_id = first_id
    while len(entries) < count:
        entity_id += 1
        if rng.random() < 0.5:
            root = _word(rng, rng.choice((2, 2, 3)))
            names = [f"{root} {rng.choice(COMPANY_SUFFIXES)}", root]
            kind = "company"
            flags = [(False, False), (False, True)]
        else:
            surname = _word(rng, rng.choice((2, 3)))
            names = [f"{rng.choice(FIRST_NAMES)} {surname}", surname]
            kind = "person"
            flags = [(False, False), (False, True)]
        for name, (case_sensitive, needs_context) in zip(names, flags, strict=True):
            if name.lower() not in seen and len(entries) < count:
                seen.add(name.lower())
                entries.append(AliasEntry(entity_id, name, case_sensitive, needs_context, kind))
    return entries


# --- Synthetic articles ---------------------------------------------------------------------

SENTENCES = [
    "{company} said on {weekday} that its new cluster in {place} now runs about {n},000 GPUs.",
    "{person}, the company's {role}, left in {month} after {years} years, according to two"
    " people familiar with the matter.",
    "“We are building as fast as the grid allows,” said {person} of {company}.",
    "Regulators in {place} have scheduled a hearing on the permit for {n} gas turbines.",
    "The deal values {company} at about ${n} billion, roughly {years} times its last round.",
    "{company} declined to comment on the departure or on who would take over the team.",
    "Satellite images from {month} show a third substation under construction at {cluster}.",
    "{surname} said the company had not decided where the next site would be.",
    "In a post on X, {person} thanked colleagues and said the next step was a long break.",
    "Analysts at {unknown_firm} estimate the site's cost at between ${n} billion and ${m} billion.",
    "{person} is the {ordinal} senior leader to leave {company} this year.",
    "The new model was trained on {cluster}, the company said, and will reach users in {month}.",
    "A spokesperson for {company} said the agency would review every public comment.",
    "{unknown_person}, a resident who lives near the plant, said the turbines run at night.",
    "Shares of {company} rose {years} percent after the announcement, while {company2} fell.",
    "Investors in the round include {company}, {company2} and at least two chip makers.",
    "The company's xAI-backed rival, {company}, has raised money from sovereign funds.",
    "Musk\u2019s lawyers said the complaint had no merit and that {company} would fight it.",
    "People who have worked there describe a culture of very long hours and fast decisions.",
    "The utility approved {n} megawatts on condition that the company cut demand when asked.",
]
PLACES = ["Memphis", "Abilene", "Des Moines", "New Carlisle", "Goodyear", "Southaven", "Atlanta"]
ROLES = ["chief scientist", "head of infrastructure", "general counsel", "co-founder", "CFO"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
ORDINALS = ["second", "third", "fourth", "fifth"]
REAL_COMPANIES = ["xAI", "OpenAI", "Anthropic", "NVIDIA", "SpaceX", "Microsoft", "Oracle"]
REAL_PEOPLE = ["Elon Musk", "Igor Babuschkin", "Jimmy Ba", "Greg Yang", "Tony Wu"]
REAL_CLUSTERS = ["Colossus", "Colossus 2", "Stargate Abilene", "Project Rainier"]


def synthetic_articles(
    entries: list[AliasEntry], *, seed: int, count: int
) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    companies = [e.text for e in entries if e.entity_type == "company" and " " in e.text]
    people = [e.text for e in entries if e.entity_type == "person" and " " in e.text]
    articles = []
    for _ in range(count):
        cast = {
            "company": rng.sample(companies, 3) + rng.sample(REAL_COMPANIES, 2),
            "person": rng.sample(people, 3) + rng.sample(REAL_PEOPLE, 1),
        }
        words: list[str] = []
        paragraphs: list[str] = []
        while sum(len(p.split()) for p in paragraphs) < 600:
            paragraph = " ".join(_sentence(rng, cast) for _ in range(rng.randint(2, 4)))
            paragraphs.append(paragraph)
            words += paragraph.split()
        title = (
            f"{cast['company'][0]} Hires {cast['person'][0]} as Its {rng.choice(MONTHS)} Push Grows"
        )
        articles.append((title, "\n\n".join(paragraphs)))
    return articles


def _sentence(rng: random.Random, cast: dict[str, list[str]]) -> str:
    person = rng.choice(cast["person"])
    return rng.choice(SENTENCES).format(
        company=rng.choice(cast["company"]),
        company2=rng.choice(cast["company"]),
        person=person,
        surname=person.split()[-1],
        cluster=rng.choice(REAL_CLUSTERS),
        place=rng.choice(PLACES),
        role=rng.choice(ROLES),
        month=rng.choice(MONTHS),
        weekday=rng.choice(WEEKDAYS),
        ordinal=rng.choice(ORDINALS),
        unknown_firm=f"{_word(rng, 2)} {rng.choice(('Research', 'Partners', 'Analytics'))}",
        unknown_person=f"{rng.choice(FIRST_NAMES)} {_word(rng, 3)}",
        n=rng.randint(2, 400),
        m=rng.randint(401, 900),
        years=rng.randint(2, 12),
    )


# --- The seed, read as the linking stage reads the database ---------------------------------


@dataclass
class Seed:
    entries: list[AliasEntry]
    related: dict[int, set[int]]
    slugs: dict[int, str]


def load_seed(directory: Path) -> Seed:
    """Aliases and relations from the seed YAML: the entity's name is an alias too, with the
    flags the alias list gives it (as `load_seed` stores them)."""
    records = {
        kind: yaml.safe_load((directory / f"{file}.yaml").read_text()) or []
        for kind, file in (("company", "companies"), ("person", "people"), ("cluster", "clusters"))
    }
    ids: dict[str, int] = {}
    for kind in ("company", "person", "cluster"):
        for record in records[kind]:
            ids[record["slug"]] = len(ids) + 1
    entries: list[AliasEntry] = []
    related: dict[int, set[int]] = {}

    def relate(one: str, other: str | None) -> None:
        if other and other in ids:
            related.setdefault(ids[one], set()).add(ids[other])
            related.setdefault(ids[other], set()).add(ids[one])

    for kind, rows in records.items():
        for record in rows:
            entries += _seed_aliases(record, ids[record["slug"]], kind)
            relate(record["slug"], record.get("parent"))
            relate(record["slug"], record.get("successor"))
            relate(record["slug"], record.get("owner"))
            for affiliation in record.get("affiliations") or []:
                relate(record["slug"], affiliation.get("company"))
                relate(record["slug"], affiliation.get("destination"))
    return Seed(entries, related, {entity_id: slug for slug, entity_id in ids.items()})


def _seed_aliases(record: dict[str, Any], entity_id: int, kind: str) -> Iterator[AliasEntry]:
    specs: dict[str, tuple[bool, bool]] = {record["name"]: (False, False)}
    for item in record.get("aliases") or []:
        if isinstance(item, str):
            specs[item.strip()] = (False, False)
        else:
            flags = (bool(item.get("case_sensitive")), bool(item.get("needs_context")))
            specs[str(item["text"]).strip()] = flags
    for text, (case_sensitive, needs_context) in specs.items():
        yield AliasEntry(entity_id, text, case_sensitive, needs_context, kind)


# --- Measuring ------------------------------------------------------------------------------


def cpu(fn: Callable[[], object]) -> float:
    started = time.process_time()
    fn()
    return time.process_time() - started


def speed(seed: Seed) -> tuple[list[Row], dict[str, Any]]:
    rows: list[Row] = []
    details: dict[str, Any] = {}
    for count in ALIAS_COUNTS:
        entries = synthetic_aliases(count, seed=SEED, first_id=10_000_000) + seed.entries
        articles = synthetic_articles(entries, seed=SEED + 1, count=ARTICLES)
        build = min(cpu(partial(Matcher, entries, related=seed.related)) for _ in range(2))
        matcher = Matcher(entries, related=seed.related)
        folded = [matcher.automaton_input(f"{t}\n\n{x}") for t, x in articles]
        link_ms = _best(partial(_link_all, matcher, articles))
        anchor_ms = _best(partial(_scan_all, matcher, folded))
        per_link, per_anchor = link_ms / len(articles), anchor_ms / len(articles)
        words = sum(len(x.split()) for _, x in articles) / len(articles)
        matches = sum(len(matcher.link(title=t, text=x).matches) for t, x in articles)
        details[str(count)] = {
            "aliases": len(entries),
            "articles": len(articles),
            "words_per_article": round(words),
            "matches_per_article": round(matches / len(articles), 1),
        }
        label = f"{count // 1000}k"
        rows.append(
            Row(
                f"link CPU/article, {label} aliases",
                per_link,
                per_anchor,
                per_link / per_anchor,
                "<= 2.0x",
                per_link / per_anchor <= 2.0,
                "ms",
            )
        )
        rows.append(Row(f"Matcher build, {label} aliases", build, None, None,
                        "<= 0.5 s" if count == 50_000 else "info",
                        build <= 0.5 or count != 50_000, "s"))  # fmt: skip
    small, large = rows[0], rows[2]
    assert small.ratio is not None and large.ratio is not None
    growth = large.ratio / small.ratio
    rows.append(Row("ratio growth 10k -> 50k", growth, None, None, "<= 1.25x", growth <= 1.25, "x"))
    return rows, details


def _link_all(matcher: Matcher, articles: list[tuple[str, str]]) -> None:
    for title, text in articles:
        matcher.link(title=title, text=text)


def _scan_all(matcher: Matcher, documents: list[str]) -> None:
    for document in documents:
        matcher.scan(document)


def _best(fn: Callable[[], object]) -> float:
    return min(cpu(fn) for _ in range(ROUNDS)) * 1000


def accuracy(seed: Seed) -> tuple[list[Row], list[dict[str, Any]]]:
    matcher = Matcher(seed.entries, related=seed.related)
    known = set(seed.slugs.values())
    labels = yaml.safe_load(LABELS.read_text())
    true_positive = false_positive = false_negative = 0
    pages: list[dict[str, Any]] = []
    for label in labels:
        path = SITE_DIR / label["page"]
        article = extract(path.read_bytes(), url=f"http://127.0.0.1/{label['page']}")
        assert article is not None, label["page"]
        linked = matcher.link(title=article.title, text=article.text)
        found = {seed.slugs[m.entity_id] for m in linked.matches}
        gold = set(label["entities"]) & known
        true_positive += len(found & gold)
        false_positive += len(found - gold)
        false_negative += len(gold - found)
        pages.append({
            "page": label["page"],
            "missed": sorted(gold - found),
            "extra": sorted(found - gold),
            "about": sorted(seed.slugs[e] for e in linked.about),
            "unlabelled_slugs_not_in_seed": sorted(set(label["entities"]) - known),
        })  # fmt: skip
    precision = true_positive / max(true_positive + false_positive, 1)
    recall = true_positive / max(true_positive + false_negative, 1)
    unit = f"{len(labels)} pages"
    rows = [
        Row(
            "precision (entity/article)", precision, None, None, ">= 0.95", precision >= 0.95, unit
        ),
        Row("recall (entity/article)", recall, None, None, ">= 0.90", recall >= 0.90, unit),
    ]
    return rows, pages


def main() -> None:
    started = time.perf_counter()
    seed = load_seed(SEED_DIR)
    print(f"Seed: {len(seed.slugs)} entities, {len(seed.entries)} aliases")
    speed_rows, details = speed(seed)
    accuracy_rows, pages = accuracy(seed)
    for page in pages:
        if page["missed"] or page["extra"]:
            print(f"  {page['page']}: missed {page['missed']} extra {page['extra']}")
    rows = speed_rows + accuracy_rows
    print_table(rows)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "benchmark": "linking",
                "ran_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "seed": SEED,
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                "seconds": round(time.perf_counter() - started, 1),
                "synthetic": details,
                "rows": [asdict(r) for r in rows],
                "pages": pages,
                "passed": all(r.passed for r in rows),
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )
    print(f"\nWrote {RESULTS.relative_to(ROOT)} in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
