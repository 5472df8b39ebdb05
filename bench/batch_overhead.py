"""Speed of the batch runner itself: rows/s of `run_batch` with a screener that costs nothing.

The screener answers every row with one prebuilt CLEAR result, so what is timed is the batch
overhead alone: reading and decoding the CSV, building each query, writing one JSONL record per
row, counting and progress. The baseline in the same run is the cheapest full pass over the same
rows: `csv.DictReader` over the file and one `json.dumps` line written per row. The real
screener is far slower per row than either, so this answers "how much of a batch is the batch".

The input is the one the unit tests use (tests/screening/batch/test_runner.py, `big_input`):
N rows of name, type, country, birth date and account. Each side runs `--repeat` times and the
best run counts, which keeps a busy machine's noise out of the figure.

    python bench/batch_overhead.py [--rows 100000] [--repeat 3] [--json FILE]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lists.model import Source
from screening.batch.names import run_batch
from screening.matching.results import (
    Decision,
    ListVersionRef,
    Query,
    ScreeningResult,
    Thresholds,
)


class ClearScreener:
    """One prebuilt CLEAR answer for every query: only the batch overhead is left to time."""

    def __init__(self) -> None:
        version = ListVersionRef(
            source=Source.UN, dataset="un_sc", version_id=1, published_on=dt.date(2026, 5, 8)
        )
        self._result = ScreeningResult(
            query=Query(name="x"),
            decision=Decision.CLEAR,
            hits=[],
            list_versions=[version],
            thresholds=Thresholds(),
        )

    def screen_query(self, query: Query, thresholds: Thresholds | None = None) -> ScreeningResult:
        return self._result


def write_input(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["customer_name", "type", "country", "dob", "account"])
        for i in range(rows):
            writer.writerow([f"Customer {i} Müller", "person", "DE", "1970-01-01", f"A{i:08d}"])
    return path


def baseline(source: Path, output: Path) -> int:
    """The cheapest full read-and-write of the same rows; returns the row count."""
    count = 0
    with (
        source.open(encoding="utf-8", newline="") as handle,
        output.open("w", encoding="utf-8") as out,
    ):
        for row in csv.DictReader(handle):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count


def runner(source: Path, output: Path) -> int:
    summary = run_batch(source, output, ClearScreener())
    if summary.rows != summary.counts["clear"]:
        raise AssertionError(f"{summary.rows} rows, {summary.counts} decisions")
    return summary.rows


def best_rate(step: Callable[[Path, Path], int], source: Path, work: Path, repeat: int) -> float:
    """Rows per second of the fastest of `repeat` runs of `step`."""
    best = 0.0
    for attempt in range(repeat):
        output = work / f"{step.__name__}-{attempt}.jsonl"
        started = time.perf_counter()
        rows = step(source, output)
        seconds = time.perf_counter() - started
        output.unlink()
        best = max(best, rows / seconds)
    return best


def measure(rows: int, repeat: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="batch-overhead-") as folder:
        work = Path(folder)
        source = write_input(work / "in.csv", rows)
        plain = best_rate(baseline, source, work, repeat)
        batch = best_rate(runner, source, work, repeat)
    return {
        "rows": rows,
        "repeat": repeat,
        "baseline_rows_per_second": round(plain),
        "runner_rows_per_second": round(batch),
        "runner_seconds_per_100k_rows": round(100_000 / batch, 2),
        "runner_vs_baseline": round(plain / batch, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    figures = measure(args.rows, args.repeat)
    plain, batch = figures["baseline_rows_per_second"], figures["runner_rows_per_second"]
    print(
        f"{figures['rows']} rows, best of {figures['repeat']}:\n"
        f"  baseline (csv.DictReader + json.dumps)  {plain:>9} rows/s\n"
        f"  run_batch, zero-cost screener           {batch:>9} rows/s"
        f"  ({figures['runner_vs_baseline']}x the baseline's time)"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
