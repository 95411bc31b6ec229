"""A large LabIntel in PostgreSQL, generated once and kept: the data `bench/pages.py` reads.

At full size: 1,000,000 articles from 400 outlets over three years (titles made of entity names
and news words, a few hundred words of text drawn from a Zipf-distributed vocabulary, so that
there are very common and very rare terms), 5,000 entities (companies, people, compute clusters
with observations, aliases, people's affiliations) named in articles with a long-tailed (Zipf)
frequency, 100,000 events of every type and status with participants and evidence, and a few
storylines of thousands of events (the deep timeline).

Rows go in with COPY, in column lists read from the models' `_meta` (a column someone adds later
is filled from its db_default or default, or the generator stops and says which one it cannot
fill). Secondary indexes and foreign keys are dropped for the load and rebuilt after it, as one
would for any bulk load. The storylines' membership and counters and the mention counters are
then computed by the application's own code (`refresh_storyline`, `recount_mentions`).

Deterministic (seeded) and kept: a marker table records the generator's version, the scale and
the migrations the data went through. A second run with the same version and scale only applies
new migrations (on the data, as production would) and skips the generation.

Run: .venv/bin/python bench/largedata.py [--scale 0.01] [--force]   (bench/pages.py calls it)
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import random
import re
import sys
import threading
import time
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import accumulate
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
# Bump whenever what is generated changes: a database holding another version is rebuilt.
VERSION = "4"
SEED = 20250611
SERVER_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/labintel_bench"
)
MARKER = "bench_largedata"
# Three years of news up to the day the data is generated, so that pages that look back from
# today ("the last 12 months") find news there; every random draw is the same on any day.
SPAN = timedelta(days=3 * 365)
VOCABULARY = 60_000
SENTENCE_POOL = 40_000
BATCH = 5_000  # articles generated at a time (numpy draws), and sent to one COPY
WORD_ZIPF = 1.0  # word frequencies: rank r is used about 1/r as often as the commonest
MENTION_ZIPF = 1.1  # how often entities are named: a few in a big share of articles
PARTICIPANT_ZIPF = 1.0
SOURCE_ZIPF = 0.9


# --- Sizes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Size:
    scale: float
    sources: int
    articles: int
    entities: int
    events: int
    exodus: int  # departures from the most-named company: the deep timeline
    buildout: int  # milestones and permits of the most-named cluster
    funding: int  # rounds raised by the leading labs

    @classmethod
    def at(cls, scale: float) -> Size:
        def n(full: int, least: int) -> int:
            return max(least, round(full * scale))

        return cls(
            scale=scale,
            sources=n(400, 20),
            articles=n(1_000_000, 2_000),
            entities=n(5_000, 200),
            events=n(100_000, 500),
            exodus=n(6_000, 120),
            buildout=n(3_000, 60),
            funding=n(2_000, 40),
        )


def database_url(scale: float) -> str:
    """`labintel_bench` for the full size; another database for a smaller scale, so that a quick
    run does not throw away the big one."""
    if scale == 1:
        return SERVER_URL
    parts = urlsplit(SERVER_URL)
    suffix = f"{scale:g}".replace(".", "p").replace("-", "m")
    return urlunsplit(parts._replace(path=f"{parts.path}_{suffix}"))


# --- Words --------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


# The head of the vocabulary, commonest first: function words, then the words of tech news.
FUNCTION_WORDS = _words(
    "the of and to a in that is for on it with as was at by from has be have this an are"
    " but not or which will their they more than were been about after also who would had"
    " its into over most some new other can could while when there all last just before"
)
NEWS_WORDS = _words(
    "said company companies model models chips compute data billion million year people"
    " training cluster power gpus investors according market deal government percent week"
    " executives team research engineers startup funding round valuation site megawatts"
    " capacity infrastructure contract lawsuit court regulators permit turbines grid energy"
    " software hardware cloud customers revenue profit losses shares board chief officer"
    " founder cofounder departure hire talent lab labs safety policy officials county state"
    " federal agency filing report analysts sources spokesperson statement announcement"
    " release launch product users growth demand supply supplier factory plant datacenter"
    " facility campus construction electricity gas water cooling racks servers network"
    " inference benchmark reasoning agents open weights license partnership partner"
    " acquisition merger buyout stake equity debt financing loan bond lender bank fund"
    " venture capital seed series valuation price cost costs spending budget quarter"
    " earnings forecast outlook strategy plan plans expansion hiring layoffs staff employees"
    " researchers scientist scientists engineer leader leaders management ceo cfo cto"
    " president director head former current next first second third new largest biggest"
)
ONSETS = _words("b bl c cr d dr f fl g gl h j k l m n p pl r s sl sn sp t tw v w y z ph wh")
NUCLEI = _words("a e i o u ae ei oa ou ie y")
CODAS = ["", "", *_words("b d g k l m n p r s t x ck ng rn")]


def _syllables(rng: random.Random, count: int) -> str:
    return "".join(
        rng.choice(ONSETS) + rng.choice(NUCLEI) + rng.choice(CODAS) for _ in range(count)
    )


def vocabulary(rng: random.Random, size: int) -> list[str]:
    """Real words at the head, made-up words (unique, 2-4 syllables) in the long tail."""
    head = list(dict.fromkeys(FUNCTION_WORDS[:12] + _interleave(FUNCTION_WORDS[12:], NEWS_WORDS)))
    seen = set(head)
    words = list(head)
    while len(words) < size:
        word = _syllables(rng, rng.choice((2, 2, 3, 3, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def _interleave(one: list[str], other: list[str]) -> list[str]:
    mixed: list[str] = []
    for i in range(max(len(one), len(other))):
        mixed += one[i : i + 1] + other[i : i + 1]
    return mixed


def zipf_cumulative(count: int, exponent: float) -> list[float]:
    """Cumulative weights for `random.choices`: rank r weighs 1 / (r + 1) ** exponent."""
    return list(accumulate(1.0 / (rank + 1) ** exponent for rank in range(count)))


def _cdf(count: int, exponent: float) -> Any:
    """The cumulative distribution of Zipf ranks, for numpy's searchsorted."""
    import numpy as np

    weights = 1.0 / np.arange(1, count + 1) ** exponent
    cdf = np.cumsum(weights)
    return cdf / cdf[-1]


def sentence(words: list[str], cdf: Any, draw: Any, length: int) -> str:
    import numpy as np

    drawn = [words[i] for i in np.searchsorted(cdf, draw.random(length)).tolist()]
    return drawn[0].capitalize() + " " + " ".join(drawn[1:]) + "."


# --- Names --------------------------------------------------------------------------------

