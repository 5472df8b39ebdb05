"""Canada's Consolidated Canadian Autonomous Sanctions List, XML (root ``data-set``).

Global Affairs Canada publishes the listings under the Special Economic Measures Act (SEMA),
the Justice for Victims of Corrupt Foreign Officials Act and related regulations as one XML
file, ``sema-lmes.xml``: a ``data-set`` of flat ``record`` elements, one per listing. Two
layouts are read, measured on the files in ``shared/data/lists/ca``:

* current (2025): ``Country``, ``LastName``, ``GivenName``, ``EntityOrShip``, ``TitleOrShip``,
  ``ShipIMONumber``, ``DateOfBirthOrShipBuildDate``, ``Aliases``, ``Schedule``, ``Item``,
  ``DateOfListing``;
* 2020: ``Entity``, ``Title`` and ``DateOfBirth`` instead, and no ``DateOfListing``.

Each record is read by its element names, so a file mixing the two reads too.

Mapping decisions:

* One entity per record. ``Country`` is the REGIME the listing is made under ("Russia /
  Russie", "Justice for Victims of Corrupt Foreign Officials Regulations (JVCFOR) / Règlement
  ..."), not a nationality: it becomes the entity's program, whitespace (trailing spaces,
  non-breaking spaces) collapsed, and never a country. A person listed under two regimes is
  two records and two entities, as Canada lists them.
* ``entry_id`` is the file's own key, (regime, schedule, item), written
  "<regime>, Schedule <schedule>, Item <item>", e.g. "Russia, Schedule 1, Part 1, Item 12".
  <regime> is the English half of ``Country`` (before " / "); a schedule written "Part 1" gives
  "Extremist Settler Violence, Schedule Part 1, Item 2". <schedule> has its whitespace
  collapsed and one space after a comma ("1,Part 3" and "1, Part 1 " occur). Records without a
  ``Schedule`` (329 in 2025: Venezuela, Zimbabwe, JVCFOR, Nicaragua, Guatemala, Sri Lanka,
  South Sudan; 42 in 2020) are "<regime>, Item <item>": within those regimes the item alone is
  unique. A key seen twice in one file is refused (`ListReadError`), as it would merge two
  listings. Ids change when Canada renames a regime ("Burma" in 2020, "Myanmar (Burma)" in
  2025) or renumbers a schedule: the key is Canada's, not a stable person id.
* Schema: PERSON when ``LastName`` or ``GivenName`` is present; else VESSEL when a
  ``ShipIMONumber`` is (310 in 2025); else ORGANIZATION (shipyards and shipping companies
  without an IMO number stay organisations).
* Names. A person's primary name is "GivenName LastName" with first and last set (141 records
  have only a ``GivenName``, 8 an empty ``LastName``: Burmese names have no family name). An
  entity's name is split as `lists.ca.names.split_entity_name` explains ("also known as"
  aliases, bilingual "English/French" names). ``Aliases`` is split as `lists.ca.names`
  explains; an alias equal to a primary name is not repeated.
* ``TitleOrShip``/``Title`` is a person's title ("Brigadier", "Major General/major-général")
  -> remark "Title: ..."; on a vessel it is the ship type -> remark "Vessel type: ...".
* ``ShipIMONumber`` -> an IMO identifier. A number that fails the IMO check digit (or is not
  seven digits) is kept, with a note, and reported as a warning.
* ``DateOfBirthOrShipBuildDate``: a person's birth date, partial dates kept partial ("1972",
  "1965-04", "1963-1964" a range, "1963 or 1964" two dates); text that is not a date ("born in
  the early 1970s", "Sep-99") goes to remarks as "Date of birth: ...". On a vessel it is the
  build year, not a birth date: remark "Build date: ...".
* ``listed_on`` from ``DateOfListing`` (ISO). A value that is not a date goes to remarks and
  is reported.
* Unknown elements (format drift) go to remarks as "Tag: value" and are reported once.

`published`: the file states no publication or generation date (no root attribute, no date
element), so it returns None; the newest ``DateOfListing`` is the date of the latest listing,
not of the file. The CLI's ``--published`` supplies the date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from pydantic import ValidationError

from lists.base import HEAD_BYTES, Head, ListFormat, ReadReport
from lists.ca.names import is_single_word, split_aliases, split_entity_name
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
from lists.values.dates import parse_partial_date
from lists.values.identifiers import imo_check_digit_ok, normalize_imo
from lists.values.scripts import detect_script
from lists.xml import iter_elements, local_name, root_info

FORMAT_NAME = "ca-sema-xml"
DATASET = "ca_sema"
ROOT = "data-set"
RECORD = "record"

_ENTITY_NAME_TAGS = ("EntityOrShip", "Entity")
_TITLE_TAGS = ("TitleOrShip", "Title")
_DATE_TAGS = ("DateOfBirthOrShipBuildDate", "DateOfBirth")
_KNOWN_TAGS = frozenset(
    {
        "Country",
        "LastName",
        "GivenName",
        "ShipIMONumber",
        "Aliases",
        "Schedule",
        "Item",
        "DateOfListing",
        *_ENTITY_NAME_TAGS,
        *_TITLE_TAGS,
        *_DATE_TAGS,
    }
)
_DATE_ALTERNATIVES = re.compile(r"\s+or\s+", re.I)
_COMMA = re.compile(r"\s*,\s*")


def sniff(head: Head) -> bool:
    # "data-set" alone is a generic root name; a record with a Country (the regime) makes it
    # Canada's list.
    return head.xml_root == ROOT and b"<Country>" in head.data


def published(path: Path) -> dt.date | None:
    """Always None: the file states no publication date (see the module docstring)."""
    del path
    return None


def entities(path: Path, report: ReadReport) -> Iterator[Entity]:
    """Stream one entity per ``record``; `ListReadError` for a file that is not this list."""
    _check_root(path)
    context = _FileContext(path=path, report=report)
    for element in iter_elements(path, (RECORD,)):
        yield _map_record(element, context)
    if not context.seen:
        raise ListReadError(path, f"no <{RECORD}> elements: not a complete Canadian SEMA list")


def entry_id(regime: str, schedule: str | None, item: str) -> str:
    """The id of a listing, from the file's key (regime, schedule, item); see the docstring."""
    regime_key = regime.split(" / ", 1)[0].strip()
    if schedule:
        return f"{regime_key}, Schedule {_COMMA.sub(', ', schedule)}, Item {item}"
    return f"{regime_key}, Item {item}"


