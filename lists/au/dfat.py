"""Australia's DFAT Consolidated List (regulation8_consolidated.xlsx): one row per name.

Layout: one worksheet; row 1 is the header (Reference, Name of Individual or Entity, Type, Name
Type, Date of Birth, Place of Birth, Citizenship, Address, Additional Information, Listing
Information, Committees, Control Date). Each row is one name of a listed person or entity; the
rows of one listing share the numeric part of their Reference ("2" is the primary name, "2a",
"2b" ... its other names; "34c1" occurs too), and that number is the entry id. The facts
(birth, address, regime ...) are repeated on every name row and sometimes differ between them
("this aka only"); every distinct value is kept. Rows are read in full before the first entity
is handed out: in the list of 11/11/2024 one listing's rows are not contiguous (2940j is 177
rows after 2940i), and a damaged file must yield nothing.

Name Type (case and trailing spaces vary): "Primary Name"; "aka"; "Original Script" (the name in
its own writing system: an alias whose script is read from its letters, since DFAT does not say
whether it spells the primary name or an alias); "Formerly known as" and "Previously listed as"
(former names). Type: Individual -> person, Entity -> organization. Committees is the regime.

Control Date is not the listing date. DFAT does not define it on its Consolidated List page; the
file shows what it is: the date DFAT last entered or changed a row. It is set per row (21
listings of 11/11/2024 have rows with different Control Dates, an alias added later carrying the
later date), and UN listings of 2001 carry Control Dates of 2014 ("Listed by UN 1267 Committee
on 25 January 2001 ..." with Control Date 15/12/2014). The listing date (`listed_on`) is
therefore taken, in this order, from:

1. a Listing Information cell that is an Excel date (8 listings);
2. the first date Listing Information says the entry was listed or designated on ("Listed on:
   3 Mar. 2009", "Designated under the Autonomous Sanctions Regulations 2011 on 2 March 2012");
   relistings are later dates and are not used;
3. the earliest Control Date, only when Listing Information names the designation instrument and
   that instrument is of the same year ("... Amendment (No. 3) Instrument 2024", Control Date
   15/10/2024): such a row was entered when the instrument was made and has not changed since.
   The Control Date year matches the instrument year for 1,672 of the 1,674 listings that name
   one.

Otherwise `listed_on` stays empty. Every Control Date is kept in the remarks either way.

Publication date: the workbook's core "modified" property (when DFAT last saved it, UTC). The
newest Control Date is only when a row last changed, not when the list was published.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lists import xlsx
from lists.au import _cells
from lists.base import Head, ListFormat, ReadReport
from lists.draft import EntityDraft
from lists.errors import ListReadError
from lists.model import (
    Entity,
    Identifier,
    IdentifierType,
    Name,
    NameKind,
    Schema,
    Source,
    SourceRef,
)
from lists.values.dates import parse_day
from lists.values.scripts import detect_script

FORMAT_NAME = "au-dfat-xlsx"
DATASET = "au_dfat"

REFERENCE = "Reference"
NAME = "Name of Individual or Entity"
TYPE = "Type"
NAME_TYPE = "Name Type"
BIRTH_DATE = "Date of Birth"
BIRTH_PLACE = "Place of Birth"
CITIZENSHIP = "Citizenship"
ADDRESS = "Address"
ADDITIONAL = "Additional Information"
LISTING = "Listing Information"
COMMITTEES = "Committees"
CONTROL_DATE = "Control Date"
REQUIRED_COLUMNS = (REFERENCE, NAME, TYPE, NAME_TYPE, COMMITTEES, CONTROL_DATE)
_KNOWN_COLUMNS = frozenset(
    {*REQUIRED_COLUMNS, BIRTH_DATE, BIRTH_PLACE, CITIZENSHIP, ADDRESS, ADDITIONAL, LISTING}
)
# Words of DFAT's header that no other list's header has, for sniffing the shared strings.
_SNIFF_WORDS = (NAME.encode(), CONTROL_DATE.encode(), COMMITTEES.encode())

_SCHEMAS = {"individual": Schema.PERSON, "entity": Schema.ORGANIZATION}
_NAME_KINDS = {
    "primary name": NameKind.PRIMARY,
    "aka": NameKind.ALIAS,
    "original script": NameKind.ALIAS,
    "formerly known as": NameKind.FORMER,
    "previously listed as": NameKind.FORMER,
}
# "2", "2a", "34c1", "2529b3": the leading number is the listing.
_REFERENCE = re.compile(r"^(\d+)([A-Za-z]*\d*)$")


def sniff(head: Head) -> bool:
    """An XLSX workbook whose header names DFAT's columns."""
    return xlsx.has_words(head, _SNIFF_WORDS)


def published(path: Path) -> dt.datetime | None:
    """When the workbook was last saved (core property, UTC); None when it does not say."""
    return xlsx.saved_at(path)


def entities(path: Path, report: ReadReport) -> Iterator[Entity]:
    """Group the name rows by listing and map each listing to one entity."""
    listings = _Reader(path, report).collect()
    for reference in list(listings):
        entity = _entity(path, report, reference, listings.pop(reference))
        if entity is not None:
            yield entity


