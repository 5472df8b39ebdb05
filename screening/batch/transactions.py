"""Transaction files in and out: CSV, JSONL and JSON readers, and the transaction batch.

`read_transactions(path)` streams the rows of a CSV, JSONL or JSON file, one `TxRow` each, in
order, with either the validated transaction or the reason the row could not be read; the
formats are documented on `screening.coalition.transactions`.

- CSV is read by `screening.batch.inputs` (blank lines counted, unbalanced quotes, control
  characters and binary files as documented there).
- JSONL: one row per non-blank line (blank lines are counted in `blank`). A line that is not
  UTF-8, holds a C0 control byte other than tab/CR/LF, nests deeper than `MAX_JSON_DEPTH`
  levels, is not JSON or not an object is an ``error`` row with its line.
- JSON: a top-level array (or one object) read one element at a time. An element that is not
  an object or not a transaction is an ``error`` row; an array that cannot be read (not JSON,
  not closed, an element nested deeper than `MAX_JSON_DEPTH`) refuses the file as a whole.
- In both, a value holding a control character (a ``\u0000`` escape) makes its row an
  ``error``, as in CSV; a file whose first bytes are mostly control bytes is refused as
  binary. Nesting is capped explicitly, before decoding, so that deep input never reaches
  the interpreter's recursion limit. `run_tx_batch` screens every row
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

from screening.batch.checkpoint import file_output
from screening.batch.errors import BatchInputError, MissingColumnError
from screening.batch.inputs import (
    BINARY_CONTENT,
    BINARY_HEAD_BYTES,
    CONTROL_BYTES,
    CONTROL_CHARACTERS,
    CsvInput,
    control_codes,
    looks_binary,
)
from screening.batch.names import ScreenerOrFactory, open_screener
from screening.batch.runner import BatchSummary, ProgressCallback, Scale, run
from screening.batch.writers import output_format
from screening.coalition.profiles import InstitutionProfile
from screening.coalition.rules import Flag, PartyScreener, screen_transaction
from screening.coalition.transactions import (
    LIST_SEPARATOR,
    TRANSACTION_FIELDS,
    Transaction,
    build_transaction,
)
from screening.matching.results import ListVersionRef, Thresholds

_JSON_CHUNK = 64 * 1024
_MAX_JSON_RECORD = 1024 * 1024
# A transaction is an object of scalars and lists (depth 2); anything near this is an attack
# or a mistake, and the decoder recurses once per level.
MAX_JSON_DEPTH = 64
# From a position outside any string: everything up to and including the next bracket,
# strings skipped whole. Possessive quantifiers keep both patterns linear on any input.
_TEXT = r'(?:[^"\[\]{}]++|"(?:[^"\\]++|\\.)*+")*+'
_TO_NEXT_BRACKET = re.compile(f"{_TEXT}([\\[\\]{{}}])", re.DOTALL)
# A transaction as it usually is, an object of scalars and flat lists (depth 2), in one match:
# the per-bracket loop is only for the rest.
_SHALLOW_OBJECT = re.compile(f"\\{{(?:{_TEXT}\\[{_TEXT}\\])*+{_TEXT}\\}}", re.DOTALL)


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


def tx_row(number: int, values: dict[str, str], raw: Mapping[str, Any], line: int | None) -> TxRow:
    """The row with its validated transaction, or with the reason it is not one."""
    try:
        return TxRow(number, values, build_transaction(raw), line=line)
    except ValueError as exc:
        return TxRow(number, values, problem=str(exc), line=line)


# -- CSV -------------------------------------------------------------------------------------


def _canonical(header_cell: str) -> str:
    return re.sub(r"[\s\-]+", "_", unicodedata.normalize("NFKC", header_cell).strip().casefold())


def transaction_fields(columns: Sequence[str]) -> dict[str, str]:
    """Input column -> Transaction field (case, spaces and dashes do not count; first wins)."""
    fields: dict[str, str] = {}
    for column in columns:
        name = _canonical(column)
        if name in TRANSACTION_FIELDS and name not in fields.values():
            fields[column] = name
    return fields


class TxCsvInput:
    """A transaction CSV: `CsvInput` plus the mapping of its columns to Transaction fields."""

    def __init__(self, path: Path) -> None:
        self.table = CsvInput(path)
        self.fields = transaction_fields(self.table.keys)  # row key -> Transaction field
        if "tx_id" not in self.fields.values():
            self.table.close()
            raise MissingColumnError("tx_id", f"{path}: no tx_id column", self.table.header)

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
            yield tx_row(row.number, row.values, raw, row.line)

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
    values = _json_values(record)
    if CONTROL_CHARACTERS.search("".join(values.values())):
        controlled = [key for key, value in values.items() if CONTROL_CHARACTERS.search(value)]
        codes = control_codes("".join(values[key] for key in controlled))
        where = ", ".join(repr(key) for key in controlled)
        problem = f"control characters ({codes}) in {where}: not text"
        shown = {key: CONTROL_CHARACTERS.sub("\ufffd", value) for key, value in values.items()}
        return TxRow(number, shown, problem=problem, line=line)
    return tx_row(number, values, record, line)


def nests_too_deep(text: str, start: int = 0) -> bool:
    """Whether the JSON value at `start` nests deeper than `MAX_JSON_DEPTH` arrays/objects.

    Reads only as far as that value goes (or as far as `text` goes, for a value cut short),
    without decoding it; strings are skipped, so brackets inside them do not count.
    """
    if text[start : start + 1] not in ("[", "{") or _SHALLOW_OBJECT.match(text, start):
        return False
    depth, position, match = 0, start, _TO_NEXT_BRACKET.match
    while found := match(text, position):
        if found.group(1) in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return True
        else:
            depth -= 1
            if depth <= 0:
                return False
        position = found.end()
    return False


def _loads(text: str) -> Any:
    return json.loads(text, parse_float=Decimal)


def _refuse_binary(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            head = handle.read(BINARY_HEAD_BYTES)
    except OSError as exc:
        raise TxInputError(f"{path}: {exc.strerror or exc}") from None
    if looks_binary(head):
        raise TxInputError(f"{path}: {BINARY_CONTENT}; expected UTF-8 JSON")


class JsonlInput:
    """A JSON lines file: one row per non-blank line, blank lines counted in `blank`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.blank = 0

    def rows(self) -> Iterator[TxRow]:
        """One row per non-blank line; a line that cannot be read is an ``error`` row."""
        try:
            handle = self.path.open("rb")
        except OSError as exc:
            raise TxInputError(f"{self.path}: {exc.strerror or exc}") from None
        with handle:
            number = 0
            for line_number, raw in enumerate(handle, 1):
                if line_number == 1:
                    raw = raw.removeprefix(codecs.BOM_UTF8)
                if not raw.strip():
                    self.blank += 1
                    continue
                number += 1
                yield self._line_row(number, line_number, raw)

    @staticmethod
    def _line_row(number: int, line_number: int, raw: bytes) -> TxRow:
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            undecodable = f"not UTF-8 (byte 0x{raw[exc.start]:02X} at column {exc.start + 1})"
            return TxRow(number, {}, problem=undecodable, line=line_number)
        problem = _jsonl_line_problem(line, raw)
        if problem is None:
            try:
                return _json_record(number, _loads(line), line_number)
            except json.JSONDecodeError as exc:
                problem = f"not valid JSON: {exc.msg}"
        return TxRow(number, {}, problem=problem, line=line_number)


