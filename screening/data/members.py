"""The coalition member publishing each dataset: the loader of ``coalition_members.csv``.

One table, read in one place, by every layer that names members: the matcher (a hit's
coalition timeline, `screening.matching.results`) and the coalition analytics
(`screening.coalition.analytics.members`, which documents the table's columns and roles).
It lives beside its table because the matcher sits below the coalition layer.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from lists.datasets import BY_ID

DATA_PACKAGE = "screening.data"
MEMBERS_FILE = "coalition_members.csv"

Role = Literal["core", "multilateral", "copy"]
_ROLES: frozenset[str] = frozenset({"core", "multilateral", "copy"})


@dataclass(frozen=True)
class DatasetMember:
    """One row of the table: a dataset and the member publishing it."""

    dataset: str
    member: str
    member_name: str
    role: Role
    counted: bool
    entry_namespace: str
    source: str
    notes: str


class MembersTableError(ValueError):
    """The packaged table is inconsistent with `lists.datasets` (a broken install)."""


@cache
def dataset_members() -> dict[str, DatasetMember]:
    """dataset id -> its row, for every dataset of `lists.datasets`."""
    text = resources.files(DATA_PACKAGE).joinpath(MEMBERS_FILE).read_text(encoding="utf-8")
    rows: dict[str, DatasetMember] = {}
    reader = csv.DictReader(text.splitlines())
    for row in reader:
        if row["dataset"] in rows:
            raise MembersTableError(f"{MEMBERS_FILE} line {reader.line_num}: repeated dataset")
        role = row["role"]
        if role not in _ROLES or row["counted"] not in ("yes", "no"):
            raise MembersTableError(f"{MEMBERS_FILE}: bad role or counted in {row}")
        rows[row["dataset"]] = DatasetMember(
            dataset=row["dataset"],
            member=row["member"],
            member_name=row["member_name"],
            role=role,  # type: ignore[arg-type]  # checked against _ROLES above
            counted=row["counted"] == "yes",
            entry_namespace=row["entry_namespace"],
            source=row["source"],
            notes=row["notes"],
        )
    if set(rows) != set(BY_ID):
        missing = sorted(set(BY_ID) - set(rows))
        unknown = sorted(set(rows) - set(BY_ID))
        raise MembersTableError(f"{MEMBERS_FILE}: missing {missing}, unknown {unknown}")
    return rows
