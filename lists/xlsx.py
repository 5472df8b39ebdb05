"""Reading XLSX list workbooks safely: size caps against zip bombs, streamed rows, sniffing.

Several authorities publish spreadsheets (OFSI's ConList.xlsx, Australia's DFAT list, Japan's MOF
and METI lists). An XLSX file is a zip archive of XML parts; a hostile or broken one can inflate
a few megabytes into gigabytes. Every workbook is therefore checked before openpyxl sees it:
each member's declared uncompressed size, the total, and the compression ratio of large members
are capped (the zip directory states them; the zip module refuses to inflate past them). The
XML parts are read by openpyxl's own parser, which loads no external entities.

    >>> for number, values in sheet_rows(path, sheet=0): ...   # raw values, streamed
"""

from __future__ import annotations

import datetime as dt
import warnings
import zipfile
import zlib
from collections.abc import Generator, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lists.base import Head
from lists.errors import ListReadError

if TYPE_CHECKING:
    from openpyxl.packaging.core import DocumentProperties

# The largest official workbook here (MOF, 1 MB) inflates to about 12 MB; these caps leave room
# for lists many times that size while refusing a bomb long before memory is at risk.
MAX_MEMBER_BYTES = 256 * 1024 * 1024
MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_RATIO = 200
# Small members (styles, empty sheets) compress extremely well and are harmless.
RATIO_CHECK_FROM = 1024 * 1024
SNIFF_BYTES = 64 * 1024


def is_zip(head: Head) -> bool:
    """Whether the head is a zip archive that looks like a spreadsheet (has an ``xl/`` part)."""
    return not head.is_dir and head.data.startswith(b"PK\x03\x04") and b"xl/" in head.data


