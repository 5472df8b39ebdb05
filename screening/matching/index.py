"""Candidate retrieval over every name of the active list versions.

The index maps keys to the names that have them, so that a query meets a few dozen candidate
names instead of all of them:

- ``t:`` the phonetic form of each word (absorbs romanisation: Aleksandr/Alexander),
- ``s:`` its consonant skeleton (Mohammed/Muhammad, unvocalised Arabic),
- ``d:`` its one-letter deletions (a symmetric-delete neighbourhood: any single typo),
- ``j:`` the whole name written together (GAZPROMBANK / GAZPROM BANK),
- identifiers (IMO, passport, BIC ...) by normalised value.

Candidates are ranked by the summed rarity of the query words that reached them and only the
best are scored in full. Word rarities (inverse document frequency) are kept here too. The
index is built once per set of active list versions and persisted (pickle, in the user cache
directory) so a CLI spot check loads it in well under a second.

The cache is keyed on what the versions are (id, dataset, file hash, load time), not on the
database URL and ids alone: a re-created or restored database reuses version ids, and an index
of the old lists must never answer for the new ones. The index also records the versions it was
built from, and the screener rebuilds whenever they are not exactly the active ones.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import heapq
import json
import math
import os
import pickle
import tempfile
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import platformdirs

from lists.model import Entity, IdentifierType, NameKind, PartialDate, Schema, Source
from lists.values import identifiers as values_identifiers
from screening import settings
from screening.matching.normalize import Token, TokenKind, joined, tokenize
from screening.store import VersionInfo

# Bump when the index layout or the normalisation changes: old cache files are then ignored.
# 9: equal names share one token tuple (the screener scores each distinct name once a query);
#    crypto addresses keep their case where their encoding is case-sensitive.
INDEX_FORMAT = 9
# Posting lists longer than this (names sharing a very common word) are not used for retrieval:
# such a word cannot make a match by itself and the other words of the query find the name.
MAX_POSTING = 4000
MIN_DELETE_LENGTH = 5
COMMON_WORD_REACH = 300
# Query words whose reached names are remembered (about 0.5 kB each): given names, BANK, AL ...
# recur from one screening to the next, and their keys need not be looked up again.
REACHED_CACHE = 8192
# A word on more than this share of the indexed names is generic (declared by the generic-words
# feature, `screening.matching.features.names`).
GENERIC_SHARE = 0.002

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


def normalize_identifier(value: str, kind: str | None = None) -> str:
    """Comparable identifier, the same on the listed and the screened side: see
    `lists.values.identifiers.normalize_identifier` (BICs by institution code, crypto
    addresses keep the case base58 needs)."""
    return values_identifiers.normalize_identifier(value, kind)


# Tuples rather than dataclasses or pydantic models: the persisted index must load in a fraction
# of a second for a CLI spot check.


class VersionIdentity(NamedTuple):
    """What one list version is, as far as the index is concerned (see `built_from`)."""

    id: int
    dataset: str
    sha256: str
    loaded_at: str  # ISO 8601, UTC


class IndexedName(NamedTuple):
    entity: int
    full: str
    kind: str  # a NameKind value
    tokens: tuple[Token, ...]


class ListedDate(NamedTuple):
    """A listed birth date as the birth-date feature compares it."""

    first_year: int
    last_year: int
    day: dt.date | None
    text: str


class IndexedEntity(NamedTuple):
    source: Source
    dataset: str
    entry_id: str
    schema: Schema
    name: str
    programs: tuple[str, ...]
    birth_dates: tuple[ListedDate, ...]
    countries: frozenset[str]
    identifiers: frozenset[tuple[str, str]]
    version_id: int
    listed_on: dt.date | None = None


@dataclass
class NameIndex:
    version_key: str
    # The versions the index was built from: a loaded index is used only for exactly these.
    built_from: tuple[VersionIdentity, ...] = ()
    entities: list[IndexedEntity] = field(default_factory=list)
    names: list[IndexedName] = field(default_factory=list)
    # Posting lists, flattened: key -> i, names flat[offsets[i]:offsets[i + 1]]. One array
    # instead of 200,000 lists is what lets the persisted index load in a tenth of a second.
    posting_keys: dict[str, int] = field(default_factory=dict)
    posting_flat: array[int] = field(default_factory=lambda: array("i"))
    posting_offsets: array[int] = field(default_factory=lambda: array("i", [0]))
    identifiers: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    name_weights: array[float] = field(default_factory=lambda: array("d"))
    groups: dict[int, list[int]] = field(default_factory=dict)
    links: dict[int, dict[int, str]] = field(default_factory=dict)
    unknown_weight: float = 1.0
    generic_below: float = 0.0
    # The names each recent query word reached (see `reached`); not persisted.
    _reached: dict[Token, array[int]] = field(default_factory=dict, repr=False, compare=False)

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state.pop("_reached", None)
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._reached = {}

    # -- retrieval ---------------------------------------------------------------------------

    def posting(self, key: str) -> Sequence[int]:
        slot = self.posting_keys.get(key)
        if slot is None:
            return ()
        return self.posting_flat[self.posting_offsets[slot] : self.posting_offsets[slot + 1]]

    def set_postings(self, postings: dict[str, list[int]]) -> None:
        self.posting_keys = {}
        self.posting_flat = array("i")
        self.posting_offsets = array("i", [0])
        for slot, (key, names) in enumerate(postings.items()):
            self.posting_keys[key] = slot
            self.posting_flat.extend(names)
            self.posting_offsets.append(len(self.posting_flat))

    def candidates(self, tokens: Sequence[Token], limit: int) -> list[int]:
        """Name ids most likely to match, best first (by summed weight of the words that met)."""
        scores: dict[int, float] = {}
        get = scores.get
        for token in tokens:
            if token.kind == TokenKind.LEGAL_FORM:
                continue
            weight = self.weights.get(token.phonetic, self.unknown_weight)
            for name_id in self.reached(token):
                scores[name_id] = get(name_id, 0.0) + weight
        together = joined(tuple(tokens))
        if len(together) >= 6:
            # GAZPROM BANK meets GAZPROMBANK (a one-word name) and the reverse (j: keys).
            for key in ("j:" + together, "t:" + together):
                for name_id in self.posting(key):
                    scores[name_id] = scores.get(name_id, 0.0) + 2 * self.unknown_weight
        # Rank like the final score will: the weight met, shared out over both names' weight
        # (a Dice coefficient), so a short name that holds all the query's words comes first.
        query_weight = sum(
            self.weights.get(t.phonetic, self.unknown_weight)
            for t in tokens
            if t.kind == TokenKind.WORD
        )
        name_weight = self.name_weights
        ranked = heapq.nlargest(
            limit,
            [
                (met / (query_weight + name_weight[name_id] + 1e-9), name_id)
                for name_id, met in scores.items()
            ],
        )
        return [name_id for _, name_id in ranked]

    def reached(self, token: Token) -> Sequence[int]:
        """The names one query word reaches through its keys (remembered: words recur)."""
        found = self._reached.get(token)
        if found is None:
            found = self._reach(token)
            if len(self._reached) >= REACHED_CACHE:
                self._reached.clear()  # a simple bound: the cache refills with the words in use
            self._reached[token] = found
        return found

    def _reach(self, token: Token) -> array[int]:
        reached: set[int] = set()
        keys = _query_keys(token)
        exact_keys = keys[:2]  # t:phonetic, t:text
        for key in exact_keys:
            posting = self.posting(key)
            if len(posting) <= MAX_POSTING:
                reached.update(posting)
        # A word that is itself common (MOHAMMED, BANK) is found as written; its spelling
        # neighbours would only add thousands of weak candidates.
        if len(reached) <= COMMON_WORD_REACH:
            for key in keys[2:]:
                posting = self.posting(key)
                if len(posting) <= MAX_POSTING:
                    reached.update(posting)
        return array("i", reached)

    def by_identifier(self, kind: str, value: str) -> list[int]:
        return self.identifiers.get((kind, normalize_identifier(value, kind)), [])

    def linked(self, entity_id: int) -> dict[int, str]:
        """Other entities (any source) that are the same party, with what links them."""
        return self.links.get(entity_id, {})

    # -- persistence -------------------------------------------------------------------------

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".index-")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(self, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)

    @staticmethod
    def load(path: Path) -> NameIndex | None:
        # The cache is written by this program into the user's own cache directory. Collection
        # is paused while loading: the index is hundreds of thousands of small objects, none
        # of them garbage, and the collector would walk them again and again.
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            with path.open("rb") as handle:
                index = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        finally:
            if gc_was_enabled:
                gc.enable()
        return index if isinstance(index, NameIndex) else None


def default_index_dir() -> Path:
    """``$COALITION_INDEX_DIR``, else ``index/`` in the user cache directory."""
    configured = settings.get("COALITION_INDEX_DIR")
    if configured:
        return Path(configured)
    return Path(platformdirs.user_cache_dir("coalition-screening")) / "index"


def identities(versions: Iterable[VersionInfo]) -> tuple[VersionIdentity, ...]:
    """The identity of each version, in id order (the order of the active list does not count)."""
    return tuple(
        sorted(
            VersionIdentity(v.id, v.dataset, v.sha256, _utc(v.loaded_at).isoformat())
            for v in versions
        )
    )


def version_key(versions: Iterable[VersionInfo]) -> str:
    """The cache key (file name) of the index of these versions, and of this index format."""
    material = json.dumps([INDEX_FORMAT, [list(i) for i in identities(versions)]])
    return hashlib.sha256(material.encode()).hexdigest()[:24]


def index_path(index_dir: Path, versions: Iterable[VersionInfo]) -> Path:
    """Where the index of these versions is persisted."""
    return index_dir / f"{version_key(versions)}.pickle"


def _utc(moment: dt.datetime) -> dt.datetime:
    # SQLite returns the stored time without its zone, PostgreSQL with it: one spelling for both.
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _token_keys(token: Token) -> list[str]:
    keys = ["t:" + token.phonetic, "t:" + token.text]
    if len(token.skeleton) >= 3:
        keys.append("s:" + token.skeleton)
    # Deletions of both forms: typos are edits of the written word, which the phonetic form
    # can move further apart (khaddur/khadrdur -> hadur/hadrdur).
    for form in {token.phonetic, token.text}:
        if len(form) >= MIN_DELETE_LENGTH:
            keys.extend("d:" + variant for variant in _deletions(form))
    return keys


def _query_keys(token: Token) -> list[str]:
    if token.kind == TokenKind.INITIAL:
        return []
    keys = ["t:" + token.phonetic, "t:" + token.text]
    if len(token.skeleton) >= 3:
        keys.append("s:" + token.skeleton)
    for form in {token.phonetic, token.text}:
        if len(form) >= MIN_DELETE_LENGTH - 1:
            # symmetric delete: query word = listed deletion, and deletions of both meet
            keys.append("d:" + form)
            for variant in _deletions(form):
                keys.append("d:" + variant)
                keys.append("t:" + variant)
    return keys


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def build_index(
    entities: Iterable[tuple[int, Entity]],
    key: str,
    progress: object = None,
    built_from: tuple[VersionIdentity, ...] = (),
) -> NameIndex:
    """Index (version id, entity) pairs: names, keys, identifier lookups, weights, links.

    `built_from` records the versions the pairs come from (`identities`).
    """
    index = NameIndex(version_key=key, built_from=built_from)
    postings: dict[str, list[int]] = defaultdict(list)
    # One object per distinct token, shared by every name that has it (smaller, faster cache).
    token_pool: dict[Token, Token] = {}
    # ... and one tuple per distinct name: the screener scores each once per query.
    name_pool: dict[tuple[Token, ...], tuple[Token, ...]] = {}
    # The keys of each distinct word, made once (a word recurs on thousands of names).
    keys_of: dict[Token, list[str]] = {}
    document_frequency: Counter[str] = Counter()
    for version_id, entity in entities:
        entity_id = len(index.entities)
        index.entities.append(_indexed_entity(version_id, entity))
        seen_names: set[str] = set()
        for name in entity.names:
            tokens = tuple(token_pool.setdefault(t, t) for t in tokenize(name.full, entity.schema_))
            tokens = name_pool.setdefault(tokens, tokens)
            signature = " ".join(t.text for t in tokens)
            if not tokens or signature in seen_names:
                continue
            seen_names.add(signature)
            name_id = len(index.names)
            index.names.append(IndexedName(entity_id, name.full, name.kind.value, tokens))
            keys: set[str] = set()
            for token in tokens:
                if token.kind == TokenKind.WORD:
                    token_keys = keys_of.get(token)
                    if token_keys is None:
                        token_keys = keys_of[token] = _token_keys(token)
                    keys.update(token_keys)
            words = tuple(t for t in tokens if t.kind != TokenKind.LEGAL_FORM)
            if len(words) > 1:
                keys.add("j:" + joined(words))
            for key_ in keys:
                postings[key_].append(name_id)
            document_frequency.update({t.phonetic for t in tokens if t.kind == TokenKind.WORD})
        for pair in index.entities[entity_id].identifiers:
            index.identifiers.setdefault(pair, []).append(entity_id)
    index.set_postings(postings)
    total = max(len(index.names), 1)
    index.weights = {
        word: math.log((total + 1) / (count + 0.5)) for word, count in document_frequency.items()
    }
    index.unknown_weight = math.log((total + 1) / 0.5)
    index.name_weights = array(
        "d",
        (
            sum(index.weights.get(t.phonetic, 0.0) for t in name.tokens if t.kind == TokenKind.WORD)
            for name in index.names
        ),
    )
    # Words on more than GENERIC_SHARE of names (BANK, AL, TRADING, MOHAMMED ...) are generic.
    index.generic_below = math.log((total + 1) / (GENERIC_SHARE * total + 0.5))
    _link_parties(index)
    return index


def _indexed_entity(version_id: int, entity: Entity) -> IndexedEntity:
    countries = set(entity.nationalities) | set(entity.citizenships) | set(entity.countries)
    countries |= {a.country for a in entity.addresses if a.country}
    identifiers = {
        (identifier.type.value, normalize_identifier(identifier.value, identifier.type.value))
        for identifier in entity.identifiers
        if identifier.type is not IdentifierType.OTHER
        and normalize_identifier(identifier.value, identifier.type.value)
    }
    return IndexedEntity(
        source=entity.source,
        dataset=entity.dataset,
        entry_id=entity.entry_id,
        schema=entity.schema_,
        name=entity.primary_name,
        programs=tuple(entity.programs),
        birth_dates=tuple(_listed_date(d) for d in entity.birth_dates if d.year is not None),
        countries=frozenset(c for c in countries if c),
        identifiers=frozenset(identifiers),
        version_id=version_id,
        listed_on=entity.listed_on,
    )


def _listed_date(date: PartialDate) -> ListedDate:
    years = date.years()
    return ListedDate(years.start, years.stop - 1, date.as_date(), date.text or str(date.year))


def _link_parties(index: NameIndex) -> None:
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

    for (kind, value), holders in index.identifiers.items():
        if kind in LINKING_IDENTIFIERS and 1 < len(holders) <= 20:
            for a in holders:
                for b in holders:
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
        for a in namesakes:
            for b in namesakes:
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
    for start in links:
        if start in component:
            continue
        stack: list[int] = [start]
        members: list[int] = []
        component[start] = start
        while stack:
            node = stack.pop()
            members.append(node)
            for neighbour in links[node]:
                if neighbour not in component:
                    component[neighbour] = start
                    stack.append(neighbour)
        for a in members:
            for b in members:
                if a != b and index.entities[a].source != index.entities[b].source:
                    links[a].setdefault(b, "linked through other listed entries")
    index.links = dict(links)
