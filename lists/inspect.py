"""Parse a list file without storing it and count what it holds (``coalition lists inspect``)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from lists.detect import open_list
from lists.model import Entity, IdentifierType, Schema


@dataclass
class EntityCounts:
    """Running counts over a stream of entities; shared by inspection and the store's load."""

    entities: int = 0
    by_schema: Counter[str] = field(default_factory=lambda: Counter({s.value: 0 for s in Schema}))
    names_by_kind: Counter[str] = field(default_factory=Counter)
    identifiers_by_type: Counter[str] = field(default_factory=Counter)
    programs: set[str] = field(default_factory=set)

    def add(self, entity: Entity) -> None:
        self.entities += 1
        self.by_schema[entity.schema_.value] += 1
        self.names_by_kind.update(name.kind.value for name in entity.names)
        self.identifiers_by_type.update(identifier.type.value for identifier in entity.identifiers)
        self.programs.update(entity.programs)

    def as_dict(self) -> dict[str, Any]:
        return {
            "entities": self.entities,
            "by_schema": dict(self.by_schema),
            "names": sum(self.names_by_kind.values()),
            "names_by_kind": dict(sorted(self.names_by_kind.items())),
            "identifiers": sum(self.identifiers_by_type.values()),
            "identifiers_by_type": dict(sorted(self.identifiers_by_type.items())),
            "imo_numbers": self.identifiers_by_type[IdentifierType.IMO.value],
            "programs": sorted(self.programs),
        }


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
    counts = EntityCounts()
    for entity in listed.entities():
        counts.add(entity)
    return Inspection(
        file=str(listed.path),
        format=listed.format.name,
        source=listed.source.value,
        published=listed.published,
        warnings=listed.report.warnings,
        **counts.as_dict(),
    )
