"""OFAC SDN Advanced XML, first pass: the reference values and side sections, and dates.

The Advanced XML joins a party's data by id across sections (see `lists.ofac.advanced`). This
module reads the small sections into dictionaries keyed by id (reference values, locations, ID
documents, relations, sanctions entries, each party's primary name) and parses the format's
date elements; `lists.ofac.advanced` then streams the parties against this index.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from lists.errors import ListReadError
from lists.model import DatePrecision, Name, PartialDate
from lists.values.dates import day_date
from lists.xml import children, descendants, iter_elements, local_name, text_of

# The elements the reader handles, in either pass.
RECORDS = frozenset(
    {
        "DateOfIssue",
        "ReferenceValueSets",
        "Location",
        "IDRegDocument",
        "DistinctParty",
        "ProfileRelationship",
        "SanctionsEntry",
    }
)
# OFAC's script codes that are not ISO 15924.
_SCRIPT_CODES = {
    "Latin": "Latn",
    "Hebrew": "Hebr",
    "Japanese": "Jpan",
    "Korean": "Kore",
}
_PROGRAM_MEASURE = "Program"


# ---------------------------------------------------------------------------------------------
# Reference values and the side sections (first pass)
# ---------------------------------------------------------------------------------------------


@dataclass
class References:
    """Id -> text for each reference value set, and the extra attributes the reader needs."""

    values: dict[str, dict[str, str]] = field(default_factory=dict)
    country_iso2: dict[str, str] = field(default_factory=dict)
    script_code: dict[str, str] = field(default_factory=dict)
    party_type_of_subtype: dict[str, str] = field(default_factory=dict)

    def text(self, value_set: str, value_id: str | None) -> str | None:
        if value_id is None:
            return None
        return self.values.get(value_set, {}).get(value_id)

    def read(self, element: etree._Element) -> None:
        for value_set in element:
            if not isinstance(value_set.tag, str):
                continue
            set_name = local_name(value_set.tag).removesuffix("Values")
            values = self.values.setdefault(set_name, {})
            for value in value_set:
                if not isinstance(value.tag, str) or value.get("ID") is None:
                    continue
                value_id = value.get("ID", "")
                values[value_id] = " ".join((value.text or "").split())
                if set_name == "Country" and value.get("ISO2"):
                    self.country_iso2[value_id] = value.get("ISO2", "")
                elif set_name == "Script" and value.get("ScriptCode"):
                    code = value.get("ScriptCode", "")
                    self.script_code[value_id] = _SCRIPT_CODES.get(code, code)
                elif set_name == "PartySubType" and value.get("PartyTypeID"):
                    self.party_type_of_subtype[value_id] = value.get("PartyTypeID", "")


@dataclass(frozen=True)
class Location:
    country_id: str | None
    area_code_id: str | None
    parts: tuple[tuple[str, str], ...]  # (LocPartTypeID, value)


@dataclass(frozen=True)
class Document:
    type_id: str | None
    number: str | None
    country_id: str | None
    validity_id: str | None
    authority: str | None
    comment: str | None
    dates: tuple[tuple[str | None, PartialDate | None], ...]  # (IDRegDocDateTypeID, date)


@dataclass(frozen=True)
class SanctionsEntry:
    list_id: str | None
    listed_on: dt.date | None
    programs: tuple[str, ...]
    measures: tuple[str, ...]
    legal_bases: tuple[str, ...]


@dataclass
class PartyIndex:
    references: References = field(default_factory=References)
    locations: dict[str, Location] = field(default_factory=dict)
    documents: dict[str, list[Document]] = field(default_factory=lambda: defaultdict(list))
    relations: dict[str, list[tuple[str | None, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    entries: dict[str, list[SanctionsEntry]] = field(default_factory=lambda: defaultdict(list))
    party_names: dict[str, str] = field(default_factory=dict)


PrimaryName = Callable[[etree._Element, "References"], Name | None]


def first_pass(path: Path, primary_name: PrimaryName) -> PartyIndex:
    """The side sections, indexed; `primary_name` gives a party profile's name for relations."""
    index = PartyIndex()
    for element in iter_elements(path, RECORDS):
        name = local_name(element.tag)
        if name == "ReferenceValueSets":
            index.references.read(element)
        elif name == "Location" and element.get("ID"):
            index.locations[element.get("ID", "")] = read_location(element)
        elif name == "IDRegDocument":
            identity_id = required_attribute(path, element, "IdentityID")
            index.documents[identity_id].append(read_document(path, element))
        elif name == "ProfileRelationship":
            source = required_attribute(path, element, "From-ProfileID")
            target = required_attribute(path, element, "To-ProfileID")
            index.relations[source].append((element.get("RelationTypeID"), target))
        elif name == "SanctionsEntry":
            profile_id = required_attribute(path, element, "ProfileID")
            index.entries[profile_id].append(read_entry(path, element, index.references))
        elif name == "DistinctParty":
            index_party_names(index, element, primary_name)
    return index


def required_attribute(path: Path, element: etree._Element, attribute: str) -> str:
    value = element.get(attribute)
    if value is None:
        raise ListReadError(
            path, f"{local_name(element.tag)} without {attribute}", line=element.sourceline
        )
    return value


