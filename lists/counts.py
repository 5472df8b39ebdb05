"""Running counts over a stream of entities: what `lists inspect` prints and a version stores."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

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
