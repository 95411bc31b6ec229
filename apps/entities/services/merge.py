"""Merging two entities that turned out to be one: everything that pointed at the loser moves.

The rows to move are found by walking the reverse relations of the entity's concrete model and its
parents (`Entity`), so rows from apps that `entities` does not import (mentions, event
participants, storyline pins) move too. A moved row that would break a unique constraint (the same
alias text on both, the same mention twice) is a duplicate: the survivor's row stays, whatever
pointed at the loser's copy moves to it, and the copy is dropped.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from apps.entities.models import Alias, Company, ComputeCluster, Entity, Person
from apps.entities.signals import entities_merged

CONCRETE: dict[str, type[Entity]] = {
    Entity.Type.COMPANY: Company,
    Entity.Type.PERSON: Person,
    Entity.Type.CLUSTER: ComputeCluster,
}


class MergeError(Exception):
    """Two entities that cannot be merged; the message says why."""


class TypeMismatch(MergeError):
    pass


class SameEntity(MergeError):
    pass


@dataclass
class MergeReport:
    survivor: Entity
    loser_name: str
    # Per relation ("aliases (entity)", "mentions (entity)"…): rows repointed at the survivor.
    moved: Counter[str] = field(default_factory=Counter)
    # Per relation: the loser's rows dropped because the survivor already had the same one.
    dropped: Counter[str] = field(default_factory=Counter)
    filled: list[str] = field(default_factory=list)
    alias_added: bool = False

    def __str__(self) -> str:
        parts = [f"{count} {label}" for label, count in sorted(self.moved.items()) if count]
        dupes = sum(self.dropped.values())
        text = f"Merged {self.loser_name} into {self.survivor}: moved " + (
            ", ".join(parts) or "nothing"
        )
        if dupes:
            text += f"; dropped {dupes} duplicates"
        if self.filled:
            text += f"; filled {', '.join(self.filled)}"
        return text + "."


def merge_entities(survivor: Entity, loser: Entity) -> MergeReport:
    """Fold `loser` into `survivor` in one transaction and delete it; see the module docstring."""
    if survivor.pk == loser.pk:
        raise SameEntity(f"{survivor} cannot be merged with itself.")
    if survivor.type != loser.type:
        raise TypeMismatch(
            f"Cannot merge {loser} ({loser.get_type_display()}) "
            f"into {survivor} ({survivor.get_type_display()})."
        )
    with transaction.atomic():
        list(Entity.objects.select_for_update().filter(pk__in=[survivor.pk, loser.pk]))
        kept, gone = concrete(survivor), concrete(loser)
        report = MergeReport(survivor=kept, loser_name=gone.name)
        _move_related(kept, gone, report)
        report.filled = _fill_empty_fields(kept, gone)
        _, report.alias_added = Alias.objects.get_or_create(entity=kept, text=gone.name)
        # Moved aliases already carry a new `updated_at`; touching the rest too tells the linker
        # that this entity's names changed, so it rebuilds without the loser.
        Alias.objects.filter(entity=kept).update(updated_at=timezone.now())
        loser_id = gone.pk
        gone.delete()
        # Moving rows keeps each one right, not what is computed across them (counts).
        entities_merged.send(sender=Entity, survivor_id=kept.pk, loser_id=loser_id)
    return report


def merge_preview(survivor: Entity, loser: Entity) -> dict[str, int]:
    """Per relation, how many rows point at `loser` now: what a merge into `survivor` moves."""
    gone = concrete(loser)
    counts: dict[str, int] = {}
    for relation in _relations(type(gone)):
        rows = _pointing_at(relation, gone).exclude(**_self_rows(relation, survivor, gone))
        if count := rows.count():
            counts[_label(relation)] = count
    return counts


def concrete(entity: Entity) -> Entity:
    """The Company, Person or ComputeCluster behind an `Entity` row."""
    model = CONCRETE[entity.type]
    if isinstance(entity, model):
        return entity
    return model._base_manager.get(pk=entity.pk)


def _relations(model: type[models.Model]) -> list[models.ForeignKey[Any, Any]]:
    """Every foreign key (and one-to-one) that can point at a row of `model`.

    Hidden relations count too (`related_name="+"`, the through tables of many-to-many fields),
    which is why this asks `get_fields(include_hidden=True)` rather than `related_objects`; the
    many-to-many relations themselves are left out because their through tables cover them.
    """
    found: dict[models.Field[Any, Any], None] = {}
    for owner in [model, *model._meta.get_parent_list()]:
        for rel in owner._meta.get_fields(include_hidden=True):
            if not (rel.auto_created and not rel.concrete) or rel.many_to_many:
                continue
            fk = rel.field  # type: ignore[union-attr]
            if fk.remote_field.parent_link:
                continue  # the Company row of the same entity, not a reference to it
            found[fk] = None
    return list(found)  # type: ignore[arg-type]


def _label(fk: models.ForeignKey[Any, Any]) -> str:
    return f"{fk.model._meta.verbose_name_plural} ({fk.verbose_name})"


def _pointing_at(fk: models.ForeignKey[Any, Any], row: models.Model) -> models.QuerySet[Any]:
    value = getattr(row, fk.target_field.attname)
    return fk.model._base_manager.filter(**{fk.attname: value})


def _same_table_family(fk: models.ForeignKey[Any, Any], row: models.Model) -> bool:
    return _root(fk.model) is _root(type(row))


def _root(model: type[models.Model]) -> type[models.Model]:
    return ([model, *model._meta.get_parent_list()])[-1]


def _self_rows(
    fk: models.ForeignKey[Any, Any], kept: models.Model, gone: models.Model
) -> dict[str, Any]:
    """The filter for the two merged rows themselves, in a self-referencing relation."""
    if not _same_table_family(fk, kept):
        return {"pk__in": []}
    return {"pk__in": [kept.pk, gone.pk]}


def _move_related(kept: models.Model, gone: models.Model, report: MergeReport) -> None:
    """Repoint every row that references `gone` at `kept`, resolving unique clashes."""
    now = timezone.now()
    for fk in _relations(type(gone)):
        label = _label(fk)
        rows = _pointing_at(fk, gone)
        if _same_table_family(fk, kept):
            # The survivor pointing at the loser (its parent, its successor) would point at
            # itself after the merge: that link means nothing any more.
            if rows.filter(pk=kept.pk).exists():
                _unlink_self(fk, kept)
            rows = rows.exclude(pk__in=[kept.pk, gone.pk])
        for duplicate, original in _clashes(fk, rows, kept):
            _move_related(original, duplicate, report)
            duplicate.delete()
            report.dropped[label] += 1
        # `update()` skips auto_now; the linker watches Alias.updated_at, so bump it here.
        touched = {f.attname: now for f in fk.model._meta.concrete_fields if _is_auto_now(f)}
        value = getattr(kept, fk.target_field.attname)
        report.moved[label] += rows.update(**{fk.attname: value}, **touched)


def _unlink_self(fk: models.ForeignKey[Any, Any], kept: models.Model) -> None:
    if not fk.null:
        raise MergeError(f"{kept} points at the entity it absorbs through {fk.name}.")
    fk.model._base_manager.filter(pk=kept.pk).update(**{fk.attname: None})
    setattr(kept, fk.attname, None)


def _is_auto_now(f: models.Field[Any, Any]) -> bool:
    return bool(getattr(f, "auto_now", False))


def _clashes(
    fk: models.ForeignKey[Any, Any], rows: models.QuerySet[Any], kept: models.Model
) -> list[tuple[models.Model, models.Model]]:
    """(loser's row, survivor's row) pairs that would break a unique constraint once moved."""
    pairs: dict[Any, tuple[models.Model, models.Model]] = {}
    kept_rows = _pointing_at(fk, kept)
    for names, condition in _unique_sets(fk.model):
        if fk.name not in names:
            continue
        others = [_attname(fk.model, name) for name in names if name != fk.name]
        candidates, taken = rows.exclude(pk__in=list(pairs)), kept_rows
        if condition is not None:
            candidates, taken = candidates.filter(condition), taken.filter(condition)
        if not others:
            original = taken.first()
            if original is not None:
                pairs.update({row.pk: (row, original) for row in candidates})
            continue
        for row in candidates:
            key = {name: getattr(row, name) for name in others}
            if None in key.values():
                continue  # NULLs never clash
            original = taken.filter(**key).first()
            if original is not None:
                pairs[row.pk] = (row, original)
    return list(pairs.values())


def _unique_sets(model: type[models.Model]) -> list[tuple[tuple[str, ...], Q | None]]:
    sets: list[tuple[tuple[str, ...], Q | None]] = [
        ((f.name,), None) for f in model._meta.concrete_fields if f.unique and not f.primary_key
    ]
    sets += [(tuple(names), None) for names in model._meta.unique_together]
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            sets.append((tuple(constraint.fields), constraint.condition))  # type: ignore[arg-type]
    return sets


def _fill_empty_fields(kept: Entity, gone: Entity) -> list[str]:
    """Copy the loser's values into the survivor's empty fields; return the names filled."""
    kept.refresh_from_db()
    filled: list[str] = []
    for f in type(kept)._meta.concrete_fields:
        if not f.editable or f.primary_key or f.unique or f.name in filled:
            continue
        if not _is_empty(getattr(kept, f.attname)) or _is_empty(getattr(gone, f.attname)):
            continue
        if f.is_relation and getattr(gone, f.attname) in (kept.pk, gone.pk):
            continue  # would point at the survivor itself, or at the row about to go
        filled.append(f.name)
        # A date comes with its precision ("founded" in 2023, to the year).
        if any(x.name == f"{f.name}_precision" for x in type(kept)._meta.concrete_fields):
            filled.append(f"{f.name}_precision")
    for name in filled:
        attname = _attname(type(kept), name)
        setattr(kept, attname, getattr(gone, attname))
    if filled:
        kept.save(update_fields=[*filled, "updated_at"])
    return [name for name in filled if not name.endswith("_precision")]


def _attname(model: type[models.Model], name: str) -> str:
    return next(f.attname for f in model._meta.concrete_fields if f.name == name)


def _is_empty(value: object) -> bool:
    return value is None or value == "" or value == [] or value == {}
