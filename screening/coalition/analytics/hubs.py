"""Where secondary-sanctions pressure shows: listed parties located in the peripheral hubs.

The hubs are the jurisdictions that `screening/data/jurisdictions.csv` gives the role
``transshipment_hub`` or ``peripheral_pivot`` (its roles column; see
`screening.coalition.jurisdictions`), never a list written here. A party is *located* in a
hub when any listing of its cluster links it to a hub country (nationality, address, flag,
registration): the lists do not all give the same addresses, so the cluster's union is used.

Counts are per member (clusters that member lists in the scope) and per month of that
member's designation date (its earliest dated listing of the party, see
`screening.coalition.analytics.lag.member_dates`); parties without one are counted as
undated, never dropped.
"""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel, Field

from screening.coalition.analytics.lag import member_dates
from screening.coalition.analytics.model import Cluster, CoalitionData
from screening.coalition.analytics.overlap import (
    ScopeFilter,
    caveats,
    cluster_name,
    cluster_schema,
    member_order,
    scope_name,
    scoped_clusters,
)
from screening.coalition.jurisdictions import Jurisdiction, Role, jurisdictions

HUB_ROLES = (Role.TRANSSHIPMENT_HUB, Role.PERIPHERAL_PIVOT)


class Hub(BaseModel):
    code: str
    name: str
    roles: list[str]


class HubParty(BaseModel):
    cluster_id: str
    name: str
    schema_: str = Field(alias="schema")
    members: list[str]
    hub_countries: list[str]

    model_config = {"populate_by_name": True, "serialize_by_alias": True}


class MemberHubs(BaseModel):
    member: str
    count: int = Field(description="hub-located clusters the member lists in the scope")
    listed: int = Field(description="every cluster the member lists in the scope")
    by_country: dict[str, int]
    undated: int = Field(description="of `count`, clusters without a designation date")


class MonthHubs(BaseModel):
    month: str = Field(description="YYYY-MM of the member's designation date")
    by_member: dict[str, int]


class Hubs(BaseModel):
    scope: str
    hubs: list[Hub]
    clusters: int = Field(description="clusters of the scope located in a hub")
    by_country: dict[str, int]
    by_member: list[MemberHubs]
    by_month: list[MonthHubs]
    parties: list[HubParty]
    notes: list[str] = Field(default_factory=list)


def hub_jurisdictions() -> list[Jurisdiction]:
    """The hub countries of jurisdictions.csv, in file order (regions are never hubs)."""
    return [
        row
        for row in jurisdictions()
        if not row.is_region and any(role in row.roles for role in HUB_ROLES)
    ]


def hub_countries(cluster: Cluster, hubs: set[str]) -> list[str]:
    return sorted({code for listing in cluster.listings for code in listing.countries} & hubs)


def hubs(data: CoalitionData, scope: ScopeFilter | None = None) -> Hubs:
    """Hub-located parties of the scope, per member, per country and per month."""
    rows = hub_jurisdictions()
    codes = {row.code for row in rows}
    clusters = scoped_clusters(data, scope)
    order = member_order(data, clusters)
    listed = Counter(member for cluster in clusters for member in cluster.members)
    by_country: Counter[str] = Counter()
    per_member: dict[str, Counter[str]] = {member: Counter() for member in order}
    counts: Counter[str] = Counter()
    undated: Counter[str] = Counter()
    months: dict[str, Counter[str]] = {}
    parties = []
    for cluster in sorted(clusters, key=lambda cluster: cluster.id):
        located = hub_countries(cluster, codes)
        if not located:
            continue
        by_country.update(located)
        for member, date in member_dates(cluster).items():
            counts[member] += 1
            per_member[member].update(located)
            if date is None:
                undated[member] += 1
            else:
                months.setdefault(date.day.strftime("%Y-%m"), Counter())[member] += 1
        parties.append(
            HubParty(
                cluster_id=cluster.id,
                name=cluster_name(cluster),
                schema=cluster_schema(cluster).value,
                members=[member for member in order if member in cluster.members],
                hub_countries=located,
            )
        )
    return Hubs(
        scope=scope_name(scope),
        hubs=[
            Hub(code=row.code, name=row.name, roles=[r.value for r in row.roles]) for row in rows
        ],
        clusters=len(parties),
        by_country=dict(by_country.most_common()),
        by_member=[
            MemberHubs(
                member=member,
                count=counts[member],
                listed=listed[member],
                by_country=dict(per_member[member].most_common()),
                undated=undated[member],
            )
            for member in order
        ],
        by_month=[
            MonthHubs(
                month=month, by_member={m: months[month][m] for m in order if months[month][m]}
            )
            for month in sorted(months)
        ],
        parties=parties,
        notes=caveats(data),
    )
