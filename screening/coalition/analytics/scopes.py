"""Scopes: the sanctions programs of each member that make up one policy area (russia ...).

`screening/data/scopes.csv` lists, per scope and member, each program value as the loaded files
write it (OFAC's RUSSIA-EO14024, the UK's "Russia", Canada's "Russia / Russie", MOF's sheet
names ...), how to match it (``exact``, or ``prefix`` where one authority writes one regime
several ways: MOF mixes full- and half-width brackets), the datasets and entry counts it was
measured on, and the legal source. A listing is in a scope when any of its programs matches a
row of its own member.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from screening.coalition.analytics.model import Listing

DATA_PACKAGE = "screening.data"
SCOPES_FILE = "scopes.csv"
DEFAULT_SCOPE = "russia"

MatchKind = Literal["exact", "prefix"]


class UnknownScopeError(ValueError):
    """A scope name that is not in the table."""


@dataclass(frozen=True)
class ScopeProgram:
    """One row of the table: a program value of one member."""

    scope: str
    member: str
    match: MatchKind
    program: str
    datasets: tuple[str, ...]
    entries_measured: str
    source: str
    notes: str

    def matches(self, program: str) -> bool:
        if self.match == "prefix":
            return program.startswith(self.program)
        return program == self.program


@dataclass(frozen=True)
class Scope:
    """The programs of every member that make up one scope."""

    name: str
    programs: tuple[ScopeProgram, ...]

    @property
    def members(self) -> list[str]:
        """The members with at least one program in the scope, in table order."""
        return list(dict.fromkeys(row.member for row in self.programs))

    def matches(self, member: str, program: str) -> bool:
        return any(row.member == member and row.matches(program) for row in self.programs)

    def contains(self, listing: Listing) -> bool:
        """Whether any of the listing's programs is one of its member's programs here."""
        return any(self.matches(listing.member, program) for program in listing.programs)


@cache
def _rows() -> tuple[ScopeProgram, ...]:
    text = resources.files(DATA_PACKAGE).joinpath(SCOPES_FILE).read_text(encoding="utf-8")
    rows = []
    for row in csv.DictReader(text.splitlines()):
        if row["match"] not in ("exact", "prefix"):
            raise ValueError(f"{SCOPES_FILE}: unknown match {row['match']!r} in {row}")
        rows.append(
            ScopeProgram(
                scope=row["scope"],
                member=row["member"],
                match=row["match"],  # type: ignore[arg-type]  # checked above
                program=row["program"],
                datasets=tuple(row["datasets"].split()),
                entries_measured=row["entries_measured"],
                source=row["source"],
                notes=row["notes"],
            )
        )
    return tuple(rows)


def scope_names() -> list[str]:
    """Every scope of the table, in table order."""
    return list(dict.fromkeys(row.scope for row in _rows()))


@cache
def scope(name: str = DEFAULT_SCOPE) -> Scope:
    """The scope called `name` (case-insensitive); `UnknownScopeError` otherwise."""
    wanted = name.strip().lower()
    programs = tuple(row for row in _rows() if row.scope == wanted)
    if not programs:
        raise UnknownScopeError(f"unknown scope {name!r}: use one of {', '.join(scope_names())}")
    return Scope(name=wanted, programs=programs)
