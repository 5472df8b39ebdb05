"""Listed names inside payment free text: false alerts on clean texts, recall on embedded names.

One process, single thread. Steps:

1. Load OFAC SDN + non-SDN, the UK OFSI Consolidated List and the UN Consolidated List into
   the benchmark's SQLite store (bench/.cache, shared with bench/accuracy.py) and open a
   screener (its index is cached in bench/.cache/index-textscan).
2. Make, with a seeded faker, --clean realistic remittance texts with no listed party in them
   (invoices, salaries, rent, goods descriptions, company and person names, IBANs, random
   BICs, MT-style /INV/ /ROC/ codes) and --embedded texts, each carrying the primary name of
   a listed entry drawn at random (people, organizations and vessels) inside the same kinds
   of text, written bare (a vessel too: "PAYMENT TO AMBER INV 1", which the scan reports only
   after a ship prefix such as MV, so one-word vessel names count as misses here).
3. Scan every text (`Screener.scan_text`) and print the clean-text alert rate (any text hit),
   the recall (the drawn entry, or an entry linked to it, among the text hits) with the misses
   by type of party, texts/s, and the false alerts and misses.

    python bench/textscan.py [--clean 2000] [--embedded 300] [--seed 12] [--db URL] [--json PATH]

Exit status 0 when both targets are met (clean alerts <= 1 %, recall >= 95 %), else 1.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, this file's folder comes first on sys.path: put the project root there.
if sys.path and Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(ROOT)

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass  # noqa: E402

from faker import Faker  # noqa: E402

from bench.accuracy import CACHE, DEFAULT_LISTS, active_entries, prepare_store  # noqa: E402
from bench.variants import Listed  # noqa: E402
from screening import Screener  # noqa: E402
from screening.matching.textscan import TextHit  # noqa: E402

TARGETS = {"clean_alert": 0.01, "recall": 0.95}
LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "nl_NL", "it_IT")
MONTHS = "JANUARY FEBRUARY MARCH APRIL MAY JUNE JULY AUGUST SEPTEMBER OCTOBER NOVEMBER DECEMBER"


@dataclass
class Sample:
    text: str
    expected: tuple[str, str] | None  # (source, entry_id) of the embedded listed entry


def clean_text(fake: Faker, rng: random.Random) -> str:
    """One remittance text as banks' customers write them, with no listed party on purpose."""
    month = rng.choice(MONTHS.split())
    number = str(rng.randint(100, 9_999_999))
    templates: list[Callable[[], str]] = [
        lambda: f"INVOICE {number} PAYMENT FOR GOODS",
        lambda: f"SALARY {month} {rng.randint(2019, 2026)}",
        lambda: f"RENT {month} {fake.street_address()}",
        lambda: f"/INV/{number}/{fake.date(pattern='%Y%m%d')}",
        lambda: f"PAYMENT FOR {fake.bs()} ORDER {number}",
        lambda: f"{fake.company()} INV {number} DD {fake.date()}",
        lambda: f"CONSULTING SERVICES Q{rng.randint(1, 4)} {fake.company()}",
        lambda: f"/ROC/{number} /INS/{fake.swift(length=rng.choice((8, 11)))}",
        lambda: f"REFUND ORDER {number} {fake.name()}",
        lambda: f"{fake.catch_phrase()} - INVOICE {number}",
        lambda: f"IBAN {fake.iban()} {fake.name()} {month} RENT",
        lambda: f"PURCHASE OF {rng.randint(2, 900)} {fake.word()} {fake.word()} PO {number}",
        lambda: f"TUITION FEES {fake.first_name()} {fake.last_name()} TERM {rng.randint(1, 3)}",
        lambda: f"/BENEFRES/{fake.country_code()}//{fake.company()} {fake.city()}",
        lambda: f"LOAN REPAYMENT CONTRACT {number} {fake.company()}",
        lambda: f"{fake.sentence(nb_words=8)}",
    ]
    text = rng.choice(templates)()
    return text.upper() if rng.random() < 0.6 else text


