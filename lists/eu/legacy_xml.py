"""The legacy EU FSD "WHOLE" XML (``global.xml``), published before the FSF 1.0 (2016 and earlier).

Root ``<WHOLE Date="dd/mm/yyyy">``; one ``ENTITY`` (Id, Type P/E, programme, legal_basis,
reg_date, remark) per entry, holding NAME, BIRTH, CITIZEN, PASSPORT and ADDRESS children, each
with its own Id. Countries are ISO alpha-3 codes. Remarks are flattened into the values the
same way the later CSV does it: an identity document is
``"AD001095 (passport-National passport) [known to be expired](remark)"``, contact details are
``PHONE[...]``. The FSD also put remarks into XML comments (``<!-- Comment: ... -->``) inside
NAME and BIRTH, which is why this reader keeps comments (see `_entity_elements`).

Not mapped: the legal_basis/reg_date/pdf_link/programme attributes of the children, which name
the legal act that added each detail (the FSF's regulationSummary), and the entity's reg_date,
which is the date of its latest legal act, not of its listing.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree
from pydantic import ValidationError

from lists.base import Head, ListFormat, ReadReport
from lists.errors import ListReadError
from lists.eu.common import (
    GENDERS,
    NameInput,
    OrderedSet,
    build_names,
    clean,
    contact_identifiers,
    country_code,
    dedupe_identifiers,
    enterprise_schema,
    identification_type,
    identifier_value,
    logical_order,
    name_language,
    split_contact_text,
    unwrap_remark,
    whole_name,
)
from lists.model import (
    Address,
    Entity,
    Identifier,
    NameKind,
    PartialDate,
    Schema,
    Source,
    SourceRef,
)
from lists.values.dates import parse_day, parse_partial_date
from lists.xml import iter_elements, local_name, text_of

FORMAT_NAME = "eu-legacy-xml"
_ROOT = "WHOLE"
_RECORD = "ENTITY"
_SCHEMAS = {"P": Schema.PERSON, "E": Schema.ORGANIZATION}
_APPROXIMATE = re.compile(r"\s*\(approximative\)\s*", re.I)
# "<number> (<type code>-<type description>) [flag][flag](remark)"
_DOCUMENT = re.compile(
    r"^(?P<number>.*?)\s*\((?P<code>[a-z]+)-(?P<label>[^()]*)\)(?P<rest>.*)$", re.S
)
_FLAG = re.compile(r"\[([^\]]*)\]")
_COMMENT_PREFIX = re.compile(r"^\s*Comment:\s*", re.I)


def sniff(head: Head) -> bool:
    return head.xml_root == _ROOT


def published(path: Path) -> dt.date | None:
    root: dict[str, str] = {}
    for _ in _entity_elements(path, root_attrib=root):
        break  # the root's attributes are known once the first record is read
    text = clean(root.get("Date"))
    if not text:
        return None
    day = parse_day(text, "%d/%m/%Y")
    if day is None:
        raise ListReadError(path, f"the root Date {text!r} is not a dd/mm/yyyy date", line=1)
    return day


def entities(path: Path, report: ReadReport) -> Iterator[Entity]:
    seen: dict[str, int | None] = {}
    for element in _entity_elements(path):
        entry_id = clean(element.get("Id"))
        if entry_id in seen:
            raise ListReadError(
                path,
                f"ENTITY Id {entry_id} appears twice (also at line {seen[entry_id]})",
                line=element.sourceline,
                record=entry_id,
            )
        seen[entry_id] = element.sourceline
        entity = _entity(element, path, report)
        if entity is not None:
            yield entity


def _entity_elements(
    path: Path, *, root_attrib: dict[str, str] | None = None
) -> Iterator[etree._Element]:
    """Each ENTITY, complete and with its comments (they hold data here), then freed."""
    return iter_elements(path, [_RECORD], root_attrib=root_attrib, keep_comments=True)


class _Builder:
    """Collects one ENTITY's details in document order."""

    def __init__(self, path: Path, report: ReadReport, entry_id: str) -> None:
        self.path = path
        self.report = report
        self.entry_id = entry_id
        self.remarks = OrderedSet()
        self.names: list[NameInput] = []
        self.genders: list[str] = []
        self.birth_dates: list[PartialDate] = []
        self.birth_places = OrderedSet()
        self.citizenships = OrderedSet()
        self.addresses: list[Address] = []
        self.identifiers: list[Identifier] = []

    def add(self, child: etree._Element) -> None:
        if not isinstance(child.tag, str):
            return  # comments are read with the element they sit in
        handlers = {
            "NAME": self.add_name,
            "BIRTH": self.add_birth,
            "CITIZEN": self.add_citizen,
            "PASSPORT": self.add_document,
            "ADDRESS": self.add_address,
        }
        handler = handlers.get(local_name(child.tag))
        if handler is None:
            self.report.warn(
                f"{self.path.name}:{child.sourceline}: <{local_name(child.tag)}> in ENTITY "
                f"{self.entry_id} is not a legacy FSD element; not read"
            )
            return
        handler(child)

    def add_name(self, element: etree._Element) -> None:
        full = whole_name(
            text_of(element, "WHOLENAME"),
            text_of(element, "FIRSTNAME"),
            text_of(element, "MIDDLENAME"),
            text_of(element, "LASTNAME"),
        )
        about = f" ({full})" if full else ""
        for label, tag in (("Function", "FUNCTION"), ("Title", "TITLE")):
            if text_of(element, tag):
                self.remarks.add(f"{label}{about}: {text_of(element, tag)}")
        for comment in _comments(element):
            self.remarks.add(f"{full}: {comment}" if full else comment)
        gender = GENDERS.get(clean(text_of(element, "GENDER")).upper())
        if gender:
            self.genders.append(gender)
        if not full:
            return
        self.names.append(
            NameInput(
                full=full,
                first=text_of(element, "FIRSTNAME"),
                middle=text_of(element, "MIDDLENAME"),
                last=text_of(element, "LASTNAME"),
                language=name_language(text_of(element, "LANGUAGE")),
                logical_id=logical_order(element.get("Id")),
                kind=NameKind.ALIAS,
            )
        )

    def add_birth(self, element: etree._Element) -> None:
        raw = clean(text_of(element, "DATE"))
        date = _birth_date(raw)
        if date is not None and date not in self.birth_dates:
            self.birth_dates.append(date)
        elif date is None and raw:
            self.remarks.add(f"Date of birth as written: {raw}")
        for comment in _comments(element):
            self.remarks.add(f"Date of birth {raw}: {comment}" if raw else f"Birth: {comment}")
        place = ", ".join(
            part for part in (text_of(element, "PLACE"), text_of(element, "COUNTRY")) if part
        )
        self.birth_places.add(place)

    def add_citizen(self, element: etree._Element) -> None:
        country = text_of(element, "COUNTRY")
        code = country_code(country)
        self.citizenships.add(code)
        if country and code is None:
            self.remarks.add(f"Citizenship: {country}")
        for comment in _comments(element):
            self.remarks.add(f"Citizenship {country or ''}: {comment}")

    def add_document(self, element: etree._Element) -> None:
        text = clean(text_of(element, "NUMBER"))
        country = text_of(element, "COUNTRY")
        match = _DOCUMENT.match(text)
        if match is None:
            number, code, label, rest = text, "", "identification (type not stated)", ""
        else:
            number, code, label, rest = (
                clean(match["number"]),
                match["code"],
                clean(match["label"]),
                match["rest"],
            )
        notes = [clean(flag) for flag in _FLAG.findall(rest) if clean(flag)]
        remark = unwrap_remark(_FLAG.sub(" ", rest))
        notes.extend([remark] if remark else [])
        notes.extend(_comments(element))
        identifier_type = identification_type(code, label)
        if not number or number.upper() == "UNKNOWN":
            self.remarks.add(
                f"{label} without a number" + (f" ({'; '.join(notes)})" if notes else "")
            )
            return
        self.identifiers.append(
            Identifier(
                type=identifier_type,
                value=identifier_value(identifier_type, number),
                country=country_code(country),
                label=label,
                note="; ".join(notes) or None,
            )
        )

    def add_address(self, element: etree._Element) -> None:
        street = " ".join(
            part for part in (text_of(element, "STREET"), text_of(element, "NUMBER")) if part
        )
        country = text_of(element, "COUNTRY")
        address = Address(
            lines=[street] if street else [],
            city=text_of(element, "CITY"),
            postal_code=text_of(element, "ZIPCODE"),
            country=country_code(country),
            country_text=country,
        )
        contacts, other_text = split_contact_text(text_of(element, "OTHER"))
        for key, value in contacts:
            self.identifiers.extend(contact_identifiers(key, value))
        summary = ", ".join(p for p in (street, address.city or "", country or "") if p)
        for note in [unwrap_remark(other_text), *_comments(element)]:
            if note:
                self.remarks.add(f"Address {summary}: {note}" if summary else f"Address: {note}")
        if address.model_dump(exclude_defaults=True) and address not in self.addresses:
            self.addresses.append(address)


