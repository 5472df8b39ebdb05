"""Dates as the lists write them, into `PartialDate` with an honest precision.

Authorities often know a birth date only to the year, write "circa 1960" or a span of years,
or mask unknown parts ("00/00/1980", "dd/mm/1968"). A partial date must never be widened into a
full one, or a screener would treat a guess as a fact.
"""

from __future__ import annotations

import datetime as dt
import re

from lists.model import DatePrecision, PartialDate

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}

_CIRCA = re.compile(r"^(?:circa|approximately|approx\.?|about|c\.|ca\.?)\s*", re.I)
_RANGE = re.compile(r"^(?:between\s+)?(\d{4})\s*(?:to|and|-|–)\s*(\d{4})$", re.I)
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
# Day and month may be masked: 00/00/1980, dd/mm/1968, dd/09/1958.
_DMY = re.compile(r"^(\d{1,2}|dd|00|0)[/.](\d{1,2}|mm|00|0)[/.](\d{4})$", re.I)
_DAY_MON_YEAR = re.compile(r"^(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{4})$")
_MON_YEAR = re.compile(r"^([A-Za-z]{3,9})\.?\s+(\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")


def parse_partial_date(text: str | None) -> PartialDate | None:
    """Read one date in any of the forms the four lists use; None when it is not a date."""
    if text is None:
        return None
    raw = " ".join(text.split()).strip(" .;,")
    if not raw:
        return None
    circa = False
    value = raw
    if _CIRCA.match(value):
        circa = True
        value = _CIRCA.sub("", value)
    date = _parse(value, circa, raw)
    return date


def _parse(value: str, circa: bool, raw: str) -> PartialDate | None:
    if m := _RANGE.match(value):
        start, end = int(m.group(1)), int(m.group(2))
        if start > end:
            start, end = end, start
        return PartialDate(
            precision=DatePrecision.RANGE, year=start, year_to=end, circa=circa, text=raw
        )
    if m := _ISO.match(value):
        return _ymd(int(m.group(1)), int(m.group(2)), int(m.group(3)), circa, raw)
    if m := _ISO_MONTH.match(value):
        return _ymd(int(m.group(1)), int(m.group(2)), 0, circa, raw)
    if m := _DMY.match(value):
        day = int(m.group(1)) if m.group(1).isdigit() else 0
        month = int(m.group(2)) if m.group(2).isdigit() else 0
        return _ymd(int(m.group(3)), month, day, circa, raw)
    if m := _DAY_MON_YEAR.match(value):
        day_month = _MONTHS.get(m.group(2).lower())
        if day_month is None:
            return None
        return _ymd(int(m.group(3)), day_month, int(m.group(1)), circa, raw)
    if m := _MON_YEAR.match(value):
        only_month = _MONTHS.get(m.group(1).lower())
        if only_month is None:
            return None
        return _ymd(int(m.group(2)), only_month, 0, circa, raw)
    if m := _YEAR.match(value):
        return _ymd(int(m.group(1)), 0, 0, circa, raw)
    return None


def _ymd(year: int, month: int, day: int, circa: bool, raw: str) -> PartialDate | None:
    if not 1000 <= year <= 2999:
        return None
    if month and not 1 <= month <= 12:
        return None
    if month and day:
        try:
            day_in_calendar = dt.date(year, month, day)
        except ValueError:
            return None
        return day_date(day_in_calendar, circa=circa, text=raw)
    if month:
        return PartialDate(
            precision=DatePrecision.MONTH, year=year, month=month, circa=circa, text=raw
        )
    return PartialDate(precision=DatePrecision.YEAR, year=year, circa=circa, text=raw)


def day_date(day: dt.date, *, circa: bool = False, text: str | None = None) -> PartialDate:
    """A full calendar date as a `PartialDate` of day precision."""
    return PartialDate(
        precision=DatePrecision.DAY,
        year=day.year,
        month=day.month,
        day=day.day,
        circa=circa,
        text=text,
    )


def parse_day(text: str | None, *formats: str) -> dt.date | None:
    """A full calendar date (listing dates, publication dates) in one of the given formats."""
    if not text:
        return None
    value = text.strip()
    for fmt in formats or ("%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d %b %Y", "%d %B %Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None
