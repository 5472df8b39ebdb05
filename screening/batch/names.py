"""Batch screening: a CSV of parties in, one screening record per row out (CSV or JSONL).

The core is a Python API that bank code can call without the CLI:

    from screening import Screener
    from screening.batch.names import BatchOptions, run_batch

    summary = run_batch(Path("customers.csv"), Path("screened.jsonl"), Screener.open())

or, for rows that are already in memory or come from elsewhere, `screen_rows` (one
`BatchRecord` per row, lazily, in order) and `Columns`.

Input (any size; memory stays flat: one row is held at a time and each record is written as
soon as it is ready):

- Encoding, decided from the bytes: a UTF-8 byte order mark means UTF-8 (the mark is dropped);
  a UTF-16 mark means UTF-16 (Excel's "Unicode text"). Otherwise the whole file is scanned
  once: valid UTF-8 is read as UTF-8; a file with invalid UTF-8 is read as cp1252 (Windows
  Western European, what Excel writes as "CSV") unless it also holds more valid multi-byte
  UTF-8 characters than invalid bytes. Such a file is UTF-8 with a few rows pasted from
  elsewhere, and only those rows get decision ``error``. Bytes that the chosen encoding cannot
  decode (also cp1252's five unassigned bytes) make that row an ``error`` row, never the run.
- Delimiter: comma, semicolon, tab or pipe, found by `csv.Sniffer` on the first 64 KiB and
  checked against the header line; when the sniffer fails or picks a character missing from
  the header, the candidate giving the most rows with the header's field count wins. A header
  with none of them means one column, read with a tab delimiter so that commas in names
  ("Petrov, Ivan") stay in the name. Quotes are always ``"``; quoted cells may hold delimiters,
  quotes (doubled) and newlines.
- The first row is the header. Columns are found by name, case-insensitively, among common
  names (`NAME_COLUMNS`, `TYPE_COLUMNS`, `COUNTRY_COLUMNS`, `BIRTH_DATE_COLUMNS`) unless given.
  Only the name column is required.
- Rows whose cells are all empty are blank lines, not parties: they are skipped and counted
  (`BatchSummary.blank`), but they keep their place in the row numbering.

Output: exactly one record per non-blank data row, in input order. ``row`` is the 1-based
data row number (the header is row 0, blank rows count) and ``line`` the physical line where
the row starts (they differ after a quoted newline).

- ``.jsonl`` (or ``.ndjson``): one JSON object per line, UTF-8: row, line, decision
  (match, review, clear or error), top_score, hits (source, entry_id, name, matched_name,
  schema, score, decision, programs, also_listed), input (column -> value, as read), error
  (the reason, or null) and, for rows with too many fields, extra_fields.
- ``.csv``: the input columns, then decision, top_score, hit_count, top_hits
  ("ofac:12345 NAME (0.93); un:..."; the best `TOP_HITS_IN_CSV`) and error. Added columns
  whose name is already an input column get a ``screening_`` prefix. The delimiter is a
  semicolon when the input's was (Excel in many European locales), else a comma. The file is
  UTF-8 with a byte order mark (so Excel reads it as UTF-8) and follows the OWASP
  CSV-injection guidance: every cell is quoted and every cell that starts with
  ``= + - @``, a tab or a carriage return (input values echoed back, header cells and listed
  names alike) gets a leading ``'`` so a spreadsheet shows it as text instead of running it.
  JSONL output keeps values exactly as read.

The output is written to a temporary file next to the target and renamed over it only when
every row is done: a run that fails (unreadable input, missing column, database error,
interrupt) leaves no half-written file, and an output file from an earlier run untouched.
The file is created readable by its owner only, as it holds customer data.

A row gets decision ``error`` (with a reason) and the run goes on when it cannot be read
(wrong field count, undecodable bytes, a stretch the CSV parser cannot read, such as an
unbalanced quote running past the field size limit), has an empty name, an unknown type
(person/individual, organization/organisation/entity/company, vessel/ship and aircraft are
understood, case-insensitively) or a value the screener rejects (an unknown country, an
unreadable birth date, a name over 500 characters).

Exit codes of ``coalition batch`` (0/1/2/3 as for every ``coalition`` command):
  0  every row screened (with or without hits)
  1  the input cannot be read as a whole (missing, empty, binary, no header) or has no name
     column (the error lists the columns), the output cannot be written, or no lists are
     loaded; no output is written
  2  usage error (unknown option, threshold outside 0..1, output not .csv/.jsonl or the
     input file itself)
  3  the database could not be reached; no output is written
  4  finished and wrote every record, but some rows have decision ``error``
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Literal, Protocol, TextIO, runtime_checkable

from pydantic import ValidationError

from screening.matching.results import (
    Decision,
    Hit,
    ListVersionRef,
    Query,
    ScreeningResult,
    Thresholds,
)
from screening.matching.screener import parse_schema

RowDecision = Literal["match", "review", "clear", "error"]
OutputFormat = Literal["csv", "jsonl"]

ERROR: RowDecision = "error"
_DECISIONS: Mapping[Decision, RowDecision] = {
    Decision.MATCH: "match",
    Decision.REVIEW: "review",
    Decision.CLEAR: "clear",
}

NAME_COLUMNS = (
    "name",
    "full_name",
    "fullname",
    "party_name",
    "customer_name",
    "client_name",
    "counterparty_name",
    "counterparty",
    "beneficiary_name",
    "entity_name",
    "account_name",
    "legal_name",
    "company_name",
)
TYPE_COLUMNS = ("type", "entity_type", "schema", "party_type", "customer_type", "kind")
COUNTRY_COLUMNS = (
    "country",
    "nationality",
    "country_code",
    "citizenship",
    "country_of_residence",
    "residence_country",
)
BIRTH_DATE_COLUMNS = ("dob", "birth_date", "date_of_birth", "birthdate", "born")


DELIMITERS = ",;\t|"
ONE_COLUMN_DELIMITER = "\t"
TOP_HITS_IN_CSV = 5
ADDED_CSV_COLUMNS = ("decision", "top_score", "hit_count", "top_hits", "error")

_SNIFF_BYTES = 64 * 1024
_SCAN_CHUNK = 1024 * 1024
_READ_BUFFER = 64 * 1024
_PROGRESS_EVERY_SECONDS = 0.1
_MAX_ERRORS_KEPT = 20
# surrogateescape turns every byte the codec cannot decode into one of these code points.
_UNDECODED = re.compile("[\udc80-\udcff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SEPARATORS = re.compile(r"[\s_\-]+")


class BatchError(Exception):
    """The batch cannot run at all; the message says why, for a person."""


class BatchInputError(BatchError):
    """The input file cannot be read as a whole (missing, empty, binary, no header)."""


class MissingColumnError(BatchInputError):
    def __init__(self, role: str, message: str, available: Sequence[str]) -> None:
        self.role = role
        self.available = list(available)
        shown = ", ".join(repr(c) for c in available) or "none"
        super().__init__(f"{message}; available columns: {shown}")


class BatchOutputError(BatchError):
    """The output cannot be written (unwritable folder, disk full)."""


class BatchUsageError(BatchError):
    """The paths asked for make no sense: output not .csv/.jsonl, or the input itself."""


@runtime_checkable
class QueryScreener(Protocol):
    """What batch needs of a screener (`screening.Screener` is one)."""

    def screen_query(
        self, query: Query, thresholds: Thresholds | None = None
    ) -> ScreeningResult: ...


# -- columns ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ColumnChoice:
    """Columns asked for by the caller (matched case-insensitively); None: detect."""

    name: str | None = None
    type: str | None = None
    country: str | None = None
    birth_date: str | None = None


@dataclass(frozen=True, slots=True)
class Columns:
    """The input columns (row keys) each query field is read from."""

    name: str
    type: str | None = None
    country: str | None = None
    birth_date: str | None = None

    @classmethod
    def detect(cls, header: Sequence[str], chosen: ColumnChoice | None = None) -> Columns:
        """Resolve the chosen columns or find them among the common names; only name is needed."""
        chosen = chosen or ColumnChoice()
        name = _find_column(header, "name", chosen.name, NAME_COLUMNS)
        if name is None:
            raise MissingColumnError(
                "name",
                f"no name column: looked for {', '.join(NAME_COLUMNS)} (any case); "
                "name the column explicitly (--name-column)",
                header,
            )
        return cls(
            name=name,
            type=_find_column(header, "type", chosen.type, TYPE_COLUMNS),
            country=_find_column(header, "country", chosen.country, COUNTRY_COLUMNS),
            birth_date=_find_column(header, "birth date", chosen.birth_date, BIRTH_DATE_COLUMNS),
        )


def _normalized_header(text: str) -> str:
    return _SEPARATORS.sub("_", text.strip().casefold()).strip("_")


def _find_column(
    header: Sequence[str], role: str, chosen: str | None, common: Sequence[str]
) -> str | None:
    if chosen is not None:
        if chosen in header:
            return chosen
        wanted = _normalized_header(chosen)
        for column in header:
            if _normalized_header(column) == wanted:
                return column
        raise MissingColumnError(role, f"no {role} column {chosen!r}", header)
    by_normal: dict[str, str] = {}
    for column in header:
        by_normal.setdefault(_normalized_header(column), column)
    for candidate in common:
        if candidate in by_normal:
            return by_normal[candidate]
    return None


# -- reading ---------------------------------------------------------------------------------


@dataclass(slots=True)
class InputRow:
    """One data row as read: values by column, or the problem that kept it from being read."""

    number: int
    values: dict[str, str]
    line: int | None = None
    problem: str | None = None
    extra_fields: list[str] = field(default_factory=list)

    @property
    def is_blank(self) -> bool:
        """A row with nothing in it: a blank line or empty cells only, and no problem."""
        return self.problem is None and not any(value.strip() for value in self.values.values())


class _CountingReader(io.RawIOBase):
    """Counts the bytes taken from the file, which is what the progress bar shows."""

    def __init__(self, raw: io.FileIO) -> None:
        self._raw = raw
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self._raw.readinto(buffer)
        self.consumed += count
        return count

    def close(self) -> None:
        self._raw.close()
        super().close()


def read_head(path: Path, encoding: str) -> str:
    """The first 64 KiB as text, cut after the last whole line when the file is longer."""
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
        longer = bool(handle.read(1))
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    text = decoder.decode(head, final=not longer)
    if longer and "\n" in text:
        text = text[: text.rfind("\n") + 1]
    return text


def sniff_encoding(path: Path) -> str:
    """utf-8-sig, utf-16, utf-8 or cp1252, decided from the file's bytes (module docstring)."""
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
        _check_not_binary(path, head)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        handle.seek(0)
        return _utf8_or_cp1252(handle)


