"""The decision history as a file: every analyst's decision, oldest first, with its alert.

CSV cells are formula-escaped like the batch outputs (`screening.batch.names.escape_cell`):
a reason typed as ``=HYPERLINK(...)`` is shown by a spreadsheet as text, never run. JSON Lines
keep the values as they are. The file appears only when complete (`atomic_output`).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Literal

from screening.batch.names import BatchError, atomic_output, escape_cell
from screening.store import ListStore
from screening.workflow.recorder import EXPORT_COLUMNS, Recorder

ExportFormat = Literal["csv", "jsonl"]

SUFFIXES: dict[str, ExportFormat] = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}


class ExportUsageError(ValueError):
    """The output path names no export format; nothing was written."""


class ExportError(Exception):
    """The output could not be written; no file (or partial file) is left at the path."""


def export_format(path: Path) -> ExportFormat:
    """The format named by the path's extension; raises `ExportUsageError` otherwise."""
    chosen = SUFFIXES.get(path.suffix.lower())
    if chosen is None:
        raise ExportUsageError(f"{path}: the output must end in .csv or .jsonl")
    return chosen


def export_decisions(store: ListStore, path: Path) -> int:
    """Write the full, append-only decision history to `path`; returns the decisions written."""
    chosen = export_format(path)
    count = 0
    try:
        # Excel reads a BOM-less CSV as the local code page: the BOM keeps names intact.
        with atomic_output(path, "utf-8-sig" if chosen == "csv" else "utf-8") as out:
            writer = csv.writer(out, quoting=csv.QUOTE_ALL) if chosen == "csv" else None
            if writer is not None:
                writer.writerow(EXPORT_COLUMNS)
            for row in Recorder(store).export_decisions():
                count += 1
                if writer is None:
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
                else:
                    writer.writerow(
                        escape_cell("" if row[column] is None else str(row[column]))
                        for column in EXPORT_COLUMNS
                    )
    except BatchError as exc:  # atomic_output's own message names the path
        raise ExportError(str(exc)) from None
    except OSError as exc:
        raise ExportError(f"{path}: {exc.strerror or exc}") from None
    return count
