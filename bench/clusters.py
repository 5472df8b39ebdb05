"""Precision and recall of the coalition clusters' name linker, and the cost of the clustering.

    python bench/clusters.py [--json PATH] [--sample PATH]

Gold standard: two listings are one party when they carry the same UN reference number or the
same IMO number (`Listing.identifiers`, normalised as the index normalises them), held by at
most `MAX_HOLDERS` listings. The name linker (`clusters.name_links`) is run with those two
identifier types hidden from its compatibility rules (a differing IMO or UN reference blocks a
name link, which would make the measure circular), then measured only among listings that carry
one of them (elsewhere the gold standard says nothing):

- precision = merged name links (score >= MERGE_BAR) joining two gold-equal listings / merged
  name links between carriers;
- recall = gold pairs joined by a merged name link / gold pairs (direct links), and the same
  through chains of name links (components).

The store is bench/matching.py's (every complete list: OFAC SDN + non-SDN, UK, UN, Canada,
Australia, Japan MOF and METI, the CSL excerpt), or ``--db``. ``--sample`` writes a
deterministic sample (seed 13) of 100 name links the clustering merged;
tests/screening/coalition/analytics/fixtures/name_links_checked.csv holds the sample drawn
from the tests' store (``--db`` of a store loaded by that package's conftest `load_lists`),
with a verdict per pair.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if sys.path and Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(ROOT)

import argparse  # noqa: E402
import csv  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import time  # noqa: E402
from collections import Counter, defaultdict  # noqa: E402
from dataclasses import replace  # noqa: E402
from typing import Any  # noqa: E402

from bench.accuracy import CACHE, DEFAULT_LISTS  # noqa: E402
from bench.matching import prepare_all_lists  # noqa: E402
from screening.coalition.analytics.clusters import (  # noqa: E402
    MAX_HOLDERS,
    MERGE_BAR,
    REPORT_ONLY,
    ListingFacts,
    build_coalition,
    chosen_datasets,
    name_links,
    read_listings,
)
from screening.coalition.analytics.model import (  # noqa: E402
    CoalitionData,
    Link,
    LinkMethod,
    Listing,
)

GOLD_TYPES = ("un_reference", "imo")
SAMPLE_SIZE = 100
SAMPLE_SEED = 13


def gold_pairs(listings: list[Listing]) -> tuple[set[tuple[str, str]], set[str]]:
    """Pairs of listing keys sharing a UN reference or an IMO number, and the carriers."""
    holders: dict[str, set[str]] = defaultdict(set)
    for listing in listings:
        for identifier in listing.identifiers:
            if identifier.split(":", 1)[0] in GOLD_TYPES:
                holders[identifier].add(listing.key)
    pairs: set[tuple[str, str]] = set()
    carriers: set[str] = set()
    for keys in holders.values():
        carriers |= keys
        if 1 < len(keys) <= MAX_HOLDERS:
            ordered = sorted(keys)
            pairs |= {(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :]}
    return pairs, carriers


def hidden(facts: list[ListingFacts]) -> list[ListingFacts]:
    """The listings with the gold identifier types removed from the compatibility rules."""
    return [
        replace(f, single={k: v for k, v in f.single.items() if k not in GOLD_TYPES}) for f in facts
    ]


def components(links: list[Link]) -> dict[str, str]:
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for link in links:
        ra, rb = find(link.a), find(link.b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {key: find(key) for key in list(parent)}


def gold_figures(facts: list[ListingFacts], links: list[Link]) -> dict[str, Any]:
    gold, carriers = gold_pairs([f.listing for f in facts])
    schemas = {f.listing.key: f.listing.schema_ for f in facts}
    merged = [
        link for link in links if link.score >= MERGE_BAR and schemas[link.a] not in REPORT_ONLY
    ]
    judged = [link for link in merged if link.a in carriers and link.b in carriers]
    right = [link for link in judged if (link.a, link.b) in gold]
    direct = {(link.a, link.b) for link in merged}
    roots = components(merged)
    chained = sum(1 for a, b in gold if a in roots and roots.get(a) == roots.get(b))
    return {
        "gold_pairs": len(gold),
        "carriers": len(carriers),
        "merged_links_between_carriers": len(judged),
        "precision": len(right) / len(judged) if judged else None,
        "recall_direct": len(gold & direct) / len(gold) if gold else None,
        "recall_chained": chained / len(gold) if gold else None,
        "wrong_examples": [
            f"{link.a} | {link.b} | {link.evidence} | {link.score}"
            for link in judged
            if (link.a, link.b) not in gold
        ][:15],
    }


def write_sample(path: Path, data: CoalitionData) -> int:
    """100 of the name links the clustering merged, drawn with a fixed seed, with both
    listings' facts for a reader to judge."""
    by_key = {x.key: x for cluster in data.clusters for x in cluster.listings}
    merged = sorted(
        (link for c in data.clusters for link in c.links if link.method is LinkMethod.NAME),
        key=lambda x: (x.a, x.b),
    )
    chosen = random.Random(SAMPLE_SEED).sample(merged, min(SAMPLE_SIZE, len(merged)))
    chosen.sort(key=lambda x: (x.a, x.b))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["a", "b", "score", "evidence", "a_facts", "b_facts"])
        for link in chosen:
            writer.writerow(
                [
                    link.a,
                    link.b,
                    link.score,
                    link.evidence,
                    describe(by_key[link.a]),
                    describe(by_key[link.b]),
                ]
            )
    return len(chosen)


def describe(listing: Listing) -> str:
    return (
        f"{listing.name} | aka {'; '.join(listing.aliases[:6])} | {listing.schema_.value} | "
        f"born {listing.birth_years[:3]} | {','.join(listing.countries)} | "
        f"{' '.join(listing.identifiers[:6])} | {' '.join(listing.programs[:3])}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lists", type=Path, default=DEFAULT_LISTS)
    parser.add_argument("--db", help="a store URL (default: bench/matching.py's store)")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--sample", type=Path, help="write the 100-link sample here")
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()

    from screening.matching.screener import Screener
    from screening.store import ListStore

    url = args.db
    if url is None:
        CACHE.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{CACHE / 'matching-all.db'}"
        prepare_all_lists(url, args.lists, CACHE)
    store = ListStore(url)
    start = time.perf_counter()
    screener = Screener(store, index_dir=CACHE / "index-clusters")
    open_seconds = time.perf_counter() - start

    start = time.perf_counter()
    data = build_coalition(store, screener, workers=args.workers)
    build_seconds = time.perf_counter() - start
    per_member: Counter[str] = Counter()
    for cluster in data.clusters:
        for member in cluster.members:
            per_member[member] += 1

    datasets = chosen_datasets(store, None)
    facts = read_listings(store, datasets)
    workers = args.workers if args.workers is not None else 2
    blind = name_links(hidden(facts), screener, datasets, workers=workers)
    report: dict[str, Any] = {
        "screener_open_seconds": round(open_seconds, 1),
        "build_coalition_seconds": round(build_seconds, 1),
        "listings": sum(len(c.listings) for c in data.clusters),
        "clusters": len(data.clusters),
        "clusters_per_member": dict(sorted(per_member.items())),
        "multi_member_clusters": sum(1 for c in data.clusters if len(c.members) > 1),
        "uncertain": len(data.uncertain),
        "merge_bar": MERGE_BAR,
        "gold": gold_figures(facts, blind),
    }
    if args.sample:
        report["sample_written"] = write_sample(args.sample, data)
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
