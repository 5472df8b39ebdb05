"""Mapping rules shared by the three EU readers (FSF XML, FSF CSV and the legacy FSD XML).

All three come out of the same EU Financial Sanctions Database, so names, contact details,
remarks and countries follow the same conventions whatever the serialisation. Keeping the
rules here is what makes the CSV and the XML of one export map to equal entities.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lists.model import Identifier, IdentifierType, Name, NameKind, Schema
from lists.values.countries import to_iso2
from lists.values.identifiers import classify_identifier, imo_mentions, normalize_imo
from lists.values.scripts import detect_script

# The EU writes "M", "F" or "?" per name; "?" means unknown and maps to nothing.
GENDERS = {"M": "male", "F": "female"}

# Placeholders the FSD writes for "no value" (city="-", country "00"/"UNKNOWN").
_PLACEHOLDERS = {"", "-", "00", "unknown"}


def clean(value: str | None) -> str:
    """Whitespace collapsed, '' for None: the EU pads values and breaks remarks over lines."""
    if value is None:
        return ""
    return " ".join(value.split())


def meaningful(value: str | None) -> str:
    """The cleaned value, or '' when it is one of the FSD's "no value" placeholders."""
    text = clean(value)
    return "" if text.lower() in _PLACEHOLDERS else text


def unwrap_remark(text: str | None) -> str:
    """A remark without the one pair of brackets the FSD flat exports wrap around it.

    The CSV and the legacy XML write the remark that the FSF XML gives as "UNSC RESOLUTION
    1483" as "(UNSC RESOLUTION 1483)". Only a pair that encloses the whole text is removed, so
    "(a) born in X (b) ..." stays as it is.
    """
    value = clean(text)
    if not (value.startswith("(") and value.endswith(")")):
        return value
    depth = 0
    for index, char in enumerate(value):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0 and index != len(value) - 1:
                return value  # the first bracket closes before the end: not a wrapper
    return value[1:-1].strip() if depth == 0 else value


def parse_bool(value: str | None) -> bool:
    return clean(value).lower() in {"true", "1", "yes", "y"}


class OrderedSet:
    """Values in first-seen order without repeats (remarks, programmes, countries)."""

    def __init__(self) -> None:
        self._items: dict[str, None] = {}

    def add(self, value: str | None) -> None:
        if value:
            self._items.setdefault(value, None)

    def extend(self, values: Iterable[str | None]) -> None:
        for value in values:
            self.add(value)

    def as_list(self) -> list[str]:
        return list(self._items)


def country_code(iso2: str | None, description: str | None = None) -> str | None:
    """ISO alpha-2 from the EU's code column, falling back to the country's name."""
    code = meaningful(iso2).upper()
    if len(code) == 2 and code.isascii() and code.isalpha():
        return code
    if code:
        # Legacy FSD files write alpha-3 codes (IRQ, AFG).
        converted = to_iso2(code)
        if converted:
            return converted
    return to_iso2(meaningful(description)) if meaningful(description) else None


# --- names ---------------------------------------------------------------------------------


def name_language(code: str | None) -> str | None:
    """Lower-case ISO 639-1 code; the EU writes them upper-case (EN, BG) or leaves them empty."""
    value = clean(code).lower()
    return value if len(value) == 2 and value.isalpha() else None


_LOW_QUALITY = re.compile(r"\blow[\s-]+quality\s+al+i+as", re.I)  # also "low quality aliias"
_QUALITY_ONLY = re.compile(r"^\(?\s*(?:good|high|low)[\s-]+quality\s+al+i+as\s*\)?\.?$", re.I)
_FORMER = re.compile(
    r"\b(?:formerly known as|former(?:ly)? name|previous(?:ly)? (?:known as|name))\b"
    r"|\bf\.k\.a\.|\bfka\b",
    re.I,
)


