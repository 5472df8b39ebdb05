"""``coalition batch --engine spark [--master URL]``: the batch on Apache Spark.

The options and the one call the ``batch`` command makes when Spark is asked for; the engine
itself is `screening.batch.spark_run`. PySpark is an optional extra: without it the command
says how to install it and exits 1.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from screening.batch.names import BatchOptions, BatchUsageError, ColumnChoice
from screening.commands.common import fail, screener_opener
from screening.commands.progress import run_file_batch
from screening.matching.results import Thresholds

F = TypeVar("F", bound=Callable[..., Any])

ENGINES = ("local", "spark")


def engine_options(func: F) -> F:
    """``--engine local|spark`` and ``--master``, for the ``batch`` command."""
    func = click.option(
        "--master",
        metavar="URL",
        help="With --engine spark: the Spark master, e.g. local[4] or spark://host:7077 "
        "(default local[*]: every core of this machine).",
    )(func)
    return click.option(
        "--engine",
        type=click.Choice(ENGINES),
        default="local",
        show_default=True,
        help="spark: screen on Apache Spark (extra coalition-screening[spark]); reads CSV or "
        "Parquet, writes one .csv or .parquet file.",
    )(func)


def check_engine(engine: str, master: str | None, record: bool, resume: bool = False) -> None:
    """Usage errors of the engine options, before anything is read."""
    if master is not None and engine != "spark":
        raise click.UsageError("--master goes with --engine spark")
    if record and engine != "local":
        raise click.UsageError("--record runs on the local engine only")
    if resume and engine != "local":
        # Spark retries failed tasks itself; a killed driver reruns the job from its input.
        raise click.UsageError("--resume goes with the local engine (Spark reruns failed tasks)")


def spark_batch(
    input_path: Path,
    output_path: Path,
    columns: ColumnChoice,
    thresholds: Thresholds,
    lists: list[str] | None,
    master: str | None,
    db_url: str | None,
) -> None:
    """Run the batch on Spark, print its summary and exit with the batch's exit code."""
    from screening.batch.spark import require_pyspark
    from screening.batch.spark_run import check_paths, run_spark_batch

    try:
        check_paths(input_path, output_path)
    except BatchUsageError as exc:
        raise click.BadParameter(str(exc), param_hint="--out") from None
    try:
        require_pyspark()
    except ImportError as exc:
        fail(str(exc))
    options = BatchOptions(columns=columns, thresholds=thresholds, lists=lists)
    opener = screener_opener(db_url, thresholds)
    run_file_batch(
        input_path,
        db_url,
        lambda _progress: run_spark_batch(
            input_path, output_path, opener, options, master=master or "local[*]"
        ),
    )
