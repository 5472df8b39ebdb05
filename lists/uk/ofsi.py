"""OFSI Consolidated List of Financial Sanctions Targets, 2022 format: CSV and XLSX.

Both files have the same 36 columns: line 1 ``Last Updated,DD/MM/YYYY``, line 2 the header, then
one row per name variant, grouped into designations by Group ID (see `lists.uk.conlist`, which
maps the rows of both files the same way).

Encoding (CSV): strictly UTF-8, with or without a byte-order mark. OFSI has served older files
in cp1252, but a file that is not valid UTF-8 is refused with the line of the first bad byte
rather than guessed at: a wrong guess would silently change names, and bytes that are valid in
no encoding are as likely a damaged download. The pre-2022 layout (`ofsi_legacy`) is cp1252.

XLSX: read with openpyxl in read-only (streaming) mode; every cell is text in OFSI's workbook.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator, Iterator
from pathlib import Path

from lists import xlsx
from lists.base import Head, ListFormat, ReadReport
from lists.model import Entity, Source
from lists.uk import conlist
from lists.uk._csv import csv_rows

CSV_FORMAT_NAME = "uk-ofsi-csv"
XLSX_FORMAT_NAME = "uk-ofsi-xlsx"
_ENCODING = "utf-8"
# Columns only the 2022 layout has; the pre-2022 one has "NI Number" instead.
_LAYOUT_2022_COLUMNS = ("Alias Quality", "National Identification Number", "Name Non-Latin Script")
_SNIFF_BYTES = 64 * 1024


# --- CSV -------------------------------------------------------------------------------------


def _head_lines(head: Head) -> list[str]:
    data = head.data
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Recognised so that reading can say "UTF-16" instead of "unknown format".
        return data.decode("utf-16", errors="replace").splitlines()[:3]
    return head.text.splitlines()[:3]


def _header_names(line: str) -> list[str]:
    return [cell.strip().strip('"') for cell in line.split(",")]


def is_conlist_csv(head: Head, *, layout_2022: bool) -> bool:
    """Whether the head is an OFSI CSV of the requested layout (header on line 1 or 2).

    The header is recognised by most of its usual columns, not all, so that a file missing a
    required one is still read as OFSI's and refused with the column's name.
    """
    if head.is_dir or head.xml_root is not None:
        return False
    for line in _head_lines(head)[:2]:
        names = _header_names(line)
        if conlist.looks_like_conlist_header(names):
            return any(column in names for column in _LAYOUT_2022_COLUMNS) is layout_2022
    return False


def _sniff_csv(head: Head) -> bool:
    return is_conlist_csv(head, layout_2022=True)


def _published_csv(path: Path) -> dt.date | None:
    rows = csv_rows(path, _ENCODING)
    try:
        return conlist.published_in(rows)
    finally:
        rows.close()


def _csv_entities(path: Path, report: ReadReport) -> Iterator[Entity]:
    return conlist.read_entities(
        path, csv_rows(path, _ENCODING), conlist.LAYOUT_2022, report, exact_width=True
    )


# --- XLSX ------------------------------------------------------------------------------------


def _sniff_xlsx(head: Head) -> bool:
    if not xlsx.is_zip(head):
        return False
    start = xlsx.text_head(head)
    return b"Group ID" in start and b"Name 6" in start


def _xlsx_rows(path: Path) -> Generator[tuple[int, list[str]], None, None]:
    """(row number, cell texts) of the first worksheet, streamed."""
    rows = xlsx.sheet_rows(path, 0)
    try:
        for number, values in rows:
            # OFSI stores dates as text; a re-saved workbook may have turned them into dates.
            yield number, [xlsx.cell_text(value, "%d/%m/%Y") for value in values]
    finally:
        rows.close()


def _published_xlsx(path: Path) -> dt.date | None:
    rows = _xlsx_rows(path)
    try:
        return conlist.published_in(rows)
    finally:
        rows.close()


def _xlsx_entities(path: Path, report: ReadReport) -> Iterator[Entity]:
    return conlist.read_entities(
        path,
        _xlsx_rows(path),
        conlist.LAYOUT_2022,
        report,
        exact_width=False,
        format_name=XLSX_FORMAT_NAME,
    )


FORMATS: tuple[ListFormat, ...] = (
    ListFormat(
        name=CSV_FORMAT_NAME,
        source=Source.UK,
        description="OFSI Consolidated List, 2022 format, CSV (ConList.csv)",
        sniff=_sniff_csv,
        published=_published_csv,
        entities=_csv_entities,
        id_scheme="ofsi-group-id",
    ),
    ListFormat(
        name=XLSX_FORMAT_NAME,
        source=Source.UK,
        description="OFSI Consolidated List, 2022 format, XLSX workbook (ConList.xlsx)",
        sniff=_sniff_xlsx,
        published=_published_xlsx,
        entities=_xlsx_entities,
        id_scheme="ofsi-group-id",
    ),
)