def alias_quality(remarks: Sequence[str], strong: str | None) -> NameKind:
    """ALIAS, WEAK_ALIAS or FORMER from a name's remarks and its ``strong`` flag.

    The FSF sets strong="true" even on names its remark calls a "low quality alias", so the
    remark decides. strong="false" (not seen in the data) is read as weak, as the XSD describes
    a strong name as a main one.
    """
    if any(_LOW_QUALITY.search(remark) for remark in remarks):
        return NameKind.WEAK_ALIAS
    if clean(strong).lower() == "false":
        return NameKind.WEAK_ALIAS
    if any(_FORMER.search(remark) for remark in remarks):
        return NameKind.FORMER
    return NameKind.ALIAS


def is_quality_remark(remark: str) -> bool:
    """Whether a remark only states alias quality (the name's kind then carries it)."""
    return bool(_QUALITY_ONLY.match(remark))


@dataclass(frozen=True)
class NameInput:
    """One listed name before the primary is chosen."""

    full: str
    first: str | None
    middle: str | None
    last: str | None
    language: str | None
    logical_id: int | None
    kind: NameKind  # ALIAS, WEAK_ALIAS or FORMER; PRIMARY is assigned by `build_names`


def logical_order(value: str | None) -> int | None:
    text = clean(value)
    # isascii: str.isdigit also accepts "²" and other digits that int() refuses.
    return int(text) if text.isascii() and text.isdigit() else None


def build_names(candidates: Sequence[NameInput]) -> list[Name]:
    """Names with one primary, primary first, duplicates merged.

    The EU has no primary-name flag. The primary is the non-weak Latin-script name in English
    or without a language that has the lowest logicalId: the FSD numbers a name when it is
    entered, so that is the name of the original listing, and later ids are translations and
    aliases (Khalid Sheikh MOHAMMED is 289 among 161419 and 292; Parchin Chemical Industries is
    5202 among 158906-169661). Without such a name the lowest non-weak name is used; when every
    name is weak or former none is promoted.
    """
    eligible = [c for c in candidates if c.kind is NameKind.ALIAS]
    preferred = [
        c for c in eligible if c.language in (None, "en") and detect_script(c.full) == "Latn"
    ]
    pool = preferred or eligible
    primary = (
        min(pool, key=lambda c: (c.logical_id is None, c.logical_id or 0, candidates.index(c)))
        if pool
        else None
    )
    ordered = ([primary] if primary else []) + [c for c in candidates if c is not primary]
    names: list[Name] = []
    seen: dict[tuple[str, str | None, str | None, str | None, str | None], int] = {}
    for candidate in ordered:
        kind = NameKind.PRIMARY if candidate is primary else candidate.kind
        key = (
            candidate.full,
            candidate.language,
            candidate.first,
            candidate.middle,
            candidate.last,
        )
        if key in seen:
            existing = names[seen[key]]
            if _KIND_STRENGTH[kind] > _KIND_STRENGTH[existing.kind]:
                existing.kind = kind
            continue
        seen[key] = len(names)
        names.append(
            Name(
                full=candidate.full,
                kind=kind,
                first=candidate.first,
                middle=candidate.middle,
                last=candidate.last,
                # The EU gives a name's language but never its script, and a language does not
                # fix the script (Serbian, Azerbaijani): it is read from the characters.
                script=detect_script(candidate.full),
                language=candidate.language,
            )
        )
    return names


_KIND_STRENGTH = {
    NameKind.PRIMARY: 3,
    NameKind.ALIAS: 2,
    NameKind.FORMER: 1,
    NameKind.WEAK_ALIAS: 0,
}


def whole_name(whole: str | None, *parts: str | None) -> str:
    """The whole name, or the parts joined when the EU left the whole name empty."""
    return clean(whole) or " ".join(clean(p) for p in parts if clean(p))


# --- contact details and identifiers -------------------------------------------------------

