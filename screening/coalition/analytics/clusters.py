"""Cross-list resolution: which listings of the loaded datasets are one party.

`build_coalition` reads every entry of the counted datasets (`members.counted_datasets`): the
active version's entries and the entries a later version dropped (`delisted_on`), each dated by
the authority's own field (`DateBasis.OFFICIAL`) or by the stored versions
(`screening.store.history`: `FIRST_SEEN` when an older version lacks the entry, `UNKNOWN` when
the entry is in the dataset's oldest stored version). It then joins them in two passes:

1. **identifiers** (`LinkMethod.IDENTIFIER`, score 1): a shared value of a linking type (those
   of `screening.matching.party_links.LINKING_IDENTIFIERS`: UN reference, IMO, passport,
   national and tax ids, BIC by its 8-character institution code ...; and registration numbers
   shaped as a Russian OGRN or an LEI), held by at most `MAX_HOLDERS` entries; and the same id
   in one numbering (OFAC's SDN and non-SDN lists share OFAC's uid).
2. **names** (`LinkMethod.NAME`): each listing's primary names screened in one pass against the
   other listings (`Screener.screen_query`, restricted to the counted datasets), kept only when
   the two are compatible (`name_conflict`): same schema; for people an overlapping birth year
   when both have one; for organisations and vessels a shared country when both have one; no
   differing IMO or UN reference; no subsidiary/branch marker on one side only (Australia's
   "Sberbank" is the Ukrainian subsidiary: its alias says *Dochirnii Bank*); no country named
   in one's names that the other's names contradict (SBERBANK EUROPE AG, SBERBANK
   (SWITZERLAND) AG). A score of at least `MERGE_BAR` merges; one between `UNCERTAIN_BAR`
   and the merge bar is reported in `CoalitionData.uncertain` and not merged, and so is every
   name link between vessels or aircraft (`REPORT_ONLY`: a ship is its IMO number).

Then a listing that a later version of its dataset replaced by an entry of the same party
under a new key is a renumbering, not a delisting (`renumbering`): it joins its successor's
cluster and leaves the figures (`CoalitionData.renumbered` keeps its key).

The result is deterministic: listings, links and clusters are sorted, ties broken by key.
The cyclic garbage collector is paused during the build (it would walk the listings read at
every full collection), and names that the screener reads alike
(`_query_facts`: same tokens) are screened once.
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from lists.model import IdentifierType, NameKind, Schema
from lists.values.countries import to_iso2
from screening.coalition.analytics.members import counted_datasets, dataset_members
from screening.coalition.analytics.model import (
    Cluster,
    CoalitionData,
    DateBasis,
    Link,
    LinkMethod,
    Listing,
)
from screening.coalition.analytics.renumbering import (
    inherit_first_appearance,
    rekey_links,
    renumberings,
)
from screening.matching.features.names import distinctive_length
from screening.matching.index import normalize_identifier
from screening.matching.normalize import tokenize
from screening.matching.party_links import LINKING_IDENTIFIERS
from screening.matching.results import Query, Thresholds
from screening.matching.screener import Screener
from screening.store import ListStore
from screening.store.history import EntrySpan, delisted_documents, entry_spans
from screening.store.store import IndexDocument

# A name link at or above this score merges two listings; between UNCERTAIN_BAR and it, the
# pair is reported (CoalitionData.uncertain) and not merged. Set from bench/clusters.py.
MERGE_BAR = 0.92
UNCERTAIN_BAR = 0.80
# Vessels and aircraft are identified by their IMO number or registration, not by a name
# (bench/clusters.py: with the IMO hidden, MARIA, SUCCESS, SIERRA ... link different ships):
# their name links are reported as uncertain, never merged.
REPORT_ONLY = frozenset({Schema.VESSEL, Schema.AIRCRAFT})
# An identifier value held by more entries than this is not identifying (a placeholder, a
# shared registry number): as in `party_links`.
MAX_HOLDERS = 20
# Identifiers that a party has only one of: two listings with differing values of one of these
# types are two parties, whatever their names say.
SINGLE_VALUED = frozenset({IdentifierType.IMO.value, IdentifierType.UN_REFERENCE.value})
# Russian OGRN (13 digits; 15 for a sole trader) and the LEI (ISO 17442) are registration
# numbers that identify one party worldwide; other registration numbers repeat across countries.
_GLOBAL_REGISTRATION = re.compile(r"^(?:\d{13}|\d{15}|[0-9A-Z]{18}\d{2})$")
# Words saying a listing is a subsidiary or branch of a party named in it (English, romanised
# Russian and Ukrainian, Cyrillic): "Dochirnii Bank Sberbanku Rosii" is Sberbank's Ukrainian
# subsidiary, not Sberbank.
_SUBSIDIARY = re.compile(
    r"\b(?:subsidiary|branch|filial|filiale|dochirn\w*|dochern\w*|дочерн\w*|дочірн\w*|"
    r"філія|филиал)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]{4,}")

# Forked processes for the name pass, by default (each shares the parent's loaded index).
MAX_WORKERS = 8

Progress = Callable[[str, int, int], None]


@dataclass
class ListingFacts:
    """A listing with what linking needs of it beyond the model (`read_listings`)."""

    listing: Listing
    primary_names: list[str]
    linking: set[tuple[str, str]] = field(default_factory=set)
    single: dict[str, set[str]] = field(default_factory=dict)
    namespace: str = ""
    # Computed when a name link first needs them (`name_conflict`).
    subsidiary: bool | None = None
    named_countries: frozenset[str] | None = None

    def is_subsidiary(self) -> bool:
        if self.subsidiary is None:
            self.subsidiary = any(_SUBSIDIARY.search(name) for name in _names(self.listing))
        return self.subsidiary

    def countries_named(self) -> frozenset[str]:
        if self.named_countries is None:
            self.named_countries = frozenset(_named_countries(self.listing))
        return self.named_countries


def build_coalition(
    store: ListStore,
    screener: Screener,
    *,
    datasets: Iterable[str] | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> CoalitionData:
    """Every listing of the loaded counted datasets, clustered into parties.

    `datasets` narrows the datasets read (default: every counted dataset with a stored
    version); `progress(stage, done, total)` is called as the name pass advances. The name
    pass runs in `workers` forked processes (default: one per CPU, at most `MAX_WORKERS`).
    """
    with _collector_paused():
        return _build(store, screener, datasets=datasets, progress=progress, workers=workers)


def _build(
    store: ListStore,
    screener: Screener,
    *,
    datasets: Iterable[str] | None,
    progress: Progress | None,
    workers: int | None,
) -> CoalitionData:
    workers = workers if workers is not None else min(os.cpu_count() or 1, MAX_WORKERS)
    chosen = chosen_datasets(store, datasets)
    entries = read_listings(store, chosen)
    by_key = {entry.listing.key: entry for entry in entries}
    forest = _Forest(sorted(by_key))
    links: list[Link] = []
    for link in _identifier_links(entries):
        forest.union(link.a, link.b)
        links.append(link)
    uncertain: list[Link] = []
    for link in name_links(entries, screener, chosen, workers=workers, progress=progress):
        if link.score >= MERGE_BAR and by_key[link.a].listing.schema_ not in REPORT_ONLY:
            forest.union(link.a, link.b)
            links.append(link)
        else:
            uncertain.append(link)
    # A key a dataset replaced by another (`renumbering`) is not a delisting: it joins its
    # successor's cluster and leaves the figures; links through it now name the successor.
    replaced = renumberings({key: entry.listing for key, entry in by_key.items()}, forest.find)
    for old, new in replaced.items():
        forest.union(old, new)
    inherit_first_appearance({key: entry.listing for key, entry in by_key.items()}, replaced)
    current = {key: entry for key, entry in by_key.items() if key not in replaced}
    links, uncertain = rekey_links(links, replaced), rekey_links(uncertain, replaced)
    clusters = _clusters(current, forest, links)
    # A pair below the merge bar that other evidence joined anyway is no longer uncertain.
    uncertain = [u for u in uncertain if forest.find(u.a) != forest.find(u.b)]
    members = sorted({entry.listing.member for entry in entries})
    return CoalitionData(
        clusters=clusters,
        uncertain=sorted(uncertain, key=_link_order),
        datasets=chosen,
        members=members,
        renumbered=dict(sorted(replaced.items())),
    )


def party(data: CoalitionData, screener: Screener, name: str) -> list[Cluster]:
    """The cluster(s) of the listed party that best matches `name`.

    Every hit with the best score counts (one party listed by several members is one cluster;
    namesakes with the same score are several), in hit order.
    """
    result = screener.screen_query(Query(name=name, lists=data.datasets or None))
    if not result.hits:
        return []
    top = result.hits[0].score
    found: dict[str, Cluster] = {}
    for hit in result.hits:
        if hit.score < top:
            break
        cluster = data.cluster_of(f"{hit.dataset}:{hit.entry_id}")
        if cluster is not None:
            found.setdefault(cluster.id, cluster)
    return list(found.values())


# -- reading -----------------------------------------------------------------------------------


def chosen_datasets(store: ListStore, datasets: Iterable[str] | None) -> list[str]:
    loaded = {version.dataset for version in store.active_versions()}
    wanted = counted_datasets() if datasets is None else list(datasets)
    unknown = [name for name in wanted if name not in dataset_members()]
    if unknown:
        raise ValueError(f"unknown dataset(s): {', '.join(unknown)}")
    return [name for name in wanted if name in loaded]


def read_listings(store: ListStore, datasets: list[str]) -> list[ListingFacts]:
    """Every listing of `datasets` (active and delisted entries), sorted by key."""
    rows = dataset_members()
    entries: list[ListingFacts] = []
    for dataset in datasets:
        active = store.active_version(dataset)
        assert active is not None  # `chosen_datasets` keeps loaded datasets only
        spans = entry_spans(store, dataset)
        member = rows[dataset].member
        namespace = rows[dataset].entry_namespace
        documents: Iterator[IndexDocument] = store.index_documents(active.id)
        for document in documents:
            entries.append(_entry(document, member, namespace, spans.get(document.entry_id)))
        for document in delisted_documents(store, dataset):
            entries.append(_entry(document, member, namespace, spans.get(document.entry_id)))
    entries.sort(key=lambda entry: entry.listing.key)
    return entries


def _entry(
    document: IndexDocument, member: str, namespace: str, span: EntrySpan | None
) -> ListingFacts:
    listed_on, basis = _listing_date(document.listed_on, span)
    countries = {*document.nationalities, *document.citizenships, *document.countries}
    countries |= {address.country for address in document.addresses if address.country}
    identifiers: set[str] = set()
    linking: set[tuple[str, str]] = set()
    single: dict[str, set[str]] = defaultdict(set)
    for identifier in document.identifiers:
        kind = identifier.type
        value = normalize_identifier(identifier.value, kind.value)
        if not value:
            continue
        identifiers.add(f"{kind.value}:{value}")
        if kind in LINKING_IDENTIFIERS or (
            kind is IdentifierType.REGISTRATION_NUMBER and _GLOBAL_REGISTRATION.match(value)
        ):
            linking.add((kind.value, value))
        if kind.value in SINGLE_VALUED:
            single[kind.value].add(value)
    primary = document.primary_name
    primaries = [primary] + [
        n.full for n in document.names if n.kind is NameKind.PRIMARY and n.full != primary
    ]
    aliases = [
        n.full
        for n in document.names
        if n.kind is not NameKind.WEAK_ALIAS and n.full not in primaries
    ]
    years = sorted({year for date in document.birth_dates for year in date.years()})
    listing = Listing(
        source=document.source,
        member=member,
        dataset=document.dataset,
        entry_id=document.entry_id,
        name=primary,
        schema=document.schema_,
        programs=list(document.programs),
        listed_on=listed_on,
        date_basis=basis,
        delisted_on=span.delisted_on if span else None,
        first_seen=span.first_seen if span else None,
        absent_on=span.absent_on if span else None,
        countries=sorted(countries),
        identifiers=sorted(identifiers),
        aliases=list(dict.fromkeys(aliases)),
        birth_years=years,
    )
    return ListingFacts(listing, list(dict.fromkeys(primaries)), linking, dict(single), namespace)


def _listing_date(
    official: dt.date | None, span: EntrySpan | None
) -> tuple[dt.date | None, DateBasis]:
    if official is not None:
        return official, DateBasis.OFFICIAL
    if span is not None and span.absent_on is not None:
        return span.first_seen, DateBasis.FIRST_SEEN
    # In the oldest stored version: listed on or before it, nothing more is known.
    return None, DateBasis.UNKNOWN


# -- identifier links --------------------------------------------------------------------------


def _identifier_links(entries: list[ListingFacts]) -> Iterator[Link]:
    holders: dict[tuple[str, str], list[str]] = defaultdict(list)
    for entry in entries:
        for kind, value in entry.linking:
            holders[(kind, value)].append(entry.listing.key)
        if entry.namespace:
            holders[(entry.namespace, entry.listing.entry_id)].append(entry.listing.key)
    for (kind, value), keys in sorted(holders.items()):
        if not 1 < len(keys) <= MAX_HOLDERS:
            continue
        # A star from the smallest key: the cluster needs one path, the evidence names the value.
        first, *others = sorted(keys)
        for other in others:
            yield Link(
                a=first,
                b=other,
                method=LinkMethod.IDENTIFIER,
                evidence=f"{kind.replace('_', ' ')} {value}",
                score=1.0,
            )


# -- name links --------------------------------------------------------------------------------


def name_links(
    entries: list[ListingFacts],
    screener: Screener,
    datasets: list[str],
    *,
    workers: int = 1,
    progress: Progress | None = None,
) -> list[Link]:
    """The best compatible name link of each pair of listings scoring at least UNCERTAIN_BAR
    (merged or not: the caller compares the score with MERGE_BAR)."""
    by_key = {entry.listing.key: entry for entry in entries}
    # A pair needs screening from one side only (the scores are symmetric up to rounding), so
    # the largest dataset asks nothing and is found by the others' queries: 15,000 OFAC SDN
    # queries saved, at the price of name links inside that one dataset (OFAC lists a party
    # once per list; its SDN and non-SDN lists are linked by uid). Each distinct
    # (name, schema) is screened once: one party's name recurs across lists.
    sizes: dict[str, int] = defaultdict(int)
    for entry in entries:
        sizes[entry.listing.dataset] += 1
    silent = max(sorted(sizes), key=lambda dataset: sizes[dataset]) if len(sizes) > 1 else ""
    askers: dict[tuple[str, Schema], list[ListingFacts]] = defaultdict(list)
    for entry in entries:
        if entry.listing.dataset == silent:
            continue
        for name in entry.primary_names:
            askers[(name, entry.listing.schema_)].append(entry)
    # Names spelled apart only in case, accents or punctuation (SBERBANK, Sberbank) are one
    # query to the screener: screened once, answered for each spelling.
    asked = sorted(askers)
    query_of: dict[tuple[str, Schema], tuple[str, Schema]] = {}
    first_of: dict[Hashable, tuple[str, Schema]] = {}
    for name, schema in asked:
        query_of[(name, schema)] = first_of.setdefault(_query_facts(name, schema), (name, schema))
    queries = sorted(set(first_of.values()))
    answer_of = dict(zip(queries, _screen_all(screener, queries, datasets, workers), strict=True))
    best: dict[tuple[str, str], Link] = {}
    for done, (name, schema) in enumerate(asked, start=1):
        hits = answer_of[query_of[(name, schema)]]
        for entry in askers[(name, schema)]:
            for dataset, entry_id, matched, score in hits:
                other = by_key.get(f"{dataset}:{entry_id}")
                if other is None or other is entry:
                    continue
                a, b = sorted((entry.listing.key, other.listing.key))
                known = best.get((a, b))
                if (known is not None and known.score >= score) or name_conflict(entry, other):
                    continue
                best[(a, b)] = Link(
                    a=a,
                    b=b,
                    method=LinkMethod.NAME,
                    evidence=_name_evidence(name, matched, entry, other),
                    score=score,
                )
        if progress is not None and (done % 5000 == 0 or done == len(asked)):
            progress("names", done, len(asked))
    return sorted(best.values(), key=_link_order)


def _query_facts(name: str, schema: Schema) -> Hashable:
    """What the screener reads of a name-only query (`Screener.screen_query`: its tokens and
    the script's distinctive length): two names with the same facts get the same hits."""
    return (tokenize(name, schema), schema, distinctive_length(name))


Hits = list[tuple[str, str, str, float]]  # dataset, entry_id, matched name, score
_WORKER_STATE: tuple[Screener, list[str]] | None = None
_CHUNK = 200


def _screen_all(
    screener: Screener, queries: list[tuple[str, Schema]], datasets: list[str], workers: int
) -> list[Hits]:
    """The hits of each query, in query order: in this process, or in forked workers that
    share the loaded index (a fork copies nothing until written; `Screener.refresh` already
    froze the index out of the collector's reach)."""
    global _WORKER_STATE
    _WORKER_STATE = (screener, datasets)
    try:
        if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            return [_screen_one(query) for query in queries]
        context = multiprocessing.get_context("fork")
        with context.Pool(workers, initializer=_collect_own_objects_only) as pool:
            return pool.map(_screen_one, queries, chunksize=_CHUNK)
    finally:
        _WORKER_STATE = None


def _collect_own_objects_only() -> None:
    """In a forked worker: the objects inherited from the parent (the listings read, the
    index) are frozen out of the collector's reach, which then walks only the worker's own.
    Walking the inherited ones would also copy their memory pages into the worker."""
    gc.freeze()
    gc.enable()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while the clusters are built: they are hundreds of
    thousands of small objects, none of them garbage (freed by reference counting), and each
    full collection would walk them all again. The forked workers freeze what they inherit
    and collect only their own objects (`_collect_own_objects_only`)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _screen_one(query: tuple[str, Schema]) -> Hits:
    assert _WORKER_STATE is not None
    screener, datasets = _WORKER_STATE
    name, schema = query
    thresholds = Thresholds(match=MERGE_BAR, review=UNCERTAIN_BAR, report=UNCERTAIN_BAR)
    result = screener.screen_query(Query(name=name, type=schema, lists=datasets), thresholds)
    return [(h.dataset, h.entry_id, h.matched_name, round(h.score, 4)) for h in result.hits]


def name_conflict(one: ListingFacts, other: ListingFacts) -> str:
    """Why two listings with similar names cannot be one party; empty when they can."""
    a, b = one.listing, other.listing
    if a.schema_ is not b.schema_:
        return "schema"
    if a.schema_ is Schema.PERSON:
        if a.birth_years and b.birth_years and not set(a.birth_years) & set(b.birth_years):
            return "birth year"
    elif a.countries and b.countries and not set(a.countries) & set(b.countries):
        return "country"
    for kind in SINGLE_VALUED:
        mine, theirs = one.single.get(kind), other.single.get(kind)
        if mine and theirs and not mine & theirs:
            return kind
    if one.is_subsidiary() != other.is_subsidiary():
        return "subsidiary"
    named_a, named_b = one.countries_named(), other.countries_named()
    if named_a != named_b and (named_a - set(b.countries)) | (named_b - set(a.countries)):
        return "country named"
    return ""


def _names(listing: Listing) -> list[str]:
    return [listing.name, *listing.aliases]


def _named_countries(listing: Listing) -> set[str]:
    """Countries a listing's names name (SBERBANK (SWITZERLAND) AG: CH), organisations only."""
    if listing.schema_ is Schema.PERSON:
        return set()
    found: set[str] = set()
    for name in _names(listing):
        for word in _WORD.findall(name):
            code = to_iso2(word)
            if code is not None:
                found.add(code)
    return found


def _name_evidence(name: str, matched: str, one: ListingFacts, other: ListingFacts) -> str:
    evidence = f"name {name!r} ~ {matched!r}"
    years = sorted(set(one.listing.birth_years) & set(other.listing.birth_years))
    if years:
        evidence += (
            f" + birth {years[0]}" if len(years) == 1 else f" + birth {years[0]}-{years[-1]}"
        )
    countries = sorted(set(one.listing.countries) & set(other.listing.countries))
    if countries:
        evidence += f" + country {','.join(countries)}"
    return evidence


# -- clusters ----------------------------------------------------------------------------------


class _Forest:
    """Union-find over listing keys; the root of a tree is its smallest key (deterministic)."""

    def __init__(self, keys: list[str]) -> None:
        self.parent = {key: key for key in keys}

    def find(self, key: str) -> str:
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            low, high = sorted((ra, rb))
            self.parent[high] = low


def _clusters(by_key: dict[str, ListingFacts], forest: _Forest, links: list[Link]) -> list[Cluster]:
    grouped: dict[str, list[Listing]] = defaultdict(list)
    for key in sorted(by_key):
        grouped[forest.find(key)].append(by_key[key].listing)
    cluster_links: dict[str, list[Link]] = defaultdict(list)
    for link in sorted(links, key=_link_order):
        cluster_links[forest.find(link.a)].append(link)
    # The id is the smallest key still listed (a renumbered root key left the cluster).
    return sorted(
        (
            Cluster(id=listings[0].key, listings=listings, links=cluster_links.get(root, []))
            for root, listings in grouped.items()
        ),
        key=lambda cluster: cluster.id,
    )


def _link_order(link: Link) -> tuple[str, str, str, float]:
    return (link.a, link.b, link.method.value, -link.score)
