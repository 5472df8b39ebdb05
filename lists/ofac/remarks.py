"""The legacy CSV Remarks column (and sdnList XML <remarks>) into structured facts.

OFAC renders every feature and ID document of an entry into one Remarks string, each as
"<type> <value>" and separated by "; ", with "alt. " before the second and later values of a
type and a full stop at the end:

    DOB 10 Dec 1948; alt. DOB 1950; POB Cairo, Egypt; nationality Egypt; Gender Male;
    Passport 1084010 (Egypt) issued 1990; a.k.a. 'ABU ALI'; Linked To: HIZBALLAH.

These functions are pure: text in, `Facts` out. Dates, places, countries, gender, typed
identifiers (`lists.ofac.facts.LABELS`), weak aliases and "Linked To" parties become structured
data; every other part (directive determinations, secondary sanctions risk, listing dates,
titles, free text) is kept as a remark in OFAC's words, less the "alt. " marker and the final
full stop. Nothing is dropped.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator

from lists.model import DatePrecision, NameKind, PartialDate, Schema
from lists.ofac.facts import Facts, add_labelled, identifier_labels
from lists.ofac.names import person_name_from_csv, plain_name
from lists.values.dates import parse_partial_date

_PART_SEPARATOR = re.compile(r";\s+")
_ALT_PREFIX = re.compile(r"^alt\.\s+", re.I)
# The first words of the parts matched by the patterns below (a quick test before them).
_PERSON_AND_LINK_WORDS = (
    "DOB",
    "POB",
    "nationality",
    "citizen",
    "Gender",
    "a.k.a.",
    "f.k.a.",
    "n.k.a.",
    "Linked To",
    "(Linked To",
)
_DOB = re.compile(r"^DOB\s+(?P<value>.+)$")
_POB = re.compile(r"^POB:?\s+(?P<value>.+)$")
_NATIONALITY = re.compile(r"^nationality:?\s+(?P<value>.+)$")
_CITIZEN = re.compile(r"^citizen:?\s+(?P<value>.+)$")
_GENDER = re.compile(r"^Gender\s+(?P<value>Male|Female)\.?$", re.I)
# a.k.a. 'ABU-'UMAR' : the name runs from the first quote to the last one.
_ALIAS = re.compile(r"^[afn]\.k\.a\.\s+'(?P<name>.+)'\.?$")
_LINKED_TO = re.compile(r"^Linked To:\s*(?P<name>.+)$")
# sdnList XML <remarks> writes the same link in brackets: "(Linked To: ROSTEC)".
_LINKED_TO_BRACKETED = re.compile(r"^\(Linked To:\s*(?P<name>.+)\)\.?$")
_ID_TAIL_DATES = re.compile(
    r"\s+(?P<which>issued|expires)\s+(?P<date>(?:\d{1,2}\s+)?(?:[A-Z][a-z]{2}\s+)?\d{4})\.?$"
)
# "01 Jan 1961 to 31 Dec 1962", "Mar 1962 to Feb 1963": a span OFAC gives to the day or month.
_DATE_SPAN = re.compile(r"^(?P<start>.+?\d{4})\s+to\s+(?P<end>.+?\d{4})$")
# Company suffixes whose final full stop belongs to the name, not to the sentence.
_ABBREVIATION_END = re.compile(r"(?:\b[A-Za-z]\.[A-Za-z]\.|\b(?:LTD|INC|CORP|CO|LTDA|JR|SR)\.)$")


def _labels_by_first_word() -> dict[str, list[str]]:
    # Labels grouped by their first word, longest first, so a part is compared with the few
    # labels that can start it rather than with all of them.
    grouped: dict[str, list[str]] = {}
    for label in identifier_labels():
        grouped.setdefault(label.split(" ", 1)[0], []).append(label)
    return grouped


_LABELS_BY_FIRST_WORD = _labels_by_first_word()


def split_parts(remarks: str) -> list[str]:
    """The facts of a Remarks string in order, without the "alt. " that only says "another"."""
    parts = (_ALT_PREFIX.sub("", part.strip()) for part in _PART_SEPARATOR.split(remarks))
    return [part for part in parts if part]


def parse_remarks(remarks: str | None, schema: Schema, *, truncated: bool = False) -> Facts:
    """Structured facts from a Remarks string.

    `truncated` says the legacy CSV cut the field at 1000 characters and no sdn_comments.csv
    continuation completed it: the last part is then incomplete and is kept as a remark only,
    so that half an identifier or half an alias never becomes data.
    """
    facts = Facts()
    if not remarks:
        return facts
    parts = split_parts(remarks)
    for index, part in enumerate(parts):
        if index < len(parts) - 1:
            parse_part(facts, part, schema)
        elif truncated:
            facts.remarks.append(part)
        else:
            # OFAC ends the whole Remarks with a full stop; it belongs to no value.
            parse_part(facts, _strip_sentence_end(part), schema)
    return facts


def parse_part(facts: Facts, text: str, schema: Schema) -> None:
    """Record one Remarks part (one fact, "alt. " removed) on `facts`."""
    if not text.startswith(_PERSON_AND_LINK_WORDS):
        _add_labelled_or_remark(facts, text, schema)
    elif match := _DOB.match(text):
        date = parse_ofac_date(match["value"])
        if date is None:
            facts.remarks.append(text)
        else:
            facts.birth_dates.append(date)
    elif match := _POB.match(text):
        facts.birth_places.append(_strip_full_stop(match["value"]))
    elif match := _NATIONALITY.match(text):
        facts.add_country_text(facts.nationalities, match["value"], text)
    elif match := _CITIZEN.match(text):
        facts.add_country_text(facts.citizenships, match["value"], text)
    elif match := _GENDER.match(text):
        facts.gender = match["value"].lower()
    elif match := _ALIAS.match(text):
        _add_alias(facts, match["name"], schema, text)
    elif (match := _LINKED_TO_BRACKETED.match(text)) or (match := _LINKED_TO.match(text)):
        facts.related.append(match["name"].strip())
    else:
        _add_labelled_or_remark(facts, text, schema)


def _add_labelled_or_remark(facts: Facts, text: str, schema: Schema) -> None:
    labelled = split_label(text)
    if labelled is None:
        facts.remarks.append(text)
    else:
        _add_labelled_part(facts, labelled[0], labelled[1], schema, text)


def split_label(text: str) -> tuple[str, str] | None:
    """(OFAC type name, rest) when `text` starts with a known type name, the longest first.

    Case matters: OFAC writes its type names with fixed capitals, and free text such as
    "passport place of issue: ..." must not become a passport number.
    """
    first_word = text.split(" ", 1)[0].rstrip(":")
    for label in _LABELS_BY_FIRST_WORD.get(first_word, ()):
        if not text.startswith(label):
            continue
        rest = text[len(label) :]
        if rest and not rest[0].isspace() and rest[0] != ":":
            continue  # "Passport" must not match "Passports ..."
        return text[: len(label)], rest.lstrip(" :")
    if match := re.match(r"^(Digital Currency Address - [A-Za-z0-9]+)\s+(\S.*)$", text):
        return match[1], match[2]
    return None


def _add_labelled_part(facts: Facts, label: str, value: str, schema: Schema, text: str) -> None:
    value, notes = _split_id_dates(_strip_full_stop(value))
    note = "; ".join(notes) or None
    # A fact is kept without "alt. ": alone it only means "another value of this type".
    add_labelled(facts, label, value, schema, note=note, as_written=text)


def _split_id_dates(value: str) -> tuple[str, list[str]]:
    """Remove the trailing "issued 1990" / "expires 04 Jul 2017" of an ID document."""
    notes: list[str] = []
    while match := _ID_TAIL_DATES.search(value):
        notes.insert(0, f"{match['which']} {match['date']}")
        value = value[: match.start()]
    return value, notes


def _add_alias(facts: Facts, alias: str, schema: Schema, text: str) -> None:
    # OFAC lists only its weak aliases in Remarks (strong ones are in alt.csv), whatever their
    # a.k.a./f.k.a./n.k.a. type: weakness is what a screener must know, so all are WEAK_ALIAS.
    kind = NameKind.WEAK_ALIAS
    name = person_name_from_csv(alias, kind) if schema is Schema.PERSON else plain_name(alias, kind)
    if name is None:
        facts.remarks.append(text)
    else:
        facts.names.append(name)


def parse_ofac_date(text: str) -> PartialDate | None:
    """A date as OFAC writes it: "10 Dec 1948", "Feb 1955", "circa 1951", "1960 to 1962",
    and spans to the day ("01 Jan 1961 to 31 Dec 1962"), which keep their year range."""
    raw = " ".join(text.split()).strip(" .")
    date = parse_partial_date(raw)
    if date is not None:
        return date
    circa = raw.lower().startswith("circa ")
    body = raw[6:] if circa else raw
    match = _DATE_SPAN.match(body)
    if match is None:
        return None
    start = parse_partial_date(match["start"])
    end = parse_partial_date(match["end"])
    if start is None or end is None or start.year is None or end.year is None:
        return None
    return _span(start, end, circa, raw)


def _span(start: PartialDate, end: PartialDate, circa: bool, raw: str) -> PartialDate:
    assert start.year is not None and end.year is not None
    whole_years = (start.month in (None, 1) and start.day in (None, 1)) and (
        end.month in (None, 12) and end.day in (None, 31)
    )
    if whole_years and start.year == end.year:
        return PartialDate(precision=DatePrecision.YEAR, year=start.year, circa=circa, text=raw)
    if (
        start.year == end.year
        and start.month is not None
        and start.month == end.month
        and start.day in (None, 1)
        and end.day in (None, calendar.monthrange(end.year, start.month)[1])
    ):
        return PartialDate(
            precision=DatePrecision.MONTH,
            year=start.year,
            month=start.month,
            circa=circa,
            text=raw,
        )
    low, high = sorted((start.year, end.year))
    return PartialDate(precision=DatePrecision.RANGE, year=low, year_to=high, circa=circa, text=raw)


def _strip_full_stop(value: str) -> str:
    value = value.strip()
    return value[:-1].rstrip() if value.endswith(".") else value


def _strip_sentence_end(name: str) -> str:
    """The final full stop of a Remarks string, unless it ends an abbreviation ("S.A.")."""
    name = name.strip()
    if name.endswith(".") and not _ABBREVIATION_END.search(name):
        return name[:-1].rstrip()
    return name


def iter_programs(text: str | None) -> Iterator[str]:
    """The programmes of the legacy Program column: "RUSSIA-EO14024] [UKRAINE-EO13662"."""
    if not text:
        return
    for program in re.split(r"\]\s*\[", text):
        program = program.strip(" []")
        if program and program != "-0-":
            yield program