def _entity(element: etree._Element, path: Path, report: ReadReport) -> Entity | None:
    entry_id = clean(element.get("Id"))
    if not entry_id:
        raise ListReadError(path, "ENTITY without an Id", line=element.sourceline)
    schema = _SCHEMAS.get(clean(element.get("Type")).upper())
    if schema is None:
        raise ListReadError(
            path,
            f"ENTITY Type {element.get('Type')!r} is neither P nor E",
            line=element.sourceline,
            record=entry_id,
        )
    builder = _Builder(path, report, entry_id)
    builder.remarks.add(unwrap_remark(element.get("remark")))
    for comment in _comments(element, own_only=True):
        builder.remarks.add(comment)
    for child in element:
        builder.add(child)
    names = build_names(builder.names)
    if not names:
        report.warn(
            f"{path.name}:{element.sourceline}: ENTITY {entry_id} has no name; it is not "
            "loaded, as an entity without a name cannot be screened"
        )
        return None
    identifiers = dedupe_identifiers(builder.identifiers)
    if schema is Schema.ORGANIZATION:
        schema, imo_numbers = enterprise_schema(identifiers, builder.remarks.as_list())
        identifiers.extend(imo_numbers)
    programme = clean(element.get("programme"))
    try:
        return Entity(
            source=Source.EU,
            entry_id=entry_id,
            schema=schema,
            names=names,
            birth_dates=builder.birth_dates,
            birth_places=builder.birth_places.as_list(),
            citizenships=builder.citizenships.as_list(),
            addresses=builder.addresses,
            identifiers=identifiers,
            programs=[programme] if programme else [],
            gender=builder.genders[0] if builder.genders else None,
            remarks=builder.remarks.as_list(),
            ref=SourceRef(format=FORMAT_NAME, file=path.name, record=entry_id),
        )
    except ValidationError as exc:
        raise ListReadError(
            path,
            f"cannot map: {exc.errors()[0]['msg']}",
            line=element.sourceline,
            record=entry_id,
        ) from None


