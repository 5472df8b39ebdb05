"""The data model of coalition analytics: listings, the links between them, and clusters.

A *listing* is one entry of one dataset (an OFAC SDN entry, a UK Group ID, a Canadian SEMA
row ...), with the day its authority listed it and where that day comes from. A *cluster* is
the set of listings that are one party across the coalition's lists, with the links that join
them; every link records its method and score, so a figure built on clusters can be traced to
the evidence. The analyses (overlap, lag, divergence, hubs, trends, the HTML report) read only
this model; `clusters.py` builds it from the store.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, Field, PrivateAttr

from lists.model import Schema, Source


class DateBasis(StrEnum):
    """Where a listing date comes from."""

    # The authority's own field (OFAC's designation date in remarks, UK "Date Designated",
    # UN LISTED_ON, Canada's date of listing ...).
    OFFICIAL = "official"
    # The first stored version of the dataset that holds the entry: an upper bound, only as
    # precise as the versions loaded.
    FIRST_SEEN = "first_seen"
    UNKNOWN = "unknown"


class LinkMethod(StrEnum):
    """How two listings were found to be one party."""

    IDENTIFIER = "identifier"  # a shared identifier of a linking type (UN ref, IMO, INN ...)
    NAME = "name"  # the screener's name match with compatible secondary attributes


class Listing(BaseModel):
    """One entry of one dataset, as the analyses need it."""

    source: Source
    member: str = Field(description="The coalition member publishing it: US, UK, EU, UN, CA ...")
    dataset: str
    entry_id: str
    name: str
    schema_: Schema = Field(alias="schema")
    programs: list[str] = Field(default_factory=list)
    listed_on: dt.date | None = None
    date_basis: DateBasis = DateBasis.UNKNOWN
    # The first stored version without the entry, when a later version dropped it.
    delisted_on: dt.date | None = None
    # The stored versions around the entry's first appearance (`screening.store.history`):
    # the first version holding it, and the newest version before that one without it. When
    # `absent_on` is None the entry is in the dataset's oldest stored version: it was listed on
    # or before `first_seen`, how long before is unknown, so such an entry without an official
    # date has `listed_on` None and `date_basis` UNKNOWN (never "listed on the first file's day").
    first_seen: dt.date | None = None
    absent_on: dt.date | None = None
    aliases: list[str] = Field(
        default_factory=list, description="The other names (not weak aliases), as listed."
    )
    birth_years: list[int] = Field(
        default_factory=list, description="Every year a listed birth date may fall in."
    )
    countries: list[str] = Field(
        default_factory=list, description="Every ISO-2 country link: nationality, address, flag."
    )
    identifiers: list[str] = Field(default_factory=list, description="'type:value' strings.")
    renumbered_from: list[str] = Field(
        default_factory=list,
        description="Keys of earlier entries of the same dataset this one replaced "
        "(`renumbering`): not delistings; this listing inherits their first appearance.",
    )

    model_config = {"populate_by_name": True, "serialize_by_alias": True}

    @property
    def key(self) -> str:
        """Unique across datasets: 'dataset:entry_id'."""
        return f"{self.dataset}:{self.entry_id}"


class Link(BaseModel):
    """Evidence that two listings (by `Listing.key`) are one party."""

    a: str
    b: str
    method: LinkMethod
    evidence: str = Field(description="What was shared: 'imo 9187629', 'name 0.97 + birth 1961'.")
    score: float = Field(ge=0, le=1)


class Cluster(BaseModel):
    """Listings that are one party, and the links that join them."""

    id: str = Field(description="Deterministic: the smallest listing key of the cluster.")
    listings: list[Listing]
    links: list[Link] = Field(default_factory=list)

    @property
    def members(self) -> frozenset[str]:
        return frozenset(listing.member for listing in self.listings)


class CoalitionData(BaseModel):
    """Every cluster of the loaded lists, and the pairs too uncertain to merge."""

    clusters: list[Cluster]
    uncertain: list[Link] = Field(
        default_factory=list, description="Name links below the merge bar: reported, not merged."
    )
    datasets: list[str] = Field(default_factory=list, description="The datasets loaded.")
    members: list[str] = Field(default_factory=list, description="The members loaded.")
    renumbered: dict[str, str] = Field(
        default_factory=dict,
        description="Renumbered (dropped) listing key -> the key of the listing replacing it.",
    )

    def cluster_of(self, key: str) -> Cluster | None:
        """The cluster holding the listing `key` ('dataset:entry_id', or a renumbered key)."""
        if self._by_key is None:
            self._by_key = {
                listing.key: cluster for cluster in self.clusters for listing in cluster.listings
            }
        return self._by_key.get(self.renumbered.get(key, key))

    _by_key: dict[str, Cluster] | None = PrivateAttr(default=None)
