"""Apache Spark engine: the batch's row screening, partitioned over a Spark cluster.

For a book of customers or an archive of transactions that one machine cannot screen in time.
Install the extra (``pip install 'coalition-screening[spark]'``: PySpark 4, pandas, pyarrow).

    from screening.batch.spark import screen_names, screen_transactions

    screened = screen_names(spark.read.parquet("customers"), name_col="full_name")
    screened.filter("decision != 'clear'").write.parquet("alerts")

Engines partition the one loop, they do not copy it: every row goes through the local batch's
own row functions (`screening.batch.names.screen_row`, `screening.batch.transactions.
screen_tx_row`) inside an Arrow-based ``mapInPandas``, so a decision, a score and a hit are
exactly what ``coalition batch`` would write for the same row.

The index is built (or loaded from the index cache) once, on the driver, from the store
(`COALITION_DB`, e.g. PostgreSQL), and its persisted file is shipped to every executor once with
``SparkContext.addFile``; each executor's Python worker loads it the first time a task needs
it and keeps it in a module global for every later task (`ShippedIndex.loads` counts the
loads). Executors never open the database: the versions travel with the shipped index, and a
file that does not match them is refused, never rebuilt.

Added columns (an input column of the same name, compared as the local CSV does, keeps its
name and the added one gets a ``screening_`` prefix):

- names: decision (match, review, clear, error), top_score (double, four decimals as in the
  JSONL output, null without hits), hit_count, top_hits (the CSV output's text), error (the
  reason, null when none) and hits_json (the JSONL output's ``hits`` array as JSON text);
- transactions: decision (block, review, clear, error), risk_score, flag_count, flags (the
  CSV output's text), error and flags_json (the JSONL output's ``flags``).

The input columns come through unchanged (their Spark types included); the screening reads
them as text, as the local batch reads CSV cells (null reads as an empty cell). The result
keeps the input's partitioning and, within each partition, its order; `run_spark_batch` (the
``coalition batch --engine spark`` command) adds the row number and writes one file in input
order.
"""

from __future__ import annotations

import math
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from screening.batch.inputs import InputRow, normalized_header
from screening.batch.names import ADDED_CSV_COLUMNS as NAME_CSV_COLUMNS
from screening.batch.names import (
    BatchRecord,
    ColumnChoice,
    Columns,
    ListsOnly,
    screen_row,
)
from screening.batch.transactions import ADDED_CSV_COLUMNS as TX_CSV_COLUMNS
from screening.batch.transactions import (
    TxRecord,
    TxRow,
    screen_tx_row,
    transaction_fields,
    tx_row,
)
from screening.coalition.profiles import InstitutionProfile
from screening.matching.index import index_path
from screening.matching.results import ListVersionRef, Thresholds
from screening.matching.screener import Screener, list_version_refs
from screening.store import ListStore, VersionInfo

if TYPE_CHECKING:
    import pandas as pd
    from pyspark import Accumulator
    from pyspark.sql import DataFrame, SparkSession
    from pyspark.sql.types import StructType

INSTALL_HINT = "the Spark engine needs PySpark: pip install 'coalition-screening[spark]'"
PREFIX = "screening_"  # an added column whose name the input already uses gets this prefix

NAME_COLUMNS = (
    ("decision", "string"),
    ("top_score", "double"),
    ("hit_count", "int"),
    ("top_hits", "string"),
    ("error", "string"),
    ("hits_json", "string"),
)
TX_COLUMNS = (
    ("decision", "string"),
    ("risk_score", "int"),
    ("flag_count", "int"),
    ("flags", "string"),
    ("error", "string"),
    ("flags_json", "string"),
)
# With text_cells=True: the added columns exactly as the local CSV output writes them.
NAME_TEXT_COLUMNS = tuple((name, "string") for name in NAME_CSV_COLUMNS)
TX_TEXT_COLUMNS = tuple((name, "string") for name in TX_CSV_COLUMNS)


def require_pyspark() -> None:
    """Raise ImportError with the install hint when PySpark (or pandas/pyarrow) is missing."""
    from importlib import import_module

    for module in ("pyspark", "pandas", "pyarrow"):
        try:
            import_module(module)
        except ImportError as exc:
            raise ImportError(f"{INSTALL_HINT} ({exc})") from exc


# -- the index, shipped once ----------------------------------------------------------------


class ShippedStore:
    """What an executor's screener sees of the store: the shipped versions, and no entities.

    The screener asks the store for the entities only when its index file is missing or was
    built from other versions; on an executor that is a broken shipment, never a reason to
    open the database.
    """

    def __init__(self, versions: Sequence[VersionInfo]) -> None:
        self.versions = list(versions)

    def active_versions(self) -> list[VersionInfo]:
        return list(self.versions)

    def entities(self, version_id: int) -> Iterator[Any]:
        raise RuntimeError(
            "the index shipped to this executor is missing or was built from other list "
            f"versions (version {version_id}); executors never rebuild it"
        )


