"""The legacy EU FSD "WHOLE" XML: the 2016 subset (595 ENTITY, 2993 NAME) and broken input.

Expected numbers were counted on the file with grep and a separate lxml script, not with this
reader: e.g. 2993 NAME elements are 2726 distinct names per entity (the FSD repeats a name once
per legal act), PASSPORT type codes are passport 78, id 28, ssn 1, other 26 (one "UNKNOWN"),
drivinglicence 2, travelcardid 2.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from lists import DatePrecision, Entity, IdentifierType, ListReadError, NameKind, Schema, open_list
from lists.inspect import inspect_list

LEGACY = "eu/fixtures/legacy_2016_FSD_WHOLE/data.xml"


@pytest.fixture(scope="module")
def legacy(shared_lists: Path) -> dict[str, Entity]:
    return {e.entry_id: e for e in open_list(shared_lists / LEGACY).entities()}


def _inspect_cli(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["lists", "inspect", str(path)])
    return result.exit_code, " ".join(result.output.split())


def test_detected_with_its_date(shared_lists: Path) -> None:
    listed = open_list(shared_lists / LEGACY)
    assert listed.format.name == "eu-legacy-xml"
    assert listed.published == dt.date(2016, 2, 11)  # WHOLE/@Date="11/02/2016"


def test_counts(shared_lists: Path) -> None:
    result = inspect_list(shared_lists / LEGACY)
    assert result.entities == 595
    assert result.by_schema == {"person": 319, "organization": 276, "vessel": 0, "aircraft": 0}
    assert result.names_by_kind == {"alias": 2131, "primary": 595}
    # PASSPORT: passport 78; id 28 + ssn 1; other 25 + drivinglicence 2 + travelcardid 2 (the
    # "UNKNOWN" number is a remark); PHONE[...]/FAX[...] in ADDRESS/OTHER: 10 numbers.
    assert result.identifiers_by_type == {
        "national_id": 29,
        "other": 29,
        "passport": 78,
        "phone": 10,
    }
    assert result.programs == ["AFG", "COD", "IRQ", "TAQA", "TERR", "ZWE"]
    assert result.warnings == []


def test_details_counted_per_entity(legacy: dict[str, Entity]) -> None:
    entities = legacy.values()
    assert sum(len(e.birth_dates) for e in entities) == 406  # distinct DATE values per entity
    assert sum(len(e.birth_places) for e in entities) == 414
    assert sum(len(e.citizenships) for e in entities) == 304
    assert sum(len(e.addresses) for e in entities) == 497
    assert sum(1 for e in entities for n in e.names if n.language == "bg") == 82
    assert sum(1 for e in entities if e.gender) == 123  # entities with a GENDER M or F
    assert all(e.listed_on is None for e in entities)  # reg_date is the latest act's date


def test_saddam_hussein(legacy: dict[str, Entity]) -> None:
    saddam = legacy["13"]
    assert saddam.schema_ is Schema.PERSON
    assert [(n.full, n.kind, n.language) for n in saddam.names] == [
        ("Saddam Hussein Al-Tikriti", NameKind.PRIMARY, None),
        ("Abu Ali", NameKind.ALIAS, None),
        ("Abou Ali", NameKind.ALIAS, "fr"),
    ]
    assert (saddam.names[0].first, saddam.names[0].last) == ("Saddam", "Hussein Al-Tikriti")
    assert [d.as_date() for d in saddam.birth_dates] == [dt.date(1937, 4, 28)]
    assert saddam.birth_places == ["al-Awja, near Tikrit, IRQ"]
    assert saddam.citizenships == ["IQ"]  # COUNTRY is alpha-3
    assert saddam.remarks == ["UNSC RESOLUTION 1483"]  # remark="(UNSC RESOLUTION 1483)"
    assert saddam.programs == ["IRQ"]
    assert saddam.gender == "male"
    assert (saddam.ref.format, saddam.ref.record) == ("eu-legacy-xml", "13")


def test_repeated_name_and_typed_passport(legacy: dict[str, Entity]) -> None:
    mugabe = legacy["1"]
    # Two NAME elements (Id 1 and 101396) carry the same name.
    assert [n.full for n in mugabe.names] == ["Robert Gabriel Mugabe"]
    assert "Function (Robert Gabriel Mugabe): President" in mugabe.remarks
    (passport,) = mugabe.identifiers
    # NUMBER "AD001095 (passport-National passport) ((passport))"
    assert (passport.type, passport.value, passport.label, passport.note) == (
        IdentifierType.PASSPORT,
        "AD001095",
        "National passport",
        "(passport)",
    )


def test_circa_range_and_comment_remarks(legacy: dict[str, Entity]) -> None:
    jan = legacy["521"]
    (birth,) = jan.birth_dates
    assert (birth.precision, birth.year, birth.year_to, birth.circa, birth.text) == (
        DatePrecision.RANGE,
        1953,
        1958,
        True,
        "1953 - 1958 (approximative)",
    )
    # <!-- Comment: between 1953 and 1958 --> inside BIRTH.
    assert "Date of birth 1953 - 1958 (approximative): between 1953 and 1958" in jan.remarks
    assert jan.citizenships == ["AF"]


def test_comments_inside_names_are_kept(legacy: dict[str, Entity]) -> None:
    marwan = legacy["1034"]
    assert "Marwan: (prominently known as)" in marwan.remarks
    assert any(
        r.startswith("Zulkifli Abdul Hir: (a) The Court for the Northern District")
        and "Mother's name is Minah" in r
        for r in marwan.remarks
    )
    licence = next(i for i in marwan.identifiers if i.label == "Driving licence")
    assert (licence.type, licence.value, licence.country) == (IdentifierType.OTHER, "D216157", "US")
    assert [d.text for d in marwan.birth_dates] == ["1966-01-05", "1966-10-05"]


def test_document_flags_and_contact_details(legacy: dict[str, Entity]) -> None:
    (travel,) = legacy["3221"].identifiers
    assert (travel.value, travel.country, travel.label) == (
        "A 0141062",
        "DE",
        "Temporary Travel Document",
    )
    assert travel.note == (
        "revoked by issuer; german travel document (‘reiseausweis’) . revoked as at sep.2012."
    )
    trust = legacy["330"]
    assert trust.schema_ is Schema.ORGANIZATION
    assert trust.primary_name == "Al Rashid Trust"
    phones = [(i.label, i.value) for i in trust.identifiers]
    assert phones[:4] == [
        ("PHONE", "042-681 20 81"),
        ("PHONE", "0300-820 91 99"),
        ("PHONE", "668 33 01"),
        ("FAX", "662 38 14"),
    ]
    cyrillic = [n for n in trust.names if n.script == "Cyrl"]
    assert [(n.full, n.language) for n in cyrillic] == [
        ("Организация за подпомагане на Ulema, Пакистан", "bg")
    ]
    fiscal = legacy["927"]
    assert (
        "Address 23 50th Street, Zehrouni, Tunis, TUN: Italian Fiscal Code: DAOMMD74T11Z352Z"
        in fiscal.remarks
    )


# --- bad input -----------------------------------------------------------------------------


def test_truncated_file(shared_lists: Path, tmp_path: Path) -> None:
    data = (shared_lists / LEGACY).read_bytes()
    path = tmp_path / "global.xml"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ListReadError) as error:
        list(open_list(path).entities())
    assert str(error.value).startswith(f"{path}:")
    assert "malformed XML" in str(error.value)
    assert error.value.line is not None and error.value.line > 1000
    code, output = _inspect_cli(path)
    assert code == 1
    assert "malformed XML" in output and "Traceback" not in output


def test_external_entity_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "global.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
        '<WHOLE Date="11/02/2016"><ENTITY Id="1" Type="P" programme="X"><NAME Id="1">'
        "<WHOLENAME>&e;</WHOLENAME></NAME></ENTITY></WHOLE>\n"
    )
    with pytest.raises(ListReadError, match="refused"):
        list(open_list(path).entities())
    code, output = _inspect_cli(path)
    assert code == 1
    assert "refused" in output and "root:" not in output and "Traceback" not in output


def test_unknown_entity_type(tmp_path: Path) -> None:
    path = tmp_path / "global.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<WHOLE Date="11/02/2016">\n<ENTITY Id="7" Type="V" programme="X">'
        '<NAME Id="1"><WHOLENAME>SEA STAR</WHOLENAME></NAME></ENTITY>\n</WHOLE>\n'
    )
    with pytest.raises(ListReadError) as error:
        list(open_list(path).entities())
    assert str(error.value) == f"{path}:3 (record 7): ENTITY Type 'V' is neither P nor E"


def test_duplicate_entity_id(tmp_path: Path) -> None:
    path = tmp_path / "global.xml"
    entity = (
        '<ENTITY Id="7" Type="E" programme="X">'
        '<NAME Id="1"><WHOLENAME>A</WHOLENAME></NAME></ENTITY>'
    )
    path.write_text(
        f'<?xml version="1.0"?>\n<WHOLE Date="11/02/2016">\n{entity}\n{entity}\n</WHOLE>\n'
    )
    with pytest.raises(ListReadError) as error:
        list(open_list(path).entities())
    assert str(error.value) == f"{path}:4 (record 7): ENTITY Id 7 appears twice (also at line 3)"
