"""EU Financial Sanctions Files CSV 1.1 (``csvFullSanctionsList_1_1``).

Semicolon-separated, UTF-8, one header row of 118 columns, then one row per item of an
entity: a row for each name alias, birth date, address, identification and citizenship, every
row repeating the entity's own columns (Entity_LogicalId, Entity_EU_ReferenceNumber, ...). The
reader groups consecutive rows by Entity_LogicalId, so memory stays flat; the EU writes an
entity's rows together, and a file where they are not is refused rather than read wrongly.

Columns are found by header name (case-insensitive), so added or reordered columns do not
matter; only Entity_LogicalId and NameAlias_WholeName are required. The column names follow
the EU's CSV 1.1 as used by public parsers; no complete EU CSV was available to check them
against, nor the layout of Address_ContactInfo (read here as ``PHONE[...] WEB[...]``, the
FSD's flat convention, with any other text kept as an address remark).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator, Iterator
from pathlib import Path

from lists.base import Head, ListFormat, ReadReport
from lists.errors import ListReadError
from lists.eu.common import clean, split_contact_text, unwrap_remark
from lists.eu.fsf import (
    FsfAddress,
    FsfBirthdate,
    FsfCitizenship,
    FsfIdentification,
    FsfNameAlias,
    FsfRecord,
    to_entity,
)
from lists.model import Entity, Source
from lists.textio import UTF16_MARKS, csv_records
from lists.values.dates import parse_day

FORMAT_NAME = "eu-fsf-csv"
DELIMITER = ";"
REQUIRED_COLUMNS = ("Entity_LogicalId", "NameAlias_WholeName")

_SECTION_DETAIL = (
    "RegulationLanguage",
    "Remark",
    "Regulation_Type",
    "Regulation_OrganisationType",
    "Regulation_PublicationDate",
    "Regulation_EntryIntoForceDate",
    "Regulation_NumberTitle",
    "Regulation_Programme",
    "Regulation_PublicationUrl",
)

ENTITY_COLUMNS = (
    "fileGenerationDate",
    "Entity_LogicalId",
    "Entity_EU_ReferenceNumber",
    "Entity_UnitedNationId",
    "Entity_DesignationDate",
    "Entity_DesignationDetails",
    "Entity_Remark",
    "Entity_SubjectType",
    "Entity_SubjectType_ClassificationCode",
    "Entity_Regulation_Type",
    "Entity_Regulation_OrganisationType",
    "Entity_Regulation_PublicationDate",
    "Entity_Regulation_EntryIntoForceDate",
    "Entity_Regulation_NumberTitle",
    "Entity_Regulation_Programme",
    "Entity_Regulation_PublicationUrl",
)
# Each section's own columns, then its LogicalId and regulation details (not mapped: they say
# which regulation amended the item, as the XML's regulationSummary does).
SECTION_FIELDS: dict[str, tuple[str, ...]] = {
    "NameAlias": (
        "LastName",
        "FirstName",
        "MiddleName",
        "WholeName",
        "NameLanguage",
        "Gender",
        "Title",
        "Function",
    ),
    "Address": (
        "City",
        "Street",
        "PoBox",
        "ZipCode",
        "Region",
        "Place",
        "AsAtListingTime",
        "ContactInfo",
        "CountryIso2Code",
        "CountryDescription",
    ),
    "BirthDate": (
        "BirthDate",
        "Day",
        "Month",
        "Year",
        "YearRangeFrom",
        "YearRangeTo",
        "Circa",
        "CalendarType",
        "ZipCode",
        "Region",
        "Place",
        "City",
        "CountryIso2Code",
        "CountryDescription",
    ),
    "Identification": (
        "Number",
        "Diplomatic",
        "KnownExpired",
        "KnownFalse",
        "ReportedLost",
        "RevokedByIssuer",
        "IssuedBy",
        "IssuedDate",
        "ValidFrom",
        "ValidTo",
        "LatinNumber",
        "NameOnDocument",
        "TypeCode",
        "TypeDescription",
        "Region",
        "CountryIso2Code",
        "CountryDescription",
    ),
    "Citizenship": ("Region", "CountryIso2Code", "CountryDescription"),
}
COLUMNS: tuple[str, ...] = ENTITY_COLUMNS + tuple(
    column
    for section, fields in SECTION_FIELDS.items()
    for column in (
        *(f"{section}_{name}" for name in fields),
        f"{section}_LogicalId",
        *(f"{section}_{detail}" for detail in _SECTION_DETAIL),
    )
)
_KNOWN = frozenset(column.lower() for column in COLUMNS)
_ENCODING_HINT = "the EU publishes this CSV in UTF-8 (re-saved in another encoding?)"


class _Row:
    """One data row, its values looked up by column name whatever the header's case."""

    def __init__(self, line: int, values: dict[str, str]) -> None:
        self.line = line
        self._values = values

    def get(self, column: str) -> str:
        return clean(self._values.get(column.lower()))

    def raw(self, column: str) -> str:
        return self._values.get(column.lower()) or ""


