"""Precision and recall of the screener's cross-list links (``Hit.also_listed``).

    python bench/links.py [--json PATH]

Gold standard: two entries of different sources are one party when they carry the same UN
reference number (``IdentifierType.UN_REFERENCE``: the UN list's own REFERENCE_NUMBER, the
UK's "UN Ref", MOF's 国連参照番号, the EU's unitedNationId; OFAC, Canada, Australia, METI and
the CSL store none), written alike after upper-casing and dropping spaces and a final dot.

Circularity: the linker (`screening.matching.party_links.link_parties`) itself links on a shared
UN reference, so its links measured against that gold standard are right by construction.
This benchmark therefore builds the index a second time from the same entities **with every
UN reference removed** and measures the links the other evidence makes (other identifiers,
same name + birth year, same multi-word organisation name, and the transitive closure of
those): precision = linked pairs that are gold pairs / linked pairs *among entries that carry
a UN reference* (elsewhere the gold standard says nothing); recall = gold pairs linked / gold
pairs. Both with every list loaded (bench/matching.py's store) and per pair of sources.
The links made with the UN references are reported too, as counts only.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if sys.path and Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(ROOT)

import argparse  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import time  # noqa: E402
from collections import Counter, defaultdict  # noqa: E402
from collections.abc import Iterator, Sequence  # noqa: E402
from typing import Any  # noqa: E402

from bench.accuracy import CACHE, DEFAULT_LISTS  # noqa: E402
from bench.matching import prepare_all_lists  # noqa: E402
from lists.model import Entity, IdentifierType  # noqa: E402

Pair = tuple[tuple[str, str], tuple[str, str]]  # two (dataset, entry_id), sorted


def un_reference(value: str) -> str:
    return re.sub(r"\s+", "", value.upper()).rstrip(".")


def stored_entities(url: str) -> list[tuple[int, Entity]]:
    from screening.store import ListStore

    store = ListStore(url)
    entities = [(v.id, e) for v in store.active_versions() for e in store.entities(v.id)]
    store.engine.dispose()
    return entities


def gold_pairs(entities: Sequence[tuple[int, Entity]]) -> tuple[set[Pair], set[tuple[str, str]]]:
    """Cross-source pairs sharing a UN reference, and the entries that carry one."""
    holders: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
    for _, entity in entities:
        for identifier in entity.identifiers:
            if identifier.type is IdentifierType.UN_REFERENCE:
                holders[un_reference(identifier.value)].add(
                    (entity.source.value, entity.dataset, entity.entry_id)
                )
    pairs: set[Pair] = set()
    for group in holders.values():
        for a in group:
            for b in group:
                if a[0] != b[0] and a[1:] < b[1:]:
                    pairs.add((a[1:], b[1:]))
    carriers = {member[1:] for group in holders.values() for member in group}
    return pairs, carriers


def without_un_references(entities: Sequence[tuple[int, Entity]]) -> Iterator[tuple[int, Entity]]:
    for version, entity in entities:
        kept = [i for i in entity.identifiers if i.type is not IdentifierType.UN_REFERENCE]
        yield version, entity.model_copy(update={"identifiers": kept})


def linked_pairs(entities: Iterator[tuple[int, Entity]]) -> tuple[set[Pair], Counter[str], float]:
    """The index's cross-list links as entry pairs, why they were made, and the build time."""
    from screening.matching.index import build_index

    start = time.perf_counter()
    index = build_index(entities, "links-benchmark", built_from=())
    seconds = time.perf_counter() - start
    pairs: set[Pair] = set()
    reasons: Counter[str] = Counter()
    for a, linked in index.links.items():
        ea = index.entities[a]
        for b, why in linked.items():
            eb = index.entities[b]
            pair = tuple(sorted([(ea.dataset, ea.entry_id), (eb.dataset, eb.entry_id)]))
            if pair not in pairs:
                pairs.add(pair)  # type: ignore[arg-type]
                reasons[" ".join(why.split()[:2])] += 1  # "same imo", "same name", "linked through"
    return pairs, reasons, seconds


def source_of(dataset: str) -> str:
    from lists.datasets import BY_ID

    return BY_ID[dataset].source.value


def per_source_pair(gold: set[Pair], linked: set[Pair]) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = defaultdict(lambda: {"gold": 0, "found": 0, "linked": 0})
    for pair in gold | linked:
        key = "-".join(sorted(source_of(d) for d, _ in pair))
        row = table[key]
        row["gold"] += pair in gold
        row["linked"] += pair in linked
        row["found"] += pair in gold and pair in linked
    return dict(sorted(table.items()))


def measure(url: str) -> dict[str, Any]:
    entities = stored_entities(url)
    gold, carriers = gold_pairs(entities)
    with_refs, reasons_with, build_with = linked_pairs(iter(entities))
    other, reasons_other, _ = linked_pairs(without_un_references(entities))
    # Only pairs whose both entries carry a UN reference can be judged against the gold.
    judged = {p for p in other if p[0] in carriers and p[1] in carriers}
    found = gold & other
    rows = per_source_pair(gold, judged)
    return {
        "entities": len(entities),
        "entries_with_un_reference": len(carriers),
        "gold_pairs": len(gold),
        "links_with_un_references": {
            "pairs": len(with_refs),
            "gold_pairs_linked": len(gold & with_refs),
            "reasons": dict(reasons_with.most_common()),
            "index_build_seconds": build_with,
        },
        "links_by_other_evidence": {
            "pairs": len(other),
            "pairs_judged": len(judged),
            "correct": len(judged & gold),
            "precision": len(judged & gold) / len(judged) if judged else None,
            "recall": len(found) / len(gold) if gold else None,
            "reasons": dict(reasons_other.most_common()),
            "wrong_examples": sorted(judged - gold)[:10],
            "missed_examples": sorted(gold - other)[:10],
        },
        "per_source_pair": rows,
    }


def print_report(report: dict[str, Any]) -> None:
    other = report["links_by_other_evidence"]
    print(
        f"{report['entities']} entries, {report['entries_with_un_reference']} carry a UN "
        f"reference; {report['gold_pairs']} cross-list pairs share one (gold)."
    )
    print(
        f"links with UN references: {report['links_with_un_references']['pairs']} pairs, "
        f"{report['links_with_un_references']['gold_pairs_linked']} of the gold pairs"
    )
    precision, recall = other["precision"], other["recall"]
    print(
        f"links by other evidence: {other['pairs']} pairs, {other['pairs_judged']} between "
        f"entries with a UN reference, {other['correct']} right: precision "
        f"{precision * 100 if precision is not None else float('nan'):.1f} %, recall "
        f"{recall * 100 if recall is not None else float('nan'):.1f} %"
    )
    print("\n| sources | gold pairs | linked (judged) | right | precision | recall |")
    print("|---|---|---|---|---|---|")
    for key, row in report["per_source_pair"].items():
        p = f"{row['found'] / row['linked'] * 100:.1f} %" if row["linked"] else "–"
        r = f"{row['found'] / row['gold'] * 100:.1f} %" if row["gold"] else "–"
        print(f"| {key} | {row['gold']} | {row['linked']} | {row['found']} | {p} | {r} |")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--lists", type=Path, default=DEFAULT_LISTS)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    CACHE.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{CACHE / 'matching-all.db'}"
    prepare_all_lists(url, args.lists, CACHE)
    report = measure(url)
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=list))
    return 0


if __name__ == "__main__":
    sys.exit(main())