FIRST_NAMES = _words(
    "Ada Bram Celia Dev Esme Farid Gwen Hugo Iris Joao Kira Leon Mina Nils Oona Pablo Qi Rosa"
    " Sami Tess Umar Vera Wes Xia Yara Zeno Anouk Bilal Cleo Dario Elif Femi Greta Hana Ivo Jun"
    " Kemal Lior Maren Noor"
)
COMPANY_SUFFIXES = _words(
    "AI Labs Systems Compute Robotics Cloud Energy Capital Semiconductor Networks Research Power"
    " Data Partners"
)
CITIES = (("Memphis", "Tennessee", "United States"), ("Abilene", "Texas", "United States"),
          ("Des Moines", "Iowa", "United States"), ("Atlanta", "Georgia", "United States"),
          ("Goodyear", "Arizona", "United States"), ("Richland", "Louisiana", "United States"),
          ("Narvik", "Nordland", "Norway"), ("Cork", "Munster", "Ireland"),
          ("Johor Bahru", "Johor", "Malaysia"), ("Osaka", "Osaka", "Japan"))  # fmt: skip
CHIPS = ("H100", "H200", "B200", "GB200", "GB300", "MI300X", "TPU v6", "Trainium2")
VERBS = ("said", "announced", "confirmed", "reported", "denied", "told investors", "added")
TITLES_TWO = (
    "{a} and {b} sign {w} deal",
    "{a} hires {b} veteran to lead {w} push",
    "{b} backs {a} in ${n} million round",
    "{a} sues {b} over {w} {x}",
    "{a} leaves {b} as {w} talks stall",
)
TITLES_ONE = (
    "{a} raises ${n} million to expand {w} {x}",
    "{a} unveils new {w} model",
    "Inside {a}'s plan for {w} {x}",
    "{a} brings {n},000 GPUs online",
    "Why {a} is betting on {w}",
    "{a} cuts {n} jobs as {w} costs rise",
    "Regulators question {a} over {w} {x}",
    "{a} names new head of {w}",
)
TITLES_NONE = (
    "The {w} race enters a new phase",
    "What {n} megawatts of {w} buys",
    "How {w} became the industry's {x} problem",
)


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# --- Column lists from the models ---------------------------------------------------------


class Table:
    """COPY into one model's table: the columns the generator gives, then every other concrete
    column it can fill from a default (db_default columns are left to the database)."""

    def __init__(self, model: Any, given: Sequence[str]) -> None:
        from django.db import connection
        from django.db.models import NOT_PROVIDED
        from django.utils import timezone

        self.model = model
        self.table = model._meta.db_table
        fields = {f.attname: f for f in model._meta.local_concrete_fields}
        missing = [name for name in given if name not in fields]
        if missing:
            raise SystemExit(f"{model.__name__} has no field {missing}: update bench/largedata.py")
        self.columns = [fields[name].column for name in given]
        extra: list[Any] = []
        for name, f in fields.items():
            if name in given or getattr(f, "generated", False):
                continue
            if f.primary_key and f.get_internal_type().endswith("AutoField"):
                continue  # the identity column numbers the rows
            if f.db_default is not NOT_PROVIDED:
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value: Any = timezone.now()
            elif f.has_default() or f.empty_strings_allowed or f.null:
                value = f.get_default()
            else:
                value = None
            if value is None and not f.null:
                raise SystemExit(
                    f"bench/largedata.py cannot fill {model.__name__}.{name}: give it a default"
                    " or a db_default, or teach the generator its value"
                )
            self.columns.append(f.column)
            extra.append(f.get_db_prep_save(value, connection))
        self.extra = tuple(extra)

    def copy_sql(self) -> str:
        columns = ", ".join(f'"{c}"' for c in self.columns)
        return f'COPY "{self.table}" ({columns}) FROM STDIN'

    def load(self, connection: Any, rows: Iterable[tuple[Any, ...]]) -> int:
        count = 0
        with connection.cursor() as cursor, cursor.copy(self.copy_sql()) as copy:
            for row in rows:
                copy.write_row(row + self.extra)
                count += 1
        return count


def has_field(model: Any, name: str) -> bool:
    return any(f.attname == name for f in model._meta.local_concrete_fields)


# --- The generated world ------------------------------------------------------------------


