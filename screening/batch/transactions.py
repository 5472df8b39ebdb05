"""Transaction files in and out: CSV, JSONL and JSON readers, and the transaction batch.

`read_transactions(path)` streams the rows of a CSV, JSONL or JSON file, one `TxRow` each, in
order, with either the validated transaction or the reason the row could not be read; the
formats are documented on `screening.coalition.transactions`. `run_tx_batch` screens every row
with the rules through the batch runner (`screening.batch.runner`) and writes one record per
row, as JSON lines or as the input CSV with decision, risk_score, flag_count, flags and error
added (`screening.batch.writers`).
"""

from __future__ import annotations

import codecs
import json
import re
import time
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from screening.batch.errors import BatchInputError, MissingColumnError
from screening.batch.inputs import CsvInput
from screening.batch.names import QueryScreener, ScreenerOrFactory, open_screener
from screening.batch.runner import BatchSummary, ProgressCallback, run
from screening.batch.writers import output_format, record_file
from screening.coalition.profiles import InstitutionProfile
from screening.coalition.rules import Flag, screen_transaction
from screening.coalition.transactions import (
    LIST_SEPARATOR,
    TRANSACTION_FIELDS,
    Transaction,
    build_transaction,
)
from screening.matching.results import ListVersionRef, Thresholds

_JSON_CHUNK = 64 * 1024
_MAX_JSON_RECORD = 1024 * 1024


class TxInputError(BatchInputError):
    """The transaction file cannot be read as a whole (see `BatchInputError`)."""


@dataclass(slots=True)
class TxRow:
    """One input row: the transaction, or the reason it could not be read."""

    number: int  # 1-based data row (CSV: header is row 0, blank rows count) or JSON record
    values: dict[str, str]  # as read, for echoing back in CSV output
    transaction: Transaction | None = None
    problem: str | None = None
    line: int | None = None

    @property
    def tx_id(self) -> str | None:
        if self.transaction is not None:
            return self.transaction.tx_id
        raw = self.values.get("tx_id", "").strip()
        return raw or None


def _row(number: int, values: dict[str, str], raw: Mapping[str, Any], line: int | None) -> TxRow:
    try:
        return TxRow(number, values, build_transaction(raw), line=line)
    except ValueError as exc:
        return TxRow(number, values, problem=str(exc), line=line)


# -- CSV -------------------------------------------------------------------------------------


def _canonical(header_cell: str) -> str:
    return re.sub(r"[\s\-]+", "_", unicodedata.normalize("NFKC", header_cell).strip().casefold())


class TxCsvInput:
    """A transaction CSV: `CsvInput` plus the mapping of its columns to Transaction fields."""

    def __init__(self, path: Path) -> None:
        self.table = CsvInput(path)
        self.fields: dict[str, str] = {}  # row key -> Transaction field
        for key in self.table.keys:
            name = _canonical(key)
            if name in TRANSACTION_FIELDS and name not in self.fields.values():
                self.fields[key] = name
        if "tx_id" not in self.fields.values():
            self.table.close()
            raise MissingColumnError("tx_id", "no tx_id column", self.table.header)

    @property
    def header(self) -> list[str]:
        return self.table.header

    @property
    def keys(self) -> list[str]:
        return self.table.keys

    @property
    def delimiter(self) -> str:
        return self.table.delimiter

    @property
    def blank(self) -> int:
        return self.table.blank

    def rows(self) -> Iterator[TxRow]:
        """Each non-blank data row (blank rows keep their number and are counted in `blank`)."""
        for row in self.table.rows():
            if row.problem:
                yield TxRow(row.number, row.values, problem=row.problem, line=row.line)
                continue
            raw = {
                self.fields[key]: value for key, value in row.values.items() if key in self.fields
            }
            yield _row(row.number, row.values, raw, row.line)

    def close(self) -> None:
        self.table.close()


# -- JSON ------------------------------------------------------------------------------------


def _json_values(record: Mapping[str, Any]) -> dict[str, str]:
    values: dict[str, str] = {}
    for key, value in record.items():
        if isinstance(value, list):
            values[str(key)] = f"{LIST_SEPARATOR} ".join(str(item) for item in value)
        elif value is None:
            values[str(key)] = ""
        else:
            values[str(key)] = str(value)
    return values


def _json_record(number: int, record: Any, line: int | None) -> TxRow:
    if not isinstance(record, dict):
        problem = f"expected a JSON object, got {type(record).__name__}"
        return TxRow(number, {}, problem=problem, line=line)
    return _row(number, _json_values(record), record, line)


def _loads(text: str) -> Any:
    return json.loads(text, parse_float=Decimal)


