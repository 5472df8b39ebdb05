"""Batch output: one record per input row, as JSON lines or as the input CSV with added columns.

- ``.jsonl`` (or ``.ndjson``): one JSON object per line, UTF-8, the record's `to_json`; values
  are kept exactly as read.
- ``.csv``: the input columns as read, then the record's added columns (`CsvWriter`). Added
  columns whose name is already an input column get a ``screening_`` prefix. The delimiter is
  a semicolon when the input's was (Excel in many European locales), else a comma. The file
  is UTF-8 with a byte order mark (so Excel reads it as UTF-8) and follows the OWASP
  CSV-injection guidance: every cell is quoted and every cell that starts with
  ``= + - @``, a tab or a carriage return (input values echoed back, header cells and listed
  names alike) gets a leading ``'`` so a spreadsheet shows it as text instead of running it.

The output is written to a temporary file next to the target and renamed over it only when
every row is done (`atomic_output`): a run that fails (unreadable input, missing column,
database error, interrupt) leaves no half-written file, and an output file from an earlier run
untouched. The file is created readable by its owner only, as it holds customer data.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, Literal, Protocol, TextIO

from screening.batch.errors import BatchOutputError, BatchUsageError
from screening.batch.inputs import normalized_header

OutputFormat = Literal["csv", "jsonl"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class OutputRecord(Protocol):
    """What a writer needs of a record: the input as read, JSON, and the added CSV cells."""

    @property
    def input(self) -> Mapping[str, str]: ...

    def to_json(self) -> dict[str, Any]: ...

    def csv_cells(self) -> list[str]:
        """The values of the added CSV columns, in the order the batch declares them."""
        ...


def escape_cell(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula (OWASP CSV injection)."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def output_format(input_path: Path, output_path: Path) -> OutputFormat:
    """The output format named by the extension; raises BatchUsageError for bad paths."""
    if output_path.exists() and input_path.exists() and output_path.samefile(input_path):
        raise BatchUsageError(f"{output_path}: the output would overwrite the input")
    suffix = output_path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    raise BatchUsageError(f"{output_path}: the output must end in .csv or .jsonl")


class JsonlWriter:
    """One JSON object per record and line."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        # One encoder for the run: json.dumps with options builds a new one per call. Values
        # JSON has no type for (Decimal amounts) are written as their text.
        self._encode = json.JSONEncoder(ensure_ascii=False, default=str).encode

    def write(self, record: OutputRecord) -> None:
        self._out.write(self._encode(record.to_json()))
        self._out.write("\n")


class CsvWriter:
    """The input columns as read, then the added columns; every cell escaped."""

    def __init__(
        self,
        out: TextIO,
        header: Sequence[str],
        keys: Sequence[str],
        delimiter: str,
        added_columns: Sequence[str],
        *,
        write_header: bool = True,  # False: appending to a file that has it (a resumed run)
    ) -> None:
        self._keys = list(keys)
        self._writer = csv.writer(out, delimiter=delimiter, quoting=csv.QUOTE_ALL)
        taken = {normalized_header(cell) for cell in header}
        added = [f"screening_{c}" if c in taken else c for c in added_columns]
        if write_header:
            self._writer.writerow([escape_cell(cell) for cell in [*header, *added]])

    def write(self, record: OutputRecord) -> None:
        values = record.input
        cells = [values.get(key, "") for key in self._keys]
        cells += record.csv_cells()
        self._writer.writerow([escape_cell(cell) for cell in cells])


@contextmanager
def atomic_output(path: Path, encoding: str) -> Iterator[TextIO]:
    """A text file that appears at `path` only when the block completes; else nothing does."""
    try:
        fd, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".partial"
        )
    except OSError as exc:
        raise BatchOutputError(f"{path}: cannot write here: {exc.strerror or exc}") from None
    try:
        with open(fd, "w", encoding=encoding, newline="") as out:
            yield out
        os.replace(temporary, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


class EchoedInput(Protocol):
    """The input columns a CSV output echoes: header cells as read, row keys, delimiter."""

    @property
    def header(self) -> Sequence[str]: ...

    @property
    def keys(self) -> Sequence[str]: ...

    @property
    def delimiter(self) -> str: ...


@contextmanager
def record_file(
    path: Path, fmt: OutputFormat, table: EchoedInput, added_columns: Sequence[str]
) -> Iterator[Callable[[OutputRecord], None]]:
    """The write function of a JSONL or CSV output that appears only when the block completes.

    CSV output echoes `table`'s columns first, then `added_columns`.
    """
    with atomic_output(path, output_encoding(fmt)) as out:
        yield record_writer(out, fmt, table, added_columns)


def output_encoding(fmt: OutputFormat) -> str:
    """CSV gets a byte order mark, so that Excel reads it as UTF-8."""
    return "utf-8-sig" if fmt == "csv" else "utf-8"


def record_writer(
    out: TextIO,
    fmt: OutputFormat,
    table: EchoedInput,
    added_columns: Sequence[str],
    *,
    write_header: bool = True,
) -> Callable[[OutputRecord], None]:
    """The write function of a JSONL or CSV output on `out` (`record_file`'s format)."""
    if fmt == "csv":
        delimiter = ";" if table.delimiter == ";" else ","
        writer = CsvWriter(
            out, table.header, table.keys, delimiter, added_columns, write_header=write_header
        )
        return writer.write
    return JsonlWriter(out).write
