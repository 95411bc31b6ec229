import datetime
from typing import Any

import pytest

from apps.events.storylines import EventFacts, RuleError, parse_rule, rule_slugs, selects
from apps.events.vocabulary import EventType, Role, Status

D = datetime.date
SLUGS = {"xai": 1, "openai": 2}


def facts(**overrides: Any) -> EventFacts:
    fields: dict[str, Any] = {
        "type": EventType.DEPARTURE,
        "date": D(2025, 2, 10),
        "status": Status.CONFIRMED,
        "participants": frozenset({(Role.PERSON, 9), (Role.FROM_COMPANY, 1)}),
    }
    return EventFacts(**(fields | overrides))


def picks(rule: object, **overrides: Any) -> bool:
    return selects(parse_rule(rule, SLUGS), facts(**overrides))


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"types": ["departure"]}, "must be a list of clauses"),
        (["departure"], "Clause 1 must be an object"),
        ([{"types": ["hire"]}, {"type": ["hire"]}], "Clause 2 has unknown keys: type"),
        ([{"types": "departure"}], "'types' must be a list of strings"),
        ([{"types": ["departures"]}], "unknown types: departures"),
        ([{"types": ["hire"], "roles": ["boss"]}], "unknown roles: boss"),
        ([{"types": ["hire"], "statuses": ["likely"]}], "unknown statuses: likely"),
        ([{"entities": ["xai", "nobody", "anthropic"]}], "unknown entities: anthropic, nobody"),
        ([{"types": ["hire"], "since": "2025-03"}], "'since' must be a date"),
        ([{"types": ["hire"], "until": 2025}], "'until' must be a date"),
    ],
)
def test_it_names_the_first_problem_in_a_rule(rule: object, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        parse_rule(rule, SLUGS)


def test_it_reads_a_whole_clause() -> None:
    rule = [
        {
            "types": ["departure"],
            "entities": ["xai"],
            "roles": ["from_company"],
            "since": "2025-01-01",
            "until": "",
            "statuses": ["confirmed"],
        }
    ]
    (clause,) = parse_rule(rule, SLUGS)
    assert clause.entity_ids == {1}
    assert clause.since == D(2025, 1, 1) and clause.until is None


def test_it_selects_by_type() -> None:
    assert picks([{"types": ["departure", "hire"]}])
    assert not picks([{"types": ["hire"]}])


def test_it_selects_nothing_with_neither_types_nor_entities() -> None:
    assert not picks([{}])
    assert not picks([{"statuses": ["confirmed"], "since": "2020-01-01"}])


def test_it_selects_by_entity_in_any_role_unless_roles_are_given() -> None:
    assert picks([{"entities": ["xai"]}])
    assert picks([{"entities": ["xai"], "roles": ["from_company"]}])
    assert not picks([{"entities": ["xai"], "roles": ["destination"]}])
    assert not picks([{"entities": ["openai"]}])


def test_it_wants_the_role_on_the_named_entity_not_another() -> None:
    # OpenAI is the destination here, xAI is not: "joined xAI" must not pick it.
    both = frozenset({(Role.FROM_COMPANY, 1), (Role.DESTINATION, 2)})
    assert not picks([{"entities": ["xai"], "roles": ["destination"]}], participants=both)


def test_it_selects_dates_inclusively() -> None:
    rule = [{"types": ["departure"], "since": "2025-02-10", "until": "2025-02-10"}]
    assert picks(rule)
    assert not picks(rule, date=D(2025, 2, 9))
    assert not picks(rule, date=D(2025, 2, 11))


def test_it_selects_by_status_only_when_asked() -> None:
    assert picks([{"types": ["departure"]}], status=Status.DENIED)
    assert not picks([{"types": ["departure"], "statuses": ["confirmed"]}], status=Status.DENIED)


def test_it_selects_when_any_clause_does() -> None:
    assert picks([{"types": ["hire"]}, {"entities": ["xai"]}])
    assert not picks([])


def test_it_lists_the_slugs_a_rule_names() -> None:
    rule = [{"entities": ["xai", 3]}, {"entities": "openai"}, "junk", {"entities": ["meta"]}]
    assert rule_slugs(rule) == {"xai", "meta"}
    assert rule_slugs({"entities": ["xai"]}) == set()
