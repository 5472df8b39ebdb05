"""The CSL's multi-value cells, split as the file writes them (measured on the 2023-11 excerpt).

trade.gov flattens each list entry of its JSON into one CSV row, joining the values of a
repeated field with "; " and the parts of one structured value with ", ":

* ``addresses``: "<street>, <city>, <state>, <postal code>, <country>" per address, empty parts
  left out; the last part is the ISO 3166-1 alpha-2 country the CSL assigned (5,858 of the
  6,219 "; "-separated addresses). US addresses on the Denied Persons List end in the ZIP code
  (289, and 9 on the Entity List) and carry no country; 63 end in text, a country name ("Hong
  Kong", "China", "UAE") as often as a city or "undetermined". BIS sometimes writes two
  addresses into one, separated by "; " too, so the earlier one ends in a country name or in
  nothing ("P.O. Box 155904, Dubai, UAE; Unit M3&4 ..., AE").
* ``ids``: "<type>, <number>, <country>, <issue date>, <expiry date>" per document, empty parts
  left out; for the Treasury lists this is OFAC's ID list, with OFAC's type names (including
  features such as "Gender, Male" and "Secondary sanctions risk:, ..."). A value may itself
  contain ", " ("Issuer Name, China Telecom Co., Ltd"), so only a trailing two-letter country
  code and trailing dates are split off, and only for identifier types.
* ``alt_names``, ``programs``, ``dates_of_birth``, ``places_of_birth``, ``nationalities``,
  ``citizenships``: "; "-separated. The State Department's Nonproliferation Sanctions (ISN) are
  the exception: their alias cell is one comma-separated text ("NCG, Namchongang Trading, Nam
  Chon Gang Corporation"; none of the 54 contains ";"), see `split_isn_aliases`.
"""

from __future__ import annotations

import re

from lists.model import Address, Name, NameKind
from lists.ofac.names import person_name_from_csv, plain_name
from lists.values.countries import to_iso2

_LIST_SEPARATOR = re.compile(r"\s*;\s*")
_AND_PREFIX = re.compile(r"^and\s+", re.I)
_FORMER_PREFIX = re.compile(r"^f\.k\.a\.\s+", re.I)
_ISO2 = re.compile(r"^[A-Z]{2}$")
_LINKED_OPEN = "(Linked To:"
_LINKED_PREFIX = re.compile(r"^Linked To:\s*")
# The issue and expiry dates OFAC gives a document: "18 Jan 1984", "May 2006", "1968".
_DOCUMENT_DATE = re.compile(r"^(?:(?:\d{1,2} )?[A-Z][a-z]{2} )?\d{4}$|^\d{4}-\d{2}-\d{2}$")
# The cp1252 characters that some CSL cells carry as C1 control characters (U+0080-U+009F):
# the publisher decoded Windows-1252 bytes as Latin-1 ("Xi\x92an" for "Xi’an").
_C1 = re.compile("[\x80-\x9f]")
_C1_REPAIR = {
    code: bytes([code]).decode("cp1252")
    for code in range(0x80, 0xA0)
    if code not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}


def split_list(text: str) -> list[str]:
    """The values of a "; "-joined cell, whitespace-trimmed, empty ones left out."""
    return [part for part in _LIST_SEPARATOR.split(text.strip()) if part]


def repair_c1(text: str) -> str:
    """``text`` with C1 control characters read as the cp1252 characters they were."""
    return text.translate(_C1_REPAIR)


def has_c1(text: str) -> bool:
    return _C1.search(text) is not None


def read_address(text: str) -> Address | None:
    """One address; its country from the trailing ISO code or, failing that, a country name."""
    parts = [" ".join(part.split()) for part in text.split(",")]
    parts = [part for part in parts if part]
    if not parts:
        return None
    last = parts[-1]
    if _ISO2.match(last) and to_iso2(last) is not None:
        lines = [", ".join(parts[:-1])] if len(parts) > 1 else []
        return Address(lines=lines, country=to_iso2(last), country_text=last)
    # A trailing country name ("Dubai, UAE") is kept in the text and read as the country; a
    # ZIP code or a city leaves the country unknown (the Denied Persons List's US addresses).
    return Address(lines=[", ".join(parts)], country=to_iso2(last))


