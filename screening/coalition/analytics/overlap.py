"""Who lists whom: the scope's clusters partitioned by the set of members listing them.

Every cluster of the scope falls in exactly one cell of the partition (the exact set of
members with a listing of it in the scope), so the cell counts add up to the number of
clusters. Pairwise figures compare two members' sets of clusters: the Jaccard index
|A∩B| / |A∪B| and the coverage |A∩B| / |A| (how much of A's list B also lists).

The helpers every analysis shares live here too: restricting the data to a scope
(`scoped_clusters`), the member order, a cluster's schema and the caveats of the loaded data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import combinations
from typing import Protocol

from pydantic import BaseModel, Field

from lists.model import Schema, Source
from screening.coalition.analytics.model import Cluster, CoalitionData, DateBasis, Listing


class ScopeFilter(Protocol):
    """What an analysis needs of a scope (`screening.coalition.analytics.scopes.Scope`)."""

    @property
    def name(self) -> str: ...

    def contains(self, listing: Listing) -> bool: ...


def scope_name(scope: ScopeFilter | None) -> str:
    return "all" if scope is None else scope.name


def scoped_clusters(data: CoalitionData, scope: ScopeFilter | None) -> list[Cluster]:
    """The clusters with their in-scope listings only; clusters with none are left out.

    A member "lists a party in the scope" when one of its listings of the party is under one
    of the scope's programs: a Russia-scope cluster holding a UN listing under another regime
    does not count the UN as listing it for Russia. Links to dropped listings are dropped too.
    """
    if scope is None:
        return list(data.clusters)
    scoped = []
    for cluster in data.clusters:
        listings = [listing for listing in cluster.listings if scope.contains(listing)]
        if not listings:
            continue
        if len(listings) == len(cluster.listings):
            scoped.append(cluster)
            continue
        keys = {listing.key for listing in listings}
        links = [link for link in cluster.links if link.a in keys and link.b in keys]
        scoped.append(cluster.model_copy(update={"listings": listings, "links": links}))
    return scoped


def member_order(data: CoalitionData, clusters: Iterable[Cluster]) -> list[str]:
    """The members listing any of `clusters`, in the data's member order (then by name)."""
    present = {member for cluster in clusters for member in cluster.members}
    known = [member for member in data.members if member in present]
    return known + sorted(present - set(known))


_SCHEMA_RANK = {schema: rank for rank, schema in enumerate(Schema)}


def cluster_schema(cluster: Cluster) -> Schema:
    """The schema most of the cluster's listings give (ties: the schema declared first)."""
    counts = Counter(listing.schema_ for listing in cluster.listings)
    if len(counts) == 1:
        return next(iter(counts))
    return max(counts, key=lambda schema: (counts[schema], -_SCHEMA_RANK[schema]))


def cluster_name(cluster: Cluster) -> str:
    """The name of the cluster's first listing (its id's listing), for tables."""
    by_key = {listing.key: listing for listing in cluster.listings}
    listing = by_key.get(cluster.id, cluster.listings[0])
    return listing.name


def parse_members(text: str | Iterable[str]) -> list[str]:
    """Member codes from "us,uk" or an iterable of codes, upper-cased, blanks dropped."""
    parts = text.split(",") if isinstance(text, str) else list(text)
    return [part.strip().upper() for part in parts if part.strip()]


def caveats(data: CoalitionData) -> list[str]:
    """What a reader must know about the loaded data before trusting a figure."""
    notes = []
    listings = [listing for cluster in data.clusters for listing in cluster.listings]
    eu = sum(1 for listing in listings if listing.source is Source.EU)
    if eu:
        notes.append(
            f"EU: {eu} listings loaded. No complete EU file is available offline (the shared "
            "data holds excerpts only), so EU figures cover the loaded file, not the whole list."
        )
    undated_ofac = sum(
        1
        for listing in listings
        if listing.source is Source.OFAC and listing.date_basis is not DateBasis.OFFICIAL
    )
    if undated_ofac:
        notes.append(
            f"OFAC: {undated_ofac} listings without an official designation date (the SDN CSV "
            "carries none); their dates are first-seen dates or unknown."
        )
    if data.renumbered:
        per_dataset = Counter(key.split(":", 1)[0] for key in data.renumbered)
        counts = ", ".join(f"{dataset} {count}" for dataset, count in sorted(per_dataset.items()))
        notes.append(
            f"renumbered: {len(data.renumbered)} entries that a later version replaced by an entry "
            f"of the same party under a new key ({counts}) are not counted as delistings; the "
            "new entry keeps the first appearance (Listing.renumbered_from)."
        )
    if any(listing.date_basis is DateBasis.FIRST_SEEN for listing in listings):
        notes.append(
            "first_seen dates are the first stored version holding the entry: an upper bound, "
            "only as precise as the versions loaded."
        )
    return notes


