"""Decoding list text files one physical line at a time, so that every error names its line.

The CSV publications are UTF-8 (OFSI, EU FSF) or Windows-1252 (OFAC, OFSI before 2022). Bytes
are decoded line by line rather than through a text wrapper, so a byte that is not valid in the
expected encoding is refused with its line and column instead of being replaced or guessed at:
a wrong guess would silently change names, and invalid bytes are as likely a damaged download.

* A UTF-8 byte-order mark is dropped, whatever the encoding: it is never data, and spreadsheet
  programs add it when they re-save a file.
* UTF-16 (a byte-order mark FF FE or FE FF) is refused on line 1 with a message that says so:
  no authority publishes UTF-16, and reading it byte-wise would give nonsense.
* C0 control characters other than tab, CR and LF (a NUL, a BEL ...) are refused with their line
  and column: no list writes them, and Python's csv module would pass them on as name text. The
  one exception is OFAC's DOS end-of-file byte 0x1A, accepted only at the very end of the file.
* `utf8_or` chooses between UTF-8 and a legacy fallback (cp1252) for a file that may be either,
  by checking the whole file; it never mixes the two within one file.
* `csv_records` reads CSV records (cells may span lines) with the line each record starts on.
  It leaves the process-wide ``csv.field_size_limit`` alone and checks cell sizes itself.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import BinaryIO, NoReturn

from lists.errors import ListReadError

UTF16_MARKS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

# The longest cell a list may hold. Python's csv module refuses longer fields by default
# (csv.field_size_limit() is 131072 unless some code raised it), and the longest real cell is
# 7,812 characters (an OFAC sdn_comments.csv remark, 2025), so the default is ample. The limit
# is checked here rather than by raising the process-wide setting, which other readers share.
MAX_CELL = 131_072

_CHUNK = 1 << 20
_NAMES = {"utf-8": "UTF-8", "cp1252": "cp1252 (Windows-1252)"}
_DAMAGED = "wrong encoding or damaged file"
# C0 controls but tab, LF and CR (0x1A, OFAC's end-of-file byte, is judged separately).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x19\x1b-\x1f]")
_END_OF_FILE = "\x1a"


def encoding_name(encoding: str) -> str:
    """How messages name an encoding: "UTF-8", "cp1252 (Windows-1252)"."""
    return _NAMES.get(codecs.lookup(encoding).name, encoding)


def decoded_lines(
    path: Path, handle: BinaryIO, encoding: str, *, hint: str = _DAMAGED
) -> Iterator[str]:
    """Each physical line of ``handle`` decoded strictly; `ListReadError` names a bad line.

    ``hint`` ends the message of an encoding error, e.g. which encoding the publisher uses.
    """
    # A line ending in OFAC's end-of-file byte is fine only if no line follows it.
    end_of_file_line: int | None = None
    end_of_file_column = 0
    for number, raw in enumerate(handle, start=1):
        if end_of_file_line is not None:
            _refuse_control(path, end_of_file_line, end_of_file_column, _END_OF_FILE)
        if number == 1:
            if raw.startswith(UTF16_MARKS):
                raise ListReadError(
                    path,
                    f"the file is UTF-16 encoded; expected {encoding_name(encoding)} text "
                    "(re-saved by a spreadsheet program? re-download it or convert it)",
                    line=1,
                )
            raw = raw.removeprefix(codecs.BOM_UTF8)
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise ListReadError(
                path,
                f"not valid {encoding_name(encoding)} text: byte 0x{raw[exc.start]:02x} at "
                f"column {exc.start + 1}; {hint}",
                line=number,
            ) from None
        control = _CONTROL.search(text)
        if control is not None:
            _refuse_control(path, number, control.start() + 1, control.group())
        end_of_file = text.find(_END_OF_FILE)
        if end_of_file >= 0:
            if text[end_of_file:].strip(_END_OF_FILE):
                _refuse_control(path, number, end_of_file + 1, _END_OF_FILE)
            end_of_file_line, end_of_file_column = number, end_of_file + 1
        yield text


def _refuse_control(path: Path, line: int, column: int, character: str) -> NoReturn:
    what = "a NUL byte" if character == "\0" else f"a control character (0x{ord(character):02x})"
    raise ListReadError(
        path,
        f"{what} at column {column}: a damaged file or not a text list",
        line=line,
    )


def utf8_or(path: Path, fallback: str) -> str:
    """The encoding to read a file in: "utf-8" if all of it is valid UTF-8, else ``fallback``.

    For files published in a legacy encoding that may since have been re-saved as UTF-8; the
    whole file is checked (in chunks, memory stays flat) because a cp1252 byte can sit anywhere.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return fallback
    except OSError as exc:
        raise ListReadError(path, f"cannot read: {exc.strerror}") from None
    return "utf-8"


def csv_records(
    path: Path,
    encoding: str,
    *,
    delimiter: str = ",",
    strict: bool = True,
    hint: str = _DAMAGED,
) -> Generator[tuple[int, list[str]], None, None]:
    """(line the record starts on, cells) for each CSV record, empty records included.

    A quoted cell still open at the end of the file (a truncated download) is an error, not a
    short last record; so is a cell longer than `MAX_CELL`. ``strict`` is the csv module's
    strict quoting.
    """
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise ListReadError(path, f"cannot read: {exc.strerror}") from None
    with handle:
        lines = decoded_lines(path, handle, encoding, hint=hint)
        reader = csv.reader(lines, delimiter=delimiter, strict=strict)
        first_line = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise ListReadError(path, _csv_problem(exc), line=first_line) from None
            if cells and max(map(len, cells)) > MAX_CELL:
                raise ListReadError(path, _too_long(), line=first_line)
            yield first_line, cells
            first_line = reader.line_num + 1


def _csv_problem(exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        return _too_long()
    return f"malformed CSV ({exc}); truncated or damaged file?"


def _too_long() -> str:
    return f"a cell longer than {MAX_CELL:,} characters (a quote left open, or not a list file?)"