@dataclass(frozen=True)
class ShippedIndex:
    """The driver's index file, added to the Spark job, and what executors need to use it."""

    file_name: str  # under SparkFiles' root directory on every executor
    shipment: str  # unique per `ship_index` call: a worker loads each shipment once
    versions: tuple[VersionInfo, ...]
    thresholds: Thresholds
    lists: tuple[str, ...] | None
    loads: Accumulator[int]  # index loads by executor Python workers, for tests and logs

    @property
    def list_versions(self) -> list[ListVersionRef]:
        return list_version_refs(self.versions)


def ship_index(
    spark: SparkSession,
    screener: Screener,
    thresholds: Thresholds | None = None,
    lists: Iterable[str] | None = None,
) -> ShippedIndex:
    """Add the driver screener's persisted index to the job: each executor fetches it once.

    `thresholds` default to the screener's own; they and `lists` (sources or datasets every row
    is screened against) are decided here, on the driver, so that no executor's environment
    can change a decision.
    """
    path = index_path(screener.index_dir, screener.versions)
    if not path.is_file():  # the screener persists every index it builds; this is a bug
        raise RuntimeError(f"the screener's index was not persisted at {path}")
    spark.sparkContext.addFile(str(path))
    return ShippedIndex(
        file_name=path.name,
        shipment=uuid.uuid4().hex,
        versions=tuple(screener.versions),
        thresholds=thresholds or screener.thresholds,
        lists=None if lists is None else tuple(lists),
        loads=spark.sparkContext.accumulator(0),
    )


# The screener of the latest shipment in this Python worker process, kept for every later task
# (one at a time: a worker holds one index in memory, not one per job that shipped it).
_LOADED: dict[str, Screener] = {}
_LOADING = threading.Lock()


def executor_screener(shipped: ShippedIndex) -> Screener:
    """The screener over the shipped index, loaded on this worker's first call only."""
    screener = _LOADED.get(shipped.shipment)
    if screener is not None:
        return screener
    with _LOADING:
        screener = _LOADED.get(shipped.shipment)
        if screener is None:
            from pyspark import SparkFiles

            loaded = Screener(
                # Duck-typed: the screener reads active_versions() and, for a mismatch, entities().
                cast(ListStore, ShippedStore(shipped.versions)),
                index_dir=Path(SparkFiles.getRootDirectory()),
                thresholds=shipped.thresholds,
            )
            screener = loaded
            _LOADED.clear()
            _LOADED[shipped.shipment] = screener
            shipped.loads.add(1)
    return screener


def _shipped(
    spark: SparkSession,
    index: ShippedIndex | None,
    db_url: str | None,
    thresholds: Thresholds | None,
    lists: Iterable[str] | None,
) -> ShippedIndex:
    if index is not None:
        return index
    return ship_index(spark, Screener.open(db_url, thresholds=thresholds), thresholds, lists)


# -- rows in, records out ------------------------------------------------------------------


def _text(value: object) -> str:
    """A cell as the local batch reads it: text, with null (None, NaN, NA) as empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, str):
        return value
    text = str(value)
    return "" if text in ("<NA>", "NaT") else text


def _value_rows(batch: pd.DataFrame, skip: str | None) -> Iterator[tuple[dict[str, str], str]]:
    """Each row's cells as text by column, and the raw malformed line (or "")."""
    names = [str(column) for column in batch.columns if column != skip]
    cells = [batch[name].tolist() for name in names]
    malformed = batch[skip].tolist() if skip else [None] * len(batch)
    for values, bad in zip(zip(*cells, strict=True), malformed, strict=True):
        yield dict(zip(names, map(_text, values), strict=True)), _text(bad)


def added_names(input_columns: Sequence[str], added: Sequence[tuple[str, str]]) -> list[str]:
    """The added columns' names: ``screening_``-prefixed where the input already has one."""
    taken = {normalized_header(column) for column in input_columns}
    return [PREFIX + name if normalized_header(name) in taken else name for name, _ in added]


def _schema(df: DataFrame, names: Sequence[str], added: Sequence[tuple[str, str]]) -> StructType:
    from pyspark.sql.types import StructField, StructType, _parse_datatype_string

    fields = list(df.schema.fields)
    for name, (_, kind) in zip(names, added, strict=True):
        fields.append(StructField(name, _parse_datatype_string(kind)))
    return StructType(fields)


def _to_json(value: object) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, default=str)


def _name_cells(record: BatchRecord) -> tuple[object, ...]:
    shown = record.to_json()
    return (
        record.decision,
        shown["top_score"],
        len(record.hits),
        record.csv_cells()[3],  # top_hits, as the CSV output writes it
        record.error,
        _to_json(shown["hits"]),
    )


def _tx_cells(record: TxRecord) -> tuple[object, ...]:
    shown = record.to_json()
    return (
        record.decision,
        record.risk_score,
        len(record.flags),
        record.csv_cells()[3],  # flags, as the CSV output writes it
        record.error,
        _to_json(shown["flags"]),
    )


Batches = Callable[[Iterator["pd.DataFrame"]], Iterator["pd.DataFrame"]]