class Cell(BaseModel):
    """One cell of the partition: the clusters listed by exactly these members."""

    members: list[str]
    count: int
    by_schema: dict[str, int] = Field(default_factory=dict)


class Pair(BaseModel):
    """Two members' sets of clusters compared."""

    a: str
    b: str
    a_count: int = Field(description="|A|: clusters member a lists in the scope")
    b_count: int
    both: int = Field(description="|A∩B|")
    jaccard: float = Field(description="|A∩B| / |A∪B|")
    coverage_a: float = Field(description="|A∩B| / |A|: share of a's clusters b also lists")
    coverage_b: float = Field(description="|A∩B| / |B|: share of b's clusters a also lists")


class Overlap(BaseModel):
    """The partition of a scope's clusters by member set, and the pairwise figures."""

    scope: str
    members: list[str]
    clusters: int
    partition: list[Cell]
    pairwise: list[Pair]
    notes: list[str] = Field(default_factory=list)


class CellClusters(BaseModel):
    """The clusters behind one cell (``analyze overlap --cell us,uk``)."""

    scope: str
    members: list[str]
    count: int
    clusters: list[Cluster]


def _ordered(members: Iterable[str], order: list[str]) -> list[str]:
    rank = {member: index for index, member in enumerate(order)}
    return sorted(members, key=lambda member: (rank.get(member, len(rank)), member))


def overlap(data: CoalitionData, scope: ScopeFilter | None = None) -> Overlap:
    """The partition (largest cell first) and every pair of members' Jaccard and coverage."""
    clusters = scoped_clusters(data, scope)
    order = member_order(data, clusters)
    cells: dict[frozenset[str], Counter[str]] = {}
    for cluster in clusters:
        cells.setdefault(cluster.members, Counter())[cluster_schema(cluster).value] += 1
    partition = [
        Cell(
            members=_ordered(members, order),
            count=sum(schemas.values()),
            by_schema=dict(sorted(schemas.items())),
        )
        for members, schemas in cells.items()
    ]
    partition.sort(key=lambda cell: (-cell.count, len(cell.members), cell.members))
    # Every cluster has at least one listing, hence one member set: the cells cover them all.
    assert sum(cell.count for cell in partition) == len(clusters), "partition lost clusters"
    listed_by: dict[str, set[str]] = {member: set() for member in order}
    for cluster in clusters:
        for member in cluster.members:
            listed_by[member].add(cluster.id)
    pairwise = [_pair(a, b, listed_by[a], listed_by[b]) for a, b in combinations(order, 2)]
    return Overlap(
        scope=scope_name(scope),
        members=order,
        clusters=len(clusters),
        partition=partition,
        pairwise=pairwise,
        notes=caveats(data),
    )


def _pair(a: str, b: str, a_ids: set[str], b_ids: set[str]) -> Pair:
    both = len(a_ids & b_ids)
    union = len(a_ids | b_ids)
    return Pair(
        a=a,
        b=b,
        a_count=len(a_ids),
        b_count=len(b_ids),
        both=both,
        jaccard=both / union if union else 0.0,
        coverage_a=both / len(a_ids) if a_ids else 0.0,
        coverage_b=both / len(b_ids) if b_ids else 0.0,
    )


def cell(
    data: CoalitionData, members: str | Iterable[str], scope: ScopeFilter | None = None
) -> CellClusters:
    """The scope's clusters listed by exactly `members` ("us,uk" or ["US", "UK"])."""
    wanted = frozenset(parse_members(members))
    clusters = [c for c in scoped_clusters(data, scope) if c.members == wanted]
    clusters.sort(key=lambda cluster: cluster.id)
    order = member_order(data, clusters) or sorted(wanted)
    return CellClusters(
        scope=scope_name(scope),
        members=_ordered(wanted, order),
        count=len(clusters),
        clusters=clusters,
    )
