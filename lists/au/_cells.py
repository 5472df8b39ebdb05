"""DFAT cell values to model values: several values in one cell, dates, countries, passports.

DFAT letters multiple values inside one cell ("a) 27/08/1963; b) 1962", "a) Germany b) Algeria")
and writes the listing history as prose ("Listed on: 3 Mar. 2009 (amended on 13 Oct. 2016)").
These helpers take such text apart without guessing beyond what it says; a value that cannot be
read completely is kept as text by the caller.
"""

from __future__ import annotations

import datetime as dt
import re

from lists import xlsx
from lists.model import Address, DatePrecision, PartialDate
from lists.values.countries import to_iso2
from lists.values.dates import day_date, parse_partial_date

# DFAT writes these for "nothing known"; "NA" must never become Namibia.
_NOTHING = frozenset({"", "na", "n/a", "-", "none", "unknown"})

# "a) ", "(b) ", "1) " at the start of the text or after a space or punctuation.
_LIST_MARKER = re.compile(r"(?:^|(?<=[\s.,;:]))\(?(?:[1-9]|[a-z])\)\s*")
_DATE_SEPARATORS = re.compile(r"\s*(?:;|,|\bor\b)\s*")
_COUNTRY_SEPARATORS = re.compile(r"\s*(?:;|,|/|\band\b)\s*")
_ADDRESS_SEPARATORS = re.compile(r"\s*;\s*")


def text(value: object) -> str:
    """A cell as text, every run of whitespace (line breaks, no-break spaces) one space."""
    return " ".join(xlsx.cell_text(value).split())


def known(value: object) -> str:
    """A fact cell as text; empty when DFAT writes "NA" or the like for "not known"."""
    written = text(value)
    return "" if written.lower() in _NOTHING else written


def split_lettered(written: str) -> list[str]:
    """The items of "a) x b) y"; the whole text when it is not lettered."""
    items = [item.strip(" .,;") for item in _LIST_MARKER.split(written)]
    return [item for item in items if item]


def birth_dates(value: object) -> tuple[list[PartialDate], bool]:
    """The dates a Date of Birth cell states, and whether every piece of it was read.

    Excel dates and bare years come as cell values; text may letter several dates and join
    them with ";", "," or "or" ("1937 or 1938"). "Approximately 1955- 1958" is one range.
    """
    if isinstance(value, dt.datetime | dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        return [day_date(day)], True
    if isinstance(value, int | float) and not isinstance(value, bool):
        date = parse_partial_date(xlsx.cell_text(value))
        return ([date], True) if date else ([], False)
    dates: list[PartialDate] = []
    complete = True
    for item in split_lettered(known(value)):
        for piece in _DATE_SEPARATORS.split(item):
            if not piece.strip():
                continue
            date = parse_partial_date(piece)
            if date is None:
                complete = False
            else:
                dates.append(date)
    return dates, complete


def countries(written: str) -> tuple[list[str], bool]:
    """ISO codes of the countries a Citizenship cell names, and whether all pieces were read.

    "Iranian", "a) Germany b) Algeria", "Russian; Bulgarian" and "Ukrainian and Uzbekistani"
    all read completely; "Saudi Arabian (this aka only, alt Citizenship Yemeni)" does not.
    """
    codes: list[str] = []
    complete = True
    for item in split_lettered(written):
        code = to_iso2(item)
        found = [code] if code else [to_iso2(piece) for piece in _COUNTRY_SEPARATORS.split(item)]
        if not all(found):
            complete = False
        for each in found:
            if each and each not in codes:
                codes.append(each)
    return codes, complete


def addresses(written: str) -> list[Address]:
    """One address per lettered or ";"-separated item; the country from its last part."""
    found: list[Address] = []
    for item in split_lettered(written):
        for part in _ADDRESS_SEPARATORS.split(item):
            part = part.strip(" .,")
            if not part or part.lower() in _NOTHING:
                continue
            last = re.sub(r"\s*\(.*$", "", part.rsplit(",", 1)[-1]).strip(" .")
            code = to_iso2(last)
            found.append(Address(lines=[part], country=code, country_text=last if code else None))
    return found


# "Passport no.: 563410081", "Passport: 403062567 (US)", "diplomatic passport no. D00000897,"
# "passport number 720134834": one number straight after the word. "passport no. OB 0243318"
# and "Russian passport number 8208 No. 555627" are not clean and stay in the remark only.
_PASSPORT = re.compile(
    r"(?i:\bpassport(?:\s+(?:no|number))?\.?\s*:?)\s*([A-Z]{0,2}\d{6,12})(?=$|[\s.,;)])"
)


def passport_numbers(written: str) -> list[str]:
    return list(dict.fromkeys(_PASSPORT.findall(written)))


# The first date DFAT says the entry was listed or designated on: "Listed on: 3 Mar. 2009",
# "Listed by UN 1267 Committee on 25 January 2001", "Designated under the Autonomous Sanctions
# Regulations 2011 on 2 March 2012", "The Minister ... listed this individual on 16 August 2018"
# ("on" is sometimes missing: "Listed by UN 1267 Committee 8 Mar. 2001").
# "relisted", "re-listed" and "Last listed on" are later listings, not the first.
_DATE_TEXT = r"\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{4}|\d{1,2}/\d{1,2}/\d{4}"
_LISTED_ON = re.compile(
    rf"(?<![-\w])(?<!last )(?:listed|designated)\b[^.;(]*?(?:\bon:?)?\s+({_DATE_TEXT})", re.I
)
_INSTRUMENT_YEAR = re.compile(r"\bInstrument (\d{4})\b")


def stated_listing_date(written: str) -> dt.date | None:
    """The listing date the Listing Information states in words, if it states one to the day."""
    match = _LISTED_ON.search(written)
    if match is None:
        return None
    date = parse_partial_date(match.group(1))
    return date.as_date() if date and date.precision is DatePrecision.DAY else None


def instrument_years(written: str) -> set[int]:
    """Years of the designation instruments named ("... Amendment (No. 3) Instrument 2024")."""
    return {int(year) for year in _INSTRUMENT_YEAR.findall(written)}


# "1970 (Libya) 1973 (Libya)": two regimes in one Committees cell.
_REGIME_START = re.compile(r"(?<=\))\s+(?=\d{3,4} \()")


def regimes(written: str) -> list[str]:
    return [regime for regime in _REGIME_START.split(written) if regime]
