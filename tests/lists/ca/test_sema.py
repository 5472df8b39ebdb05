"""Canada's SEMA list XML (`lists.ca.sema`): both real layouts, spot checks and bad input.

Expected counts come from `_measure`, a plain lxml reading of the file that shares no code with
the adapter: it counts ``record`` elements and their child elements by the schema rule of the
brief (LastName/GivenName -> person; else ShipIMONumber -> vessel; else organisation), the
``Country`` values with whitespace collapsed, the IMO numbers with their own check-digit sum.
The literal numbers in the tests were measured that way (and with grep) on 2026-12-06:
2025 file 5,090 records = 3,424 persons + 310 vessels + 1,356 organisations; 2020 file 1,369 =
985 + 384. Name counts depend on the alias-splitting rules of `lists.ca.names` and are
regression numbers; their decomposition is given where they are asserted.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from lists import DatePrecision, Entity, IdentifierType, ListReadError, NameKind, Schema
from lists.base import Head, ReadReport
from lists.ca import sema

CURRENT = "ca/sema-lmes.xml"
OLD = "ca/history/2020-04/sema-lmes.xml"


@dataclass(frozen=True)
class Measured:
    records: int
    persons: int
    vessels: int
    regimes: Counter[str]
    imo_numbers: frozenset[str]
    imo_check_ok: int
    with_listing_date: int
    without_schedule: int
    person_titles: int


def _measure(path: Path) -> Measured:
    """Counts taken straight from the XML with lxml, independent of the adapter."""
    records = etree.parse(str(path)).getroot().findall("record")

    def has(record: etree._Element, tag: str) -> bool:
        return bool((record.findtext(tag) or "").strip())

    persons = [
        r for r in records if r.find("LastName") is not None or r.find("GivenName") is not None
    ]
    vessels = [r for r in records if r not in persons and has(r, "ShipIMONumber")]
    imos = [r.findtext("ShipIMONumber", "").strip() for r in vessels]
    weights = (7, 6, 5, 4, 3, 2)
    check_ok = sum(
        sum(int(d) * w for d, w in zip(n[:6], weights, strict=True)) % 10 == int(n[6]) for n in imos
    )
    return Measured(
        records=len(records),
        persons=len(persons),
        vessels=len(vessels),
        regimes=Counter(" ".join(r.findtext("Country", "").split()) for r in records),
        imo_numbers=frozenset(imos),
        imo_check_ok=check_ok,
        with_listing_date=sum(has(r, "DateOfListing") for r in records),
        without_schedule=sum(r.find("Schedule") is None for r in records),
        person_titles=sum(has(r, "TitleOrShip") or has(r, "Title") for r in persons),
    )


def _read(path: Path) -> tuple[list[Entity], ReadReport]:
    report = ReadReport()
    return list(sema.entities(path, report)), report


@pytest.fixture(scope="module")
def current(shared_lists: Path) -> list[Entity]:
    entities, report = _read(shared_lists / CURRENT)
    assert report.warnings == []
    return entities


@pytest.fixture(scope="module")
def old(shared_lists: Path) -> list[Entity]:
    entities, report = _read(shared_lists / OLD)
    assert report.warnings == []
    return entities


def _by_id(entities: list[Entity]) -> dict[str, Entity]:
    return {entity.entry_id: entity for entity in entities}


# --- the real files -------------------------------------------------------------------------


def test_current_counts_match_the_xml(shared_lists: Path, current: list[Entity]) -> None:
    measured = _measure(shared_lists / CURRENT)
    assert (measured.records, measured.persons, measured.vessels) == (5090, 3424, 310)
    schemas = Counter(entity.schema_ for entity in current)
    assert len(current) == measured.records
    assert schemas == {
        Schema.PERSON: measured.persons,
        Schema.VESSEL: measured.vessels,
        Schema.ORGANIZATION: measured.records - measured.persons - measured.vessels,
    }
    assert schemas[Schema.ORGANIZATION] == 1356
    assert {e.dataset for e in current} == {"ca_sema"}


def test_old_layout_counts_match_the_xml(shared_lists: Path, old: list[Entity]) -> None:
    measured = _measure(shared_lists / OLD)
    assert (measured.records, measured.persons, measured.vessels) == (1369, 985, 0)
    assert Counter(entity.schema_ for entity in old) == {
        Schema.PERSON: 985,
        Schema.ORGANIZATION: 384,
    }
    assert all(entity.listed_on is None for entity in old)  # the 2020 layout has no date


def test_regimes_are_programs_never_countries(shared_lists: Path, current: list[Entity]) -> None:
    measured = _measure(shared_lists / CURRENT)
    programs = Counter(program for entity in current for program in entity.programs)
    assert programs == measured.regimes
    assert programs["Russia / Russie"] == 2737
    assert programs["Ukraine"] == 553
    assert programs["Iran"] == 460
    assert programs["Belarus / Bélarus"] == 320
    assert programs["Syria / Syrie"] == 281
    # "Moldova " (1 record, trailing space) and "Moldova" (40) are one regime.
    assert programs["Moldova"] == 41
    assert programs["Venezuela"] == 123  # written "Venezuela " on every record
    assert all(len(entity.programs) == 1 for entity in current)
    assert not any(e.nationalities or e.countries or e.citizenships for e in current)


def test_old_layout_regime_with_non_breaking_space(old: list[Entity]) -> None:
    programs = Counter(program for entity in old for program in entity.programs)
    jvcfor = [p for p in programs if p.startswith("Justice for Victims")]
    assert len(jvcfor) == 1 and "\xa0" not in jvcfor[0]
    assert programs[jvcfor[0]] == 70
    assert programs["Burma / Birmanie"] == 89


def test_entry_ids_are_the_file_key_and_unique(
    shared_lists: Path, current: list[Entity], old: list[Entity]
) -> None:
    for path, entities in ((CURRENT, current), (OLD, old)):
        ids = [entity.entry_id for entity in entities]
        assert len(set(ids)) == len(ids)
        without = [i for i in ids if ", Schedule " not in i]
        assert len(without) == _measure(shared_lists / path).without_schedule
    assert _measure(shared_lists / CURRENT).without_schedule == 329
    by_id = _by_id(current)
    assert by_id["Venezuela, Item 1"].primary_name == "Nicolás MADURO MOROS"
    # "1,Part 3" in the file: one space after the comma, like every other schedule.
    assert not [i for i in by_id if re.search(r",\S", i)]
    assert (
        sema.entry_id("Belarus / Bélarus", "1,Part 3", "7") == "Belarus, Schedule 1, Part 3, Item 7"
    )


def test_listing_dates(shared_lists: Path, current: list[Entity]) -> None:
    assert (
        sum(e.listed_on is not None for e in current)
        == _measure(shared_lists / CURRENT).with_listing_date
    )
    assert max(e.listed_on for e in current if e.listed_on) == dt.date(2025, 8, 26)
    assert sema.published(shared_lists / CURRENT) is None  # the file states no date


def test_imo_numbers(shared_lists: Path, current: list[Entity]) -> None:
    measured = _measure(shared_lists / CURRENT)
    imos = [i for e in current for i in e.identifiers if i.type is IdentifierType.IMO]
    assert frozenset(i.value for i in imos) == measured.imo_numbers
    assert len(imos) == 310 == measured.imo_check_ok  # every number passes its check digit
    assert all(i.note is None for i in imos)
    vessels = [e for e in current if e.schema_ is Schema.VESSEL]
    assert len(vessels) == measured.vessels == 310  # records with a ShipIMONumber, by lxml
    assert all(len(e.identifiers) == 1 and not e.birth_dates for e in vessels)


def test_names_by_kind(current: list[Entity], old: list[Entity]) -> None:
    # Primary: one per record, plus 37 second primaries of bilingual "English/French" entity
    # names ("Iranian Army/Armée iranienne"). Aliases: the Aliases cells (3,001 in 2025, 99 in
    # 2020) split by the rules of lists.ca.names, plus 52 "also known as" names; a person's
    # one-word alias is weak.
    def kinds(entities: list[Entity]) -> Counter[NameKind]:
        return Counter(name.kind for entity in entities for name in entity.names)

    assert kinds(current) == {NameKind.PRIMARY: 5127, NameKind.ALIAS: 3846, NameKind.WEAK_ALIAS: 93}
    assert kinds(old) == {NameKind.PRIMARY: 1410, NameKind.ALIAS: 107, NameKind.WEAK_ALIAS: 51}
    languages = Counter(n.language for e in current for n in e.names if n.language)
    assert languages == {"ru": 46, "be": 32, "ar": 19}  # from "Russian:" etc. labels


def test_birth_dates_and_titles(
    shared_lists: Path, current: list[Entity], old: list[Entity]
) -> None:
    # 1,797 person DateOfBirthOrShipBuildDate values: 3 hold two dates ("1963 or 1964"), 2 are
    # not dates ("Sep-99", "born in the early 1970s") and go to remarks -> 1,798 dates.
    assert sum(len(e.birth_dates) for e in current) == 1798
    assert sorted(r for e in current for r in e.remarks if r.startswith("Date of birth")) == [
        "Date of birth: Sep-99",
        "Date of birth: born in the early 1970s",
    ]
    assert sum(len(e.birth_dates) for e in old) == 213  # 212 values, one "a or b"
    for path, entities in ((CURRENT, current), (OLD, old)):
        titles = sum(r.startswith("Title: ") for e in entities for r in e.remarks)
        assert titles == _measure(shared_lists / path).person_titles
    assert all(not n.full.startswith(("Brigadier", "Dr.")) for e in old for n in e.names)


# --- spot checks ----------------------------------------------------------------------------


def test_sberbank(current: list[Entity]) -> None:
    # <record> at line 26951: Country "Russia / Russie", EntityOrShip "Sberbank",
    # Aliases "Сбербанк; Сбер; Sberbank of Russia; Sber", Schedule "1, Part 2", Item 74.
    sberbank = _by_id(current)["Russia, Schedule 1, Part 2, Item 74"]
    assert sberbank.schema_ is Schema.ORGANIZATION
    assert [(n.full, n.kind, n.script) for n in sberbank.names] == [
        ("Sberbank", NameKind.PRIMARY, "Latn"),
        ("Сбербанк", NameKind.ALIAS, "Cyrl"),
        ("Сбер", NameKind.ALIAS, "Cyrl"),
        ("Sberbank of Russia", NameKind.ALIAS, "Latn"),
        ("Sber", NameKind.ALIAS, "Latn"),
    ]
    assert sberbank.listed_on == dt.date(2022, 2, 24)
    assert sberbank.ref.record == "Russia, Schedule 1, Part 2, Item 74, line 26951"


def test_vessel_with_imo(current: list[Entity]) -> None:
    ship = _by_id(current)["Russia, Schedule 1.1, Item 1"]
    assert ship.schema_ is Schema.VESSEL
    assert ship.primary_name == "Balitiyskiy III"
    assert [(i.type, i.value) for i in ship.identifiers] == [(IdentifierType.IMO, "7612448")]
    assert ship.birth_dates == []
    assert ship.remarks == ["Vessel type: General Cargo / Multi Purpose", "Build date: 1980"]
    maria = _by_id(current)["Russia, Schedule 1.1, Item 2"]
    assert [n.full for n in maria.names] == ["M/V Maria"]  # a vessel's "/" is not two names


def test_shipyard_without_imo_stays_organization(current: list[Entity]) -> None:
    yards = [e for e in current if "Shipyard" in e.primary_name]
    assert yards and all(e.schema_ is Schema.ORGANIZATION for e in yards)


def test_person_with_birth_date_and_aliases(current: list[Entity]) -> None:
    lukashenko = _by_id(current)["Belarus, Schedule 1, Part 1, Item 8"]
    name = lukashenko.names[0]
    assert (name.full, name.first, name.last) == (
        "Aleksandr Grigoryevich Lukashenko",
        "Aleksandr Grigoryevich",
        "Lukashenko",
    )
    [born] = lukashenko.birth_dates
    assert (born.precision, born.as_date()) == (DatePrecision.DAY, dt.date(1954, 8, 30))
    # Aliases "Mikalay ... Lukashenka, Kolya Lukashenko, Belarusian: ...; Russian: ..., ..."
    nikolai = next(e for e in current if e.primary_name == "Nikolai Aleksandrovich LUKASHENKO")
    assert [(n.full, n.language) for n in nikolai.names[1:]] == [
        ("Mikalay Alyaksandravich Lukashenka", None),
        ("Kolya Lukashenko", None),
        ("Мікалай Аляксандравіч Лукашэнка", "be"),
        ("Николай Александрович Лукашенко", "ru"),
        ("Коля Лукашенко", "ru"),
    ]


def test_alias_splitting_edge_cases(current: list[Entity]) -> None:
    ids = _by_id(current)

    def names(entity_id: str) -> list[tuple[str, NameKind]]:
        return [(n.full, n.kind) for n in ids[entity_id].names]

    # "Alexei, Aleksei " only spells the given name: weak aliases.
    dyumin = next(e for e in current if e.primary_name == "Alexey Gennadyevich DYUMIN")
    assert [(n.full, n.kind) for n in dyumin.names[1:]] == [
        ("Alexei", NameKind.WEAK_ALIAS),
        ("Aleksei", NameKind.WEAK_ALIAS),
    ]
    # "Банк Зенит, ПАО": the comma separates a legal form, not two names.
    zenit = next(e for e in current if e.primary_name == "Bank Zenit PJSC")
    assert [n.full for n in zenit.names[1:]] == ["Банк Зенит, ПАО"]
    # "Dux JSC (also known as Duks)": the alias leaves the primary name.
    dux = next(e for e in current if e.primary_name == "Dux JSC")
    assert ("Duks", NameKind.ALIAS) in [(n.full, n.kind) for n in dux.names]
    army = next(e for e in current if e.primary_name == "Iranian Army")
    assert [(n.full, n.kind) for n in army.names] == [
        ("Iranian Army", NameKind.PRIMARY),
        ("Armée iranienne", NameKind.PRIMARY),
    ]
    troops = names("Russia, Schedule 1, Part 2, Item 664")
    assert ("Войска радиационной, химической и биологической защиты", NameKind.ALIAS) in troops


# --- detection, CLI and bad input -----------------------------------------------------------


def test_detected_and_inspected_through_the_cli(shared_lists: Path) -> None:
    import json

    from cli import main

    result = CliRunner().invoke(main, ["lists", "inspect", "--json", str(shared_lists / CURRENT)])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    inspected = payload[0] if isinstance(payload, list) else payload
    assert inspected["format"] == "ca-sema-xml"
    assert inspected["published"] is None
    assert inspected["entities"] == 5090
    assert inspected["by_schema"] == {
        "person": 3424,
        "organization": 1356,
        "vessel": 310,
        "aircraft": 0,
    }
    assert inspected["imo_numbers"] == 310


def _excerpt(shared_lists: Path, records: int = 3) -> bytes:
    """The first records of the real 2025 file, closed so that it is a valid file."""
    kept: list[bytes] = []
    closed = 0
    for line in (shared_lists / CURRENT).read_bytes().splitlines(keepends=True):
        kept.append(line)
        closed += line.strip() == b"</record>"
        if closed == records:
            break
    return b"".join(kept) + b"</data-set>\n"


def _refused(path: Path) -> ListReadError:
    with pytest.raises(ListReadError) as caught:
        list(sema.entities(path, ReadReport()))
    assert str(path) in str(caught.value)
    return caught.value


def test_truncated_file(tmp_path: Path, shared_lists: Path) -> None:
    data = (shared_lists / CURRENT).read_bytes()
    path = tmp_path / "sema-lmes.xml"
    path.write_bytes(data[: len(data) // 2])
    error = _refused(path)
    assert error.line is not None and error.line > 1000
    assert "malformed XML" in error.message


def test_external_entity_is_refused(tmp_path: Path, shared_lists: Path) -> None:
    declaration, rest = _excerpt(shared_lists).split(b"\n", 1)
    doctype = b'<!DOCTYPE data-set [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    path = tmp_path / "xxe.xml"
    path.write_bytes(declaration + b"\n" + doctype + b"\n" + rest.replace(b"Atabekov", b"&xxe;", 1))
    error = _refused(path)
    assert error.line == 2
    assert "refused" in error.message


def test_wrong_root(tmp_path: Path, shared_lists: Path) -> None:
    path = tmp_path / "other.xml"
    path.write_bytes(_excerpt(shared_lists).replace(b"data-set", b"dataset"))
    error = _refused(path)
    assert error.line == 2
    assert "<dataset>" in error.message and "<data-set>" in error.message
    assert not sema.sniff(Head(path=path, data=path.read_bytes(), xml_root="dataset"))


def test_duplicate_key_and_missing_item(tmp_path: Path, shared_lists: Path) -> None:
    excerpt = _excerpt(shared_lists)
    duplicate = tmp_path / "duplicate.xml"
    duplicate.write_bytes(excerpt.replace(b"<Item>2</Item>", b"<Item>1</Item>"))
    error = _refused(duplicate)
    assert (
        "appears twice" in error.message and error.record == "Belarus, Schedule 1, Part 1, Item 1"
    )
    missing = tmp_path / "missing.xml"
    missing.write_bytes(excerpt.replace(b"<Item>2</Item>", b""))
    assert "without Item" in _refused(missing).message


def test_bad_imo_and_unknown_element_are_kept_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "ship.xml"
    path.write_text(
        "<data-set><record><Country>Russia / Russie </Country><EntityOrShip>Test</EntityOrShip>"
        "<ShipIMONumber>1234568</ShipIMONumber><Flag>Gabon</Flag><Item>1</Item>"
        "<Schedule>1.1</Schedule><DateOfListing>2025-13-01</DateOfListing></record></data-set>",
        encoding="utf-8",
    )
    report = ReadReport()
    [ship] = sema.entities(path, report)
    assert ship.schema_ is Schema.VESSEL
    assert [(i.value, i.note) for i in ship.identifiers] == [
        ("1234568", "fails the IMO check digit")
    ]
    assert ship.listed_on is None
    assert ship.remarks == ["Date of listing: 2025-13-01", "Flag: Gabon"]
    assert len(report.warnings) == 3
    assert ship.programs == ["Russia / Russie"]


def test_both_layouts_detected(shared_lists: Path) -> None:
    from lists.detect import detect

    assert detect(shared_lists / CURRENT) is sema.FORMAT
    assert detect(shared_lists / OLD) is sema.FORMAT
