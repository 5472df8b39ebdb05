"""Candidate retrieval over every name of the active list versions.

The index maps keys to the names that have them, so that a query meets a few dozen candidate
names instead of all of them:

- ``t:`` the phonetic form of each word (absorbs romanisation: Aleksandr/Alexander),
- ``s:`` its consonant skeleton (Mohammed/Muhammad, unvocalised Arabic),
- ``d:`` the word and its one-letter deletions (a symmetric-delete neighbourhood: any single
  typo),
- ``j:`` the whole name written together (GAZPROMBANK / GAZPROM BANK),
- identifiers (IMO, passport, BIC ...) by normalised value.

Candidates are ranked by the summed rarity of the query words that reached them and only the
best are scored in full; a query written with initials (S. KHAN) also gets the best names that
have a word starting with each initial, which a common surname would otherwise push out. Word
rarities (inverse document frequency) are kept here too. The index is built once per set of
active list versions and persisted (pickle, in the user cache directory, in a flat layout) so a
CLI spot check loads it in a fraction of a second.

The cache is keyed on what the versions are (id, dataset, file hash, load time), not on the
database URL and ids alone: a re-created or restored database reuses version ids, and an index
of the old lists must never answer for the new ones. The index also records the versions it was
built from, and the screener rebuilds whenever they are not exactly the active ones.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import itertools
import json
import math
import operator
import os
import pickle
import tempfile
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, NamedTuple, Protocol

import numpy as np
import numpy.typing as npt
import platformdirs

from lists.model import IdentifierType, PartialDate, Schema, Source
from lists.values import identifiers as values_identifiers
from screening import settings
from screening.matching.normalize import (
    KIND_INITIAL,
    KIND_LEGAL_FORM,
    KIND_WORD,
    Token,
    joined,
    tokenize,
)
from screening.matching.party_links import link_parties
from screening.matching.postings import (
    NO_NAMES,
    IdArray,
    best_first,
    best_met_few,
    query_keys,
    token_keys,
    union,
)
from screening.store import VersionInfo

# Bump when the index layout or the normalisation changes: old cache files are then ignored.
# 9: equal names share one token tuple (the screener scores each distinct name once a query);
#    crypto addresses keep their case where their encoding is case-sensitive.
# 10: flat persisted layout (posting keys in lazily read buckets, entities by column), the
#    first letters of each name's words (initials).
# 11: katakana folded as one Hepburn word; legal-form typos and link reasons independent of
#    the hash seed. 12: the mixed OFAC romanisation of "obshchestvo s ogranichennoi
#    otvetstvennostyu" is a legal form. 13: a listed word's own forms are in the deletion
#    neighbourhood too (d:), a query word's deletions looked up once.
INDEX_FORMAT = 13
# Posting lists longer than this (names sharing a very common word) are not used for retrieval:
# such a word cannot make a match by itself and the other words of the query find the name.
MAX_POSTING = 4000
COMMON_WORD_REACH = 300
# A name a query word reaches only through a spelling neighbour (a deletion, the consonant
# skeleton) counts this share of the word's weight in the ranking: names that have the word
# itself come first, before names that only have look-alikes of it. Chosen on
# bench/accuracy.py's full set A (0.5 ... 1.0 tried); checked, not tuned, on set B.
NEIGHBOUR_WEIGHT = 0.7
# Query words whose reached names are remembered (about 0.5 kB each): given names, BANK, AL ...
# recur from one screening to the next, and their keys need not be looked up again.
REACHED_CACHE = 8192
# A word on more than this share of the indexed names is generic (declared by the generic-words
# feature, `screening.matching.features.names`).
GENERIC_SHARE = 0.002
# A query with initials also gets up to this many of the best reached names that have a word
# starting with each of its initials (NIKOLAEVA V: among hundreds of NIKOLAEVAs, the ones with a
# V-word), besides the names the rarity ranking chose.
INITIALS_CANDIDATES = 20
# Up to this many reached names (counted with repeats), the ranking is summed in a dict and
# sorted in Python (`postings.best_met_few`) rather than with numpy (`_met`, `best_first`), whose
# dozen calls cost more than the work on a few names. Measured on bench/compare_results.py's
# queries (blocks alternated in one process): 200 is 2-3 % faster than numpy alone, compiled or
# not (the median query reaches about 100 names). Same names either way.
FEW_MET = 200
# Posting keys are grouped by their first letters, and a group's lookup table is made the first
# time a query needs it: a spot check then hashes a few hundred of the 300,000 keys, not all.
KEY_BUCKET_PREFIX = 4
# Letters and digits a word can start with, as bits of a name's `first_letters` mask.
_FIRST_LETTER_BITS = {c: 1 << i for i, c in enumerate("abcdefghijklmnopqrstuvwxyz0123456789")}


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


class IndexableEntity(Protocol):
    """What the index reads of a listed entity: a `lists.model.Entity`, or the lighter
    `screening.store.store.IndexDocument` the store reads for a build."""

    @property
    def source(self) -> Source: ...
    @property
    def dataset(self) -> str: ...
    @property
    def entry_id(self) -> str: ...
    @property
    def schema_(self) -> Schema: ...
    @property
    def primary_name(self) -> str: ...
    @property
    def names(self) -> Sequence[Any]: ...  # .full, .kind (NameKind)
    @property
    def birth_dates(self) -> Sequence[PartialDate]: ...
    @property
    def nationalities(self) -> Sequence[str]: ...
    @property
    def citizenships(self) -> Sequence[str]: ...
    @property
    def countries(self) -> Sequence[str]: ...
    @property
    def addresses(self) -> Sequence[Any]: ...  # .country
    @property
    def identifiers(self) -> Sequence[Any]: ...  # .type (IdentifierType), .value
    @property
    def programs(self) -> Sequence[str]: ...
    @property
    def listed_on(self) -> dt.date | None: ...


@dataclass
class NameIndex:
    version_key: str
    # The versions the index was built from: a loaded index is used only for exactly these.
    built_from: tuple[VersionIdentity, ...] = ()
    entities: list[IndexedEntity] = field(default_factory=list)
    names: list[IndexedName] = field(default_factory=list)
    # Posting lists, flattened: key -> slot, names flat[offsets[slot]:offsets[slot + 1]] (one
    # array instead of 300,000 lists). The keys are kept by bucket (`KEY_BUCKET_PREFIX`), each
    # bucket's keys joined in one string with their slots, and read into a dict when a query
    # first needs them: hashing every key is what made loading the index slow.
    key_buckets: dict[str, tuple[str, array[int]]] = field(default_factory=dict)
    posting_flat: IdArray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    posting_offsets: IdArray = field(default_factory=lambda: np.zeros(1, dtype=np.int32))
    identifiers: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    name_weights: npt.NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    # Per name, a bit for each letter or digit one of its words starts with (initials).
    first_letters: npt.NDArray[np.uint64] = field(
        default_factory=lambda: np.zeros(0, dtype=np.uint64)
    )
    groups: dict[int, list[int]] = field(default_factory=dict)
    links: dict[int, dict[int, str]] = field(default_factory=dict)
    unknown_weight: float = 1.0
    generic_below: float = 0.0
    # The names each recent query word reached (see `reached`); not persisted.
    _reached: dict[Token, tuple[IdArray, IdArray]] = field(
        default_factory=dict, repr=False, compare=False
    )
    # The key buckets read so far (see `key_buckets`); not persisted.
    _key_slots: dict[str, dict[str, int]] = field(default_factory=dict, repr=False, compare=False)
    # `posting_offsets` as a memoryview (see `_offsets`); not persisted.
    _offsets_view: memoryview | None = field(default=None, repr=False, compare=False)
    _name_weights_array: array[float] | None = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict[str, object]:
        # By field, not from `__dict__`: compiled (mypyc, see docs/speed.md) the class has none.
        # The underscored fields are caches of a running index, not persisted.
        state: dict[str, object] = {
            f.name: getattr(self, f.name) for f in fields(self) if not f.name.startswith("_")
        }
        state["format"] = INDEX_FORMAT
        # Entities by column, the enums by value: a pickled enum member is a call to its class,
        # 40,000 of them a noticeable part of the load.
        state["entities"] = [
            [e.source.value for e in self.entities],
            [e.schema.value for e in self.entities],
            *zip(*map(_plain_entity_fields, self.entities), strict=True),
        ]
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        if state.pop("format", None) != INDEX_FORMAT:
            raise ValueError("an index of another layout")  # `load` then builds a new one
        columns: list[Sequence[Any]] = state.pop("entities")  # type: ignore[assignment]
        for name, value in state.items():
            setattr(self, name, value)
        self._reached = {}
        self._key_slots = {}
        self._offsets_view = None
        self._name_weights_array = None
        self.entities = []
        if columns and columns[0]:
            sources = map(Source._value2member_map_.__getitem__, columns[0])
            schemas = map(Schema._value2member_map_.__getitem__, columns[1])
            plain = dict(zip(_PLAIN_ENTITY_FIELDS, columns[2:], strict=True))
            self.entities = list(
                map(
                    IndexedEntity._make,
                    zip(
                        sources,
                        plain[1],
                        plain[2],
                        schemas,
                        *(plain[i] for i in _PLAIN_ENTITY_FIELDS[2:]),
                        strict=True,
                    ),
                )
            )

    # -- retrieval ---------------------------------------------------------------------------

    def posting(self, key: str) -> list[int]:
        """The names that have this key (name ids, ascending)."""
        return self._posting(key).tolist()  # type: ignore[no-any-return]

    def _posting(self, key: str) -> IdArray:
        slot = self._slot(key)
        if slot is None:
            return NO_NAMES
        offsets = self._offsets()
        return self.posting_flat[offsets[slot] : offsets[slot + 1]]

    def _slot(self, key: str) -> int | None:
        prefix = key[:KEY_BUCKET_PREFIX]
        slots = self._key_slots.get(prefix)
        if slots is None:
            keys, numbers = self.key_buckets.get(prefix, ("", array("i")))
            slots = dict(zip(keys.split("\n"), numbers, strict=False)) if keys else {}
            self._key_slots[prefix] = slots
        return slots.get(key)

    def _name_weights(self) -> array[float]:
        """`name_weights` as an array of doubles: indexing it gives Python floats (see
        `_offsets`)."""
        weights = self._name_weights_array
        if weights is None:
            weights = self._name_weights_array = array("d", self.name_weights.tobytes())
        return weights

    def _offsets(self) -> memoryview:
        """The posting offsets as a memoryview: indexing it gives Python ints (a numpy scalar
        is several times slower to make and to slice with)."""
        view = self._offsets_view
        if view is None:
            view = self._offsets_view = self.posting_offsets.data
        return view

    def _usable_postings(self, keys: Iterable[str]) -> list[IdArray]:
        """The posting lists of these keys that retrieval uses (not empty, not MAX_POSTING long)."""
        offsets = self._offsets()
        buckets = self._key_slots
        found = []
        for key in keys:
            # (`_slot` inlined: a word has about twenty keys, most of them on no name)
            slots = buckets.get(key[:KEY_BUCKET_PREFIX])
            slot = self._slot(key) if slots is None else slots.get(key)
            if slot is not None:
                start, end = offsets[slot], offsets[slot + 1]
                if 0 < end - start <= MAX_POSTING:
                    found.append(self.posting_flat[start:end])
        return found

    def set_postings(
        self, keys: Sequence[str], key_of_pair: IdArray, name_of_pair: IdArray
    ) -> None:
        """Postings from (key id, name id) pairs, `keys[key id]` the key; each list ascending."""
        order = np.argsort(key_of_pair, kind="stable")  # stable: names stay ascending
        self.posting_flat = name_of_pair[order].astype(np.int32)
        counts = np.bincount(key_of_pair, minlength=len(keys))
        self.posting_offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int32)
        buckets: dict[str, tuple[list[str], array[int]]] = {}
        for slot, key in enumerate(keys):
            if "\n" in key:
                raise ValueError(f"index key with a line break: {key!r}")  # folded text has none
            bucket = buckets.get(key[:KEY_BUCKET_PREFIX])
            if bucket is None:
                bucket = buckets[key[:KEY_BUCKET_PREFIX]] = ([], array("i"))
            bucket[0].append(key)
            bucket[1].append(slot)
        self.key_buckets = {prefix: ("\n".join(k), s) for prefix, (k, s) in buckets.items()}
        self._key_slots = {}
        self._offsets_view = None

    def candidates(
        self, tokens: Sequence[Token], limit: int, by_initials: bool = True
    ) -> list[int]:
        """Name ids most likely to match, best first (by summed weight of the words that met).

        With initials in the query (and `by_initials`: a person's name, where one letter is a
        given name's initial, not a company's S C or a list's K), the best names (up to
        INITIALS_CANDIDATES) that have a word starting with each initial follow, when the
        ranking left them out.
        """
        reached: list[IdArray] = []
        weights: list[float] = []
        for token in tokens:
            if token.kind == KIND_LEGAL_FORM:
                continue
            weight = self.weights.get(token.phonetic, self.unknown_weight)
            exact, neighbours = self.reached_parts(token)
            reached.append(exact)
            weights.append(weight)
            if len(neighbours):
                reached.append(neighbours)
                weights.append(weight * NEIGHBOUR_WEIGHT)
        together = joined(tuple(tokens))
        if len(together) >= 6:
            # GAZPROM BANK meets GAZPROMBANK (a one-word name) and the reverse (j: keys).
            for key in ("j:" + together, "t:" + together):
                reached.append(self._posting(key))
                weights.append(2 * self.unknown_weight)
        query_weight = sum(
            self.weights.get(t.phonetic, self.unknown_weight) for t in tokens if t.kind == KIND_WORD
        )
        initials = [t.text[0] for t in tokens if t.kind == KIND_INITIAL]
        if not (by_initials and initials) and sum(len(r) for r in reached) <= FEW_MET:
            return best_met_few(reached, weights, query_weight, self._name_weights(), limit)
        met_names, rank = self._met(reached, weights, query_weight)
        best = best_first(met_names, rank, limit)
        chosen: list[int] = met_names[best].tolist()
        if not (by_initials and initials):
            return chosen
        needed = 0
        for letter in initials:
            needed |= _FIRST_LETTER_BITS.get(letter, 0)
        # The best names the ranking left out that have a word starting with each initial.
        pool = np.ones(len(met_names), dtype=bool)
        pool[best] = False
        pool &= (self.first_letters[met_names] & np.uint64(needed)) == np.uint64(needed)
        rest = pool.nonzero()[0]
        extra = rest[best_first(met_names[rest], rank[rest], INITIALS_CANDIDATES)]
        chosen += met_names[extra].tolist()
        return chosen

    def _met(
        self, reached: list[IdArray], weights: list[float], query_weight: float
    ) -> tuple[IdArray, npt.NDArray[np.float64]]:
        """The reached names (ascending) and their rank: the weight each met, shared out over
        both names' weight (a Dice coefficient, like the final score: a short name that holds
        all the query's words comes first)."""
        ids = np.concatenate(reached) if reached else NO_NAMES
        if not len(ids):
            return NO_NAMES, np.zeros(0)
        # The weight met per name, summed in the order of the query's words (as a dict would:
        # the same floating-point sums, hence the same ranking): np.unique's steps, inlined.
        order = ids.argsort(kind="stable")
        ordered = ids[order]
        first = np.empty(len(ids), dtype=bool)
        first[0] = True
        np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
        position = np.empty(len(ids), dtype=np.intp)
        # (array methods, not the np.* functions: those add a Python-level wrapper per call,
        # a measurable share of a query once the matcher is compiled, docs/speed.md)
        position[order] = first.cumsum() - 1
        met_names = ordered[first]
        each = np.array(weights).repeat([len(r) for r in reached])
        met = np.bincount(position, weights=each)
        return met_names, met / (query_weight + self.name_weights[met_names] + 1e-9)

    def reached(self, token: Token) -> IdArray:
        """The names one query word reaches through its keys (ascending)."""
        exact, neighbours = self.reached_parts(token)
        return np.union1d(exact, neighbours) if len(neighbours) else exact

    def reached_parts(self, token: Token) -> tuple[IdArray, IdArray]:
        """The names one query word reaches as written (or by its phonetic form), and those
        only its spelling neighbours reach (remembered: words recur)."""
        found = self._reached.get(token)
        if found is None:
            found = self._reach(token)
            if len(self._reached) >= REACHED_CACHE:
                self._reached.clear()  # a simple bound: the cache refills with the words in use
            self._reached[token] = found
        return found

    def _reach(self, token: Token) -> tuple[IdArray, IdArray]:
        keys = query_keys(token)
        # t:phonetic, t:text (one key when the word is its own phonetic form)
        exact = union(self._usable_postings(dict.fromkeys(keys[:2])))
        # A word that is itself common (MOHAMMED, BANK) is found as written; its spelling
        # neighbours would only add thousands of weak candidates.
        if len(exact) > COMMON_WORD_REACH:
            return exact, NO_NAMES
        neighbours = union(self._usable_postings(dict.fromkeys(keys[2:])))
        if len(neighbours) and len(exact):
            # (both ascending: np.setdiff1d's general machinery costs more than the search)
            at = np.minimum(exact.searchsorted(neighbours), len(exact) - 1)
            neighbours = neighbours[exact[at] != neighbours]
        return exact, neighbours

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
        except (KeyError, TypeError, ValueError):
            return None  # a file of another layout (an older format under a colliding name)
        finally:
            if gc_was_enabled:
                gc.enable()
        return index if isinstance(index, NameIndex) else None


