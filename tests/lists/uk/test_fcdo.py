"""FCDO "UK Sanctions List" XML: the two excerpts in uk/fixtures (see PROVENANCE.md).

GSmiguel: 5 Designation (Individual 2, Entity 2, Ship 1), 10 Name, 2 NonLatinName, DateGenerated
10/09/2026. jaggeman: 4 real Designation (AFG0011, AQD0128 Individual; AQD0377 Entity; DPR0075
Ship) plus one SYNTHETIC record without UniqueID, 15 Name (1 synthetic), 3 NonLatinName,
DateGenerated 14/08/2026. Counts are re-measured here with lxml directly.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

import cli
from lists import open_list
from lists.errors import ListReadError
from lists.model import DatePrecision, Entity, IdentifierType, NameKind, Schema, Source

GSMIGUEL = "uk/fixtures/GSmiguel/sample_uk_sanctions.xml"
JAGGEMAN = "uk/fixtures/jaggeman/uk_sample.xml"


def _read(path: Path) -> tuple[list[Entity], list[str]]:
    listed = open_list(path)
    assert listed.format.name == "uk-fcdo-xml"
    assert listed.source is Source.UK
    return list(listed.entities()), listed.report.warnings


def _count(path: Path, xpath: str) -> int:
    result = etree.parse(str(path)).xpath(f"count({xpath})")
    assert isinstance(result, float)
    return int(result)


@pytest.fixture(scope="module")
def gsmiguel(shared_lists: Path) -> dict[str, Entity]:
    entities, warnings = _read(shared_lists / GSMIGUEL)
    assert warnings == []
    return {entity.entry_id: entity for entity in entities}


@pytest.fixture(scope="module")
def jaggeman(shared_lists: Path) -> dict[str, Entity]:
    entities, _warnings = _read(shared_lists / JAGGEMAN)
    return {entity.entry_id: entity for entity in entities}


def test_publication_dates(shared_lists: Path) -> None:
    assert open_list(shared_lists / GSMIGUEL).published == dt.date(2026, 9, 10)
    assert open_list(shared_lists / JAGGEMAN).published == dt.date(2026, 8, 14)


def test_gsmiguel_counts(shared_lists: Path, gsmiguel: dict[str, Entity]) -> None:
    path = shared_lists / GSMIGUEL
    assert _count(path, "//Designation") == len(gsmiguel) == 5
    assert list(gsmiguel) == ["AFG0001", "AFG0006", "BEL0107", "DPR0075", "AQD0195"]
    assert Counter(e.schema_ for e in gsmiguel.values()) == {
        Schema.PERSON: 2,
        Schema.ORGANIZATION: 2,
        Schema.VESSEL: 1,
    }
    names = [n for e in gsmiguel.values() for n in e.names]
    latin = [n for n in names if n.script == "Latn"]
    non_latin = [n for n in names if n.script != "Latn"]
    assert _count(path, "//Names/Name") == len(latin) == 10
    assert _count(path, "//NonLatinName") == len(non_latin) == 2
    assert Counter(n.kind for n in names) == {
        NameKind.PRIMARY: 5,
        NameKind.ALIAS: 6,  # 3 "Alias" without strength or Good, 1 variation, 2 non-Latin
        NameKind.WEAK_ALIAS: 1,
    }


def test_jaggeman_counts_and_synthetic_record(shared_lists: Path) -> None:
    path = shared_lists / JAGGEMAN
    entities, warnings = _read(path)
    assert _count(path, "//Designation") == 5
    assert [e.entry_id for e in entities] == ["AFG0011", "AQD0128", "AQD0377", "DPR0075"]
    assert warnings == [
        f"{path}:353: Designation without UniqueID (No Unique Id) cannot be keyed; skipped"
    ]
    latin = [n for e in entities for n in e.names if n.script == "Latn"]
    assert _count(path, "//Names/Name") - 1 == len(latin) == 14
    assert _count(path, "//NonLatinName") == 3
    assert sorted(n.script or "" for e in entities for n in e.names if n.script != "Latn") == [
        "Arab",
        "Arab",
        "Cyrl",
    ]


def test_entity_with_group_id_un_reference_and_contacts(gsmiguel: dict[str, Entity]) -> None:
    exchange = gsmiguel["AFG0001"]
    assert exchange.schema_ is Schema.ORGANIZATION
    assert [(n.full, n.kind, n.script) for n in exchange.names] == [
        ("HAJI KHAIRULLAH MONEY EXCHANGE", NameKind.PRIMARY, "Latn"),
        ("Haji Alim Hawala", NameKind.ALIAS, "Latn"),
        ("حاجی خيرالله صرافی", NameKind.ALIAS, "Arab"),
    ]
    assert [(i.type, i.value, i.label) for i in exchange.identifiers] == [
        (IdentifierType.OTHER, "12703", "OFSI Group ID"),
        (IdentifierType.UN_REFERENCE, "TAe.010", "UNReferenceNumber"),
        (IdentifierType.PHONE, "0202-104748", "PhoneNumber"),
        (IdentifierType.EMAIL, "helmand_exchange_msp@yahoo.com", "EmailAddress"),
    ]
    assert [(a.lines, a.country) for a in exchange.addresses] == [
        (["Ansari Market, 2nd Floor", "Nimroz Province"], "AF"),
        (["Branch Office 14", "Dubai"], "AE"),
    ]
    assert exchange.programs == ["The Afghanistan (Sanctions) (EU Exit) Regulations 2020"]
    assert exchange.listed_on == dt.date(2012, 6, 29)
    assert "Sanctions imposed: Asset freeze" in exchange.remarks
    # An empty UKStatementofReasons (just a newline) adds nothing.
    assert not any(r.startswith("UK Statement of Reasons") for r in exchange.remarks)


def test_individual_details(gsmiguel: dict[str, Entity]) -> None:
    person = gsmiguel["AFG0006"]
    primary = person.names[0]
    assert (primary.full, primary.first, primary.middle, primary.last) == (
        "MOHAMMAD HASSAN AKHUND",
        "MOHAMMAD",
        "HASSAN",
        "AKHUND",
    )
    assert (person.names[1].full, person.names[1].kind) == ("Mohammad Akhwand", NameKind.ALIAS)
    assert [(d.precision, d.year, d.text) for d in person.birth_dates] == [
        (DatePrecision.DAY, 1958, "12/05/1958"),
        (DatePrecision.YEAR, 1945, "dd/mm/1945"),
        (DatePrecision.YEAR, 1946, "1946"),
    ]
    assert person.nationalities == ["AF"]
    assert person.gender == "male"
    assert person.birth_places == ["Pashmul village, Panjwai District, Afghanistan"]
    documents = [(i.type, i.value, i.country) for i in person.identifiers[2:]]
    # The same passport is listed twice; it is one identifier.
    assert documents == [
        (IdentifierType.PASSPORT, "P04581926", "AF"),
        (IdentifierType.NATIONAL_ID, "2132370", "AF"),
    ]
    assert "Title: Mullah; Haji" in person.remarks
    assert "Position: Deputy Minister of Agriculture under the Taliban regime" in person.remarks


def test_entity_details(gsmiguel: dict[str, Entity]) -> None:
    company = gsmiguel["BEL0107"]
    assert [(n.full, n.kind) for n in company.names] == [
        ("BNK (UK) Ltd", NameKind.PRIMARY),
        ("BNK UK Limited", NameKind.ALIAS),
        ("BNK", NameKind.WEAK_ALIAS),
    ]
    registration = next(
        i for i in company.identifiers if i.type is IdentifierType.REGISTRATION_NUMBER
    )
    assert (registration.value, registration.note) == ("06527449", "UK Company no. 06527449")
    assert company.related == [
        "CJSC Belarusian Oil Company",
        "Belneftekhim",
        "BNK (Deutschland) GmbH",
    ]
    assert "Subsidiary: BNK (Deutschland) GmbH" in company.remarks
    assert company.addresses[0].postal_code == "SM2 5DA"


@pytest.mark.parametrize("fixture", ["gsmiguel", "jaggeman"])
def test_ship(fixture: str, request: pytest.FixtureRequest) -> None:
    ship = request.getfixturevalue(fixture)["DPR0075"]
    assert ship.schema_ is Schema.VESSEL
    assert ship.primary_name == "Petrel 8"
    imo = [(i.value, i.label) for i in ship.identifiers if i.type is IdentifierType.IMO]
    assert imo == [("9562233", "IMO")]  # written "IMO9562233"
    assert ship.countries == ["KM", "IN"]  # current believed flag, previous flag
    assert ship.related == ["Global United Shipping India"]
    assert "Type of ship: Bulk Carrier" in ship.remarks
    assert not any(i.label == "OFSI Group ID" for i in ship.identifiers)


def test_ship_differences_between_excerpts(
    gsmiguel: dict[str, Entity], jaggeman: dict[str, Entity]
) -> None:
    assert next(i.value for i in gsmiguel["DPR0075"].identifiers) == "KPv.001"
    assert not any(i.type is IdentifierType.UN_REFERENCE for i in jaggeman["DPR0075"].identifiers)
    assert [n.full for n in jaggeman["DPR0075"].names] == [
        "Petrel 8",
        "Jal Vahini",
        "Jal_Vahini",
        "Tian Tai 36",
    ]
    assert "Year built: 2011" in jaggeman["DPR0075"].remarks


def test_name_without_surname(gsmiguel: dict[str, Entity]) -> None:
    (name,) = gsmiguel["AQD0195"].names
    assert (name.full, name.first, name.middle, name.last) == (
        "Fadhil Harun",
        "Fadhil",
        "Harun",
        None,
    )


def test_jaggeman_quirks(jaggeman: dict[str, Entity]) -> None:
    mansur = jaggeman["AFG0011"]
    # "12/11/1967" is listed twice: one date.
    assert [d.text for d in mansur.birth_dates] == ["dd/mm/1968", "12/11/1967"]
    passports = [i.value for i in mansur.identifiers if i.type is IdentifierType.PASSPORT]
    assert passports == ["D0009720", "D0010442"]  # " D0009720" in the file
    assert mansur.birth_places == [
        "Zurmat District, Paktia Province, Afghanistan",
        "Garda Saray District, Paktia Province, Afghanistan",
        "Afghanistan",
    ]
    akram = jaggeman["AQD0128"]
    assert akram.names[0].kind is NameKind.PRIMARY  # NameType "Primary name"
    assert [n.full for n in akram.names if n.kind is NameKind.WEAK_ALIAS] == [
        "Abu Akram",
        "Abu Jarrah",
    ]
    (ration_card,) = [i for i in akram.identifiers if i.type is IdentifierType.NATIONAL_ID]
    assert (ration_card.value, ration_card.note) == ("0075258", "Ration card no.")
    assert len(akram.birth_dates) == 5
    assert akram.birth_dates[3].precision is DatePrecision.MONTH  # dd/09/1958
    group = jaggeman["AQD0377"]
    assert "Jannat Oshiklari" in [n.full for n in group.names]  # "Jannat Oshiklari " in the file
    assert "Type of entity: Terrorist Group" in group.remarks


# --- records built here ------------------------------------------------------------------------

_HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n<Designations>\n'
    "  <DateGenerated>01/02/2026</DateGenerated>\n"
)


def _designation(
    unique_id: str,
    kind: str = "<IndividualEntityShip>Entity</IndividualEntityShip>",
    extra: str = "",
) -> str:
    return (
        "  <Designation>\n"
        f"    <UniqueID>{unique_id}</UniqueID>\n"
        "    <Names><Name><Name6>ACME TRADING</Name6>"
        "<NameType>Primary Name</NameType></Name></Names>\n"
        f"    {kind}\n"
        f"    {extra}\n"
        "  </Designation>\n"
    )


def _write(tmp_path: Path, body: str, *, close: bool = True) -> Path:
    path = tmp_path / "UK-Sanctions-List.xml"
    path.write_text(_HEAD + body + ("</Designations>\n" if close else ""), encoding="utf-8")
    return path


def test_unknown_element_is_kept_and_reported(tmp_path: Path) -> None:
    path = _write(tmp_path, _designation("RUS9999", extra="<HullNumber>H-12</HullNumber>"))
    listed = open_list(path)
    (entity,) = listed.entities()
    assert "HullNumber: H-12" in entity.remarks
    assert listed.report.warnings == [
        f"{path}:8: unknown element <HullNumber> in Designation records; "
        "its text is kept in remarks"
    ]
    assert listed.published == dt.date(2026, 2, 1)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _assert_refused(path: Path, says: str, where: str) -> None:
    with pytest.raises(ListReadError) as caught:
        list(open_list(path).entities())
    message = str(caught.value)
    assert message.startswith(where), message
    assert says in message
    result = CliRunner().invoke(cli.main, ["lists", "inspect", str(path)])
    assert result.exit_code == 1
    assert _squash(where) in _squash(result.output)
    assert "Traceback" not in result.output
    assert "entities " not in result.output


def test_truncated_file(tmp_path: Path, shared_lists: Path) -> None:
    data = (shared_lists / GSMIGUEL).read_bytes()
    path = tmp_path / "UK-Sanctions-List.xml"
    path.write_bytes(data[: data.index(b"<UniqueID>BEL0107")])
    line = data[: data.index(b"<UniqueID>BEL0107")].count(b"\n") + 1
    _assert_refused(path, "malformed XML", f"{path}:{line}:")


def test_missing_individual_entity_ship(tmp_path: Path) -> None:
    path = _write(tmp_path, _designation("AFG0100") + _designation("AFG0101", kind=""))
    _assert_refused(path, "Designation has no IndividualEntityShip", f"{path}:10 (record AFG0101):")


def test_unknown_designation_kind(tmp_path: Path) -> None:
    kind = "<IndividualEntityShip>Aircraft</IndividualEntityShip>"
    path = _write(tmp_path, _designation("AFG0102", kind=kind))
    _assert_refused(path, "unknown IndividualEntityShip 'Aircraft'", f"{path}:4 (record AFG0102):")


def test_duplicate_unique_id(tmp_path: Path) -> None:
    path = _write(tmp_path, _designation("AFG0104") + _designation("AFG0104"))
    _assert_refused(path, "UniqueID AFG0104 appears twice (first at line 4)", f"{path}:10 (record")


def test_invalid_utf8(tmp_path: Path) -> None:
    path = _write(tmp_path, _designation("AFG0103"))
    path.write_bytes(path.read_bytes().replace(b"ACME", b"AC\xe9E"))
    _assert_refused(path, "malformed XML", f"{path}:6:")


def test_cli_inspect_counts(shared_lists: Path) -> None:
    result = CliRunner().invoke(
        cli.main, ["lists", "inspect", "--json", str(shared_lists / GSMIGUEL)]
    )
    assert result.exit_code == 0, result.output
    inspection = json.loads(result.output)
    assert inspection["format"] == "uk-fcdo-xml"
    assert inspection["published"] == "2026-09-10"
    assert inspection["entities"] == 5
    assert inspection["by_schema"] == {"person": 2, "organization": 2, "vessel": 1, "aircraft": 0}
    assert inspection["names"] == 12
    assert inspection["imo_numbers"] == 1
    assert len(inspection["programs"]) == 4