def sniff(head: Head) -> bool:
    if head.is_dir or head.xml_root is not None:
        return False
    data = head.data
    text = data.decode("utf-16", errors="replace") if data.startswith(UTF16_MARKS) else head.text
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    header = {cell.strip().strip('"').lower() for cell in first_line.split(DELIMITER)}
    return len(header & _KNOWN) >= 2


def published(path: Path) -> dt.date | None:
    """fileGenerationDate of the first data row (the EU repeats it on every row)."""
    rows = _rows(path)
    try:
        for row in rows:
            text = row.get("fileGenerationDate")
            return parse_day(text, "%d/%m/%Y", "%Y-%m-%d") if text else None
    finally:
        rows.close()
    return None


def entities(path: Path, report: ReadReport) -> Iterator[Entity]:
    group: list[_Row] = []
    seen: dict[str, int] = {}
    for row in _rows(path):
        logical_id = row.get("Entity_LogicalId")
        if not logical_id:
            report.warn(f"{path.name}:{row.line}: a row without Entity_LogicalId was skipped")
            continue
        if group and logical_id != group[0].get("Entity_LogicalId"):
            yield from _entity(group, path, report)
            group = []
        if not group:
            if logical_id in seen:
                raise ListReadError(
                    path,
                    f"the rows of entity {logical_id} are not together (it also appears "
                    f"at line {seen[logical_id]}); this reader streams entity by entity",
                    line=row.line,
                    record=logical_id,
                )
            seen[logical_id] = row.line
        group.append(row)
    if group:
        yield from _entity(group, path, report)


def _entity(rows: list[_Row], path: Path, report: ReadReport) -> Iterator[Entity]:
    entity = to_entity(_record(rows), path=path, format_name=FORMAT_NAME, report=report)
    if entity is not None:
        yield entity


def _rows(path: Path) -> Generator[_Row, None, None]:
    records = csv_records(path, "utf-8", delimiter=DELIMITER, strict=False, hint=_ENCODING_HINT)
    try:
        _, header = next(records, (1, None))
        if header is None:
            raise ListReadError(path, "the file is empty", line=1)
        columns = [cell.strip().lower() for cell in header]
        missing = [c for c in REQUIRED_COLUMNS if c.lower() not in columns]
        if missing:
            raise ListReadError(
                path,
                f"not an EU FSF CSV 1.1: required column(s) {', '.join(missing)} missing "
                "from the header",
                line=1,
            )
        for line, cells in records:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(columns):
                raise ListReadError(
                    path,
                    f"{len(cells)} fields where the header has {len(columns)} "
                    "(a truncated file or a row with an unquoted ';'?)",
                    line=line,
                )
            yield _Row(line, dict(zip(columns, cells, strict=True)))
    finally:
        records.close()


def _record(rows: list[_Row]) -> FsfRecord:
    first = rows[0]
    where = f"line {first.line}" if len(rows) == 1 else f"lines {first.line}-{rows[-1].line}"
    record = FsfRecord(logical_id=first.get("Entity_LogicalId"), where=where)
    seen: set[tuple[str, ...]] = set()
    for row in rows:
        _entity_columns(record, row)
        for section in SECTION_FIELDS:
            key = _section_key(section, row)
            if key is not None and key not in seen:
                seen.add(key)
                _add_section(record, section, row)
    return record


