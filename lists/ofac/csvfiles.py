"""Reading OFAC legacy CSV files row by row: encoding, the end-of-file byte, nulls, line numbers.

OFAC writes these files as Windows-1252 with CRLF line ends, no header row, ``-0-`` (often with a
trailing space) for an empty field, and a DOS end-of-file byte 0x1A after the last line. Every
row problem is reported with the file and the line, so an operator can open the file there.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lists.errors import ListReadError
from lists.textio import csv_records

ENCODING = "cp1252"
END_OF_FILE = "\x1a"
NULL = "-0-"
_ENCODING_HINT = "OFAC writes these files in Windows-1252 (wrong file, or damaged download?)"


@dataclass(frozen=True)
class Row:
    """One CSV record: the line it starts on, its fields (nulls as None), the fields as written."""

    line: int
    fields: tuple[str | None, ...]
    raw: tuple[str, ...]

    @property
    def ent_num(self) -> int:
        value = self.fields[0]
        assert value is not None
        return int(value)


def field_value(text: str) -> str | None:
    """The field with OFAC's null marker and surrounding whitespace removed."""
    value = text.strip()
    if not value or value == NULL:
        return None
    return value


def read_records(path: Path, field_count: int, what: str) -> Iterator[tuple[int, int, list[str]]]:
    """(line, ent_num, fields as written) of each record, checked for field count and ent_num."""
    for line, fields in csv_records(path, ENCODING, hint=_ENCODING_HINT):
        fields = _without_end_of_file(fields)
        if not fields:
            continue
        if len(fields) != field_count:
            raise ListReadError(
                path,
                f"expected {field_count} fields in an OFAC {what} row, found {len(fields)} "
                "(truncated or not an OFAC file?)",
                line=line,
            )
        ent_num = fields[0].strip()
        # isascii: str.isdigit also accepts "²" and other digits that int() refuses.
        if not (ent_num.isascii() and ent_num.isdigit()):
            raise ListReadError(path, f"ent_num must be a number, found {ent_num!r}", line=line)
        yield line, int(ent_num), fields


def read_rows(path: Path, field_count: int, what: str) -> Iterator[Row]:
    """Each record of an OFAC CSV file as a `Row` (see `read_records` for the checks)."""
    for line, _, fields in read_records(path, field_count, what):
        values = tuple(field_value(field) for field in fields)
        yield Row(line=line, fields=values, raw=tuple(fields))


def _without_end_of_file(fields: list[str]) -> list[str]:
    # The 0x1A byte sits alone on a last line, or after the last field when the final CRLF is
    # missing; either way it is not data.
    if fields and fields[-1].endswith(END_OF_FILE):
        fields[-1] = fields[-1].rstrip(END_OF_FILE)
        if len(fields) == 1 and not fields[0].strip():
            return []
    return fields


def ends_with_end_of_file_byte(path: Path) -> bool:
    with path.open("rb") as handle:
        handle.seek(0, 2)
        if handle.tell() == 0:
            return True  # an empty companion file (no rows) is complete as it is
        handle.seek(-1, 2)
        return handle.read(1) == END_OF_FILE.encode()


def first_record(text: str) -> list[str] | None:
    """The fields of the first line of a file head, for sniffing; None if it is not CSV."""
    first_line = text.split("\n", 1)[0].rstrip("\r" + END_OF_FILE)
    if not first_line:
        return None
    try:
        return next(csv.reader([first_line], strict=True), None)
    except csv.Error:
        return None
