"""OFSI Consolidated List of Financial Sanctions Targets, 2022 format, CSV (ConList.csv).

Line 1 ``Last Updated,DD/MM/YYYY``, line 2 the header of 36 columns, then one row per name
variant, grouped into designations by Group ID (see `lists.uk.conlist`, which maps the rows of
this file and of the XLSX workbook, `lists.uk.ofsi_xlsx`, the same way).

Encoding: strictly UTF-8, with or without a byte-order mark. OFSI has served older files in
cp1252, but a file that is not valid UTF-8 is refused with the line of the first bad byte
rather than guessed at: a wrong guess would silently change names, and bytes that are valid in
no encoding are as likely a damaged download. The pre-2022 layout (`ofsi_legacy`) is cp1252.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from lists.base import Head, ListFormat, ReadReport
from lists.model import Entity, Source
from lists.textio import csv_records
from lists.uk import conlist
from lists.uk._csv import is_conlist_csv, published_in_csv

FORMAT_NAME = "uk-ofsi-csv"
_ENCODING = "utf-8"


def sniff(head: Head) -> bool:
    return is_conlist_csv(head, layout_2022=True)


def published(path: Path) -> dt.date | None:
    return published_in_csv(path, _ENCODING)


def entities(path: Path, report: ReadReport) -> Iterator[Entity]:
    return conlist.read_entities(
        path, csv_records(path, _ENCODING), conlist.LAYOUT_2022, report, exact_width=True
    )


FORMAT = ListFormat(
    name=FORMAT_NAME,
    source=Source.UK,
    description="OFSI Consolidated List, 2022 format, CSV (ConList.csv)",
    sniff=sniff,
    published=published,
    entities=entities,
    id_scheme="ofsi-group-id",
)
