"""Scale of the Spark engine: rows/s and peak memory of ``coalition batch`` local vs Spark.

The same N rows go through ``coalition batch`` (the local engine, one process) and through
``coalition batch --engine spark --master local[2]`` in the same run, each as a subprocess:
wall time (start-up included), rows/s, peak memory (the sum of the resident sizes of the whole
process tree — JVM, Python workers — sampled every 0.2 s from /proc) and the extrapolation to
10 million rows at the measured rate. Both must agree on every decision (checked).

The rows are generated deterministically (``--seed``): one row in ten is a listed name from
the store (as listed, upper-cased, surname first or one letter dropped), the others are clean
names from Faker (people and companies, several locales) with a country.

The store is the accuracy benchmark's (OFAC SDN + non-SDN, UK OFSI, UN; bench/accuracy.py),
cached in bench/.cache/spark.db; the index is built once before the timed runs.

    python bench/spark.py [--rows 100000] [--master local[2]] [--seed 14] [--json FILE]
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
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import subprocess  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from dataclasses import asdict, dataclass  # noqa: E402

from faker import Faker  # noqa: E402

from bench.accuracy import CACHE, DEFAULT_LISTS, prepare_store  # noqa: E402

TEN_MILLION = 10_000_000
PAGE = os.sysconf("SC_PAGE_SIZE")


def _variant(name: str, rng: random.Random) -> str:
    words = name.split()
    kind = rng.randrange(4)
    if kind == 1:
        return name.upper()
    if kind == 2 and len(words) > 1:
        return f"{words[-1]}, {' '.join(words[:-1])}"
    if kind == 3:
        longest = max(words, key=len)
        if len(longest) > 4:
            cut = rng.randrange(1, len(longest) - 1)
            return name.replace(longest, longest[:cut] + longest[cut + 1 :], 1)
    return name


def listed_names(url: str, limit: int = 20_000) -> list[tuple[str, str]]:
    """(name, schema) of the store's active entries, in store order, at most `limit`."""
    from screening.store import ListStore

    store = ListStore(url)
    names: list[tuple[str, str]] = []
    for version in store.active_versions():
        for entity in store.entities(version.id):
            names.append((entity.primary_name, entity.schema_.value))
            if len(names) >= limit:
                return names
    return names


def write_rows(path: Path, rows: int, listed: list[tuple[str, str]], seed: int) -> Path:
    """N rows: one in ten a (varied) listed name, the rest clean Faker names, seeded."""
    rng = random.Random(seed)
    fake = Faker(["en_GB", "de_DE", "fr_FR", "es_ES", "it_IT"])
    fake.seed_instance(seed)
    countries = ["GB", "DE", "FR", "ES", "IT", "US", "NL", "CH"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "type", "country"])
        for number in range(1, rows + 1):
            if number % 10 == 0:
                name, schema = listed[rng.randrange(len(listed))]
                writer.writerow([number, _variant(name, rng), schema, ""])
            elif number % 4 == 0:
                writer.writerow([number, fake.company(), "organization", rng.choice(countries)])
            else:
                writer.writerow([number, fake.name(), "person", rng.choice(countries)])
    return path


def _tree_rss(root: int) -> int:
    """Resident bytes of `root` and every descendant (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry)
        children.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = int(fields[21]) * PAGE
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


@dataclass
class Measured:
    engine: str
    rows: int
    seconds: float
    rows_per_second: float  # over the whole run, start-up included
    screening_rows_per_second: float  # as the command reports it: start-up excluded
    peak_rss_mb: float
    ten_million_hours: float  # start-up once, then every row at the screening rate
    exit_code: int


def measure(engine: str, command: list[str], rows: int, env: dict[str, str]) -> Measured:
    """Run `command`, sampling the process tree's memory until it ends."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peak = 0

    def sample() -> None:
        nonlocal peak
        while process.poll() is None:
            peak = max(peak, _tree_rss(process.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    seconds = time.perf_counter() - started
    sampler.join()
    text = output.decode(errors="replace")
    print("\n".join(text.strip().splitlines()[-6:]), file=sys.stderr)
    reported = re.search(r"elapsed [\d.]+ s, ([\d,]+) rows/s", text)
    screening = float(reported.group(1).replace(",", "")) if reported else rows / seconds
    start_up = max(seconds - rows / screening, 0.0)
    hours = (start_up + TEN_MILLION / screening) / 3600
    return Measured(
        engine,
        rows,
        seconds,
        rows / seconds,
        screening,
        peak / 2**20,
        hours,
        process.returncode,
    )


def decisions(path: Path) -> list[str]:
    if path.suffix == ".parquet":
        import pandas as pd

        return [str(value) for value in pd.read_parquet(path, columns=["decision"])["decision"]]
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [row["decision"] for row in csv.DictReader(handle)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--db", help="store URL (default: bench/.cache/spark.db)")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()

    CACHE.mkdir(parents=True, exist_ok=True)
    url = args.db or f"sqlite:///{CACHE / 'spark.db'}"
    prepare_store(url, DEFAULT_LISTS, CACHE)
    env = {**os.environ, "COALITION_DB": url, "COALITION_INDEX_DIR": str(CACHE / "index")}
    work = CACHE / "spark-run"
    work.mkdir(exist_ok=True)
    source = write_rows(work / f"rows-{args.rows}.csv", args.rows, listed_names(url), args.seed)
    # The index is built (and cached) here, so that neither timed run pays for it.
    warm = work / "warm.csv"
    warm.write_text("name\nwarm up\n", encoding="utf-8")
    cli = [sys.executable, "-m", "cli", "batch"]
    subprocess.run([*cli, str(warm), "--out", str(work / "warm.jsonl")], env=env, check=True)

    local_out, spark_out = work / "local.csv", work / "spark.csv"
    local_run = [*cli, str(source), "--out", str(local_out)]
    spark_run = [*cli, str(source), "--engine", "spark", "--master", args.master]
    results = [
        measure("local (one process)", local_run, args.rows, env),
        measure(f"spark {args.master}", [*spark_run, "--out", str(spark_out)], args.rows, env),
    ]
    same = decisions(local_out) == decisions(spark_out)
    print(f"{args.rows:,} rows; decisions identical: {same}")
    print(
        f"{'engine':<22} {'seconds':>9} {'rows/s':>9} {'screening':>10} {'peak MB':>9} "
        f"{'10M rows, h':>12}"
    )
    for result in results:
        print(
            f"{result.engine:<22} {result.seconds:>9.1f} {result.rows_per_second:>9,.0f} "
            f"{result.screening_rows_per_second:>10,.0f} {result.peak_rss_mb:>9,.0f} "
            f"{result.ten_million_hours:>12.1f}"
        )
    if args.json:
        figures = {"rows": args.rows, "same_decisions": same, "runs": [asdict(r) for r in results]}
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0 if same and all(r.exit_code in (0, 4) for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
