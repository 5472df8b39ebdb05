"""What the two OFSI CSV layouts share: recognising their header and reading their date line.

Decoding and CSV records (cells hold line breaks: statements of reasons, addresses) come from
`lists.textio`, which names the line of any encoding error or malformed record.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from lists.base import Head
from lists.textio import UTF16_MARKS, csv_records
from lists.uk import conlist

# Columns only the 2022 layout has; the pre-2022 one has "NI Number" instead.
_LAYOUT_2022_COLUMNS = ("Alias Quality", "National Identification Number", "Name Non-Latin Script")


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


def published_in_csv(path: Path, encoding: str) -> dt.date | None:
    """The date of the "Last Updated" line, reading no further than it."""
    rows = csv_records(path, encoding)
    try:
        return conlist.published_in(rows)
    finally:
        rows.close()


def _head_lines(head: Head) -> list[str]:
    data = head.data
    if data.startswith(UTF16_MARKS):
        # Recognised so that reading can say "UTF-16" instead of "unknown format".
        return data.decode("utf-16", errors="replace").splitlines()[:3]
    return head.text.splitlines()[:3]


def _header_names(line: str) -> list[str]:
    return [cell.strip().strip('"') for cell in line.split(",")]
