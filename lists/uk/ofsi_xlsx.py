"""OFSI Consolidated List of Financial Sanctions Targets, 2022 format, XLSX (ConList.xlsx).

The same 36 columns as the CSV (`lists.uk.ofsi_csv`), mapped by `lists.uk.conlist`. Read with
`lists.xlsx` (openpyxl in read-only, streaming mode, with zip-bomb caps); every cell is text in
OFSI's workbook.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator, Iterator
from pathlib import Path

from lists import xlsx
from lists.base import Head, ListFormat, ReadReport
from lists.model import Entity, Source
from lists.uk import conlist

FORMAT_NAME = "uk-ofsi-xlsx"


def sniff(head: Head) -> bool:
    return xlsx.has_words(head, (b"Group ID", b"Name 6"))


def published(path: Path) -> dt.date | None:
    rows = _rows(path)
    try:
        return conlist.published_in(rows)
    finally:
        rows.close()


def entities(path: Path, report: ReadReport) -> Iterator[Entity]:
    return conlist.read_entities(
        path, _rows(path), conlist.LAYOUT_2022, report, exact_width=False, format_name=FORMAT_NAME
    )


def _rows(path: Path) -> Generator[tuple[int, list[str]], None, None]:
    """(row number, cell texts) of the first worksheet, streamed."""
    rows = xlsx.sheet_rows(path, 0)
    try:
        for number, values in rows:
            # OFSI stores dates as text; a re-saved workbook may have turned them into dates.
            yield number, [xlsx.cell_text(value, "%d/%m/%Y") for value in values]
    finally:
        rows.close()


FORMAT = ListFormat(
    name=FORMAT_NAME,
    source=Source.UK,
    description="OFSI Consolidated List, 2022 format, XLSX workbook (ConList.xlsx)",
    sniff=sniff,
    published=published,
    entities=entities,
    id_scheme="ofsi-group-id",
)
