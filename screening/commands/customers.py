"""``coalition customers``: the customer book, and its re-screening against list changes."""

from __future__ import annotations

import json
from pathlib import Path

import click

from screening.commands.common import (
    ExitCode,
    db_option,
    exit_with,
    fail,
    hidden_alias,
    json_option,
    loaded_screener,
    open_store,
    requested_by_option,
    warning,
)
from screening.workflow.recorder import Recorder
from screening.workflow.rescreen import CustomerFileError, register_customers_csv, rescreen

ERRORS_SHOWN = 20


@click.group("customers")
def customers() -> None:
    """The customer book that `coalition customers rescreen` screens."""


@customers.command("register")
@click.argument("input_path", metavar="FILE.csv", type=click.Path(path_type=Path, dir_okay=False))
@db_option
def customers_register(input_path: Path, db_url: str | None) -> None:
    """Add or update customers from a CSV file (columns customer_ref, name, type, country, dob).

    Rows are matched by customer_ref; encoding and delimiter are detected as for `batch`. A
    row with an empty reference or name, an unknown type or country, or an unreadable birth
    date is skipped and reported (exit 4); an unreadable file changes nothing (exit 1).
    """
    with open_store(db_url) as store:
        try:
            report = register_customers_csv(Recorder(store), input_path)
        except CustomerFileError as exc:
            fail(str(exc))
    click.echo(
        f"{input_path}: {report.added} added, {report.updated} updated, "
        f"{len(report.errors)} skipped"
    )
    for problem in report.errors[:ERRORS_SHOWN]:
        warning(problem)
    exit_with(ExitCode.ROW_ERRORS if report.errors else ExitCode.OK)


@customers.command("rescreen")
@click.option("--full", is_flag=True, help="Screen against every entry, not only changed ones.")
@requested_by_option("rescreen", "Who asks for the run (kept with it).")
@json_option("Print the run's counts as JSON.")
@db_option
def customers_rescreen(full: bool, requested_by: str, as_json: bool, db_url: str | None) -> None:
    """Screen the customer book against the entries added or changed since the last run.

    The first run, and a run with --full, screens against everything. New review/match hits
    open alerts; a pair an analyst called a false positive stays suppressed until the listed
    entry changes. Details: `pydoc screening.workflow.rescreen`.
    """
    with open_store(db_url) as store:
        report = rescreen(
            loaded_screener(store), Recorder(store), full=full, requested_by=requested_by
        )
    if as_json:
        click.echo(json.dumps({"run_id": report.run_id, **report.counts()}))
    else:
        click.echo("\n".join(report.report_lines()))


rescreen_alias = hidden_alias(customers_rescreen, "rescreen", "customers rescreen")
