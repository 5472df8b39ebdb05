"""EU Financial Sanctions Files XML 1.1 (root ``export``, one ``sanctionEntity`` per entry).

Published by the EU Financial Sanctions Database (FSD) as ``xmlFullSanctionsList_1_1``. The
namespace is http://eu.europa.ec/fpi/fsd/export; elements are matched by local name only, so
an earlier or later namespace is read the same way. Attribute values are read as written; see
`lists.eu.fsf` for how a record maps to an entity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from lists.base import Head, ListFormat, ReadReport
from lists.errors import ListReadError
from lists.eu.common import clean
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
from lists.xml import children, iter_elements, local_name

FORMAT_NAME = "eu-fsf-xml"
NAMESPACE = "http://eu.europa.ec/fpi/fsd/export"
_RECORD = "sanctionEntity"


def sniff(head: Head) -> bool:
    # The root name "export" alone is too generic; the FSD namespace or a sanctionEntity in
    # the first bytes makes it ours.
    if head.xml_root != "export":
        return False
    return "fsd" in (head.xml_namespace or "") or _RECORD.encode() in head.data


def published(path: Path) -> dt.datetime | None:
    """The root's generationDate (an xs:dateTime with offset), read without parsing the rest."""
    root: dict[str, str] = {}
    # The root's attributes are known once the first record is read; leaving the loop drops
    # the generator, which closes the parser.
    for _ in iter_elements(path, {_RECORD}, root_attrib=root):
        break
    text = clean(root.get("generationDate"))
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise ListReadError(
            path, f"the root generationDate {text!r} is not an ISO date-time"
        ) from None


def entities(path: Path, report: ReadReport) -> Iterator[Entity]:
    seen: dict[str, str] = {}
    for element in iter_elements(path, {_RECORD}):
        record = _record(element, path)
        if record.logical_id in seen:
            raise ListReadError(
                path,
                f"logicalId {record.logical_id} appears twice (also at {seen[record.logical_id]})",
                line=element.sourceline,
                record=record.logical_id,
            )
        seen[record.logical_id] = record.where
        entity = to_entity(record, path=path, format_name=FORMAT_NAME, report=report)
        if entity is not None:
            yield entity


def _record(element: etree._Element, path: Path) -> FsfRecord:
    logical_id = clean(element.get("logicalId"))
    if not logical_id:
        raise ListReadError(path, "sanctionEntity without a logicalId", line=element.sourceline)
    record = FsfRecord(
        logical_id=logical_id,
        where=f"line {element.sourceline}",
        eu_reference=_attr(element, "euReferenceNumber"),
        un_id=_attr(element, "unitedNationId"),
        designation_date=_attr(element, "designationDate"),
        designation_details=_attr(element, "designationDetails"),
        delisting_date=_attr(element, "delistingDate"),
    )
    for child in element:
        if isinstance(child.tag, str):
            _add_child(record, local_name(child.tag), child)
    return record


def _add_child(record: FsfRecord, name: str, child: etree._Element) -> None:
    if name == "remark":
        record.remarks.add(clean(child.text))
    elif name == "additionalInformation":
        record.additional_info.append((_attr(child, "key"), _attr(child, "value")))
    elif name == "regulation":
        record.programmes.add(_attr(child, "programme"))
    elif name == "subjectType":
        record.subject_code = _attr(child, "code")
        record.subject_classification = _attr(child, "classificationCode")
    elif name == "nameAlias":
        record.names.append(_name_alias(child))
    elif name == "citizenship":
        record.citizenships.append(_citizenship(child))
    elif name == "birthdate":
        record.birthdates.append(_birthdate(child))
    elif name == "address":
        record.addresses.append(_address(child))
    elif name == "identification":
        record.identifications.append(_identification(child))


def _attr(element: etree._Element, name: str) -> str:
    return clean(element.get(name))