def split_document(text: str) -> tuple[str, str, str | None, list[str]]:
    """(type, number, country code or None, [issue date, expiry date]) of one ``ids`` value.

    Only the trailing parts are split off, and only when they are what the CSL puts there: a
    two-letter country code, then up to two dates. The rest, commas and all, is the number.
    """
    label, _, rest = text.partition(",")
    parts = [part.strip() for part in rest.split(",")]
    dates: list[str] = []
    while len(parts) > 1 and len(dates) < 2 and _DOCUMENT_DATE.match(parts[-1]):
        dates.insert(0, parts.pop())
    country = None
    if len(parts) > 1 and _ISO2.match(parts[-1]) and to_iso2(parts[-1]) is not None:
        country = parts.pop()
    return label.strip(), ", ".join(parts).strip(), country, dates


def document_note(dates: list[str]) -> str | None:
    """How the dates of a document are kept: the CSV drops empty parts, so one date alone may
    be either the issue or the expiry date, and the note says so rather than guess."""
    if len(dates) == 2:
        return f"issued {dates[0]}; expires {dates[1]}"
    if dates:
        return f"dated {dates[0]} (issue or expiry date: the CSV does not say which)"
    return None


def name_of(text: str, kind: NameKind, *, person: bool) -> Name | None:
    """A name; an individual's "LAST, First" (OFAC's SDN form) is split into its parts."""
    if person and "," in text:
        return person_name_from_csv(text, kind)
    return plain_name(text, kind)


def split_aliases(text: str) -> list[tuple[str, NameKind]]:
    """The aliases of a "; "-joined ``alt_names`` cell; BIS ends some lists with "; and ..."."""
    return [_alias(part) for part in split_list(text) if _alias(part)[0]]


def split_isn_aliases(text: str) -> list[tuple[str, NameKind]]:
    """The aliases of a Nonproliferation Sanctions row, one comma-separated text.

    Two parts of which the first is one upper-case word ("CIRE, Kursat Zafer", "ZAMAN, Haydar")
    are one name written SURNAME, Given names, as OFAC writes them; "GBAE, General Department
    of Atomic Energy" (a second part of more than three words) is two aliases. Anything else is
    split at every comma ("Iran Saffron Company or Iransaffron Co" stays one alias).
    """
    if ";" in text:
        return split_aliases(text)
    parts = [" ".join(part.split()) for part in text.split(",")]
    parts = [part for part in parts if part]
    if len(parts) == 2 and _is_surname(parts[0]) and len(parts[1].split()) <= 3:
        return [(", ".join(parts), NameKind.ALIAS)]
    return [alias for alias in map(_alias, parts) if alias[0]]


def _is_surname(text: str) -> bool:
    return " " not in text and text.isupper() and len(text) > 1


def _alias(text: str) -> tuple[str, NameKind]:
    text = _AND_PREFIX.sub("", text.strip())
    if _FORMER_PREFIX.match(text):
        return _FORMER_PREFIX.sub("", text), NameKind.FORMER
    return text, NameKind.ALIAS


def split_linked(text: str) -> tuple[str | None, list[str]]:
    """(the rest of a Treasury ``remarks`` cell, the parties it says the entry is linked to).

    OFAC's links are written "(Linked To: HAMAS)" or "(Linked To: A; Linked To: B)", and a
    party's name may hold brackets ("(Linked To: ISLAMIC REVOLUTIONARY GUARD CORPS
    (IRGC)-QODS FORCE)"), so the group runs to its matching bracket. An unbalanced group is
    left in the remark.
    """
    parties: list[str] = []
    rest = text
    start = rest.find(_LINKED_OPEN)
    while start != -1:
        end = _closing_bracket(rest, start)
        if end is None:
            break
        for part in _LIST_SEPARATOR.split(rest[start + 1 : end]):
            party = _LINKED_PREFIX.sub("", part).strip()
            if party:
                parties.append(party)
        rest = rest[:start] + rest[end + 1 :]
        start = rest.find(_LINKED_OPEN)
    rest = " ".join(rest.split()).strip(" ;")
    return rest or None, parties


def _closing_bracket(text: str, start: int) -> int | None:
    depth = 0
    for index in range(start, len(text)):
        if text[index] == "(":
            depth += 1
        elif text[index] == ")":
            depth -= 1
            if depth == 0:
                return index
    return None
