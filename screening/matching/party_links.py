"""Cross-list links: entries of different lists that are one party (`Hit.also_listed`).

Run once per index build (`screening.matching.index.build_index`), on the indexed entities and
names; the links are persisted with the index.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from lists.model import IdentifierType, NameKind, Schema
from screening.matching.normalize import TokenKind

if TYPE_CHECKING:
    from screening.matching.index import NameIndex

# Identifier types that identify one party: shared values link list entries across sources.
LINKING_IDENTIFIERS = frozenset(
    {
        IdentifierType.IMO,
        IdentifierType.PASSPORT,
        IdentifierType.NATIONAL_ID,
        IdentifierType.TAX_ID,
        IdentifierType.BIC,
        IdentifierType.UN_REFERENCE,
        IdentifierType.CRYPTO_ADDRESS,
        IdentifierType.MMSI,
    }
)


def link_parties(index: NameIndex) -> None:
    """Link entries of different lists that are one party.

    Evidence: a shared identifier of a LINKING type (UN reference, IMO, passport, BIC ...), or
    the same full name (not a weak alias) with, for people, a shared birth year, and for
    organizations and vessels a name of at least two words.
    """
    links: dict[int, dict[int, str]] = defaultdict(dict)

    def link(a: int, b: int, why: str) -> None:
        if a != b and index.entities[a].source != index.entities[b].source:
            links[a].setdefault(b, why)
            links[b].setdefault(a, why)

    # Sorted: the first reason recorded for a pair is the one shown, and it must not depend on
    # the order a set or a hash seed happens to give (answers must be the same in every process).
    for (kind, value), holders in sorted(index.identifiers.items()):
        if kind in LINKING_IDENTIFIERS and 1 < len(holders) <= 20:
            for a in sorted(holders):
                for b in sorted(holders):
                    link(a, b, f"same {kind} {value}")
    by_name: dict[str, set[int]] = defaultdict(set)
    for name in index.names:
        if name.kind == NameKind.WEAK_ALIAS:
            continue
        words = [t.text for t in name.tokens if t.kind != TokenKind.LEGAL_FORM]
        if len(words) >= 2:
            by_name[" ".join(sorted(words))].add(name.entity)
    for name_key, namesakes in by_name.items():
        if not 1 < len(namesakes) <= 20:
            continue
        for a in sorted(namesakes):
            for b in sorted(namesakes):
                if a >= b:
                    continue
                ea, eb = index.entities[a], index.entities[b]
                if ea.source == eb.source or (ea.schema is Schema.PERSON) != (
                    eb.schema is Schema.PERSON
                ):
                    continue
                if ea.schema is Schema.PERSON:
                    years_a = {
                        y for d in ea.birth_dates for y in range(d.first_year, d.last_year + 1)
                    }
                    years_b = {
                        y for d in eb.birth_dates for y in range(d.first_year, d.last_year + 1)
                    }
                    if not years_a & years_b:
                        continue
                    link(a, b, f"same name {name_key!r} and birth year")
                else:
                    link(a, b, f"same name {name_key!r}")
    # Links are transitive (UN ref links UK to UN, a name and birth year link UN to OFAC):
    # every member of a connected group points to every other, with the direct reason or a
    # note that the link goes through other entries.
    component: dict[int, int] = {}
    for start in sorted(links):
        if start in component:
            continue
        stack: list[int] = [start]
        members: list[int] = []
        component[start] = start
        while stack:
            node = stack.pop()
            members.append(node)
            for neighbour in sorted(links[node]):
                if neighbour not in component:
                    component[neighbour] = start
                    stack.append(neighbour)
        for a in members:
            for b in members:
                if a != b and index.entities[a].source != index.entities[b].source:
                    links[a].setdefault(b, "linked through other listed entries")
    index.links = dict(links)
