"""The US Consolidated Screening List CSV (`lists.us_csl.csl_csv`) on the real 2023-11 excerpt.

The excerpt (``us_csl/fixtures/watchman_2023-11/csl.csv``, kept as a test fixture by
moov-io/watchman) is cut inside a quoted cell: its last line, 4233, is the start of an SDN
record whose address never closes. The adapter refuses it, as it refuses any truncated
download (first test); every other test reads ``complete``, a copy of lines 1-4232, i.e. the
excerpt without its unfinished record.

Expected numbers come from `_measure`, a plain `csv` reading of the copy that shares no code
with the adapter, and were measured that way on 2026-12-06. PROVENANCE's "4,227 data rows"
counts the cut record; the issue's "4,220 entities" is 4,227 less the 7 repeated ``_id``s.
The adapter's 4,226 = 4,227 - 1 cut record: the 7 repeated ``_id``s are each the same party
on two sub-lists and stay one entity per sub-list (see `test_rows_repeats_and_the_count`).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from lists import Entity, IdentifierType, ListReadError, NameKind, Schema
from lists.base import Head, ReadReport
from lists.datasets import DATASETS
from lists.detect import detect
from lists.sources import source_spec
from lists.us_csl import csl_csv

EXCERPT = "us_csl/fixtures/watchman_2023-11/csl.csv"
CUT_LINE = 4233
# The rule of the module docstring for rows without a type: a prison address means a person.
PRISONER = re.compile(r"\bINMATE\b|\bINCARCERATED\b", re.I)


@dataclass(frozen=True)
class Measured:
    header_lines: list[int]
    rows: list[tuple[int, dict[str, str]]]  # (line, cells) of the data rows

    def count(self, column: str) -> Counter[str]:
        return Counter(cells[column] for _, cells in self.rows)


def _measure(path: Path) -> Measured:
    """The data rows of a CSL CSV, with the plain csv module (header rows set apart)."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        header_lines, rows = [1], []
        line_end = reader.line_num
        for cells in reader:
            # The line a record starts on: three records hold a line break inside a cell.
            line, line_end = line_end + 1, reader.line_num
            if cells == header:
                header_lines.append(line)
            else:
                rows.append((line, dict(zip(header, cells, strict=True))))
    return Measured(header_lines=header_lines, rows=rows)


