"""The Spark engine on local[2] against the local batch, on the real UN list.

Every comparison runs the same rows through the local batch (`run_batch`, `run_tx_batch`) and
through Spark, and asks for the same records: decision, score, hits or flags, cell for cell.
The rows are 160 listed UN names read from the store (80 as listed, 80 as variants: upper case,
surname first, one letter dropped), 160 clean names from Faker (seeded) and four rows that
cannot be screened; the transactions put listed and clean names in their parties.

One SparkSession (local[2]) serves the whole module. Without PySpark or Java the tests skip,
unless COALITION_REQUIRE_SPARK=1 (set by .ci/run), where a missing engine fails the run.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from faker import Faker

from lists import open_list
from screening.batch.names import run_batch
from screening.batch.spark import screen_names, screen_transactions, ship_index
from screening.batch.spark_run import read_input, run_spark_batch
from screening.batch.transactions import run_tx_batch
from screening.coalition.profiles import resolve_profile
from screening.matching.screener import Screener
from screening.store import ListStore
from tests.screening.batch.support import write_rows

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

REQUIRED = os.environ.get("COALITION_REQUIRE_SPARK") == "1"
LISTED = 160
CLEAN = 160


def _unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"COALITION_REQUIRE_SPARK=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        _unavailable(f"PySpark is not installed ({exc}): pip install -e '.[spark]'")
    try:
        session = (
            SparkSession.builder.master("local[2]")
            .appName("coalition tests")
            .config("spark.ui.enabled", "false")
            .config("spark.pyspark.python", sys.executable)  # the workers run this interpreter
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .getOrCreate()
        )
    except Exception as exc:  # no Java, no gateway: the message is the point
        _unavailable(f"Spark cannot start ({type(exc).__name__}: {exc})")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def un(shared_lists: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    folder = tmp_path_factory.mktemp("spark-un")
    url = f"sqlite:///{folder / 'un.db'}"
    ListStore(url).load(open_list(shared_lists / "un" / "consolidated.xml"))
    return url, folder / "index"


def _variant(name: str, number: int) -> str:
    words = name.split()
    if number % 3 == 0:
        return name.upper()
    if number % 3 == 1 and len(words) > 1:
        return f"{words[-1]}, {' '.join(words[:-1])}"
    longest = max(words, key=len)
    return name.replace(longest, longest[:-1], 1) if len(longest) > 4 else name


@pytest.fixture(scope="module")
def names_csv(un: tuple[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    url, _ = un
    store = ListStore(url)
    (version,) = store.active_versions()
    listed = [
        (entity.primary_name, entity.schema_.value)
        for entity, _ in zip(store.entities(version.id), range(LISTED), strict=False)
    ]
    fake = Faker(["en_GB", "de_DE", "fr_FR"])
    fake.seed_instance(14)
    rows = [["id", "Full Name", "type", "country"]]
    for number, (name, schema) in enumerate(listed):
        shown = name if number % 2 == 0 else _variant(name, number)
        rows.append([str(len(rows)), shown, schema, ""])
    for number in range(CLEAN):
        company = number % 4 == 0
        name = fake.company() if company else fake.name()
        rows.append([str(len(rows)), name, "organization" if company else "person", "GB"])
    rows += [
        [str(len(rows)), "", "person", ""],  # empty name
        [str(len(rows) + 1), "John Doe", "person", "Narnia"],  # no such country
        [str(len(rows) + 2), "Acme Ltd", "spaceship", ""],  # unknown type
        [str(len(rows) + 3), '=HYPERLINK("x")', "person", ""],  # a formula, escaped in CSV
    ]
    return write_rows(tmp_path_factory.mktemp("spark-in") / "names.csv", rows)


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def local_names(un: tuple[str, Path], names_csv: Path) -> list[dict[str, Any]]:
    url, index_dir = un
    out = names_csv.with_name("local.jsonl")
    run_batch(names_csv, out, Screener.open(url, index_dir=index_dir))
    return _jsonl(out)


def test_the_rows_are_what_the_docstring_says(local_names: list[dict[str, Any]]) -> None:
    """The comparison means something only if the local batch alerts on the listed rows."""
    decisions = [record["decision"] for record in local_names]
    assert len(decisions) == LISTED + CLEAN + 4
    listed_alerts = sum(d in ("match", "review") for d in decisions[:LISTED])
    assert listed_alerts >= LISTED * 0.9, listed_alerts
    assert decisions[LISTED + CLEAN :] == ["error", "error", "error", "clear"]


def test_screen_names_equals_the_local_batch_and_loads_the_index_once_per_worker(
    spark: SparkSession, un: tuple[str, Path], names_csv: Path, local_names: list[dict[str, Any]]
) -> None:
    url, index_dir = un
    shipped = ship_index(spark, Screener.open(url, index_dir=index_dir))
    frame, _, _ = read_input(spark, names_csv)
    screened = screen_names(frame.repartition(8), name_col="Full Name", index=shipped)
    rows = sorted(screened.collect(), key=lambda row: int(row["id"]))
    assert len(rows) == len(local_names)
    for row, local in zip(rows, local_names, strict=True):
        assert (row["Full Name"] or "") == local["input"]["Full Name"]  # Spark reads "" as null
        assert row["decision"] == local["decision"], row
        assert row["top_score"] == local["top_score"]
        assert json.loads(row["hits_json"]) == local["hits"]
        assert row["error"] == local["error"]
        assert row["hit_count"] == len(local["hits"])
    # 8 tasks on two cores: each Python worker loaded the shipped index once, not per task.
    assert 1 <= shipped.loads.value <= 2


def _csv(path: Path, encoding: str = "utf-8") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.reader(handle))


def test_cli_engine_csv_out_is_the_local_csv_cell_for_cell(
    spark: SparkSession, un: tuple[str, Path], names_csv: Path, tmp_path: Path
) -> None:
    url, index_dir = un
    local_out, spark_out = tmp_path / "local.csv", tmp_path / "spark.csv"
    run_batch(names_csv, local_out, Screener.open(url, index_dir=index_dir))
    summary = run_spark_batch(
        names_csv,
        spark_out,
        lambda: Screener.open(url, index_dir=index_dir),
        master="local[2]",
        partitions=6,
        session=lambda _master: spark,
    )
    local, engine = _csv(local_out, "utf-8-sig"), _csv(spark_out)
    assert engine == local  # the header, every input cell, every added cell, the order
    assert engine[-1][1] == '\'=HYPERLINK("x")'  # formula-escaped
    assert summary.rows == LISTED + CLEAN + 4 and summary.error == 3
    assert [row for row, _ in summary.errors] == [LISTED + CLEAN + 1, LISTED + CLEAN + 2, 323]
    assert sorted(tmp_path.iterdir()) == [local_out, spark_out]  # no staging left behind


def test_cli_engine_parquet_in_and_out_keeps_the_order(
    spark: SparkSession,
    un: tuple[str, Path],
    names_csv: Path,
    local_names: list[dict[str, Any]],
    tmp_path: Path,
) -> None:
    import pandas as pd

    url, index_dir = un
    source = tmp_path / "names.parquet"
    # Two row groups, so that Spark reads the file in more than one piece.
    pd.read_csv(names_csv, dtype=str, keep_default_na=False).to_parquet(source, row_group_size=200)
    out = tmp_path / "out.parquet"
    summary = run_spark_batch(
        source,
        out,
        lambda: Screener.open(url, index_dir=index_dir),
        master="local[2]",
        session=lambda _master: spark,
    )
    result = pd.read_parquet(out)
    assert list(result["row"]) == list(range(1, len(local_names) + 1))
    assert list(result["id"]) == [str(number) for number in range(1, len(local_names) + 1)]
    assert list(result["decision"]) == [record["decision"] for record in local_names]
    assert [json.loads(hits) for hits in result["hits_json"]] == [r["hits"] for r in local_names]
    assert summary.counts["error"] == 3


def test_cli_engine_through_the_command(
    spark: SparkSession, un: tuple[str, Path], names_csv: Path, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from cli import main

    url, index_dir = un
    out = tmp_path / "out.parquet"
    arguments = ["batch", str(names_csv), "--engine", "spark", "--master", "local[2]"]
    arguments += ["--out", str(out), "--db", url, "--name-column", "Full Name"]
    result = CliRunner().invoke(main, arguments, env={"COALITION_INDEX_DIR": str(index_dir)})
    assert result.exit_code == 4, result.output  # rows with decision error
    assert f"{LISTED + CLEAN + 4} rows: match " in result.output
    assert "error 3" in result.output and "wrote " in result.output
    assert out.is_file()


def test_cli_refuses_spark_options_it_cannot_honour(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from cli import main

    source = write_rows(tmp_path / "in.csv", [["name"], ["a"]])
    runs = {
        "--master without spark": ["--master", "local[2]", "--out", str(tmp_path / "o.csv")],
        "jsonl out": ["--engine", "spark", "--out", str(tmp_path / "o.jsonl")],
        "record": ["--engine", "spark", "--record"],
    }
    for label, arguments in runs.items():
        result = CliRunner().invoke(main, ["batch", str(source), *arguments])
        assert result.exit_code == 2, (label, result.output)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


TX_HEADER = ["tx_id", "amount", "currency", "originator_name", "beneficiary_name", "hs_codes"]


def test_screen_transactions_equals_the_local_batch(
    spark: SparkSession, un: tuple[str, Path], names_csv: Path, tmp_path: Path
) -> None:
    url, index_dir = un
    names = [row[1] for row in _csv(names_csv)[1:] if row[1]]
    rows = [TX_HEADER]
    for number in range(120):
        beneficiary = names[(number * 7) % len(names)]
        goods = "854231" if number % 5 == 0 else ""
        rows.append([f"T{number}", "1000.00", "EUR", names[-number - 1], beneficiary, goods])
    rows.append(["T-bad", "12;50", "EUR", "", "", ""])  # an unreadable amount
    source = write_rows(tmp_path / "tx.csv", rows)
    profile = resolve_profile("uk_bank")
    local_out = tmp_path / "tx.jsonl"
    run_tx_batch(source, local_out, Screener.open(url, index_dir=index_dir), profile)
    local = _jsonl(local_out)
    shipped = ship_index(spark, Screener.open(url, index_dir=index_dir))
    frame, _, _ = read_input(spark, source)
    screened = screen_transactions(frame.repartition(4), profile, index=shipped)
    by_id = {row["tx_id"]: row for row in screened.collect()}
    assert len(by_id) == len(local) == 121
    for record in local:
        row = by_id[record["tx_id"]]
        assert row["decision"] == record["decision"], record["tx_id"]
        assert row["risk_score"] == record["risk_score"]
        assert json.loads(row["flags_json"]) == json.loads(json.dumps(record["flags"]))
        assert row["error"] == record["error"]
    decisions = {record["decision"] for record in local}
    assert {"block", "clear", "error"} <= decisions  # the rows exercise the rules
