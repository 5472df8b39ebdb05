"""UN Security Council Consolidated List XML (root ``CONSOLIDATED_LIST``, no namespace).

One record per ``INDIVIDUALS/INDIVIDUAL`` or ``ENTITIES/ENTITY``, keyed by ``DATAID``. Mapping
decisions, all measured on the real files in ``shared/data/lists/un``; names are read by
`lists.un.names`, documents and the identifiers stated in COMMENTS1 by `lists.un.documents`,
dates and places of birth by `lists.un.births`:

* ``REFERENCE_NUMBER`` becomes a UN_REFERENCE identifier so other lists can link to it, and the
  UN references named in COMMENTS1 ("Brother of Malik Noorzai (TAi.154)") go to ``related``.
* Gender: GENDER, else "Gender: male" in COMMENTS1; written lower-case.
* Links: ``INTERPOL_LINK`` (2026 onward) and the link after "INTERPOL-UN Security Council
  Special Notice web link:" in COMMENTS1 go to ``links`` (COMMENTS1 stays in remarks as
  written). They point to INTERPOL's pages, not to facts about the party, and are left out of
  the entry's content fingerprint, so the 2026 format change that added the element does not
  show as a change of every record.
* Everything else that is not a field of the model goes to remarks (COMMENTS1 as written,
  titles, designations, qualified nationalities, update and review history, submitter); an
  address NOTE is kept as the address's last line. Unknown elements (format drift) go to
  remarks as "TAG: value" and are reported once per file through the ReadReport.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from pydantic import ValidationError

from lists.base import Head, ListFormat, ReadReport
from lists.draft import EntityDraft
from lists.errors import ListReadError
from lists.model import Address, Entity, Identifier, IdentifierType, Source, SourceRef
from lists.un.births import ISO_DAY, read_alias_birth, read_birth_date, read_birth_place
from lists.un.documents import read_comment_identifiers, read_document
from lists.un.names import NAME_PARTS, PLACEHOLDERS, read_names
from lists.values.countries import split_countries, to_iso2
from lists.xml import children, iter_elements, local_name, text_of

FORMAT_NAME = "un-xml"
ROOT = "CONSOLIDATED_LIST"
_RECORD_TAGS = ("INDIVIDUAL", "ENTITY")

# Elements read into the model, or deliberately left out because they carry no information
# about the listed party (sort keys, the constant LIST_TYPE "UN List", the INTERPOL yes/no flag
# whose link is read).
_KNOWN_RECORD_TAGS = frozenset(
    {
        "DATAID",
        "VERSIONNUM",
        *NAME_PARTS,
        "UN_LIST_TYPE",
        "REFERENCE_NUMBER",
        "LISTED_ON",
        "DELISTED_ON",
        "NAME_ORIGINAL_SCRIPT",
        "COMMENTS1",
        "TITLE",
        "DESIGNATION",
        "NATIONALITY",
        "NATIONALITY2",
        "LIST_TYPE",
        "LAST_DAY_UPDATED",
        "LAST_REVIEWED_ON",
        "HAS_INTERPOL_LINK",
        "INTERPOL_LINK",
        "GENDER",
        "SUBMITTED_BY",
        "SUBMITTED_ON",
        "INDIVIDUAL_ALIAS",
        "ENTITY_ALIAS",
        "INDIVIDUAL_ADDRESS",
        "ENTITY_ADDRESS",
        "INDIVIDUAL_DATE_OF_BIRTH",
        "INDIVIDUAL_PLACE_OF_BIRTH",
        "INDIVIDUAL_DOCUMENT",
        "SORT_KEY",
        "SORT_KEY_LAST_MOD",
    }
)
_LISTED_VALUE_REMARKS = (
    ("TITLE", "Title"),
    ("DESIGNATION", "Designation"),
    ("LAST_DAY_UPDATED", "Last updated"),
    ("LAST_REVIEWED_ON", "Last reviewed on"),
)
_TEXT_REMARKS = (
    ("SUBMITTED_BY", "Submitted by"),
    ("SUBMITTED_ON", "Submitted on"),
    ("DELISTED_ON", "Delisted on"),
)

_UN_REFERENCE = re.compile(r"\b[A-Z]{2}[ie]\.\d{3}\b")
_GENDER_IN_COMMENT = re.compile(r"\bGender\s*:\s*(male|female)\b", re.I)
# "INTERPOL-UN Security Council Special Notice web link:https://www.interpol.int/en/..." (the
# 2026-09 excerpt drops "web link").
_INTERPOL_LINK_IN_COMMENT = re.compile(
    r"Special Notice(?: web link)?:\s*(?P<url>https?://[^\s<]+[^\s<.,;)])", re.I
)
# A bracket that qualifies a nationality ("Bahrain (citizenship revoked in Jan. 2015)", "USSR
# (until 1991)") rather than being part of the country's name ("Iran (Islamic Republic of)").
_QUALIFIED = re.compile(r"\((?:[^)]*\d|[a-z])[^)]*\)")


def sniff(head: Head) -> bool:
    return head.xml_root == ROOT


def published(path: Path) -> dt.datetime | None:
    """The root's dateGenerated, read without parsing past the first record."""
    root: dict[str, str] = {}
    records = iter_elements(path, ("DATAID",), root_attrib=root)
    try:
        next(records, None)
    finally:
        if isinstance(records, Generator):
            records.close()  # frees the parser and its file handle now
    return _timestamp(root.get("dateGenerated"))


