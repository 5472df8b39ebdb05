"""Time to load the full OFAC SDN and UK lists into the store, on SQLite and PostgreSQL.

Each case loads into an empty database (a fresh SQLite file; the PostgreSQL test database with
its schema dropped), so every run measures a first load. The baseline in the same process is
reading the same file through the adapter alone (no database), which shows what the store adds.

    python bench/load.py [--lists ../shared/data/lists] [--postgres URL] [--json FILE]

PostgreSQL URL default: $COALITION_TEST_POSTGRES, else the one scripts/postgres.sh creates.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from lists import open_list
from screening.store import ListStore

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_LISTS = ROOT.parent / "shared" / "data" / "lists"
POSTGRES_DEFAULT = "postgresql+psycopg://coalition:coalition@127.0.0.1:5432/coalition_test"
FILES = ["ofac/sdn.csv", "uk/ConList.xlsx", "uk/derived/ConList.csv"]


def reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def time_parse(path: Path) -> tuple[float, int]:
    start = time.perf_counter()
    count = sum(1 for _ in open_list(path).entities())
    return time.perf_counter() - start, count


def time_load(url: str, path: Path) -> float:
    store = ListStore(url)  # migrates the empty database before the clock starts
    start = time.perf_counter()
    result = store.load(open_list(path))
    elapsed = time.perf_counter() - start
    assert result.status == "loaded"
    store.engine.dispose()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", type=Path, default=DEFAULT_LISTS)
    parser.add_argument(
        "--postgres", default=os.environ.get("COALITION_TEST_POSTGRES", POSTGRES_DEFAULT)
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    rows = []
    print(f"{'file':26} {'entities':>8} {'parse s':>8} {'sqlite s':>9} {'postgres s':>11}")
    for relative in FILES:
        path = args.lists / relative
        parse_seconds, count = time_parse(path)
        with tempfile.TemporaryDirectory() as tmp:
            sqlite_seconds = time_load(f"sqlite:///{tmp}/bench.db", path)
        reset_postgres(args.postgres)
        postgres_seconds = time_load(args.postgres, path)
        row = {
            "file": relative,
            "entities": count,
            "parse_seconds": round(parse_seconds, 2),
            "sqlite_seconds": round(sqlite_seconds, 2),
            "postgres_seconds": round(postgres_seconds, 2),
        }
        rows.append(row)
        print(
            f"{relative:26} {count:8d} {parse_seconds:8.2f} {sqlite_seconds:9.2f} "
            f"{postgres_seconds:11.2f}"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
