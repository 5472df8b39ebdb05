"""Dates and places of birth of a UN record, including those given on its aliases.

EXACT with DATE -> day; EXACT or APPROXIMATELY with YEAR -> year (circa when APPROXIMATELY);
BETWEEN FROM_YEAR/TO_YEAR -> range (circa when its NOTE says "Approximately"); a NOTE that is
itself a date ("Nov. 1973", or "Sep." next to YEAR 1958) is read as one; any other NOTE
("24/06/1402 (Hijri Calendar)", "30-35 years old") goes to remarks. Alias dates and places of
birth are added to the entity's birth dates and places.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree

from lists.base import ReadReport
from lists.draft import EntityDraft
from lists.model import DatePrecision, PartialDate
from lists.values.dates import parse_partial_date
from lists.xml import text_of

# 2018 files write xs:date with a zone ("1960-01-01-05:00"); the zone says nothing about the day.
ISO_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})")
_APPROXIMATELY = re.compile(r"^(?:approximately|approx\.?|circa|about)$", re.I)


def read_birth_date(birth: etree._Element, draft: EntityDraft, report: ReadReport) -> None:
    """An INDIVIDUAL_DATE_OF_BIRTH as a date, its unread parts as a remark."""
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
        report.warn_once(
            f"dob:{raw}", f"unreadable date of birth {raw!r} (line {birth.sourceline})"
        )
        note = f"{raw}; {note}" if note else raw
    if date is not None:
        draft.add_birth_date(date)
    if note:
        written = f" {date.text}" if date is not None and date.text else ""
        qualifier = f" ({kind.lower()})" if kind and date is None else ""
        draft.remarks.append(f"Date of birth{written}{qualifier}: {note}")


def read_birth_place(place: etree._Element, draft: EntityDraft) -> None:
    parts = [text_of(place, tag) for tag in ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY")]
    text = _join_unique(parts)
    note = text_of(place, "NOTE")
    if note:
        text = f"{text} ({note})" if text else note
    if text:
        draft.add_birth_place(text)


def read_alias_birth(alias: etree._Element, draft: EntityDraft) -> None:
    """The date and place of birth an INDIVIDUAL_ALIAS gives, added to the entity's."""
    if not text_of(alias, "ALIAS_NAME"):
        return
    born = text_of(alias, "DATE_OF_BIRTH")
    if born:
        date = _day(born, False) if ISO_DAY.match(born) else parse_partial_date(born)
        if date is not None:
            draft.add_birth_date(date)
        else:
            draft.remarks.append(f"Alias date of birth: {born}")
    place = _join_unique([text_of(alias, "CITY_OF_BIRTH"), text_of(alias, "COUNTRY_OF_BIRTH")])
    if place:
        draft.add_birth_place(place)


def _year_range(first: str, last: str, circa: bool) -> PartialDate | None:
    # isascii: str.isdigit also accepts "²" and other digits that int() refuses.
    if not (first.isascii() and first.isdigit() and last.isascii() and last.isdigit()):
        return None
    start, end = sorted((int(first), int(last)))
    return PartialDate(
        precision=DatePrecision.RANGE, year=start, year_to=end, circa=circa, text=f"{first}-{last}"
    )


def _day(text: str, circa: bool) -> PartialDate | None:
    match = ISO_DAY.match(text)
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


def _join_unique(parts: Iterable[str | None]) -> str:
    kept: list[str] = []
    for part in parts:
        if part and part not in kept:
            kept.append(part)
    return ", ".join(kept)