def entities(path: Path, report: ReadReport) -> Iterator[Entity]:
    context = _FileContext(path=path, report=report)
    count = 0
    for element in iter_elements(path, _RECORD_TAGS):
        count += 1
        yield _map_record(element, context)
    if count == 0:
        raise ListReadError(path, "no INDIVIDUAL or ENTITY records: not a complete UN list")


def _timestamp(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None


@dataclass
class _FileContext:
    """What a file's records share: where errors point and which DATAIDs were seen."""

    path: Path
    report: ReadReport
    seen_ids: set[str] = field(default_factory=set)


def _map_record(element: etree._Element, context: _FileContext) -> Entity:
    tag = local_name(element.tag)
    line = element.sourceline
    data_id = text_of(element, "DATAID")
    if data_id is None:
        raise ListReadError(context.path, f"{tag} record without DATAID", line=line)
    if data_id in context.seen_ids:
        context.report.warn(f"DATAID {data_id} occurs more than once (line {line})")
    context.seen_ids.add(data_id)
    try:
        return _build_entity(element, context, tag, data_id)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "value"
        raise ListReadError(
            context.path, f"invalid {where}: {first['msg']}", line=line, record=data_id
        ) from None


def _build_entity(element: etree._Element, context: _FileContext, tag: str, data_id: str) -> Entity:
    line = element.sourceline
    draft = EntityDraft()

    comments = text_of(element, "COMMENTS1")
    if comments:
        draft.remarks.append(comments)
    read_names(element, draft, context.report)
    if not draft.names:
        raise ListReadError(context.path, f"{tag} record has no name", line=line, record=data_id)
    _read_remark_fields(element, draft)
    _read_unknown_elements(element, draft, context.report, tag)

    reference = text_of(element, "REFERENCE_NUMBER")
    if reference:
        draft.identifiers.append(Identifier(type=IdentifierType.UN_REFERENCE, value=reference))
    for document in children(element, "INDIVIDUAL_DOCUMENT"):
        read_document(document, draft)
    for birth in children(element, "INDIVIDUAL_DATE_OF_BIRTH"):
        read_birth_date(birth, draft, context.report)
    for place in children(element, "INDIVIDUAL_PLACE_OF_BIRTH"):
        read_birth_place(place, draft)
    for alias in children(element, "INDIVIDUAL_ALIAS"):
        read_alias_birth(alias, draft)
    schema = read_comment_identifiers(comments, draft, is_person=tag == "INDIVIDUAL")

    _read_nationalities(element, draft)
    draft.addresses.extend(_addresses(element))  # as listed: the UN repeats some addresses
    list_type = text_of(element, "UN_LIST_TYPE")
    if list_type:
        draft.add_program(list_type)
    draft.listed_on = _listed_on(element, draft)
    draft.gender = _gender(element, comments)
    _read_related(comments, reference, draft)
    _read_links(element, comments, draft)
    version = text_of(element, "VERSIONNUM")
    record_key = f"DATAID {data_id}" + (f" v{version}" if version else "") + f", line {line}"
    ref = SourceRef(format=FORMAT_NAME, file=context.path.name, record=record_key)
    return draft.build(Source.UN, data_id, schema, ref)


def _addresses(element: etree._Element) -> list[Address]:
    addresses = []
    for node in [*children(element, "INDIVIDUAL_ADDRESS"), *children(element, "ENTITY_ADDRESS")]:
        street, note = text_of(node, "STREET"), text_of(node, "NOTE")
        country_text = text_of(node, "COUNTRY")
        address = Address(
            lines=[line for line in (street, note) if line],
            city=text_of(node, "CITY"),
            region=text_of(node, "STATE_PROVINCE"),
            postal_code=text_of(node, "ZIP_CODE"),
            country=_one_country(country_text),
            country_text=country_text,
        )
        if address != Address():
            addresses.append(address)
    return addresses


def _one_country(text: str | None) -> str | None:
    code = to_iso2(text)
    if code is None:
        codes = split_countries(text)
        code = codes[0] if len(codes) == 1 else None
    return code


def _read_nationalities(element: etree._Element, draft: EntityDraft) -> None:
    for tag in ("NATIONALITY", "NATIONALITY2"):
        for value in _values(element, tag):
            if value in PLACEHOLDERS:
                continue
            code = to_iso2(value)
            draft.add_nationality(code)
            if code is None or _QUALIFIED.search(value):
                draft.remarks.append(f"Nationality: {value}")


def _listed_on(element: etree._Element, draft: EntityDraft) -> dt.date | None:
    text = text_of(element, "LISTED_ON")
    if not text:
        return None
    match = ISO_DAY.match(text)
    if match:
        try:
            return dt.date.fromisoformat(match.group(1))
        except ValueError:
            pass
    draft.remarks.append(f"Listed on: {text}")
    return None


def _gender(element: etree._Element, comments: str | None) -> str | None:
    value = text_of(element, "GENDER")
    if value is None and comments:
        stated = _GENDER_IN_COMMENT.search(comments)
        value = stated.group(1) if stated else None
    return value.lower() if value else None


def _read_related(comments: str | None, own_reference: str | None, draft: EntityDraft) -> None:
    for reference in _UN_REFERENCE.findall(comments or ""):
        if reference != own_reference:
            draft.add_related(reference)


def _read_links(element: etree._Element, comments: str | None, draft: EntityDraft) -> None:
    link = text_of(element, "INTERPOL_LINK")
    if link:
        draft.add_link(link)
    for match in _INTERPOL_LINK_IN_COMMENT.finditer(comments or ""):
        draft.add_link(match["url"])


def _read_remark_fields(element: etree._Element, draft: EntityDraft) -> None:
    for tag, label in _LISTED_VALUE_REMARKS:
        values = _values(element, tag)
        if values:
            draft.remarks.append(f"{label}: {', '.join(values)}")
    for tag, label in _TEXT_REMARKS:
        value = text_of(element, tag)
        if value:
            draft.remarks.append(f"{label}: {value}")
    list_types = [v for v in _values(element, "LIST_TYPE") if v != "UN List"]
    if list_types:
        draft.remarks.append(f"List type: {', '.join(list_types)}")


def _read_unknown_elements(
    element: etree._Element, draft: EntityDraft, report: ReadReport, record_tag: str
) -> None:
    for child in element:
        if not isinstance(child.tag, str):
            continue
        tag = local_name(child.tag)
        if tag in _KNOWN_RECORD_TAGS:
            continue
        text = " ".join(" ".join(child.itertext()).split())
        if text:
            draft.remarks.append(f"{tag}: {text}")
        report.warn_once(
            f"tag:{tag}",
            f"unknown element <{tag}> in {record_tag} records (first at line "
            f"{child.sourceline}); its text is kept in remarks",
        )


def _values(element: etree._Element, tag: str) -> list[str]:
    """The non-empty VALUE texts of each <tag><VALUE>..</VALUE></tag> child."""
    values: list[str] = []
    for node in children(element, tag):
        for value in children(node, "VALUE"):
            text = " ".join((value.text or "").split())
            if text:
                values.append(text)
    return values


FORMAT = ListFormat(
    name=FORMAT_NAME,
    source=Source.UN,
    description="UN Security Council Consolidated List XML (CONSOLIDATED_LIST)",
    sniff=sniff,
    published=published,
    entities=entities,
)
