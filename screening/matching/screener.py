"""The Python API for bank code: screen a party against the active list versions.

    >>> from screening import Screener
    >>> screener = Screener.open()                       # --db / $COALITION_DB / default
    >>> result = screener.screen("Gazprombank", type="organization", country="RU")
    >>> result.decision, [(h.source, h.entry_id, h.score) for h in result.hits]

A screener is safe to share between threads: the index is immutable once built, and a rebuild
after a list update (`refresh`) swaps it in under a lock. A candidate's score comes only from
the declared features, combined in `screening.matching.algorithm` (`name_score`, `adjustments`,
`final_score`); this module retrieves candidates, keeps each party's best name and builds hits.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lists.model import PartialDate, Schema, Source
from lists.values.countries import to_iso2
from lists.values.dates import parse_partial_date
from screening.matching import textscan
from screening.matching.algorithm import MAX_BONUS, adjustments, final_score, name_score
from screening.matching.features.model import QueryFacts
from screening.matching.features.names import (
    JoinedWords,
    NameScore,
    SimilarityMemo,
    alignment_ceiling,
    distinctive_length,
    joined_words,
    joined_words_score,
    remember_similarities,
)
from screening.matching.index import (
    IndexedName,
    NameIndex,
    build_index,
    default_index_dir,
    identities,
    index_path,
    normalize_identifier,
)
from screening.matching.lookup import allowed_datasets, identifier_hits, listing_refs
from screening.matching.normalize import KIND_INITIAL, Token, tokenize
from screening.matching.results import (
    Decision,
    Explanation,
    Hit,
    ListVersionRef,
    Query,
    QueryIdentifier,
    ScreeningResult,
    Thresholds,
    coalition_member,
    fill_not_listed_by,
    unlisted_members,
)
from screening.store import ListStore, VersionInfo
from screening.store.store import IndexDocument

# Candidate names scored in full per query; the retrieval ranks by the rarity of words met (a
# word met through a spelling neighbour counting less: `index.NEIGHBOUR_WEIGHT`). Fewer were
# tried: 12 or 16 lose the best alias of parties with many names on common words (Ahmad AHMAD
# Ahmad Ali: match 1.0 -> review 0.83) and other parties' review hits.
CANDIDATES = 20
CANDIDATES_PER_INITIAL = 15
MAX_HITS = 25
# Listed names whose joined form is remembered (`ActiveLists.joined`, about 0.2 kB each).
JOINED_CACHE = 65536
# Rounding slack when comparing a score's upper bound with a threshold (the bound sums in
# another order than the score).
CEILING_MARGIN = 1e-9

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


@dataclass(frozen=True)
class ActiveLists:
    """The active list versions and what is made of them once, swapped together in one
    assignment: a screening running during a refresh sees one consistent set."""

    versions: list[VersionInfo]
    index: NameIndex
    # The result's `list_versions`: immutable models, shared by every result.
    version_refs: tuple[ListVersionRef, ...]
    # The coalition members whose lists are loaded (a hit's `not_listed_by` is drawn from them).
    members: frozenset[str]
    # id(a listed name's token tuple) -> its `joined_words`, made the first time a query's
    # score bound needs them (the index's tuples live as long as it: an id names one tuple), up
    # to JOINED_CACHE names. Keyed by id: hashing the tuple of tokens costs about as much as
    # joining them.
    joined: dict[int, JoinedWords] = field(default_factory=dict)


def list_version_refs(versions: Iterable[VersionInfo]) -> list[ListVersionRef]:
    """The list versions as a result names them (`ScreeningResult.list_versions`)."""
    return [
        ListVersionRef(
            source=v.source, dataset=v.dataset, version_id=v.id, published_on=v.published_on
        )
        for v in versions
    ]


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
        self._state: ActiveLists | None = None
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
        return list(self._state.versions) if self._state else []

    @property
    def index(self) -> NameIndex:
        assert self._state is not None
        return self._state.index

    def refresh(self) -> bool:
        """Use the store's current active versions; returns True when the index changed."""
        versions = self.store.active_versions()
        built_from = identities(versions)
        if self._state is not None and self._state.index.built_from == built_from:
            return False
        with self._lock:
            if self._state is not None and self._state.index.built_from == built_from:
                return False
            path = index_path(self.index_dir, versions)
            index = NameIndex.load(path)
            # The file name is a hash: the index itself must say it was built from exactly
            # these versions (an older layout, a collision or a copied file never answers).
            if index is None or index.built_from != built_from:
                index = build_index(
                    self._stored_entities(versions), path.stem, built_from=built_from
                )
                index.save(path)
            self._state = ActiveLists(
                versions,
                index,
                tuple(list_version_refs(versions)),
                frozenset(coalition_member(v.dataset) for v in versions),
            )
            # The index is hundreds of thousands of long-lived objects: frozen, the cyclic
            # garbage collector no longer walks them at every full collection (about a tenth
            # of the screening time otherwise). They are still freed by reference counting
            # when a refresh replaces the index (it holds no reference cycles).
            gc.freeze()
        return True

    def _stored_entities(
        self, versions: Iterable[VersionInfo]
    ) -> Iterator[tuple[int, IndexDocument]]:
        for version in versions:
            for document in self.store.index_documents(version.id):
                yield version.id, document

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
        lists: Iterable[str] | None = None,
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
            lists=list(lists) if lists is not None else None,
        )
        return self.screen_query(query, thresholds)

    def screen_query(self, query: Query, thresholds: Thresholds | None = None) -> ScreeningResult:
        thresholds = thresholds or self.thresholds
        assert self._state is not None
        active = self._state
        index = active.index
        facts = QueryFacts(
            tokens=tokenize(query.name, query.schema_),
            schema=query.schema_,
            country=_country(query.country),
            birth_date=_birth_date(query.birth_date),
            identifiers=tuple(
                (i.type.value, normalize_identifier(i.value, i.type.value))
                for i in query.identifiers
            ),
            distinctive_length=distinctive_length(query.name),
        )
        allowed = query.dataset_filter()

        best: dict[int, Hit] = {}
        memo: SimilarityMemo = {}
        # Listed parties share names (one person on the OFAC, UK and UN lists): each distinct
        # name (one tuple object in the index) is scored once per query.
        name_scores: dict[tuple[int, Schema], NameScore | None] = {}
        # Without identifiers, a name whose score cannot reach the report threshold even with
        # every secondary bonus is not aligned in full (`_name_score`).
        floor = None if facts.identifiers else thresholds.report - MAX_BONUS
        query_joined = joined_words(facts.tokens)
        # Each candidate party's names among the candidates.
        candidate_entities: dict[int, list[IndexedName]] = {}
        # Initials reach no candidates themselves: look further down the surname's list.
        initials = sum(1 for t in facts.tokens if t.kind == KIND_INITIAL)
        limit = min(CANDIDATES + CANDIDATES_PER_INITIAL * initials, 80)
        # A person's initials, not a company's single letters (S C DE R L), widen the search.
        by_initials = facts.schema is None or facts.schema is Schema.PERSON
        names = index.names
        for name_id in index.candidates(facts.tokens, limit, by_initials):
            candidate = names[name_id]
            candidate_entities.setdefault(candidate.entity, []).append(candidate)
        for kind, value in facts.identifiers:
            for entity_id in index.by_identifier(kind, value):
                candidate_entities.setdefault(entity_id, [])
        # The candidates' word similarities in one batch (most word pairs are rejected in C).
        remember_similarities(
            facts.tokens,
            (name.tokens for found in candidate_entities.values() for name in found),
            memo,
        )

        for entity_id, entity_names in candidate_entities.items():
            entity = index.entities[entity_id]
            if allowed is not None and entity.dataset not in allowed:
                continue
            # The best-scoring name (`_name_score`: None below the floor, most candidates).
            best_name: IndexedName | None = None
            best_score: NameScore | None = None
            for name in entity_names:
                # The listed type matters to the whole-name rules (vessel names, acronyms).
                key = (id(name.tokens), entity.schema)
                if key in name_scores:
                    scored = name_scores[key]
                else:
                    scored = name_scores[key] = _name_score(
                        facts, name.tokens, active, memo, entity.schema, floor, query_joined
                    )
                if scored is not None and (best_score is None or scored.score > best_score.score):
                    best_score, best_name = scored, name
            if best_score is None and floor is not None:
                # Every name is below the floor (the report threshold less every bonus), or
                # the party has none among the candidates (only identifiers bring those, and
                # with identifiers there is no floor): no feature lifts it into the report.
                continue
            hit = self._hit(active, entity_id, best_score, best_name, facts, thresholds)
            if hit is not None:
                best[entity_id] = hit

        hits = sorted(
            best.values(), key=lambda h: (-h.score, h.source.value, h.dataset, h.entry_id)
        )
        hits = hits[:MAX_HITS]
        decision = hits[0].decision if hits else Decision.CLEAR
        return ScreeningResult(
            query=query,
            decision=decision,
            hits=hits,
            list_versions=list(active.version_refs),
            thresholds=thresholds,
        )

    def _hit(
        self,
        active: ActiveLists,
        entity_id: int,
        best: NameScore | None,
        best_name: IndexedName | None,
        facts: QueryFacts,
        thresholds: Thresholds,
    ) -> Hit | None:
        """The party's hit from its best name's score, or None below the report threshold."""
        index = active.index
        entity = index.entities[entity_id]
        base = best.score if best is not None else 0.0
        if base + MAX_BONUS < thresholds.report and not facts.identifiers:
            return None  # no secondary feature could lift it into the report
        features = adjustments(facts, entity)
        score = final_score(base, features)
        if score < thresholds.report:
            return None
        if score >= thresholds.match:
            decision = Decision.MATCH
        elif score >= thresholds.review:
            decision = Decision.REVIEW
        else:
            decision = Decision.CLEAR
        matched = best_name.full if best_name is not None else entity.name
        also_listed = listing_refs(index, entity_id)
        return Hit(
            source=entity.source,
            dataset=entity.dataset,
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
                # accuracy v2: the name-stage caps first (already in name_score), then the rest
                features=[*(best.caps if best is not None else ()), *features],
            ),
            also_listed=also_listed,
            list_version=entity.version_id,
            listed_on=entity.listed_on,
            not_listed_by=unlisted_members(
                active.members, [entity.dataset, *(ref.dataset for ref in also_listed)]
            ),
        )

    # -- identifiers and free text (screening.matching.lookup, screening.matching.textscan) ----

    def screen_identifier(self, kind: str, value: str, lists: list[str] | None = None) -> list[Hit]:
        """Every listed party carrying this identifier (a BIC in any of its 8- or 11-character
        forms, an IMO number, a crypto address ...): score 1.0, decision match."""
        active = self._state
        assert active is not None
        try:
            hits = identifier_hits(active.index, kind, value, allowed_datasets(lists))
        except ValueError as exc:
            raise QueryError(str(exc)) from None
        fill_not_listed_by(hits, active.members)
        return hits

    def scan_text(
        self, text: str, lists: list[str] | None = None, thresholds: Thresholds | None = None
    ) -> list[textscan.TextHit]:
        """Listed names, BICs, IMO numbers and crypto addresses inside a free text."""
        try:
            return textscan.scan_text(self, text, lists, thresholds)
        except ValueError as exc:
            raise QueryError(str(exc)) from None