@dataclass
class World:
    """What later stages and the benchmark need to know about what was generated."""

    size: Size
    entity_names: dict[int, str] = field(default_factory=dict)
    entity_slugs: dict[int, str] = field(default_factory=dict)
    entity_types: dict[int, str] = field(default_factory=dict)
    mention_order: list[int] = field(default_factory=list)  # entity ids, most named first
    companies: list[int] = field(default_factory=list)  # in mention order
    people: list[int] = field(default_factory=list)
    clusters: list[int] = field(default_factory=list)
    cofounders: list[int] = field(default_factory=list)  # of the most-named company
    published: array = field(default_factory=lambda: array("d"))  # article i+1's timestamp
    mentions_per_entity: dict[int, int] = field(default_factory=dict)
    events_per_entity: dict[int, int] = field(default_factory=dict)
    rare_terms: list[tuple[str, int]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


class Generator:
    def __init__(self, size: Size, url: str, *, log: Callable[[str], None] = print) -> None:
        self.size = size
        self.url = url
        self.log = log
        self.rng = random.Random(SEED)
        self.world = World(size)
        today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        self.now = today
        self.start = today - SPAN

    def connect(self) -> Any:
        import psycopg

        connection = psycopg.connect(self.url)
        connection.execute("SET synchronous_commit = off")
        try:
            # Twice as fast as the default pglz on long text, where the server has it.
            connection.execute("SET default_toast_compression = 'lz4'")
        except psycopg.Error:
            connection.rollback()
        return connection

    # Sources ----------------------------------------------------------------------------

    def sources(self) -> Iterator[tuple[Any, ...]]:
        rng = self.rng
        for source_id in range(1, self.size.sources + 1):
            name = f"{_syllables(rng, 2).capitalize()} {rng.choice(('Times', 'Wire', 'Post', 'Daily', 'Insider', 'Review', 'Report', 'Journal'))}"  # noqa: E501
            domain = f"{slugify(name)}-{source_id}.example"
            errors = rng.choice((0,) * 19 + (rng.randint(1, 6),))
            fetched = self.now - timedelta(minutes=rng.randint(1, 90))
            yield (
                source_id,
                f"https://{domain}/feed.xml",
                f"https://{domain}/",
                name,
                rng.choice(("rss", "atom", "json")),
                True,
                self.now + timedelta(minutes=rng.randint(1, 60)),
                timedelta(minutes=rng.choice((15, 30, 60, 120))),
                errors,
                "http" if errors else "",
                "HTTP 503 from the server" if errors else "",
                503 if errors else 200,
                fetched,
                fetched - timedelta(hours=errors),
                self.start - timedelta(days=30),
            )

    # Entities ---------------------------------------------------------------------------

    def plan_entities(self) -> None:
        """Names, types and how famous each entity is (its place in the mention order)."""
        rng, world = self.rng, self.world
        total = self.size.entities
        clusters = max(10, round(total * 0.08))
        people = round((total - clusters) / 2)
        kinds = (
            ["cluster"] * clusters + ["person"] * people + ["company"] * (total - clusters - people)
        )
        rng.shuffle(kinds)
        slugs: set[str] = set()
        for entity_id, kind in enumerate(kinds, start=1):
            while True:
                root = _syllables(rng, rng.choice((2, 2, 3))).capitalize()
                if kind == "company":
                    name = f"{root} {rng.choice(COMPANY_SUFFIXES)}"
                elif kind == "person":
                    name = f"{rng.choice(FIRST_NAMES)} {root}"
                else:
                    name = rng.choice(
                        (f"{root} {rng.randint(1, 4)}", f"Project {root}", f"{root} Campus")
                    )
                if slugify(name) not in slugs:
                    slugs.add(slugify(name))
                    break
            world.entity_names[entity_id] = name
            world.entity_slugs[entity_id] = slugify(name)
            world.entity_types[entity_id] = kind
        order = list(range(1, total + 1))
        rng.shuffle(order)
        # The most-named entity is a company and a cluster is third: the pages' hot cases.
        first_company = next(e for e in order if world.entity_types[e] == "company")
        order.remove(first_company)
        order.insert(0, first_company)
        first_cluster = next(e for e in order if world.entity_types[e] == "cluster")
        order.remove(first_cluster)
        order.insert(2, first_cluster)
        world.mention_order = order
        world.companies = [e for e in order if world.entity_types[e] == "company"]
        world.people = [e for e in order if world.entity_types[e] == "person"]
        world.clusters = [e for e in order if world.entity_types[e] == "cluster"]

    def entities(self) -> Iterator[tuple[Any, ...]]:
        rng, world = self.rng, self.world
        for entity_id in range(1, self.size.entities + 1):
            kind = world.entity_types[entity_id]
            name = world.entity_names[entity_id]
            what = {"company": "A company", "person": "A person", "cluster": "A GPU cluster"}[kind]
            created = self.start - timedelta(days=rng.randint(1, 400))
            yield (
                entity_id,
                kind,
                name,
                world.entity_slugs[entity_id],
                f"{what} in the AI industry, generated for the page benchmark.",
                [f"https://{slugify(name)}.example/about"],
                created,
                created,
            )

    def companies(self) -> Iterator[tuple[Any, ...]]:
        rng, world = self.rng, self.world
        kinds = (
            ("ai_lab",) * 4
            + ("company",) * 8
            + ("investor",) * 3
            + ("utility", "regulator", "court", "ngo", "government")
        )
        for entity_id in sorted(world.companies):
            parent = rng.choice(world.companies) if rng.random() < 0.05 else None
            yield (
                entity_id,
                rng.choice(kinds),
                f"https://{slugify(world.entity_names[entity_id])}.example/",
                date(rng.randint(1995, 2024), rng.randint(1, 12), 1),
                rng.choice(("day", "month", "year")),
                rng.choice(("active",) * 17 + ("acquired", "merged", "defunct")),
                parent if parent != entity_id else None,
                None,
            )

    def people(self) -> Iterator[tuple[Any, ...]]:
        for entity_id in sorted(self.world.people):
            yield (entity_id,)

    def clusters(self) -> Iterator[tuple[Any, ...]]:
        rng, world = self.rng, self.world
        # Owners as fame goes: the most-named company owns about one cluster in eight.
        owner_weights = zipf_cumulative(len(world.companies), PARTICIPANT_ZIPF)
        for entity_id in sorted(world.clusters):
            city, region, country = rng.choice(CITIES)
            chips = rng.randint(10, 600) * 1000
            yield (
                entity_id,
                rng.choices(world.companies, cum_weights=owner_weights)[0],
                city,
                region,
                country,
                Decimal(f"{rng.uniform(-60, 70):.6f}"),
                Decimal(f"{rng.uniform(-150, 150):.6f}"),
                rng.choice(("planned", "under_construction", "operational", "operational")),
                rng.choice(CHIPS),
                chips,
                chips,
                Decimal(f"{chips * 0.0014:.1f}"),
            )

    def observations(self) -> Iterator[tuple[Any, ...]]:
        rng, world = self.rng, self.world
        for rank, cluster_id in enumerate(world.clusters):
            count = max(3, int(60 / (rank + 1) ** 0.5))
            day = self.start.date() - timedelta(days=rng.randint(0, 200))
            gpus = rng.randint(5, 50) * 1000
            for _ in range(count):
                day += timedelta(days=rng.randint(5, 40))
                gpus += rng.randint(0, 20) * 1000
                yield (
                    cluster_id,
                    day,
                    rng.choice(("day", "day", "month")),
                    gpus,
                    rng.choice(CHIPS),
                    gpus,
                    Decimal(f"{gpus * 0.0014:.1f}"),
                    rng.choice((None, None, rng.randint(2, 40))),
                    rng.choice(("company_claim", "press", "press", "regulator", "satellite")),
                    rng.random() < 0.1,
                    "Reported in the press.",
                    f"https://press.example/{cluster_id}/{day.isoformat()}",
                )

    def aliases(self) -> Iterator[tuple[Any, ...]]:
        world = self.world
        for entity_id in range(1, self.size.entities + 1):
            name = world.entity_names[entity_id]
            kind = world.entity_types[entity_id]
            yield (entity_id, name, False, False)
            if kind == "company":
                yield (entity_id, name.rsplit(" ", 1)[0], False, True)
            elif kind == "person":
                yield (entity_id, name.split(" ", 1)[1], False, True)
            elif name.startswith("Project "):
                yield (entity_id, name.removeprefix("Project "), False, True)

    def affiliations(self) -> Iterator[tuple[Any, ...]]:
        rng, world = self.rng, self.world
        company_weights = zipf_cumulative(len(world.companies), PARTICIPANT_ZIPF)
        hot = world.companies[0]
        founders = set(world.people[5 : 5 + 12])  # a dozen well-known people founded it
        world.cofounders = sorted(founders)
        titles = ("Engineer", "Researcher", "Head of research", "Chief scientist", "CFO",
                  "General counsel", "Head of infrastructure", "Product lead")  # fmt: skip
        for person_id in world.people:
            day = date(rng.randint(2008, 2020), rng.randint(1, 12), 1)
            stints = rng.choice((1, 1, 2, 2, 3))
            for stint in range(stints):
                company = hot if person_id in founders and stint == 0 else None
                company = company or rng.choices(world.companies, cum_weights=company_weights)[0]
                last = stint == stints - 1
                end = None if last else day + timedelta(days=rng.randint(200, 1500))
                yield (
                    person_id,
                    company,
                    rng.choice(titles),
                    "founder" if company == hot and person_id in founders else "employee",
                    company == hot and person_id in founders,
                    day,
                    "month",
                    end,
                    "month" if end else "day",
                    rng.choice(("", "resigned", "fired")) if end else "",
                    None,
                    [],
                )
                if end:
                    day = end + timedelta(days=rng.randint(10, 120))

    # Articles and mentions --------------------------------------------------------------

    def articles_and_mentions(
        self, article_table: Table, mention_table: Table, story_rows: list[tuple[Any, ...]]
    ) -> tuple[int, int]:
        """Generate the articles and their mentions together (a mention's offsets point into
        its article's text) and stream them into two COPYs on two connections."""
        import numpy as np
        from psycopg.copy import QueuedLibpqWriter

        world = self.world
        draw = np.random.default_rng(SEED)  # batched draws: Python only assembles the strings
        words = vocabulary(random.Random(SEED + 1), VOCABULARY)
        word_cdf = _cdf(len(words), WORD_ZIPF)
        pool = [
            sentence(words, word_cdf, draw, int(n)) for n in draw.integers(8, 21, SENTENCE_POOL)
        ]
        news = [w for w in words[:400] if w not in FUNCTION_WORDS]
        news_cdf = _cdf(len(news), 0.8)
        entity_cdf = _cdf(len(world.mention_order), MENTION_ZIPF)
        entity_order = np.array(world.mention_order)
        source_cdf = _cdf(self.size.sources, SOURCE_ZIPF)
        sources = np.arange(1, self.size.sources + 1)
        draw.shuffle(sources)
        authors = [
            f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {_syllables(self.rng, 2).capitalize()}"
            for i in range(3000)
        ]
        names = [world.entity_names.get(e, "") for e in range(len(world.entity_names) + 1)]
        fresh_counts = np.zeros(len(words), dtype=np.int64)
        with_published = has_field(mention_table.model, "published_at")
        total = self.size.articles
        base, span = self.start.timestamp(), SPAN.total_seconds()
        state = {"story": 0, "story_left": 0, "mentions": 0}
        mentions_per_entity = np.zeros(len(names), dtype=np.int64)

        def load(article_copies: list[Any], mention_copy: Any) -> int:
            """Batches go to the article COPYs in turn: PostgreSQL computes each article's
            search document (a generated column) as it stores the row, most of the load's
            cost, and two server processes do that twice as fast as one."""
            extra = article_table.extra
            for n, first in enumerate(range(1, total + 1, BATCH)):
                count = min(BATCH, total + 1 - first)
                copy = article_copies[n % len(article_copies)]
                for row in batch(first, count, mention_copy):
                    copy.write_row(row + extra)
                if (first + count - 1) % 100_000 == 0:
                    self.log(f"  {first + count - 1:,} articles")
            return total

        def batch(first: int, count: int, mention_copy: Any) -> Iterator[tuple[Any, ...]]:
            ks = np.searchsorted(
                np.array([0.04, 0.18, 0.40, 0.62, 0.78, 0.88, 0.95, 1.0]),
                draw.random(count),
                side="right",
            ).tolist()
            picks = entity_order[np.searchsorted(entity_cdf, draw.random(sum(ks)))].tolist()
            lengths = draw.integers(10, 19, count).tolist()
            pooled = draw.integers(0, len(pool), sum(lengths)).tolist()
            fresh = np.searchsorted(word_cdf, draw.random(count * 14))
            fresh_counts[:] += np.bincount(fresh, minlength=len(words))
            fresh_words = [words[i] for i in fresh.tolist()]
            inserts = draw.random(count).tolist()
            sizes = draw.integers(2, 5, count * 14).tolist()
            leads = draw.integers(0, len(pool), count * 8).tolist()
            verbs = draw.integers(0, len(VERBS), count * 8).tolist()
            noise = draw.uniform(-0.1, 0.1, count * 8).tolist()
            rejected = (draw.random(count * 9) < 0.004).tolist()
            templates = draw.integers(0, 1000, count).tolist()
            news_words = [
                news[i] for i in np.searchsorted(news_cdf, draw.random(count * 2)).tolist()
            ]
            numbers = draw.integers(2, 900, count).tolist()
            stories = (draw.random(count) < 0.03).tolist()
            story_sizes = draw.integers(1, 4, count).tolist()
            outlets = sources[np.searchsorted(source_cdf, draw.random(count))].tolist()
            ids = np.arange(first, first + count)
            stamps = (base + span * (ids - 1) / total - draw.uniform(0, 6 * 3600, count)).tolist()
            delays = draw.integers(2, 91, count).tolist()
            writers = draw.integers(0, len(authors), count).tolist()
            p_pick = p_pool = p_size = p_lead = p_status = 0
            for j in range(count):
                article_id = first + j
                stamp = stamps[j]
                world.published.append(stamp)
                published = datetime.fromtimestamp(stamp, UTC)
                created = published + timedelta(minutes=delays[j])
                k = ks[j]
                picked = list(dict.fromkeys(picks[p_pick : p_pick + k]))
                p_pick += k
                named = [names[e] for e in picked]
                w, x, n = news_words[2 * j], news_words[2 * j + 1], numbers[j]
                if len(named) >= 2:
                    title = TITLES_TWO[templates[j] % len(TITLES_TWO)].format(
                        a=named[0], b=named[1], w=w, x=x, n=n
                    )
                elif named:
                    title = TITLES_ONE[templates[j] % len(TITLES_ONE)].format(
                        a=named[0], w=w, x=x, n=n
                    )
                else:
                    title = TITLES_NONE[templates[j] % len(TITLES_NONE)].format(w=w, x=x, n=n)
                body = list(map(pool.__getitem__, pooled[p_pool : p_pool + lengths[j]]))
                p_pool += lengths[j]
                fresh_sentence = " ".join(fresh_words[14 * j : 14 * j + 14])
                body.insert(int(inserts[j] * len(body)), fresh_sentence.capitalize() + ".")
                paragraphs: list[str] = []
                offset = len(title) + 2  # mentions count from the start of title + "\n\n" + text
                i = 0
                while i < len(body) or len(paragraphs) < len(picked):
                    take = body[i : i + sizes[p_size]]
                    p_size += 1
                    i += len(take)
                    p = len(paragraphs)
                    if p < len(picked):
                        name, entity = named[p], picked[p]
                        lead = f"{name} {VERBS[verbs[p_lead]]} that {pool[leads[p_lead]].lower()}"
                        salience = (0.85, 0.55, 0.25)[min(p, 2)] + noise[p_lead]
                        p_lead += 1
                        rows = [
                            (
                                article_id,
                                entity,
                                offset,
                                offset + len(name),
                                name,
                                lead,
                                False,
                                salience,
                                salience >= 0.5,
                            )
                        ]
                        if p == 0 and name in title:
                            at = title.index(name)
                            rows.append(
                                (
                                    article_id,
                                    entity,
                                    at,
                                    at + len(name),
                                    name,
                                    title,
                                    True,
                                    salience,
                                    True,
                                )
                            )
                        for row in rows:
                            status = "rejected" if rejected[p_status] else "linked"
                            p_status += 1
                            full = (
                                (*row, status, created, published)
                                if with_published
                                else (*row, status, created)
                            )
                            mention_copy.write_row(full + mention_table.extra)
                        mentions_per_entity[entity] += len(rows)
                        state["mentions"] += len(rows)
                        take = [lead, *take]
                    paragraph = " ".join(take)
                    paragraphs.append(paragraph)
                    offset += len(paragraph) + 2
                text = "\n\n".join(paragraphs)
                # Wire copy: now and then the same story runs in two to four outlets.
                story = None
                if state["story_left"]:
                    story = state["story"]
                    state["story_left"] -= 1
                elif stories[j]:
                    state["story"] += 1
                    story = state["story"]
                    state["story_left"] = story_sizes[j]
                    story_rows.append((story, article_id, created))
                url = f"https://outlet-{outlets[j]}.example/{published.year}/{published.month:02d}/story-{article_id}"
                yield (
                    article_id,
                    outlets[j],
                    f"{outlets[j]}-{article_id}",
                    url,
                    url,
                    title,
                    authors[writers[j]],
                    f"<p>{paragraphs[0][:300]}</p>",
                    published,
                    "feed",
                    "en",
                    text,
                    "",  # the stored page HTML: no page reads it, and it doubles the load
                    "page",
                    text.count(" ") + len(paragraphs),
                    hashlib.sha256(text.encode()).hexdigest(),
                    story,
                    created,
                    created,
                    created,
                )

        with contextlib.ExitStack() as stack:
            copies = []
            for sql in (
                article_table.copy_sql(),
                article_table.copy_sql(),
                mention_table.copy_sql(),
            ):
                connection = stack.enter_context(self.connect())
                cursor = stack.enter_context(connection.cursor())
                # Queued: a thread per COPY sends the rows, so one busy server process does not
                # hold up the others.
                writer = QueuedLibpqWriter(cursor)
                copies.append(stack.enter_context(cursor.copy(sql, writer=writer)))
            count = load(copies[:2], copies[2])
        world.mentions_per_entity = {
            e: int(c) for e, c in enumerate(mentions_per_entity.tolist()) if c
        }
        # Rare: words outside the sentence pool (and no part of a name), in a handful of articles.
        in_pool = {w for s in pool for w in s[:-1].lower().split()}
        parts = {part.lower() for name in names for part in name.split()}
        rare = [
            (words[i], int(c))
            for i, c in enumerate(fresh_counts.tolist())
            if 3 <= c <= 12 and words[i] not in in_pool and words[i] not in parts
        ]
        world.rare_terms = sorted(rare, key=lambda item: (-item[1], item[0]))[:20]
        return count, state["mentions"]

    # Events -----------------------------------------------------------------------------

    def events(self) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """Events, participants and evidence, in memory (a few hundred thousand rows)."""
        from psycopg.types.json import Jsonb

        rng, world, size = self.rng, self.world, self.size
        pools = {"company": world.companies, "person": world.people, "cluster": world.clusters}
        weights = {kind: zipf_cumulative(len(ids), PARTICIPANT_ZIPF) for kind, ids in pools.items()}
        hot_company, hot_cluster = world.companies[0], world.clusters[0]
        leaders = world.companies[:8]
        # Which event is which: the storylines' events spread over the three years.
        special = (
            ["exodus"] * size.exodus + ["buildout"] * size.buildout + ["funding"] * size.funding
        )
        special += [""] * (size.events - len(special))
        rng.shuffle(special)
        founders = list(world.cofounders[:8])  # eight of the twelve co-founders leave
        types = ("departure", "hire", "acquisition", "merger", "funding", "lawsuit", "legal_notice",
                 "permit", "partnership", "cluster_milestone", "model_release", "reorganisation",
                 "announcement")  # fmt: skip
        type_weights = list(accumulate((14, 14, 5, 2, 14, 6, 4, 5, 10, 8, 10, 4, 4)))
        events: list[tuple[Any, ...]] = []
        participants: list[tuple[Any, ...]] = []
        evidence: list[tuple[Any, ...]] = []
        days = SPAN.days
        published = world.published
        last_article = len(published) - 1

        def pick(kind: str) -> int:
            # Who moves is not who is talked about: a famous person leaves a company once, not
            # hundreds of times, so the person who moves is anyone; every other role goes by fame.
            if kind == "mover":
                return rng.choice(world.people)
            return rng.choices(pools[kind], cum_weights=weights[kind])[0]

        for event_id in range(1, size.events + 1):
            role = special[event_id - 1]
            day = self.start.date() + timedelta(
                days=min(
                    days - 1, max(0, round(days * event_id / size.events + rng.uniform(-20, 5)))
                )
            )
            parts: list[tuple[str, int]] = []
            if role == "exodus":
                kind = "departure"
                person = founders.pop() if founders else pick("mover")
                parts = [("person", person), ("from_company", hot_company)]
                if rng.random() < 0.6:
                    parts.append(("destination", pick("company")))
            elif role == "buildout":
                kind = rng.choice(("cluster_milestone", "cluster_milestone", "permit"))
                parts = [("cluster", hot_cluster), ("company", world.companies[1])]
                if kind == "permit":
                    parts.append(("regulator", pick("company")))
            elif role == "funding":
                kind = "funding"
                parts = [("recipient", rng.choice(leaders))]
                parts += [("investor", pick("company")) for _ in range(rng.randint(1, 4))]
            else:
                kind = rng.choices(types, cum_weights=type_weights)[0]
                parts = self._roles(kind, pick)
            parts = list(dict.fromkeys(parts))
            named = {r: world.entity_names[e] for r, e in parts}
            summary = self._summary(kind, named)
            precision = rng.choices(("day", "month", "year"), cum_weights=(85, 95, 100))[0]
            if precision == "month":
                day = day.replace(day=1)
            elif precision == "year":
                day = day.replace(month=1, day=1)
            status = rng.choices(("confirmed", "rumoured", "denied"), cum_weights=(82, 96, 100))[0]
            rejected = rng.random() < 0.015
            merged = (
                rng.randint(1, event_id - 1) if event_id > 10 and rng.random() < 0.005 else None
            )
            quantities: dict[str, Any] = {}
            if kind == "funding":
                quantities = {"usd": rng.randint(5, 5000) * 1_000_000}
            elif kind == "cluster_milestone":
                quantities = {"gpus": rng.randint(10, 600) * 1000, "chip_type": rng.choice(CHIPS)}
            elif kind == "permit":
                quantities = {"turbines": rng.randint(2, 40), "mw": rng.randint(20, 900)}
            created = datetime.combine(day, datetime.min.time(), UTC) + timedelta(
                hours=rng.randint(8, 96)
            )
            events.append((
                event_id, kind, day, precision, rng.random() < 0.1, status,
                round(rng.uniform(0.2, 0.99), 3), summary, Jsonb(quantities), "",
                rng.random() < 0.05, rejected, merged, created, created,
            ))  # fmt: skip
            for r, e in parts:
                participants.append((event_id, e, r))
                world.events_per_entity[e] = world.events_per_entity.get(e, 0) + 1
            # The articles published from two days before to five days after the event was
            # recorded (at the end of the three years: the last week's).
            stamp = min(created.timestamp(), published[-1] - 5 * 86400)
            lo = bisect_left(published, stamp - 2 * 86400)
            hi = max(lo + 1, min(bisect_left(published, stamp + 5 * 86400), last_article + 1))
            sources = {
                rng.randrange(lo, hi) + 1
                for _ in range(rng.choices((1, 2, 3), cum_weights=(60, 88, 100))[0])
            }
            for article_id in sorted(sources):
                start = rng.randint(0, 1200)
                text = summary + ", according to the article."
                trigger = rng.randint(start, start + 20)
                evidence.append((
                    event_id, article_id, text, start, start + len(text), trigger, trigger + 8,
                    f"{kind}@1", status, day, precision, created,
                ))  # fmt: skip
        return events, participants, evidence

    def _roles(self, kind: str, pick: Callable[[str], int]) -> list[tuple[str, int]]:
        rng = self.rng
        match kind:
            case "departure":
                roles = [("person", pick("mover")), ("from_company", pick("company"))]
                return roles + ([("destination", pick("company"))] if rng.random() < 0.5 else [])
            case "hire":
                return [
                    ("person", pick("mover")),
                    ("destination", pick("company")),
                    ("from_company", pick("company")),
                ]
            case "acquisition":
                return [("acquired", pick("company")), ("company", pick("company"))]
            case "merger":
                return [("merged", pick("company")), ("merged", pick("company"))]
            case "funding":
                return [("recipient", pick("company")), ("investor", pick("company"))]
            case "lawsuit" | "legal_notice":
                return [("plaintiff", pick("company")), ("defendant", pick("company"))]
            case "permit":
                return [
                    ("regulator", pick("company")),
                    ("company", pick("company")),
                    ("cluster", pick("cluster")),
                ]
            case "partnership":
                return [("partner", pick("company")), ("partner", pick("company"))]
            case "cluster_milestone":
                return [("cluster", pick("cluster")), ("company", pick("company"))]
            case _:
                return [("company", pick("company"))]

    @staticmethod
    def _summary(kind: str, named: dict[str, str]) -> str:
        def the(role: str) -> str:
            return named.get(role, "a company")

        match kind:
            case "departure":
                return f"{the('person')} left {the('from_company')}"
            case "hire":
                return f"{the('destination')} hired {the('person')}"
            case "funding":
                return f"{the('recipient')} raised money"
            case "cluster_milestone":
                return f"{the('cluster')} reached a milestone"
            case "permit":
                return f"A permit for {the('cluster')}"
            case _:
                return f"{kind.replace('_', ' ').capitalize()}: {', '.join(named.values())}"


# --- Bulk-load plumbing -------------------------------------------------------------------


def defer_indexes(connection: Any, tables: Sequence[str]) -> list[str]:
    """Drop the tables' secondary indexes, unique and foreign-key constraints (keeping primary
    keys and checks); return the statements that rebuild them, indexes first."""
    indexes: list[str] = []
    uniques: list[str] = []
    foreign: list[str] = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE conrelid = %s::regclass AND contype IN ('f', 'u')"
                " ORDER BY contype, conname",
                [table],
            )
            for name, kind, definition in cursor.fetchall():
                target = foreign if kind == "f" else uniques
                target.append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
            cursor.execute(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x"
                " JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass"
                " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid"
                " AND c.conrelid = x.indrelid AND c.contype IN ('p', 'u', 'x'))",
                [table],
            )
            indexes += [definition for _, definition in cursor.fetchall()]
    with connection.cursor() as cursor:
        for statement in foreign + uniques:
            table, name = re.match(
                r'ALTER TABLE "([^"]+)" ADD CONSTRAINT "([^"]+)"', statement
            ).groups()  # type: ignore[union-attr]
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        for statement in indexes:
            name = re.match(r"CREATE (?:UNIQUE )?INDEX (\S+) ON", statement).group(1)  # type: ignore[union-attr]
            cursor.execute(f"DROP INDEX {name}")
    connection.commit()
    return indexes + uniques + foreign


