"""``coalition batch --engine spark``: a CSV or Parquet file in, one CSV or Parquet file out.

`run_spark_batch` reads the input with Spark, screens it with `screening.batch.spark.
screen_names` (the local batch's row function, in parallel over the partitions) and writes
ONE output file, in input order, that appears only when the job succeeded: Spark writes a
single part (one partition, sorted by row) into a hidden directory beside the output, and that
part is renamed over the output at the end (as the local batch's `atomic_output`). Screening
costs hundreds of times more per row than writing, so the single writing task costs little;
and a bank gets the file its local batch would have written, not a directory of parts.

Input (by the extension: ``.parquet`` is Parquet, anything else CSV):

- CSV: encoding and delimiter sniffed as the local batch does (`screening.batch.inputs`);
  quoted fields may hold line breaks and doubled quotes; a row with too few or too many fields
  gets decision ``error`` with the line (Spark's reader keeps it as a corrupt record); blank
  lines are skipped by Spark's reader and, unlike in the local batch, do not count in ``row``.
- Parquet: any column types; cells are screened as their text.

Output, the local batch's record layout:

- ``.csv``: the input columns, then decision, top_score, hit_count, top_hits and error,
  cell for cell as the local batch writes them (``text_cells``), every cell quoted and
  formula-escaped (`screening.batch.writers.escape_cell`), UTF-8 (no byte order mark), the
  delimiter a semicolon when the input's was;
- ``.parquet``: row (1-based position in the input), the input columns, then decision,
  top_score, hit_count, top_hits, error and hits_json (the JSONL record's ``hits``).

The driver needs the output's directory on a filesystem it shares with the executors (always
so for ``local[N]``; on a cluster, a shared mount). For HDFS, S3 or DBFS, call
`screen_names` from a job of your own (README, "Spark").
"""

from __future__ import annotations

import os
import shutil
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Final

from screening.batch.errors import BatchInputError, BatchUsageError, MissingColumnError
from screening.batch.inputs import read_head, sniff_delimiter, sniff_encoding
from screening.batch.names import (
    NAME_DECISIONS,
    BatchOptions,
    Columns,
    ScreenerOrFactory,
    open_screener,
)
from screening.batch.runner import ERROR, MAX_ERRORS_KEPT, BatchSummary
from screening.batch.spark import added_names, ship_index
from screening.batch.writers import escape_cell
from screening.matching.screener import Screener

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame, SparkSession

ORDER: Final = "__coalition_order"  # the input position, carried through the screening
MALFORMED: Final = "__coalition_malformed"  # the raw line of a row the CSV reader could not split
SPARK_FORMATS: Final = ("csv", "parquet")
# Tasks per core: rows cost unevenly (a long name, many candidates); smaller tasks even it out.
TASKS_PER_CORE = 4
SPARK_ENCODINGS = {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "cp1252": "windows-1252"}


def spark_format(path: Path) -> str:
    """csv or parquet, by the extension (the input: anything else is read as CSV)."""
    return "parquet" if path.suffix.lower() == ".parquet" else "csv"


def check_paths(input_path: Path, output_path: Path) -> str:
    """The output format; raises BatchUsageError for an output the engine cannot write."""
    suffix = output_path.suffix.lower().lstrip(".")
    if suffix not in SPARK_FORMATS:
        raise BatchUsageError(f"{output_path}: the Spark engine writes .csv or .parquet")
    if output_path.resolve() == input_path.resolve():
        raise BatchUsageError(f"{output_path}: the output would overwrite the input")
    return suffix


