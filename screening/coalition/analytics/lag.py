"""Who follows whom, and how fast: designation lags between every ordered pair of members.

For a leader L and a follower F, the clusters of the scope listed by both are compared on
each member's designation date (a member's earliest dated listing of the party). A cluster
*follows* when L listed no later than F; its lag is F's date minus L's, in days. A same-day
pair follows in both directions, so that "coordinated" designations count for both members.

Only real designation dates count: a listing whose date basis is `unknown` (no official
field, and no stored version that first holds it after an earlier one without it: the
entries of a dataset's oldest loaded version carry no designation date) is left out, and the
pairs it leaves without a date are counted in ``undated``. Each pair says whether its figures
rest on official dates, first-seen dates or a mix.

Percentiles are `statistics.quantiles` with the inclusive method (the lags are the whole
population of followed designations, not a sample), the median `statistics.median`.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass
from itertools import permutations

from pydantic import BaseModel, Field

from screening.coalition.analytics.model import Cluster, CoalitionData, DateBasis, Listing
from screening.coalition.analytics.overlap import (
    ScopeFilter,
    caveats,
    member_order,
    scope_name,
    scoped_clusters,
)

WINDOWS = (30, 90, 180)
COORDINATED_DAYS = 1


class LagPair(BaseModel):
    """How member `follower` followed member `leader`'s designations."""

    leader: str
    follower: str
    both: int = Field(description="clusters of the scope listed by both members")
    undated: int = Field(description="of those, clusters without a designation date for either")
    followed: int = Field(description="dated clusters the leader listed first or the same day")
    within_30: float | None = Field(description="share of `followed` with a lag ≤ 30 days")
    within_90: float | None
    within_180: float | None
    median_days: float | None
    p75_days: float | None
    p90_days: float | None
    coordinated: int = Field(description="followed within one day")
    date_basis: str = Field(description="official, first_seen or mixed: the dates used")
    dates_by_basis: dict[str, int] = Field(
        default_factory=dict, description="the dates behind the figure, by basis (2 per cluster)"
    )


class Lags(BaseModel):
    """Every ordered pair of members of the scope."""

    scope: str
    members: list[str]
    pairs: list[LagPair]
    excluded_for_dates: int = Field(
        description="(cluster, ordered pair) combinations left out for lack of a date"
    )
    notes: list[str] = Field(default_factory=list)


@dataclass(frozen=True)
class MemberDate:
    """A member's designation date of a party and where it comes from."""

    day: dt.date
    basis: DateBasis


def designation_date(listing: Listing) -> MemberDate | None:
    """The listing's date when it is a real designation date, else None."""
    if listing.listed_on is None or listing.date_basis is DateBasis.UNKNOWN:
        return None
    return MemberDate(listing.listed_on, listing.date_basis)


def member_dates(cluster: Cluster) -> dict[str, MemberDate | None]:
    """Each member's earliest designation date of the cluster (None: listed, but undated)."""
    dates: dict[str, MemberDate | None] = {member: None for member in cluster.members}
    for listing in cluster.listings:
        found = designation_date(listing)
        current = dates[listing.member]
        # The earliest date wins; on the same day an official date beats a first-seen one.
        if found is not None and (
            current is None
            or (found.day, found.basis is not DateBasis.OFFICIAL)
            < (current.day, current.basis is not DateBasis.OFFICIAL)
        ):
            dates[listing.member] = found
    return dates


def percentile(values: list[int], fraction: float) -> float:
    """The inclusive-method quantile at `fraction` (0.5, 0.75, 0.9) of at least one value."""
    if len(values) == 1:
        return float(values[0])
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return float(cuts[round(fraction * 100) - 1])


def figure_basis(counts: Counter[str]) -> str:
    used = [basis for basis, count in counts.items() if count]
    if not used:
        return "none"
    return used[0] if len(used) == 1 else "mixed"


def _pair(leader: str, follower: str, clusters: list[dict[str, MemberDate | None]]) -> LagPair:
    both = [dates for dates in clusters if leader in dates and follower in dates]
    lags: list[int] = []
    bases: Counter[str] = Counter()
    undated = 0
    for dates in both:
        lead, follow = dates[leader], dates[follower]
        if lead is None or follow is None:
            undated += 1
            continue
        if lead.day <= follow.day:
            lags.append((follow.day - lead.day).days)
            bases.update([lead.basis.value, follow.basis.value])
    followed = len(lags)

    def share(days: int) -> float | None:
        return sum(1 for lag in lags if lag <= days) / followed if followed else None

    return LagPair(
        leader=leader,
        follower=follower,
        both=len(both),
        undated=undated,
        followed=followed,
        within_30=share(WINDOWS[0]),
        within_90=share(WINDOWS[1]),
        within_180=share(WINDOWS[2]),
        median_days=float(statistics.median(lags)) if lags else None,
        p75_days=percentile(lags, 0.75) if lags else None,
        p90_days=percentile(lags, 0.9) if lags else None,
        coordinated=sum(1 for lag in lags if lag <= COORDINATED_DAYS),
        date_basis=figure_basis(bases),
        dates_by_basis=dict(sorted(bases.items())),
    )


def lag(data: CoalitionData, scope: ScopeFilter | None = None) -> Lags:
    """The lag figures of every ordered pair of members listing parties in the scope."""
    clusters = scoped_clusters(data, scope)
    order = member_order(data, clusters)
    dated = [member_dates(cluster) for cluster in clusters if len(cluster.members) > 1]
    pairs = [_pair(leader, follower, dated) for leader, follower in permutations(order, 2)]
    return Lags(
        scope=scope_name(scope),
        members=order,
        pairs=pairs,
        excluded_for_dates=sum(pair.undated for pair in pairs),
        notes=caveats(data),
    )
