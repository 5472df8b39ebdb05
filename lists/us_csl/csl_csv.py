"""The US Consolidated Screening List (trade.gov), CSV: thirteen US lists in one file.

The International Trade Administration merges the export-screening and sanctions lists of
three departments into ``consolidated.csv``: Commerce (BIS Entity List, Denied Persons,
Unverified and Military End User lists), State (ITAR Debarred, Nonproliferation Sanctions) and
Treasury (SDN, SSI, FSE, PLC, CAPTA, NS-MBS, CMIC). One row per listing, 29 named columns
(``_id,source,entity_number,type,programs,name,...,ids``); the multi-value cells are split as
`lists.us_csl.cells` explains. Measured on ``us_csl/fixtures/watchman_2023-11/csl.csv``.

Mapping decisions:

* Dataset: the ``source`` column names the sub-list ("Entity List (EL) - Bureau of Industry and
  Security"); `lists.datasets` maps that exact text (``published_as``) to a dataset (us_csl_el
  ...). A value the table lacks is refused (`ListReadError` naming the line): a new sub-list is
  added to the table deliberately, never guessed, or its entries would be stored as another.
* ``entry_id`` is ``_id``. For Treasury rows it is OFAC's entity number (``entity_number`` is
  always the same); for the other lists it is a hexadecimal hash (32 or 56 digits) that trade.gov
  computes, whose stability across releases cannot be checked from one file.
* One entity per (dataset, ``_id``). The same ``_id`` on two sub-lists is the same OFAC party
  listed on both (in 2023-11: five Russian companies on SSI and NS-MBS, two PLC members also on
  the SDN list) and becomes one entity in each dataset, since the store keeps a version per
  dataset; one summary warning lists them. The same ``_id`` twice in one sub-list keeps the
  first row and warns with both line numbers.
* Schema from ``type``: Individual, Entity, Vessel, Aircraft. Commerce and State rows have no
  type (2,039 rows in 2023-11). The CSV then states nothing that tells a person from an
  organisation (no birth date, nationality or title on any untyped row), except a Denied
  Persons address naming a prison inmate number or incarceration (152 rows): those are
  persons, the rest organisations. Many untyped entries are in fact individuals ("DAVID L.
  MARICOLA" without an inmate number, ITAR debarred persons); the file does not say so. An
  unknown type is refused.
* Names: ``name`` is the primary name; ``alt_names`` aliases (the CSL does not mark weak
  aliases, so all are aliases; an "f.k.a." prefix makes a former name). An individual's name
  "LAST, First" (the SDN rows) is split as OFAC's names are (`lists.ofac.names`).
* ``ids`` (Treasury rows) is OFAC's ID list, read with OFAC's own type table
  (`lists.ofac.facts`): documents become identifiers (passports, national ids, tax ids,
  registration numbers, SWIFT/BIC, IMO numbers, with the issuing country and dates as a note);
  "Gender" sets the gender; features that are not identifiers (directive determinations,
  listing dates, target type) are remarks in OFAC's words. A type the table does not know is an
  identifier when its wording names one, otherwise a remark; one warning names them all. An
  IMO number failing the check digit is kept, with a note and a warning.
* ``remarks``: a remark as written. On Treasury rows it is the free text OFAC left after its
  structured facts (those are in ``ids``), so it is not parsed as OFAC's legacy Remarks (that
  would make "Passport issued in Sarajevo" a passport number); only its "(Linked To: HAMAS)"
  groups become related parties (`lists.us_csl.cells.split_linked`).
* ``start_date`` -> ``listed_on``. It is the listing's effective date (so described by CSL
  readers such as moov-io/watchman; trade.gov's field guide was not reachable offline): for the
  Denied Persons List the denial order's effective date (a few days before its Federal Register
  publication), for the Entity List and MEU list the date of the rule that listed the party
  (checked against ``federal_register_notice`` on a sample: the first notice's date, but one
  entry of "75 FR 1699 (1/13/2010), 77 FR 24587" has 2012-04-25, the later rule's). Present
  on 1,538 rows; Treasury, UVL and DTC rows have none. ``end_date`` (when a denial order ends),
  ``federal_register_notice``, ``standard_order``, ``license_requirement``, ``license_policy``
  and ``title`` are remarks, labelled; the two URL columns are links.
* Vessel columns: ``call_sign`` an identifier, ``vessel_flag`` a country, ``vessel_owner`` a
  related party, type and tonnages remarks, as for OFAC.
* A row repeating the header (line 2 of the 2023-11 excerpt) is skipped with a warning. A C1
  control character (three names write "Xi\\x92an") is read as the cp1252 character it was.

`published`: the CSV states no date (no header line, no column for it), so None; the newest
``start_date`` is that of the latest listing, not of the file. The CLI's ``--published``
supplies the date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from lists.base import Head, ListFormat, ReadReport
from lists.datasets import Dataset, datasets_of
from lists.errors import ListReadError
from lists.model import Entity, IdentifierType, NameKind, Schema, Source, SourceRef
from lists.ofac.facts import VESSEL_COLUMN_REMARKS, Facts, Role, add_labelled, rule_for
from lists.ofac.remarks import parse_ofac_date
from lists.textio import csv_records
from lists.us_csl import cells
from lists.values.identifiers import classify_identifier, imo_check_digit_ok

FORMAT_NAME = "us-csl-csv"
HEADER_START = "_id,source,entity_number"
COLUMNS = (
    "_id",
    "source",
    "entity_number",
    "type",
    "programs",
    "name",
    "title",
    "addresses",
    "federal_register_notice",
    "start_date",
    "end_date",
    "standard_order",
    "license_requirement",
    "license_policy",
    "call_sign",
    "vessel_type",
    "gross_tonnage",
    "gross_registered_tonnage",
    "vessel_flag",
    "vessel_owner",
    "remarks",
    "source_list_url",
    "alt_names",
    "citizenships",
    "dates_of_birth",
    "nationalities",
    "places_of_birth",
    "source_information_url",
    "ids",
)
REQUIRED = ("_id", "source", "type", "name")
_SCHEMAS = {
    "individual": Schema.PERSON,
    "entity": Schema.ORGANIZATION,
    "vessel": Schema.VESSEL,
    "aircraft": Schema.AIRCRAFT,
}
_DATASETS = {" ".join(d.published_as.split()): d for d in datasets_of(Source.US_CSL)}
_TREASURY = "Treasury Department"
_ISN = "us_csl_isn"
# A Denied Persons address "INMATE NUMBER: 96672-038, FCI FORT DIX" or "INCARCERATED AT USM NO".
_PRISONER = re.compile(r"\bINMATE\b|\bINCARCERATED\b", re.I)
# (column, OFAC feature type) of the vessel columns, read as OFAC reads the same features.
_VESSEL_COLUMNS = (
    ("call_sign", "Vessel Call Sign"),
    ("vessel_type", "VESSEL TYPE"),
    ("gross_tonnage", "Vessel Tonnage"),
    ("gross_registered_tonnage", "Vessel Gross Registered Tonnage"),
    ("vessel_flag", "Vessel Flag"),
    ("vessel_owner", "Vessel Owner"),
)
# Columns kept as labelled remarks, in this order.
_REMARK_COLUMNS = (
    ("title", "Title"),
    ("federal_register_notice", "Federal Register notice"),
    ("end_date", "End date"),
    ("standard_order", "Standard order"),
    ("license_requirement", "License requirement"),
    ("license_policy", "License policy"),
)
_LINK_COLUMNS = ("source_information_url", "source_list_url")
_EXAMPLES = 10


def sniff(head: Head) -> bool:
    first_line = head.text.split("\n", 1)[0].replace('"', "")
    return first_line.startswith(HEADER_START)


def published(path: Path) -> dt.date | None:
    """Always None: the file states no publication date (see the module docstring)."""
    del path
    return None


def entities(path: Path, report: ReadReport) -> Iterator[Entity]:
    """Stream one entity per (sub-list, ``_id``); `ListReadError` on the first bad row."""
    return _Reader(path, report).entities()


@dataclass
class _Row:
    line: int
    cells: dict[str, str]
    dataset: Dataset

    def get(self, column: str) -> str:
        return self.cells.get(column, "")

    @property
    def entry_id(self) -> str:
        return self.cells["_id"]


@dataclass
class _Reader:
    path: Path
    report: ReadReport
    header: list[str] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)
    seen: dict[tuple[str, str], int] = field(default_factory=dict)  # (dataset, _id) -> line
    lines_of_id: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    unknown_id_types: dict[str, int] = field(default_factory=dict)  # type -> first line

    def entities(self) -> Iterator[Entity]:
        records = csv_records(self.path, "utf-8", hint="the CSL is published in UTF-8")
        for line, raw in records:
            if not any(cell.strip() for cell in raw):
                continue  # a blank line holds nothing
            if not self.header:
                self._read_header(line, raw)
            elif raw == self.header:
                self.report.warn(f"line {line} repeats the header row; skipped")
            else:
                row = self._row(line, raw)
                if self._first_of_its_key(row):
                    yield self._entity(row)
        if not self.header:
            raise ListReadError(self.path, "the file holds no CSL header row")
        if not self.seen:
            raise ListReadError(self.path, "no data rows after the header: not a complete CSL")
        self._summarise()

    def _read_header(self, line: int, raw: list[str]) -> None:
        names = [cell.strip() for cell in raw]
        if ",".join(names[:3]) != HEADER_START:
            raise ListReadError(
                self.path, f"not a CSL header (expected it to start {HEADER_START})", line=line
            )
        missing = [column for column in REQUIRED if column not in names]
        if missing:
            raise ListReadError(
                self.path, f"the header lacks the column(s) {', '.join(missing)}", line=line
            )
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ListReadError(
                self.path, f"the header names {', '.join(repeated)} twice", line=line
            )
        self.header = raw
        absent = [column for column in COLUMNS if column not in names]
        if absent:
            self.report.warn(f"the header lacks the column(s) {', '.join(absent)}")
        self.extra_columns = [name for name in names if name not in COLUMNS]
        if self.extra_columns:
            self.report.warn(
                f"unknown column(s) {', '.join(self.extra_columns)}: their values are kept "
                "in remarks"
            )

    def _row(self, line: int, raw: list[str]) -> _Row:
        if len(raw) != len(self.header):
            raise ListReadError(
                self.path,
                f"{len(raw)} cells where the header has {len(self.header)} "
                "(a broken line or an unquoted comma?)",
                line=line,
            )
        joined = "".join(raw)
        if "\0" in joined:
            # Python's csv module accepts NUL bytes since 3.11; a text list never holds one.
            raise ListReadError(
                self.path, "a NUL byte in the row: a damaged file or not a text list", line=line
            )
        if cells.has_c1(joined):
            self.report.warn_once(
                "c1",
                f"C1 control characters (Windows-1252 text read as Latin-1 by the publisher) "
                f"are read as cp1252 characters, first at line {line}",
            )
            raw = [cells.repair_c1(cell) for cell in raw]
        values = {name.strip(): cell.strip() for name, cell in zip(self.header, raw, strict=True)}
        if not values["_id"]:
            raise ListReadError(self.path, "a row without an _id", line=line)
        published_as = " ".join(values["source"].split())
        dataset = _DATASETS.get(published_as)
        if dataset is None:
            raise ListReadError(
                self.path,
                f"unknown CSL source {published_as!r}: a sub-list that lists.datasets does not "
                "know (it must be added there before this file can be read)",
                line=line,
                record=values["_id"],
            )
        return _Row(line=line, cells=values, dataset=dataset)

    def _first_of_its_key(self, row: _Row) -> bool:
        key = (row.dataset.id, row.entry_id)
        first = self.seen.get(key)
        if first is not None:
            self.report.warn(
                f"_id {row.entry_id} appears twice in {row.dataset.id} (lines {first} and "
                f"{row.line}): the row at line {row.line} is skipped"
            )
            return False
        self.seen[key] = row.line
        self.lines_of_id.setdefault(row.entry_id, []).append((row.line, row.dataset.id))
        return True

    def _summarise(self) -> None:
        shared = {key: found for key, found in self.lines_of_id.items() if len(found) > 1}
        if shared:
            examples = "; ".join(
                f"{key} ({', '.join(f'line {line} {dataset}' for line, dataset in found)})"
                for key, found in list(shared.items())[:_EXAMPLES]
            )
            more = f"; and {len(shared) - _EXAMPLES} more" if len(shared) > _EXAMPLES else ""
            self.report.warn(
                f"{len(shared)} _id(s) are listed on two or more sub-lists, one entity in each "
                f"dataset: {examples}{more}"
            )
        if self.unknown_id_types:
            listed = "; ".join(
                f"{label!r} (first at line {line})" for label, line in self.unknown_id_types.items()
            )
            self.report.warn(
                f"ids types not in OFAC's type table, kept as remarks unless their wording "
                f"names an identifier: {listed}"
            )

    def _entity(self, row: _Row) -> Entity:
        try:
            return self._build(row)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "value"
            raise ListReadError(
                self.path, f"invalid {where}: {first['msg']}", line=row.line, record=row.entry_id
            ) from None

    def _build(self, row: _Row) -> Entity:
        schema = self._schema(row)
        person = schema is Schema.PERSON
        facts = Facts()
        primary = cells.name_of(row.get("name"), NameKind.PRIMARY, person=person)
        if primary is None:
            raise ListReadError(self.path, "a row without a name", line=row.line)
        facts.add_name(primary)
        self._add_aliases(facts, row, person)
        for program in cells.split_list(row.get("programs")):
            facts.add_program(program)
        for text in cells.split_list(row.get("addresses")):
            address = cells.read_address(text)
            if address is not None:
                facts.add_address(address)
        for text in cells.split_list(row.get("ids")):
            self._add_document(facts, row, text, schema)
        self._add_person_facts(facts, row)
        for column, label in _VESSEL_COLUMNS:
            if value := row.get(column):
                remark = f"{VESSEL_COLUMN_REMARKS.get(label, label)}: {value}"
                add_labelled(facts, label, value, schema, as_written=remark)
        self._add_remarks(facts, row)
        facts.listed_on = self._listed_on(facts, row)
        for column in _LINK_COLUMNS:
            if url := row.get(column):
                facts.add_link(url)
        ref = SourceRef(format=FORMAT_NAME, file=self.path.name, record=str(row.line))
        return facts.build(Source.US_CSL, row.entry_id, schema, ref, dataset=row.dataset.id)

    def _schema(self, row: _Row) -> Schema:
        written = row.get("type")
        if not written:
            prisoner = _PRISONER.search(row.get("addresses"))
            return Schema.PERSON if prisoner else Schema.ORGANIZATION
        schema = _SCHEMAS.get(written.lower())
        if schema is None:
            raise ListReadError(
                self.path,
                f"unknown type {written!r} (expected Individual, Entity, Vessel, Aircraft or none)",
                line=row.line,
                record=row.entry_id,
            )
        return schema

    def _add_aliases(self, facts: Facts, row: _Row, person: bool) -> None:
        text = row.get("alt_names")
        split = cells.split_isn_aliases if row.dataset.id == _ISN else cells.split_aliases
        primaries = {name.full for name in facts.names}
        for alias, kind in split(text):
            name = cells.name_of(alias, kind, person=person)
            if name is not None and name.full not in primaries:
                facts.add_name(name)

    def _add_document(self, facts: Facts, row: _Row, text: str, schema: Schema) -> None:
        label, number, country, dates = cells.split_document(text)
        rule = rule_for(label)
        if rule is None:
            self.unknown_id_types.setdefault(label, row.line)
            is_identifier = classify_identifier(label) is not IdentifierType.OTHER
        else:
            is_identifier = rule.role is Role.IDENTIFIER
        if not is_identifier:
            value = text.partition(",")[2].strip()
            add_labelled(facts, label, value, schema, as_written=f"{label} {value}".strip())
            return
        before = len(facts.identifiers)
        note = cells.document_note(dates)
        add_labelled(facts, label, number, schema, country_text=country, note=note)
        for identifier in facts.identifiers[before:]:
            if identifier.type is IdentifierType.IMO and not imo_check_digit_ok(identifier.value):
                identifier.note = "; ".join(
                    filter(None, [identifier.note, "fails the check digit"])
                )
                self.report.warn(
                    f"IMO number {identifier.value} at line {row.line} fails the IMO check "
                    "digit; kept"
                )

    def _add_person_facts(self, facts: Facts, row: _Row) -> None:
        for text in cells.split_list(row.get("dates_of_birth")):
            date = parse_ofac_date(text)
            if date is None:
                facts.add_remark(f"Date of birth: {text}")
                self.report.warn_once(
                    "dob", f"a date of birth that is not a date, kept in remarks (line {row.line})"
                )
            else:
                facts.add_birth_date(date)
        for place in cells.split_list(row.get("places_of_birth")):
            facts.add_birth_place(place)
        for text in cells.split_list(row.get("nationalities")):
            facts.add_country_text(facts.nationalities, text, f"Nationality: {text}")
        for text in cells.split_list(row.get("citizenships")):
            facts.add_country_text(facts.citizenships, text, f"Citizenship: {text}")

    def _add_remarks(self, facts: Facts, row: _Row) -> None:
        for column, label in _REMARK_COLUMNS:
            if value := row.get(column):
                facts.add_remark(f"{label}: {value}")
        remarks: str | None = row.get("remarks")
        if remarks and row.dataset.published_as.endswith(_TREASURY):
            remarks, parties = cells.split_linked(remarks)
            for party in parties:
                facts.add_related(party)
        if remarks:
            facts.add_remark(remarks)
        number = row.get("entity_number")
        if number and number != row.entry_id:
            facts.add_remark(f"Entity number: {number}")
        for column in self.extra_columns:
            if value := row.get(column):
                facts.add_remark(f"{column}: {value}")

    def _listed_on(self, facts: Facts, row: _Row) -> dt.date | None:
        text = row.get("start_date")
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            facts.add_remark(f"Start date: {text}")
            self.report.warn(
                f"start_date {text!r} at line {row.line} is not an ISO date; kept in remarks"
            )
            return None


FORMAT = ListFormat(
    name=FORMAT_NAME,
    source=Source.US_CSL,
    description="US Consolidated Screening List CSV (trade.gov; BIS, State and OFAC sub-lists)",
    sniff=sniff,
    published=published,
    entities=entities,
)
