"""OFAC sdnList XML: sdn.xml and consolidated.xml (the non-SDN Consolidated list).

Both files share one schema under two namespaces over the years
(``http://tempuri.org/sdnList.xsd`` and
``https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML``); elements are
matched by local name only. Each ``sdnEntry`` is read and freed in turn; a ``Record_Count``
that differs from the entries read is reported as a warning.

``idList/id`` holds OFAC's typed values: real identifiers (Passport, Tax ID No., SWIFT/BIC,
Vessel Registration Identification) and facts under the same element ("Secondary sanctions
risk:", "Executive Order 13662 Directive Determination -", "Listing Date (CMIC)", "Target Type",
"Gender", "Nationality of Registration"). `lists.ofac.facts.LABELS` decides which is which;
facts are kept as remarks written "<idType> <idNumber>", as the legacy CSV writes them. ISIN,
Equity Ticker, BIK and D-U-N-S numbers are identifiers of type OTHER with their label.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from lists.base import Head, ListFormat, ReadReport
from lists.errors import ListReadError
from lists.model import (
    Address,
    Entity,
    Identifier,
    IdentifierType,
    Name,
    NameKind,
    Schema,
    Source,
    SourceRef,
)
from lists.ofac.datasets import dataset_of_file
from lists.ofac.facts import Facts, add_labelled, country_code
from lists.ofac.names import person_name, person_name_from_csv, plain_name
from lists.ofac.remarks import parse_ofac_date, parse_remarks
from lists.values.dates import parse_day
from lists.xml import children, iter_elements, local_name, text_of

FORMAT_NAME = "ofac-xml"
ROOT = "sdnList"

_SCHEMA_BY_TYPE = {
    "individual": Schema.PERSON,
    "entity": Schema.ORGANIZATION,
    "vessel": Schema.VESSEL,
    "aircraft": Schema.AIRCRAFT,
}
_ALIAS_KIND = {"a.k.a.": NameKind.ALIAS, "f.k.a.": NameKind.FORMER, "n.k.a.": NameKind.ALIAS}
# Children of sdnEntry read by this module; any other child with text is kept as a remark.
_KNOWN_CHILDREN = frozenset(
    {
        "uid",
        "firstName",
        "lastName",
        "title",
        "sdnType",
        "remarks",
        "programList",
        "idList",
        "akaList",
        "addressList",
        "nationalityList",
        "citizenshipList",
        "dateOfBirthList",
        "placeOfBirthList",
        "vesselInfo",
    }
)
_VESSEL_REMARKS = (
    ("vesselType", "Vessel Type"),
    ("tonnage", "Tonnage"),
    ("grossRegisteredTonnage", "Gross Registered Tonnage"),
)


def sniff(head: Head) -> bool:
    return head.xml_root == ROOT


def published(path: Path) -> dt.date | None:
    """publshInformation/Publish_Date (MM/DD/YYYY; OFAC's own spelling of the element)."""
    for element in iter_elements(path, {"publshInformation", "sdnEntry"}):
        if local_name(element.tag) != "publshInformation":
            return None
        text = text_of(element, "Publish_Date")
        day = parse_day(text, "%m/%d/%Y")
        if text and day is None:
            raise ListReadError(
                path, f"Publish_Date {text!r} is not MM/DD/YYYY", line=element.sourceline
            )
        return day
    return None


def entities(path: Path, report: ReadReport) -> Iterator[Entity]:
    stated: str | None = None
    count = 0
    for element in iter_elements(path, {"publshInformation", "sdnEntry"}):
        if local_name(element.tag) == "publshInformation":
            stated = text_of(element, "Record_Count")
            continue
        count += 1
        yield _entity(path, element)
    if stated is not None and stated != str(count):
        report.warn(f"{path.name}: Record_Count says {stated} entries, the file holds {count}")


def _entity(path: Path, entry: etree._Element) -> Entity:
    line = entry.sourceline
    uid = text_of(entry, "uid")
    if uid is None:
        raise ListReadError(path, "sdnEntry without uid", line=line)
    sdn_type = text_of(entry, "sdnType")
    schema = _SCHEMA_BY_TYPE.get((sdn_type or "").lower())
    if schema is None:
        raise ListReadError(
            path,
            f"sdnType {sdn_type!r} is not Individual, Entity, Vessel or Aircraft",
            line=line,
            record=uid,
        )
    facts = Facts()
    primary = _name(text_of(entry, "firstName"), text_of(entry, "lastName"), schema)
    if primary is None:
        raise ListReadError(path, "sdnEntry without lastName", line=line, record=uid)
    facts.names.append(primary)
    _add_aliases(facts, entry, schema)
    facts.programs.extend(_texts(entry, "programList", "program"))
    if title := text_of(entry, "title"):
        facts.remarks.append(f"Title: {title}")
    _add_ids(facts, entry, schema)
    _add_people_facts(facts, entry)
    _add_addresses(facts, entry)
    _add_vessel(facts, entry)
    facts.merge(parse_remarks(text_of(entry, "remarks"), schema))
    _add_unknown_children(facts, entry)
    ref = SourceRef(format=FORMAT_NAME, file=path.name, record=str(line) if line else uid)
    return facts.build(Source.OFAC, uid, schema, ref, dataset_of_file(ref.file))


def _name(
    first: str | None, last: str | None, schema: Schema, kind: NameKind = NameKind.PRIMARY
) -> Name | None:
    if schema is Schema.PERSON:
        if first is None and last is not None and "," in last:
            # Weak aliases carry the whole "LAST, First" in lastName.
            return person_name_from_csv(last, kind)
        return person_name(first, last, kind)
    return plain_name(" ".join(part for part in (first, last) if part), kind)


def _add_aliases(facts: Facts, entry: etree._Element, schema: Schema) -> None:
    for aka in _items(entry, "akaList", "aka"):
        alias_type = (text_of(aka, "type") or "").lower()
        category = (text_of(aka, "category") or "").lower()
        # Weak aliases should not produce a hit alone, whatever their a.k.a./f.k.a. type.
        kind = NameKind.WEAK_ALIAS if category == "weak" else _ALIAS_KIND.get(alias_type)
        name = _name(
            text_of(aka, "firstName"), text_of(aka, "lastName"), schema, kind or NameKind.ALIAS
        )
        if name is None:
            continue
        if kind is None:
            facts.remarks.append(f"alias of unknown type {alias_type!r}: {name.full}")
        facts.names.append(name)


def _add_ids(facts: Facts, entry: etree._Element, schema: Schema) -> None:
    for item in _items(entry, "idList", "id"):
        label = text_of(item, "idType") or ""
        value = text_of(item, "idNumber") or ""
        notes = [
            f"{word} {date}"
            for word, date in (
                ("issued", text_of(item, "issueDate")),
                ("expires", text_of(item, "expirationDate")),
            )
            if date
        ]
        add_labelled(
            facts,
            label,
            value,
            schema,
            country_text=text_of(item, "idCountry"),
            note="; ".join(notes) or None,
        )


def _add_people_facts(facts: Facts, entry: etree._Element) -> None:
    for item in _items(entry, "dateOfBirthList", "dateOfBirthItem"):
        text = text_of(item, "dateOfBirth")
        if not text:
            continue
        date = parse_ofac_date(text)
        if date is None:
            facts.remarks.append(f"DOB {text}")
        else:
            facts.birth_dates.append(date)
    for item in _items(entry, "placeOfBirthList", "placeOfBirthItem"):
        if place := text_of(item, "placeOfBirth"):
            facts.birth_places.append(place)
    for item in _items(entry, "nationalityList", "nationality"):
        if country := text_of(item, "country"):
            facts.add_country_text(facts.nationalities, country, f"nationality {country}")
    for item in _items(entry, "citizenshipList", "citizenship"):
        if country := text_of(item, "country"):
            facts.add_country_text(facts.citizenships, country, f"citizen {country}")


def _add_addresses(facts: Facts, entry: etree._Element) -> None:
    for item in _items(entry, "addressList", "address"):
        country = text_of(item, "country")
        lines = [
            line
            for line in (text_of(item, name) for name in ("address1", "address2", "address3"))
            if line
        ]
        address = Address(
            lines=lines,
            city=text_of(item, "city"),
            region=text_of(item, "stateOrProvince"),
            postal_code=text_of(item, "postalCode"),
            country=country_code(country),
            country_text=country,
        )
        if address.lines or address.city or address.region or address.postal_code or country:
            facts.addresses.append(address)


def _add_vessel(facts: Facts, entry: etree._Element) -> None:
    for vessel in children(entry, "vesselInfo"):
        if call_sign := text_of(vessel, "callSign"):
            facts.identifiers.append(
                Identifier(type=IdentifierType.CALL_SIGN, value=call_sign, label="Call Sign")
            )
        for element, label in _VESSEL_REMARKS:
            if value := text_of(vessel, element):
                facts.remarks.append(f"{label}: {value}")
        if flag := text_of(vessel, "vesselFlag"):
            facts.add_country_text(facts.countries, flag, f"Vessel Flag: {flag}")
        if owner := text_of(vessel, "vesselOwner"):
            facts.related.append(owner)
            facts.remarks.append(f"Vessel Owner: {owner}")


def _add_unknown_children(facts: Facts, entry: etree._Element) -> None:
    for child in entry:
        if not isinstance(child.tag, str) or local_name(child.tag) in _KNOWN_CHILDREN:
            continue
        text = " ".join("".join(child.itertext()).split())
        if text:
            facts.remarks.append(f"{local_name(child.tag)}: {text}")


def _items(entry: etree._Element, list_name: str, item_name: str) -> list[etree._Element]:
    return [item for group in children(entry, list_name) for item in children(group, item_name)]


def _texts(entry: etree._Element, list_name: str, item_name: str) -> list[str]:
    values = (" ".join((item.text or "").split()) for item in _items(entry, list_name, item_name))
    return [value for value in values if value]


FORMAT = ListFormat(
    name=FORMAT_NAME,
    source=Source.OFAC,
    description="OFAC sdnList XML (sdn.xml, consolidated.xml)",
    sniff=sniff,
    published=published,
    entities=entities,
)