def rebuild(
    connect: Callable[[], Any], statements: Sequence[str], log: Callable[[str], None]
) -> None:
    """Run the statements on two connections at once (a GIN index over a million documents
    is minutes of one core's work; the other core builds the rest meanwhile). The GIN indexes
    go first, the foreign keys last; a statement that needs a lock another holds waits for it."""
    from concurrent.futures import ThreadPoolExecutor

    gin = [sql for sql in statements if "USING gin" in sql]
    # Whatever locks a GIN index's table (its other indexes, a foreign key to it) waits for that
    # index, so it goes after the work on every other table.
    busy = {match.group(1) for sql in gin if (match := re.search(r" ON (\S+) USING", sql))}

    def order(sql: str) -> tuple[bool, bool, bool]:
        touches_busy = any(table.rsplit(".", 1)[-1] in sql for table in busy)
        return sql not in gin, touches_busy, "FOREIGN KEY" in sql

    ordered = sorted(statements, key=order)
    local = threading.local()
    opened: list[Any] = []

    def run(statement: str) -> None:
        if not hasattr(local, "connection"):
            local.connection = connect()
            local.connection.commit()
            local.connection.autocommit = True
            local.connection.execute("SET maintenance_work_mem = '1GB'")
            opened.append(local.connection)
        started = time.perf_counter()
        local.connection.execute(statement)
        spent = time.perf_counter() - started
        if spent > 5:
            log(f"  {spent:5.1f} s  {statement[:110]}")

    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            for future in [pool.submit(run, statement) for statement in ordered]:
                future.result()
    finally:
        for connection in opened:
            connection.close()


