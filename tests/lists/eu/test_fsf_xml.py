"""EU FSF XML 1.1: the two real excerpts of the 2026-08-05 export, the XSD, and broken input.

Expected numbers were counted on the files with grep and a separate lxml script (and agree
with PROVENANCE.md), not with this reader.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from lists import (
    DatePrecision,
    Entity,
    IdentifierType,
    ListReadError,
    NameKind,
    ReadReport,
    Schema,
    open_list,
)
from lists.eu import fsf_xml
from lists.inspect import inspect_list

GSMIGUEL = "eu/fixtures/GSmiguel/sample_eu_fsf.xml"
JAGGEMAN = "eu/fixtures/jaggeman/eu_sample.xml"
XSD = "eu/schema/schema_1_1.xsd"


def _entities(path: Path) -> dict[str, Entity]:
    return {entity.entry_id: entity for entity in open_list(path).entities()}


@pytest.fixture(scope="module")
def gsmiguel(shared_lists: Path) -> dict[str, Entity]:
    return _entities(shared_lists / GSMIGUEL)


def _inspect_cli(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["lists", "inspect", str(path)])
    # The CLI may wrap long messages; compare with whitespace collapsed.
    return result.exit_code, " ".join(result.output.split())


def _kinds(entity: Entity, kind: NameKind) -> list[str]:
    return [name.full for name in entity.names if name.kind is kind]


# --- real files ----------------------------------------------------------------------------


def test_gsmiguel_is_detected_with_its_generation_date(shared_lists: Path) -> None:
    listed = open_list(shared_lists / GSMIGUEL)
    assert listed.format.name == "eu-fsf-xml"
    assert listed.published == dt.datetime(
        2026, 8, 5, 16, 47, 4, 449000, tzinfo=dt.timezone(dt.timedelta(hours=2))
    )


def test_gsmiguel_counts(shared_lists: Path) -> None:
    result = inspect_list(shared_lists / GSMIGUEL)
    assert result.entities == 5
    assert result.by_schema == {"person": 4, "organization": 1, "vessel": 0, "aircraft": 0}
    # 45 nameAlias; 3 remarks say "low quality alias" (once spelt "aliias").
    assert result.names_by_kind == {"primary": 5, "alias": 37, "weak_alias": 3}
    # 5 EU reference numbers, 1 unitedNationId, identification: passport 3, id 1,
    # regnumber 1; contactInfo: the same WEB and the same three PHONE numbers on 2 addresses.
    assert result.identifiers_by_type == {
        "national_id": 1,
        "other": 5,
        "passport": 3,
        "phone": 3,
        "registration_number": 1,
        "un_reference": 1,
        "website": 1,
    }
    assert result.imo_numbers == 0
    assert result.programs == ["AFG", "IRN", "LBY", "TAQA", "TERR"]
    assert result.warnings == []


def test_gsmiguel_details_per_entity(gsmiguel: dict[str, Entity]) -> None:
    assert sorted(gsmiguel) == ["191", "3822", "521", "6106", "6177"]
    # 8 birthdate elements; logicalId 521's two are the same circa 1953-1958 range.
    assert sum(len(e.birth_dates) for e in gsmiguel.values()) == 7
    assert sum(len(e.addresses) for e in gsmiguel.values()) == 8
    assert {k: e.citizenships for k, e in gsmiguel.items() if e.citizenships} == {
        "521": ["AF"],
        "6177": ["SA"],
    }
    assert {k: e.listed_on for k, e in gsmiguel.items()} == {
        "191": None,  # designationDate is absent
        "521": dt.date(2001, 1, 25),
        "3822": dt.date(2008, 6, 23),
        "6106": dt.date(2011, 2, 26),
        "6177": dt.date(2011, 3, 24),
    }
    assert all(
        e.ref.format == "eu-fsf-xml" and e.ref.file == "sample_eu_fsf.xml"
        for e in gsmiguel.values()
    )
    assert gsmiguel["521"].ref.record == "521"


def test_person_with_islamic_birth_date_and_weak_aliases(gsmiguel: dict[str, Entity]) -> None:
    asiri = gsmiguel["6177"]
    assert asiri.schema_ is Schema.PERSON
    # The oldest (lowest logicalId) English name is the one of the original listing.
    assert asiri.primary_name == "Ibrahim Hassan Tali Al-Asiri"
    assert asiri.names[0].first == "Ibrahim"
    assert asiri.names[0].middle == "Hassan Tali"
    assert asiri.names[0].last == "Al-Asiri"
    assert _kinds(asiri, NameKind.WEAK_ALIAS) == ["Abu-Salaah", "Abosslah", "Abu Saleh"]
    arabic = [n for n in asiri.names if n.script == "Arab"]
    assert [n.full for n in arabic] == ["إبراهيم حسن طالع عسيري", "إبراهيم حسن طالع العسيري"]
    assert {n.language for n in arabic} == {"ar"}
    assert [(d.year, d.month, d.day, d.text) for d in asiri.birth_dates] == [
        (1982, 4, 18, "1982-04-18"),
        # calendarType ISLAMIC: Hijri 24/6/1402 in the parts, Gregorian in @birthdate.
        (1982, 4, 19, "1982-04-19 (1402-06-24 islamic calendar)"),
        (1982, 4, 19, "1982-04-19"),
    ]
    assert all(d.precision is DatePrecision.DAY for d in asiri.birth_dates)
    assert asiri.birth_places == ["Riyadh, SAUDI ARABIA"]
    assert asiri.addresses[0].country == "YE"
    passport = next(i for i in asiri.identifiers if i.type is IdentifierType.PASSPORT)
    assert (passport.value, passport.country, passport.label) == (
        "F654645",
        "SA",
        "National passport",
    )
    assert passport.note is not None
    assert passport.note.startswith("known to be expired; issued 2005-04-30; valid to 2010-03-07;")
    national = next(i for i in asiri.identifiers if i.type is IdentifierType.NATIONAL_ID)
    assert (national.value, national.note) == (
        "1028745097",
        "(national civil identification number)",
    )
    assert asiri.programs == ["TAQA"]
    assert (
        "Function (Ibrahim Hassan Tali Al-Asiri): Operative and principal bomb maker of "
        "Al-Qaida in the Arabian Peninsula (AQAP)"
    ) in asiri.remarks
    # Quality remarks become the name kind, not remarks.
    assert not any("quality" in remark for remark in asiri.remarks)


def test_person_with_passport_and_un_reference(gsmiguel: dict[str, Entity]) -> None:
    dorda = gsmiguel["6106"]
    assert dorda.primary_name == "Abu Zayd Umar DORDA"
    # "Abu  Zayd Umar Hmeid Dorda" has a double space in the file.
    assert "Abu Zayd Umar Hmeid Dorda" in _kinds(dorda, NameKind.ALIAS)
    assert [(n.full, n.language) for n in dorda.names if n.language] == [
        ("ABÚ ZAJD UMAR DÚRDA", "cs")
    ]
    ids = {(i.type, i.value): i for i in dorda.identifiers}
    assert ids[(IdentifierType.UN_REFERENCE, "LYi.006")].label == "UN reference number"
    assert ids[(IdentifierType.OTHER, "EU.3886.3")].label == "EU reference number"
    passport = ids[(IdentifierType.PASSPORT, "FK117RK0")]
    assert passport.country == "LY"
    assert passport.note == "issued 2018-11-25; valid to 2026-11-24; region Tripoli"
    assert dorda.birth_dates[0].as_date() == dt.date(1944, 4, 4)
    assert dorda.birth_places == ["Alrhaybat"]  # countryIso2Code "00" / UNKNOWN is no country
    assert [(a.country, a.country_text, a.lines) for a in dorda.addresses] == [("LY", "LIBYA", [])]
    assert "Address LIBYA: Libya (Believed status/location: residing in Egypt)" in dorda.remarks


def test_person_without_designation_date(gsmiguel: dict[str, Entity]) -> None:
    khalid = gsmiguel["191"]
    # FR-language aliases come first in the file; the primary is logicalId 289.
    assert khalid.primary_name == "Khalid Sheikh MOHAMMED"
    assert len(khalid.names) == 7
    assert khalid.gender == "male"
    passport = next(i for i in khalid.identifiers if i.type is IdentifierType.PASSPORT)
    assert (passport.value, passport.country) == ("488555", None)  # country "00"
    assert [d.text for d in khalid.birth_dates] == ["1965-04-14", "1964-03-01"]
    assert khalid.birth_places == ["PAKISTAN"]  # city="-" is a placeholder


def test_circa_year_range(gsmiguel: dict[str, Entity]) -> None:
    jan = gsmiguel["521"]
    (birth,) = jan.birth_dates
    assert (birth.precision, birth.year, birth.year_to, birth.circa) == (
        DatePrecision.RANGE,
        1953,
        1958,
        True,
    )
    assert jan.birth_places == [
        "Tirin Kot District, Uruzgan Province, AFGHANISTAN",
        "Kandahar province, AFGHANISTAN",
    ]
    assert "Title (Ahmed Jan Akhundzada Wazir): Maulavi" in jan.remarks
    assert "Date of birth 1953-1958: between 1953 and 1958" in jan.remarks


def test_enterprise_with_names_in_many_languages(gsmiguel: dict[str, Entity]) -> None:
    parchin = gsmiguel["3822"]
    assert parchin.schema_ is Schema.ORGANIZATION
    assert parchin.primary_name == "Parchin Chemical Industries (PCI)"
    assert len(parchin.names) == 16
    languages = {n.language for n in parchin.names}
    assert languages == {"en", "ga", "hu", "es", "de", "fa"}
    persian = next(n for n in parchin.names if n.language == "fa")
    assert (persian.full, persian.script) == ("صنایع شیمیایی پارچین", "Arab")
    assert "Tionscail Ceimiceán Parchin" in _kinds(parchin, NameKind.ALIAS)  # double space
    assert "PCF: Parchin Chemical Factories" in parchin.remarks
    assert "Designation details: UN designation:24/03/2007 (no longer valid)" in parchin.remarks
    assert len(parchin.addresses) == 6
    first = parchin.addresses[0]
    assert (first.lines, first.city, first.country, first.country_text) == (
        ["Pasdaran Square", "PO Box 16765/358"],
        "Tehran",
        "IR",
        "IRAN (ISLAMIC REPUBLIC OF)",
    )
    assert parchin.addresses[5].postal_code == "15765-358"
    contacts = [(i.type, i.value) for i in parchin.identifiers if i.label in ("WEB", "PHONE")]
    assert contacts == [
        (IdentifierType.WEBSITE, "http://icig.ir/"),
        (IdentifierType.PHONE, "+98 21 2258929"),
        (IdentifierType.PHONE, "+98 21 35243153"),
        (IdentifierType.PHONE, "+98 21 3130626"),
    ]
    registration = next(
        i for i in parchin.identifiers if i.type is IdentifierType.REGISTRATION_NUMBER
    )
    assert (registration.value, registration.label) == ("892", "Registration Number")


def test_jaggeman_excerpt_and_its_nameless_synthetic_entity(shared_lists: Path) -> None:
    listed = open_list(shared_lists / JAGGEMAN)
    entities = {e.entry_id: e for e in listed.entities()}
    # The SYNTHETIC logicalId 999999 has no nameAlias: reported, not loaded, not fatal.
    assert sorted(entities) == ["13", "191", "330", "980"]
    assert len(listed.report.warnings) == 1
    assert "logicalId 999999" in listed.report.warnings[0]
    assert "line 181" in listed.report.warnings[0]
    assert sum(len(e.names) for e in entities.values()) == 23
    assert sum(len(e.addresses) for e in entities.values()) == 13
    assert sum(len(e.birth_dates) for e in entities.values()) == 3
    assert [e.schema_ for e in entities.values()].count(Schema.ORGANIZATION) == 2
    trust = entities["330"]
    assert trust.primary_name == "Al Rashid Trust"  # logicalId 908, the lowest
    cyrillic = [n for n in trust.names if n.script == "Cyrl"]
    assert [(n.full, n.language, n.kind) for n in cyrillic] == [
        ("Организация за подпомагане на Ulema, Пакистан", "bg", NameKind.ALIAS)
    ]
    assert len(trust.addresses) == 11
    phones = [(i.label, i.value) for i in trust.identifiers if i.type is IdentifierType.PHONE]
    assert ("FAX", "662 38 14") in phones
    assert ("PHONE", "0300- 820 91 99") in phones
    assert len(phones) == 7
    assert entities["980"].addresses[0].postal_code == "PO Box 1406 - 60455"
    assert entities["13"].citizenships == ["IQ"]
    assert entities["13"].remarks == ["UNSC RESOLUTION 1483"]


def test_the_xsd_is_not_a_list(shared_lists: Path) -> None:
    code, output = _inspect_cli(shared_lists / XSD)
    assert code == 1
    assert "XML with root element <schema> is not a sanctions list format known here" in output
    assert "Traceback" not in output


# --- vessels (the FSF has no vessel type) ---------------------------------------------------

_ENTERPRISE = """<?xml version="1.0" encoding="UTF-8"?>
<export xmlns="http://eu.europa.ec/fpi/fsd/export"
  generationDate="2026-01-02T10:00:00Z" globalFileId="1">