def _name_score(
    facts: QueryFacts,
    listed: tuple[Token, ...],
    active: ActiveLists,
    memo: SimilarityMemo,
    listed_schema: Schema,
    floor: float | None,
    query_joined: JoinedWords,
) -> NameScore | None:
    """The name score, or None when an upper bound of it is below `floor`.

    The name score is at most the better of the word alignment's score and the joined score
    (exact name aside, whose bound is 1 too); the caps only lower it. The bound needs only the
    word similarities, which the alignment reuses (`memo`) when it runs.
    """
    person = listed_schema is Schema.PERSON
    if floor is not None:
        index = active.index
        ceiling = alignment_ceiling(
            facts.tokens, listed, index.weights, index.unknown_weight, memo, person
        )
        # (the joined score is needed only when the alignment's bound alone is too low)
        if ceiling + CEILING_MARGIN < floor:
            listed_joined = active.joined.get(id(listed))
            if listed_joined is None:
                if len(active.joined) >= JOINED_CACHE:
                    active.joined.clear()  # a simple bound, as the index's reached words
                listed_joined = active.joined[id(listed)] = joined_words(listed)
            together = joined_words_score(query_joined, listed_joined)
            if (together or 0.0) + CEILING_MARGIN < floor:
                return None
    return name_score(facts, listed, active.index, memo, person, listed_schema)


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