def read_marker(url: str) -> dict[str, Any] | None:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=5) as connection:
            row = connection.execute(f"SELECT to_regclass('{MARKER}') IS NOT NULL").fetchone()
            if not row or not row[0]:
                return None
            found = connection.execute(
                f"SELECT version, scale, migrations, facts, seconds FROM {MARKER}"
            ).fetchone()
    except psycopg.OperationalError as error:
        if "does not exist" in str(error):
            return None
        raise
    if not found:
        return None
    version, scale, migrations, facts, seconds = found
    return {
        "version": version,
        "scale": scale,
        "migrations": migrations,
        "facts": facts,
        "seconds": seconds,
    }


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def server_reachable(url: str) -> str:
    """'' when the PostgreSQL server answers, else why not."""
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(admin, connect_timeout=5):
            return ""
    except psycopg.Error as error:
        return str(error).strip().splitlines()[0]


def setup_django(url: str, var_dir: Path) -> None:
    """Django on the bench database, with production settings (DEBUG off) and no broker."""
    os.environ["DATABASE_URL"] = url
    os.environ.pop("REDIS_URL", None)
    os.environ["DEBUG"] = "false"
    os.environ["SECRET_KEY"] = "labintel-bench-pages-" + "x" * 40
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["LABINTEL_VAR_DIR"] = str(var_dir)
    os.environ["LOG_LEVEL"] = "ERROR"
    os.environ["DJANGO_SETTINGS_MODULE"] = "labintel.settings"
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def migrations_applied() -> list[str]:
    from django.db.migrations.recorder import MigrationRecorder

    return sorted(
        f"{app}.{name}"
        for app, name in MigrationRecorder.Migration.objects.values_list("app", "name")
    )