# Legacy FSD (and, as far as is known, the FSF CSV) flatten contact details as "PHONE[...]".
_CONTACT = re.compile(r"\b([A-Z][A-Z_]*)\[([^\]]*)\]")
_CONTACT_TYPES = {
    "PHONE": IdentifierType.PHONE,
    "TEL": IdentifierType.PHONE,
    "FAX": IdentifierType.PHONE,
    "MOBILE": IdentifierType.PHONE,
    "WEB": IdentifierType.WEBSITE,
    "WEBSITE": IdentifierType.WEBSITE,
    "URL": IdentifierType.WEBSITE,
    "EMAIL": IdentifierType.EMAIL,
    "E-MAIL": IdentifierType.EMAIL,
}


def split_contact_text(text: str | None) -> tuple[list[tuple[str, str]], str]:
    """(key, value) pairs written as ``KEY[value]`` and whatever text is left around them."""
    raw = text or ""
    pairs = [(m.group(1), m.group(2)) for m in _CONTACT.finditer(raw)]
    rest = clean(_CONTACT.sub(" ", raw))
    return pairs, rest


def contact_identifiers(key: str, value: str) -> list[Identifier]:
    """Identifiers for one contact detail; a phone field listing several numbers gives several."""
    label = clean(key)
    identifier_type = _CONTACT_TYPES.get(label.upper()) or classify_identifier(label)
    if identifier_type is IdentifierType.PHONE:
        values = [clean(v) for v in re.split(r"[;,]", value)]
    else:
        values = [clean(value)]
    return [
        Identifier(type=identifier_type, value=v, label=label) for v in values if v and v != "-"
    ]


def dedupe_identifiers(identifiers: Iterable[Identifier]) -> list[Identifier]:
    unique: dict[str, Identifier] = {}
    for identifier in identifiers:
        unique.setdefault(identifier.model_dump_json(), identifier)
    return list(unique.values())


# --- vessels -------------------------------------------------------------------------------

_VESSEL_WORDS = re.compile(
    r"\b(?:vessel|ship|tanker|bulk carrier|cargo ship|container ship|M/V|M/T)\b", re.I
)
_COMPANY_WORDS = re.compile(r"\b(?:company|owner|operator|manager|management|shipowner)\b", re.I)


def enterprise_schema(
    identifiers: Sequence[Identifier], texts: Sequence[str]
) -> tuple[Schema, list[Identifier]]:
    """Whether an EU "enterprise" is a ship, and the IMO numbers found in its remarks if so.

    The FSF has no vessel subject type. An enterprise becomes a vessel only on unambiguous
    evidence: an identification typed as an IMO number that is not a company number, or a
    remark that gives an IMO number with a valid check digit next to ship wording and without
    owner/operator wording (a shipowner's remark quotes its ships' numbers or its own company
    number). Anything less leaves it an organization, with the remark kept as text.
    """
    if any(
        i.type is IdentifierType.IMO and "company" not in (i.label or "").lower()
        for i in identifiers
    ):
        return Schema.VESSEL, []
    found: list[Identifier] = []
    for text in texts:
        if not _VESSEL_WORDS.search(text) or _COMPANY_WORDS.search(text):
            continue
        found.extend(
            Identifier(
                type=IdentifierType.IMO,
                value=mention.number,
                label="IMO number",
                note="taken from the remark",
            )
            for mention in imo_mentions(text)
            if mention.ship_check_digit_ok
        )
    if found:
        return Schema.VESSEL, dedupe_identifiers(found)
    return Schema.ORGANIZATION, []


def identification_type(code: str, label: str) -> IdentifierType:
    """The type of an identity document from the EU's type code, else from its description.

    The code "other" is final: its description "Other identification number" would otherwise
    read as a national identity number.
    """
    code = clean(code)
    if code.lower() == "other":
        return IdentifierType.OTHER
    identifier_type = classify_identifier(code) if code else IdentifierType.OTHER
    if identifier_type is IdentifierType.OTHER:
        identifier_type = classify_identifier(label)
    return identifier_type


def identifier_value(identifier_type: IdentifierType, number: str) -> str:
    """IMO numbers reduced to their 7 digits ("IMO 9562233" -> "9562233"), others as written."""
    if identifier_type is IdentifierType.IMO:
        return normalize_imo(number) or number
    return number
