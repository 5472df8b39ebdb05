"""OFAC sdnList XML (consolidated.xml; sdn.xml has the same schema).

Counts come from PROVENANCE.md or from a plain lxml walk of the files (sdnType, aka type and
category, idType, dateOfBirthItem and address elements), independent of the reader.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

import lists
from cli import main
from lists.errors import ListReadError
from lists.model import Entity, IdentifierType, NameKind, Schema

FORMAT = "ofac-xml"


def _read(path: Path) -> tuple[lists.ListFile, list[Entity]]:
    listed = lists.open_list(path)
    assert listed.format.name == FORMAT
    return listed, list(listed.entities())


def _by_schema(entities: list[Entity]) -> dict[str, int]:
    return dict(Counter(e.schema_.value for e in entities))


def _names_by_kind(entities: list[Entity]) -> dict[str, int]:
    return dict(Counter(n.kind.value for e in entities for n in e.names))


def _entity(entities: list[Entity], entry_id: str) -> Entity:
    return next(e for e in entities if e.entry_id == entry_id)


@pytest.fixture(scope="module")
def consolidated_2025_12(shared_lists: Path) -> list[Entity]:
    return _read(shared_lists / "ofac" / "consolidated_xml" / "2025-12-18" / "consolidated.xml")[1]


def test_consolidated_2018_old_namespace(shared_lists: Path) -> None:
    listed, entities = _read(shared_lists / "ofac" / "consolidated_2018" / "consolidated.xml")
    assert listed.published == dt.date(2018, 4, 6)
    assert len(entities) == 639
    assert _by_schema(entities) == {"organization": 471, "person": 94, "vessel": 74}
    # 1255 aka: strong a.k.a. 1024, strong f.k.a. 185, weak a.k.a. 45 and weak f.k.a. 1.
    assert _names_by_kind(entities) == {
        "primary": 639,
        "alias": 1024,
        "former": 185,
        "weak_alias": 46,
    }
    assert len({p for e in entities for p in e.programs}) == 7
    imo = [i for e in entities for i in e.identifiers if i.type is IdentifierType.IMO]
    assert len(imo) == 74  # 74 "Vessel Registration Identification", one per vessel
    assert sum(len(e.addresses) for e in entities) == 711
    assert sum(len(e.birth_dates) for e in entities) == 87
    assert listed.report.warnings == []


@pytest.mark.parametrize(
    ("date", "total", "people", "aliases", "programs"),
    [
        ("2025-10-22", 443, 80, 1145, 12),
        ("2025-12-18", 442, 79, 1145, 11),
        ("2026-01-08", 442, 79, 1144, 11),
    ],
)
def test_consolidated_xml_versions(
    shared_lists: Path, date: str, total: int, people: int, aliases: int, programs: int
) -> None:
    listed, entities = _read(shared_lists / "ofac" / "consolidated_xml" / date / "consolidated.xml")
    assert listed.published == dt.date.fromisoformat(date)
    assert len(entities) == total
    assert listed.report.warnings == []  # Record_Count agrees
    assert _by_schema(entities) == {"organization": 363, "person": people}
    kinds = _names_by_kind(entities)
    assert kinds["primary"] == total
    assert kinds["alias"] + kinds["former"] + kinds["weak_alias"] == aliases
    assert kinds["weak_alias"] == 72  # 69 weak a.k.a. and 3 weak f.k.a.
    assert len({p for e in entities for p in e.programs}) == programs


def test_id_types_that_are_facts_or_other_identifiers(consolidated_2025_12: list[Entity]) -> None:
    entities = consolidated_2025_12
    labels = Counter(i.label for e in entities for i in e.identifiers)
    # Securities identifiers are kept as OTHER identifiers with their label.
    assert labels["ISIN"] == 165
    assert labels["Equity Ticker"] == 69
    assert all(
        i.type is IdentifierType.OTHER
        for e in entities
        for i in e.identifiers
        if i.label in ("ISIN", "Equity Ticker", "BIK (RU)")
    )
    # Facts are remarks in OFAC's wording; none becomes an identifier.
    remarks = Counter(r.split(" ")[0] for e in entities for r in e.remarks)
    assert remarks["Issuer"] == 73  # "Issuer Name ...": a securities issuer, not an alias
    assert not any(i.label == "Issuer Name" for e in entities for i in e.identifiers)
    assert sum(1 for e in entities if e.gender == "male") == 2  # the two idType Gender
    assert sum(len(e.birth_dates) for e in entities) == 74
    assert sum(len(e.addresses) for e in entities) == 522


def test_person_and_id_country_written_into_the_number(
    consolidated_2025_12: list[Entity],
) -> None:
    haniya = _entity(consolidated_2025_12, "9639")
    assert haniya.schema_ is Schema.PERSON
    assert [(n.full, n.first, n.last, n.kind) for n in haniya.names] == [
        ("Ismail Abdul Salah HANIYA", "Ismail Abdul Salah", "HANIYA", NameKind.PRIMARY),
        ("Ismail HANIYA", "Ismail", "HANIYA", NameKind.ALIAS),
        ("Ismaeel HANIYYA", "Ismaeel", "HANIYYA", NameKind.ALIAS),
    ]
    assert [d.year for d in haniya.birth_dates] == [1962]
    assert haniya.birth_places == ["Shati"]
    assert haniya.programs == ["NS-PLC"]
    # NOVATEK: the XML writes "1026303117642 (Russia)" as idNumber, with no idCountry.
    novatek = _entity(consolidated_2025_12, "17064")
    assert [(i.label, i.value, i.country) for i in novatek.identifiers][:2] == [
        ("Registration ID", "1026303117642", "RU"),
        ("Government Gazette Number", "33556474", "RU"),
    ]
    assert novatek.addresses[1].lines == ["22 A, Pobedy Street", "Tarko-Sale"]
    assert novatek.addresses[1].city == "Yamalo-Nenets Autonomous District"
    assert novatek.addresses[0].region == "Moscow"
    assert novatek.addresses[0].postal_code == "119415"
    assert novatek.addresses[0].country == "RU"


def test_russian_bank_matches_its_csv_entry(
    shared_lists: Path, consolidated_2025_12: list[Entity]
) -> None:
    xml_bank = _entity(consolidated_2025_12, "17016")
    csv_entities = list(
        lists.open_list(shared_lists / "ofac" / "consolidated_csv_2025-12").entities()
    )
    csv_bank = _entity(csv_entities, "17016")
    assert xml_bank.names == csv_bank.names
    assert sorted(i.model_dump_json() for i in xml_bank.identifiers) == sorted(
        i.model_dump_json() for i in csv_bank.identifiers
    )
    assert ("Tax ID No.", "7744001497", "RU") in [
        (i.label, i.value, i.country) for i in xml_bank.identifiers
    ]
    assert sorted(xml_bank.programs) == sorted(csv_bank.programs)


def _per_entry(entities: list[Entity]) -> dict[str, tuple[object, ...]]:
    return {
        e.entry_id: (
            e.schema_,
            sorted(n.model_dump_json() for n in e.names),
            sorted(i.model_dump_json() for i in e.identifiers),
            sorted(d.model_dump_json() for d in e.birth_dates),
            e.nationalities,
            e.citizenships,
            e.countries,
            sorted(e.programs),
            sorted(e.related),
            e.gender,
            len(e.addresses),
        )
        for e in entities
    }


def test_consolidated_2018_csv_and_xml_agree(shared_lists: Path) -> None:
    folder = shared_lists / "ofac" / "consolidated_2018"
    _, from_xml = _read(folder / "consolidated.xml")
    from_csv = list(lists.open_list(folder).entities())
    assert _by_schema(from_csv) == _by_schema(from_xml)
    xml_entries = _per_entry(from_xml)
    csv_entries = _per_entry(from_csv)
    assert xml_entries.keys() == csv_entries.keys()
    differing = [key for key in xml_entries if xml_entries[key] != csv_entries[key]]
    # One alias is written with double quotes in the XML and single quotes in the CSV:
    # OPEN JOINT-STOCK COMPANY "OIL TRUNK PIPELINES 'DRUZHBA'".
    assert differing == ["22391"]


def test_consolidated_2025_12_csv_and_december_xml_agree(
    shared_lists: Path, consolidated_2025_12: list[Entity]
) -> None:
    from_csv = list(lists.open_list(shared_lists / "ofac" / "consolidated_csv_2025-12").entities())
    xml_entries = _per_entry(consolidated_2025_12)
    csv_entries = _per_entry(from_csv)
    assert xml_entries.keys() == csv_entries.keys()
    assert [key for key in xml_entries if xml_entries[key] != csv_entries[key]] == ["22391"]


# --- bad input -----------------------------------------------------------------------------------

HEAD = (
    '<?xml version="1.0" standalone="yes"?>\n'
    '<sdnList xmlns="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML">\n'
    "  <publshInformation><Publish_Date>12/18/2025</Publish_Date>"
    "<Record_Count>2</Record_Count></publshInformation>\n"
)
ENTRY = (
    "  <sdnEntry>\n"
    "    <uid>{uid}</uid>\n"
    "    <lastName>{name}</lastName>\n"
    "    <sdnType>Entity</sdnType>\n"
    "    <programList><program>SDGT</program></programList>\n"
    "  </sdnEntry>\n"
)


def _write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return path


def _assert_refused(path: Path, message: str, where: str) -> None:
    with pytest.raises(ListReadError) as caught:
        list(lists.open_list(path).entities())
    assert str(caught.value).startswith(where), str(caught.value)
    assert message in str(caught.value)
    result = CliRunner().invoke(main, ["lists", "inspect", str(path)])
    assert result.exit_code == 1
    assert where in result.output and message in result.output
    assert "Traceback" not in result.output


def test_small_valid_file(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "sdn.xml",
        HEAD + ENTRY.format(uid=1, name="ALPHA") + ENTRY.format(uid=2, name="BETA") + "</sdnList>",
    )
    listed, entities = _read(path)
    assert listed.published == dt.date(2025, 12, 18)
    assert [(e.entry_id, e.primary_name, e.programs) for e in entities] == [
        ("1", "ALPHA", ["SDGT"]),
        ("2", "BETA", ["SDGT"]),
    ]
    assert entities[1].ref.record == "10"  # the line of the sdnEntry
    assert listed.report.warnings == []


def test_record_count_mismatch_is_a_warning(tmp_path: Path) -> None:
    path = _write(tmp_path / "sdn.xml", HEAD + ENTRY.format(uid=1, name="ALPHA") + "</sdnList>")
    listed, entities = _read(path)
    assert len(entities) == 1
    assert listed.report.warnings == ["sdn.xml: Record_Count says 2 entries, the file holds 1"]


def test_truncated_file_is_refused(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "sdn.xml", HEAD + ENTRY.format(uid=1, name="ALPHA") + "  <sdnEntry><uid>2"
    )
    _assert_refused(path, "malformed XML", f"{path}:")


def test_wrong_encoding_is_refused(tmp_path: Path) -> None:
    # A Latin-1 byte in a file declared UTF-8, beyond the head read for detection: 700 good
    # entries of 6 lines after the 3 head lines, so the bad lastName is on line 4206.
    good = "".join(ENTRY.format(uid=uid, name="ALPHA") for uid in range(1, 701))
    bad = ENTRY.format(uid=701, name="CAFÉ")
    latin1 = (HEAD + good + bad + "</sdnList>").encode("latin-1")
    path = _write(tmp_path / "sdn.xml", latin1)
    _assert_refused(path, "malformed XML", f"{path}:4206")


def test_entry_without_uid_or_type_is_refused(tmp_path: Path) -> None:
    no_uid = ENTRY.format(uid=1, name="ALPHA").replace("    <uid>1</uid>\n", "")
    path = _write(tmp_path / "sdn.xml", HEAD + no_uid + "</sdnList>")
    _assert_refused(path, "sdnEntry without uid", f"{path}:4")
    no_type = ENTRY.format(uid=7, name="ALPHA").replace("Entity", "Spaceship")
    path = _write(tmp_path / "sdn.xml", HEAD + no_type + "</sdnList>")
    _assert_refused(path, "sdnType 'Spaceship' is not Individual", f"{path}:4 (record 7)")
    no_name = ENTRY.format(uid=8, name="").replace("    <lastName></lastName>\n", "")
    path = _write(tmp_path / "sdn.xml", HEAD + no_name + "</sdnList>")
    _assert_refused(path, "sdnEntry without lastName", f"{path}:4 (record 8)")


def test_bad_publish_date_is_refused(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "sdn.xml",
        HEAD.replace("12/18/2025", "2025-18-12") + ENTRY.format(uid=1, name="A") + "</sdnList>",
    )
    with pytest.raises(ListReadError, match="Publish_Date '2025-18-12' is not MM/DD/YYYY"):
        lists.open_list(path)
    result = CliRunner().invoke(main, ["lists", "inspect", str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