def read_jsonl(path: Path) -> Iterator[TxRow]:
    """One row per non-blank line; a line that is not UTF-8 or not a JSON object is an error row."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise TxInputError(f"{path}: {exc.strerror or exc}") from None
    with handle:
        number = 0
        for line_number, raw in enumerate(handle, 1):
            if line_number == 1:
                raw = raw.removeprefix(codecs.BOM_UTF8)
            if not raw.strip():
                continue
            number += 1
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                problem = f"not UTF-8 (byte 0x{raw[exc.start]:02X} at column {exc.start + 1})"
                yield TxRow(number, {}, problem=problem, line=line_number)
                continue
            try:
                record = _loads(line)
            except json.JSONDecodeError as exc:
                yield TxRow(number, {}, problem=f"not valid JSON: {exc.msg}", line=line_number)
                continue
            yield _json_record(number, record, line_number)


def read_json_array(path: Path) -> Iterator[TxRow]:
    """The elements of a top-level JSON array (or one object), decoded one at a time."""
    decoder = json.JSONDecoder(parse_float=Decimal)
    try:
        handle = path.open(encoding="utf-8-sig")
    except OSError as exc:
        raise TxInputError(f"{path}: {exc.strerror or exc}") from None
    with handle:
        buffer, eof, offset = "", False, 0  # offset: characters dropped before buffer

        def fill() -> bool:
            nonlocal buffer, eof
            try:
                chunk = handle.read(_JSON_CHUNK)
            except UnicodeDecodeError as exc:
                raise TxInputError(f"{path}: not UTF-8 ({exc})") from None
            eof = not chunk
            buffer += chunk
            return bool(chunk)

        def skip_space() -> None:
            nonlocal buffer, offset
            while True:
                stripped = buffer.lstrip()
                offset += len(buffer) - len(stripped)
                buffer = stripped
                if buffer or not fill():
                    return

        skip_space()
        if not buffer:
            raise TxInputError(f"{path}: the file is empty")
        if buffer[0] == "{":
            # One object, not an array: one transaction.
            while not eof:
                fill()
            try:
                record = decoder.decode(buffer)
            except json.JSONDecodeError as exc:
                raise TxInputError(f"{path}: not valid JSON: {exc}") from None
            yield _json_record(1, record, None)
            return
        if buffer[0] != "[":
            raise TxInputError(f"{path}: expected a JSON array of transactions")
        buffer, offset = buffer[1:], offset + 1
        number = 0
        while True:
            skip_space()
            if not buffer:
                raise TxInputError(f"{path}: the JSON array is not closed (file truncated?)")
            if buffer[0] == "]":
                return
            if number and buffer[0] == ",":
                buffer, offset = buffer[1:], offset + 1
                skip_space()
            elif number:
                raise TxInputError(f"{path}: character {offset}: expected ',' or ']'")
            while True:
                try:
                    record, end = decoder.raw_decode(buffer)
                    break
                except json.JSONDecodeError as exc:
                    if eof or len(buffer) > _MAX_JSON_RECORD:
                        raise TxInputError(
                            f"{path}: element {number + 1} (character {offset + exc.pos}): "
                            f"not valid JSON: {exc.msg}"
                        ) from None
                    fill()
            number += 1
            buffer, offset = buffer[end:], offset + end
            yield _json_record(number, record, None)


# -- any file --------------------------------------------------------------------------------


def input_kind(path: Path) -> str:
    """csv, jsonl or json, by the extension (anything else is read as CSV)."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".json":
        return "json"
    return "csv"


class TxInput:
    """An open transaction file of any kind: header, delimiter, progress and rows in order."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.kind = input_kind(path)
        try:
            self.total_bytes = path.stat().st_size
        except OSError as exc:
            raise TxInputError(f"{path}: {exc.strerror or exc}") from None
        self._csv = TxCsvInput(path) if self.kind == "csv" else None
        self._json_rows = 0

    @property
    def header(self) -> list[str]:
        """Columns to echo in CSV output: the CSV header, or the model's fields for JSON."""
        return self._csv.header if self._csv else list(TRANSACTION_FIELDS)

    @property
    def keys(self) -> list[str]:
        return self._csv.keys if self._csv else list(TRANSACTION_FIELDS)

    @property
    def delimiter(self) -> str:
        return self._csv.delimiter if self._csv else ","

    @property
    def encoding(self) -> str:
        return self._csv.table.encoding if self._csv else "utf-8"

    @property
    def blank(self) -> int:
        """Blank CSV rows skipped so far (JSONL blank lines are not rows at all)."""
        return self._csv.blank if self._csv else 0

    @property
    def bytes_read(self) -> int:
        if self._csv:
            return self._csv.table.bytes_read
        return self.total_bytes if self._json_rows else 0

    def rows(self) -> Iterator[TxRow]:
        """Every transaction row in order; blank CSV rows are counted in `blank`, not yielded."""
        if self._csv is not None:
            yield from self._csv.rows()
            return
        reader = read_jsonl if self.kind == "jsonl" else read_json_array
        for row in reader(self.path):
            self._json_rows += 1
            yield row

    def close(self) -> None:
        if self._csv is not None:
            self._csv.close()

    def __enter__(self) -> TxInput:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_transactions(path: Path) -> Iterator[TxRow]:
    """Every transaction row of a CSV, JSONL or JSON file, in order (blank CSV rows skipped).

    Raises `TxInputError`/`BatchInputError` for the file as a whole: before the first row,
    or, for a JSON array, where the array stops being readable.
    """
    with TxInput(path) as table:
        yield from table.rows()