@dataclass
class _Row:
    line: int
    reference: str
    name: str
    schema_text: str
    name_type: str
    values: dict[str, Any]


@dataclass
class _Listing:
    rows: list[_Row] = field(default_factory=list)


class _Reader:
    def __init__(self, path: Path, report: ReadReport) -> None:
        self.path = path
        self.report = report

    def collect(self) -> dict[str, _Listing]:
        rows = xlsx.sheet_rows(self.path, 0)
        try:
            return self._collect(rows)
        finally:
            rows.close()

    def _collect(self, rows: Iterator[tuple[int, tuple[Any, ...]]]) -> dict[str, _Listing]:
        header = self._header(rows)
        width = len(header)
        # A column without a heading inside the header's width is named by its position.
        labels = [name or f"column {index + 1}" for index, name in enumerate(header)]
        listings: dict[str, _Listing] = {}
        references: set[str] = set()
        blank_lines: list[int] = []
        previous = ""
        for line, cells in rows:
            if all(_blank(cell) for cell in cells):
                blank_lines.append(line)
                continue
            values = dict(zip(labels, cells, strict=False))
            self._beyond_header(line, width, cells[width:], values)
            reference = _cells.text(values.get(REFERENCE))
            match = _REFERENCE.match(reference)
            if match is None:
                why = f"Reference '{reference}' is not" if reference else "no Reference, not"
                raise ListReadError(
                    self.path, f"row with {why} a number with an optional suffix", line=line
                )
            number = match.group(1)
            if reference in references:
                self.report.warn(f"{self.path}:{line}: Reference {reference} occurs twice")
            references.add(reference)
            listing = listings.get(number)
            if listing is None:
                listing = listings[number] = _Listing()
            elif previous != number:
                self.report.warn(
                    f"{self.path}:{line}: Reference {reference} continues listing {number} "
                    f"after other listings (its rows are not contiguous); read as one listing"
                )
            previous = number
            listing.rows.append(
                _Row(
                    line=line,
                    reference=reference,
                    name=_cells.text(values.pop(NAME, None)),
                    schema_text=_cells.text(values.pop(TYPE, None)),
                    name_type=_cells.text(values.pop(NAME_TYPE, None)),
                    values={key: value for key, value in values.items() if not _blank(value)},
                )
            )
        if not listings:
            raise ListReadError(
                self.path, "the workbook has a header but no data rows; truncated download?"
            )
        if blank_lines:
            self.report.warn(
                f"{self.path}: {len(blank_lines)} blank rows skipped (rows "
                f"{_line_ranges(blank_lines)})"
            )
        return listings

    def _header(self, rows: Iterator[tuple[int, tuple[Any, ...]]]) -> list[str]:
        for line, cells in rows:
            names = [_cells.text(cell) for cell in cells]
            while names and not names[-1]:
                names.pop()
            if not names:
                continue
            for required in REQUIRED_COLUMNS:
                if required not in names:
                    raise ListReadError(
                        self.path,
                        f"the header has no '{required}' column; not a DFAT Consolidated List "
                        "in the expected layout",
                        line=line,
                    )
            return names
        raise ListReadError(self.path, "no header row; empty or truncated workbook")

    def _beyond_header(
        self, line: int, width: int, extra: tuple[Any, ...], values: dict[str, Any]
    ) -> None:
        # A value in a column without a heading is kept (as a remark) and reported. DFAT's sheet
        # is 255 columns wide, nearly all empty: the C-level count skips them fast.
        if extra.count(None) == len(extra):
            return
        for offset, cell in enumerate(extra):
            if not _blank(cell):
                label = f"column {width + offset + 1}"
                values[label] = cell
                self.report.warn(f"{self.path}:{line}: a value in {label}, which has no heading")


def _entity(path: Path, report: ReadReport, number: str, listing: _Listing) -> Entity | None:
    first = listing.rows[0]
    schema = _schema(path, report, number, listing)
    draft = EntityDraft()
    for row in listing.rows:
        _add_name(path, report, draft, row)
    if not draft.names:
        report.warn(f"{path}:{first.line}: listing {number} has no name in any row; skipped")
        return None
    if not any(row.name_type.lower() == "primary name" for row in listing.rows):
        report.warn(
            f"{path}:{first.line}: listing {number} has no Primary Name row; "
            f"read with {draft.names[0].full!r} as its first name"
        )
    values = _distinct_values(listing)
    for value in values.get(BIRTH_DATE, []):
        dates, complete = _cells.birth_dates(value)
        for date in dates:
            draft.add_birth_date(date)
        if not complete:
            draft.add_remark(f"Date of birth: {_cells.text(value)}")
    for value in values.get(BIRTH_PLACE, []):
        for place in _cells.split_lettered(_cells.known(value)):
            draft.add_birth_place(place)
    for value in values.get(CITIZENSHIP, []):
        _add_citizenship(draft, schema, _cells.known(value))
    for value in values.get(ADDRESS, []):
        for address in _cells.addresses(_cells.known(value)):
            draft.add_address(address)
    for value in values.get(COMMITTEES, []):
        for regime in _cells.regimes(_cells.text(value)):
            draft.add_program(regime)
    for value in values.get(ADDITIONAL, []):
        text = _cells.known(value)
        draft.add_remark(text)
        for number_text in _cells.passport_numbers(text):
            draft.add_identifier(
                Identifier(type=IdentifierType.PASSPORT, value=number_text, label="Passport")
            )
    _add_listing(draft, values)
    for column, column_values in values.items():
        if column not in _KNOWN_COLUMNS:  # a column this reader does not know
            for value in column_values:
                draft.add_remark(f"{column}: {_cells.text(value)}")
    ref = SourceRef(format=FORMAT_NAME, file=path.name, record=number)
    return draft.build(Source.AU, number, schema, ref, dataset=DATASET)


