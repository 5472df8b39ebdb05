"""Names as OFAC writes them, into `Name` objects shared by the three OFAC formats.

The legacy CSV writes an individual as "LAST, First" and sdnList XML splits the same name into
lastName and firstName; both become ``Name(full="First LAST", first="First", last="LAST")`` so
that one person read from either format carries the same names.
"""

from __future__ import annotations

from lists.model import Name, NameKind
from lists.values.scripts import detect_script


def person_name(first: str | None, last: str | None, kind: NameKind) -> Name | None:
    """A person's name from its parts, written "First LAST" as OFAC's own web search shows it."""
    first = _clean(first)
    last = _clean(last)
    full = " ".join(part for part in (first, last) if part)
    if not full:
        return None
    return Name(full=full, kind=kind, first=first, last=last, script=detect_script(full))


def person_name_from_csv(text: str, kind: NameKind) -> Name | None:
    """A person's name written "LAST, First" (the legacy CSV form) split at the first comma.

    The first comma is the one OFAC puts between lastName and firstName: suffixes such as
    "Jr." are part of the first name in sdnList XML ("DELOS REYES, Feliciano Semborio, Jr.").
    A name without a comma is all last name, as sdnList XML has it.
    """
    last, comma, first = text.partition(",")
    if not comma:
        return person_name(None, text, kind)
    return person_name(first, last, kind)


def plain_name(text: str | None, kind: NameKind) -> Name | None:
    """An organisation, vessel or aircraft name, or a name OFAC does not split into parts."""
    full = _clean(text)
    if not full:
        return None
    return Name(full=full, kind=kind, script=detect_script(full))


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    collapsed = " ".join(value.split())
    return collapsed or None