@pytest.fixture(scope="module")
def complete(shared_lists: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The excerpt less its last, unfinished record (lines 1 to CUT_LINE - 1)."""
    lines = (shared_lists / EXCERPT).read_bytes().split(b"\n")
    assert len(lines) == CUT_LINE  # the cut line has no newline
    path = tmp_path_factory.mktemp("csl") / "csl.csv"
    path.write_bytes(b"\n".join(lines[: CUT_LINE - 1]) + b"\n")
    return path


@pytest.fixture(scope="module")
def measured(complete: Path) -> Measured:
    return _measure(complete)


@pytest.fixture(scope="module")
def read(complete: Path) -> tuple[list[Entity], ReadReport]:
    report = ReadReport()
    return list(csl_csv.entities(complete, report)), report


@pytest.fixture(scope="module")
def entities(read: tuple[list[Entity], ReadReport]) -> list[Entity]:
    return read[0]


def _dataset_of(source_text: str) -> str:
    return next(d.id for d in DATASETS if d.published_as == source_text)


def _entity(entities: list[Entity], dataset: str, entry_id: str) -> Entity:
    return next(e for e in entities if e.dataset == dataset and e.entry_id == entry_id)


# --- the excerpt as published, and the count ---------------------------------------------------


def test_the_excerpt_is_cut_inside_a_record_and_refused(shared_lists: Path) -> None:
    path = shared_lists / EXCERPT
    last = path.read_bytes().split(b"\n")[-1]
    assert last.startswith(b'"11476","Specially Designated Nationals (SDN)')
    assert last.count(b'"') % 2 == 1  # a quote left open
    with path.open(newline="", encoding="utf-8") as handle, pytest.raises(csv.Error):
        list(csv.reader(handle, strict=True))

    with pytest.raises(ListReadError) as caught:
        list(csl_csv.entities(path, ReadReport()))
    assert caught.value.line == CUT_LINE
    assert "truncated" in str(caught.value)
    assert str(caught.value).startswith(f"{path}:{CUT_LINE}: ")


def test_rows_repeats_and_the_count(
    measured: Measured, read: tuple[list[Entity], ReadReport]
) -> None:
    entities, report = read
    assert measured.header_lines == [1, 2]
    assert len(measured.rows) == 4226  # PROVENANCE's 4,227 less the cut record
    by_id: dict[str, list[tuple[int, str]]] = {}
    for line, cells in measured.rows:
        by_id.setdefault(cells["_id"], []).append((line, _dataset_of(cells["source"])))
    repeated = {key: found for key, found in by_id.items() if len(found) > 1}
    assert len(by_id) == 4219
    # Each repeated _id is one party on two sub-lists, never twice on one: one entity each.
    assert repeated == {
        "17014": [(10, "us_csl_ns_mbs"), (1012, "us_csl_ssi")],
        "17016": [(844, "us_csl_ns_mbs"), (1091, "us_csl_ssi")],
        "17143": [(845, "us_csl_ns_mbs"), (1096, "us_csl_ssi")],
        "17250": [(846, "us_csl_ns_mbs"), (1099, "us_csl_ssi")],
        "17254": [(847, "us_csl_ns_mbs"), (1100, "us_csl_ssi")],
        "9659": [(1031, "us_csl_plc"), (3482, "us_csl_sdn")],
        "9647": [(1089, "us_csl_plc"), (3481, "us_csl_sdn")],
    }
    assert len(entities) == 4226
    assert len({(e.dataset, e.entry_id) for e in entities}) == 4226
    assert report.warnings[0] == "line 2 repeats the header row; skipped"
    shared = next(w for w in report.warnings if "two or more sub-lists" in w)
    assert shared.startswith("7 _id(s) are listed on two or more sub-lists")
    assert "17014 (line 10 us_csl_ns_mbs, line 1012 us_csl_ssi)" in shared


def test_entities_by_dataset(measured: Measured, entities: list[Entity]) -> None:
    expected = Counter({_dataset_of(s): n for s, n in measured.count("source").items()})
    assert Counter(e.dataset for e in entities) == expected
    assert expected == {
        "us_csl_sdn": 1737,  # 1,738 in PROVENANCE, with the cut record
        "us_csl_el": 919,
        "us_csl_dpl": 577,
        "us_csl_ssi": 288,
        "us_csl_uvl": 186,
        "us_csl_isn": 144,
        "us_csl_dtc": 142,
        "us_csl_plc": 78,
        "us_csl_meu": 71,
        "us_csl_cmic": 68,
        "us_csl_ns_mbs": 14,
        "us_csl_fse": 1,
        "us_csl_cap": 1,
    }


def test_entities_by_schema(measured: Measured, entities: list[Entity]) -> None:
    by_type = measured.count("type")
    assert by_type == {"": 2039, "Individual": 1124, "Entity": 1060, "Vessel": 3}
    untyped = [cells for _, cells in measured.rows if not cells["type"]]
    prisoners = sum(bool(PRISONER.search(cells["addresses"])) for cells in untyped)
    assert prisoners == 152  # all on the Denied Persons List
    assert {cells["source"][:19] for cells in untyped if PRISONER.search(cells["addresses"])} == {
        "Denied Persons List"
    }
    assert Counter(e.schema_ for e in entities) == {
        Schema.PERSON: by_type["Individual"] + prisoners,
        Schema.ORGANIZATION: by_type["Entity"] + len(untyped) - prisoners,
        Schema.VESSEL: by_type["Vessel"],
    }


def test_names_by_kind(measured: Measured, entities: list[Entity]) -> None:
    # Aliases measured as the raw parts of alt_names: "; "-separated, except the ISN rows'
    # comma-separated text. The adapter keeps 8 fewer, each accounted for here: 3 aliases
    # repeated within their row, 3 equal to the row's primary name, and 2 ISN "SURNAME, Given"
    # pairs kept as one name; 2 ISN parts start "F.K.A." and are former names.
    parts = 0
    for _, cells in measured.rows:
        separator = "," if cells["source"].startswith("Nonproliferation") else ";"
        parts += len([p for p in cells["alt_names"].split(separator) if p.strip()])
    assert parts == 6080 + 132
    kinds = Counter(name.kind for e in entities for name in e.names)
    assert kinds[NameKind.PRIMARY] == len(measured.rows)
    assert kinds[NameKind.ALIAS] + kinds[NameKind.FORMER] == parts - 3 - 3 - 2
    assert kinds[NameKind.FORMER] == 2
    assert kinds[NameKind.WEAK_ALIAS] == 0  # the CSL does not mark weak aliases
    isn = [e for e in entities if e.dataset == "us_csl_isn"]
    assert {n.full for e in isn for n in e.names} >= {"CIRE, Kursat Zafer", "ZAMAN, Haydar"}


def test_identifiers_by_type(measured: Measured, entities: list[Entity]) -> None:
    # Every identifier comes from an `ids` part (or a vessel's call_sign), so the count per
    # label equals the count of `ids` parts with that label, for every label that is a document.
    labels = Counter(
        part.split(",")[0].strip()
        for _, cells in measured.rows
        for part in cells["ids"].split(";")
        if part.strip()
    )
    by_label = Counter(i.label or "" for e in entities for i in e.identifiers)
    assert by_label.pop("Vessel Call Sign") == sum(bool(c["call_sign"]) for _, c in measured.rows)
    assert dict(by_label) == {label: labels[label] for label in by_label}
    assert sum(by_label.values()) == 2299  # of 3,621 `ids` parts; the rest are facts (remarks)
    assert labels.total() == 3621
    assert Counter(i.type for e in entities for i in e.identifiers) == {
        IdentifierType.REGISTRATION_NUMBER: 539,  # Registration ID 232, Gazette Number 160 ...
        IdentifierType.TAX_ID: 508,  # Tax ID No. 222, NIT # 114, R.F.C. 108 ...
        IdentifierType.PASSPORT: 334,  # Passport 325, Travel Document 6, Diplomatic 2, BNO 1
        IdentifierType.NATIONAL_ID: 301,  # Cedula 116, C.U.R.P. 56, National ID No. 51 ...
        IdentifierType.OTHER: 249,  # ISIN 165, Equity Ticker 69, BIK (RU) 6 ...
        IdentifierType.WEBSITE: 200,
        IdentifierType.EMAIL: 129,
        IdentifierType.BIC: 37,
        IdentifierType.CALL_SIGN: 2,
        IdentifierType.IMO: 2,
    }
    assert labels["SWIFT/BIC"] == 37 and labels["Passport"] == 325


def test_imo_numbers(measured: Measured, read: tuple[list[Entity], ReadReport]) -> None:
    entities, report = read
    written = {
        cells["_id"]: number
        for _, cells in measured.rows
        for number in re.findall(r"\bIMO (\d{7})\b", cells["ids"])
    }
    assert written == {"4243": "7406784", "4249": "7206512"}  # EBANO and TIFON, line 1004-5
    imos = {
        e.entry_id: i.value
        for e in entities
        for i in e.identifiers
        if i.type is IdentifierType.IMO and e.schema_ is Schema.VESSEL
    }
    assert imos == written
    # Both pass the check digit (7*7+4*6+0*5+6*4+7*3+8*2 = 134 -> 4), so no IMO warning.
    assert not any("IMO" in warning for warning in report.warnings)


def test_listing_dates(measured: Measured, entities: list[Entity]) -> None:
    dates = [cells["start_date"] for _, cells in measured.rows if cells["start_date"]]
    assert len(dates) == 1538
    listed = [e.listed_on for e in entities if e.listed_on is not None]
    assert sorted(listed) == sorted(dt.date.fromisoformat(d) for d in dates)
    assert max(listed) == dt.date(2023, 11, 16)  # PROVENANCE: newest start_date


# --- spot checks -------------------------------------------------------------------------------


def test_an_entity_list_russian_entity(entities: list[Entity]) -> None:
    # Line 3007, as written: name "EITom Research and Production Company", alias "NPP ElTom",
    # address "Garshin Street 11, Tomilino, Lyuberetsky, Moscow, 140070, RU", 2016-12-27.
    entity = _entity(
        entities, "us_csl_el", "4cc994fff989b0598e74cd7587adb0149e7a824a2d7f56fa2b6ba1eb"
    )
    assert entity.schema_ is Schema.ORGANIZATION
    assert [(n.full, n.kind) for n in entity.names] == [
        ("EITom Research and Production Company", NameKind.PRIMARY),
        ("NPP ElTom", NameKind.ALIAS),
    ]
    assert [(a.lines, a.country) for a in entity.addresses] == [
        (["Garshin Street 11, Tomilino, Lyuberetsky, Moscow, 140070"], "RU")
    ]
    assert entity.listed_on == dt.date(2016, 12, 27)
    assert "Federal Register notice: 81 FR 94963" in entity.remarks
    assert "License policy: Presumption of denial." in entity.remarks
    assert entity.ref.record == "3007"


def test_an_sdn_vessel_with_its_imo_number(entities: list[Entity]) -> None:
    # Line 1004: EBANO, General Cargo, 2595 / 1865 tonnes, flag Panama, a.k.a. ANA I; SAND SWAN.
    vessel = _entity(entities, "us_csl_sdn", "4243")
    assert vessel.schema_ is Schema.VESSEL
    assert [n.full for n in vessel.names] == ["EBANO", "ANA I", "SAND SWAN"]
    assert [(i.type, i.value, i.label) for i in vessel.identifiers] == [
        (IdentifierType.IMO, "7406784", "Vessel Registration Identification")
    ]
    assert vessel.countries == ["PA"]
    assert vessel.programs == ["CUBA"]
    assert vessel.remarks == [
        "Vessel Type: General Cargo",
        "Tonnage: 2595",
        "Gross Registered Tonnage: 1865",
    ]


def test_an_sdn_individual_and_the_same_party_on_the_plc_list(entities: list[Entity]) -> None:
    sdn = _entity(entities, "us_csl_sdn", "9647")
    plc = _entity(entities, "us_csl_plc", "9647")
    # SDN rows write "LAST, First"; the PLC row writes "First LAST": the same name either way.
    assert sdn.names[0].full == plc.names[0].full == "Mahmoud Khaled ZAHHAR"
    assert (sdn.names[0].first, sdn.names[0].last) == ("Mahmoud Khaled", "ZAHHAR")
    assert sdn.related == ["HAMAS"]  # "(Linked To: HAMAS)"
    assert sdn.gender == "male" and sdn.nationalities == ["PS"]
    assert [d.year for d in sdn.birth_dates] == [1945]


def test_a_document_with_country_and_dates(entities: list[Entity]) -> None:
    # "Passport, E590976, TN, 19 Jun 1987, 18 Jun 1992": number, country, issue and expiry.
    passports = [i for e in entities for i in e.identifiers if i.value == "E590976"]
    assert [(p.type, p.country, p.note) for p in passports] == [
        (IdentifierType.PASSPORT, "TN", "issued 19 Jun 1987; expires 18 Jun 1992")
    ]


def test_c1_characters_are_read_as_cp1252(read: tuple[list[Entity], ReadReport]) -> None:
    entities, report = read
    names = [n.full for e in entities for n in e.names if "Xi’an" in n.full]
    assert len(names) == 3
    assert not any(re.search("[\x80-\x9f]", n.full) for e in entities for n in e.names)
    assert any(w.startswith("C1 control characters") for w in report.warnings)


# --- detection, sources and the CLI ------------------------------------------------------------


def test_detected_sniffed_and_published(complete: Path) -> None:
    assert detect(complete) is csl_csv.FORMAT
    assert csl_csv.published(complete) is None
    assert not csl_csv.sniff(Head(path=complete, data=b"_id,name,source\n1,A,B\n"))
    spec = source_spec("us_csl")
    assert [f.url for f in spec.files] == [
        "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"
    ]


def test_inspected_through_the_cli(complete: Path, measured: Measured) -> None:
    from cli import main

    result = CliRunner().invoke(main, ["lists", "inspect", "--json", str(complete)])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    inspected = payload[0] if isinstance(payload, list) else payload
    assert inspected["format"] == "us-csl-csv"
    assert inspected["source"] == "us_csl"
    assert inspected["published"] is None
    assert inspected["entities"] == len(measured.rows) == 4226
    assert inspected["by_schema"] == {
        "person": 1276,
        "organization": 2947,
        "vessel": 3,
        "aircraft": 0,
    }


def test_loaded_into_a_store_as_one_version_per_sub_list(
    complete: Path, measured: Measured, tmp_path: Path
) -> None:
    from lists.detect import open_list
    from screening.store import ListStore

    store = ListStore(f"sqlite:///{tmp_path / 's.db'}")
    result = store.load(open_list(complete), published_on=dt.date(2023, 11, 20))
    versions = {r.version.dataset: r.version.entity_count for r in result.datasets}
    expected = Counter({_dataset_of(s): n for s, n in measured.count("source").items()})
    assert versions == expected
    assert versions["us_csl_el"] == 919 and versions["us_csl_sdn"] == 1737
    assert {v.dataset for v in store.active_versions()} == set(expected)


# --- bad input ---------------------------------------------------------------------------------


def _header_and_rows(complete: Path, rows: int) -> bytes:
    lines = complete.read_bytes().split(b"\n")
    return b"\n".join([lines[0], *lines[2 : 2 + rows]]) + b"\n"


def _refused(path: Path) -> ListReadError:
    with pytest.raises(ListReadError) as caught:
        list(csl_csv.entities(path, ReadReport()))
    return caught.value


def test_truncated_mid_quote(complete: Path, tmp_path: Path) -> None:
    data = _header_and_rows(complete, 5)
    path = tmp_path / "cut.csv"
    path.write_bytes(data[: data.rfind(b"Bolshaya")])  # inside the VTB address, line 4
    error = _refused(path)
    assert (error.line, "truncated" in error.message) == (4, True)


def test_unknown_source_names_the_line(complete: Path, tmp_path: Path) -> None:
    data = _header_and_rows(complete, 3).replace(
        b'"Sectoral Sanctions Identifications List (SSI) - Treasury Department"',
        b'"Sectoral Sanctions List (SSL) - Treasury Department"',
    )
    path = tmp_path / "new_list.csv"
    path.write_bytes(data)
    error = _refused(path)
    assert error.line == 4
    assert "unknown CSL source 'Sectoral Sanctions List (SSL) - Treasury Department'" in str(error)


def test_missing_id_column(complete: Path, tmp_path: Path) -> None:
    lines = _header_and_rows(complete, 2).split(b"\n")
    lines[0] = lines[0].replace(b"_id,source,entity_number", b"id,source,entity_number")
    path = tmp_path / "no_id.csv"
    path.write_bytes(b"\n".join(lines))
    error = _refused(path)
    assert error.line == 1 and "expected it to start _id,source,entity_number" in error.message
    lines[0] = b"_id,source,entity_number,type,programs"  # a CSL header without name
    path.write_bytes(b"\n".join(lines))
    assert "lacks the column(s) name" in _refused(path).message


def test_nul_bytes(complete: Path, tmp_path: Path) -> None:
    data = _header_and_rows(complete, 3)
    path = tmp_path / "nul.csv"
    path.write_bytes(data.replace(b"China Telecom Corporation Limited", b"China\0Telecom", 1))
    error = _refused(path)
    assert error.line == 2  # the China Telecom row
    assert "a NUL byte" in error.message


def test_repeated_id_within_one_sub_list_keeps_the_first(complete: Path, tmp_path: Path) -> None:
    lines = _header_and_rows(complete, 3).split(b"\n")
    path = tmp_path / "twice.csv"
    path.write_bytes(b"\n".join([*lines[:4], lines[1], b""]))
    report = ReadReport()
    found = list(csl_csv.entities(path, report))
    assert [e.entry_id for e in found] == ["30882", "dcc742038bcb47f1bf9e805ef279484d", "17013"]
    assert report.warnings[0] == (
        "_id 30882 appears twice in us_csl_cmic (lines 2 and 5): the row at line 5 is skipped"
    )


def test_bad_input_through_the_cli_has_no_traceback(shared_lists: Path, tmp_path: Path) -> None:
    from cli import main

    copy = tmp_path / "csl.csv"
    shutil.copy(shared_lists / EXCERPT, copy)
    result = CliRunner().invoke(main, ["lists", "inspect", "--json", str(copy)])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert f"{copy}:{CUT_LINE}" in result.output
