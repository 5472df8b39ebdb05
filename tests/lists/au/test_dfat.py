"""DFAT Consolidated List (regulation8_consolidated.xlsx of 11/11/2024), real file and bad input.

Expected counts were measured on the workbook with openpyxl alone (`_raw_rows` below, which
shares no code with the adapter) and agree with PROVENANCE.md: 9,560 data rows, 7 of them blank
at the end; 3,062 listings (distinct leading numbers of Reference, each with exactly one
"Primary Name" row), 2,316 Individual and 746 Entity; Name Type rows aka 6,047, Original Script
440, Formerly known as 3, Previously listed as 1 (case and trailing spaces normalised).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

import cli
from lists import ListFile, open_list
from lists.base import ReadReport
from lists.detect import detect
from lists.errors import ListReadError
from lists.model import Entity, IdentifierType, NameKind, Schema, Source
from lists.sources import source_spec

XLSX = "au/regulation8_consolidated.xlsx"
OFSI_XLSX = "uk/ConList.xlsx"
HEADER = [
    "Reference",
    "Name of Individual or Entity",
    "Type",
    "Name Type",
    "Date of Birth",
    "Place of Birth",
    "Citizenship",
    "Address",
    "Additional Information",
    "Listing Information",
    "Committees",
    "Control Date",
]

ROWS = 9560
BLANK_ROWS = 7
LISTINGS = 3062
BY_SCHEMA = {"person": 2316, "organization": 746, "vessel": 0, "aircraft": 0}
NAME_TYPE_ROWS = {
    "aka": 6047,
    "primary name": 3062,
    "original script": 440,
    "formerly known as": 3,
    "previously listed as": 1,
}
# Listings per regime (Committees, whitespace collapsed; one cell names two Libya regimes).
REGIMES = {
    "Autonomous (Ukraine)": 841,
    "Autonomous (Russia)": 647,
    "1267/1989/2253 (ISIL (Da'esh) and Al-Qaida)": 347,
    "Autonomous (Iran)": 206,
    "1718 (DPRK)": 155,
    "1970 (Libya)": 23,
    "1973 (Libya)": 4,
}


def _raw_rows(path: Path) -> list[tuple[Any, ...]]:
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        return [row[:12] for row in workbook.worksheets[0].iter_rows(min_row=2, values_only=True)]
    finally:
        workbook.close()


def _listing(reference: object) -> str:
    match = re.match(r"\d+", str(reference).strip())
    assert match, reference
    return match.group()


def _squash(text: object) -> str:
    return " ".join(str(text).split())


@pytest.fixture(scope="module")
def raw(shared_lists: Path) -> list[tuple[Any, ...]]:
    return _raw_rows(shared_lists / XLSX)


@pytest.fixture(scope="module")
def dfat(shared_lists: Path) -> tuple[ListFile, list[Entity]]:
    listed = open_list(shared_lists / XLSX)
    return listed, list(listed.entities())


@pytest.fixture(scope="module")
def by_id(dfat: tuple[ListFile, list[Entity]]) -> dict[str, Entity]:
    return {entity.entry_id: entity for entity in dfat[1]}


# --- the real file -----------------------------------------------------------------------------


def test_raw_file_is_as_measured(raw: list[tuple[Any, ...]]) -> None:
    assert len(raw) == ROWS
    blank = [row for row in raw if all(cell is None for cell in row)]
    assert len(blank) == BLANK_ROWS
    assert raw[-BLANK_ROWS:] == blank  # all at the end
    name_types = Counter(_squash(row[3]).lower() for row in raw if row[3] is not None)
    assert name_types == NAME_TYPE_ROWS


def test_format_publication_date_and_warnings(
    dfat: tuple[ListFile, list[Entity]], shared_lists: Path
) -> None:
    listed, _ = dfat
    assert listed.format.name == "au-dfat-xlsx"
    assert listed.source is Source.AU
    # The workbook's core "modified" property, read here with openpyxl alone.
    workbook = openpyxl.load_workbook(shared_lists / XLSX, read_only=True)
    modified = workbook.properties.modified
    workbook.close()
    assert modified == dt.datetime(2024, 11, 11, 1, 1, 21)
    assert listed.published == modified.replace(tzinfo=dt.UTC)
    # The blank rows are counted, and the one listing whose rows are scattered is reported.
    assert any("7 blank rows skipped (rows 9555-9561)" in w for w in listed.report.warnings)
    assert any("2940j continues listing 2940" in w for w in listed.report.warnings)
    assert len(listed.report.warnings) == 2


def test_one_entity_per_listing(
    dfat: tuple[ListFile, list[Entity]], raw: list[tuple[Any, ...]]
) -> None:
    entities = dfat[1]
    rows = [row for row in raw if row[0] is not None]
    types: dict[str, str] = {}
    for row in rows:
        types.setdefault(_listing(row[0]), _squash(row[2]).lower())
    assert len(types) == LISTINGS
    assert Counter(types.values()) == {"individual": 2316, "entity": 746}
    assert len(entities) == LISTINGS
    assert {entity.entry_id for entity in entities} == set(types)
    by_schema = Counter(entity.schema_.value for entity in entities)
    assert {schema: by_schema.get(schema, 0) for schema in BY_SCHEMA} == BY_SCHEMA
    assert {entity.dataset for entity in entities} == {"au_dfat"}
    # Every row's name is on its listing's entity.
    names = {entity.entry_id: {name.full for name in entity.names} for entity in entities}
    assert all(_squash(row[1]) in names[_listing(row[0])] for row in rows)


def test_names_by_kind(dfat: tuple[ListFile, list[Entity]], raw: list[tuple[Any, ...]]) -> None:
    kinds = {
        "primary name": "primary",
        "aka": "alias",
        "original script": "alias",
        "formerly known as": "former",
        "previously listed as": "former",
    }
    # A name is kept once per listing and kind: 20 alias rows repeat a name of their listing.
    expected = Counter(
        kind
        for _, _, kind in {
            (_listing(row[0]), _squash(row[1]), kinds[_squash(row[3]).lower()])
            for row in raw
            if row[0] is not None
        }
    )
    assert expected == {"alias": 6467, "primary": 3062, "former": 4}
    found = Counter(name.kind.value for entity in dfat[1] for name in entity.names)
    assert found == expected
    assert all(
        sum(name.kind is NameKind.PRIMARY for name in entity.names) == 1 for entity in dfat[1]
    )


def test_original_script_names_keep_their_script(
    by_id: dict[str, Entity], raw: list[tuple[Any, ...]]
) -> None:
    # Scripts measured from the letters' Unicode names: Arabic 392, Cyrillic 42, CJK 3,
    # Ethiopic mixed with Latin 2, Latin 1.
    scripts: Counter[str | None] = Counter()
    for row in raw:
        if row[3] is not None and _squash(row[3]).lower() == "original script":
            words = {unicodedata.name(char).split()[0] for char in row[1] if char.isalpha()}
            entity = by_id[_listing(row[0])]
            # Kept as an alias even when it repeats the primary name (6241a, Latin letters).
            (name,) = [
                n for n in entity.names if n.full == _squash(row[1]) and n.kind is NameKind.ALIAS
            ]
            scripts[name.script] += 1
            if words == {"ARABIC"}:
                assert name.script == "Arab"
            elif words == {"CYRILLIC"}:
                assert name.script == "Cyrl"
    assert scripts == {"Arab": 392, "Cyrl": 42, "Hani": 3, "Latn": 1, None: 2}
    umarov = by_id["1241"]
    assert any(n.full == "Умаров Доку Хаматович" and n.script == "Cyrl" for n in umarov.names)


def test_regimes(dfat: tuple[ListFile, list[Entity]]) -> None:
    programs = Counter(program for entity in dfat[1] for program in entity.programs)
    assert {regime: programs[regime] for regime in REGIMES} == REGIMES
    # 28 distinct Committees values, one of which ("1970 (Libya) 1973 (Libya)") is two regimes
    # that are also listed alone.
    assert len(programs) == 27
    assert "1970 (Libya) 1973 (Libya)" not in programs
    assert all(entity.programs for entity in dfat[1])


def test_listing_dates(
    by_id: dict[str, Entity], dfat: tuple[ListFile, list[Entity]], raw: list[tuple[Any, ...]]
) -> None:
    # The rule of the module docstring gives 2,918 of the 3,062 listings a listing date.
    days = [entity.listed_on for entity in dfat[1] if entity.listed_on is not None]
    assert len(days) == 2918
    assert (min(days), max(days)) == (dt.date(1999, 10, 15), dt.date(2024, 11, 8))
    # Listing Information cells that are Excel dates (8 listings, found with openpyxl) are the
    # listing date as they stand.
    date_cells: dict[str, dt.date] = {}
    for row in raw:
        if isinstance(row[9], dt.datetime):
            date_cells[_listing(row[0])] = min(
                row[9].date(), date_cells.get(_listing(row[0]), dt.date.max)
            )
    assert len(date_cells) == 8
    assert {key: by_id[key].listed_on for key in date_cells} == date_cells
    # Stated in words: "Listed by UN 1267 Committee on 25 January 2001 ...", while the Control
    # Date is 15/12/2014 (kept as a remark).
    taliban = by_id["2"]
    assert taliban.listed_on == dt.date(2001, 1, 25)
    assert "Control date (last change of the row): 2014-12-15" in taliban.remarks
    # "... (Designated Persons and Entities and Declared Persons - Iran) Amendment (No. 3)
    # Instrument 2024" and a Control Date of the same year.
    assert by_id["7992"].listed_on == dt.date(2024, 10, 15)
    # "Listed under Resolution 1483 (2003)" states no day: no listing date.
    iraq = [e for e in dfat[1] if e.programs == ["1518 (Iraq)"]]
    assert sum(e.listed_on is None for e in iraq) == 81


def test_sberbank_is_the_ukrainian_subsidiary(by_id: dict[str, Entity]) -> None:
    sberbank = by_id["6771"]
    assert sberbank.schema_ is Schema.ORGANIZATION
    assert sberbank.primary_name == "Sberbank"
    aliases = [name.full for name in sberbank.names if name.kind is NameKind.ALIAS]
    # Ukrainian transliterations: "PJSC Subsidiary Bank of Sberbank of Russia", "JSC Sberbank".
    assert aliases == [
        "Publichne Aktsionerne Tovarystvo Dochirnii Bank Sberbanku Rosii",
        "Aktsionerne Tovarystvo Sberbank",
    ]
    assert sberbank.programs == ["Autonomous (Russia)"]
    assert sberbank.listed_on == dt.date(2022, 3, 18)
    assert sberbank.addresses[0].country == "RU"


def test_person_with_birth_dates_citizenship_and_original_script(by_id: dict[str, Entity]) -> None:
    akhund = by_id["2"]
    assert akhund.schema_ is Schema.PERSON
    assert [n.full for n in akhund.names] == ["MOHAMMAD HASSAN AKHUND", "محمد حسن أخوند"]
    assert akhund.names[1].script == "Arab"
    ranges = [(d.year, d.year_to, d.circa) for d in akhund.birth_dates]
    assert ranges == [(1955, 1958, True), (1945, 1950, True)]
    assert akhund.citizenships == ["AF"]
    assert akhund.birth_places == [
        "Pashmul village, Panjwai District, Kandahar Province, Afghanistan"
    ]
    assert akhund.addresses == []  # "NA" is not Namibia


def test_passports_only_when_clean(
    by_id: dict[str, Entity], dfat: tuple[ListFile, list[Entity]]
) -> None:
    passports = Counter(identifier.type for entity in dfat[1] for identifier in entity.identifiers)
    assert set(passports) == {IdentifierType.PASSPORT}
    # "Passport no.: a) CAR diplomatic passport no. D00000897 ..." and similar.
    assert any(i.value == "D00000897" for e in dfat[1] for i in e.identifiers), (
        "the lettered diplomatic passport"
    )
    # "passport no. OB 0243318" is not clean: kept only in the remark.
    holder = next(e for e in dfat[1] if any("OB 0243318" in r for r in e.remarks))
    assert all("0243318" not in i.value for i in holder.identifiers)


def test_detection_does_not_confuse_dfat_and_ofsi(shared_lists: Path) -> None:
    assert detect(shared_lists / XLSX).name == "au-dfat-xlsx"
    assert detect(shared_lists / OFSI_XLSX).name == "uk-ofsi-xlsx"


def test_source_spec() -> None:
    spec = source_spec("au")
    assert [file.url for file in spec.files] == [
        "https://www.dfat.gov.au/sites/default/files/regulation8_consolidated.xlsx"
    ]
    assert not spec.directory


def test_cli_inspect_json(shared_lists: Path) -> None:
    result = CliRunner().invoke(cli.main, ["lists", "inspect", "--json", str(shared_lists / XLSX)])
    assert result.exit_code == 0, result.output
    inspection = json.loads(result.output)
    assert inspection["entities"] == LISTINGS
    assert inspection["by_schema"] == BY_SCHEMA
    assert inspection["format"] == "au-dfat-xlsx"


# --- small workbooks ---------------------------------------------------------------------------


def _workbook(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def _row(
    reference: object, name: str, name_type: str = "Primary Name", **cells: object
) -> list[object]:
    values: dict[str, object] = {
        "Reference": reference,
        "Name of Individual or Entity": name,
        "Type": "Individual",
        "Name Type": name_type,
        "Committees": "Autonomous (Russia)",
        "Control Date": dt.datetime(2022, 3, 18),
    }
    values.update({key.replace("_", " "): value for key, value in cells.items()})
    return [values.get(column) for column in HEADER]


def _read(path: Path) -> tuple[list[Entity], ReadReport]:
    listed = open_list(path)
    return list(listed.entities()), listed.report


def test_scattered_rows_and_a_listing_without_primary_name(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "dfat.xlsx",
        [
            _row(10, "Ivan PETROV"),
            _row(11, "Pyotr IVANOV", "aka "),
            _row("10a", "Ivan Petrov-Vodkin", "Aka"),
            _row("11a", "Пётр Иванов", "Original script "),
        ],
    )
    entities, report = _read(path)
    assert [e.entry_id for e in entities] == ["10", "11"]
    petrov, ivanov = entities
    assert [n.full for n in petrov.names] == ["Ivan PETROV", "Ivan Petrov-Vodkin"]
    assert [(n.kind, n.script) for n in ivanov.names] == [
        (NameKind.ALIAS, "Latn"),
        (NameKind.ALIAS, "Cyrl"),
    ]
    assert any("listing 11 has no Primary Name row" in w for w in report.warnings)
    assert any("10a continues listing 10" in w for w in report.warnings)


def test_unknown_name_type_is_an_alias_reported_once(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "dfat.xlsx",
        [
            _row(7, "Ivan PETROV"),
            _row("7a", "Vanya", "Nickname"),
            _row("7b", "Vanyusha", "nickname "),
        ],
    )
    entities, report = _read(path)
    assert [(n.full, n.kind) for n in entities[0].names[1:]] == [
        ("Vanya", NameKind.ALIAS),
        ("Vanyusha", NameKind.ALIAS),
    ]
    assert [w for w in report.warnings if "unknown Name Type" in w] == [
        f"{path}:3: unknown Name Type 'Nickname' read as an alias (7a; further rows of this "
        "Name Type are read the same way)"
    ]


def _assert_refused(path: Path, says: str, line: int | None = None) -> None:
    with pytest.raises(ListReadError) as caught:
        list(open_list(path).entities())
    message = str(caught.value)
    where = f"{path}:{line}" if line is not None else str(path)
    assert message.startswith(where), message
    assert says in message
    result = CliRunner().invoke(cli.main, ["lists", "inspect", str(path)])
    assert result.exit_code == 1
    assert says in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_wrong_header(tmp_path: Path) -> None:
    header = [("Committee" if column == "Committees" else column) for column in HEADER]
    path = _workbook(tmp_path / "dfat.xlsx", [_row(1, "Ivan PETROV")], header)
    # Still DFAT's workbook by its other columns? No: the sniffer needs Committees too.
    with pytest.raises(ListReadError, match="not a sanctions list workbook known here"):
        open_list(path)
    header = [("Ref" if column == "Reference" else column) for column in HEADER]
    path = _workbook(tmp_path / "dfat2.xlsx", [_row(1, "Ivan PETROV")], header)
    _assert_refused(path, "the header has no 'Reference' column", 1)


def test_unknown_type_and_missing_reference(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "dfat.xlsx", [_row(1, "MV OCEAN", Type="Vessel")])
    _assert_refused(path, "unknown Type 'Vessel'", 2)
    path = _workbook(tmp_path / "dfat2.xlsx", [_row(1, "A"), _row(None, "B", "aka")])
    _assert_refused(path, "row with no Reference", 3)


def test_truncated_workbook(tmp_path: Path, shared_lists: Path) -> None:
    data = (shared_lists / XLSX).read_bytes()
    path = tmp_path / "regulation8_consolidated.xlsx"
    path.write_bytes(data[: len(data) // 2])
    _assert_refused(path, "not a readable XLSX workbook")


def test_zip_bomb_is_refused(tmp_path: Path, shared_lists: Path) -> None:
    # The real workbook with its shared strings padded by 160 MB of one letter (written in
    # chunks), which deflates to about 160 KB: the archive stays small while the member would
    # inflate over 300 times its compressed size.
    path = tmp_path / "regulation8_consolidated.xlsx"
    chunk = b"A" * (1024 * 1024)
    with (
        zipfile.ZipFile(shared_lists / XLSX) as original,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for member in original.namelist():
            content = original.read(member)
            if member != "xl/sharedStrings.xml":
                bomb.writestr(member, content)
                continue
            # The header strings stay first, so the workbook is still sniffed as DFAT's.
            with bomb.open(member, "w", force_zip64=True) as stream:
                stream.write(content.replace(b"</sst>", b"<si><t>"))
                for _ in range(160):
                    stream.write(chunk)
                stream.write(b"</t></si></sst>")
    assert path.stat().st_size < 2 * 1024 * 1024
    assert detect(path).name == "au-dfat-xlsx"
    _assert_refused(path, "refused as a possible zip bomb")


def test_a_value_in_a_column_without_heading_is_kept(tmp_path: Path) -> None:
    row = [*_row(1, "Ivan PETROV"), None, "stray note"]
    entities, report = _read(_workbook(tmp_path / "dfat.xlsx", [row]))
    assert "column 14: stray note" in entities[0].remarks
    assert any("column 14, which has no heading" in w for w in report.warnings)


def test_csv_with_dfat_header_is_not_claimed(tmp_path: Path) -> None:
    # DFAT publishes only the workbook; a CSV with its header is no format known here.
    path = tmp_path / "dfat.csv"
    path.write_text(",".join(HEADER) + "\n1,Ivan PETROV,Individual,Primary Name\n")
    with pytest.raises(ListReadError, match="not a sanctions list format known here"):
        open_list(path)