def check_archive(path: Path) -> None:
    """Refuse a workbook whose members would inflate beyond the caps (a zip bomb)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ListReadError(path, f"not a readable XLSX workbook: {reason(exc)}") from None
    total = 0
    for member in members:
        size = member.file_size
        total += size
        if size > MAX_MEMBER_BYTES:
            raise ListReadError(
                path,
                f"XLSX member {member.filename} would inflate to {size:,} bytes "
                f"(cap {MAX_MEMBER_BYTES:,}): refused as a possible zip bomb",
            )
        if size > RATIO_CHECK_FROM and size > MAX_RATIO * max(member.compress_size, 1):
            raise ListReadError(
                path,
                f"XLSX member {member.filename} has a compression ratio over {MAX_RATIO}:1 "
                "(refused as a possible zip bomb)",
            )
    if total > MAX_TOTAL_BYTES:
        raise ListReadError(
            path,
            f"the XLSX workbook would inflate to {total:,} bytes (cap {MAX_TOTAL_BYTES:,}): "
            "refused as a possible zip bomb",
        )


def text_head(head: Head) -> bytes:
    """The start of the shared strings and of the first sheet, for sniffing a header's words.

    Empty when the archive cannot be opened: the sniffer then decides from the bytes alone.
    """
    try:
        with zipfile.ZipFile(head.path) as archive:
            names = set(archive.namelist())
            parts = []
            for member in ("xl/sharedStrings.xml", "xl/worksheets/sheet1.xml", "xl/workbook.xml"):
                if member in names:
                    with archive.open(member) as stream:
                        parts.append(stream.read(SNIFF_BYTES))
            return b"\n".join(parts)
    except (zipfile.BadZipFile, OSError, KeyError, EOFError, ValueError, RuntimeError, zlib.error):
        return b""


def has_words(head: Head, words: Iterable[bytes]) -> bool:
    """Whether the head is a spreadsheet whose shared strings or first sheet hold every word.

    The sniff of every workbook format: each names the header words only its list uses.
    """
    if not is_zip(head):
        return False
    start = text_head(head)
    return all(word in start for word in words)


def saved_at(path: Path) -> dt.datetime | None:
    """When the workbook was last saved (core property, as UTC); None when it does not say.

    For a list published as a spreadsheet with no date of its own, this is the closest thing
    to a publication time the file carries.
    """
    modified = properties(path).modified
    if not isinstance(modified, dt.datetime):
        return None
    return modified if modified.tzinfo else modified.replace(tzinfo=dt.UTC)


def sheet_names(path: Path) -> list[str]:
    """The worksheet titles in workbook order."""
    workbook = _open(path)
    try:
        return [sheet.title for sheet in workbook.worksheets]
    finally:
        workbook.close()


def properties(path: Path) -> DocumentProperties:
    """The workbook's core properties (title, creator, created, modified: naive UTC datetimes).

    `modified` is when the workbook was last saved, which for a list published as a spreadsheet
    is the closest thing to a publication timestamp the file itself carries.
    """
    # Read from the core part alone, as openpyxl's reader does: opening the whole workbook
    # would parse every shared string first (ten seconds for MOF's list).
    from openpyxl.packaging.core import DocumentProperties as Properties
    from openpyxl.xml.constants import ARC_CORE
    from openpyxl.xml.functions import fromstring

    check_archive(path)
    try:
        with zipfile.ZipFile(path) as archive:
            tree: Any = (
                fromstring(archive.read(ARC_CORE)) if ARC_CORE in archive.namelist() else None
            )
            found = Properties.from_tree(tree) if tree is not None else None
            return found or Properties()
    except Exception as exc:  # zip, XML and openpyxl's own errors
        raise ListReadError(path, f"not a readable XLSX workbook: {reason(exc)}") from None


def sheet_rows(
    path: Path, sheet: int | str = 0
) -> Generator[tuple[int, tuple[Any, ...]], None, None]:
    """(row number from 1, raw cell values) of one worksheet, streamed (read-only mode).

    Values are as openpyxl gives them: str, int, float, datetime or None; use `cell_text` for
    text. A damaged part raises `ListReadError` with the row number.
    """
    workbook = _open(path)
    try:
        try:
            worksheet = workbook.worksheets[sheet] if isinstance(sheet, int) else workbook[sheet]
        except (IndexError, KeyError):
            raise ListReadError(path, f"the workbook has no worksheet {sheet!r}") from None
        number = 0
        try:
            for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
                yield number, tuple(values)
        except ListReadError:
            raise
        except Exception as exc:  # openpyxl raises anything from zip, XML and its own parsing
            raise ListReadError(
                path, f"damaged XLSX workbook: {reason(exc)}", line=number + 1
            ) from None
    finally:
        workbook.close()


def workbook_rows(path: Path) -> Generator[tuple[int, str, int, tuple[Any, ...]], None, None]:
    """(sheet index, sheet title, row number from 1, raw values) of every worksheet, in order.

    One opening serves all sheets: openpyxl parses every shared string whenever a workbook is
    opened (ten seconds for MOF's 13,878 strings with phonetic runs), so a reader of many
    sheets must not call `sheet_rows` once per sheet.
    """
    workbook = _open(path)
    try:
        for index, worksheet in enumerate(workbook.worksheets):
            number = 0
            try:
                for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
                    yield index, worksheet.title, number, tuple(values)
            except Exception as exc:  # openpyxl raises anything from zip, XML and its own parsing
                where = f"damaged XLSX workbook (sheet {worksheet.title!r})"
                raise ListReadError(path, f"{where}: {reason(exc)}", line=number + 1) from None
    finally:
        workbook.close()


def cell_text(value: object, date_format: str = "%Y-%m-%d") -> str:
    """A cell as text: '' for empty, integral floats without '.0', dates in `date_format`."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime(date_format)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def reason(exc: BaseException) -> str:
    # One line: lxml's messages end in a newline and then the position ("\n, line 1, ...").
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _open(path: Path) -> Any:
    import openpyxl

    check_archive(path)
    try:
        with warnings.catch_warnings():
            # MOF's workbook names a print area "#N/A"; openpyxl warns on stderr, and a print
            # area is nothing a list reader uses.
            warnings.filterwarnings("ignore", "Print area cannot be set", UserWarning)
            return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises anything from zip, XML and its own parsing
        raise ListReadError(path, f"not a readable XLSX workbook: {reason(exc)}") from None
