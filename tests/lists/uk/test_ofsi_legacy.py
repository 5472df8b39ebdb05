"""OFSI (HM Treasury) Consolidated List, pre-2022 CSV: sanctionsconlist.csv of 13/04/2018.

Counts measured with the csv module on the cp1252-decoded file (they agree with PROVENANCE.md):
9,487 rows in 2,106 Group IDs (Individual 1,426, Entity 680), 26 regimes, exactly one
"Prime Alias" row per group.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from lists import ListFile, open_list
from lists.errors import ListReadError
from lists.model import DatePrecision, Entity, IdentifierType, NameKind, Schema

LEGACY = "uk/legacy_csv_2018/sanctionsconlist.csv"
ROWS = 9487
GROUPS = 2106
NAMES_BY_KIND = {"primary": 2106, "alias": 3438, "former": 9}
REGIMES = 26
# Groups whose Other Information says "UN Ref": 680. Nine of them give no usable reference
# ("UN Ref.077", "UN Ref.KPI. 076", "UN Ref: QD1.410"), and keep it in remarks only.
UN_REFERENCES = 671
# "IMO: 8937675", "(IMO number: 7303803)", "Company Number IMO 5434358": 27 groups. "IMO" also
# occurs in "AKIMOV" (13187) and in a list of other vessels' numbers (13143), which do not count.
IMO_NUMBERS = {
    "13340": "5342883",
    "13519": "8900878",
    "13520": "8706349",
    "13554": "9562233",
    "13555": "8628597",
    "13556": "8937675",
    "13557": "8518780",
    "13576": "9191773",
    "13577": "9114555",
    "13578": "9020534",
    "13579": "7389704",
    "13637": "5434358",
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
MMSI_NUMBERS = {
    "13554": "620233000",
    "13555": "341985000",
    "13556": "445539000",
    "13557": "514569000",
}


@pytest.fixture(scope="module")
def legacy(shared_lists: Path) -> tuple[ListFile, list[Entity]]:
    listed = open_list(shared_lists / LEGACY)
    return listed, list(listed.entities())


@pytest.fixture(scope="module")
def by_group(legacy: tuple[ListFile, list[Entity]]) -> dict[str, Entity]:
    return {entity.entry_id: entity for entity in legacy[1]}


def test_format_and_publication_date(legacy: tuple[ListFile, list[Entity]]) -> None:
    listed = legacy[0]
    assert (listed.format.name, listed.published) == ("uk-ofsi-legacy-csv", dt.date(2018, 4, 13))
    assert listed.report.warnings == []


def test_counts(shared_lists: Path, legacy: tuple[ListFile, list[Entity]]) -> None:
    with (shared_lists / LEGACY).open(encoding="cp1252", newline="") as handle:
        next(handle)
        rows = list(csv.DictReader(handle))
    assert len(rows) == ROWS
    groups = {row["Group ID"]: row["Group Type"] for row in rows}
    assert Counter(groups.values()) == {"Individual": 1426, "Entity": 680}
    entities = legacy[1]
    assert len(entities) == GROUPS
    assert sorted(e.entry_id for e in entities) == sorted(groups)
    assert Counter(e.schema_ for e in entities) == {Schema.PERSON: 1426, Schema.ORGANIZATION: 680}
    assert Counter(n.kind.value for e in entities for n in e.names) == NAMES_BY_KIND
    assert len({p for e in entities for p in e.programs}) == REGIMES


def test_identifiers_read_from_free_text(legacy: tuple[ListFile, list[Entity]]) -> None:
    entities = legacy[1]
    types = Counter(i.type for e in entities for i in e.identifiers)
    assert types[IdentifierType.UN_REFERENCE] == UN_REFERENCES
    imo = {
        e.entry_id: i.value for e in entities for i in e.identifiers if i.type is IdentifierType.IMO
    }
    assert imo == IMO_NUMBERS
    mmsi = {
        e.entry_id: i.value
        for e in entities
        for i in e.identifiers
        if i.type is IdentifierType.MMSI
    }
    assert mmsi == MMSI_NUMBERS


def test_leading_space_in_name_6_and_free_text_passport(by_group: dict[str, Entity]) -> None:
    # Line 3: " AL-QAHTANI,Sheikh,Farooq,...,00/00/1980,...,AKA,...,13349"
    person = by_group["13349"]
    assert person.schema_ is Schema.PERSON
    assert person.primary_name == "Nayef Salam Muhammad Ujaym AL-HABABI"
    alias = next(n for n in person.names if n.full == "Sheikh Farooq AL-QAHTANI")
    assert (alias.kind, alias.first, alias.middle, alias.last) == (
        NameKind.ALIAS,
        "Sheikh",
        "Farooq",
        "AL-QAHTANI",
    )
    assert [(d.precision, d.year) for d in person.birth_dates] == [
        (DatePrecision.YEAR, 1980),
        (DatePrecision.YEAR, 1981),
    ]
    assert person.nationalities == ["SA", "QA"]  # "1) Saudi Arabia 2) Qatar"
    (passport,) = [i for i in person.identifiers if i.type is IdentifierType.PASSPORT]
    assert (passport.value, passport.country, passport.note) == (
        "592667",
        "QA",
        "Passport No: 592667 (Qatari passport issued on 3 May 2007).",
    )
    assert [
        (i.type, i.value) for i in person.identifiers if i.type is not IdentifierType.PASSPORT
    ] == [(IdentifierType.UN_REFERENCE, "QDe.004")]
    assert person.addresses[0].country_text == "Afghanistan (since 2009)"
    assert person.addresses[0].country == "AF"
    assert person.listed_on == dt.date(2016, 4, 1)


def test_vessel_listed_as_entity(by_group: dict[str, Entity]) -> None:
    ship = by_group["13556"]
    # The pre-2022 layout has no ship type: the file says Entity, and so does the reader.
    assert ship.schema_ is Schema.ORGANIZATION
    assert ship.primary_name == "TONG SAN 2"
    assert [(i.type, i.value) for i in ship.identifiers] == [
        (IdentifierType.IMO, "8937675"),
        (IdentifierType.MMSI, "445539000"),
    ]
    operator = by_group["13143"]
    assert not any(i.type is IdentifierType.IMO for i in operator.identifiers)
    assert "vessels with IMO Number: ((a) Chol Ryong" in operator.remarks[0]


def test_cp1252_text_is_decoded(by_group: dict[str, Entity]) -> None:
    names = {n.full for e in by_group.values() for n in e.names}
    assert "GROUPE ISLAMIQUE ARMÉ" in names  # 0xC9 in cp1252
    assert "Abdallah AL-MU’AYYAD" in names  # 0x92 in cp1252
    korea = by_group["11282"]
    assert korea.programs == ["North Korea (Democratic People's Republic of Korea)"]


def test_malformed_un_reference_stays_in_remarks(by_group: dict[str, Entity]) -> None:
    unreadable = [
        e for e in by_group.values() if any(re.search(r"UN Ref\.07[5-9]\b", r) for r in e.remarks)
    ]
    assert len(unreadable) == 4
    assert all(
        not any(i.type is IdentifierType.UN_REFERENCE for i in e.identifiers) for e in unreadable
    )


# --- bad input ----------------------------------------------------------------------------------


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _assert_refused(path: Path, says: str, line: int) -> None:
    with pytest.raises(ListReadError) as caught:
        list(open_list(path).entities())
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}: "), message
    assert says in message
    result = CliRunner().invoke(cli.main, ["lists", "inspect", str(path)])
    assert result.exit_code == 1
    assert _squash(f"{path}:{line}") in _squash(result.output)
    assert "Traceback" not in result.output
    assert "entities " not in result.output


def _head(shared_lists: Path, lines: int) -> list[bytes]:
    return (shared_lists / LEGACY).read_bytes().splitlines(keepends=True)[:lines]


def test_byte_undefined_in_cp1252(tmp_path: Path, shared_lists: Path) -> None:
    lines = _head(shared_lists, 40)
    lines[6] = lines[6].replace(b"SALIMI", b"SAL\x81MI")  # 0x81 has no cp1252 character
    path = tmp_path / "sanctionsconlist.csv"
    path.write_bytes(b"".join(lines))
    _assert_refused(path, "not valid cp1252 (Windows-1252) text: byte 0x81 at column 5", 7)


def test_truncated_inside_a_quoted_cell(tmp_path: Path, shared_lists: Path) -> None:
    lines = _head(shared_lists, 9)
    # Line 9 (2ND ACADEMY OF NATURAL SCIENCES) has a quoted Other Information: cut inside it.
    opening = lines[8].index(b'"Annex XIII')
    path = tmp_path / "sanctionsconlist.csv"
    path.write_bytes(b"".join(lines[:8]) + lines[8][: opening + 30])
    _assert_refused(path, "malformed CSV", 9)


def test_missing_group_id_column(tmp_path: Path, shared_lists: Path) -> None:
    lines = _head(shared_lists, 40)
    lines[1] = lines[1].replace(b",Group ID", b",Group")
    path = tmp_path / "sanctionsconlist.csv"
    path.write_bytes(b"".join(lines))
    _assert_refused(path, "the header has no 'Group ID' column", 2)
