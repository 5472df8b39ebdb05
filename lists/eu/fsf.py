"""One EU Financial Sanctions Files (FSF 1.1) record, as both serialisations carry it.

The XML nests a ``sanctionEntity``'s names, birth dates, addresses, identifications and
citizenships; the CSV flattens them into one row each. Both readers fill the same `FsfRecord`
with the raw (whitespace-cleaned) values and `to_entity` maps it, so an entity read from the CSV
equals the one read from the XML of the same export.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from lists.base import ReadReport
from lists.errors import ListReadError
from lists.eu.common import (
    GENDERS,
    NameInput,
    OrderedSet,
    alias_quality,
    build_names,
    clean,
    contact_identifiers,
    country_code,
    dedupe_identifiers,
    enterprise_schema,
    identification_type,
    identifier_value,
    is_quality_remark,
    logical_order,
    meaningful,
    name_language,
    parse_bool,
    whole_name,
)
from lists.model import (
    Address,
    DatePrecision,
    Entity,
    Identifier,
    IdentifierType,
    PartialDate,
    Schema,
    Source,
    SourceRef,
)
from lists.values.dates import day_date, parse_day

EU_REFERENCE_LABEL = "EU reference number"
ISO_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


@dataclass
class FsfNameAlias:
    logical_id: str = ""
    whole_name: str = ""
    first_name: str = ""
    middle_name: str = ""
    last_name: str = ""
    language: str = ""
    gender: str = ""
    title: str = ""
    function: str = ""
    strong: str = ""
    remarks: list[str] = field(default_factory=list)


@dataclass
class FsfBirthdate:
    logical_id: str = ""
    birthdate: str = ""
    day: str = ""
    month: str = ""
    year: str = ""
    year_from: str = ""
    year_to: str = ""
    circa: str = ""
    calendar: str = ""
    city: str = ""
    place: str = ""
    region: str = ""
    zip_code: str = ""
    country_iso2: str = ""
    country_description: str = ""
    remarks: list[str] = field(default_factory=list)


@dataclass
class FsfAddress:
    logical_id: str = ""
    street: str = ""
    po_box: str = ""
    zip_code: str = ""
    city: str = ""
    region: str = ""
    place: str = ""
    as_at_listing_time: str = ""
    country_iso2: str = ""
    country_description: str = ""
    contacts: list[tuple[str, str]] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)


@dataclass
class FsfIdentification:
    logical_id: str = ""
    number: str = ""
    latin_number: str = ""
    type_code: str = ""
    type_description: str = ""
    country_iso2: str = ""
    country_description: str = ""
    region: str = ""
    issued_by: str = ""
    issue_date: str = ""
    valid_from: str = ""
    valid_to: str = ""
    name_on_document: str = ""
    diplomatic: str = ""
    known_expired: str = ""
    known_false: str = ""
    reported_lost: str = ""
    revoked_by_issuer: str = ""
    remarks: list[str] = field(default_factory=list)


@dataclass
class FsfCitizenship:
    logical_id: str = ""
    country_iso2: str = ""
    country_description: str = ""
    region: str = ""
    remarks: list[str] = field(default_factory=list)


@dataclass
class FsfRecord:
    logical_id: str
    where: str  # "line 12" or "lines 12-40", for messages
    eu_reference: str = ""
    un_id: str = ""
    designation_date: str = ""
    designation_details: str = ""
    delisting_date: str = ""
    subject_code: str = ""
    subject_classification: str = ""
    programmes: OrderedSet = field(default_factory=OrderedSet)
    remarks: OrderedSet = field(default_factory=OrderedSet)
    additional_info: list[tuple[str, str]] = field(default_factory=list)
    names: list[FsfNameAlias] = field(default_factory=list)
    citizenships: list[FsfCitizenship] = field(default_factory=list)
    birthdates: list[FsfBirthdate] = field(default_factory=list)
    addresses: list[FsfAddress] = field(default_factory=list)
    identifications: list[FsfIdentification] = field(default_factory=list)


_SUBJECTS = {"p": Schema.PERSON, "person": Schema.PERSON}
_ENTERPRISES = {"e": Schema.ORGANIZATION, "enterprise": Schema.ORGANIZATION}

_FLAG_NOTES = (
    ("diplomatic", "diplomatic"),
    ("known_expired", "known to be expired"),
    ("known_false", "known to be false"),
    ("reported_lost", "reported lost"),
    ("revoked_by_issuer", "revoked by issuer"),
)


def to_entity(
    record: FsfRecord, *, path: Path, format_name: str, report: ReadReport
) -> Entity | None:
    """The canonical entity; None (with a warning) for a record that has no name at all."""
    remarks = OrderedSet()
    remarks.extend(record.remarks.as_list())
    names = build_names(_name_inputs(record.names, remarks))
    if not names:
        report.warn(
            f"{path.name} ({record.where}): sanctionEntity logicalId {record.logical_id} has "
            "no name; it is not loaded, as an entity without a name cannot be screened"
        )
        return None
    identifiers = _entity_identifiers(record, remarks)
    birth_dates, birth_places = _birth(record.birthdates, remarks)
    addresses = _addresses(record.addresses, identifiers, remarks)
    schema = _subject_schema(record, path)
    if schema is Schema.ORGANIZATION:
        schema, imo_numbers = enterprise_schema(
            identifiers, [*remarks.as_list(), record.designation_details]
        )
        identifiers.extend(imo_numbers)
    _entity_remarks(record, remarks)
    try:
        return Entity(
            source=Source.EU,
            entry_id=record.logical_id,
            schema=schema,
            names=names,
            birth_dates=birth_dates,
            birth_places=birth_places,
            citizenships=_citizenships(record.citizenships, remarks),
            addresses=addresses,
            identifiers=dedupe_identifiers(identifiers),
            programs=record.programmes.as_list(),
            listed_on=_listed_on(record, path, report, remarks),
            gender=_gender(record.names),
            remarks=remarks.as_list(),
            ref=SourceRef(format=format_name, file=path.name, record=record.logical_id),
        )
    except ValidationError as exc:
        raise ListReadError(
            path, f"{record.where}: cannot map: {exc.errors()[0]['msg']}", record=record.logical_id
        ) from None


def _name_inputs(aliases: list[FsfNameAlias], remarks: OrderedSet) -> list[NameInput]:
    inputs: list[NameInput] = []
    for alias in aliases:
        full = whole_name(alias.whole_name, alias.first_name, alias.middle_name, alias.last_name)
        # A nameAlias without any name still carries its function, title and remarks.
        about = f" ({full})" if full else ""
        if clean(alias.function):
            remarks.add(f"Function{about}: {clean(alias.function)}")
        if clean(alias.title):
            remarks.add(f"Title{about}: {clean(alias.title)}")
        for remark in alias.remarks:
            if not is_quality_remark(remark):
                remarks.add(f"{full}: {remark}" if full else remark)
        if full:
            inputs.append(_name_input(alias, full, remarks))
    return inputs


def _name_input(alias: FsfNameAlias, full: str, remarks: OrderedSet) -> NameInput:
    language = name_language(alias.language)
    if clean(alias.language) and language is None:
        remarks.add(f"{full}: name language {clean(alias.language)}")
    return NameInput(
        full=full,
        first=clean(alias.first_name) or None,
        middle=clean(alias.middle_name) or None,
        last=clean(alias.last_name) or None,
        language=language,
        logical_id=logical_order(alias.logical_id),
        kind=alias_quality(alias.remarks, alias.strong),
    )


def _gender(aliases: list[FsfNameAlias]) -> str | None:
    for alias in aliases:
        gender = GENDERS.get(clean(alias.gender).upper())
        if gender:
            return gender
    return None


def _subject_schema(record: FsfRecord, path: Path) -> Schema:
    # The XSD fixes classificationCode to P or E; the CSV puts the letter and the word in the
    # two columns the other way round, so both are looked up in both tables.
    for value in (record.subject_classification, record.subject_code):
        key = clean(value).lower()
        if key in _SUBJECTS:
            return _SUBJECTS[key]
        if key in _ENTERPRISES:
            return _ENTERPRISES[key]
    raise ListReadError(
        path,
        f"{record.where}: unknown subject type code={record.subject_code!r} "
        f"classificationCode={record.subject_classification!r} (the FSF 1.1 has only "
        "person/P and enterprise/E; has the format changed?)",
        record=record.logical_id,
    )


def _entity_identifiers(record: FsfRecord, remarks: OrderedSet) -> list[Identifier]:
    identifiers: list[Identifier] = []
    if clean(record.eu_reference):
        identifiers.append(
            Identifier(
                type=IdentifierType.OTHER,
                value=clean(record.eu_reference),
                label=EU_REFERENCE_LABEL,
            )
        )
    if clean(record.un_id):
        identifiers.append(
            Identifier(
                type=IdentifierType.UN_REFERENCE,
                value=clean(record.un_id),
                label="UN reference number",
            )
        )
    for identification in record.identifications:
        identifiers.extend(_identification(identification, remarks))
    return identifiers


def _identification(item: FsfIdentification, remarks: OrderedSet) -> list[Identifier]:
    label = clean(item.type_description) or clean(item.type_code) or "identification"
    identifier_type = identification_type(item.type_code, label)
    number = clean(item.number)
    note = _identification_note(item)
    if not number or number.lower() == "unknown":
        remarks.add(f"{label} without a number" + (f" ({note})" if note else ""))
        return []
    identifiers = [
        Identifier(
            type=identifier_type,
            value=identifier_value(identifier_type, number),
            country=country_code(item.country_iso2, item.country_description),
            label=label,
            note=note or None,
        )
    ]
    latin = clean(item.latin_number)
    if latin and latin != number:
        identifiers.append(
            identifiers[0].model_copy(
                update={"value": latin, "note": f"Latin transcription of {number}"}
            )
        )
    return identifiers


def _identification_note(item: FsfIdentification) -> str:
    parts = [text for attr, text in _FLAG_NOTES if parse_bool(getattr(item, attr))]
    for label, value in (
        ("issued", item.issue_date),
        ("valid from", item.valid_from),
        ("valid to", item.valid_to),
        ("issued by", item.issued_by),
        ("region", item.region),
        ("name on document", item.name_on_document),
    ):
        if clean(value):
            parts.append(f"{label} {clean(value)}")
    parts.extend(item.remarks)
    if not country_code(item.country_iso2, item.country_description) and meaningful(
        item.country_description
    ):
        parts.append(f"country {meaningful(item.country_description)}")
    return "; ".join(parts)


def _birth(items: list[FsfBirthdate], remarks: OrderedSet) -> tuple[list[PartialDate], list[str]]:
    dates: list[PartialDate] = []
    places = OrderedSet()
    for item in items:
        date = _birth_date(item)
        label = date.text if date else _raw_birth_text(item)
        if date is None and label:
            remarks.add(f"Date of birth as written: {label}")
        if date is not None and date not in dates:
            dates.append(date)
        for remark in item.remarks:
            remarks.add(f"Date of birth {label}: {remark}" if label else f"Birth: {remark}")
        places.add(
            ", ".join(
                part
                for part in (
                    meaningful(item.place),
                    meaningful(item.city),
                    meaningful(item.region),
                    meaningful(item.zip_code),
                    meaningful(item.country_description),
                )
                if part
            )
        )
    return dates, places.as_list()


def _int(value: str) -> int | None:
    text = clean(value)
    digits = text.lstrip("-")
    # isascii: str.isdigit also accepts "²" and other digits that int() refuses.
    return int(text) if digits.isascii() and digits.isdigit() else None


def _birth_date(item: FsfBirthdate) -> PartialDate | None:
    """The birth date with honest precision; a non-Gregorian date keeps its own value as text.

    For calendarType ISLAMIC the EU puts the Hijri day, month and year in dayOfMonth,
    monthOfYear and year, and the Gregorian equivalent in the ``birthdate`` attribute.
    """
    circa = parse_bool(item.circa)
    calendar = clean(item.calendar).upper() or "GREGORIAN"
    gregorian = parse_day(clean(item.birthdate), *ISO_DATE_FORMATS)
    if calendar != "GREGORIAN":
        if gregorian is None:
            return None
        text = f"{gregorian.isoformat()} ({_raw_birth_text(item)})"
        return day_date(gregorian, circa=circa, text=text)
    if gregorian is not None:
        return day_date(gregorian, circa=circa, text=gregorian.isoformat())
    year_from, year_to = _int(item.year_from), _int(item.year_to)
    if year_from and year_to:
        low, high = sorted((year_from, year_to))
        return PartialDate(
            precision=DatePrecision.RANGE,
            year=low,
            year_to=high,
            circa=circa,
            text=f"{year_from}-{year_to}",
        )
    return _date_from_parts(_int(item.year), _int(item.month), _int(item.day), circa)


def _date_from_parts(
    year: int | None, month: int | None, day: int | None, circa: bool
) -> PartialDate | None:
    if year is None:
        return None
    if month and day:
        try:
            day_in_calendar = dt.date(year, month, day)
        except ValueError:
            return None
        return day_date(day_in_calendar, circa=circa, text=day_in_calendar.isoformat())
    if month and 1 <= month <= 12:
        return PartialDate(
            precision=DatePrecision.MONTH,
            year=year,
            month=month,
            circa=circa,
            text=f"{year:04d}-{month:02d}",
        )
    return PartialDate(precision=DatePrecision.YEAR, year=year, circa=circa, text=str(year))


def _raw_birth_text(item: FsfBirthdate) -> str:
    """The date as the EU gave it, for remarks: used when it is not Gregorian or not a date."""
    calendar = clean(item.calendar).upper()
    suffix = f" {calendar.lower()} calendar" if calendar and calendar != "GREGORIAN" else ""
    if clean(item.year_from) or clean(item.year_to):
        return f"{clean(item.year_from)}-{clean(item.year_to)}{suffix}"
    parts = [clean(item.year), clean(item.month).zfill(2), clean(item.day).zfill(2)]
    text = "-".join(p for p in parts if p.strip("0"))
    return (text or clean(item.birthdate)) + suffix


def _addresses(
    items: list[FsfAddress], identifiers: list[Identifier], remarks: OrderedSet
) -> list[Address]:
    addresses: list[Address] = []
    for item in items:
        for key, value in item.contacts:
            identifiers.extend(contact_identifiers(key, value))
        po_box = clean(item.po_box)
        if po_box and "box" not in po_box.lower():
            po_box = f"PO Box {po_box}"
        lines = [line for line in (clean(item.street), po_box, clean(item.place)) if line]
        address = Address(
            lines=lines,
            city=meaningful(item.city) or None,
            region=meaningful(item.region) or None,
            postal_code=meaningful(item.zip_code) or None,
            country=country_code(item.country_iso2, item.country_description),
            country_text=meaningful(item.country_description) or None,
        )
        summary = ", ".join([*address.lines, address.city or "", address.country_text or ""]).strip(
            ", "
        )
        for remark in item.remarks:
            remarks.add(f"Address {summary}: {remark}" if summary else f"Address: {remark}")
        if parse_bool(item.as_at_listing_time) and summary:
            remarks.add(f"Address {summary}: address at the time of listing")
        if address.model_dump(exclude_defaults=True) and address not in addresses:
            addresses.append(address)
    return addresses


def _citizenships(items: list[FsfCitizenship], remarks: OrderedSet) -> list[str]:
    codes = OrderedSet()
    for item in items:
        code = country_code(item.country_iso2, item.country_description)
        codes.add(code)
        described = meaningful(item.country_description) or meaningful(item.country_iso2)
        if code is None and described:
            remarks.add(f"Citizenship: {described}")
        if clean(item.region):
            remarks.add(f"Citizenship {described or ''}: region {clean(item.region)}".strip())
        for remark in item.remarks:
            remarks.add(f"Citizenship {described}: {remark}" if described else remark)
    return codes.as_list()


def _listed_on(
    record: FsfRecord, path: Path, report: ReadReport, remarks: OrderedSet
) -> dt.date | None:
    text = clean(record.designation_date)
    if not text:
        return None
    day = parse_day(text, *ISO_DATE_FORMATS)
    if day is None:
        report.warn(
            f"{path.name} ({record.where}): logicalId {record.logical_id} designationDate "
            f"{text!r} is not a date; kept in the remarks"
        )
        remarks.add(f"Designation date: {text}")
    return day


def _entity_remarks(record: FsfRecord, remarks: OrderedSet) -> None:
    if clean(record.designation_details):
        remarks.add(f"Designation details: {clean(record.designation_details)}")
    if clean(record.delisting_date):
        remarks.add(f"Delisting date: {clean(record.delisting_date)}")
    for key, value in record.additional_info:
        remarks.add(f"{clean(key)}: {clean(value)}")