def spark_session(master: str) -> SparkSession:
    """A session on `master` (``local[N]``, ``spark://host:7077``, ``yarn`` ...)."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master(master).appName("coalition batch")
    # Executors run this interpreter unless told otherwise (PYSPARK_PYTHON, the cluster's own).
    if master.startswith("local") and not os.environ.get("PYSPARK_PYTHON"):
        builder = builder.config("spark.pyspark.python", sys.executable)
    spark = builder.config("spark.ui.showConsoleProgress", "false").getOrCreate()
    # The one-partition sort that gives the output its order is meant: no warning about it.
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def read_input(spark: SparkSession, path: Path) -> tuple[DataFrame, str, str]:
    """The input rows (CSV: plus the malformed-line column), its encoding and delimiter."""
    if not path.is_file():
        raise BatchInputError(f"{path}: no such file")
    if spark_format(path) == "parquet":
        return spark.read.parquet(str(path)), "parquet", ""
    from pyspark.sql.types import StringType, StructField, StructType

    encoding = sniff_encoding(path)  # refuses binary files
    delimiter = sniff_delimiter(read_head(path, encoding))
    options = {
        "header": "true",
        "sep": delimiter,
        "encoding": SPARK_ENCODINGS.get(encoding, encoding.upper()),
        "multiLine": "true",  # quoted line breaks, as the local batch reads them
        "quote": '"',
        "escape": '"',  # a doubled quote inside quotes, as in RFC 4180
        "mode": "PERMISSIVE",
        "columnNameOfCorruptRecord": MALFORMED,
    }
    header = spark.read.options(**options).csv(str(path)).columns
    if not header:
        raise BatchInputError(f"{path}: no header row")
    # Every cell as text, as the local batch reads them, and a column for rows that do not split.
    schema = StructType([StructField(c, StringType()) for c in [*header, MALFORMED]])
    frame = spark.read.options(**options).schema(schema).csv(str(path))
    if header[0].startswith("\ufeff"):  # a byte order mark Spark's reader kept
        frame = frame.withColumnRenamed(header[0], header[0].removeprefix("\ufeff"))
    return frame, encoding, delimiter


def _escaped(column: str) -> Column:
    """The column as text a spreadsheet never runs as a formula (`escape_cell`)."""
    from pyspark.sql import functions as F

    text = F.col(f"`{column}`").cast("string")
    return (
        F.when(text.rlike("^[=+\\-@\t\r]"), F.concat(F.lit("'"), text))
        .otherwise(text)
        .alias(escape_cell(column))
    )


def _write_one_file(frame: DataFrame, fmt: str, output_path: Path, delimiter: str) -> None:
    """Write the one-partition `frame` as `output_path`, which appears only when complete."""
    staging = output_path.parent / f".{output_path.name}.spark-{uuid.uuid4().hex}"
    try:
        writer = frame.write.mode("errorifexists")
        if fmt == "csv":
            frame = frame.select(*[_escaped(c) for c in frame.columns])
            writer = frame.write.mode("errorifexists").options(
                header="true",
                quoteAll="true",
                escape='"',
                sep=";" if delimiter == ";" else ",",
                encoding="UTF-8",
                emptyValue="",
                nullValue="",
            )
            writer.csv(str(staging))
        else:
            writer.parquet(str(staging))
        parts = sorted(staging.glob("part-*"))
        if len(parts) != 1:  # one partition in, one part out; anything else is a Spark change
            raise RuntimeError(f"expected one part file in {staging}, found {len(parts)}")
        os.replace(parts[0], output_path)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def run_spark_batch(
    input_path: Path,
    output_path: Path,
    screener: ScreenerOrFactory,
    options: BatchOptions | None = None,
    *,
    master: str = "local[*]",
    partitions: int | None = None,
    session: Callable[[str], SparkSession] = spark_session,
) -> BatchSummary:
    """Screen every row of a CSV or Parquet file on Spark; one output file, in input order.

    `screener` (a `Screener` or a factory, called once the input has a name column) gives the
    index shipped to the executors. `partitions` (default: four per core) are the screening
    tasks. Raises `BatchUsageError`, `BatchInputError` (also `MissingColumnError`) before any
    output exists; Spark and database errors propagate, leaving no output either.
    """
    from pyspark import StorageLevel
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    from screening.batch.spark import screen_names

    options = options or BatchOptions()
    started = time.perf_counter()
    fmt = check_paths(input_path, output_path)
    spark = session(master)
    frame, encoding, delimiter = read_input(spark, input_path)
    malformed = MALFORMED if MALFORMED in frame.columns else None
    visible = [c for c in frame.columns if c != MALFORMED]
    try:  # before the index is opened: a file without a name column fails fast
        Columns.detect(visible, options.columns)
    except MissingColumnError as exc:
        raise exc.in_file(input_path) from None
    active = open_screener(screener)
    if not isinstance(active, Screener):
        raise TypeError("the Spark engine ships a Screener's persisted index")
    shipped = ship_index(spark, active, options.thresholds_for(active), options.lists)
    tasks = partitions or spark.sparkContext.defaultParallelism * TASKS_PER_CORE
    chosen = options.columns
    screened = screen_names(
        frame.withColumn(ORDER, F.monotonically_increasing_id()).repartition(tasks),
        chosen.name,
        chosen.type,
        chosen.country,
        chosen.birth_date,
        index=shipped,
        malformed_column=malformed,
        text_cells=fmt == "csv",
    )
    # One partition in input order: the row number, and the one part file of the output.
    row, decision, error = added_names(visible, [("row", ""), ("decision", ""), ("error", "")])
    ordered = screened.withColumn(row, F.row_number().over(Window.orderBy(ORDER)))
    kept = [c for c in screened.columns if c not in (ORDER, MALFORMED)]
    result = ordered.select(row, *kept).persist(StorageLevel.DISK_ONLY)
    try:
        began = time.perf_counter()
        _write_one_file(result.drop(row) if fmt == "csv" else result, fmt, output_path, delimiter)
        counts = {str(r[0]): int(r[1]) for r in result.groupBy(decision).count().collect()}
        errors = (
            result.filter(F.col(decision) == ERROR)
            .select(row, error)
            .orderBy(row)
            .limit(MAX_ERRORS_KEPT)
            .collect()
        )
        screening_seconds = time.perf_counter() - began
    finally:
        result.unpersist()
    read = f"{encoding}, delimiter {delimiter!r}" if delimiter else "Parquet"
    summary = BatchSummary(
        input_path,
        output_path,
        fmt,
        NAME_DECISIONS,
        label=f"Spark {master}, {tasks} tasks",
        notes=[f"read {input_path} ({read}); index loaded by {shipped.loads.value} worker(s)"],
        rows=sum(counts.values()),
        screening_seconds=screening_seconds,
        errors=[(int(r[0]), str(r[1] or "")) for r in errors],
    )
    summary.counts.update(counts)
    summary.list_versions = shipped.list_versions
    summary.elapsed = time.perf_counter() - started
    return summary
