"""``coalition payments``: screen payment messages (ISO 20022 and SWIFT MT) as banks send them."""

from __future__ import annotations

from pathlib import Path

import click

from screening.batch.payments import run_payments_batch
from screening.batch.runner import Scale
from screening.commands.common import (
    batch_setup,
    db_option,
    lists_option,
    output_option,
    profile_option,
    screener_opener,
)
from screening.commands.progress import run_file_batch, scale_options


@click.group("payments")
def payments() -> None:
    """Screen payment messages: ISO 20022 pacs.008, pacs.009 (COV), pain.001 and SWIFT MT."""


@payments.command("screen")
@click.argument(
    "input_paths", metavar="PATH...", nargs=-1, required=True, type=click.Path(path_type=Path)
)
@output_option("Output file: .jsonl (one JSON object per transaction) or .csv.")
@profile_option
@lists_option
@scale_options
@db_option
def payments_screen(
    input_paths: tuple[Path, ...],
    output_path: Path,
    profile_name: str | None,
    lists: list[str] | None,
    workers: int,
    resume: bool,
    db_url: str | None,
) -> None:
    """Screen every transaction of the payment files and directories PATH...; one result each.

    The format is found from each file's content: ISO 20022 pacs.008, pacs.009 (incl. COV)
    and pain.001, versions 08-13, with or without a Business Application Header; SWIFT MT103,
    MT202, MT202COV and MT205COV, one message or an RJE bulk file. A directory is read
    recursively, its files in sorted order; hidden files are left out. Every party, agent
    bank (by BIC too), address and free text is screened by the rules of docs/rules.md; each
    flag names the message field it came from.

    Each record has file, index, message_type, msg_id, tx_id, decision (block, review, clear,
    error), risk_score and flags. A message that cannot be read (not a payment message,
    truncated XML, an MT without block 4...) gets decision `error` and a reason; the others go
    on. Formats and output: docs/payments.md.

    --workers N screens in N processes (default: all cores) with the same output as one.
    --resume writes a checkpoint as the run goes; after a kill, the same command with --resume
    goes on from it. It is refused when an input file was added, removed or changed (path,
    size, modification time, first MiB), or an option or the active lists changed.

    \b
    Example:
      coalition payments screen inbox/ pacs008.xml --out screened.jsonl --profile us_bank

    Exit codes: 0 every transaction screened; 1 an input path does not exist or holds no file,
    the output cannot be written, no lists are loaded (no output file is left) or --resume is
    refused; 2 usage error (bad option, unknown profile, output not .csv/.jsonl); 3 database
    problem (no output file; with --resume, what was committed is kept); 4 finished, but some
    records have decision `error`.
    """
    profile, thresholds = batch_setup(input_paths, output_path, profile_name)
    run_file_batch(
        input_paths[0],
        db_url,
        lambda on_progress: run_payments_batch(
            input_paths,
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
