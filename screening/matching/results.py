"""What a screening asks and answers: the typed models of the Python API, CLI, batch and HTTP.

Every score is explained: a hit lists which query token met which listed token (and how), and
what each secondary feature (birth date, country, identifier) added or took away, so an analyst
can see why the engine alerted and a compliance officer can audit the decision.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from lists.datasets import dataset_ids, list_names
from lists.model import IdentifierType, Schema, Source
from screening.data.members import dataset_members


class Decision(StrEnum):
    MATCH = "match"
    REVIEW = "review"
    CLEAR = "clear"


class Thresholds(BaseModel):
    """Score bands. Defaults are documented in the README and tuned on bench/accuracy.py."""

    model_config = ConfigDict(frozen=True)

    match: float = Field(default=0.90, ge=0, le=1, description="score >= match: decision match")
    review: float = Field(default=0.75, ge=0, le=1, description="score >= review: review")
    report: float = Field(
        default=0.60, ge=0, le=1, description="lowest score returned as a hit at all"
    )

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Thresholds:
        """Defaults overridden by COALITION_MATCH_THRESHOLD, _REVIEW_ and _REPORT_THRESHOLD."""
        environ = os.environ if environ is None else environ
        values = {}
        for field in ("match", "review", "report"):
            raw = environ.get(f"COALITION_{field.upper()}_THRESHOLD")
            if raw:
                try:
                    values[field] = float(raw)
                except ValueError:
                    raise ValueError(
                        f"COALITION_{field.upper()}_THRESHOLD={raw!r} is not a number"
                    ) from None
        return cls(**values)

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if not self.report <= self.review <= self.match:
            raise ValueError("thresholds must satisfy report <= review <= match")
        return self


class QueryIdentifier(BaseModel):
    type: IdentifierType
    value: str = Field(min_length=1)


class Query(BaseModel):
    """One party to screen."""

    name: str = Field(min_length=1, max_length=500)
    schema_: Schema | None = Field(default=None, alias="type")
    country: str | None = Field(default=None, description="ISO alpha-2 or any country name")
    birth_date: str | None = Field(
        default=None, description="YYYY-MM-DD, YYYY-MM or YYYY (also DD/MM/YYYY)"
    )
    identifiers: list[QueryIdentifier] = Field(default_factory=list)
    sources: list[Source] | None = Field(
        default=None, description="Sources to screen against (default: all loaded)"
    )
    lists: list[str] | None = Field(
        default=None,
        description=(
            "Lists to screen against, each a source (ofac) or a dataset (ofac_consolidated); "
            "combined with `sources`; default: every loaded list"
        ),
    )

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    @field_validator("lists")
    @classmethod
    def _known_lists(cls, values: list[str] | None) -> list[str] | None:
        return None if values is None else list_names(values)

    def dataset_filter(self) -> frozenset[str] | None:
        """The dataset ids this query may hit, or None for every loaded list."""
        chosen = [*(s.value for s in self.sources or ()), *(self.lists or ())]
        if self.sources is None and self.lists is None:
            return None
        return frozenset(d for name in chosen for d in dataset_ids(name))


class TokenMatch(BaseModel):
    """One query token aligned with one listed token."""

    query: str
    listed: str | None = Field(description="None when the query token met nothing")
    similarity: float = Field(ge=0, le=1)
    how: str = Field(description="exact, romanization, fuzzy, initial, joined, missing")
    weight: float = Field(description="Rarity weight of the token in the lists")


class FeatureScore(BaseModel):
    """What one secondary attribute did to the score."""

    feature: str = Field(description="birth_date, country, identifier, schema, ...")
    delta: float = Field(description="Added to (or, when negative, taken from) the name score")
    detail: str


class Explanation(BaseModel):
    matched_name: str
    name_score: float
    tokens: list[TokenMatch]
    features: list[FeatureScore]


class ListingRef(BaseModel):
    """The same party on another coalition list, found by identifiers or name + birth date."""

    source: Source
    dataset: str
    entry_id: str
    name: str
    linked_by: str
    listed_on: dt.date | None = Field(
        default=None, description="When that list's authority listed the entry, where it says"
    )
    # The index holds only the authority's own date; first-seen dates from stored versions are
    # the coalition analytics' (`coalition analyze party`).
    date_basis: Literal["official", "unknown"] = Field(
        default="unknown", description="official: the list's own date field; unknown: none given"
    )


class Hit(BaseModel):
    source: Source
    dataset: str = Field(description="The list (lists.datasets) the entry is on")
    entry_id: str
    name: str = Field(description="The listed primary name")
    matched_name: str = Field(description="The listed name (primary or alias) that matched")
    schema_: Schema = Field(alias="schema")
    programs: list[str]
    score: float = Field(ge=0, le=1)
    decision: Decision
    explanation: Explanation
    also_listed: list[ListingRef] = Field(default_factory=list)
    list_version: int
    listed_on: dt.date | None = Field(
        default=None, description="When the list's authority listed the entry, where it says"
    )
    not_listed_by: list[str] = Field(
        default_factory=list,
        description=(
            "Coalition members whose lists are loaded (the result's list versions) and that list "
            "neither this entry nor any entry linked to it (also_listed)"
        ),
    )

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    def listed_by(self) -> dict[str, dt.date | None]:
        """Each coalition member listing the party, with its earliest known listing date."""
        dates: dict[str, dt.date | None] = {}
        for dataset, listed_on in [
            (self.dataset, self.listed_on),
            *((ref.dataset, ref.listed_on) for ref in self.also_listed),
        ]:
            member = coalition_member(dataset)
            known = [d for d in (dates.get(member), listed_on) if d is not None]
            dates[member] = min(known) if known else None
        return dates


def coalition_member(dataset: str) -> str:
    """The coalition member publishing a dataset (``screening/data/coalition_members.csv``)."""
    return dataset_members()[dataset].member


def fill_not_listed_by(hits: Iterable[Hit], loaded: frozenset[str]) -> None:
    """Set each hit's `not_listed_by`: the loaded members that list neither it nor its links."""
    for hit in hits:
        hit.not_listed_by = unlisted_members(
            loaded, [hit.dataset, *(ref.dataset for ref in hit.also_listed)]
        )


def unlisted_members(loaded: frozenset[str], listing_datasets: Iterable[str]) -> list[str]:
    """The loaded coalition members (sorted) that publish none of these datasets."""
    return sorted(loaded.difference(map(coalition_member, listing_datasets)))


class ListVersionRef(BaseModel):
    """One list version a screening ran against (immutable: results share them)."""

    model_config = ConfigDict(frozen=True)

    source: Source
    dataset: str
    version_id: int
    published_on: dt.date


class ScreeningResult(BaseModel):
    query: Query
    decision: Decision
    hits: list[Hit]
    list_versions: list[ListVersionRef]
    thresholds: Thresholds
