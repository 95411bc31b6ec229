"""Reading the seed files: YAML records with typed getters whose errors name file and record.

Nothing here writes to the database; `apps.entities.services.seed` loads what this reads.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.db import models

from apps.common.dates import DatePrecision, parse_partial_date

_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


class SeedError(Exception):
    """The seed is malformed: an unknown slug, a bad date, a missing or unknown field…"""

    def __init__(self, file: str, record: str, message: str) -> None:
        super().__init__(f"{file}: {record}: {message}")
        self.file = file
        self.record = record


class SeedRecord:
    """One YAML mapping, with typed getters whose errors name the file and the record."""

    def __init__(self, data: Any, *, file: str, label: str, allowed: set[str]) -> None:
        self.file, self.label = file, label
        if not isinstance(data, dict):
            raise self.error("expected a mapping")
        if unknown := set(data) - allowed:
            raise self.error(f"unknown field(s): {', '.join(sorted(map(str, unknown)))}")
        self.data: dict[str, Any] = data

    def error(self, message: str) -> SeedError:
        return SeedError(self.file, self.label, message)

    def child(self, data: Any, label: str, allowed: set[str]) -> "SeedRecord":
        return SeedRecord(data, file=self.file, label=f"{self.label}, {label}", allowed=allowed)

    def text(self, key: str, *, required: bool = False, max_length: int = 0) -> str:
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                raise self.error(f"{key} is required")
            return ""
        if not isinstance(value, str):
            raise self.error(f"{key} must be a string, not {value!r}")
        if max_length and len(value) > max_length:
            raise self.error(f"{key} is longer than {max_length} characters")
        return value.strip()

    def choice(self, key: str, choices: dict[str, str], default: str) -> str:
        value = self.data.get(key)
        if value is None:
            return default
        if value not in choices:
            raise self.error(f"{key} {value!r} is not one of {', '.join(sorted(choices))}")
        return choices[value]

    def flag(self, key: str) -> bool:
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            raise self.error(f"{key} must be true or false, not {value!r}")
        return value

    def integer(self, key: str) -> int | None:
        value = self.data.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise self.error(f"{key} must be a whole number, not {value!r}")
        if value is not None and value < 0:
            raise self.error(f"{key} must not be negative")
        return value

    def decimal(self, key: str) -> Decimal | None:
        value = self.data.get(key)
        if value is None:
            return None
        try:
            return Decimal(str(value))
        except InvalidOperation:
            raise self.error(f"{key} must be a number, not {value!r}") from None

    def partial_date(self, key: str) -> tuple[date | None, str]:
        value = self.data.get(key)
        if value is None:
            return None, DatePrecision.DAY
        if isinstance(value, date):  # an unquoted 2024-09-02 is read as a date by YAML
            value = value.isoformat()
        if not _DATE.fullmatch(str(value)):
            raise self.error(f"{key} {value!r} is not a YYYY, YYYY-MM or YYYY-MM-DD date")
        try:
            return parse_partial_date(str(value))
        except ValueError:
            raise self.error(f"{key} {value!r} is not a real date") from None

    def urls(self, key: str) -> list[str]:
        value = self.data.get(key) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise self.error(f"{key} must be a list of URLs")
        for url in value:
            if not isinstance(url, str) or not url.startswith(("https://", "http://")):
                raise self.error(f"{key}: {url!r} is not an http(s) URL")
        return value

    def items(self, key: str) -> list[Any]:
        value = self.data.get(key) or []
        if not isinstance(value, list):
            raise self.error(f"{key} must be a list")
        return value


@dataclass(frozen=True)
class AliasSpec:
    text: str
    case_sensitive: bool = False
    needs_context: bool = False


def _read(directory: Path, name: str) -> list[Any]:
    path = directory / name
    if not path.exists():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise SeedError(name, "file", f"not valid YAML: {error}") from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise SeedError(name, "file", "expected a list of records")
    return data


def read_records(directory: Path, name: str, allowed: set[str]) -> Iterator[SeedRecord]:
    seen: set[str] = set()
    for index, data in enumerate(_read(directory, name), start=1):
        slug = data.get("slug") if isinstance(data, dict) else None
        label = f"record {index} ({slug})" if slug else f"record {index}"
        record = SeedRecord(data, file=name, label=label, allowed=allowed)
        slug = record.text("slug", required=True)
        if slug in seen:
            raise record.error(f"slug {slug!r} appears twice")
        seen.add(slug)
        yield record


def alias_specs(record: SeedRecord, name: str) -> list[AliasSpec]:
    """The entity's own name first (with any flags the alias list gives it), then the rest."""
    specs: dict[str, AliasSpec] = {name: AliasSpec(name)}
    listed: set[str] = set()
    for item in record.items("aliases"):
        if isinstance(item, str):
            spec = AliasSpec(item.strip())
        else:
            entry = record.child(item, "alias", {"text", "case_sensitive", "needs_context"})
            spec = AliasSpec(
                entry.text("text", required=True),
                entry.flag("case_sensitive"),
                entry.flag("needs_context"),
            )
        if not spec.text or spec.text in listed:
            raise record.error(f"alias {spec.text!r} is empty or listed twice")
        listed.add(spec.text)
        specs[spec.text] = spec
    return list(specs.values())


def choices_of(choices: type[models.TextChoices]) -> dict[str, str]:
    return {value: value for value in choices.values}
