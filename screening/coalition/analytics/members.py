"""Which coalition member publishes each dataset (`screening/data/coalition_members.csv`).

The table maps every dataset of `lists.datasets` to a member code (US, UK, EU, UN, CA, AU, JP),
the member's name and its role: ``core`` (a member of the sanctions coalition), ``multilateral``
(the UN Security Council: shown beside the members, not one of them) or ``copy`` (a republished
copy of another dataset). Copies are not *counted*: trade.gov's Consolidated Screening List
republishes OFAC's SDN and non-SDN lists under OFAC's own uids, so counting them would list
every OFAC party twice for the US and date it by another file; the BIS and State Department
sub-lists of the CSL are published nowhere else and count as US listings.

`entry_namespace` names datasets whose entry ids are one numbering: OFAC's SDN and non-SDN
lists share OFAC's uid, so the same id on both is one party (`clusters.py` links them).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from lists.datasets import BY_ID
from screening.data.members import (
    MEMBERS_FILE,
    DatasetMember,
    MembersTableError,
    Role,
    dataset_members,
)

__all__ = [
    "MEMBERS_FILE",
    "DatasetMember",
    "Member",
    "MembersTableError",
    "coalition_members",
    "counted_datasets",
    "dataset_members",
    "member_of",
    "members",
]


@dataclass(frozen=True)
class Member:
    """A coalition member (or the UN), with the datasets it publishes."""

    code: str
    name: str
    role: Role
    datasets: tuple[str, ...]


@cache
def members() -> dict[str, Member]:
    """member code -> member, in table order; a member's role is that of its counted rows."""
    grouped: dict[str, list[DatasetMember]] = {}
    for row in dataset_members().values():
        grouped.setdefault(row.member, []).append(row)
    result = {}
    for code, rows in grouped.items():
        counted = [row for row in rows if row.counted] or rows
        result[code] = Member(
            code=code,
            name=counted[0].member_name,
            role=counted[0].role,
            datasets=tuple(row.dataset for row in rows),
        )
    return result


def member_of(dataset: str) -> str:
    """The member code publishing `dataset` (KeyError for an unknown dataset)."""
    return dataset_members()[dataset].member


def counted_datasets() -> list[str]:
    """The datasets whose entries count as listings, in `lists.datasets` order."""
    rows = dataset_members()
    return [dataset for dataset in BY_ID if rows[dataset].counted]


def coalition_members() -> list[str]:
    """The member codes of the coalition proper (role core), in table order."""
    return [code for code, member in members().items() if member.role == "core"]
