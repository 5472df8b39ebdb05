"""``coalition tx``: screen transactions (parties, jurisdictions, CHPL goods, transit routes)."""

from __future__ import annotations

from pathlib import Path

import click

from screening.batch.runner import Scale
from screening.batch.transactions import run_tx_batch
from screening.commands.common import (
    batch_setup,
    db_option,
    lists_option,
    output_option,
    profile_option,
    screener_opener,
)
from screening.commands.progress import run_file_batch, scale_options


@click.group("tx")
def tx() -> None:
    """Screen transactions: parties, jurisdictions, CHPL goods and transit routes."""


@tx.command("screen")
@click.argument("input_path", metavar="FILE", type=click.Path(path_type=Path, dir_okay=False))
@output_option("Output file: .jsonl (one JSON object per transaction) or .csv (input + results).")
@profile_option
@lists_option
@scale_options
@db_option
def tx_screen(
    input_path: Path,
    output_path: Path,
    profile_name: str | None,
    lists: list[str] | None,
    workers: int,
    resume: bool,
    db_url: str | None,
) -> None:
    """Screen every transaction of FILE (.csv, .jsonl or .json); one result per row, in order.

    Each transaction gets a decision (block, review, clear) and a risk score 0..100 from the
    rules in docs/rules.md; the lists that bind the institution come from --profile. A row
    that cannot be read (bad amount, unknown country, unreadable HS code, an unbalanced
    quote, a control character, a JSON line nested deeper than 64 levels...) gets decision
    `error` and a reason; the others go on. Blank lines are counted, not screened. The CSV
    format is in `pydoc screening.coalition.transactions`; the rules for malformed input in
    `pydoc screening.batch.transactions`. --workers and --resume work as for `coalition batch`:
    N processes (default: all cores) with the same output, and a checkpoint to continue an
    interrupted run from.

    Exit codes: 0 every transaction screened; 1 the input is unreadable, has no tx_id column,
    the output cannot be written or no lists are loaded (no output file is left); 2 usage
    error (bad option, unknown profile, output not .csv/.jsonl); 3 database problem (no output
    file); 4 finished, but some rows have decision `error`.
    """
    profile, thresholds = batch_setup([input_path], output_path, profile_name)
    run_file_batch(
        input_path,
        db_url,
        lambda on_progress: run_tx_batch(
            input_path,
            output_path,
            screener_opener(db_url, thresholds),
            profile,
            thresholds,
            on_progress,
            lists,
            Scale(workers=workers, resume=resume),
        ),
        resumable=resume,
    )
