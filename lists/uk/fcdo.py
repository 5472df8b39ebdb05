"""FCDO "UK Sanctions List" XML (root ``Designations``, no namespace).

One ``Designation`` per designation, keyed by ``UniqueID`` (e.g. AFG0011), streamed with
`lists.xml.iter_elements`. The same designations are on OFSI's Consolidated List, whose
"UK Sanctions List Ref" is this UniqueID and whose Group ID is ``OFSIGroupID`` here.

Mapping notes:
- ``NameType`` is "Primary Name"/"Primary name" (primary), "Primary Name Variation" (a strong
  alias, as OFSI's "Primary name variation") or "Alias"; ``AliasStrength`` "Low quality a.k.a"
  makes an alias weak.
- ``NonLatinNames`` are not linked to any Latin name and carry no script or language in the
  files seen; they are aliases whose script is read from their characters.
- ``SanctionsImposedIndicators`` repeats ``SanctionsImposed`` flag by flag; only the latter is
  kept (as a remark).
- A Designation without UniqueID cannot be keyed or linked; it is reported and skipped.
- Elements this reader does not know are kept in remarks as "Element: text" and reported once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from lists.base import Head, ListFormat, ReadReport
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
from lists.uk._draft import UkDraft, make_address
from lists.uk._text import clean, script_code
from lists.values.dates import parse_day
from lists.values.identifiers import normalize_imo
from lists.values.languages import language_code
from lists.values.scripts import detect_script
from lists.xml import children, iter_elements, local_name, text_of

FORMAT_NAME = "uk-fcdo-xml"
_ROOT = "Designations"
_RECORD = "Designation"
_DATE_GENERATED = "DateGenerated"

_SCHEMAS = {"individual": Schema.PERSON, "entity": Schema.ORGANIZATION, "ship": Schema.VESSEL}
_NAME_KINDS = {
    "primary name": NameKind.PRIMARY,
    "primary name variation": NameKind.ALIAS,
    "alias": NameKind.ALIAS,
    "former name": NameKind.FORMER,
}
_NAME_PARTS = ("Name1", "Name2", "Name3", "Name4", "Name5")

# Every element this reader maps, by local name; any other element's text goes to remarks.
_KNOWN = frozenset(
    {
        "LastUpdated",
        "DateDesignated",
        "UniqueID",
        "OFSIGroupID",
        "UNReferenceNumber",
        "Names",
        "Name",
        *_NAME_PARTS,
        "Name6",
        "NameType",
        "AliasStrength",
        "NonLatinNames",
        "NonLatinName",
        "NameNonLatinScript",
        "NonLatinScriptType",
        "NonLatinScriptLanguage",
        "Titles",
        "Title",
        "RegimeName",
        "IndividualEntityShip",
        "DesignationSource",
        "SanctionsImposed",
        "SanctionsImposedIndicators",
        "OtherInformation",
        "UKStatementofReasons",
        "Addresses",
        "Address",
        "AddressLine1",
        "AddressLine2",
        "AddressLine3",
        "AddressLine4",
        "AddressLine5",
        "AddressLine6",
        "AddressPostalCode",
        "AddressCountry",
        "PhoneNumbers",
        "PhoneNumber",
        "EmailAddresses",
        "EmailAddress",
        "Websites",
        "Website",
        "EntityDetails",
        "Entity",
        "TypeOfEntities",
        "TypeOfEntity",
        "BusinessRegistrationNumbers",
        "BusinessRegistrationNumber",
        "ParentCompanies",
        "ParentCompany",
        "Subsidiaries",
        "Subsidiary",
        "IndividualDetails",
        "Individual",
        "DOBs",
        "DOB",
        "Nationalities",
        "Nationality",
        "Genders",
        "Gender",
        "Positions",
        "Position",
        "PassportDetails",
        "Passport",
        "PassportNumber",
        "PassportAdditionalInformation",
        "NationalIdentifierDetails",
        "NationalIdentifier",
        "NationalIdentifierNumber",
        "NationalIdentifierAdditionalInformation",
        "BirthDetails",
        "Location",
        "TownOfBirth",
        "CountryOfBirth",
        "ShipDetails",
        "Ship",
        "IMONumbers",
        "IMONumber",
        "CurrentOwnerOperators",
        "CurrentOwnerOperator",
        "PreviousOwnerOperators",
        "PreviousOwnerOperator",
        "CurrentBelievedFlagOfShips",
        "CurrentBelievedFlagOfShip",
        "PreviousFlags",
        "PreviousFlag",
        "TypeOfShipDetails",
        "TypeOfShip",
        "TonnageOfShipDetails",
        "TonnageOfShip",
        "LengthOfShipDetails",
        "LengthOfShip",
        "YearsBuilt",
        "YearBuilt",
    }
)

# The list these entries belong to (lists.datasets).
DATASET = "uk_sanctions_list"


# The root start tag, for a head too damaged for the XML parser to report its root.
_ROOT_TAG = re.compile(rb"<Designations[\s>]")


def sniff(head: Head) -> bool:
    if head.xml_root is not None:
        return head.xml_root == _ROOT and not head.xml_namespace
    # Claimed so that reading reports the damage with its line instead of "unknown format".
    return head.data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") and bool(
        _ROOT_TAG.search(head.data)
    )


def published(path: Path) -> dt.date | dt.datetime | None:
    root: dict[str, str] = {}
    for element in iter_elements(path, {_DATE_GENERATED, _RECORD}, root_attrib=root):
        # DateGenerated precedes the first Designation; stop there either way.
        if local_name(element.tag) == _DATE_GENERATED:
            return parse_day(clean(element.text), "%d/%m/%Y")
        break
    # Some copies carry only an ISO timestamp on the root element.
    stamp = root.get("dateGenerated")
    if stamp:
        try:
            return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        except ValueError:
            return None
    return None


@dataclass
class _FileContext:
    path: Path
    report: ReadReport

    def warn_once(self, key: str, message: str) -> None:
        self.report.warn_once(key, message)


def entities(path: Path, report: ReadReport) -> Iterator[Entity]:
    context = _FileContext(path, report)
    first_seen: dict[str, int] = {}  # UniqueID -> line; a few bytes per designation
    for element in iter_elements(path, {_RECORD}):
        entity = _map_designation(element, context)
        if entity is None:
            continue
        line = element.sourceline or 0
        if entity.entry_id in first_seen:
            raise ListReadError(
                path,
                f"UniqueID {entity.entry_id} appears twice (first at line "
                f"{first_seen[entity.entry_id]}); the key must be unique",
                line=line,
                record=entity.entry_id,
            )
        first_seen[entity.entry_id] = line
        yield entity


def _map_designation(element: etree._Element, context: _FileContext) -> Entity | None:
    unique_id = text_of(element, "UniqueID")
    if unique_id is None:
        context.report.warn(
            f"{context.path}:{element.sourceline}: Designation without UniqueID "
            f"({_first_name(element) or 'no name'}) cannot be keyed; skipped"
        )
        return None
    schema = _schema(element, unique_id, context)
    draft = UkDraft()
    _read_names(element, draft, schema, context)
    if not draft.names:
        context.report.warn(
            f"{context.path}:{element.sourceline}: Designation {unique_id} has no name; skipped"
        )
        return None
    _read_designation_facts(element, draft)
    _read_contacts(element, draft)
    for details in _descendants_at(element, "EntityDetails", "Entity"):
        _read_entity_details(details, draft)
    for details in _descendants_at(element, "IndividualDetails", "Individual"):
        _read_individual_details(details, draft)
    for details in _descendants_at(element, "ShipDetails", "Ship"):
        _read_ship_details(details, draft)
    _read_unknown_elements(element, draft, context)
    ref = SourceRef(format=FORMAT_NAME, file=context.path.name, record=unique_id)
    return draft.build(Source.UK, unique_id, schema, ref, DATASET)


def _schema(element: etree._Element, unique_id: str, context: _FileContext) -> Schema:
    kind = text_of(element, "IndividualEntityShip")
    if kind is None:
        raise ListReadError(
            context.path,
            "Designation has no IndividualEntityShip",
            line=element.sourceline,
            record=unique_id,
        )
    schema = _SCHEMAS.get(kind.lower())
    if schema is None:
        raise ListReadError(
            context.path,
            f"unknown IndividualEntityShip '{kind}' (expected Individual, Entity or Ship)",
            line=element.sourceline,
            record=unique_id,
        )
    return schema


def _first_name(element: etree._Element) -> str | None:
    for name in _descendants_at(element, "Names", "Name"):
        full = _full_name(name)
        if full:
            return full
    return None


def _descendants_at(element: etree._Element, container: str, item: str) -> list[etree._Element]:
    return [found for box in children(element, container) for found in children(box, item)]


def _texts(element: etree._Element, container: str, item: str) -> list[str]:
    values = (clean(found.text) for found in _descendants_at(element, container, item))
    return [value for value in values if value]


def _full_name(name: etree._Element) -> str:
    parts = (text_of(name, part) for part in (*_NAME_PARTS, "Name6"))
    return " ".join(part for part in parts if part)


def _read_names(
    element: etree._Element, draft: UkDraft, schema: Schema, context: _FileContext
) -> None:
    for name in _descendants_at(element, "Names", "Name"):
        full = _full_name(name)
        if not full:
            continue
        kind = _name_kind(name, context)
        # Name parts mean given names and surname only for people.
        parts: dict[str, str | None] = {}
        if schema is Schema.PERSON:
            given = [text_of(name, part) for part in _NAME_PARTS]
            middle = " ".join(part for part in given[1:] if part)
            parts = {"first": given[0], "middle": middle or None, "last": text_of(name, "Name6")}
        draft.add_name(Name(full=full, kind=kind, script=detect_script(full), **parts))
    for non_latin in _descendants_at(element, "NonLatinNames", "NonLatinName"):
        text = text_of(non_latin, "NameNonLatinScript")
        if not text:
            continue
        script_type = text_of(non_latin, "NonLatinScriptType") or ""
        language_name = text_of(non_latin, "NonLatinScriptLanguage") or ""
        draft.add_name(
            Name(
                full=text,
                kind=NameKind.ALIAS,
                script=detect_script(text) or script_code(script_type),
                language=language_code(language_name),
            )
        )
        if language_name and language_code(language_name) is None:
            draft.add_remark(f"Non-Latin script language: {language_name} ({text})")


def _name_kind(name: etree._Element, context: _FileContext) -> NameKind:
    name_type = text_of(name, "NameType") or ""
    kind = _NAME_KINDS.get(name_type.lower())
    if kind is None:
        kind = NameKind.ALIAS
        context.warn_once(
            f"name-type:{name_type}",
            f"{context.path}:{name.sourceline}: unknown NameType '{name_type}' read as an alias",
        )
    strength = (text_of(name, "AliasStrength") or "").lower()
    if kind is NameKind.ALIAS and strength.startswith("low"):
        return NameKind.WEAK_ALIAS
    return kind


def _read_designation_facts(element: etree._Element, draft: UkDraft) -> None:
    group_id = text_of(element, "OFSIGroupID")
    if group_id:
        draft.add_identifier(
            Identifier(type=IdentifierType.OTHER, value=group_id, label="OFSI Group ID")
        )
    un_reference = text_of(element, "UNReferenceNumber")
    if un_reference:
        draft.add_identifier(
            Identifier(
                type=IdentifierType.UN_REFERENCE, value=un_reference, label="UNReferenceNumber"
            )
        )
    for regime in children(element, "RegimeName"):
        draft.add_program(clean(regime.text))
    designated = text_of(element, "DateDesignated")
    designated_day = parse_day(designated, "%d/%m/%Y")
    draft.note_listed_on(designated_day)
    if designated and designated_day is None:
        draft.add_remark(f"Date designated: {designated}")
    titles = _texts(element, "Titles", "Title")
    if titles:
        draft.add_remark(f"Title: {'; '.join(titles)}")
    for tag, label in (
        ("DesignationSource", "Designation source"),
        ("SanctionsImposed", "Sanctions imposed"),
        ("UKStatementofReasons", "UK Statement of Reasons"),
        ("LastUpdated", "Last updated"),
    ):
        value = text_of(element, tag)
        if value:
            draft.add_remark(f"{label}: {value}")
    other = text_of(element, "OtherInformation")
    if other:
        draft.add_remark(other)
        draft.add_vessel_numbers(other, "OtherInformation")
    for address in _descendants_at(element, "Addresses", "Address"):
        lines = [text_of(address, f"AddressLine{number}") or "" for number in range(1, 7)]
        built = make_address(
            lines, text_of(address, "AddressPostalCode"), text_of(address, "AddressCountry")
        )
        if built is not None:
            draft.add_address(built)


def _read_contacts(element: etree._Element, draft: UkDraft) -> None:
    for phone in _texts(element, "PhoneNumbers", "PhoneNumber"):
        draft.add_phones("PhoneNumber", phone)
    for email in _texts(element, "EmailAddresses", "EmailAddress"):
        draft.add_emails("EmailAddress", email)
    for website in _texts(element, "Websites", "Website"):
        draft.add_websites("Website", website)


def _read_entity_details(details: etree._Element, draft: UkDraft) -> None:
    for kind in _texts(details, "TypeOfEntities", "TypeOfEntity"):
        draft.add_remark(f"Type of entity: {kind}")
    for number in _texts(details, "BusinessRegistrationNumbers", "BusinessRegistrationNumber"):
        draft.add_registration_numbers("BusinessRegistrationNumber", number)
    for parent in _texts(details, "ParentCompanies", "ParentCompany"):
        draft.add_parties("Parent company", parent)
    for subsidiary in _texts(details, "Subsidiaries", "Subsidiary"):
        draft.add_parties("Subsidiary", subsidiary)


def _read_individual_details(details: etree._Element, draft: UkDraft) -> None:
    for text in _texts(details, "DOBs", "DOB"):
        draft.read_birth_date(text)  # de-duplicated: the same DOB can be listed twice
    for text in _texts(details, "Nationalities", "Nationality"):
        draft.read_nationality(text)
    for text in _texts(details, "Genders", "Gender"):
        draft.add_gender(text)
    for text in _texts(details, "Positions", "Position"):
        draft.add_remark(f"Position: {text}")
    for passport in _descendants_at(details, "PassportDetails", "Passport"):
        draft.add_documents(
            IdentifierType.PASSPORT,
            "PassportNumber",
            text_of(passport, "PassportNumber") or "",
            text_of(passport, "PassportAdditionalInformation") or "",
        )
    for national in _descendants_at(details, "NationalIdentifierDetails", "NationalIdentifier"):
        draft.add_documents(
            IdentifierType.NATIONAL_ID,
            "NationalIdentifierNumber",
            text_of(national, "NationalIdentifierNumber") or "",
            text_of(national, "NationalIdentifierAdditionalInformation") or "",
        )
    for location in _descendants_at(details, "BirthDetails", "Location"):
        parts = (text_of(location, "TownOfBirth"), text_of(location, "CountryOfBirth"))
        draft.add_birth_place(", ".join(part for part in parts if part))


def _read_ship_details(details: etree._Element, draft: UkDraft) -> None:
    for text in _texts(details, "IMONumbers", "IMONumber"):
        number = normalize_imo(text)  # "IMO9562233" -> "9562233"
        if number:
            draft.add_identifier(Identifier(type=IdentifierType.IMO, value=number, label="IMO"))
        else:
            draft.add_remark(f"IMO number: {text}")
    for owner in _texts(details, "CurrentOwnerOperators", "CurrentOwnerOperator"):
        draft.add_parties("Current owner/operator", owner)
    for owner in _texts(details, "PreviousOwnerOperators", "PreviousOwnerOperator"):
        draft.add_parties("Previous owner/operator", owner)
    for flag in _texts(details, "CurrentBelievedFlagOfShips", "CurrentBelievedFlagOfShip"):
        draft.add_flag("Current believed flag", flag)
    for flag in _texts(details, "PreviousFlags", "PreviousFlag"):
        draft.add_flag("Previous flag", flag)
    for container, item, label in (
        ("TypeOfShipDetails", "TypeOfShip", "Type of ship"),
        ("TonnageOfShipDetails", "TonnageOfShip", "Tonnage"),
        ("LengthOfShipDetails", "LengthOfShip", "Length"),
        ("YearsBuilt", "YearBuilt", "Year built"),
    ):
        for value in _texts(details, container, item):
            draft.add_remark(f"{label}: {value}")


def _read_unknown_elements(element: etree._Element, draft: UkDraft, context: _FileContext) -> None:
    for node in element.iterdescendants():
        if not isinstance(node.tag, str):
            continue
        tag = local_name(node.tag)
        if tag in _KNOWN or _inside(node, "SanctionsImposedIndicators"):
            continue
        text = clean(" ".join(node.itertext()))
        if text:
            draft.add_remark(f"{tag}: {text}")
        context.warn_once(
            f"tag:{tag}",
            f"{context.path}:{node.sourceline}: unknown element <{tag}> in Designation "
            "records; its text is kept in remarks",
        )


def _inside(node: etree._Element, ancestor: str) -> bool:
    return any(local_name(parent.tag) == ancestor for parent in node.iterancestors())


FORMAT = ListFormat(
    name=FORMAT_NAME,
    source=Source.UK,
    description="FCDO UK Sanctions List XML (UK-Sanctions-List.xml)",
    sniff=sniff,
    published=published,
    entities=entities,
    id_scheme="uk-sanctions-list-unique-id",
)