<sanctionEntity euReferenceNumber="EU.1.1" unitedNationId="" logicalId="42">
  {remark}
  <regulation programme="RUS" logicalId="1"/>
  <subjectType code="enterprise" classificationCode="E"/>
  <nameAlias wholeName="SEA STAR" nameLanguage="" strong="true" logicalId="2"/>
  {identification}
</sanctionEntity>
</export>
"""


def _one_entity(tmp_path: Path, remark: str = "", identification: str = "") -> Entity:
    path = tmp_path / "fsf.xml"
    path.write_text(_ENTERPRISE.format(remark=remark, identification=identification))
    (entity,) = fsf_xml.entities(path, ReadReport())
    return entity


def test_enterprise_with_an_imo_identification_is_a_vessel(tmp_path: Path) -> None:
    entity = _one_entity(
        tmp_path,
        identification='<identification number="IMO 9562233" identificationTypeCode="imo" '
        'identificationTypeDescription="IMO number" countryIso2Code="00" logicalId="3"/>',
    )
    assert entity.schema_ is Schema.VESSEL
    imo = next(i for i in entity.identifiers if i.type is IdentifierType.IMO)
    assert imo.value == "9562233"


def test_enterprise_whose_remark_names_a_ship_imo_is_a_vessel(tmp_path: Path) -> None:
    entity = _one_entity(tmp_path, remark="<remark>Crude oil tanker. IMO number: 9562233</remark>")
    assert entity.schema_ is Schema.VESSEL
    assert [
        (i.type, i.value, i.note) for i in entity.identifiers if i.type is IdentifierType.IMO
    ] == [(IdentifierType.IMO, "9562233", "taken from the remark")]


@pytest.mark.parametrize(
    "remark",
    [
        "<remark>Registered owner of the vessel IMO 9562233</remark>",  # a shipowner
        "<remark>Tanker IMO 9562234</remark>",  # check digit wrong
        "<remark>IMO 9562233</remark>",  # no ship wording
    ],
)
def test_ambiguous_imo_mentions_leave_an_organization(tmp_path: Path, remark: str) -> None:
    entity = _one_entity(tmp_path, remark=remark)
    assert entity.schema_ is Schema.ORGANIZATION
    assert not any(i.type is IdentifierType.IMO for i in entity.identifiers)


# --- bad input -----------------------------------------------------------------------------


def test_truncated_file(shared_lists: Path, tmp_path: Path) -> None:
    data = (shared_lists / GSMIGUEL).read_bytes()
    path = tmp_path / "truncated.xml"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ListReadError) as error:
        list(open_list(path).entities())
    message = str(error.value)
    assert message.startswith(f"{path}:")
    assert error.value.line is not None and error.value.line > 100
    assert "malformed XML" in message
    code, output = _inspect_cli(path)
    assert code == 1
    assert str(path) in output and "malformed XML" in output
    assert "Traceback" not in output


def test_external_entity_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "xxe.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
        '<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2026-01-01T00:00:00Z">'
        '<sanctionEntity logicalId="1"><subjectType code="person" classificationCode="P"/>'
        '<nameAlias wholeName="&e;" logicalId="2"/></sanctionEntity></export>\n'
    )
    with pytest.raises(ListReadError) as error:
        list(open_list(path).entities())
    assert "refused" in str(error.value)
    assert str(error.value).startswith(f"{path}:2:")
    with pytest.raises(ListReadError, match="refused"):
        list(fsf_xml.entities(path, ReadReport()))
    code, output = _inspect_cli(path)
    assert code == 1
    assert "refused" in output
    assert "root:" not in output and "Traceback" not in output


def test_unknown_subject_type_names_the_record(tmp_path: Path) -> None:
    path = tmp_path / "fsf.xml"
    path.write_text(
        _ENTERPRISE.format(remark="", identification="").replace(
            'code="enterprise" classificationCode="E"', 'code="vessel" classificationCode="V"'
        )
    )
    with pytest.raises(ListReadError) as error:
        list(open_list(path).entities())
    assert str(error.value).startswith(f"{path} (record 42): line 4: unknown subject type")


def test_entity_without_logical_id(tmp_path: Path) -> None:
    path = tmp_path / "fsf.xml"
    path.write_text(_ENTERPRISE.format(remark="", identification="").replace(' logicalId="42"', ""))
    with pytest.raises(ListReadError) as error:
        list(open_list(path).entities())
    assert str(error.value) == f"{path}:4: sanctionEntity without a logicalId"


def test_duplicate_logical_id(tmp_path: Path) -> None:
    text = _ENTERPRISE.format(remark="", identification="")
    start, end = text.index("<sanctionEntity"), text.index("</export>")
    path = tmp_path / "fsf.xml"
    path.write_text(text[:end] + text[start:end] + text[end:])
    with pytest.raises(ListReadError) as error:
        list(open_list(path).entities())
    assert str(error.value) == (
        f"{path}:11 (record 42): logicalId 42 appears twice (also at line 4)"
    )