def migrate(log: Callable[[str], None]) -> None:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    log(f"migrate: {time.perf_counter() - started:.1f} s")


def recount_mentions(log: Callable[[str], None]) -> str:
    """The app's own rebuild of its mention counters, if it has one yet."""
    from django.core.management import call_command, get_commands

    if "recount_mentions" not in get_commands():
        log("recount_mentions: no such command yet; mention counters left as loaded")
        return "missing"
    started = time.perf_counter()
    call_command("recount_mentions", stdout=io.StringIO())
    spent = time.perf_counter() - started
    log(f"recount_mentions: {spent:.1f} s")
    return f"{spent:.1f} s"


def vacuum_analyze(url: str, log: Callable[[str], None]) -> None:
    """Visibility map and statistics, as autovacuum would leave them (and so that autovacuum does
    not start in the middle of a measurement)."""
    import psycopg

    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("SET maintenance_work_mem = '1GB'")
        connection.execute("VACUUM (ANALYZE)")
        # Write out what VACUUM dirtied, so that the first measured reads do not pay for it
        # (CHECKPOINT needs a superuser or pg_checkpoint; without, only the noise is higher).
        with contextlib.suppress(psycopg.Error):
            connection.execute("CHECKPOINT")
    log(f"VACUUM ANALYZE: {time.perf_counter() - started:.1f} s")


