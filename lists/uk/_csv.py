"""CSV rows with their line numbers, decoded strictly, for the OFSI CSV layouts.

Cells hold line breaks (statements of reasons, addresses), so records are read with the csv
module, never line by line. Bytes are decoded one physical line at a time so that an encoding
error names its line; a quoted cell still open at the end of the file (a truncated download)
is an error, not a short last record.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import BinaryIO

from lists.errors import ListReadError

# Statements of reasons run to a few thousand characters; allow far more, but not unbounded.
_MAX_CELL = 1_000_000
_UTF16_MARKS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_CHUNK = 1 << 20


def is_utf8(path: Path) -> bool:
    """Whether the whole file decodes as UTF-8 (read in chunks; memory stays flat)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    except OSError as exc:
        raise ListReadError(path, f"cannot read: {exc.strerror}") from None
    return True


def csv_rows(path: Path, encoding: str) -> Generator[tuple[int, list[str]], None, None]:
    """(first line number, cells) for each CSV record; `ListReadError` on any malformation."""
    csv.field_size_limit(max(csv.field_size_limit(), _MAX_CELL))
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise ListReadError(path, f"cannot read: {exc.strerror}") from None
    with handle:
        reader = csv.reader(_decoded_lines(path, handle, encoding), strict=True)
        first_line = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise ListReadError(
                    path, f"malformed CSV ({exc}); truncated or damaged file?", line=first_line
                ) from None
            yield first_line, cells
            first_line = reader.line_num + 1


def _decoded_lines(path: Path, handle: BinaryIO, encoding: str) -> Iterator[str]:
    for number, raw in enumerate(handle, start=1):
        if number == 1:
            if raw.startswith(_UTF16_MARKS):
                raise ListReadError(
                    path, f"the file is UTF-16 encoded; expected {encoding} text", line=1
                )
            if raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
        try:
            yield raw.decode(encoding)
        except UnicodeDecodeError as exc:
            bad = raw[exc.start : exc.start + 1].hex()
            raise ListReadError(
                path,
                f"not valid {encoding} text (byte 0x{bad} at column {exc.start + 1}); "
                "wrong encoding or damaged file",
                line=number,
            ) from None
