"""Tabular input for batches: any CSV a bank exports, read one row at a time.

Memory stays flat whatever the size: one row is held at a time.

- Encoding, decided from the bytes: a UTF-8 byte order mark means UTF-8 (the mark is dropped);
  a UTF-16 mark means UTF-16 (Excel's "Unicode text"). Otherwise the whole file is scanned
  once: valid UTF-8 is read as UTF-8; a file with invalid UTF-8 is read as cp1252 (Windows
  Western European, what Excel writes as "CSV") unless it also holds more valid multi-byte
  UTF-8 characters than invalid bytes. Such a file is UTF-8 with a few rows pasted from
  elsewhere, and only those rows get a problem. Bytes that the chosen encoding cannot decode
  (also cp1252's five unassigned bytes) give that row a problem, never the run.
- Delimiter: comma, semicolon, tab or pipe, found by `csv.Sniffer` on the first 64 KiB and
  checked against the header line; when the sniffer fails or picks a character missing from
  the header, the candidate giving the most rows with the header's field count wins. A header
  with none of them means one column, read with a tab delimiter so that commas in names
  ("Petrov, Ivan") stay in the name. Quotes are always ``"``; quoted cells may hold delimiters,
  quotes (doubled) and newlines.
- The first non-blank row is the header; its cells become distinct row keys (`unique_keys`).
  Columns are found by name, case-insensitively and ignoring spaces, dashes and underscores
  (`find_column`).
- Rows whose cells are all empty are blank lines, not data: `CsvInput.rows` skips and counts
  them (`CsvInput.blank`), but they keep their place in the row numbering. ``number`` is the
  1-based data row number (the header is row 0, blank rows count) and ``line`` the physical
  line where the row starts (they differ after a quoted newline).
- A row that cannot be read keeps its place with a ``problem``: a wrong field count,
  undecodable bytes, control characters, or a stretch the CSV parser cannot read.
- Binary files and control characters: a file whose first 4 KiB are at least a quarter NUL or
  other C0 control bytes (a real binary, or UTF-16 without its byte order mark) is refused as
  a whole. Otherwise a row holding a C0 control character other than tab, CR and LF (NUL
  included, wherever it is in the file) gets a problem naming the characters and columns, and
  those characters, like undecodable bytes, are shown as U+FFFD in its values. A header
  holding one is refused.
- Unbalanced quotes. A quoted cell may span lines, but a quote that is never closed (or is
  closed only by the opening quote of a later row) swallows the rows that follow into one
  cell. So when one record spans several physical lines, the lines it swallowed are checked,
  and the record is an unbalanced-quote error when:

  - a swallowed line, read on its own, looks like a whole row: the header's number of fields,
    and quotes only around whole cells (the line where a real quoted newline ends has its
    closing quote in mid-cell: ``Petrov",RU``), or
  - the record's field count differs from the header's, or
  - a quote that closes a quoted cell is followed by anything but a delimiter or the line
    end (read strictly: the quote was in fact the opening quote of a later row's cell).

  The record becomes one row with the problem ("an unbalanced quote at line N swallowed lines
  N+1-M ...") and the values of its first line read on its own; lines N+1 to M are then read
  again, as rows of their own. Every physical data line thus yields exactly one row (a
  legitimate quoted newline still yields one row for its lines). The rule cannot tell every
  case: a quoted cell whose inner lines look like rows (a multi-line address in a file of few
  columns) is reported too, which is the safe side.
- One row (a record, which may span lines inside quotes) may be at most `MAX_ROW_CHARS`
  characters: an unbalanced quote would otherwise swallow the rest of the file into one cell.
  The stretch read so far becomes one row with a problem and the lines after its first are
  read again, as above. The limit is enforced here, not by ``csv.field_size_limit``, which is
  process-wide and may have been raised by other code; a single physical line longer than the
  limit is never held in memory whole.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from screening.batch.errors import BatchInputError, MissingColumnError

DELIMITERS = ",;\t|"
ONE_COLUMN_DELIMITER = "\t"
# The csv module's default field size limit, applied to a whole row and independent of the
# process-wide setting. No row of a party or transaction file comes near it.
MAX_ROW_CHARS = 128 * 1024

# A file is binary when at least this share of its first bytes are NUL or C0 controls.
BINARY_HEAD_BYTES = 4 * 1024
BINARY_CONTROL_SHARE = 0.25

_SNIFF_BYTES = 64 * 1024
_SCAN_CHUNK = 1024 * 1024
_READ_BUFFER = 64 * 1024
# Every byte the codec cannot decode becomes U+DC00 + byte (`_escape_undecodable`): like
# surrogateescape, which refuses bytes below 0x80 (a UTF-16 file cut after an odd byte).
_UNDECODABLE_BYTES = "coalition-batch-undecodable"
_UNDECODED = re.compile("[\udc00-\udcff]")
# C0 control characters a text row does not hold: all but tab, LF and CR.
_CONTROL_CLASS = "\x00-\x08\x0b\x0c\x0e-\x1f"
CONTROL_CHARACTERS = re.compile(f"[{_CONTROL_CLASS}]")
CONTROL_BYTES = re.compile(f"[{_CONTROL_CLASS}]".encode())
# Either of the above: one search per row finds whether a row needs a closer look.
_SUSPECT = re.compile(f"[{_CONTROL_CLASS}\udc00-\udcff]")
_SHOWN_LINE_CHARS = 60
_SEPARATORS = re.compile(r"[\s_\-]+")


def _escape_undecodable(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    undecoded = error.object[error.start : error.end]
    return "".join(chr(0xDC00 + byte) for byte in undecoded), error.end


codecs.register_error(_UNDECODABLE_BYTES, _escape_undecodable)


# -- columns ---------------------------------------------------------------------------------


def normalized_header(text: str) -> str:
    """A header cell for comparison: casefolded, spaces, dashes and underscores as one ``_``."""
    return _SEPARATORS.sub("_", text.strip().casefold()).strip("_")


def find_column(
    header: Sequence[str], role: str, chosen: str | None, common: Sequence[str]
) -> str | None:
    """The column `chosen` (must exist) or, when None, the first of `common` in the header.

    Both are compared as `normalized_header`; `role` names the column in the error message.
    """
    if chosen is not None:
        if chosen in header:
            return chosen
        wanted = normalized_header(chosen)
        for column in header:
            if normalized_header(column) == wanted:
                return column
        raise MissingColumnError(role, f"no {role} column {chosen!r}", header)
    by_normal: dict[str, str] = {}
    for column in header:
        by_normal.setdefault(normalized_header(column), column)
    for candidate in common:
        if candidate in by_normal:
            return by_normal[candidate]
    return None


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


# -- encoding and delimiter ------------------------------------------------------------------


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
        refuse_binary(path, head)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        handle.seek(0)
        return _utf8_or_cp1252(handle)


def refuse_binary(path: Path, head: bytes) -> None:
    """Raise `BatchInputError` when `head` (the file's first bytes) is not a text file's.

    Empty, a ZIP archive (an .xlsx workbook), or binary: at least `BINARY_CONTROL_SHARE` of
    the first `BINARY_HEAD_BYTES` are NUL or other C0 control bytes (UTF-16 text is exempt
    when it starts with its byte order mark). A few control characters further on are a
    problem of their rows, not of the file.
    """
    if not head:
        raise BatchInputError(f"{path}: the file is empty (a header row is needed)")
    if head.startswith(b"PK\x03\x04"):
        raise BatchInputError(
            f"{path}: this is a ZIP archive (an .xlsx workbook?); save it as CSV first"
        )
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return
    if looks_binary(head):
        raise BatchInputError(
            f"{path}: {BINARY_CONTENT}; expected a CSV text file in UTF-8 or cp1252 (UTF-16"
            " needs its byte order mark)"
        )


BINARY_CONTENT = "binary content (mostly NUL or other control bytes)"


def looks_binary(head: bytes) -> bool:
    """At least `BINARY_CONTROL_SHARE` of the first `BINARY_HEAD_BYTES` are C0 control bytes."""
    start = head[:BINARY_HEAD_BYTES]
    controls = len(CONTROL_BYTES.findall(start))
    return controls > 0 and controls >= BINARY_CONTROL_SHARE * len(start)


def control_codes(text: str) -> str:
    """The control characters of `text` as ``0x00 0x1B``, the first eight at most."""
    return " ".join(f"0x{ord(ch):02X}" for ch in CONTROL_CHARACTERS.findall(text)[:8])


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
        # newline="": lines end at CR too, as in the reading itself (a bare CR is no error).
        sample = csv.reader(io.StringIO(head, newline=""), delimiter=candidate)
        try:
            rows = [row for row in sample if row]
        except csv.Error:
            continue  # the sample cannot be read with this delimiter at all
        width = len(rows[0])
        data = rows[1:-1]  # the last row may be cut short by the sample
        consistent = sum(len(row) == width for row in data) / len(data) if data else 1.0
        if (consistent, width) > best_key:
            best, best_key = candidate, (consistent, width)
    return best


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


class RowTooLongError(Exception):
    """One row took more than `MAX_ROW_CHARS` characters (raised through `csv.reader`)."""


class _Lines:
    """The physical lines handed to `csv.reader`, counted, with `MAX_ROW_CHARS` per row.

    It keeps the lines of the current record (`record`), so that the lines an unbalanced
    quote swallowed can be handed out again (`read_again`). An iterator class, not a
    generator: after it raises `RowTooLongError` the csv reader starts a fresh row and asks it
    for the next line, which a finished generator could not give.
    """

    def __init__(self, text: TextIO) -> None:
        self._readline = text.readline
        self._again: list[str] = []  # lines to hand out again, the next one last
        self.count = 0  # lines handed out (lines handed out again count once)
        self.row_chars = 0  # characters handed out since the current record began
        self.record: list[str] = []  # the lines of the current record

    def start_record(self) -> None:
        self.row_chars = 0
        self.record = []

    def read_again(self, lines: list[str]) -> None:
        """Hand `lines` (the last lines handed out) out again, in order."""
        self._again.extend(reversed(lines))
        self.count -= len(lines)

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self._again:
            line = self._again.pop()
        else:
            line = self._readline(MAX_ROW_CHARS + 1)
            if not line:
                raise StopIteration
            if len(line) > MAX_ROW_CHARS:
                self._skip_rest_of_line(line)
        self.count += 1
        self.record.append(line)
        self.row_chars += len(line)
        if self.row_chars > MAX_ROW_CHARS:
            raise RowTooLongError(f"a row longer than {MAX_ROW_CHARS:,} characters")
        return line

    def _skip_rest_of_line(self, line: str) -> None:
        # One physical line over the limit: read past the rest of it without holding it.
        while line and not line.endswith(("\n", "\r")):
            line = self._readline(_READ_BUFFER)


class CsvInput:
    """An open CSV file: sniffed encoding and delimiter, header, rows streamed one at a time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.blank = 0  # blank rows skipped so far by `rows`
        try:
            self.total_bytes = path.stat().st_size
            self.encoding = sniff_encoding(path)
            self.delimiter = sniff_delimiter(read_head(path, self.encoding))
            self._counter = _CountingReader(io.FileIO(path, "rb"))
        except OSError as exc:
            raise BatchInputError(f"{path}: {exc.strerror or exc}") from None
        buffered = io.BufferedReader(self._counter, buffer_size=_READ_BUFFER)
        self._text = io.TextIOWrapper(
            buffered, encoding=self.encoding, errors=_UNDECODABLE_BYTES, newline=""
        )
        self._lines = _Lines(self._text)
        try:
            self._reader = csv.reader(self._lines, delimiter=self.delimiter)
            self.header = self._read_header()
        except BaseException:
            self.close()
            raise
        self.keys = unique_keys(self.header)
        # A line that is a row on its own: every cell bare (no quote) or quoted whole.
        cell = f'(?:"(?:[^"]++|"")*+"|[^"{re.escape(self.delimiter)}]*+)'
        self._well_formed = re.compile(f"{cell}(?:{re.escape(self.delimiter)}{cell})*+").fullmatch

    def _read_header(self) -> list[str]:
        try:
            for cells in self._reader:
                if any(cell.strip() for cell in cells):
                    return self._checked_header(cells)
                self._lines.start_record()
        except (csv.Error, RowTooLongError) as exc:
            raise BatchInputError(
                f"{self.path}: line {self._lines.count}: cannot read the header: {exc}"
            ) from None
        raise BatchInputError(f"{self.path}: no header row (the file has only blank lines)")

    def _checked_header(self, cells: list[str]) -> list[str]:
        codes = control_codes("".join(cells))
        if codes:
            raise BatchInputError(
                f"{self.path}: line {self._lines.count}: the header holds control characters"
                f" ({codes}); expected a CSV text file"
            )
        return [_UNDECODED.sub("\ufffd", cell) for cell in cells]

    @property
    def bytes_read(self) -> int:
        return self._counter.consumed

    def rows(self) -> Iterator[InputRow]:
        """Every non-blank data row in order; blank rows are counted in `blank`."""
        reader, keys, lines = self._reader, self.keys, self._lines
        number = 0
        while True:
            start = lines.count + 1
            lines.row_chars, lines.record = 0, []  # `start_record`, inlined: once per row
            try:
                cells = next(reader)
            except StopIteration:
                return
            except (csv.Error, RowTooLongError) as exc:
                number += 1
                unreadable = f"{_span(start, lines.count)} cannot be read as CSV ({exc})"
                lines.read_again(lines.record[1:])
                yield InputRow(number, {}, start, f"{unreadable}; an unbalanced quote?")
                continue
            number += 1
            if lines.count > start and (broken := self._unbalanced_quote(cells, start)):
                first, *swallowed = lines.record
                lines.read_again(swallowed)
                yield InputRow(number, self._line_values(first), start, broken)
                continue
            row = self._row(number, start, cells, keys)
            if row.is_blank:
                self.blank += 1
            else:
                yield row

    def _unbalanced_quote(self, cells: list[str], start: int) -> str | None:
        """Why the record from line `start`, over several lines, is an unbalanced quote."""
        record, width = self._lines.record, len(self.keys)
        last = start + len(record) - 1
        one = last == start + 1
        swallowed = f"an unbalanced quote at line {start} swallowed {_span(start + 1, last)}"
        for number, line in enumerate(record[1:], start + 1):
            if self._well_formed(line.rstrip("\r\n")) and len(self._line_cells(line)) == width:
                shown = line.rstrip("\r\n")
                if len(shown) > _SHOWN_LINE_CHARS:
                    shown = shown[:_SHOWN_LINE_CHARS] + "…"
                if one:
                    return f"{swallowed} that looks like a row: {shown!r}"
                return f"{swallowed} that look like rows: line {number} {shown!r}"
        if len(cells) != width:
            return f"{swallowed} into a row of {len(cells)} fields (the header has {width})"
        try:
            for _ in csv.reader(record, delimiter=self.delimiter, strict=True):
                pass
        except csv.Error:
            return f"{swallowed}: a quote closes in the middle of a cell"
        return None

    def _line_cells(self, line: str) -> list[str]:
        """One physical line read on its own, without its line break."""
        return next(csv.reader([line.rstrip("\r\n")], delimiter=self.delimiter), [])

    def _line_values(self, line: str) -> dict[str, str]:
        cells = [_SUSPECT.sub("\ufffd", cell) for cell in self._line_cells(line)]
        return dict(zip(self.keys, cells, strict=False))

    def _row(self, number: int, line: int, cells: list[str], keys: list[str]) -> InputRow:
        problem = None
        if _SUSPECT.search("".join(cells)):
            problem = self._unreadable(cells, keys)
            cells = [_SUSPECT.sub("\ufffd", cell) for cell in cells]
        row = InputRow(number, dict(zip(keys, cells, strict=False)), line, problem)
        if len(cells) != len(keys) and any(cell.strip() for cell in cells):
            row.problem = row.problem or (
                f"row has {len(cells)} fields, the header has {len(keys)}"
            )
            row.extra_fields = cells[len(keys) :]
        return row

    def _unreadable(self, cells: list[str], keys: list[str]) -> str:
        """Undecodable bytes and control characters in `cells`, with their columns."""
        problems = []
        undecodable = [i for i, cell in enumerate(cells) if _UNDECODED.search(cell)]
        if undecodable:
            found = "".join(_UNDECODED.findall("".join(cells[i] for i in undecodable)))
            raw = " ".join(f"0x{ord(ch) - 0xDC00:02X}" for ch in found[:8])
            where = _columns(undecodable, keys)
            problems.append(f"bytes that are not valid {self.encoding} ({raw}) in {where}")
        controlled = [i for i, cell in enumerate(cells) if CONTROL_CHARACTERS.search(cell)]
        if controlled:
            codes = control_codes("".join(cells[i] for i in controlled))
            where = _columns(controlled, keys)
            problems.append(f"control characters ({codes}) in {where}: not text")
        return "; ".join(problems)

    def close(self) -> None:
        self._text.close()

    def __enter__(self) -> CsvInput:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _columns(indexes: list[int], keys: list[str]) -> str:
    return ", ".join(repr(keys[i]) if i < len(keys) else f"field {i + 1}" for i in indexes)


def _span(first: int, last: int) -> str:
    return f"line {first}" if first == last else f"lines {first}-{last}"