def _jsonl_line_problem(line: str, raw: bytes) -> str | None:
    """Why a JSON line must not be decoded: control bytes, or nesting past the cap."""
    if control := CONTROL_BYTES.search(raw):
        return f"control characters ({control_codes(line)}) from column {control.start() + 1}"
    stripped = line.lstrip()
    if stripped.count("[") + stripped.count("{") > MAX_JSON_DEPTH and nests_too_deep(stripped):
        return f"nested deeper than {MAX_JSON_DEPTH} levels"
    return None


def read_jsonl(path: Path) -> Iterator[TxRow]:
    """The rows of a JSON lines file (`JsonlInput`)."""
    return JsonlInput(path).rows()


def read_json_array(path: Path) -> Iterator[TxRow]:
    """The elements of a top-level JSON array (or one object), decoded one at a time."""
    decoder = json.JSONDecoder(parse_float=Decimal)
    try:
        handle = path.open(encoding="utf-8-sig")
    except OSError as exc:
        raise TxInputError(f"{path}: {exc.strerror or exc}") from None
    too_deep = f"nested deeper than {MAX_JSON_DEPTH} levels"
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
            if nests_too_deep(buffer):
                raise TxInputError(f"{path}: {too_deep}")
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
                if nests_too_deep(buffer):
                    raise TxInputError(
                        f"{path}: element {number + 1} (character {offset}): {too_deep}"
                    )
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
        self._jsonl = JsonlInput(path) if self.kind == "jsonl" else None
        if self.kind != "csv":
            _refuse_binary(path)  # here, before a slow screener is opened for the rows
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
        """Blank CSV rows or JSONL lines skipped so far (a JSON array has none)."""
        if self._csv:
            return self._csv.blank
        return self._jsonl.blank if self._jsonl else 0

    @property
    def bytes_read(self) -> int:
        if self._csv:
            return self._csv.table.bytes_read
        return self.total_bytes if self._json_rows else 0

    def rows(self) -> Iterator[TxRow]:
        """Every transaction row in order; blank lines are counted in `blank`, not yielded."""
        if self._csv is not None:
            yield from self._csv.rows()
            return
        reader = self._jsonl.rows() if self._jsonl else read_json_array(self.path)
        for row in reader:
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
    screener: PartyScreener,
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
    scale: Scale | None = None,
) -> BatchSummary:
    """Screen every transaction of a CSV/JSONL/JSON file; one record per row, in order.

    `lists` restricts party screening to these sources or datasets (default: every list);
    `scale` says how many processes screen and whether the run can be resumed
    (`screening.batch.runner.Scale`); by default one process, not resumable.

    Same guarantees as `screening.batch.names.run_batch`: the screener factory is called only once
    the input is known to be readable; the output appears (atomically) only when every row is
    done. Raises `BatchUsageError`, `BatchInputError` (the input as a whole) or
    `BatchOutputError`; screener and database errors propagate, leaving no output.
    """
    started = time.perf_counter()
    scale = scale or Scale()
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
            # The payment rules also look up identifiers and scan free text: a transaction
            # batch needs a full screener (`screening.Screener`), not only `screen_query`.
            if not isinstance(active, PartyScreener):
                raise TypeError(f"{type(active).__name__} cannot screen transactions")
            return lambda row: screen_tx_row(row, active, profile, thresholds, lists)

        identity = {
            "profile": profile.model_dump(mode="json"),
            "thresholds": thresholds.model_dump() if thresholds else None,
            "lists": lists,
        }
        sink, checkpoint = file_output(
            output_path, fmt, table, ADDED_CSV_COLUMNS, scale, input_path, identity
        )
        return run(
            table,
            row_screener,
            sink,
            summary,
            on_progress,
            started=started,
            scale=scale,
            checkpoint=checkpoint,
        )
