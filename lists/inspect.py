"""Parse a list file without storing it and count what it holds (``coalition lists inspect``)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from pydantic import BaseModel, Field

from lists.detect import open_list
from lists.model import Entity, IdentifierType, Schema


class Inspection(BaseModel):
    file: str
    format: str
    source: str
    published: dt.datetime | dt.date | None
    entities: int
    by_schema: dict[str, int] = Field(description="person, organization, vessel, aircraft")
    names: int
    names_by_kind: dict[str, int]
    identifiers: int
    identifiers_by_type: dict[str, int]
    imo_numbers: int
    programs: list[str]
    warnings: list[str]


def inspect_list(path: Path | str) -> Inspection:
    """Read a whole file and count it; raises `ListReadError` (nothing partial) on bad input."""
    listed = open_list(path)
    by_schema: Counter[str] = Counter({schema.value: 0 for schema in Schema})
    names: Counter[str] = Counter()
    identifiers: Counter[str] = Counter()
    programs: set[str] = set()
    count = 0
    for entity in listed.entities():
        count += 1
        _count_entity(entity, by_schema, names, identifiers, programs)
    return Inspection(
        file=str(listed.path),
        format=listed.format.name,
        source=listed.source.value,
        published=listed.published,
        entities=count,
        by_schema=dict(by_schema),
        names=sum(names.values()),
        names_by_kind=dict(sorted(names.items())),
        identifiers=sum(identifiers.values()),
        identifiers_by_type=dict(sorted(identifiers.items())),
        imo_numbers=identifiers[IdentifierType.IMO.value],
        programs=sorted(programs),
        warnings=listed.report.warnings,
    )


def _count_entity(
    entity: Entity,
    by_schema: Counter[str],
    names: Counter[str],
    identifiers: Counter[str],
    programs: set[str],
) -> None:
    by_schema[entity.schema_.value] += 1
    names.update(name.kind.value for name in entity.names)
    identifiers.update(identifier.type.value for identifier in entity.identifiers)
    programs.update(entity.programs)
