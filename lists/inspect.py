"""Parse a list file without storing it and count what it holds (``coalition lists inspect``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import BaseModel, Field

from lists.counts import EntityCounts
from lists.detect import open_list


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
