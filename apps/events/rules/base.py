"""What every event rule reads and returns. Pure: no database, no network.

A rule reads one `Sentence` (its text, the known entities named in it, the publication time and
the entities named just before it, for "he" and "the company") and returns `Finding`s: an event
type, its participants in roles, its quantities, its date and its status. The analysis service
turns findings into Event and Evidence rows; rules never see the database.
"""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from apps.events.rules.quantities import Quantity
from apps.events.rules.when import EventDate
from apps.events.vocabulary import EventType, Role, Status

COMPANY = "company"
PERSON = "person"
CLUSTER = "cluster"


@dataclass(frozen=True)
class Named:
    """A known entity named in a sentence; offsets are into the sentence's text."""

    entity_id: int
    kind: str  # COMPANY | PERSON | CLUSTER
    start: int
    end: int
    surface: str


@dataclass(frozen=True)
class Sentence:
    text: str
    names: tuple[Named, ...]  # in order of appearance, non-overlapping
    published: datetime.datetime  # aware; the article's publication (or fetch) time
    # Entities named in the article's earlier sentences, the most recent first, each once: what
    # "he", "she", "the company" or "the startup" most likely refer to.
    recent: tuple[Named, ...] = ()
    in_title: bool = False
    # What the knowledge base says about the people of the article: a person's one employer at
    # publication time, when the article names it. "Ba left last week" is about the company Ba
    # works at, when the article names it somewhere.
    employers: Mapping[int, tuple[int, ...]] = field(default_factory=dict)
    # A date the article set just before this sentence, on a line of its own ("April 2024.")
    # as timelines and recaps do: the date of a sentence that dates nothing itself.
    heading_date: EventDate | None = None
    # The entities the article is about (its title, its lead, repeated): what "the company"
    # most likely means when no company was named just before.
    about: frozenset[int] = frozenset()
    # The entities the article's title names: who "his exit" means, when the sentence does not
    # say, in an article headlined with one person's move.
    headline: frozenset[int] = frozenset()

    def of_kind(self, kind: str) -> list[Named]:
        return [name for name in self.names if name.kind == kind]


@dataclass(frozen=True)
class Finding:
    type: EventType
    participants: tuple[tuple[Role, int], ...]  # (role, entity id); a role may repeat
    date: EventDate | None  # None: the sentence dates nothing; the service uses publication
    status: Status = Status.CONFIRMED
    quantities: tuple[Quantity, ...] = ()
    rule: str = ""  # the finding rule's name, e.g. "departure"
    version: int = 1  # bumped when the rule's behaviour changes
    # A short free-text detail the summary needs and no participant carries: a model's name
    # ("Grok 3"), a permit's object ("15 gas turbines").
    detail: str = ""
    # Offsets into the sentence of the words that carried the event ("has left"), for highlighting.
    trigger: tuple[int, int] | None = None
    extras: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def entity_ids(self, role: Role) -> list[int]:
        return [entity_id for r, entity_id in self.participants if r == role]


@dataclass(frozen=True)
class Rule:
    name: str
    version: int
    find: Callable[[Sentence], list[Finding]]