# --- The whole run ------------------------------------------------------------------------


@dataclass
class Dataset:
    url: str
    facts: dict[str, Any]
    generated: bool  # False when the database already held this version
    seconds: float  # how long the generation took (when it was done)
    notes: list[str]


def ensure(
    scale: float, *, force: bool, var_dir: Path, log: Callable[[str], None] = print
) -> Dataset:
    """The dataset at this scale, generated unless the database already holds it."""
    url = database_url(scale)
    marker = None if force else read_marker(url)
    notes: list[str] = []
    if marker and marker["version"] == VERSION and marker["scale"] == scale:
        setup_django(url, var_dir)
        before = migrations_applied()
        migrate(log)
        after = migrations_applied()
        if after != before or marker["migrations"] != after:
            log("New migrations since the data was generated: recounting and analysing again")
            notes.append(f"recount_mentions: {recount_mentions(log)}")
            vacuum_analyze(url, log)
            _write_marker(marker["facts"], after, marker["seconds"])
        log(f"Reusing {urlsplit(url).path.lstrip('/')} (version {VERSION}, scale {scale:g})")
        return Dataset(url, marker["facts"], False, marker["seconds"], notes)
    log(f"Generating {urlsplit(url).path.lstrip('/')} (version {VERSION}, scale {scale:g}) ...")
    recreate_database(url)
    setup_django(url, var_dir)
    started = time.perf_counter()
    migrate(log)
    facts = generate(Size.at(scale), url, log)
    notes.append(f"recount_mentions: {recount_mentions(log)}")
    vacuum_analyze(url, log)
    seconds = time.perf_counter() - started
    facts["notes"] = notes
    _write_marker(facts, migrations_applied(), seconds)
    log(f"Generated in {seconds:.0f} s")
    return Dataset(url, facts, True, seconds, notes)


def _write_marker(facts: dict[str, Any], migrations: list[str], seconds: float) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER} (version text, scale double precision,"
            " migrations jsonb, facts jsonb, seconds double precision, written_at timestamptz)"
        )
        cursor.execute(f"DELETE FROM {MARKER}")
        cursor.execute(
            f"INSERT INTO {MARKER} VALUES (%s, %s, %s, %s, %s, now())",
            [VERSION, facts["size"]["scale"], json.dumps(migrations), json.dumps(facts), seconds],
        )