def _check_not_binary(path: Path, head: bytes) -> None:
    if not head:
        raise BatchInputError(f"{path}: the file is empty (a header row is needed)")
    if head.startswith(b"PK\x03\x04"):
        raise BatchInputError(
            f"{path}: this is a ZIP archive (an .xlsx workbook?); save it as CSV first"
        )
    utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if b"\x00" in head and not utf16:
        raise BatchInputError(
            f"{path}: binary content (NUL bytes); expected a CSV text file in UTF-8 or cp1252"
            " (UTF-16 needs its byte order mark)"
        )


def _utf8_or_cp1252(handle: BinaryIO) -> str:
    decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
    invalid = valid_multibyte = 0
    while True:
        chunk = handle.read(_SCAN_CHUNK)
        text = decoder.decode(chunk, final=not chunk)
        if not text.isascii():
            bad = len(_UNDECODED.findall(text))
            invalid += bad
            valid_multibyte += len(text) - len(text.encode("ascii", "ignore")) - bad
        if not chunk:
            break
    if invalid == 0 or valid_multibyte > invalid:
        return "utf-8"
    return "cp1252"


def sniff_delimiter(head: str) -> str:
    """The delimiter among `DELIMITERS` (module docstring); head is the start of the text."""
    header_line = next((line for line in head.splitlines() if line.strip()), "")
    try:
        delimiter = csv.Sniffer().sniff(head, delimiters=DELIMITERS).delimiter
    except csv.Error:
        delimiter = ""
    if delimiter and delimiter in header_line:
        return delimiter
    return _most_consistent_delimiter(head, header_line)


