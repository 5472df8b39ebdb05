"""UN Security Council Consolidated List XML (root ``CONSOLIDATED_LIST``, no namespace).

One record per ``INDIVIDUALS/INDIVIDUAL`` or ``ENTITIES/ENTITY``, keyed by ``DATAID``. Mapping
decisions, all measured on the real files in ``shared/data/lists/un``:

* Names. ``FIRST_NAME``..``FOURTH_NAME`` are joined into the primary name. Only ``full`` is set:
  the UN does not order the parts as given/family names (DPRK records put the family name in
  ``FIRST_NAME``), so first/middle/last would be guesses. The lower-case placeholder ``na`` is
  not a name part. ``NAME_ORIGINAL_SCRIPT`` is the same name written in its own script, so it is
  a second PRIMARY name, not an alias; its script is detected from its characters, and a
  trailing language label such as "(Tigrinya)" becomes the name's language.
* Aliases. QUALITY Good / a.k.a. -> ALIAS, Low -> WEAK_ALIAS, f.k.a. -> FORMER. Empty placeholder
  aliases are skipped. One ``ALIAS_NAME`` may hold several names: they are split at ";" and at
  list markers such as " b) ", and a name followed by its rendering in another script in
  brackets ("Jin Tiesan (金铁三)", "حسن غول (Hassan Ghul; Hassan Gul)") becomes one name per
  rendering. An alias NOTE that gives the alias in another script ("original script: Ахмад
  Шишани", "In Arabic: سيف العدل") or only lists the transliterations of a non-Latin alias adds
  those names too. Each name's script is detected by `lists.values.scripts.detect_script`; a name
  listed twice with the same kind in one record is kept once.
* Vessels. The UN has no vessel record type. 16 ENTITY records (2026) carry an IMO number in
  COMMENTS1 ("IMO number: 5571322", "Company Number IMO 5434358", "International Maritime
  Organization (IMO) Number: 1790183"). Every one is a shipping company ("Registered owner of
  DPRK tanker ...") and the number is its IMO company and registered owner number: 15 of 16 fail
  the ship number check digit. They stay ORGANIZATION, with an IMO identifier whose note says
  so. A record becomes a VESSEL only when it is unambiguously the ship itself: an ENTITY whose
  IMO numbers pass the ship check digit and whose name and comments carry no company marker
  (legal form words, "owner of", "manager of", "operator", "Company Number"). No real record
  qualifies. IMO numbers in a person's comments are not the person's identifiers.
* Documents -> identifiers (TYPE_OF_DOCUMENT2 refines TYPE_OF_DOCUMENT); a document without a
  NUMBER goes to remarks. Dates of issue/expiry, city of issue and NOTE go to the identifier
  note. ``REFERENCE_NUMBER`` becomes a UN_REFERENCE identifier so other lists can link to it,
  SWIFT/BIC codes and IMO numbers stated in an ENTITY's COMMENTS1 become identifiers too,
  and the UN references named in COMMENTS1 ("Brother of Malik Noorzai (TAi.154)") go to
  ``related``.
* Dates of birth: EXACT with DATE -> day; EXACT or APPROXIMATELY with YEAR -> year (circa when
  APPROXIMATELY); BETWEEN FROM_YEAR/TO_YEAR -> range (circa when its NOTE says
  "Approximately"); a NOTE that is itself a date ("Nov. 1973", or "Sep." next to YEAR 1958) is
  read as one; any other NOTE ("24/06/1402 (Hijri Calendar)", "30-35 years old") goes to
  remarks. Alias dates and places of birth are added to the entity's birth dates and places.
* Gender: GENDER, else "Gender: male" in COMMENTS1; written lower-case.
* Everything else that is not a field of the model goes to remarks (COMMENTS1, titles,
  designations, qualified nationalities, update and review history, submitter, INTERPOL link);
  an address NOTE is kept as the address's last line. Unknown elements (format drift) go to
  remarks as "TAG: value" and are reported once per file through the ReadReport.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from pydantic import ValidationError

from lists.base import Head, ListFormat, ReadReport
from lists.draft import EntityDraft
from lists.errors import ListReadError
from lists.model import (
    Address,
    DatePrecision,
    Entity,
    Identifier,
    IdentifierType,
    Name,
    NameKind,
    PartialDate,
    Schema,
    Source,
    SourceRef,
)
from lists.values.countries import split_countries, to_iso2
from lists.values.dates import parse_partial_date
from lists.values.identifiers import classify_identifier, imo_check_digit_ok
from lists.values.languages import language_code
from lists.values.scripts import detect_script, scripts_in
from lists.xml import children, iter_elements, local_name, text_of

FORMAT_NAME = "un-xml"
ROOT = "CONSOLIDATED_LIST"
_RECORD_TAGS = ("INDIVIDUAL", "ENTITY")
_NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")

# The UN writes "na" (not available) where a name part or nationality is unknown. Only the
# lower-case form: "NA" can be a Korean family name and is a country code.
_PLACEHOLDERS = frozenset({"na", "n/a"})

_ALIAS_KINDS = {
    "good": NameKind.ALIAS,
    "a.k.a.": NameKind.ALIAS,
    "n.k.a.": NameKind.ALIAS,
    "low": NameKind.WEAK_ALIAS,
    "f.k.a.": NameKind.FORMER,
}

# Elements read into the model, or deliberately left out because they carry no information
# about the listed party (sort keys, the constant LIST_TYPE "UN List", the INTERPOL yes/no flag
# whose link is read).
_KNOWN_RECORD_TAGS = frozenset(
    {
        "DATAID",
        "VERSIONNUM",
        *_NAME_PARTS,
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

# 2018 files write xs:date with a zone ("1960-01-01-05:00"); the zone says nothing about the day.
_ISO_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})")
_UN_REFERENCE = re.compile(r"\b[A-Z]{2}[ie]\.\d{3}\b")
_GENDER_IN_COMMENT = re.compile(r"\bGender\s*:\s*(male|female)\b", re.I)
_IMO_IN_COMMENT = re.compile(
    r"\b(?P<label>International Maritime Organization \(IMO\) Number|"
    r"(?:Company Number )?IMO(?: (?:number|No\.?))?)\s*:?\s*(?P<number>\d{7})(?!\d)",
    re.I,
)
# 2018 files write one code with a space: "SWIFT: DCBK KPPY".
_BIC_IN_COMMENT = re.compile(
    r"\b(?P<label>SWIFT(?:/BIC)?)\s*:\s*(?P<code>[A-Z]{4} ?[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?)\b"
)
_COMPANY_NAME = re.compile(
    r"\b(?:shipping|shpg|company|co|corp|corporation|ltd|limited|inc|jv|pte|llc|gmbh|plc|"
    r"management|trading|freight|group|enterprises?)\b\.?",
    re.I,
)
_COMPANY_COMMENT = re.compile(
    r"\b(?:owner of|manager of|operator|company number|owns vessels?|the company)\b", re.I
)
_ALIAS_SEPARATORS = re.compile(r"\s*;\s*|\s+[a-z]\)\s+")
_BRACKETED_RENDERING = re.compile(
    r"^(?P<outer>[^()]+?)\s*\((?:original script:\s*)?(?P<inner>.+)\)[\s,.;]*$", re.I
)
_TRAILING_LABEL = re.compile(r"^(?P<name>.+?)\s*\((?P<label>[A-Za-z][A-Za-z ]+)\)\s*$")
_NOTE_RENDERING = re.compile(
    r"(?:name (?:in )?original script|original script|in arabic script|in arabic)\s*:\s*"
    r"(?P<name>[^:]+?)\s*$",
    re.I,
)
_MAX_NAME_WORDS = 6
_DIGIT = re.compile(r"\d")
# A bracket that qualifies a nationality ("Bahrain (citizenship revoked in Jan. 2015)", "USSR
# (until 1991)") rather than being part of the country's name ("Iran (Islamic Republic of)").
_QUALIFIED = re.compile(r"\((?:[^)]*\d|[a-z])[^)]*\)")
_APPROXIMATELY = re.compile(r"^(?:approximately|approx\.?|circa|about)$", re.I)


def _sniff(head: Head) -> bool:
    return head.xml_root == ROOT


def _published(path: Path) -> dt.datetime | None:
    """The root's dateGenerated, read without parsing past the first record."""
    root: dict[str, str] = {}
    records = iter_elements(path, ("DATAID",), root_attrib=root)
    try:
        next(records, None)
    finally:
        if isinstance(records, Generator):
            records.close()  # frees the parser and its file handle now
    return _timestamp(root.get("dateGenerated"))