TxRowDecision = Literal["block", "review", "clear", "error"]

TX_DECISIONS = ("block", "review", "clear")
ADDED_CSV_COLUMNS = ("decision", "risk_score", "flag_count", "flags", "error")


@dataclass(slots=True)
class TxRecord:
    """The outcome for one input row: a screened transaction or an ``error`` with a reason."""

    row: int
    input: dict[str, str]
    tx_id: str | None
    decision: TxRowDecision
    risk_score: int | None = None
    flags: list[Flag] = field(default_factory=list)
    error: str | None = None
    line: int | None = None
    list_versions: list[ListVersionRef] = field(default_factory=list)  # not written out

    def to_json(self) -> dict[str, Any]:
        return {
            "tx_id": self.tx_id,
            "decision": self.decision,
            "risk_score": self.risk_score,
            "flags": [flag.to_json() for flag in self.flags],
            "row": self.row,
            "line": self.line,
            "error": self.error,
            "input": self.input,
        }

    def csv_cells(self) -> list[str]:
        """The values of `ADDED_CSV_COLUMNS`."""
        return [
            self.decision,
            "" if self.risk_score is None else str(self.risk_score),
            str(len(self.flags)),
            flags_text(self.flags),
            self.error or "",
        ]


def flags_text(flags: Sequence[Flag]) -> str:
    """One cell: ``RULE severity: message`` per flag, ``|``-separated."""
    return " | ".join(f"{flag.rule} {flag.severity.value}: {flag.message}" for flag in flags)


def screen_tx_row(
    row: TxRow,
    screener: QueryScreener,
    profile: InstitutionProfile,
    thresholds: Thresholds | None = None,
    lists: list[str] | None = None,
) -> TxRecord:
    """One record; a row that cannot be read or screened becomes an ``error`` record."""
    if row.transaction is None:
        return _failed_tx(row, row.problem or "unreadable row")
    try:
        result = screen_transaction(row.transaction, screener, profile, thresholds, lists)
    except ValueError as exc:
        return _failed_tx(row, str(exc) or type(exc).__name__)
    return TxRecord(
        row.number,
        row.values,
        result.tx_id,
        result.decision.value,
        result.risk_score,
        result.flags,
        line=row.line,
        list_versions=result.list_versions,
    )


def _failed_tx(row: TxRow, reason: str) -> TxRecord:
    return TxRecord(row.number, row.values, row.tx_id, "error", error=reason, line=row.line)


def run_tx_batch(
    input_path: Path,
    output_path: Path,
    screener: ScreenerOrFactory,
    profile: InstitutionProfile,
    thresholds: Thresholds | None = None,
    on_progress: ProgressCallback | None = None,
    lists: list[str] | None = None,
) -> BatchSummary:
    """Screen every transaction of a CSV/JSONL/JSON file; one record per row, in order.

    `lists` restricts party screening to these sources or datasets (default: every list).

    Same guarantees as `screening.batch.names.run_batch`: the screener factory is called only once
    the input is known to be readable; the output appears (atomically) only when every row is
    done. Raises `BatchUsageError`, `BatchInputError` (the input as a whole) or
    `BatchOutputError`; screener and database errors propagate, leaving no output.
    """
    started = time.perf_counter()
    fmt = output_format(input_path, output_path)
    with TxInput(input_path) as table:
        summary = BatchSummary(
            input_path,
            output_path,
            fmt,
            TX_DECISIONS,
            unit="transactions",
            label=f"profile {profile.name}",
            show_rate=False,
            encoding=table.encoding,
            delimiter=table.delimiter,
        )

        def row_screener() -> Callable[[TxRow], TxRecord]:
            active = open_screener(screener)
            return lambda row: screen_tx_row(row, active, profile, thresholds, lists)

        sink = record_file(output_path, fmt, table, ADDED_CSV_COLUMNS)
        return run(table, row_screener, sink, summary, on_progress, started=started)