# The IndexedEntity fields persisted as they are (by position); source and schema go by value.
_PLAIN_ENTITY_FIELDS = (1, 2, 4, 5, 6, 7, 8, 9, 10)
_plain_entity_fields = operator.itemgetter(*_PLAIN_ENTITY_FIELDS)


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


def build_index(
    entities: Iterable[tuple[int, IndexableEntity]],
    key: str,
    progress: object = None,
    built_from: tuple[VersionIdentity, ...] = (),
) -> NameIndex:
    """Index (version id, entity) pairs: names, keys, identifier lookups, weights, links.

    `built_from` records the versions the pairs come from (`identities`).
    """
    index = NameIndex(version_key=key, built_from=built_from)
    # Every (key, name) pair, the key by number: sorted once into posting lists at the end
    # (a list per key, appended to a million times, took most of the build).
    key_ids: dict[str, int] = {}
    key_of_pair = array("i")
    name_of_pair = array("i")
    first_letters: list[int] = []
    # One object per distinct token, shared by every name that has it (smaller, faster cache).
    token_pool: dict[Token, Token] = {}
    # ... and one tuple per distinct name: the screener scores each once per query.
    name_pool: dict[tuple[Token, ...], tuple[Token, ...]] = {}
    # The key numbers of each distinct word, made once (a word recurs on thousands of names).
    keys_of: dict[Token, list[int]] = {}
    # Names recur across lists (one party on the OFAC, UK and UN lists): tokenized once.
    tokenized: dict[tuple[str, Schema], tuple[Token, ...]] = {}
    document_frequency: Counter[str] = Counter()
    for version_id, entity in entities:
        entity_id = len(index.entities)
        index.entities.append(_indexed_entity(version_id, entity))
        seen_names: set[str] = set()
        for name in entity.names:
            tokens = tokenized.get((name.full, entity.schema_))
            if tokens is None:
                tokens = tuple(
                    token_pool.setdefault(t, t) for t in tokenize(name.full, entity.schema_)
                )
                tokens = tokenized[name.full, entity.schema_] = name_pool.setdefault(tokens, tokens)
            signature = " ".join(t.text for t in tokens)
            if not tokens or signature in seen_names:
                continue
            seen_names.add(signature)
            name_id = len(index.names)
            index.names.append(IndexedName(entity_id, name.full, name.kind.value, tokens))
            keys: set[int] = set()
            letters = 0
            for token in tokens:
                if token.kind == KIND_WORD:
                    word_keys = keys_of.get(token)
                    if word_keys is None:
                        word_keys = keys_of[token] = [
                            key_ids.setdefault(k, len(key_ids)) for k in token_keys(token)
                        ]
                    keys.update(word_keys)
                if token.kind != KIND_LEGAL_FORM:
                    letters |= _FIRST_LETTER_BITS.get(token.text[0], 0)
            first_letters.append(letters)
            words = tuple(t for t in tokens if t.kind != KIND_LEGAL_FORM)
            if len(words) > 1:
                keys.add(key_ids.setdefault("j:" + joined(words), len(key_ids)))
            key_of_pair.extend(keys)
            name_of_pair.extend(itertools.repeat(name_id, len(keys)))
            document_frequency.update({t.phonetic for t in tokens if t.kind == KIND_WORD})
        for pair in index.entities[entity_id].identifiers:
            index.identifiers.setdefault(pair, []).append(entity_id)
    index.set_postings(
        list(key_ids),
        np.frombuffer(key_of_pair, dtype=np.int32),
        np.frombuffer(name_of_pair, dtype=np.int32),
    )
    index.first_letters = np.array(first_letters, dtype=np.uint64)
    total = max(len(index.names), 1)
    index.weights = {
        word: math.log((total + 1) / (count + 0.5)) for word, count in document_frequency.items()
    }
    index.unknown_weight = math.log((total + 1) / 0.5)
    index.name_weights = np.array(
        [
            sum(index.weights.get(t.phonetic, 0.0) for t in name.tokens if t.kind == KIND_WORD)
            for name in index.names
        ],
        dtype=np.float64,
    )
    # Words on more than GENERIC_SHARE of names (BANK, AL, TRADING, MOHAMMED ...) are generic.
    index.generic_below = math.log((total + 1) / (GENERIC_SHARE * total + 0.5))
    link_parties(index)
    return index


def _indexed_entity(version_id: int, entity: IndexableEntity) -> IndexedEntity:
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