def _timestamp(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None


def _entities(path: Path, report: ReadReport) -> Iterator[Entity]:
    context = _FileContext(path=path, report=report)
    count = 0
    for element in iter_elements(path, _RECORD_TAGS):
        count += 1
        yield _map_record(element, context)
    if count == 0:
        raise ListReadError(path, "no INDIVIDUAL or ENTITY records: not a complete UN list")


@dataclass
class _FileContext:
    """What a file's records share: where errors point and which warnings were given."""

    path: Path
    report: ReadReport
    seen_ids: set[str] = field(default_factory=set)
    warned: set[str] = field(default_factory=set)

    def warn_once(self, key: str, message: str) -> None:
        if key not in self.warned:
            self.warned.add(key)
            self.report.warn(message)


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
    is_person = tag == "INDIVIDUAL"
    draft = EntityDraft()

    comments = text_of(element, "COMMENTS1")
    if comments:
        draft.remarks.append(comments)
    _read_names(element, draft, context)
    if not draft.names:
        raise ListReadError(context.path, f"{tag} record has no name", line=line, record=data_id)
    _read_remark_fields(element, draft, comments)
    _read_unknown_elements(element, draft, context, tag)

    reference = text_of(element, "REFERENCE_NUMBER")
    if reference:
        draft.identifiers.append(Identifier(type=IdentifierType.UN_REFERENCE, value=reference))
    for document in children(element, "INDIVIDUAL_DOCUMENT"):
        _read_document(document, draft)
    for birth in children(element, "INDIVIDUAL_DATE_OF_BIRTH"):
        _read_birth_date(birth, draft, context)
    for place in children(element, "INDIVIDUAL_PLACE_OF_BIRTH"):
        _read_birth_place(place, draft)
    for alias in children(element, "INDIVIDUAL_ALIAS"):
        _read_alias_birth(alias, draft)

    schema = Schema.PERSON if is_person else Schema.ORGANIZATION
    # A person's comments may name a ship's IMO number; it is not the person's identifier.
    imo_numbers = [] if is_person else _imo_numbers(comments)
    if imo_numbers and _is_vessel(draft.names[0].full, comments, imo_numbers):
        schema = Schema.VESSEL
    if not is_person:
        draft.identifiers.extend(_bics(comments))
    for label, number in imo_numbers:
        draft.identifiers.append(
            Identifier(
                type=IdentifierType.IMO,
                value=number,
                label=label,
                note=_imo_note(number) if schema is Schema.ORGANIZATION else None,
            )
        )

    _read_nationalities(element, draft)
    draft.addresses.extend(_addresses(element))  # as listed: the UN repeats some addresses
    list_type = text_of(element, "UN_LIST_TYPE")
    if list_type:
        draft.add_program(list_type)
    draft.listed_on = _listed_on(element, draft)
    draft.gender = _gender(element, comments)
    _read_related(comments, reference, draft)
    version = text_of(element, "VERSIONNUM")
    record_key = f"DATAID {data_id}" + (f" v{version}" if version else "") + f", line {line}"
    ref = SourceRef(format=FORMAT_NAME, file=context.path.name, record=record_key)
    return draft.build(Source.UN, data_id, schema, ref)


# --- names -------------------------------------------------------------------------------


def _read_names(element: etree._Element, draft: EntityDraft, context: _FileContext) -> None:
    parts = [text_of(element, part) for part in _NAME_PARTS]
    primary = " ".join(p for p in parts if p and p not in _PLACEHOLDERS)
    if primary:
        draft.add_name(Name(full=primary, kind=NameKind.PRIMARY, script=detect_script(primary)))
    original = text_of(element, "NAME_ORIGINAL_SCRIPT")
    if original:
        draft.add_name(_original_script_name(original))
    for alias in [*children(element, "INDIVIDUAL_ALIAS"), *children(element, "ENTITY_ALIAS")]:
        _read_alias(alias, draft, context)


def _original_script_name(text: str) -> Name:
    language = None
    labelled = _TRAILING_LABEL.match(text)
    if labelled and detect_script(labelled["name"]) not in (None, "Latn"):
        language = language_code(labelled["label"])
        if language:
            text = labelled["name"]
    return Name(full=text, kind=NameKind.PRIMARY, script=detect_script(text), language=language)


def _read_alias(alias: etree._Element, draft: EntityDraft, context: _FileContext) -> None:
    text = text_of(alias, "ALIAS_NAME")
    if not text:
        return  # the empty placeholder <*_ALIAS><QUALITY/><ALIAS_NAME/></*_ALIAS>
    quality = text_of(alias, "QUALITY")
    kind = _ALIAS_KINDS.get((quality or "").lower())
    if kind is None:
        kind = NameKind.ALIAS
        if quality:
            context.warn_once(
                f"quality:{quality}",
                f"unknown alias QUALITY {quality!r} (line {alias.sourceline}); read as alias",
            )
    note = text_of(alias, "NOTE")
    for full in [*split_alias_names(text), *names_in_alias_note(text, note)]:
        draft.add_name(Name(full=full, kind=kind, script=detect_script(full)))
    if note:
        draft.remarks.append(f"Alias {text}: {note}")


def names_in_alias_note(alias: str, note: str | None) -> list[str]:
    """Renderings of an alias that the UN put in its NOTE rather than in ALIAS_NAME.

    "original script: Ахмад Шишани", "In Arabic: سيف العدل" give the alias in its own script;
    a non-Latin alias whose note is only a ";" list of Latin names ("Yunis al-Mauritani;
    Younis al-Mauritani; ...") gives its transliterations. Other notes are not names.
    """
    if not note:
        return []
    rendering = _NOTE_RENDERING.search(note)
    if rendering and detect_script(rendering["name"]) not in (None, "Latn"):
        return [rendering["name"]]
    if detect_script(alias) not in (None, "Latn") and detect_script(note) == "Latn" and ";" in note:
        items = [_clean_name(item) for item in note.split(";")]
        if all(
            item and len(item.split()) <= _MAX_NAME_WORDS and not _DIGIT.search(item)
            for item in items
        ):
            return items
    return []


def split_alias_names(text: str) -> list[str]:
    """The separate names one ALIAS_NAME holds, in the order written.

    "A; B; C" and "A; B b) C" are lists. "Name (rendering)" where the bracket holds the same
    name in another script ("Jin Tiesan (金铁三)", "Amir Khazmat (original script: Амир Хазмат)",
    "حسن غول (Hassan Ghul; Hassan Gul)") is one name per rendering. A bracket in the same script
    ("Lord’s Resistance Movement (LRM)", "Lom-ali Butayev (Butaev)") is part of the name.
    """
    pieces = [text]
    bracketed = _BRACKETED_RENDERING.match(text)
    if bracketed and _different_scripts(bracketed["outer"], bracketed["inner"]):
        pieces = [bracketed["outer"], bracketed["inner"]]
    names: list[str] = []
    for piece in pieces:
        for part in _ALIAS_SEPARATORS.split(piece):
            cleaned = _clean_name(part)
            if cleaned and cleaned not in names:
                names.append(cleaned)
    return names


def _clean_name(text: str) -> str:
    cleaned = " ".join(text.split()).strip(" ,;")
    if cleaned.startswith(")") and "(" not in cleaned:
        cleaned = cleaned[1:].strip()  # a stray bracket left over from the UN's own editing
    return cleaned


def _different_scripts(first: str, second: str) -> bool:
    one, two = scripts_in(first), scripts_in(second)
    return bool(one) and bool(two) and not one & two


# --- documents and IMO numbers -------------------------------------------------------------

_DOCUMENT_TYPES = {
    "passport": IdentifierType.PASSPORT,
    "numéro de passeport": IdentifierType.PASSPORT,
    "número de pasaporte": IdentifierType.PASSPORT,
    "national identification number": IdentifierType.NATIONAL_ID,
}


def _read_document(document: etree._Element, draft: EntityDraft) -> None:
    category = text_of(document, "TYPE_OF_DOCUMENT")
    detail = text_of(document, "TYPE_OF_DOCUMENT2")
    number = text_of(document, "NUMBER")
    issuing = text_of(document, "ISSUING_COUNTRY") or text_of(document, "COUNTRY_OF_ISSUE")
    note = _document_note(document, issuing)
    label = (detail or category or "").rstrip(" :") or None
    if number is None:
        described = "; ".join(dict.fromkeys(v for v in (category, detail, note) if v))
        if described:
            draft.remarks.append(f"Document: {described}")
        return
    draft.identifiers.append(
        Identifier(
            type=_document_type(category, detail),
            value=number,
            country=to_iso2(issuing),
            label=label,
            note=note,
        )
    )


def _document_type(category: str | None, detail: str | None) -> IdentifierType:
    if detail:
        refined = classify_identifier(detail)
        if refined is not IdentifierType.OTHER:
            return refined
    if category:
        known = _DOCUMENT_TYPES.get(category.lower())
        return known if known else classify_identifier(category)
    return IdentifierType.OTHER


def _document_note(document: etree._Element, issuing: str | None) -> str | None:
    parts = []
    if issuing and to_iso2(issuing) is None:
        parts.append(f"issued by {issuing}")
    other_country = text_of(document, "COUNTRY_OF_ISSUE")
    if other_country and other_country != issuing:
        parts.append(f"country of issue {other_country}")
    for tag, words in (
        ("CITY_OF_ISSUE", "issued in"),
        ("DATE_OF_ISSUE", "issued on"),
        ("DATE_OF_EXPIRY", "expires on"),
    ):
        value = text_of(document, tag)
        if value:
            parts.append(f"{words} {value}")
    free_text = text_of(document, "NOTE")
    if free_text:
        parts.append(free_text)
    return "; ".join(parts) or None


def _imo_numbers(comments: str | None) -> list[tuple[str, str]]:
    """(label as written, 7-digit number) for each IMO number in the comments."""
    if not comments:
        return []
    found: list[tuple[str, str]] = []
    for match in _IMO_IN_COMMENT.finditer(comments):
        if all(number != match["number"] for _, number in found):
            found.append((match["label"], match["number"]))
    return found


def _bics(comments: str | None) -> list[Identifier]:
    """SWIFT/BIC codes that bank records state in COMMENTS1 ("SWIFT/BIC: KUDBKPPY")."""
    return [
        Identifier(
            type=IdentifierType.BIC, value=match["code"].replace(" ", ""), label=match["label"]
        )
        for match in _BIC_IN_COMMENT.finditer(comments or "")
    ]


def _imo_note(number: str) -> str:
    if imo_check_digit_ok(number):
        return "IMO number stated in the comments of a company record"
    return "IMO company and registered owner number (fails the ship number check digit)"


def _is_vessel(name: str, comments: str | None, imo_numbers: list[tuple[str, str]]) -> bool:
    """Whether an ENTITY is the ship itself rather than a company that owns or runs ships."""
    if not all(imo_check_digit_ok(number) for _, number in imo_numbers):
        return False  # company numbers have no ship check digit
    if _COMPANY_NAME.search(name):
        return False
    return not (comments and _COMPANY_COMMENT.search(comments))


# --- dates and places of birth ------------------------------------------------------------


def _read_birth_date(birth: etree._Element, draft: EntityDraft, context: _FileContext) -> None:
    kind = (text_of(birth, "TYPE_OF_DATE") or "").upper()
    circa = kind == "APPROXIMATELY"
    note = text_of(birth, "NOTE")
    from_year, to_year = text_of(birth, "FROM_YEAR"), text_of(birth, "TO_YEAR")
    day, year = text_of(birth, "DATE"), text_of(birth, "YEAR")
    date: PartialDate | None = None
    if from_year and to_year:
        if note and _APPROXIMATELY.match(note):
            circa, note = True, None
        date = _year_range(from_year, to_year, circa)
    elif day:
        date = _day(day, circa)
    elif year:
        date, note = _year(year, note, circa)
    elif note:
        date = parse_partial_date(note)
        if date is not None:
            date.circa = date.circa or circa
            note = None
    raw = day or year or (f"{from_year}-{to_year}" if from_year or to_year else None)
    if date is None and raw:
        context.warn_once(
            f"dob:{raw}", f"unreadable date of birth {raw!r} (line {birth.sourceline})"
        )
        note = f"{raw}; {note}" if note else raw
    if date is not None:
        draft.add_birth_date(date)
    if note:
        written = f" {date.text}" if date is not None and date.text else ""
        qualifier = f" ({kind.lower()})" if kind and date is None else ""
        draft.remarks.append(f"Date of birth{written}{qualifier}: {note}")


def _year_range(first: str, last: str, circa: bool) -> PartialDate | None:
    if not (first.isdigit() and last.isdigit()):
        return None
    start, end = sorted((int(first), int(last)))
    return PartialDate(
        precision=DatePrecision.RANGE, year=start, year_to=end, circa=circa, text=f"{first}-{last}"
    )


def _day(text: str, circa: bool) -> PartialDate | None:
    match = _ISO_DAY.match(text)
    date = parse_partial_date(match.group(1)) if match else None
    if date is not None:
        date.circa = circa
        date.text = text
    return date


def _year(text: str, note: str | None, circa: bool) -> tuple[PartialDate | None, str | None]:
    """A YEAR, refined by a NOTE that names the month ("Sep." next to 1958); note if unused."""
    if note:
        refined = parse_partial_date(f"{note} {text}")
        if refined is not None and refined.year == int(text):
            refined.circa = refined.circa or circa
            return refined, None
    date = parse_partial_date(text) if text.isdigit() else None
    if date is not None:
        date.circa = circa
    return date, note


def _read_birth_place(place: etree._Element, draft: EntityDraft) -> None:
    parts = [text_of(place, tag) for tag in ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY")]
    text = _join_unique(parts)
    note = text_of(place, "NOTE")
    if note:
        text = f"{text} ({note})" if text else note
    if text:
        draft.add_birth_place(text)


def _read_alias_birth(alias: etree._Element, draft: EntityDraft) -> None:
    if not text_of(alias, "ALIAS_NAME"):
        return
    born = text_of(alias, "DATE_OF_BIRTH")
    if born:
        date = _day(born, False) if _ISO_DAY.match(born) else parse_partial_date(born)
        if date is not None:
            draft.add_birth_date(date)
        else:
            draft.remarks.append(f"Alias date of birth: {born}")
    place = _join_unique([text_of(alias, "CITY_OF_BIRTH"), text_of(alias, "COUNTRY_OF_BIRTH")])
    if place:
        draft.add_birth_place(place)


def _join_unique(parts: Iterable[str | None]) -> str:
    kept: list[str] = []
    for part in parts:
        if part and part not in kept:
            kept.append(part)
    return ", ".join(kept)


# --- other fields ---------------------------------------------------------------------------


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
            if value in _PLACEHOLDERS:
                continue
            code = to_iso2(value)
            draft.add_nationality(code)
            if code is None or _QUALIFIED.search(value):
                draft.remarks.append(f"Nationality: {value}")


def _listed_on(element: etree._Element, draft: EntityDraft) -> dt.date | None:
    text = text_of(element, "LISTED_ON")
    if not text:
        return None
    match = _ISO_DAY.match(text)
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


def _read_remark_fields(element: etree._Element, draft: EntityDraft, comments: str | None) -> None:
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
    link = text_of(element, "INTERPOL_LINK")
    if link and link not in (comments or ""):
        draft.remarks.append(f"INTERPOL-UN Security Council Special Notice: {link}")


def _read_unknown_elements(
    element: etree._Element, draft: EntityDraft, context: _FileContext, record_tag: str
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
        context.warn_once(
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


FORMATS: tuple[ListFormat, ...] = (
    ListFormat(
        name=FORMAT_NAME,
        source=Source.UN,
        description="UN Security Council Consolidated List XML (CONSOLIDATED_LIST)",
        sniff=_sniff,
        published=_published,
        entities=_entities,
    ),
)