def _schema(path: Path, report: ReadReport, number: str, listing: _Listing) -> Schema:
    found: dict[Schema, int] = {}
    for row in listing.rows:
        schema = _SCHEMAS.get(row.schema_text.lower())
        if schema is None:
            raise ListReadError(
                path,
                f"unknown Type '{row.schema_text}' (expected Individual or Entity)",
                line=row.line,
                record=number,
            )
        found.setdefault(schema, row.line)
    if len(found) == 1:
        return next(iter(found))
    # Rows disagree: the primary name's row decides, and the disagreement is reported.
    primary = next(
        (row for row in listing.rows if row.name_type.lower() == "primary name"), listing.rows[0]
    )
    chosen = _SCHEMAS[primary.schema_text.lower()]
    report.warn(
        f"{path}:{primary.line}: listing {number} has rows of Type Individual and Entity; "
        f"read as {chosen.value} (the Type of its row {primary.reference})"
    )
    return chosen


def _add_name(path: Path, report: ReadReport, draft: EntityDraft, row: _Row) -> None:
    if not row.name:
        report.warn(f"{path}:{row.line}: row {row.reference} has no name")
        return
    kind = _NAME_KINDS.get(row.name_type.lower())
    if kind is None:
        kind = NameKind.ALIAS
        report.warn_once(
            f"name type {row.name_type.lower()}",
            f"{path}:{row.line}: unknown Name Type '{row.name_type}' read as an alias "
            f"({row.reference}; further rows of this Name Type are read the same way)",
        )
    draft.add_name(Name(full=row.name, kind=kind, script=detect_script(row.name)))


def _add_citizenship(draft: EntityDraft, schema: Schema, text: str) -> None:
    codes, complete = _cells.countries(text)
    for code in codes:
        # An organisation's "citizenship" is its country (of registration or operation).
        if schema is Schema.PERSON:
            draft.add_citizenship(code)
        else:
            draft.add_country(code)
    if not complete:
        draft.add_remark(f"Citizenship: {text}")


def _add_listing(draft: EntityDraft, values: dict[str, list[Any]]) -> None:
    """Listing Information and Control Date: remarks, and the listing date (module docstring)."""
    control_dates = sorted(
        {day for value in values.get(CONTROL_DATE, []) if (day := _day(value)) is not None}
    )
    instrument_years: set[int] = set()
    for value in values.get(LISTING, []):
        day = _day(value)
        if isinstance(value, dt.date):
            draft.note_listed_on(day)
            draft.add_remark(f"Listing information: {xlsx.cell_text(value)}")
            continue
        text = _cells.text(value)
        draft.add_remark(f"Listing information: {text}")
        draft.note_listed_on(_cells.stated_listing_date(text))
        instrument_years |= _cells.instrument_years(text)
    if draft.listed_on is None and control_dates and control_dates[0].year in instrument_years:
        draft.listed_on = control_dates[0]
    if control_dates:
        draft.add_remark(
            "Control date (last change of the row): "
            + ", ".join(day.isoformat() for day in control_dates)
        )
    for value in values.get(CONTROL_DATE, []):
        if _day(value) is None:
            draft.add_remark(f"Control date: {_cells.text(value)}")


def _day(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return parse_day(_cells.text(value), "%d/%m/%Y", "%Y-%m-%d")


def _distinct_values(listing: _Listing) -> dict[str, list[Any]]:
    """Each column's distinct values over the listing's rows, in file order."""
    distinct: dict[str, dict[Any, None]] = {}
    for row in listing.rows:
        for column, value in row.values.items():
            distinct.setdefault(column, {})[value] = None
    return {column: list(found) for column, found in distinct.items()}


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _line_ranges(lines: list[int]) -> str:
    """'9555-9561' or '12, 40-41'."""
    ranges: list[str] = []
    start = previous = lines[0]
    for line in [*lines[1:], None]:
        if line is not None and line == previous + 1:
            previous = line
            continue
        ranges.append(str(start) if start == previous else f"{start}-{previous}")
        if line is not None:
            start = previous = line
    return ", ".join(ranges)


FORMAT = ListFormat(
    name=FORMAT_NAME,
    source=Source.AU,
    description="DFAT Consolidated List, XLSX workbook (regulation8_consolidated.xlsx)",
    sniff=sniff,
    published=published,
    entities=entities,
)
