"""OFSI Consolidated List rows to entities, for the 2022 and the pre-2022 column layouts.

The list has one row per name variant; a designation is the set of rows sharing a Group ID.
Each row repeats the designation's facts, and rows that differ by date of birth, address or
regime multiply (a group can have hundreds of rows). The file is sorted by name, so a group's
rows are scattered over the whole file (3,818 of the 4,688 groups of the 14/04/2025 list are not
contiguous) and no group is complete before the last row is read.

Memory: the reader therefore keeps every group until the end of the file, but only its distinct
values (each name, address, regime, date of birth and cell text once), not its rows: the
repeated statements of reasons, which are most of the file, are held once per group. For the
15 MB CSV of 14/04/2025 this is about 26 MB of Python objects (measured with tracemalloc), in the
order of the entities the caller receives anyway. A side effect is that no entity is handed out
before the whole file has been read and checked, so a damaged file yields nothing.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lists.base import ReadReport
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
from lists.uk._draft import UkDraft, make_address
from lists.uk._text import (
    UN_REFERENCE_TOKEN,
    clean,
    script_code,
    split_numbered,
    un_references,
)
from lists.values.dates import parse_day
from lists.values.identifiers import normalize_imo
from lists.values.languages import language_code
from lists.values.scripts import detect_script

GROUP_ID = "Group ID"
GROUP_TYPE = "Group Type"
LAST_UPDATED = "Last Updated"
REQUIRED_COLUMNS = (GROUP_ID, GROUP_TYPE, "Name 6", "Alias Type", "Regime")

_GIVEN_NAMES = ("Name 1", "Name 2", "Name 3", "Name 4", "Name 5")
_NAME_FACET = (
    *_GIVEN_NAMES,
    "Name 6",
    "Alias Type",
    "Alias Quality",
    "Name Non-Latin Script",
    "Non-Latin Script Type",
    "Non-Latin Script Language",
)
_ADDRESS_FACET = (
    "Address 1",
    "Address 2",
    "Address 3",
    "Address 4",
    "Address 5",
    "Address 6",
    "Post/Zip Code",
    "Country",
)
_REGIME_FACET = ("Regime", "Listed On", "UK Sanctions List Date Designated")
_BIRTH_FACET = ("Town of Birth", "Country of Birth")
# Columns read one by one (the facets above are read per row, as tuples).
_SINGLE_COLUMNS = frozenset(
    {
        GROUP_ID,
        GROUP_TYPE,
        LAST_UPDATED,
        "DOB",
        "Title",
        "Nationality",
        "Position",
        "Other Information",
    }
)

_SCHEMAS = {"individual": Schema.PERSON, "entity": Schema.ORGANIZATION, "ship": Schema.VESSEL}
_NAME_KINDS = {
    "primary name": NameKind.PRIMARY,
    "prime alias": NameKind.PRIMARY,  # the pre-2022 wording
    # A transliteration of the primary name: a strong alias (OpenSanctions reads it the same way).
    "primary name variation": NameKind.ALIAS,
    "aka": NameKind.ALIAS,
    "fka": NameKind.FORMER,
}

# The list these entries belong to (lists.datasets).
DATASET = "uk_ofsi"


@dataclass(frozen=True)
class Layout:
    """What differs between the 2022 and the pre-2022 OFSI column layouts."""

    format_name: str
    passport_columns: tuple[str, ...]
    national_id_columns: tuple[str, ...]
    # 2022: "(UK Sanctions List Ref):RUS1831. (UN Ref):QDi.246 ..."; before: free text.
    labelled_other_information: bool

    @property
    def facets(self) -> dict[str, tuple[str, ...]]:
        return {
            "name": _NAME_FACET,
            "address": _ADDRESS_FACET,
            "regime": _REGIME_FACET,
            "birth": _BIRTH_FACET,
            "passport": self.passport_columns,
            "national_id": self.national_id_columns,
        }


LAYOUT_2022 = Layout(
    format_name="uk-ofsi-csv",
    passport_columns=("Passport Number", "Passport Details"),
    national_id_columns=("National Identification Number", "National Identification Details"),
    labelled_other_information=True,
)
LAYOUT_LEGACY = Layout(
    format_name="uk-ofsi-legacy-csv",
    passport_columns=("Passport Details",),
    national_id_columns=("NI Number",),
    labelled_other_information=False,
)


def published_in(rows: Iterable[tuple[int, list[str]]]) -> dt.date | None:
    """The date of the "Last Updated,DD/MM/YYYY" line that opens the file, if it has one."""
    first = next(iter(rows), None)
    if first is None:
        return None
    cells = first[1]
    if len(cells) > 1 and clean(cells[0]).lower() == LAST_UPDATED.lower():
        return parse_day(clean(cells[1]), "%d/%m/%Y")
    return None


def header_cells(cells: list[str]) -> list[str]:
    """Header names, trailing empty cells dropped (line 1 of some files is padded with commas)."""
    names = [clean(cell) for cell in cells]
    while names and not names[-1]:
        names.pop()
    return names


# Columns both layouts have; most of them identify an OFSI Consolidated List header.
_SIGNATURE_COLUMNS = frozenset(
    {
        *REQUIRED_COLUMNS,
        *_GIVEN_NAMES,
        "Title",
        "DOB",
        "Town of Birth",
        "Nationality",
        "Position",
        "Address 1",
        "Post/Zip Code",
        "Other Information",
        "Listed On",
    }
)


def looks_like_conlist_header(names: Iterable[str]) -> bool:
    return len(_SIGNATURE_COLUMNS.intersection(names)) >= len(_SIGNATURE_COLUMNS) - 3


@dataclass
class _Group:
    first_line: int
    facets: dict[str, dict[tuple[str, ...], int]] = field(default_factory=dict)
    values: dict[str, dict[str, None]] = field(default_factory=dict)


def read_entities(
    path: Path,
    rows: Iterable[tuple[int, list[str]]],
    layout: Layout,
    report: ReadReport,
    *,
    exact_width: bool,
    format_name: str | None = None,
) -> Iterator[Entity]:
    """Group the rows by Group ID and map each group to one entity (see the module docstring).

    `exact_width` makes a row with more or fewer cells than the header an error: in a CSV it
    means a truncated or damaged file. Workbook rows may omit trailing empty cells.
    """
    reader = _ConListReader(path, layout, report, format_name or layout.format_name)
    groups = reader.collect(iter(rows), exact_width=exact_width)
    for group_id in list(groups):
        entity = reader.entity(group_id, groups.pop(group_id))  # freed as it is handed out
        if entity is not None:
            yield entity


class _ConListReader:
    def __init__(self, path: Path, layout: Layout, report: ReadReport, format_name: str) -> None:
        self.path = path
        self.layout = layout
        self.report = report
        self.format_name = format_name
        self._warned: set[str] = set()

    # --- rows to groups -------------------------------------------------------------------

    def collect(
        self, rows: Iterator[tuple[int, list[str]]], *, exact_width: bool
    ) -> dict[str, _Group]:
        header, width = self._header(rows)
        index = {name: position for position, name in enumerate(header) if name}
        # Rows are padded to `padded` cells, so a column the layout lacks reads the empty cell
        # at `width` and every facet is a plain tuple lookup (this loop runs once per row).
        padded = max(width, len(header)) + 1
        facets = {
            facet: _tuple_getter([index.get(column, padded - 1) for column in columns])
            for facet, columns in self.layout.facets.items()
        }
        in_facets = {column for columns in self.layout.facets.values() for column in columns}
        singles = [(name, position) for name, position in index.items() if name not in in_facets]
        group_position = index[GROUP_ID]
        groups: dict[str, _Group] = {}
        for line, cells in rows:
            if not any(cell.strip() for cell in cells):
                continue  # a blank line carries nothing
            if exact_width and len(cells) != width:
                raise ListReadError(
                    self.path,
                    f"row has {len(cells)} cells but the header has {width}; "
                    "truncated or damaged file?",
                    line=line,
                )
            if len(cells) < padded:
                cells = cells + [""] * (padded - len(cells))
            group_id = cells[group_position].strip()
            if not group_id:
                raise ListReadError(self.path, "row without a Group ID", line=line)
            group = groups.get(group_id)
            if group is None:
                group = groups[group_id] = _Group(first_line=line)
            # Raw cells are compared here and cleaned when the group is mapped: cleaning every
            # cell of every row would cost a fifth of the reading time.
            for facet, getter in facets.items():
                values = getter(cells)
                if any(values):
                    group.facets.setdefault(facet, {}).setdefault(values, line)
            for name, position in singles:
                value = cells[position]
                if value:
                    group.values.setdefault(name, {})[value] = None
        if not groups:
            raise ListReadError(
                self.path, "the file has a header but no data rows; truncated download?"
            )
        return groups

    def _header(self, rows: Iterator[tuple[int, list[str]]]) -> tuple[list[str], int]:
        for line, cells in rows:
            names = header_cells(cells)
            if not names:
                continue
            if names[0].lower() == LAST_UPDATED.lower() and GROUP_ID not in names:
                continue  # the "Last Updated,DD/MM/YYYY" line above the header
            for required in REQUIRED_COLUMNS:
                if required not in names:
                    raise ListReadError(
                        self.path,
                        f"the header has no '{required}' column; not an OFSI Consolidated "
                        "List in the expected layout",
                        line=line,
                    )
            return names, len(cells)
        raise ListReadError(self.path, "no header row; empty or truncated file")

    # --- a group to an entity -------------------------------------------------------------

    def entity(self, group_id: str, group: _Group) -> Entity | None:
        schema = self._schema(group_id, group)
        draft = UkDraft()
        for facet, line in self._facet(group, "name").items():
            self._add_names(draft, dict(zip(_NAME_FACET, facet, strict=True)), schema, line)
        if not draft.names:
            self.report.warn(
                f"{self.path}:{group.first_line}: Group ID {group_id} has no name in any "
                "of its rows; the group is skipped"
            )
            return None
        for text in self._values(group, "DOB"):
            draft.read_birth_date(text)
        for town, country in self._facet(group, "birth"):
            for place in _birth_places(town, country):
                draft.add_birth_place(place)
        for text in self._values(group, "Nationality"):
            draft.read_nationality(text)
        self._add_documents(draft, group, "passport", IdentifierType.PASSPORT)
        self._add_documents(draft, group, "national_id", IdentifierType.NATIONAL_ID)
        for address in self._facet(group, "address"):
            built = make_address(list(address[:6]), address[6] or None, address[7] or None)
            if built is not None:
                draft.add_address(built)
        self._add_regimes(draft, group)
        titles = [title for text in self._values(group, "Title") for title in split_numbered(text)]
        if titles:
            draft.add_remark(f"Title: {'; '.join(dict.fromkeys(titles))}")
        for text in self._values(group, "Position"):
            draft.add_remark(f"Position: {text}")
        for text in self._values(group, "Other Information"):
            if self.layout.labelled_other_information:
                _read_labelled_information(draft, text)
            else:
                _read_free_information(draft, text)
        for text in self._values(group, LAST_UPDATED):
            draft.add_remark(f"Last Updated: {text}")
        for column in group.values:
            if column not in _SINGLE_COLUMNS:  # a column this reader does not know
                for value in self._values(group, column):
                    draft.add_remark(f"{column}: {value}")
        ref = SourceRef(format=self.format_name, file=self.path.name, record=group_id)
        return draft.build(Source.UK, group_id, schema, ref, DATASET)

    @staticmethod
    def _values(group: _Group, column: str) -> list[str]:
        cleaned = (clean(value) for value in group.values.get(column, {}))
        return list(dict.fromkeys(value for value in cleaned if value))

    @staticmethod
    def _facet(group: _Group, facet: str) -> dict[tuple[str, ...], int]:
        cleaned: dict[tuple[str, ...], int] = {}
        for values, line in group.facets.get(facet, {}).items():
            key = tuple(clean(value) for value in values)
            if any(key):
                cleaned.setdefault(key, line)
        return cleaned

    def _schema(self, group_id: str, group: _Group) -> Schema:
        group_types = self._values(group, GROUP_TYPE)
        if len(group_types) != 1:
            found = ", ".join(group_types) or "none"
            raise ListReadError(
                self.path,
                f"Group ID {group_id} needs exactly one Group Type, found: {found}",
                line=group.first_line,
                record=group_id,
            )
        schema = _SCHEMAS.get(group_types[0].lower())
        if schema is None:
            raise ListReadError(
                self.path,
                f"unknown Group Type '{group_types[0]}' (expected Individual, Entity or Ship)",
                line=group.first_line,
                record=group_id,
            )
        return schema

    def _add_names(self, draft: UkDraft, row: dict[str, str], schema: Schema, line: int) -> None:
        kind = self._name_kind(row["Alias Type"], row["Alias Quality"], line)
        given = [row[column] for column in _GIVEN_NAMES]
        last = row["Name 6"]
        full = " ".join(part for part in (*given, last) if part)
        if full:
            # Name parts mean given names and surname only for people.
            parts: dict[str, str | None] = {}
            if schema is Schema.PERSON:
                middle = " ".join(part for part in given[1:] if part)
                parts = {"first": given[0] or None, "middle": middle or None, "last": last or None}
            draft.add_name(Name(full=full, kind=kind, script=detect_script(full), **parts))
        _add_non_latin_name(draft, row, kind)

    def _name_kind(self, alias_type: str, quality: str, line: int) -> NameKind:
        kind = _NAME_KINDS.get(alias_type.lower())
        if kind is None:
            kind = NameKind.ALIAS
            if alias_type not in self._warned:
                self._warned.add(alias_type)
                self.report.warn(
                    f"{self.path}:{line}: unknown Alias Type '{alias_type}' read as an alias"
                )
        if kind is NameKind.ALIAS and quality.lower().startswith("low"):
            return NameKind.WEAK_ALIAS
        return kind

    def _add_documents(
        self, draft: UkDraft, group: _Group, facet: str, identifier_type: IdentifierType
    ) -> None:
        columns = self.layout.facets[facet]
        for values in self._facet(group, facet):
            if len(columns) == 2:
                draft.add_documents(identifier_type, columns[0], values[0], values[1])
            else:
                draft.add_documents_in_text(identifier_type, columns[0], values[0])

    def _add_regimes(self, draft: UkDraft, group: _Group) -> None:
        regimes = list(self._facet(group, "regime"))
        for regime, listed, designated in regimes:
            draft.add_program(regime)
            listed_day = parse_day(listed, "%d/%m/%Y")
            designated_day = parse_day(designated, "%d/%m/%Y")
            draft.note_listed_on(listed_day or designated_day)
            if len(regimes) > 1:
                dates = [f"listed on {listed}" if listed else "", _designated(designated)]
                draft.add_remark(f"{regime}: {', '.join(d for d in dates if d)}")
                continue
            if listed and listed_day is None:
                draft.add_remark(f"Listed On: {listed}")
            if designated:
                draft.add_remark(f"UK Sanctions List Date Designated: {designated}")


def _tuple_getter(positions: list[int]) -> Callable[[list[str]], tuple[str, ...]]:
    if len(positions) == 1:
        (position,) = positions
        return lambda cells: (cells[position],)
    return operator.itemgetter(*positions)


def _designated(designated: str) -> str:
    return f"UK Sanctions List date designated {designated}" if designated else ""


def _birth_places(town: str, country: str) -> list[str]:
    """ "(1) Kinyinya, Kigali. (2) Murama, Kigali" born in "Rwanda": one place per town."""
    towns = split_numbered(town)
    countries = split_numbered(country)
    if towns and len(countries) == len(towns):
        places = [_place(t, c) for t, c in zip(towns, countries, strict=True)]
    elif towns and len(countries) == 1:
        places = [_place(t, countries[0]) for t in towns]
    else:
        places = [_place(item, "") for item in towns + countries]
    return [place for place in places if place]


def _place(town: str, country: str) -> str:
    # "-" stands for an unknown town or country.
    return ", ".join(part for part in (town, country) if part and part != "-")


def _add_non_latin_name(draft: UkDraft, row: dict[str, str], kind: NameKind) -> None:
    text = row["Name Non-Latin Script"]
    script_type = row["Non-Latin Script Type"]
    language_name = row["Non-Latin Script Language"]
    language = language_code(language_name)
    if language is None and script_code(language_name) and language_code(script_type):
        # One row has the two swapped: type "Russian", language "Cyrillic".
        language, script_type, language_name = language_code(script_type), language_name, ""
    if not text:
        for label, value in (
            ("Non-Latin Script Type", script_type),
            ("Non-Latin Script Language", language_name),
        ):
            if value:
                draft.add_remark(f"{label}: {value}")
        return
    script = detect_script(text) or script_code(script_type)
    draft.add_name(Name(full=text, kind=kind, script=script, language=language))
    if script_type and script_code(script_type) is None:
        draft.add_remark(f"Non-Latin Script Type: {script_type} ({text})")
    if language_name and language is None:
        draft.add_remark(f"Non-Latin Script Language: {language_name} ({text})")


# --- "Other Information" -------------------------------------------------------------------


def _read_free_information(draft: UkDraft, text: str) -> None:
    """Pre-2022: free text that may state the UN reference, IMO and MMSI numbers."""
    draft.add_remark(text)
    for reference in un_references(text):
        draft.add_identifier(
            Identifier(type=IdentifierType.UN_REFERENCE, value=reference, label="UN Ref")
        )
    draft.add_vessel_numbers(text, "Other Information")


_Handler = Callable[[UkDraft, str, str], None]

# "RUS1831"; two groups of 14/04/2025 carry a UN-style "SDi.005" here instead, and a group
# listed under two regimes has two: "BEL0018 and GHR0070".
_UK_REFERENCE_TOKEN = r"[A-Za-z]{2,4}\.?\d{3,5}\b"
_UK_REFERENCE = re.compile(
    rf"^({_UK_REFERENCE_TOKEN}(?:\s*(?:and|,|&)\s*{_UK_REFERENCE_TOKEN})*)[.\s]*(.*)$", re.S
)
_SPACED_UN_REFERENCE = re.compile(r"^([A-Za-z]{2,4}\.)\s+(\d)")
_UN_REFERENCE = re.compile(rf"^({UN_REFERENCE_TOKEN})\b[.\s]*(.*)$", re.S)


def _uk_reference(draft: UkDraft, label: str, value: str) -> None:
    # The FCDO UK Sanctions List's UniqueID (e.g. RUS1831): the link between the two UK lists.
    match = _UK_REFERENCE.match(value)
    if match is None:
        draft.add_remark(f"{label}: {value}")
        return
    for reference in re.findall(_UK_REFERENCE_TOKEN, match.group(1)):
        draft.add_identifier(Identifier(type=IdentifierType.OTHER, value=reference, label=label))
    draft.add_remark(match.group(2).strip())


def _un_reference(draft: UkDraft, label: str, value: str) -> None:
    # "CDi. 038" (two groups of 14/04/2025) is CDi.038.
    match = _UN_REFERENCE.match(_SPACED_UN_REFERENCE.sub(r"\1\2", value))
    if match is None:
        draft.add_remark(f"{label}: {value}")
        return
    draft.add_identifier(
        Identifier(type=IdentifierType.UN_REFERENCE, value=match.group(1), label=label)
    )
    draft.add_remark(match.group(2).strip())


def _imo(draft: UkDraft, label: str, value: str) -> None:
    number = normalize_imo(value)
    if number is None:
        draft.add_remark(f"{label}: {value}")
        return
    draft.add_identifier(Identifier(type=IdentifierType.IMO, value=number, label=label))


def _remark(draft: UkDraft, label: str, value: str) -> None:
    draft.add_remark(f"{label}: {value}")


# "(non-Latin script):ФЕДЕРАЛЬНОЕ ... НАМИ. Non Latin Script Type: Cyrillic. Non Latin Script
# Language: Russian." (one group of 14/04/2025).
_NON_LATIN_VALUE = re.compile(
    r"^(?P<name>.*?)\.?\s*Non[- ]Latin Script Type:\s*(?P<type>[^.]*)\.?"
    r"(?:\s*Non[- ]Latin Script Language:\s*(?P<language>[^.]*)\.?)?\s*$",
    re.I | re.S,
)


def _non_latin(draft: UkDraft, _label: str, value: str) -> None:
    described = _NON_LATIN_VALUE.match(value)
    text = described.group("name") if described else value
    script_type = (described.group("type") or "") if described else ""
    language_name = (described.group("language") or "") if described else ""
    if text:
        script = detect_script(text) or script_code(script_type)
        language = language_code(language_name)
        draft.add_name(Name(full=text, kind=NameKind.ALIAS, script=script, language=language))
    if language_name and language_code(language_name) is None:
        draft.add_remark(f"Non-Latin Script Language: {language_name} ({text})")


_LABEL_HANDLERS: dict[str, _Handler] = {
    "UK Sanctions List Ref": _uk_reference,
    "UN Ref": _un_reference,
    "UK Statement of Reasons": _remark,
    "Gender": lambda draft, _label, value: draft.add_gender(value),
    "Phone number": UkDraft.add_phones,
    "Tel": UkDraft.add_phones,
    "Fax": UkDraft.add_phones,
    "Email address": UkDraft.add_emails,
    "Website": UkDraft.add_websites,
    "Business Reg No": UkDraft.add_registration_numbers,
    "Type of entity": _remark,
    "Parent company": UkDraft.add_parties,
    "Subsidiaries": UkDraft.add_parties,
    "Current owners": UkDraft.add_parties,
    "IMO number": _imo,
    "Flag of ship": UkDraft.add_flag,
    "Previous flags": UkDraft.add_flag,
    "Type of ship": _remark,
    "Tonnage of ship": _remark,
    "Length of ship": _remark,
    "Year built": _remark,
    "non-Latin script": _non_latin,
}
_LABELS = {label.lower(): label for label in _LABEL_HANDLERS}
# Only the labels OFSI uses split the text: "Tax ID No. (United States of America): 36-..."
# is ordinary text.
_LABEL_SPLIT = re.compile(
    r"\((" + "|".join(re.escape(label) for label in _LABEL_HANDLERS) + r")\)\s*:", re.I
)


def _read_labelled_information(draft: UkDraft, text: str) -> None:
    """2022: "(UK Sanctions List Ref):RUS1831. ... (UK Statement of Reasons):... (Gender):Male"."""
    pieces = _LABEL_SPLIT.split(text)
    draft.add_remark(pieces[0].strip())
    for raw_label, raw_value in zip(pieces[1::2], pieces[2::2], strict=True):
        value = raw_value.strip()
        if value:
            label = _LABELS[raw_label.lower()]
            _LABEL_HANDLERS[label](draft, label, value)
    # Shipping companies state their own (company) IMO number in the text: "IMO number: 5571322".
    draft.add_vessel_numbers(text, "IMO number")
