"""OFSI (HM Treasury) Consolidated List, pre-2022 CSV layout (sanctionsconlist.csv, 29 columns).

Line 1 is ``Last Updated,DD/MM/YYYY`` padded with commas, line 2 the header, then one row per
name variant grouped by Group ID, as in the 2022 layout (`lists.uk.conlist` maps both). What
differs: no alias quality, no non-Latin names, "Prime Alias" for the primary name, documents
only as free text ("Passport Details", "NI Number") and the UN reference, IMO and MMSI numbers
inside "Other Information". Ships are listed as Entity (the layout has no ship type) and are
read as organizations, as the file says, with their IMO numbers.

Encoding: these files were published in cp1252 (Windows Western). A file that is valid UTF-8
throughout is read as UTF-8; anything else is decoded strictly as cp1252, so the five bytes that
cp1252 leaves undefined are reported with their line rather than replaced.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from lists.base import Head, ListFormat, ReadReport
from lists.model import Entity, Source
from lists.textio import csv_records, utf8_or
from lists.uk import conlist
from lists.uk._csv import is_conlist_csv, published_in_csv

FORMAT_NAME = "uk-ofsi-legacy-csv"
_ENCODING = "cp1252"


def sniff(head: Head) -> bool:
    return is_conlist_csv(head, layout_2022=False)


def published(path: Path) -> dt.date | None:
    return published_in_csv(path, _ENCODING)  # the first line is ASCII in either encoding


def entities(path: Path, report: ReadReport) -> Iterator[Entity]:
    rows = csv_records(path, utf8_or(path, _ENCODING))
    return conlist.read_entities(path, rows, conlist.LAYOUT_LEGACY, report, exact_width=True)


FORMAT = ListFormat(
    name=FORMAT_NAME,
    source=Source.UK,
    description="OFSI/HM Treasury Consolidated List, pre-2022 CSV (sanctionsconlist.csv)",
    sniff=sniff,
    published=published,
    entities=entities,
    id_scheme="ofsi-group-id",
)
