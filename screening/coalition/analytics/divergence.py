"""Where the lists diverge: parties in a scope listed by some members and not by others.

The shape of the US statutory report on EU and UK designations not matched by OFAC, in both
directions: parties listed by *any* member of ``listed_by`` and by *none* of ``not_by``, then
the reverse (listed by any of ``not_by``, by none of ``listed_by``). By default ``not_by`` is
the US and ``listed_by`` every other member listing parties in the scope.

A party missing from a list may be a real divergence or a link the clustering missed, so each
party carries its identifiers, its weakest link (the lowest score and its method: how sure
the cluster is) and the *uncertain* links touching it: name pairs below the merge bar, which
may point at the same party on the other side.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from pydantic import BaseModel, Field

from screening.coalition.analytics.model import (
    Cluster,
    CoalitionData,
    DateBasis,
    Link,
    LinkMethod,
)
from screening.coalition.analytics.overlap import (
    ScopeFilter,
    caveats,
    cluster_name,
    cluster_schema,
    member_order,
    parse_members,
    scope_name,
    scoped_clusters,
)

DEFAULT_NOT_BY = "US"


class DivergentListing(BaseModel):
    source: str
    member: str
    dataset: str
    entry_id: str
    name: str
    programs: list[str]
    listed_on: dt.date | None
    date_basis: DateBasis
    identifiers: list[str]


class Confidence(BaseModel):
    """How sure the cluster is: its weakest link (None for a single listing)."""

    links: int
    lowest_score: float | None
    lowest_method: LinkMethod | None
    lowest_evidence: str | None


class DivergentParty(BaseModel):
    cluster_id: str
    name: str
    schema_: str = Field(alias="schema")
    members: list[str]
    listings: list[DivergentListing]
    confidence: Confidence
    uncertain: list[Link] = Field(
        default_factory=list, description="name links below the merge bar touching the party"
    )

    model_config = {"populate_by_name": True, "serialize_by_alias": True}


class Direction(BaseModel):
    listed_by: list[str]
    not_by: list[str]
    count: int
    by_schema: dict[str, int]
    parties: list[DivergentParty]


class Divergence(BaseModel):
    scope: str
    members: list[str]
    directions: list[Direction]
    notes: list[str] = Field(default_factory=list)


def confidence(cluster: Cluster) -> Confidence:
    if not cluster.links:
        return Confidence(links=0, lowest_score=None, lowest_method=None, lowest_evidence=None)
    weakest = min(cluster.links, key=lambda link: (link.score, link.method.value, link.a))
    return Confidence(
        links=len(cluster.links),
        lowest_score=weakest.score,
        lowest_method=weakest.method,
        lowest_evidence=weakest.evidence,
    )


def _uncertain_by_key(uncertain: list[Link]) -> dict[str, list[Link]]:
    by_key: dict[str, list[Link]] = {}
    for link in uncertain:
        by_key.setdefault(link.a, []).append(link)
        if link.b != link.a:
            by_key.setdefault(link.b, []).append(link)
    return by_key


def _touching(cluster: Cluster, uncertain: dict[str, list[Link]]) -> list[Link]:
    found: dict[tuple[str, str], Link] = {}
    for listing in cluster.listings:
        for link in uncertain.get(listing.key, []):
            found[(link.a, link.b)] = link
    return [found[key] for key in sorted(found)]


def _party(cluster: Cluster, order: list[str], uncertain: dict[str, list[Link]]) -> DivergentParty:
    return DivergentParty(
        cluster_id=cluster.id,
        name=cluster_name(cluster),
        schema=cluster_schema(cluster).value,
        members=[member for member in order if member in cluster.members],
        listings=[
            DivergentListing(
                source=listing.source.value,
                member=listing.member,
                dataset=listing.dataset,
                entry_id=listing.entry_id,
                name=listing.name,
                programs=listing.programs,
                listed_on=listing.listed_on,
                date_basis=listing.date_basis,
                identifiers=listing.identifiers,
            )
            for listing in cluster.listings
        ],
        confidence=confidence(cluster),
        uncertain=_touching(cluster, uncertain),
    )


def _direction(
    clusters: list[Cluster],
    listed_by: list[str],
    not_by: list[str],
    order: list[str],
    uncertain: dict[str, list[Link]],
) -> Direction:
    wanted, unwanted = set(listed_by), set(not_by)
    matching = [c for c in clusters if c.members & wanted and not c.members & unwanted]
    matching.sort(key=lambda cluster: cluster.id)
    parties = [_party(cluster, order, uncertain) for cluster in matching]
    by_schema: dict[str, int] = {}
    for party in parties:
        by_schema[party.schema_] = by_schema.get(party.schema_, 0) + 1
    return Direction(
        listed_by=listed_by,
        not_by=not_by,
        count=len(parties),
        by_schema=dict(sorted(by_schema.items())),
        parties=parties,
    )


def divergence(
    data: CoalitionData,
    scope: ScopeFilter | None = None,
    *,
    listed_by: str | Iterable[str] | None = None,
    not_by: str | Iterable[str] | None = None,
) -> Divergence:
    """Parties listed by any of `listed_by` and none of `not_by`, and the reverse direction.

    Members are codes ("uk,eu" or ["UK", "EU"]); a member both listed_by and not_by is a
    usage error (ValueError), since no party could then be counted.
    """
    clusters = scoped_clusters(data, scope)
    order = member_order(data, clusters)
    excluded = parse_members(not_by) if not_by is not None else [DEFAULT_NOT_BY]
    included = (
        parse_members(listed_by)
        if listed_by is not None
        else [member for member in order if member not in excluded]
    )
    overlap = set(included) & set(excluded)
    if overlap:
        raise ValueError(f"a member cannot be in both listed_by and not_by: {sorted(overlap)}")
    uncertain = _uncertain_by_key(data.uncertain)
    directions = [
        _direction(clusters, included, excluded, order, uncertain),
        _direction(clusters, excluded, included, order, uncertain),
    ]
    return Divergence(
        scope=scope_name(scope), members=order, directions=directions, notes=caveats(data)
    )