def _check_root(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError as exc:
        raise ListReadError(path, f"cannot read: {exc.strerror}") from None
    root = root_info(path, head)
    if root is None or root[0] != ROOT:
        found = f"root element <{root[0]}>" if root else "no readable XML root element"
        line = head[: head.find(b"<" + root[0].encode())].count(b"\n") + 1 if root else None
        raise ListReadError(
            path, f"{found}, expected <{ROOT}>: not a Canadian SEMA list", line=line
        )


@dataclass
class _FileContext:
    path: Path
    report: ReadReport
    seen: dict[str, int] = field(default_factory=dict)  # entry id -> line
    warned: set[str] = field(default_factory=set)

    def warn_once(self, key: str, message: str) -> None:
        if key not in self.warned:
            self.warned.add(key)
            self.report.warn(message)


@dataclass
class _Record:
    """One ``record``: its children's texts by element name, read once."""

    line: int | None
    fields: dict[str, str]  # the first non-empty text of each known element, spaces collapsed
    unknown: list[tuple[str, str, int | None]]  # (element, text, line) of unknown elements

    @classmethod
    def read(cls, element: etree._Element) -> _Record:
        fields: dict[str, str] = {}
        unknown: list[tuple[str, str, int | None]] = []
        for child in element:
            if not isinstance(child.tag, str):
                continue
            tag = local_name(child.tag)
            text = " ".join(" ".join(child.itertext()).split())
            if tag not in _KNOWN_TAGS:
                unknown.append((tag, text, child.sourceline))
            elif text and tag not in fields:
                fields[tag] = text
        return cls(line=element.sourceline, fields=fields, unknown=unknown)

    def first(self, tags: tuple[str, ...]) -> str | None:
        """The value of the first of these elements present (current or 2020 layout name)."""
        return next((self.fields[tag] for tag in tags if tag in self.fields), None)


def _map_record(element: etree._Element, context: _FileContext) -> Entity:
    record = _Record.read(element)
    line = record.line
    regime, item = record.fields.get("Country"), record.fields.get("Item")
    if regime is None or item is None:
        missing = "Country" if regime is None else "Item"
        raise ListReadError(context.path, f"record without {missing}: no listing key", line=line)
    key = entry_id(regime, record.fields.get("Schedule"), item)
    if key in context.seen:
        raise ListReadError(
            context.path,
            f"listing {key!r} appears twice (also at line {context.seen[key]})",
            line=line,
            record=key,
        )
    context.seen[key] = line or 0
    try:
        return _build_entity(record, context, regime, key)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "value"
        raise ListReadError(
            context.path, f"invalid {where}: {first['msg']}", line=line, record=key
        ) from None


def _build_entity(record: _Record, context: _FileContext, regime: str, key: str) -> Entity:
    line = record.line
    draft = EntityDraft()
    draft.add_program(regime)
    given, last = record.fields.get("GivenName"), record.fields.get("LastName")
    imo_text = record.fields.get("ShipIMONumber")
    is_person = given is not None or last is not None
    schema = Schema.PERSON if is_person else Schema.VESSEL if imo_text else Schema.ORGANIZATION

    entity_name = record.first(_ENTITY_NAME_TAGS)
    if is_person:
        full = " ".join(part for part in (given, last) if part)
        draft.add_name(Name(full=full, first=given, last=last, script=detect_script(full)))
        if entity_name:
            draft.add_remark(f"Entity or ship: {entity_name}")
            context.warn_once(
                "person+entity", f"a person record also names an entity (line {line})"
            )
    elif entity_name:
        _read_entity_name(entity_name, draft, schema)
    if not draft.names:
        raise ListReadError(context.path, "record has no name", line=line, record=key)
    aliases = record.fields.get("Aliases")
    if aliases:
        _read_aliases(aliases, draft, is_person)

    title = record.first(_TITLE_TAGS)
    if title:
        draft.add_remark(f"Vessel type: {title}" if schema is Schema.VESSEL else f"Title: {title}")
    born = record.first(_DATE_TAGS)
    if born:
        _read_date(born, draft, schema)
    if imo_text:
        draft.add_identifier(_imo(imo_text, context, line, is_person))
    draft.listed_on = _listed_on(record, draft, context)
    for tag, text, tag_line in record.unknown:
        if text:
            draft.add_remark(f"{tag}: {text}")
        context.warn_once(
            f"tag:{tag}",
            f"unknown element <{tag}> in records (first at line {tag_line}); "
            "its text is kept in remarks",
        )
    ref = SourceRef(format=FORMAT_NAME, file=context.path.name, record=f"{key}, line {line}")
    return draft.build(Source.CA, key, schema, ref, dataset=DATASET)


def _read_entity_name(text: str, draft: EntityDraft, schema: Schema) -> None:
    primaries, aliases = split_entity_name(text, vessel=schema is Schema.VESSEL)
    for primary in primaries:
        draft.add_name(Name(full=primary, script=detect_script(primary)))
    for alias in aliases:
        draft.add_name(Name(full=alias, kind=NameKind.ALIAS, script=detect_script(alias)))


def _read_aliases(text: str, draft: EntityDraft, is_person: bool) -> None:
    primaries = {name.full for name in draft.names if name.kind is NameKind.PRIMARY}
    for alias in split_aliases(text, person=is_person):
        if alias.full in primaries:
            continue
        weak = is_person and is_single_word(alias.full)
        draft.add_name(
            Name(
                full=alias.full,
                kind=NameKind.WEAK_ALIAS if weak else NameKind.ALIAS,
                script=detect_script(alias.full),
                language=alias.language,
            )
        )


def _read_date(text: str, draft: EntityDraft, schema: Schema) -> None:
    if schema is Schema.VESSEL:
        draft.add_remark(f"Build date: {text}")
        return
    if schema is Schema.ORGANIZATION:
        draft.add_remark(f"Date: {text}")
        return
    dates = [parse_partial_date(part) for part in _DATE_ALTERNATIVES.split(text)]
    if all(date is not None for date in dates):
        for date in dates:
            assert date is not None
            draft.add_birth_date(date)
    else:
        draft.add_remark(f"Date of birth: {text}")


def _imo(text: str, context: _FileContext, line: int | None, is_person: bool) -> Identifier:
    number = normalize_imo(text)
    note = None
    if number is None:
        note = "not a 7-digit IMO number"
    elif not imo_check_digit_ok(number):
        note = "fails the IMO check digit"
    if is_person:
        note = "; ".join(filter(None, [note, "stated on a person's record"]))
    if note:
        context.report.warn(f"ShipIMONumber {text!r} at line {line}: {note}")
    return Identifier(
        type=IdentifierType.IMO, value=number or text, label="ShipIMONumber", note=note
    )


def _listed_on(record: _Record, draft: EntityDraft, context: _FileContext) -> dt.date | None:
    text = record.fields.get("DateOfListing")
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        draft.add_remark(f"Date of listing: {text}")
        context.report.warn(
            f"DateOfListing {text!r} at line {record.line} is not an ISO date; "
            "it is kept in remarks"
        )
        return None


FORMAT = ListFormat(
    name=FORMAT_NAME,
    source=Source.CA,
    description="Canada Consolidated Autonomous Sanctions List XML (data-set of SEMA records)",
    sniff=sniff,
    published=published,
    entities=entities,
)
