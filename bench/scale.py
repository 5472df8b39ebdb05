"""Batch throughput and memory on the real lists: ``--workers 1`` and ``--workers 2`` against
the bare screening loop in the same process, and what that means for 10 million rows.

Steps:

1. The store of bench/accuracy.py (OFAC SDN + non-SDN, UK OFSI, UN; cached in bench/.cache/)
   and its screener, index loaded once in this process (the workers fork from it).
2. A deterministic input of N rows (`write_rows`, seeded): name, type and country; one row in
   `LISTED_SHARE` is a variant of a listed name (bench/variants.py: exact, typo, reorder,
   initials, transliteration, legal form ...), the rest clean names recombined from faker's
   given names, surnames and companies in many locales, so that N can be millions of distinct
   names from a pool of a few thousand.
3. The baseline: ``screener.screen_query`` over the first `--baseline-rows` rows in a plain
   loop (no file, no runner): the matcher's own speed here and now, on a host that may be busy.
4. ``run_batch`` over all N rows for each worker count, JSONL output: rows/s (wall and per CPU
   second of parent and workers), the parent's RSS and each worker's RSS and PSS (from
   /proc/PID/smaps_rollup: PSS counts a page shared by k processes as 1/k) sampled as the run
   goes, at a quarter, half, three quarters and the end of the rows: flat memory shows as
   equal figures. The outputs of all worker counts are compared byte for byte.
5. The extrapolation: hours for 10M rows at the measured rates, and against the target of the
   issue (10M rows in under an hour: 2,800 rows/s).

    python bench/scale.py [--rows 100000] [--workers 1,2] [--seed 14] [--json FILE]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, this file's folder comes first on sys.path: put the project root there.
if sys.path and Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(ROOT)

import argparse  # noqa: E402
import csv  # noqa: E402
import filecmp  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from typing import Any  # noqa: E402

from bench.accuracy import CACHE, DEFAULT_LISTS, active_entries, prepare_store  # noqa: E402
from bench.variants import LABELLED_KINDS, NameBook, clean_cases, labelled_cases  # noqa: E402
from screening.batch.names import BatchOptions, Columns, build_query, run_batch  # noqa: E402
from screening.batch.runner import Scale  # noqa: E402
from screening.batch.workers import process_memory  # noqa: E402
from screening.matching.screener import Screener  # noqa: E402

LISTED_SHARE = 0.02  # rows that name a listed party (a variant of its name)
TARGET_ROWS = 10_000_000
TARGET_SECONDS = 3600.0
MATCHER_SPEEDUP = 2.5  # expected from the matcher work merged separately (issue 14 brief)
VARIANTS_PER_KIND = 200
CLEAN_PERSONS, CLEAN_COMPANIES = 3000, 1500


@dataclass(frozen=True)
class Pools:
    """What rows are drawn from: listed-name variants, clean name parts, companies."""

    listed: list[tuple[str, str]]  # (variant, schema)
    given: list[str]
    surnames: list[str]
    companies: list[str]


def make_pools(url: str, seed: int) -> Pools:
    listed_entries = active_entries(url)
    book = NameBook(listed_entries)
    listed: list[tuple[str, str]] = []
    for kind in LABELLED_KINDS:
        for case in labelled_cases(listed_entries, book, kind, VARIANTS_PER_KIND, seed):
            listed.append((case.query, case.schema or ""))
    clean, _ = clean_cases(book, seed, CLEAN_PERSONS, CLEAN_COMPANIES)
    given, surnames, companies = [], [], []
    for case in clean:
        if case.schema == "person" and " " in case.query:
            first, last = case.query.rsplit(" ", 1)
            given.append(first)
            surnames.append(last)
        elif case.schema != "person":
            companies.append(case.query)
    return Pools(listed, given, surnames, companies)


def write_rows(path: Path, rows: int, pools: Pools, seed: int) -> dict[str, int]:
    """N rows of name, type, country drawn with `seed`; returns how many of each sort."""
    chance = random.Random(seed)
    made = {"listed": 0, "person": 0, "company": 0}
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "type", "country"])
        for _ in range(rows):
            draw = chance.random()
            if draw < LISTED_SHARE:
                name, schema = chance.choice(pools.listed)
                writer.writerow([name, schema, ""])
                made["listed"] += 1
            elif draw < 0.7:
                name = f"{chance.choice(pools.given)} {chance.choice(pools.surnames)}"
                writer.writerow([name, "person", chance.choice(("GB", "DE", "FR", "US", ""))])
                made["person"] += 1
            else:
                writer.writerow([chance.choice(pools.companies), "organization", ""])
                made["company"] += 1
    return made


def _children() -> list[int]:
    pids = []
    for task in Path("/proc/self/task").iterdir():
        try:
            pids += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return pids


@dataclass
class MemoryTrace:
    """Memory sampled at each quarter of the rows: the parent's RSS, the workers' RSS/PSS."""

    total_rows: int
    marks: list[dict[str, Any]] = field(default_factory=list)
    next_mark: int = 1

    def __call__(self, _read: int, _total: int, rows: int) -> None:
        if rows < self.next_mark * self.total_rows // 4:
            return
        self.next_mark = rows * 4 // self.total_rows + 1
        parent = process_memory()
        workers = [m for pid in _children() if (m := process_memory(pid))]
        self.marks.append(
            {
                "rows": rows,
                "parent_rss_mib": _mib(parent.rss if parent else 0),
                "worker_rss_mib": [_mib(m.rss) for m in workers],
                "worker_pss_mib": [_mib(m.pss or 0) for m in workers],
                "total_pss_mib": _mib(
                    ((parent.pss or 0) if parent else 0) + sum(m.pss or 0 for m in workers)
                ),
            }
        )


def _mib(size: int) -> float:
    return round(size / 2**20, 1)


def _cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def baseline(screener: Screener, source: Path, rows: int) -> dict[str, Any]:
    with source.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = Columns(name="name", type="type", country="country")
        queries = [build_query(row, columns) for _, row in zip(range(rows), reader, strict=False)]
    started = time.perf_counter()
    for query in queries:
        screener.screen_query(query)
    seconds = time.perf_counter() - started
    return {
        "rows": len(queries),
        "seconds": round(seconds, 2),
        "rows_per_second": round(len(queries) / seconds),
    }


def batch(
    screener: Screener, source: Path, output: Path, rows: int, workers: int
) -> dict[str, Any]:
    trace = MemoryTrace(rows)
    cpu = _cpu_seconds()
    started = time.perf_counter()
    summary = run_batch(source, output, screener, BatchOptions(), trace, Scale(workers=workers))
    seconds = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu
    if summary.rows != rows:
        raise AssertionError(f"{summary.rows} records for {rows} rows")
    return {
        "workers": workers,
        "seconds": round(seconds, 1),
        "rows_per_second": round(rows / seconds),
        "rows_per_cpu_second": round(rows / cpu) if cpu else None,
        "cpu_seconds": round(cpu, 1),
        "decisions": summary.counts,
        "memory": trace.marks,
        "notes": summary.notes[1:],
        "hours_for_10m": round(TARGET_ROWS / (rows / seconds) / 3600, 2),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--workers", default="1,2", help="worker counts to run, comma-separated")
    parser.add_argument("--baseline-rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--db", help="store URL (default: bench/.cache/screening.db)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    CACHE.mkdir(parents=True, exist_ok=True)
    url = args.db or f"sqlite:///{CACHE / 'screening.db'}"
    prepare_store(url, DEFAULT_LISTS, CACHE)
    started = time.perf_counter()
    screener = Screener.open(url, index_dir=CACHE / "index")
    report: dict[str, Any] = {
        "rows": args.rows,
        "seed": args.seed,
        "cpus": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
        "index_open_seconds": round(time.perf_counter() - started, 1),
        "parent_rss_after_index_mib": _mib(m.rss if (m := process_memory()) else 0),
    }
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as folder:
        work = Path(folder)
        source = work / "rows.csv"
        started = time.perf_counter()
        report["input"] = write_rows(source, args.rows, make_pools(url, args.seed), args.seed)
        report["input"]["seconds"] = round(time.perf_counter() - started, 1)
        report["input"]["bytes"] = source.stat().st_size
        report["baseline"] = baseline(screener, source, args.baseline_rows)
        print(json.dumps({k: report[k] for k in ("input", "baseline")}), file=sys.stderr)
        runs = []
        for workers in (int(w) for w in args.workers.split(",")):
            runs.append(batch(screener, source, work / f"out-{workers}.jsonl", args.rows, workers))
            print(json.dumps(runs[-1]), file=sys.stderr)
        report["runs"] = runs
        outputs = [work / f"out-{run['workers']}.jsonl" for run in runs]
        report["outputs_identical"] = all(
            filecmp.cmp(outputs[0], other, shallow=False) for other in outputs[1:]
        )
    report["load_average_at_end"] = os.getloadavg()
    best = max(run["rows_per_second"] for run in runs)
    report["extrapolation"] = {
        "target_rows_per_second": round(TARGET_ROWS / TARGET_SECONDS),
        "best_rows_per_second": best,
        "hours_for_10m_rows": round(TARGET_ROWS / best / 3600, 2),
        f"hours_with_matcher_{MATCHER_SPEEDUP}x": round(
            TARGET_ROWS / (best * MATCHER_SPEEDUP) / 3600, 2
        ),
    }
    text = json.dumps(report, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
