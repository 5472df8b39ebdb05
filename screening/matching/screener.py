"""The Python API for bank code: screen a party against the active list versions.

    >>> from screening import Screener
    >>> screener = Screener.open()                       # --db / $COALITION_DB / default
    >>> result = screener.screen("Gazprombank", type="organization", country="RU")
    >>> result.decision, [(h.source, h.entry_id, h.score) for h in result.hits]

A screener is safe to share between threads: the index is immutable once built, and a rebuild
after a list update (`refresh`) swaps it in under a lock. Scores are composed here, in one place,
from the feature functions in `screening.matching.features`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from lists.model import Entity, PartialDate, Schema, Source
from lists.values.countries import to_iso2
from lists.values.dates import parse_partial_date
from screening.matching.features import (
    DISTINCTIVE_LENGTH,
    IDEOGRAPHIC_DISTINCTIVE_LENGTH,
    birth_date_feature,
    country_feature,
    identifier_feature,
    name_score,
    schema_feature,
)
from screening.matching.index import (
    NameIndex,
    build_index,
    default_index_dir,
    normalize_identifier,
    version_key,
)
from screening.matching.normalize import Token, TokenKind, is_ideographic, tokenize
from screening.matching.results import (
    Decision,
    Explanation,
    FeatureScore,
    Hit,
    ListingRef,
    ListVersionRef,
    Query,
    QueryIdentifier,
    ScreeningResult,
    Thresholds,
)
from screening.store import ListStore, VersionInfo

# Candidate names scored in full per query; the retrieval ranks by the rarity of words met.
CANDIDATES = 20
CANDIDATES_PER_INITIAL = 15
MAX_HITS = 25
# The most the secondary features can add (birth date +0.05, country +0.03).
MAX_BONUS = 0.08

_SCHEMA_WORDS = {
    "person": Schema.PERSON,
    "individual": Schema.PERSON,
    "organization": Schema.ORGANIZATION,
    "organisation": Schema.ORGANIZATION,
    "entity": Schema.ORGANIZATION,
    "company": Schema.ORGANIZATION,
    "vessel": Schema.VESSEL,
    "ship": Schema.VESSEL,
    "aircraft": Schema.AIRCRAFT,
}


class QueryError(ValueError):
    """A query value cannot be understood (unknown type, unreadable birth date ...)."""


def parse_schema(value: str | Schema | None) -> Schema | None:
    """person/individual, organization/entity/company, vessel/ship, aircraft (any case)."""
    if value is None or isinstance(value, Schema):
        return value
    text = value.strip().lower()
    if not text:
        return None
    if text not in _SCHEMA_WORDS:
        raise QueryError(
            f"unknown type {value!r}: use person, organization, vessel or aircraft "
            "(individual, entity, company and ship are understood too)"
        )
    return _SCHEMA_WORDS[text]


class Screener:
    def __init__(
        self,
        store: ListStore,
        *,
        index_dir: Path | None = None,
        thresholds: Thresholds | None = None,
    ) -> None:
        self.store = store
        self.index_dir = index_dir or default_index_dir()
        self.thresholds = thresholds or Thresholds()
        self._lock = threading.Lock()
        # The versions and the index built from them, swapped together in one assignment so
        # that a screening running during a refresh sees one consistent pair.
        self._state: tuple[list[VersionInfo], NameIndex] | None = None
        self.refresh()

    @classmethod
    def open(
        cls,
        db_url: str | None = None,
        *,
        index_dir: Path | None = None,
        thresholds: Thresholds | None = None,
    ) -> Screener:
        return cls(ListStore(db_url), index_dir=index_dir, thresholds=thresholds)

    # -- index lifecycle -----------------------------------------------------------------------

    @property
    def versions(self) -> list[VersionInfo]:
        return list(self._state[0]) if self._state else []

    @property
    def index(self) -> NameIndex:
        assert self._state is not None
        return self._state[1]

    def refresh(self) -> bool:
        """Use the store's current active versions; returns True when the index changed."""
        versions = self.store.active_versions()
        key = version_key((v.id for v in versions), self.store.url)
        if self._state is not None and self._state[1].version_key == key:
            return False
        with self._lock:
            if self._state is not None and self._state[1].version_key == key:
                return False
            path = self.index_dir / f"{key}.pickle"
            index = NameIndex.load(path)
            if index is None or index.version_key != key:
                index = build_index(self._stored_entities(versions), key)
                index.save(path)
            self._state = (versions, index)
        return True

    def _stored_entities(self, versions: Iterable[VersionInfo]) -> Iterator[tuple[int, Entity]]:
        for version in versions:
            for entity in self.store.entities(version.id):
                yield version.id, entity

    # -- screening -----------------------------------------------------------------------------

    def screen(
        self,
        name: str,
        *,
        type: str | Schema | None = None,
        country: str | None = None,
        birth_date: str | None = None,
        identifiers: Iterable[tuple[str, str]] = (),
        sources: Iterable[str | Source] | None = None,
        thresholds: Thresholds | None = None,
    ) -> ScreeningResult:
        """Screen one name; see `Query` for the meaning of each argument."""
        query = Query(
            name=name,
            type=parse_schema(type),
            country=country,
            birth_date=birth_date,
            identifiers=[QueryIdentifier(type=k, value=v) for k, v in identifiers],  # type: ignore[arg-type]
            sources=[Source(s) for s in sources] if sources is not None else None,
        )
        return self.screen_query(query, thresholds)

    def screen_query(self, query: Query, thresholds: Thresholds | None = None) -> ScreeningResult:
        thresholds = thresholds or self.thresholds
        assert self._state is not None
        versions, index = self._state
        schema = query.schema_
        tokens = tokenize(query.name, schema)
        country = _country(query.country)
        birth = _birth_date(query.birth_date)
        query_ids = [
            (i.type.value, normalize_identifier(i.value, i.type.value)) for i in query.identifiers
        ]
        allowed = set(query.sources) if query.sources else None

        best: dict[int, Hit] = {}
        memo: dict[tuple[int, int], tuple[float, str]] = {}
        candidate_entities: dict[int, list[int]] = {}
        # Initials reach no candidates themselves: look further down the surname's list.
        initials = sum(1 for t in tokens if t.kind == TokenKind.INITIAL)
        limit = min(CANDIDATES + CANDIDATES_PER_INITIAL * initials, 80)
        distinctive_length = (
            IDEOGRAPHIC_DISTINCTIVE_LENGTH if is_ideographic(query.name) else DISTINCTIVE_LENGTH
        )
        for name_id in index.candidates(tokens, limit):
            candidate_entities.setdefault(index.names[name_id].entity, []).append(name_id)
        for kind, value in query_ids:
            for entity_id in index.by_identifier(kind, value):
                candidate_entities.setdefault(entity_id, [])

        for entity_id, name_ids in candidate_entities.items():
            entity = index.entities[entity_id]
            if allowed is not None and entity.source not in allowed:
                continue
            hit = self._score_entity(
                index,
                entity_id,
                name_ids,
                tokens,
                schema,
                country,
                birth,
                query_ids,
                thresholds,
                memo,
                distinctive_length,
            )
            if hit is not None:
                best[entity_id] = hit

        hits = sorted(best.values(), key=lambda h: (-h.score, h.source.value, h.entry_id))
        hits = hits[:MAX_HITS]
        decision = hits[0].decision if hits else Decision.CLEAR
        return ScreeningResult(
            query=query,
            decision=decision,
            hits=hits,
            list_versions=[
                ListVersionRef(source=v.source, version_id=v.id, published_on=v.published_on)
                for v in versions
            ],
            thresholds=thresholds,
        )

    def _score_entity(
        self,
        index: NameIndex,
        entity_id: int,
        name_ids: list[int],
        tokens: tuple[Token, ...],
        schema: Schema | None,
        country: str | None,
        birth: PartialDate | None,
        query_ids: list[tuple[str, str]],
        thresholds: Thresholds,
        memo: dict[tuple[int, int], tuple[float, str]],
        distinctive_length: int,
    ) -> Hit | None:
        entity = index.entities[entity_id]
        best_name = None
        best = None
        for name_id in name_ids:
            name = index.names[name_id]
            scored = name_score(
                tokens,
                name.tokens,
                index.weights,
                index.unknown_weight,
                index.generic_below,
                memo,
                person=entity.schema is Schema.PERSON,
                # vessel names are often one word: a one-word vessel query is not vague
                one_word_penalty=schema is not Schema.VESSEL,
                distinctive_length=distinctive_length,
            )
            if best is None or scored.score > best.score:
                best, best_name = scored, name
        base = best.score if best is not None else 0.0
        if base + MAX_BONUS < thresholds.report and not query_ids:
            return None  # no secondary feature could lift it into the report
        features: list[FeatureScore] = []
        for feature in (
            schema_feature(schema, entity.schema),
            birth_date_feature(
                birth if entity.schema is Schema.PERSON else None, entity.birth_dates
            ),
            country_feature(country, entity.countries),
            identifier_feature(query_ids, entity.identifiers),
        ):
            if feature is not None:
                features.append(feature)
        if any(f.feature == "identifier" and f.delta >= 1.0 for f in features):
            score = 1.0
        else:
            score = base + sum(f.delta for f in features)
        score = round(max(0.0, min(1.0, score)), 4)
        if score < thresholds.report:
            return None
        if score >= thresholds.match:
            decision = Decision.MATCH
        elif score >= thresholds.review:
            decision = Decision.REVIEW
        else:
            decision = Decision.CLEAR
        matched = best_name.full if best_name is not None else entity.name
        return Hit(
            source=entity.source,
            entry_id=entity.entry_id,
            name=entity.name,
            matched_name=matched,
            schema=entity.schema,
            programs=list(entity.programs),
            score=score,
            decision=decision,
            explanation=Explanation(
                matched_name=matched,
                name_score=round(base, 4),
                tokens=best.explain() if best is not None else [],
                features=features,
            ),
            also_listed=[
                ListingRef(
                    source=index.entities[other].source,
                    entry_id=index.entities[other].entry_id,
                    name=index.entities[other].name,
                    linked_by=why,
                )
                for other, why in sorted(index.linked(entity_id).items())
            ],
            list_version=entity.version_id,
        )


def _country(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    code = to_iso2(value)
    if code is None:
        raise QueryError(f"unknown country {value!r}: give an ISO code or a country name")
    return code


def _birth_date(value: str | None) -> PartialDate | None:
    if value is None or not value.strip():
        return None
    parsed = parse_partial_date(value)
    if parsed is None:
        raise QueryError(f"unreadable birth date {value!r}: use YYYY-MM-DD, YYYY-MM or YYYY")
    return parsed