def index_party_names(index: PartyIndex, party: etree._Element, primary_name: PrimaryName) -> None:
    # Relations name their target by profile id; the target's name is what "related" shows.
    for profile in children(party, "Profile"):
        primary = primary_name(profile, index.references)
        if primary is not None and profile.get("ID"):
            index.party_names[profile.get("ID", "")] = primary.full


def read_location(element: etree._Element) -> Location:
    country = next(iter(children(element, "LocationCountry")), None)
    area = next(iter(children(element, "LocationAreaCode")), None)
    parts = []
    for part in children(element, "LocationPart"):
        for value in descendants(part, "Value"):
            text = " ".join((value.text or "").split())
            if text:
                parts.append((part.get("LocPartTypeID", ""), text))
    return Location(
        country_id=country.get("CountryID") if country is not None else None,
        area_code_id=area.get("AreaCodeID") if area is not None else None,
        parts=tuple(parts),
    )


def read_document(path: Path, element: etree._Element) -> Document:
    dates = []
    for document_date in children(element, "DocumentDate"):
        period = next(iter(children(document_date, "DatePeriod")), None)
        date = read_period(path, period) if period is not None else None
        dates.append((document_date.get("IDRegDocDateTypeID"), date))
    return Document(
        type_id=element.get("IDRegDocTypeID"),
        number=text_of(element, "IDRegistrationNo"),
        country_id=element.get("IssuedBy-CountryID"),
        validity_id=element.get("ValidityID"),
        authority=text_of(element, "IssuingAuthority"),
        comment=text_of(element, "Comment"),
        dates=tuple(dates),
    )


def read_entry(path: Path, element: etree._Element, references: References) -> SanctionsEntry:
    listed_on = None
    legal_bases: list[str] = []
    for event in children(element, "EntryEvent"):
        for date in children(event, "Date"):
            listed_on = listed_on or read_date(path, date)
        basis = references.text("LegalBasis", event.get("LegalBasisID"))
        if basis and basis != "Unknown":
            legal_bases.append(basis)
    programs: list[str] = []
    measures: list[str] = []
    for measure in children(element, "SanctionsMeasure"):
        measure_type = references.text("SanctionsType", measure.get("SanctionsTypeID"))
        comment = text_of(measure, "Comment")
        if measure_type == _PROGRAM_MEASURE:
            if comment:
                programs.append(comment)
        elif measure_type or comment:
            measures.append(": ".join(part for part in (measure_type, comment) if part))
    return SanctionsEntry(
        element.get("ListID"), listed_on, tuple(programs), tuple(measures), tuple(legal_bases)
    )


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------


def read_date(path: Path, element: etree._Element) -> dt.date | None:
    year, month, day = (text_of(element, part) for part in ("Year", "Month", "Day"))
    if not (year and month and day):
        return None
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise ListReadError(
            path, f"invalid date {year}-{month}-{day}", line=element.sourceline
        ) from None


def read_bound(path: Path, element: etree._Element | None, name: str) -> dt.date | None:
    if element is None:
        return None
    found = next(iter(children(element, name)), None)
    return read_date(path, found) if found is not None else None


def read_period(path: Path, period: etree._Element | None) -> PartialDate | None:
    """A DatePeriod as a PartialDate: a day, a whole month, a whole year, or a span of years."""
    if period is None:
        return None
    start = next(iter(children(period, "Start")), None)
    end = next(iter(children(period, "End")), None)
    earliest = read_bound(path, start, "From")
    latest = read_bound(path, end, "To") or read_bound(path, end, "From") or earliest
    if earliest is None or latest is None:
        return None
    circa = any(bound is not None and bound.get("Approximate") == "true" for bound in (start, end))
    if earliest == latest:
        return day_date(earliest, circa=circa)
    whole_year = (earliest.month, earliest.day, latest.month, latest.day) == (1, 1, 12, 31)
    if whole_year and earliest.year == latest.year:
        return PartialDate(precision=DatePrecision.YEAR, year=earliest.year, circa=circa)
    last_day = calendar.monthrange(latest.year, latest.month)[1]
    if (earliest.year, earliest.month) == (latest.year, latest.month) and (
        earliest.day,
        latest.day,
    ) == (1, last_day):
        return PartialDate(
            precision=DatePrecision.MONTH, year=earliest.year, month=earliest.month, circa=circa
        )
    return PartialDate(
        precision=DatePrecision.RANGE, year=earliest.year, year_to=latest.year, circa=circa
    )


def render_date(date: PartialDate) -> str:
    """A PartialDate the way OFAC's legacy files write it ("19 Apr 1947", "1991", "circa 1960")."""
    prefix = "circa " if date.circa else ""
    if date.precision is DatePrecision.RANGE:
        return f"{prefix}{date.year} to {date.year_to}"
    if date.precision is DatePrecision.DAY:
        assert date.month and date.day
        return f"{prefix}{date.day:02d} {calendar.month_abbr[date.month]} {date.year}"
    if date.precision is DatePrecision.MONTH:
        assert date.month
        return f"{prefix}{calendar.month_abbr[date.month]} {date.year}"
    return f"{prefix}{date.year}"