def _mapper(
    screen: Callable[[int, dict[str, str], str], tuple[object, ...]],
    names: Sequence[str],
    malformed_column: str | None,
) -> Batches:
    """The mapInPandas function: every row of each Arrow batch through `screen`, in order."""

    def batches(frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for frame in frames:
            rows = [
                screen(number, values, bad)
                for number, (values, bad) in enumerate(_value_rows(frame, malformed_column), 1)
            ]
            columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
            added = {name: list(cells) for name, cells in zip(names, columns, strict=True)}
            yield frame.assign(**added)

    return batches


def malformed_reason(line: str) -> str:
    """The error of a row Spark's CSV reader could not split into the header's fields."""
    shown = line if len(line) <= 60 else line[:57] + "..."
    return f"wrong number of fields (Spark's CSV reader): {shown!r}"


def screen_names(
    df: DataFrame,
    name_col: str | None = None,
    type_col: str | None = None,
    country_col: str | None = None,
    birth_date_col: str | None = None,
    *,
    index: ShippedIndex | None = None,
    db_url: str | None = None,
    thresholds: Thresholds | None = None,
    lists: Iterable[str] | None = None,
    malformed_column: str | None = None,
    text_cells: bool = False,
) -> DataFrame:
    """`df` with the decision, score and hits of each row's name screening (module docstring).

    Columns not given are found by the local batch's common names (`Columns.detect`); only the
    name column is needed (`MissingColumnError` otherwise). `index` is a `ship_index` result
    (by default the store's active lists, `db_url` or ``COALITION_DB``, are opened on the
    driver and shipped). `malformed_column` holds the raw line of rows the CSV reader could
    not split (``columnNameOfCorruptRecord``): such a row gets decision ``error``. With
    `text_cells` the added columns are the local CSV output's, as text (decision, top_score,
    hit_count, top_hits, error), cell for cell.
    """
    visible = [c for c in df.columns if c != malformed_column]
    choice = ColumnChoice(name_col, type_col, country_col, birth_date_col)
    columns = Columns.detect(visible, choice)
    shipped = _shipped(df.sparkSession, index, db_url, thresholds, lists)

    def screen(number: int, values: dict[str, str], bad: str) -> tuple[object, ...]:
        problem = malformed_reason(bad) if bad else None
        row = InputRow(number, values, problem=problem)
        loaded = executor_screener(shipped)
        # Names are screened against the chosen lists only; transactions pass `lists` instead.
        screener = loaded if shipped.lists is None else ListsOnly(loaded, list(shipped.lists))
        record = screen_row(row, screener, columns, shipped.thresholds)
        return tuple(record.csv_cells()) if text_cells else _name_cells(record)

    added = NAME_TEXT_COLUMNS if text_cells else NAME_COLUMNS
    names = added_names(visible, added)
    return df.mapInPandas(_mapper(screen, names, malformed_column), _schema(df, names, added))


def screen_transactions(
    df: DataFrame,
    profile: InstitutionProfile,
    *,
    index: ShippedIndex | None = None,
    db_url: str | None = None,
    thresholds: Thresholds | None = None,
    lists: Iterable[str] | None = None,
    malformed_column: str | None = None,
    text_cells: bool = False,
) -> DataFrame:
    """`df` (one transaction per row, the flat CSV columns) with each row's rule screening.

    Columns map to transaction fields as in a transaction CSV (case, spaces and dashes do not
    count); a ``tx_id`` column is needed (`MissingColumnError` otherwise). See `screen_names`
    for `index`, `db_url`, `thresholds`, `lists`, `malformed_column` and `text_cells`.
    """
    from screening.batch.errors import MissingColumnError

    visible = [c for c in df.columns if c != malformed_column]
    fields = transaction_fields(visible)
    if "tx_id" not in fields.values():
        raise MissingColumnError("tx_id", "no tx_id column", visible)
    shipped = _shipped(df.sparkSession, index, db_url, thresholds, lists)
    chosen_lists = None if shipped.lists is None else list(shipped.lists)

    def screen(number: int, values: dict[str, str], bad: str) -> tuple[object, ...]:
        if bad:
            row = TxRow(number, values, problem=malformed_reason(bad))
        else:
            raw = {fields[key]: value for key, value in values.items() if key in fields}
            row = tx_row(number, values, raw, None)
        screener = executor_screener(shipped)
        record = screen_tx_row(row, screener, profile, shipped.thresholds, chosen_lists)
        return tuple(record.csv_cells()) if text_cells else _tx_cells(record)

    added = TX_TEXT_COLUMNS if text_cells else TX_COLUMNS
    names = added_names(visible, added)
    return df.mapInPandas(_mapper(screen, names, malformed_column), _schema(df, names, added))


def decision_counts(screened: DataFrame, decision_column: str = "decision") -> Mapping[str, int]:
    """How many rows got each decision (one Spark job)."""
    rows = screened.groupBy(decision_column).count().collect()
    return {str(row[0]): int(row[1]) for row in rows}