def _most_consistent_delimiter(head: str, header_line: str) -> str:
    best, best_key = ONE_COLUMN_DELIMITER, (-1.0, 0)
    for candidate in DELIMITERS:
        if candidate not in header_line:
            continue
        rows = [row for row in csv.reader(io.StringIO(head), delimiter=candidate) if row]
        width = len(rows[0])
        data = rows[1:-1]  # the last row may be cut short by the sample
        consistent = sum(len(row) == width for row in data) / len(data) if data else 1.0
        if (consistent, width) > best_key:
            best, best_key = candidate, (consistent, width)
    return best


def unique_keys(header: Sequence[str]) -> list[str]:
    """Header cells as distinct, non-empty row keys: duplicates get _2, _3; blanks column_N."""
    keys: list[str] = []
    seen: set[str] = set()
    for index, cell in enumerate(header, 1):
        base = cell.strip() or f"column_{index}"
        key, suffix = base, 2
        while key in seen:
            key, suffix = f"{base}_{suffix}", suffix + 1
        seen.add(key)
        keys.append(key)
    return keys


class CsvInput:
    """An open CSV file: sniffed encoding and delimiter, header, rows streamed one at a time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.total_bytes = path.stat().st_size
            self.encoding = sniff_encoding(path)
            self.delimiter = sniff_delimiter(read_head(path, self.encoding))
            self._counter = _CountingReader(io.FileIO(path, "rb"))
        except OSError as exc:
            raise BatchInputError(f"{path}: {exc.strerror or exc}") from None
        buffered = io.BufferedReader(self._counter, buffer_size=_READ_BUFFER)
        self._text = io.TextIOWrapper(
            buffered, encoding=self.encoding, errors="surrogateescape", newline=""
        )
        try:
            self._reader = csv.reader(self._text, delimiter=self.delimiter)
            self.header = self._read_header()
        except BaseException:
            self.close()
            raise
        self.keys = unique_keys(self.header)

    def _read_header(self) -> list[str]:
        try:
            for cells in self._reader:
                if any(cell.strip() for cell in cells):
                    return [_UNDECODED.sub("\ufffd", cell) for cell in cells]
        except csv.Error as exc:
            raise BatchInputError(
                f"{self.path}: line {self._reader.line_num}: cannot read the header: {exc}"
            ) from None
        raise BatchInputError(f"{self.path}: no header row (the file has only blank lines)")

    @property
    def bytes_read(self) -> int:
        return self._counter.consumed

    def rows(self) -> Iterator[InputRow]:
        """Every data row in order, blank rows included (`InputRow.is_blank`)."""
        reader, keys = self._reader, self.keys
        number = 0
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                number += 1
                problem = (
                    f"lines {start}-{reader.line_num} cannot be read as CSV ({exc}); "
                    "an unbalanced quote?"
                )
                yield InputRow(number, {}, start, problem)
                continue
            number += 1
            yield self._row(number, start, cells, keys)

    def _row(self, number: int, line: int, cells: list[str], keys: list[str]) -> InputRow:
        problem = None
        if _UNDECODED.search("".join(cells)):
            undecodable = [i for i, cell in enumerate(cells) if _UNDECODED.search(cell)]
            problem = self._undecodable(cells, undecodable, keys)
            cells = [_UNDECODED.sub("\ufffd", cell) for cell in cells]
        row = InputRow(number, dict(zip(keys, cells, strict=False)), line, problem)
        if len(cells) != len(keys) and any(cell.strip() for cell in cells):
            row.problem = row.problem or (
                f"row has {len(cells)} fields, the header has {len(keys)}"
            )
            row.extra_fields = cells[len(keys) :]
        return row

    def _undecodable(self, cells: list[str], indexes: list[int], keys: list[str]) -> str:
        columns = ", ".join(repr(keys[i]) if i < len(keys) else f"field {i + 1}" for i in indexes)
        found = "".join(_UNDECODED.findall("".join(cells[i] for i in indexes)))
        raw = " ".join(f"0x{ord(ch) - 0xDC00:02X}" for ch in found[:8])
        return f"bytes that are not valid {self.encoding} ({raw}) in {columns}"

    def close(self) -> None:
        self._text.close()

    def __enter__(self) -> CsvInput:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# -- screening -------------------------------------------------------------------------------


@dataclass(slots=True)
class BatchRecord:
    """The outcome for one input row."""

    row: int
    input: dict[str, str]
    decision: RowDecision
    hits: list[Hit] = field(default_factory=list)
    error: str | None = None
    line: int | None = None
    extra_fields: list[str] = field(default_factory=list)
    list_versions: list[ListVersionRef] = field(default_factory=list)

    @property
    def top_score(self) -> float | None:
        return self.hits[0].score if self.hits else None

    def to_json(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "row": self.row,
            "line": self.line,
            "decision": self.decision,
            "top_score": _rounded(self.top_score),
            "hits": [_hit_json(hit) for hit in self.hits],
            "input": self.input,
            "error": self.error,
        }
        if self.extra_fields:
            record["extra_fields"] = self.extra_fields
        return record


def _rounded(score: float | None) -> float | None:
    return None if score is None else round(score, 4)


def _hit_json(hit: Hit) -> dict[str, Any]:
    return {
        "source": hit.source.value,
        "entry_id": hit.entry_id,
        "name": hit.name,
        "matched_name": hit.matched_name,
        "schema": hit.schema_.value,
        "score": _rounded(hit.score),
        "decision": hit.decision.value,
        "programs": hit.programs,
        "also_listed": [
            {"source": ref.source.value, "entry_id": ref.entry_id, "name": ref.name}
            for ref in hit.also_listed
        ],
    }


def build_query(values: Mapping[str, str], columns: Columns) -> Query:
    """The query for one row. Raises ValueError with a short reason for a row that has none."""

    def cell(column: str | None) -> str:
        return (values.get(column) or "").strip() if column else ""

    name = cell(columns.name)
    if not name:
        raise ValueError(f"empty name (column {columns.name!r})")
    schema = parse_schema(cell(columns.type))
    try:
        return Query.model_validate(
            {
                "name": name,
                "type": schema,
                "country": cell(columns.country) or None,
                "birth_date": cell(columns.birth_date) or None,
            }
        )
    except ValidationError as exc:
        raise ValueError(_short_validation(exc)) from None


def _short_validation(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}" for error in exc.errors()
    )


def screen_row(
    row: InputRow,
    screener: QueryScreener,
    columns: Columns,
    thresholds: Thresholds | None = None,
) -> BatchRecord:
    """Screen one row; a row that cannot be screened becomes an error record, not an exception.

    Database and other unexpected errors from the screener propagate: they are not the row's.
    """
    if row.problem:
        return _failed(row, row.problem)
    try:
        query = build_query(row.values, columns)
        result = screener.screen_query(query, thresholds)
    except ValueError as exc:
        return _failed(row, str(exc) or type(exc).__name__)
    return BatchRecord(
        row.number,
        row.values,
        _DECISIONS[result.decision],
        hits=result.hits,
        line=row.line,
        list_versions=result.list_versions,
    )


def _failed(row: InputRow, reason: str) -> BatchRecord:
    return BatchRecord(
        row.number, row.values, ERROR, error=reason, line=row.line, extra_fields=row.extra_fields
    )


def screen_rows(
    rows: Iterable[InputRow | Mapping[str, str]],
    screener: QueryScreener,
    columns: Columns,
    thresholds: Thresholds | None = None,
) -> Iterator[BatchRecord]:
    """One record per row, lazily and in order. Plain mappings are numbered from 1."""
    for number, row in enumerate(rows, 1):
        read = row if isinstance(row, InputRow) else InputRow(number, dict(row))
        yield screen_row(read, screener, columns, thresholds)


def thresholds_with_report(report: float, base: Thresholds | None = None) -> Thresholds:
    """`base` with the lowest reported score set to `report` (0..1).

    Review and match are raised to `report` when they are below it: a score that is not
    reported cannot ask for review.
    """
    base = base or Thresholds()
    return Thresholds(match=max(base.match, report), review=max(base.review, report), report=report)


# -- writing ---------------------------------------------------------------------------------


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


class RecordWriter(Protocol):
    def write(self, record: BatchRecord) -> None: ...


class JsonlWriter:
    def __init__(self, out: TextIO) -> None:
        self._out = out
        # One encoder for the run: json.dumps with options builds a new one per call.
        self._encode = json.JSONEncoder(ensure_ascii=False).encode

    def write(self, record: BatchRecord) -> None:
        self._out.write(self._encode(record.to_json()))
        self._out.write("\n")


class CsvWriter:
    """The input columns as read, then the added columns; every cell escaped."""

    def __init__(self, out: TextIO, header: Sequence[str], keys: Sequence[str], delimiter: str):
        self._keys = list(keys)
        self._writer = csv.writer(out, delimiter=delimiter, quoting=csv.QUOTE_ALL)
        taken = {_normalized_header(cell) for cell in header}
        added = [f"screening_{c}" if c in taken else c for c in ADDED_CSV_COLUMNS]
        self._writer.writerow([escape_cell(cell) for cell in [*header, *added]])

    def write(self, record: BatchRecord) -> None:
        values = record.input
        top = record.top_score
        cells = [values.get(key, "") for key in self._keys]
        cells += [
            record.decision,
            "" if top is None else f"{top:.3f}",
            str(len(record.hits)),
            top_hits_text(record.hits),
            record.error or "",
        ]
        self._writer.writerow([escape_cell(cell) for cell in cells])


def top_hits_text(hits: Sequence[Hit], limit: int = TOP_HITS_IN_CSV) -> str:
    text = "; ".join(
        f"{hit.source.value}:{hit.entry_id} {hit.name} ({hit.score:.2f})" for hit in hits[:limit]
    )
    if len(hits) > limit:
        text += f"; … {len(hits) - limit} more"
    return text


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


# -- the run ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BatchOptions:
    columns: ColumnChoice = field(default_factory=ColumnChoice)
    # The lowest score reported as a hit, applied to the screener's own thresholds
    # (`thresholds_with_report`); ignored when `thresholds` is given.
    report_threshold: float | None = None
    thresholds: Thresholds | None = None  # None: the screener's own

    def __post_init__(self) -> None:
        if self.report_threshold is not None and not 0 <= self.report_threshold <= 1:
            raise ValueError(f"threshold {self.report_threshold} is not between 0 and 1")

    def thresholds_for(self, screener: QueryScreener) -> Thresholds | None:
        if self.thresholds is not None or self.report_threshold is None:
            return self.thresholds
        own = getattr(screener, "thresholds", None)
        base = own if isinstance(own, Thresholds) else None
        return thresholds_with_report(self.report_threshold, base)


@dataclass(slots=True)
class BatchSummary:
    input_path: Path
    output_path: Path
    output_format: OutputFormat
    encoding: str
    delimiter: str
    columns: Columns
    rows: int = 0
    match: int = 0
    review: int = 0
    clear: int = 0
    error: int = 0
    blank: int = 0
    elapsed: float = 0.0  # the whole run: encoding scan, screener start-up, rows
    screening_seconds: float = 0.0  # from the first row to the last
    list_versions: list[ListVersionRef] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # the first few, for the log

    @property
    def rows_per_second(self) -> float:
        """Rows per second of screening time (start-up excluded)."""
        return self.rows / self.screening_seconds if self.screening_seconds > 0 else 0.0

    def count(self, record: BatchRecord) -> None:
        self.rows += 1
        if record.decision == "match":
            self.match += 1
        elif record.decision == "review":
            self.review += 1
        elif record.decision == "clear":
            self.clear += 1
        else:
            self.error += 1
            if len(self.errors) < _MAX_ERRORS_KEPT:
                self.errors.append((record.row, record.error or ""))
        if record.list_versions and not self.list_versions:
            self.list_versions = record.list_versions

    def report_lines(self, errors_shown: int = 5) -> list[str]:
        """The closing summary for a person: counts, speed, how the input was read, lists."""
        columns = self.columns
        lines = [
            f"{self.rows:,} rows: match {self.match:,}, review {self.review:,}, "
            f"clear {self.clear:,}, error {self.error:,}"
            + (f" ({self.blank:,} blank rows skipped)" if self.blank else ""),
            f"elapsed {self.elapsed:.1f} s, {self.rows_per_second:,.0f} rows/s",
            f"read {self.input_path} as {self.encoding}, delimiter {self.delimiter!r}; columns:"
            f" name {columns.name!r}, type {_shown(columns.type)}, country"
            f" {_shown(columns.country)}, birth date {_shown(columns.birth_date)}",
        ]
        lines += summary_tail(
            self.list_versions,
            self.errors,
            self.error,
            f"wrote {self.output_path} ({self.output_format})",
            errors_shown,
        )
        return lines


def summary_tail(
    list_versions: Sequence[ListVersionRef],
    errors: Sequence[tuple[int, str]],
    error_count: int,
    last_line: str,
    errors_shown: int,
) -> list[str]:
    """The end of a batch summary (name or transaction): lists used, first errors, output."""
    lines = []
    if list_versions:
        lines.append(
            "lists: "
            + ", ".join(
                f"{v.source.value} version {v.version_id} ({v.published_on})" for v in list_versions
            )
        )
    lines += [f"error in row {row}: {reason}" for row, reason in errors[:errors_shown]]
    if error_count > errors_shown:
        lines.append(f"… {error_count - errors_shown:,} more rows with decision error")
    lines.append(last_line)
    return lines


def _shown(column: str | None) -> str:
    return repr(column) if column else "none"


ScreenerOrFactory = QueryScreener | Callable[[], QueryScreener]
# Called with (bytes read, total bytes, rows written) at most ten times a second and at the end.
ProgressCallback = Callable[[int, int, int], None]


def run_batch(
    input_path: Path,
    output_path: Path,
    screener: ScreenerOrFactory,
    options: BatchOptions | None = None,
    on_progress: ProgressCallback | None = None,
) -> BatchSummary:
    """Screen every row of a CSV file and write one record per row to a .csv or .jsonl file.

    `screener` may be a factory, called only once the input is known to be readable and to
    have a name column, so that a bad file fails before a slow index load. Raises
    `BatchUsageError`, `BatchInputError` (also `MissingColumnError`) or `BatchOutputError`
    before any output exists; errors from the screener propagate, and then no output is left either.
    """
    options = options or BatchOptions()
    started = time.perf_counter()
    fmt = output_format(input_path, output_path)
    with CsvInput(input_path) as table:
        columns = Columns.detect(table.keys, options.columns)
        summary = BatchSummary(
            input_path, output_path, fmt, table.encoding, table.delimiter, columns
        )
        active = screener if isinstance(screener, QueryScreener) else screener()
        with atomic_output(output_path, "utf-8-sig" if fmt == "csv" else "utf-8") as out:
            writer: RecordWriter = (
                CsvWriter(out, table.header, table.keys, ";" if table.delimiter == ";" else ",")
                if fmt == "csv"
                else JsonlWriter(out)
            )
            thresholds = options.thresholds_for(active)
            _screen_all(table, active, columns, thresholds, writer, summary, on_progress)
    summary.elapsed = time.perf_counter() - started
    return summary


def _screen_all(
    table: CsvInput,
    screener: QueryScreener,
    columns: Columns,
    thresholds: Thresholds | None,
    writer: RecordWriter,
    summary: BatchSummary,
    on_progress: ProgressCallback | None,
) -> None:
    started = time.perf_counter()
    next_report = 0.0
    for row in table.rows():
        if row.is_blank:
            summary.blank += 1
            continue
        record = screen_row(row, screener, columns, thresholds)
        writer.write(record)
        summary.count(record)
        if on_progress is not None and (now := time.monotonic()) >= next_report:
            next_report = now + _PROGRESS_EVERY_SECONDS
            on_progress(table.bytes_read, table.total_bytes, summary.rows)
    summary.screening_seconds = time.perf_counter() - started
    if on_progress is not None:
        on_progress(table.total_bytes, table.total_bytes, summary.rows)