def generate(size: Size, url: str, log: Callable[[str], None]) -> dict[str, Any]:
    from django.core.management.color import no_style
    from django.db import connection

    from apps.entities.models import (
        Affiliation,
        Alias,
        ClusterObservation,
        Company,
        ComputeCluster,
        Entity,
        Person,
    )
    from apps.events.models import Event, EventParticipant, Evidence, Mention
    from apps.sources.models import Article, Source, StoryCluster

    g = Generator(size, url, log=log)
    world = g.world
    tables = {
        "source": Table(Source, ["id", "feed_url", "site_url", "title", "kind", "is_active",
                                 "next_fetch_at", "fetch_interval", "consecutive_errors",
                                 "last_error_kind", "last_error", "last_status", "last_fetched_at",
                                 "last_success_at", "created_at"]),
        "entity": Table(Entity, ["id", "type", "name", "slug", "description", "source_urls",
                                 "created_at", "updated_at"]),
        "company": Table(Company, ["entity_ptr_id", "kind", "website", "founded",
                                   "founded_precision", "status", "parent_id", "successor_id"]),
        "person": Table(Person, ["entity_ptr_id"]),
        "cluster": Table(ComputeCluster, ["entity_ptr_id", "owner_id", "city", "region", "country",
                                          "latitude", "longitude", "status", "chip_type",
                                          "chip_count", "h100_equivalents", "power_mw"]),
        "observation": Table(ClusterObservation, ["cluster_id", "as_of", "as_of_precision", "gpus",
                                                  "chip_type", "h100_equivalents", "power_mw",
                                                  "turbines", "basis", "is_projection", "note",
                                                  "source_url"]),
        "alias": Table(Alias, ["entity_id", "text", "case_sensitive", "needs_context"]),
        "affiliation": Table(Affiliation, ["person_id", "company_id", "title", "kind",
                                           "is_cofounder", "start", "start_precision", "end",
                                           "end_precision", "end_reason", "destination_id",
                                           "source_urls"]),
        "story": Table(StoryCluster, ["id", "representative_id", "created_at"]),
        "article": Table(Article, ["id", "source_id", "guid", "url", "canonical_url", "title",
                                   "author", "summary_html", "published_at", "published_from",
                                   "language", "text", "html", "text_from", "word_count",
                                   "content_hash", "story_id", "fetched_at", "extracted_at",
                                   "analyzed_at"]),
        "mention": Table(Mention, ["article_id", "entity_id", "start", "end", "surface",
                                   "sentence", "in_title", "salience", "is_about", "status",
                                   "created_at"]
                         + (["published_at"] if has_field(Mention, "published_at") else [])),
        "event": Table(Event, ["id", "type", "date", "date_precision", "date_is_estimate",
                               "status", "confidence", "summary", "quantities", "detail",
                               "curated", "rejected", "merged_into_id", "created_at",
                               "updated_at"]),
        "participant": Table(EventParticipant, ["event_id", "entity_id", "role"]),
        "evidence": Table(Evidence, ["event_id", "article_id", "sentence", "start", "end",
                                     "trigger_start", "trigger_end", "found_by", "status",
                                     "reported_date", "reported_precision", "created_at"]),
    }  # fmt: skip
    from psycopg.types.json import Jsonb

    phases: dict[str, float] = {}

    def phase(name: str, started: float) -> None:
        phases[name] = round(time.perf_counter() - started, 1)
        log(f"{name}: {phases[name]} s")

    started = time.perf_counter()
    with g.connect() as ddl:
        rebuild_sql = defer_indexes(ddl, [t.table for t in tables.values()])
    phase("drop indexes", started)

    started = time.perf_counter()
    g.plan_entities()
    with g.connect() as c:
        counts = {
            "sources": tables["source"].load(c, g.sources()),
            "entities": tables["entity"].load(
                c, ((*r[:5], Jsonb(r[5]), *r[6:]) for r in g.entities())
            ),
            "companies": tables["company"].load(c, g.companies()),
            "people": tables["person"].load(c, g.people()),
            "clusters": tables["cluster"].load(c, g.clusters()),
            "observations": tables["observation"].load(c, g.observations()),
            "aliases": tables["alias"].load(c, g.aliases()),
            "affiliations": tables["affiliation"].load(
                c, ((*r[:-1], Jsonb(r[-1])) for r in g.affiliations())
            ),
        }
    phase("sources and entities", started)

    started = time.perf_counter()
    stories: list[tuple[Any, ...]] = []
    counts["articles"], counts["mentions"] = g.articles_and_mentions(
        tables["article"], tables["mention"], stories
    )
    with g.connect() as c:
        counts["stories"] = tables["story"].load(c, iter(stories))
    phase("articles and mentions", started)

    started = time.perf_counter()
    events, participants, evidence = g.events()
    with g.connect() as c:
        counts["events"] = tables["event"].load(c, iter(events))
        counts["participants"] = tables["participant"].load(c, iter(participants))
        counts["evidence"] = tables["evidence"].load(c, iter(evidence))
    phase("events", started)

    started = time.perf_counter()
    rebuild(g.connect, rebuild_sql, log)
    with connection.cursor() as cursor:
        models = [Source, Entity, Article, StoryCluster, Event, Mention, EventParticipant,
                  Evidence, Alias, Affiliation, ClusterObservation]  # fmt: skip
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    phase("indexes and constraints", started)

    started = time.perf_counter()
    storylines = make_storylines(world)
    phase("storylines", started)

    hot_company = world.companies[0]
    named_companies = [
        e
        for e in world.companies
        if world.events_per_entity.get(e, 0) >= 1 and world.mentions_per_entity.get(e, 0) >= 1
    ]
    cold_company = min(named_companies, key=lambda e: (world.mentions_per_entity.get(e, 0), e))
    hot_cluster = world.clusters[0]
    news = [w for w in vocabulary(random.Random(SEED + 1), 400) if w not in FUNCTION_WORDS]
    return {
        "version": VERSION,
        "size": asdict(size),
        "counts": counts,
        "phases": phases,
        "hot_company": _entity_facts(world, hot_company),
        "cold_company": _entity_facts(world, cold_company),
        "cluster": _entity_facts(world, hot_cluster),
        "person": _entity_facts(world, world.people[0]),
        "storylines": storylines,
        "common_terms": news[:3],
        "rare_terms": world.rare_terms,
        "newest_article_id": size.articles,
        # The article reader's case: the newest article that reports an event.
        "article_id": max(row[1] for row in evidence),
        "news_from": g.start.date().isoformat(),
        "news_until": g.now.date().isoformat(),
    }


def _entity_facts(world: World, entity_id: int) -> dict[str, Any]:
    return {
        "id": entity_id,
        "slug": world.entity_slugs[entity_id],
        "name": world.entity_names[entity_id],
        "mentions": world.mentions_per_entity.get(entity_id, 0),
        "events": world.events_per_entity.get(entity_id, 0),
    }


def make_storylines(world: World) -> list[dict[str, Any]]:
    """The storylines, their membership computed by the app's own rule code; then a few curator
    pins and exclusions, and the counters the app keeps."""
    from apps.events.models import Storyline, StorylineEvent
    from apps.events.services.storylines import refresh_storyline, update_counters

    slug = world.entity_slugs
    hot, cluster = world.companies[0], world.clusters[0]
    specs = [
        (
            f"{world.entity_names[hot]} exodus",
            [{"types": ["departure"], "entities": [slug[hot]], "roles": ["from_company"]}],
        ),
        (
            f"{world.entity_names[cluster]} build-out",
            [
                {
                    "types": ["cluster_milestone", "permit"],
                    "entities": [slug[cluster]],
                    "roles": ["cluster"],
                }
            ],
        ),
        (
            "The funding race",
            [
                {
                    "types": ["funding"],
                    "entities": [slug[c] for c in world.companies[:8]],
                    "roles": ["recipient"],
                }
            ],
        ),
    ]
    rng = random.Random(SEED + 2)
    for n in range(5):
        company = world.companies[10 + 7 * n]
        types = rng.sample(
            ["hire", "departure", "partnership", "lawsuit", "model_release", "acquisition"], 2
        )
        specs.append(
            (
                f"{world.entity_names[company]}: {' and '.join(types)}",
                [{"types": types, "entities": [slug[company]]}],
            )
        )
    made: list[dict[str, Any]] = []
    for title, rule in specs:
        storyline = Storyline.objects.create(
            title=title, slug=slugify(title), description=f"Generated: {title}.", rule=rule
        )
        refresh_storyline(storyline)
        entries = list(
            storyline.entries.order_by("event__date", "event_id").values_list("id", flat=True)
        )
        pinned = entries[:: max(1, len(entries) // 40)][:40]
        for order, entry in enumerate(pinned):
            StorylineEvent.objects.filter(id=entry).update(
                origin=StorylineEvent.Origin.PINNED, order=order % 3
            )
        excluded = [e for e in entries[7 :: max(1, len(entries) // 10)] if e not in pinned][:10]
        StorylineEvent.objects.filter(id__in=excluded).update(origin=StorylineEvent.Origin.EXCLUDED)
        update_counters([storyline.id])
        storyline.refresh_from_db()
        made.append(
            {"slug": storyline.slug, "title": storyline.title, "events": storyline.event_count}
        )
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full size")
    parser.add_argument("--force", action="store_true", help="generate again even if present")
    options = parser.parse_args()
    import tempfile

    problem = server_reachable(database_url(options.scale))
    if problem:
        raise SystemExit(f"PostgreSQL is not reachable ({problem}); set BENCH_DATABASE_URL")
    with tempfile.TemporaryDirectory(prefix="labintel-largedata-") as var_dir:
        dataset = ensure(options.scale, force=options.force, var_dir=Path(var_dir))
    print(json.dumps({k: v for k, v in dataset.facts.items() if k != "rare_terms"}, indent=1))


if __name__ == "__main__":
    main()
