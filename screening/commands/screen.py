"""``coalition screen`` (one name) and ``coalition batch`` (a CSV file), optionally recorded.

With ``--record`` the screenings are stored with the audit trail and review/match hits open
alerts (`screening.workflow`); ``screen-record`` and ``batch-record`` are the older spellings.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
from pydantic import ValidationError

from lists.model import IdentifierType, Source
from screening.batch.names import (
    BatchOptions,
    BatchUsageError,
    ColumnChoice,
    output_format,
    run_batch,
    thresholds_with_report,
)
from screening.batch.runner import Scale
from screening.commands import render
from screening.commands.common import (
    ExitCode,
    db_option,
    exit_with,
    fail,
    first_line,
    hidden_alias,
    json_option,
    lists_option,
    loaded_screener,
    make_thresholds,
    open_store,
    requested_by_option,
    screener_opener,
    thresholds_options,
    warning,
)
from screening.commands.engine import check_engine, engine_options, spark_batch
from screening.commands.progress import run_file_batch, scale_options
from screening.matching.results import Thresholds
from screening.matching.screener import QueryError
from screening.workflow.recorder import Recorder
from screening.workflow.rescreen import CustomerFileError, record_batch

# The four schemas, then synonyms the screener reads as one of them.
SCHEMA_WORDS = (
    *("person", "organization", "vessel", "aircraft"),
    *("individual", "entity", "company", "ship"),
)
ERRORS_SHOWN = 20


def _identifier(value: str) -> tuple[str, str]:
    kind, _, number = value.partition(":")
    known = {t.value for t in IdentifierType}
    if not number or kind.strip().lower() not in known:
        raise click.BadParameter(
            f"{value!r}: use TYPE:VALUE with TYPE one of {', '.join(sorted(known))}",
            param_hint="--id",
        )
    return kind.strip().lower(), number.strip()


@click.command("screen")
@click.argument("name")
@click.option(
    "--type",
    "schema",
    type=click.Choice(SCHEMA_WORDS, case_sensitive=False),
    help="What NAME is; people never match companies or ships.",
)
@click.option("--country", help="Country of the party (ISO code or name).")
@click.option("--dob", help="Birth date: YYYY-MM-DD, YYYY-MM or YYYY.")
@click.option(
    "--id",
    "identifiers",
    multiple=True,
    metavar="TYPE:VALUE",
    help="An identifier, e.g. imo:9562233 or passport:A1234567 (repeatable); "
    "a listed one is decisive.",
)
@click.option(
    "--source",
    "sources",
    multiple=True,
    type=click.Choice([s.value for s in Source]),
    help="Screen only against these sources (repeatable; default all loaded; see also --lists).",
)
@lists_option
@thresholds_options
@click.option("--record", is_flag=True, help="Store the screening; review/match hits open alerts.")
@click.option(
    "--customer", "customer_ref", metavar="REF", help="With --record: the customer screened."
)
@requested_by_option("cli", "With --record: who screens (kept with the record).")
@json_option("Print the full result (with --record: the screening id and alerts) as JSON.")
@db_option
def screen(
    name: str,
    schema: str | None,
    country: str | None,
    dob: str | None,
    identifiers: tuple[str, ...],
    sources: tuple[str, ...],
    lists: list[str] | None,
    match_at: float | None,
    review_at: float | None,
    report_at: float | None,
    record: bool,
    customer_ref: str | None,
    requested_by: str,
    as_json: bool,
    db_url: str | None,
) -> None:
    """Screen one NAME against the active lists and explain every hit.

    The decision is `match`, `review` or `clear` (see README, "Scores and decisions"). With
    --record the screening is stored and the customer REF joins the book; a hit on an entry
    the customer was cleared of (false positive, entry unchanged since) is stored as a
    suppressed alert. Exit code 0 whatever the decision; 1 when the query is unreadable, 3 for
    a database problem.
    """
    if customer_ref is not None and not record:
        raise click.UsageError("--customer goes with --record")
    thresholds = make_thresholds(match_at, review_at, report_at)
    pairs = [_identifier(value) for value in identifiers]
    with open_store(db_url) as store:
        screener = loaded_screener(store, thresholds)
        try:
            result = screener.screen(
                name,
                type=schema,
                country=country,
                birth_date=dob,
                identifiers=pairs,
                sources=sources or None,
                lists=lists,
            )
        except (QueryError, ValidationError) as exc:
            fail(first_line(exc))
        if not record:
            if as_json:
                click.echo(result.model_dump_json())
            else:
                render.print_result(result)
            return
        recorded = Recorder(store).record_screening(
            result, customer_ref=customer_ref, requested_by=requested_by
        )
    if as_json:
        click.echo(recorded.model_dump_json())
    else:
        lines = render.recorded_screening_lines(recorded.screening_id, result, recorded.alerts)
        click.echo("\n".join(lines))


def _batch_thresholds(report_at: float | None) -> Thresholds:
    try:
        thresholds = Thresholds.from_environment()
        return thresholds if report_at is None else thresholds_with_report(report_at, thresholds)
    except ValueError as exc:
        raise click.BadParameter(first_line(exc), param_hint="--threshold") from None


def _record_batch(
    input_path: Path, thresholds: Thresholds, requested_by: str, as_json: bool, db_url: str | None
) -> None:
    with open_store(db_url) as store:
        screener = loaded_screener(store, thresholds)
        try:
            report = record_batch(Recorder(store), screener, input_path, requested_by=requested_by)
        except CustomerFileError as exc:
            fail(str(exc))
    if as_json:
        click.echo(json.dumps({"run_id": report.run_id, **report.counts()}))
    else:
        click.echo(render.recorded_batch_line(report))
    for problem in report.errors[:ERRORS_SHOWN]:
        warning(problem)
    exit_with(ExitCode.ROW_ERRORS if report.errors else ExitCode.OK)


@click.command("batch")
@click.argument("input_path", metavar="INPUT.csv", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--out",
    "output_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Output file: .csv (input columns + results) or .jsonl (one JSON object per row); "
    "required unless --record.",
)
@click.option("--name-column", metavar="C", help="Column with the name (default: detected).")
@click.option("--type-column", metavar="C", help="Column with person/organization/vessel/...")
@click.option("--country-column", metavar="C", help="Column with the country (code or name).")
@click.option("--dob-column", metavar="C", help="Column with the birth date.")
@click.option(
    "--threshold",
    "report_at",
    type=click.FloatRange(0, 1),
    help="Lowest score reported as a hit, 0..1 (default 0.60, or COALITION_REPORT_THRESHOLD).",
)
@click.option(
    "--record",
    is_flag=True,
    help="Store every screening as one recorded run instead of writing --out; a customer_ref "
    "column ties rows to customers, and review/match hits open alerts.",
)
@lists_option
@scale_options
@requested_by_option("cli", "With --record: who screens (kept with the run and its records).")
@json_option("With --record: print the run's counts as JSON.")
@engine_options
@db_option
def batch(
    input_path: Path,
    output_path: Path | None,
    name_column: str | None,
    type_column: str | None,
    country_column: str | None,
    dob_column: str | None,
    report_at: float | None,
    record: bool,
    lists: list[str] | None,
    workers: int,
    resume: bool,
    requested_by: str,
    as_json: bool,
    engine: str,
    master: str | None,
    db_url: str | None,
) -> None:
    """Screen every row of a CSV file and write one result per row, in input order.

    --engine spark screens on Apache Spark (--master, default local[*]): INPUT is CSV or
    Parquet and --out one .csv or .parquet file, in input order (`pydoc
    screening.batch.spark_run`).

    The encoding (UTF-8, UTF-8 with BOM, cp1252) and delimiter (, ; tab |) are detected;
    columns are found by common header names (name, full_name, customer_name...; type,
    entity_type; country, nationality; dob, birth_date) unless given. A row that cannot be
    screened (wrong field count, an unbalanced quote, a NUL or other control character, empty
    name, unknown type...) gets decision `error` and a reason; the others go on, and the
    lines an unbalanced quote swallowed are screened as rows of their own. Blank lines are
    counted, not screened. CSV output escapes cells a spreadsheet would run as formulas.
    The output appears only when the run is complete. Details: `pydoc screening.batch.names`.

    --workers N screens with N processes (default: all cores) sharing one loaded index; the
    output is the same for any N. With --resume the run writes a checkpoint as it goes, and the
    same command run again after an interruption (even a kill) continues where it was, with
    the same output as an uninterrupted run (`pydoc screening.batch.checkpoint`).

    Exit codes: 0 every row screened (with or without hits); 1 the input is unreadable, has
    no name column, the output cannot be written or no lists are loaded (no output file is
    left); 2 usage error (bad option, threshold outside 0..1, output not .csv/.jsonl);
    3 database problem (no output file); 4 finished, but some rows have decision `error`
    (with --record: could not be screened; the others are recorded). With --resume, a run
    that fails (exit 1 or 3) keeps what it committed for the next --resume; a worker process
    that dies fails the run with exit 1.
    """
    check_engine(engine, master, record, resume)
    columns = ColumnChoice(name_column, type_column, country_column, dob_column)
    if record:
        if output_path is not None or columns != ColumnChoice() or lists is not None or resume:
            raise click.UsageError(
                "--record stores the results: it takes no --out, --*-column, --lists or --resume"
            )
        _record_batch(input_path, _batch_thresholds(report_at), requested_by, as_json, db_url)
        return
    if output_path is None:
        raise click.MissingParameter(param_hint="'--out'", param_type="option")
    if as_json:
        raise click.UsageError("--json goes with --record")
    if engine == "spark":
        thresholds = _batch_thresholds(report_at)
        spark_batch(input_path, output_path, columns, thresholds, lists, master, db_url)
        return
    try:
        output_format(input_path, output_path)
    except BatchUsageError as exc:
        raise click.BadParameter(str(exc), param_hint="--out") from None
    thresholds = _batch_thresholds(report_at)

    options = BatchOptions(columns=columns, thresholds=thresholds, lists=lists)
    opener = screener_opener(db_url, thresholds)
    scale = Scale(workers=workers, resume=resume)
    run_file_batch(
        input_path,
        db_url,
        lambda on_progress: run_batch(input_path, output_path, opener, options, on_progress, scale),
        resumable=resume,
    )


screen_record = hidden_alias(
    screen, "screen-record", "screen --record", fixed={"record": True}, required=("customer_ref",)
)
batch_record = hidden_alias(
    batch,
    "batch-record",
    "batch --record",
    fixed={
        "record": True,
        "resume": False,
        "workers": 1,
        "engine": "local",
        "master": None,
        "output_path": None,
        "name_column": None,
        "type_column": None,
        "country_column": None,
        "dob_column": None,
    },
)