def embedded_text(name: str, fake: Faker, rng: random.Random) -> str:
    """A remittance text that names a listed party."""
    number = str(rng.randint(100, 9_999_999))
    templates = [
        f"PAYMENT TO {name} INV {number}",
        f"/INV/{number} {name}",
        f"FAO {name} RE ORDER {number}",
        f"{name} {fake.street_address()}",
        f"SETTLEMENT OF INVOICE {number} ISSUED BY {name}",
        f"ON BEHALF OF {name} FOR {fake.bs()}",
    ]
    text = rng.choice(templates)
    return text.upper() if rng.random() < 0.6 else text


def make_samples(entries: list[Listed], clean: int, embedded: int, seed: int) -> list[Sample]:
    rng = random.Random(seed)
    fakers = [Faker(locale) for locale in LOCALES]
    for number, fake in enumerate(fakers):
        fake.seed_instance(seed + number)
    samples = [Sample(clean_text(rng.choice(fakers), rng), None) for _ in range(clean)]
    usable = [e for e in entries if e.base is not None]
    for entry in rng.sample(usable, embedded):
        assert entry.base is not None
        text = embedded_text(entry.base.full, rng.choice(fakers), rng)
        samples.append(Sample(text, (entry.source, entry.entry_id)))
    return samples


def found(expected: tuple[str, str], hits: list[TextHit]) -> bool:
    for text_hit in hits:
        hit = text_hit.hit
        if (hit.source.value, hit.entry_id) == expected:
            return True
        if any((r.source.value, r.entry_id) == expected for r in hit.also_listed):
            return True
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clean", type=int, default=2000)
    parser.add_argument("--embedded", type=int, default=300)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--db", default=f"sqlite:///{CACHE / 'screening.db'}")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    CACHE.mkdir(parents=True, exist_ok=True)
    prepare_store(args.db, DEFAULT_LISTS, CACHE)
    screener = Screener.open(args.db, index_dir=CACHE / "index-textscan")
    entries = active_entries(args.db)
    schema_of = {(e.source, e.entry_id): e.schema for e in entries}
    samples = make_samples(entries, args.clean, args.embedded, args.seed)

    start = time.perf_counter()
    results = [(sample, screener.scan_text(sample.text)) for sample in samples]
    seconds = time.perf_counter() - start

    false_alerts = [(s, h) for s, h in results if s.expected is None and h]
    misses = [(s, h) for s, h in results if s.expected is not None and not found(s.expected, h)]
    clean_rate = len(false_alerts) / max(args.clean, 1)
    recall = 1 - len(misses) / max(args.embedded, 1)
    report = {
        "clean_texts": args.clean,
        "clean_alert_rate": clean_rate,
        "embedded_texts": args.embedded,
        "recall": recall,
        "texts_per_second": len(samples) / seconds,
        "missed_by_schema": dict(Counter(schema_of[s.expected] for s, _ in misses if s.expected)),
        "embedded_by_schema": dict(Counter(schema_of[s.expected] for s in samples if s.expected)),
    }
    print(f"clean texts     {args.clean:6d}   alerting {clean_rate:6.2%}   target <= 1%")
    print(f"embedded names  {args.embedded:6d}   found    {recall:6.2%}   target >= 95%")
    print(f"speed           {report['texts_per_second']:.0f} texts/s, single thread")
    print(f"embedded by type {report['embedded_by_schema']}, missed {report['missed_by_schema']}")
    print("\nfalse alerts (text; what was found):")
    for sample, hits in false_alerts:
        shown = "; ".join(
            f"{h.kind} {h.matched_text!r} -> {h.hit.name} {h.hit.score}" for h in hits
        )
        print(f"  {sample.text!r}\n      {shown}")
    print("\nmisses (text; expected; what was found):")
    for sample, hits in misses:
        shown = "; ".join(f"{h.matched_text!r} -> {h.hit.entry_id}" for h in hits) or "nothing"
        print(f"  {sample.text!r}  {sample.expected}\n      {shown}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    met = clean_rate <= TARGETS["clean_alert"] and recall >= TARGETS["recall"]
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
