"""OFSI Consolidated List, 2022 format: ConList.xlsx (14/04/2025 and 05/06/2023) and ConList.csv.

Expected counts were measured on the files with the csv module and openpyxl alone (and agree
with PROVENANCE.md): 18,798 rows in 4,688 Group IDs (Individual 3,663, Entity 1,010, Ship 15)
and 31 regimes in the 2025 list; 16,823 rows in 3,993 groups (3,231 / 747 / 15) in 2023. Each
real workbook is read once per module (openpyxl takes a few seconds over 18,800 rows).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from lists import ListFile, open_list
from lists.errors import ListReadError
from lists.model import DatePrecision, Entity, IdentifierType, NameKind, Schema, Source

XLSX = "uk/ConList.xlsx"
CSV = "uk/derived/ConList.csv"
HISTORY_XLSX = "uk/history/2023-06-05/ConList.xlsx"

CSV_ROWS = 18798
GROUPS = 4688
BY_SCHEMA = {"person": 3663, "organization": 1010, "vessel": 15, "aircraft": 0}
REGIMES = 31
# Distinct (name, kind) per group, counted from the rows: Name 1-6 joined and the non-Latin
# script name, kind from Alias Type/Alias Quality. One more alias comes from the one
# "(non-Latin script):" name written inside Other Information (Group ID 16516).
NAMES_BY_KIND = {"primary": 7445, "alias": 7931, "weak_alias": 646, "former": 17}
UN_REFERENCES = 866  # groups whose Other Information has "(UN Ref):"
# "(UK Sanctions List Ref):RUS0256": in 4,687 groups (15878 has none), 13 of which have two
# ("BEL0047 and GHR0051"), so 4,700 references.
UK_REFERENCE_GROUPS = 4687
UK_REFERENCES = 4700
# Ships: "(IMO number):NNNNNNN", one per ship group. Shipping companies state their company
# IMO number in the text ("IMO number: 5571322", "(IMO) Number: 1790183"): 14 groups.
SHIP_IMO_NUMBERS = {
    "13647": "8712362",
    "13648": "7303803",
    "13649": "8605026",
    "13650": "8405311",
    "13651": "7408873",
    "13652": "8106496",
    "13653": "8604917",
    "13654": "9066978",
    "13655": "8898740",
    "13656": "8660313",
    "13657": "8122347",
    "13658": "8691702",
    "13659": "8408595",
    "13660": "8503228",
    "13661": "9066540",
}
COMPANY_IMO_NUMBERS = {
    "13143": "1790183",
    "13340": "5342883",
    "13627": "5571322",
    "13628": "5963351",
    "13629": "5787684",
    "13632": "5936312",
    "13633": "5676084",
    "13634": "5985863",
    "13635": "5954061",
    "13638": "5982254",
    "13639": "5988369",
    "13641": "5878561",
    "13645": "5905801",
    "13646": "5987860",
}


def _read(path: Path) -> tuple[ListFile, list[Entity]]:
    listed = open_list(path)
    return listed, list(listed.entities())


@pytest.fixture(scope="module")
def xlsx(shared_lists: Path) -> tuple[ListFile, list[Entity]]:
    return _read(shared_lists / XLSX)


@pytest.fixture(scope="module")
def csv_file(shared_lists: Path) -> tuple[ListFile, list[Entity]]:
    return _read(shared_lists / CSV)


@pytest.fixture(scope="module")
def by_group(xlsx: tuple[ListFile, list[Entity]]) -> dict[str, Entity]:
    return {entity.entry_id: entity for entity in xlsx[1]}


def _raw_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        next(handle)  # Last Updated,14/04/2025
        return list(csv.DictReader(handle))


# --- the real files ----------------------------------------------------------------------------


def test_formats_and_publication_dates(
    xlsx: tuple[ListFile, list[Entity]], csv_file: tuple[ListFile, list[Entity]]
) -> None:
    assert (xlsx[0].format.name, xlsx[0].published) == ("uk-ofsi-xlsx", dt.date(2025, 4, 14))
    assert (csv_file[0].format.name, csv_file[0].published) == (
        "uk-ofsi-csv",
        dt.date(2025, 4, 14),
    )
    assert xlsx[0].source is Source.UK
    assert xlsx[0].report.warnings == []
    assert csv_file[0].report.warnings == []


def test_rows_group_into_one_entity_per_group_id(
    shared_lists: Path, xlsx: tuple[ListFile, list[Entity]]
) -> None:
    rows = _raw_rows(shared_lists / CSV)
    assert len(rows) == CSV_ROWS
    groups = {row["Group ID"]: row["Group Type"] for row in rows}
    assert len(groups) == GROUPS
    assert Counter(groups.values()) == {"Individual": 3663, "Entity": 1010, "Ship": 15}
    entities = xlsx[1]
    assert sorted(entity.entry_id for entity in entities) == sorted(groups)
    by_schema = Counter(entity.schema_.value for entity in entities)
    assert {schema: by_schema[schema] for schema in BY_SCHEMA} == BY_SCHEMA


def test_names_by_kind(xlsx: tuple[ListFile, list[Entity]]) -> None:
    kinds = Counter(name.kind.value for entity in xlsx[1] for name in entity.names)
    assert kinds == NAMES_BY_KIND


def test_identifiers_and_programs(xlsx: tuple[ListFile, list[Entity]]) -> None:
    entities = xlsx[1]
    labels = Counter(
        identifier.label
        for entity in entities
        for identifier in entity.identifiers
        if identifier.type is IdentifierType.OTHER
    )
    assert labels["UK Sanctions List Ref"] == UK_REFERENCES
    with_reference = [
        e for e in entities if any(i.label == "UK Sanctions List Ref" for i in e.identifiers)
    ]
    assert len(with_reference) == UK_REFERENCE_GROUPS
    types = Counter(i.type for entity in entities for i in entity.identifiers)
    assert types[IdentifierType.UN_REFERENCE] == UN_REFERENCES
    programs = {program for entity in entities for program in entity.programs}
    assert len(programs) == REGIMES
    assert {"Russia", "ISIL (Da'esh) and Al-Qaida", "Cyber"} <= programs


def test_imo_numbers(xlsx: tuple[ListFile, list[Entity]]) -> None:
    found = {
        entity.entry_id: [i.value for i in entity.identifiers if i.type is IdentifierType.IMO]
        for entity in xlsx[1]
    }
    with_imo = {entry: numbers for entry, numbers in found.items() if numbers}
    expected = {entry: [n] for entry, n in {**SHIP_IMO_NUMBERS, **COMPANY_IMO_NUMBERS}.items()}
    assert with_imo == expected
    vessels = {e.entry_id for e in xlsx[1] if e.schema_ is Schema.VESSEL}
    assert vessels == set(SHIP_IMO_NUMBERS)


def test_csv_gives_the_same_entities_as_the_workbook(
    xlsx: tuple[ListFile, list[Entity]], csv_file: tuple[ListFile, list[Entity]]
) -> None:
    from_csv = {entity.entry_id: entity for entity in csv_file[1]}
    from_xlsx = {entity.entry_id: entity for entity in xlsx[1]}
    assert len(from_csv) == len(from_xlsx) == GROUPS
    assert from_csv.keys() == from_xlsx.keys()
    for entry_id in ("15076", "13648", "7874", "15713"):
        assert from_csv[entry_id].ref.format == "uk-ofsi-csv"
        assert from_xlsx[entry_id].ref.format == "uk-ofsi-xlsx"
    differing = [
        entry_id
        for entry_id, entity in from_xlsx.items()
        if entity.model_dump(exclude={"ref"}) != from_csv[entry_id].model_dump(exclude={"ref"})
    ]
    assert differing == []


def test_sberbank(by_group: dict[str, Entity]) -> None:
    bank = by_group["15076"]
    assert bank.schema_ is Schema.ORGANIZATION
    assert bank.primary_name == "PJSC SBERBANK (PUBLIC JOINT-STOCK COMPANY SBERBANK)"
    names = {(name.full, name.kind, name.script) for name in bank.names}
    assert names == {
        ("PJSC SBERBANK (PUBLIC JOINT-STOCK COMPANY SBERBANK)", NameKind.PRIMARY, "Latn"),
        ("ПАО Сбербанк", NameKind.PRIMARY, "Cyrl"),
        ("PJSC SBERBANK OF RUSSIA", NameKind.ALIAS, "Latn"),
        ("SBERBANK", NameKind.ALIAS, "Latn"),
        ("SBERBANK OF RUSSIA", NameKind.ALIAS, "Latn"),
    }
    assert bank.programs == ["Russia"]
    assert bank.listed_on == dt.date(2022, 4, 6)
    assert [(a.lines, a.postal_code, a.country) for a in bank.addresses] == [
        (["19 Vavilova St.", "Moscow"], "117997", "RU")
    ]
    identifiers = {(i.type, i.value, i.label) for i in bank.identifiers}
    assert identifiers == {
        (IdentifierType.OTHER, "RUS0256", "UK Sanctions List Ref"),
        (IdentifierType.PHONE, "+8 (800) 555-55-50", "Phone number"),
        (IdentifierType.EMAIL, "media@Sberbank.ru", "Email address"),
        (IdentifierType.REGISTRATION_NUMBER, "1027700132195", "Business Reg No"),
    }
    assert "Type of entity: (1) Bank (2) Financial Services Company" in bank.remarks
    assert any(r.startswith("UK Statement of Reasons: PJSC Sberbank") for r in bank.remarks)
    assert bank.ref.record == "15076"


def test_ship_with_imo_flags_and_owner(by_group: dict[str, Entity]) -> None:
    ship = by_group["13648"]
    assert ship.schema_ is Schema.VESSEL
    assert ship.primary_name == "AN SAN 1"
    assert sorted(n.full for n in ship.names if n.kind is NameKind.ALIAS) == [
        "ALCHIMIST MARATHON",
        "ALCHIMIST ROTTERDAM",
        "ANSAN-1",
        "BESTE S",
        "CHIMISTE NANTES",
        "EFES",
        "ERMAK",
        "TIGER CUB",
    ]
    assert [(i.type, i.value) for i in ship.identifiers if i.type is IdentifierType.IMO] == [
        (IdentifierType.IMO, "7303803")
    ]
    assert ship.countries == ["KP", "RU"]  # current flag, previous flag
    assert ship.related == ["Korean Ansan Shipping"]
    assert "Type of ship: Chemical Carrier" in ship.remarks
    assert "Year built: 1973" in ship.remarks
    # The owner's UN reference in the text is not the ship's own.
    assert not any(i.type is IdentifierType.UN_REFERENCE for i in ship.identifiers)


def test_individual_with_several_birth_dates_and_a_passport(by_group: dict[str, Entity]) -> None:
    person = by_group["7874"]
    assert person.schema_ is Schema.PERSON
    primary = person.names[0]
    assert (primary.full, primary.first, primary.middle, primary.last) == (
        "HAMADI BEN ABDUL AZIZ BEN ALI BOUYEHIA",
        "HAMADI",
        "BEN ABDUL AZIZ BEN ALI",
        "BOUYEHIA",
    )
    assert [(d.precision, d.as_date()) for d in person.birth_dates] == [
        (DatePrecision.DAY, dt.date(1966, 5, 29)),
        (DatePrecision.DAY, dt.date(1966, 5, 25)),
        (DatePrecision.DAY, dt.date(1986, 5, 9)),
    ]
    # "-" is the file's placeholder for an unknown town.
    assert person.birth_places == ["Tunis, Tunisia", "Morocco", "Egypt"]
    assert person.nationalities == ["TN"]
    passports = [i for i in person.identifiers if i.type is IdentifierType.PASSPORT]
    assert [(p.value, p.note) for p in passports] == [
        ("L723315", "Issue date: 05/05/1998, expiry date: 04/05/2003")
    ]
    references = {
        i.label: i.value for i in person.identifiers if i.type is not IdentifierType.PASSPORT
    }
    assert references == {"UK Sanctions List Ref": "AQD0189", "UN Ref": "QDi.143"}
    assert person.listed_on == dt.date(2003, 11, 18)


def test_masked_and_partial_birth_dates(by_group: dict[str, Entity]) -> None:
    person = by_group["12555"]
    assert [(d.precision, d.year, d.text) for d in person.birth_dates] == [
        (DatePrecision.DAY, 1974, "05/01/1974"),
        (DatePrecision.YEAR, 1977, "00/00/1977"),
        (DatePrecision.YEAR, 1975, "00/00/1975"),
        (DatePrecision.DAY, 1973, "24/01/1973"),
    ]


def test_persian_names_with_language(by_group: dict[str, Entity]) -> None:
    person = by_group["15713"]
    non_latin = [(n.full, n.kind, n.script, n.language) for n in person.names if n.script == "Arab"]
    assert non_latin == [
        ("سالار آبنوش", NameKind.PRIMARY, "Arab", "fa"),
        ("سالار ولایتمدار", NameKind.ALIAS, "Arab", "fa"),
    ]
    assert next(n.full for n in person.names if n.kind is NameKind.PRIMARY) == "Salar ABNOUSH"


def test_designation_under_two_regimes(by_group: dict[str, Entity]) -> None:
    quds = by_group["11241"]
    assert quds.programs == ["Iran (Nuclear)", "Syria"]
    assert quds.listed_on == dt.date(2010, 7, 27)  # the earlier of the two listings
    assert quds.remarks[:2] == [
        "Iran (Nuclear): listed on 27/07/2010, UK Sanctions List date designated 31/12/2020",
        "Syria: listed on 24/08/2011, UK Sanctions List date designated 31/12/2020",
    ]
    # Listed under two regimes, it has two UK Sanctions List references.
    references = [i.value for i in quds.identifiers if i.label == "UK Sanctions List Ref"]
    assert references == ["INU0082", "SYR0310"]


def test_data_quirks(by_group: dict[str, Entity]) -> None:
    # "Congo (Democratic Republic)" is the DR Congo, not the Republic of the Congo.
    congo = [
        a
        for e in by_group.values()
        for a in e.addresses
        if a.country_text == "Congo (Democratic Republic)"
    ]
    assert congo
    assert {a.country for a in congo} == {"CD"}
    # Belarusian names typed with a Latin "I" among Cyrillic letters are still Cyrillic.
    (mixed,) = [n for n in by_group["14017"].names if "ЛАГУНОВIЧ" in n.full]
    assert "I" in mixed.full
    assert mixed.script == "Cyrl"
    scripts = Counter(n.script for e in by_group.values() for n in e.names)
    assert scripts[None] == 0
    # A name in Other Information: "(non-Latin script):... Non Latin Script Type: Cyrillic. ..."
    (in_text,) = [n for n in by_group["16516"].names if n.full.startswith("ФЕДЕРАЛЬНОЕ")]
    assert (in_text.kind, in_text.script, in_text.language) == (NameKind.ALIAS, "Cyrl", "ru")
    assert in_text.full.endswith("АВТОМОТОРНЫЙ ИНСТИТУТ НАМИ")
    # Two groups carry a UN-style reference where the UK Sanctions List Ref belongs.
    assert {
        i.value for i in by_group["16681"].identifiers if i.label == "UK Sanctions List Ref"
    } == {"SDi.005"}
    # "(UN Ref):CDi. 038" is read as CDi.038.
    assert [
        i.value for i in by_group["16180"].identifiers if i.type is IdentifierType.UN_REFERENCE
    ] == ["CDi.038"]


def test_2023_workbook_and_delta(shared_lists: Path, xlsx: tuple[ListFile, list[Entity]]) -> None:
    older, entities = _read(shared_lists / HISTORY_XLSX)
    assert (older.format.name, older.published) == ("uk-ofsi-xlsx", dt.date(2023, 6, 5))
    assert len(entities) == 3993
    assert Counter(e.schema_.value for e in entities) == {
        "person": 3231,
        "organization": 747,
        "vessel": 15,
    }
    assert len({p for e in entities for p in e.programs}) == REGIMES
    before = {e.entry_id for e in entities}
    after = {e.entry_id for e in xlsx[1]}
    assert (len(after - before), len(before - after)) == (826, 131)  # PROVENANCE.md


# --- small files built here: rules the real files do not exercise -------------------------------


@pytest.fixture(scope="module")
def header(shared_lists: Path) -> list[str]:
    with (shared_lists / CSV).open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        return next(reader)


def _row(header: list[str], **cells: str) -> list[str]:
    values = {name.replace("_", " "): value for name, value in cells.items()}
    return [values.get(column, "") for column in header]


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["Last Updated", "14/04/2025"])
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _person(header: list[str], group: str, surname: str, **cells: str) -> list[str]:
    base = {
        "Name_6": surname,
        "Name_1": "Ivan",
        "Group_Type": "Individual",
        "Alias_Type": "Primary name",
        "Regime": "Russia",
        "Listed_On": "15/03/2022",
        "Group_ID": group,
    }
    return _row(header, **{**base, **cells})


def test_scattered_rows_of_a_group_make_one_entity(tmp_path: Path, header: list[str]) -> None:
    path = _write_csv(
        tmp_path / "ConList.csv",
        header,
        [
            _person(header, "1", "PETROV", DOB="01/02/1970"),
            _person(header, "2", "SIDOROV"),
            _person(header, "1", "PETROFF", Alias_Type="AKA", Alias_Quality="Low quality"),
            _person(header, "1", "PETROV", DOB="00/00/1971", Country="Congo (Democratic Republic)"),
        ],
    )
    listed = open_list(path)
    entities = {e.entry_id: e for e in listed.entities()}
    assert list(entities) == ["1", "2"]
    petrov = entities["1"]
    assert [(n.full, n.kind) for n in petrov.names] == [
        ("Ivan PETROV", NameKind.PRIMARY),
        ("Ivan PETROFF", NameKind.WEAK_ALIAS),
    ]
    assert [d.text for d in petrov.birth_dates] == ["01/02/1970", "00/00/1971"]
    assert [a.country for a in petrov.addresses] == ["CD"]


def test_unknown_column_is_kept_in_remarks(tmp_path: Path, header: list[str]) -> None:
    wider = [*header, "Sanctions Imposed"]
    path = _write_csv(
        tmp_path / "ConList.csv", wider, [[*_person(header, "7", "IVANOV"), "Asset freeze"]]
    )
    (entity,) = open_list(path).entities()
    assert "Sanctions Imposed: Asset freeze" in entity.remarks


def test_group_without_any_name_is_reported(tmp_path: Path, header: list[str]) -> None:
    path = _write_csv(
        tmp_path / "ConList.csv",
        header,
        [_person(header, "1", "PETROV"), _person(header, "9", "", Name_1="")],
    )
    listed = open_list(path)
    assert [e.entry_id for e in listed.entities()] == ["1"]
    assert listed.report.warnings == [
        f"{path}:4: Group ID 9 has no name in any of its rows; the group is skipped"
    ]


# --- bad input: every case raises ListReadError naming the file and line ------------------------


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _assert_refused(path: Path, says: str, line: int | None) -> None:
    with pytest.raises(ListReadError) as caught:
        list(open_list(path).entities())
    message = str(caught.value)
    where = f"{path}:{line}" if line is not None else str(path)
    assert message.startswith(where), message
    assert says in message
    result = CliRunner().invoke(cli.main, ["lists", "inspect", str(path)])
    assert result.exit_code == 1
    assert _squash(where) in _squash(result.output)
    assert _squash(says) in _squash(result.output)
    assert "Traceback" not in result.output
    assert "entities " not in result.output


def test_truncated_mid_quoted_cell(tmp_path: Path, shared_lists: Path) -> None:
    data = (shared_lists / CSV).read_bytes()
    # The first record whose quoted Other Information spans lines, cut inside that cell.
    text = data.decode("utf-8")
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    for cells in reader:
        if len(cells) > 27 and "\n" in cells[27]:
            break
        start = reader.line_num + 1
    lines = data.splitlines(keepends=True)
    cut = b"".join(lines[: start - 1]) + lines[start - 1]  # the record's first line only
    path = tmp_path / "ConList.csv"
    path.write_bytes(cut)
    _assert_refused(path, "malformed CSV", start)


def test_missing_group_id_column(tmp_path: Path, header: list[str]) -> None:
    renamed = ["Group" if column == "Group ID" else column for column in header]
    path = _write_csv(tmp_path / "ConList.csv", renamed, [_person(header, "1", "PETROV")])
    _assert_refused(path, "'Group ID'", 2)


def test_missing_name_6_column(tmp_path: Path, header: list[str]) -> None:
    renamed = ["Surname" if column == "Name 6" else column for column in header]
    path = _write_csv(tmp_path / "ConList.csv", renamed, [_person(header, "1", "PETROV")])
    _assert_refused(path, "'Name 6'", 2)


def test_invalid_utf8_bytes(tmp_path: Path, shared_lists: Path) -> None:
    lines = (shared_lists / CSV).read_bytes().splitlines(keepends=True)[:12]
    lines[4] = lines[4].replace(b"Mian", b"M\xe9an", 1)  # a lone cp1252 "é"
    path = tmp_path / "ConList.csv"
    path.write_bytes(b"".join(lines))
    _assert_refused(path, "not valid UTF-8 text: byte 0xe9", 5)


def test_utf16_file(tmp_path: Path, header: list[str]) -> None:
    source = _write_csv(tmp_path / "utf8.csv", header, [_person(header, "1", "PETROV")])
    path = tmp_path / "ConList.csv"
    path.write_bytes(source.read_text(encoding="utf-8").encode("utf-16"))
    _assert_refused(path, "UTF-16", 1)


def test_row_with_missing_cells(tmp_path: Path, header: list[str]) -> None:
    short = _person(header, "1", "PETROV")[:20]
    path = _write_csv(tmp_path / "ConList.csv", header, [_person(header, "2", "IVANOV"), short])
    _assert_refused(path, "row has 20 cells but the header has 36", 4)


def test_unknown_group_type(tmp_path: Path, header: list[str]) -> None:
    row = _person(header, "5", "PETROV", Group_Type="Aircraft")
    path = _write_csv(tmp_path / "ConList.csv", header, [row])
    _assert_refused(path, "unknown Group Type 'Aircraft'", 3)
    with pytest.raises(ListReadError) as caught:
        list(open_list(path).entities())
    assert caught.value.record == "5"


def test_truncated_workbook(tmp_path: Path, shared_lists: Path) -> None:
    data = (shared_lists / XLSX).read_bytes()
    path = tmp_path / "ConList.xlsx"
    path.write_bytes(data[: len(data) // 2])
    _assert_refused(path, "not a readable XLSX workbook", None)


def test_workbook_with_damaged_sheet(tmp_path: Path, shared_lists: Path) -> None:
    path = tmp_path / "ConList.xlsx"
    with (
        zipfile.ZipFile(shared_lists / XLSX) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as target,
    ):
        for member in source.namelist():
            content = source.read(member)
            if member == "xl/worksheets/sheet1.xml":
                content = content[:200_000]  # the sheet's XML stops mid-row
                broken_row = content.count(b"</row>") + 1
            target.writestr(member, content)
    _assert_refused(path, "damaged XLSX workbook", broken_row)
