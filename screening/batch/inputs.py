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
  undecodable bytes, or a stretch the CSV parser cannot read. One row (a record, which may span
  lines inside quotes) may be at most `MAX_ROW_CHARS` characters: an unbalanced quote would
  otherwise swallow the rest of the file into one cell. The stretch read so far becomes one
  row with a problem and reading goes on at the next line. The limit is enforced here, not by
  ``csv.field_size_limit``, which is process-wide and may have been raised by other code.
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

_SNIFF_BYTES = 64 * 1024
_SCAN_CHUNK = 1024 * 1024
_READ_BUFFER = 64 * 1024
# surrogateescape turns every byte the codec cannot decode into one of these code points.
_UNDECODED = re.compile("[\udc80-\udcff]")
_SEPARATORS = re.compile(r"[\s_\-]+")


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

    An iterator class, not a generator: after it raises `RowTooLongError` the csv reader
    starts a fresh row and asks it for the next line, which a finished generator could not
    give.
    """

    def __init__(self, text: TextIO) -> None:
        self._readline = text.readline
        self.count = 0  # lines handed out
        self.row_chars = 0  # characters handed out since the current row began

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self._readline()
        if not line:
            raise StopIteration
        self.count += 1
        self.row_chars += len(line)
        if self.row_chars > MAX_ROW_CHARS:
            raise RowTooLongError(f"a row longer than {MAX_ROW_CHARS:,} characters")
        return line


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
            buffered, encoding=self.encoding, errors="surrogateescape", newline=""
        )
        self._lines = _Lines(self._text)
        try:
            self._reader = csv.reader(self._lines, delimiter=self.delimiter)
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
                self._lines.row_chars = 0
        except (csv.Error, RowTooLongError) as exc:
            raise BatchInputError(
                f"{self.path}: line {self._lines.count}: cannot read the header: {exc}"
            ) from None
        raise BatchInputError(f"{self.path}: no header row (the file has only blank lines)")

    @property
    def bytes_read(self) -> int:
        return self._counter.consumed

    def rows(self) -> Iterator[InputRow]:
        """Every non-blank data row in order; blank rows are counted in `blank`."""
        reader, keys, lines = self._reader, self.keys, self._lines
        number = 0
        while True:
            start = lines.count + 1
            lines.row_chars = 0
            try:
                cells = next(reader)
            except StopIteration:
                return
            except (csv.Error, RowTooLongError) as exc:
                number += 1
                problem = (
                    f"lines {start}-{lines.count} cannot be read as CSV ({exc}); "
                    "an unbalanced quote?"
                )
                yield InputRow(number, {}, start, problem)
                continue
            number += 1
            row = self._row(number, start, cells, keys)
            if row.is_blank:
                self.blank += 1
            else:
                yield row

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
