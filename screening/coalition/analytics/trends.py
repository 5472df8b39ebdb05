"""Designations and delistings per member and month.

Counted per *listing* in the scope (a member's designation of an entry of one of its
datasets), not per cluster: a trend is what each authority published. Designations are
dated by the listing's designation date, with its basis (`official` field, or `first_seen`:
the first stored version holding the entry); listings whose date is unknown are counted as
undated, not dropped. Delistings come from the stored versions only: the first version
without an entry a former version held (`Listing.delisted_on`), so they are only as precise
as the versions loaded and none are seen before the second version of a dataset. An entry a
dataset renumbered (`renumbering`) is no delisting: each member's total counts them apart.
"""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel, Field

from screening.coalition.analytics.lag import designation_date
from screening.coalition.analytics.model import CoalitionData, DateBasis
from screening.coalition.analytics.overlap import (
    ScopeFilter,
    caveats,
    member_order,
    scope_name,
    scoped_clusters,
)


class MonthTrend(BaseModel):
    month: str = Field(description="YYYY-MM")
    member: str
    designations: int
    official: int = Field(description="of `designations`, dated by the authority's own field")
    first_seen: int = Field(description="of `designations`, dated by the stored versions")
    delistings: int


class MemberTotals(BaseModel):
    member: str
    listings: int
    designations: int = Field(description="dated designations")
    undated: int
    delistings: int
    renumbered: int = Field(
        description="entries replaced by one of these listings under a new key: not delistings"
    )


class Trends(BaseModel):
    scope: str
    members: list[str]
    months: list[MonthTrend]
    totals: list[MemberTotals]
    notes: list[str] = Field(default_factory=list)


def trends(data: CoalitionData, scope: ScopeFilter | None = None) -> Trends:
    """Per month (oldest first) and member, the designations by basis and the delistings."""
    clusters = scoped_clusters(data, scope)
    order = member_order(data, clusters)
    designations: Counter[tuple[str, str, DateBasis]] = Counter()
    delistings: Counter[tuple[str, str]] = Counter()
    listings: Counter[str] = Counter()
    undated: Counter[str] = Counter()
    renumbered: Counter[str] = Counter()
    for listing in (listing for cluster in clusters for listing in cluster.listings):
        listings[listing.member] += 1
        renumbered[listing.member] += len(listing.renumbered_from)
        date = designation_date(listing)
        if date is None:
            undated[listing.member] += 1
        else:
            designations[(date.day.strftime("%Y-%m"), listing.member, date.basis)] += 1
        if listing.delisted_on is not None:
            delistings[(listing.delisted_on.strftime("%Y-%m"), listing.member)] += 1
    keys = {(month, member) for month, member, _ in designations} | set(delistings)
    rank = {member: index for index, member in enumerate(order)}
    months = []
    for month, member in sorted(keys, key=lambda key: (key[0], rank[key[1]])):
        official = designations[(month, member, DateBasis.OFFICIAL)]
        first_seen = designations[(month, member, DateBasis.FIRST_SEEN)]
        months.append(
            MonthTrend(
                month=month,
                member=member,
                designations=official + first_seen,
                official=official,
                first_seen=first_seen,
                delistings=delistings[(month, member)],
            )
        )
    totals = [
        MemberTotals(
            member=member,
            listings=listings[member],
            designations=listings[member] - undated[member],
            undated=undated[member],
            delistings=sum(count for (_, m), count in delistings.items() if m == member),
            renumbered=renumbered[member],
        )
        for member in order
    ]
    return Trends(
        scope=scope_name(scope), members=order, months=months, totals=totals, notes=caveats(data)
    )