def _entity_columns(record: FsfRecord, row: _Row) -> None:
    # Entity columns repeat on every row; the first non-empty value is the entity's.
    for attribute, column in (
        ("eu_reference", "Entity_EU_ReferenceNumber"),
        ("un_id", "Entity_UnitedNationId"),
        ("designation_date", "Entity_DesignationDate"),
        ("designation_details", "Entity_DesignationDetails"),
        ("subject_code", "Entity_SubjectType"),
        ("subject_classification", "Entity_SubjectType_ClassificationCode"),
    ):
        if not getattr(record, attribute):
            setattr(record, attribute, row.get(column))
    record.programmes.add(row.get("Entity_Regulation_Programme"))
    record.remarks.add(unwrap_remark(row.raw("Entity_Remark")))


def _section_key(section: str, row: _Row) -> tuple[str, ...] | None:
    """Identity of the section's item on this row; None when the row carries no such item."""
    values = tuple(row.get(f"{section}_{name}") for name in SECTION_FIELDS[section])
    remark = row.get(f"{section}_Remark")
    if not any(values) and not remark:
        return None
    logical_id = row.get(f"{section}_LogicalId")
    return (section, logical_id) if logical_id else (section, *values, remark)


def _section_remarks(section: str, row: _Row) -> list[str]:
    remark = unwrap_remark(row.raw(f"{section}_Remark"))
    return [remark] if remark else []


def _add_section(record: FsfRecord, section: str, row: _Row) -> None:
    def value(name: str) -> str:
        return row.get(f"{section}_{name}")

    logical_id = value("LogicalId")
    remarks = _section_remarks(section, row)
    if section == "NameAlias":
        record.names.append(
            FsfNameAlias(
                logical_id=logical_id,
                whole_name=value("WholeName"),
                first_name=value("FirstName"),
                middle_name=value("MiddleName"),
                last_name=value("LastName"),
                language=value("NameLanguage"),
                gender=value("Gender"),
                title=value("Title"),
                function=value("Function"),
                remarks=remarks,
            )
        )
    elif section == "Address":
        contacts, other_text = split_contact_text(row.raw("Address_ContactInfo"))
        record.addresses.append(
            FsfAddress(
                logical_id=logical_id,
                street=value("Street"),
                po_box=value("PoBox"),
                zip_code=value("ZipCode"),
                city=value("City"),
                region=value("Region"),
                place=value("Place"),
                as_at_listing_time=value("AsAtListingTime"),
                country_iso2=value("CountryIso2Code"),
                country_description=value("CountryDescription"),
                contacts=contacts,
                remarks=[*remarks, *([other_text] if other_text else [])],
            )
        )
    elif section == "BirthDate":
        record.birthdates.append(
            FsfBirthdate(
                logical_id=logical_id,
                birthdate=value("BirthDate"),
                day=value("Day"),
                month=value("Month"),
                year=value("Year"),
                year_from=value("YearRangeFrom"),
                year_to=value("YearRangeTo"),
                circa=value("Circa"),
                calendar=value("CalendarType"),
                city=value("City"),
                place=value("Place"),
                region=value("Region"),
                zip_code=value("ZipCode"),
                country_iso2=value("CountryIso2Code"),
                country_description=value("CountryDescription"),
                remarks=remarks,
            )
        )
    elif section == "Identification":
        record.identifications.append(
            FsfIdentification(
                logical_id=logical_id,
                number=value("Number"),
                latin_number=value("LatinNumber"),
                type_code=value("TypeCode"),
                type_description=value("TypeDescription"),
                country_iso2=value("CountryIso2Code"),
                country_description=value("CountryDescription"),
                region=value("Region"),
                issued_by=value("IssuedBy"),
                issue_date=value("IssuedDate"),
                valid_from=value("ValidFrom"),
                valid_to=value("ValidTo"),
                name_on_document=value("NameOnDocument"),
                diplomatic=value("Diplomatic"),
                known_expired=value("KnownExpired"),
                known_false=value("KnownFalse"),
                reported_lost=value("ReportedLost"),
                revoked_by_issuer=value("RevokedByIssuer"),
                remarks=remarks,
            )
        )
    else:
        record.citizenships.append(
            FsfCitizenship(
                logical_id=logical_id,
                country_iso2=value("CountryIso2Code"),
                country_description=value("CountryDescription"),
                region=value("Region"),
                remarks=remarks,
            )
        )


FORMAT = ListFormat(
    name=FORMAT_NAME,
    source=Source.EU,
    description="EU Financial Sanctions Files CSV 1.1 (csvFullSanctionsList_1_1)",
    sniff=sniff,
    published=published,
    entities=entities,
)