def _remarks(element: etree._Element) -> list[str]:
    return [text for text in (clean(r.text) for r in children(element, "remark")) if text]


def _name_alias(element: etree._Element) -> FsfNameAlias:
    return FsfNameAlias(
        logical_id=_attr(element, "logicalId"),
        whole_name=_attr(element, "wholeName"),
        first_name=_attr(element, "firstName"),
        middle_name=_attr(element, "middleName"),
        last_name=_attr(element, "lastName"),
        language=_attr(element, "nameLanguage"),
        gender=_attr(element, "gender"),
        title=_attr(element, "title"),
        function=_attr(element, "function"),
        strong=_attr(element, "strong"),
        remarks=_remarks(element),
    )


def _citizenship(element: etree._Element) -> FsfCitizenship:
    return FsfCitizenship(
        logical_id=_attr(element, "logicalId"),
        country_iso2=_attr(element, "countryIso2Code"),
        country_description=_attr(element, "countryDescription"),
        region=_attr(element, "region"),
        remarks=_remarks(element),
    )


def _birthdate(element: etree._Element) -> FsfBirthdate:
    return FsfBirthdate(
        logical_id=_attr(element, "logicalId"),
        birthdate=_attr(element, "birthdate"),
        day=_attr(element, "dayOfMonth"),
        month=_attr(element, "monthOfYear"),
        year=_attr(element, "year"),
        year_from=_attr(element, "yearRangeFrom"),
        year_to=_attr(element, "yearRangeTo"),
        circa=_attr(element, "circa"),
        calendar=_attr(element, "calendarType"),
        city=_attr(element, "city"),
        place=_attr(element, "place"),
        region=_attr(element, "region"),
        zip_code=_attr(element, "zipCode"),
        country_iso2=_attr(element, "countryIso2Code"),
        country_description=_attr(element, "countryDescription"),
        remarks=_remarks(element),
    )


def _address(element: etree._Element) -> FsfAddress:
    return FsfAddress(
        logical_id=_attr(element, "logicalId"),
        street=_attr(element, "street"),
        po_box=_attr(element, "poBox"),
        zip_code=_attr(element, "zipCode"),
        city=_attr(element, "city"),
        region=_attr(element, "region"),
        place=_attr(element, "place"),
        as_at_listing_time=_attr(element, "asAtListingTime"),
        country_iso2=_attr(element, "countryIso2Code"),
        country_description=_attr(element, "countryDescription"),
        contacts=[
            (_attr(info, "key"), _attr(info, "value")) for info in children(element, "contactInfo")
        ],
        remarks=_remarks(element),
    )


def _identification(element: etree._Element) -> FsfIdentification:
    return FsfIdentification(
        logical_id=_attr(element, "logicalId"),
        number=_attr(element, "number"),
        latin_number=_attr(element, "latinNumber"),
        type_code=_attr(element, "identificationTypeCode"),
        type_description=_attr(element, "identificationTypeDescription"),
        country_iso2=_attr(element, "countryIso2Code"),
        country_description=_attr(element, "countryDescription"),
        region=_attr(element, "region"),
        issued_by=_attr(element, "issuedBy"),
        issue_date=_attr(element, "issueDate"),
        valid_from=_attr(element, "validFrom"),
        valid_to=_attr(element, "validTo"),
        name_on_document=_attr(element, "nameOnDocument"),
        diplomatic=_attr(element, "diplomatic"),
        known_expired=_attr(element, "knownExpired"),
        known_false=_attr(element, "knownFalse"),
        reported_lost=_attr(element, "reportedLost"),
        revoked_by_issuer=_attr(element, "revokedByIssuer"),
        remarks=_remarks(element),
    )


FORMAT = ListFormat(
    name=FORMAT_NAME,
    source=Source.EU,
    description="EU Financial Sanctions Files XML 1.1 (xmlFullSanctionsList_1_1)",
    sniff=sniff,
    published=published,
    entities=entities,
)
