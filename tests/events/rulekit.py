"""Sentences for rule tests, written with their entities marked: "[Jimmy Ba] has left [xAI]."

Square brackets mark a known entity; its id and kind come from NAMES (any unknown bracketed
name is a company with a fresh id). `recent` names entities of earlier sentences, most recent
first, for sentences that say "he" or "the company".
"""

import datetime
import re

from apps.events.rules.base import CLUSTER, COMPANY, PERSON, Named, Sentence

PUBLISHED = datetime.datetime(2026, 2, 12, 15, 0, tzinfo=datetime.UTC)  # a Thursday

NAMES: dict[str, tuple[int, str]] = {
    "xAI": (1, COMPANY),
    "X": (2, COMPANY),
    "SpaceX": (3, COMPANY),
    "OpenAI": (4, COMPANY),
    "Anthropic": (5, COMPANY),
    "Google DeepMind": (6, COMPANY),
    "Google": (7, COMPANY),
    "Nvidia": (8, COMPANY),
    "Tesla": (9, COMPANY),
    "Meta": (10, COMPANY),
    "Microsoft": (11, COMPANY),
    "Cursor": (12, COMPANY),
    "Morph Labs": (13, COMPANY),
    "Twitter": (14, COMPANY),
    "TVA": (15, COMPANY),
    "Shelby County Health Department": (16, COMPANY),
    "NAACP": (17, COMPANY),
    "Southern Environmental Law Center": (18, COMPANY),
    "MDEQ": (19, COMPANY),
    "Andreessen Horowitz": (20, COMPANY),
    "Sequoia": (21, COMPANY),
    "Oracle": (22, COMPANY),
    "Amazon": (23, COMPANY),
    "Elon Musk": (101, PERSON),
    "Musk": (101, PERSON),
    "Jimmy Ba": (102, PERSON),
    "Ba": (102, PERSON),
    "Igor Babuschkin": (103, PERSON),
    "Babuschkin": (103, PERSON),
    "Linda Yaccarino": (104, PERSON),
    "Yaccarino": (104, PERSON),
    "Kyle Kosic": (105, PERSON),
    "Christian Szegedy": (106, PERSON),
    "Greg Yang": (107, PERSON),
    "Mike Liberatore": (108, PERSON),
    "Tony Wu": (109, PERSON),
    "Yuhuai Wu": (109, PERSON),
    "Andrew Milich": (110, PERSON),
    "Sam Altman": (111, PERSON),
    "Colossus": (201, CLUSTER),
    "Colossus 2": (202, CLUSTER),
    "Colossus 1": (201, CLUSTER),
    "Southaven power plant": (203, CLUSTER),
    "Project Rainier": (204, CLUSTER),
    "Xuechen Li": (160, PERSON),
    "Hyperion": (260, CLUSTER),
    "Stargate Abilene": (261, CLUSTER),
    "Fairwater Atlanta": (262, CLUSTER),
}

_MARK = re.compile(r"\[([^\]]+)\]")


def named(name: str, start: int = 0) -> Named:
    entity_id, kind = NAMES.get(name, (1000 + sum(map(ord, name)), COMPANY))
    return Named(entity_id=entity_id, kind=kind, start=start, end=start + len(name), surface=name)


def sentence(
    marked: str,
    *,
    published: datetime.datetime = PUBLISHED,
    recent: tuple[str, ...] = (),
    in_title: bool = False,
) -> Sentence:
    text = ""
    names: list[Named] = []
    last = 0
    for m in _MARK.finditer(marked):
        text += marked[last : m.start()]
        names.append(named(m.group(1), len(text)))
        text += m.group(1)
        last = m.end()
    text += marked[last:]
    return Sentence(
        text=text,
        names=tuple(names),
        published=published,
        recent=tuple(named(name) for name in recent),
        in_title=in_title,
    )


def eid(name: str) -> int:
    return named(name).entity_id