def _birth_date(raw: str) -> PartialDate | None:
    """ "1965", "1924-02-21", "1965 (approximative)" or "1953 - 1958 (approximative)"."""
    if not raw:
        return None
    circa = bool(_APPROXIMATE.search(raw))
    date = parse_partial_date(_APPROXIMATE.sub(" ", raw))
    if date is None:
        return None
    return date.model_copy(update={"circa": date.circa or circa, "text": raw})


def _comments(element: etree._Element, *, own_only: bool = False) -> list[str]:
    """The FSD's ``<!-- Comment: ... -->`` remarks, each line once (the FSD repeats them)."""
    nodes = (
        [child for child in element if isinstance(child, etree._Comment)]
        if own_only
        else list(element.iter(etree.Comment))
    )
    found: list[str] = []
    for node in nodes:
        # Comment text is not entity-decoded by the parser, and the FSD escaped it (&apos;).
        text = html.unescape(_COMMENT_PREFIX.sub("", node.text or ""))
        lines = OrderedSet()
        lines.extend(clean(line) for line in text.splitlines())
        joined = "; ".join(lines.as_list())
        if joined and joined not in found:
            found.append(joined)
    return found


FORMAT = ListFormat(
    name=FORMAT_NAME,
    source=Source.EU,
    description="EU FSD legacy 'WHOLE' XML (global.xml, before the FSF 1.0)",
    sniff=sniff,
    published=published,
    entities=entities,
)
