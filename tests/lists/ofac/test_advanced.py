"""OFAC SDN Advanced XML, on the 4-party excerpt in shared/ (see PROVENANCE.md).

The excerpt has complete ReferenceValueSets but no IDRegDocuments and no ProfileRelationships;
those paths are tested on copies of it with one self-written document and relation added.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

import lists
from cli import main
from lists.errors import ListReadError
from lists.model import DatePrecision, Entity, IdentifierType, NameKind, Schema
from lists.ofac.facts import rule_for

FORMAT = "ofac-advanced-xml"
NS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ADVANCED_XML"


@pytest.fixture(scope="module")
def sample(shared_lists: Path) -> Path:
    return shared_lists / "ofac" / "fixtures" / "GSmiguel" / "sample_sdn_advanced.xml"


def _read(path: Path) -> dict[str, Entity]:
    listed = lists.open_list(path)
    assert listed.format.name == FORMAT
    return {e.entry_id: e for e in listed.entities()}


def test_sample_counts(sample: Path) -> None:
    listed = lists.open_list(sample)
    assert listed.published == dt.date(2026, 9, 9)
    entities = list(listed.entities())
    assert Counter(e.schema_ for e in entities) == {
        Schema.ORGANIZATION: 1,
        Schema.PERSON: 1,
        Schema.VESSEL: 1,
        Schema.AIRCRAFT: 1,
    }
    # 10 Alias elements holding 11 DocumentedName: one Name per DocumentedName.
    names = [n for e in entities for n in e.names]
    assert len(names) == 11
    assert Counter(n.kind for n in names) == {NameKind.PRIMARY: 5, NameKind.ALIAS: 6}
    assert Counter(n.script for n in names) == {"Latn": 10, "Arab": 1}
    assert Counter(p for e in entities for p in e.programs) == {"CUBA": 2, "SDGT": 2}
    assert all(e.primary_name == e.names[0].full for e in entities)


def test_entity_with_address_and_listing_date(sample: Path) -> None:
    airline = _read(sample)["36"]
    assert airline.schema_ is Schema.ORGANIZATION
    assert [(n.full, n.kind) for n in airline.names] == [
        ("AEROCARIBBEAN AIRLINES", NameKind.PRIMARY),
        ("AERO-CARIBBEAN", NameKind.ALIAS),
    ]
    assert [(a.city, a.country, a.country_text) for a in airline.addresses] == [
        ("Havana", "CU", "Cuba")
    ]
    assert airline.programs == ["CUBA"]
    assert airline.listed_on == dt.date(1986, 12, 10)
    assert "List: SDN List" in airline.remarks
    assert airline.ref.format == FORMAT and airline.ref.record == "36"


def test_individual_with_arabic_name_and_features(sample: Path) -> None:
    person = _read(sample)["2677"]
    assert person.schema_ is Schema.PERSON
    latin, arabic = person.names[0], person.names[1]
    assert (latin.full, latin.first, latin.last, latin.script) == (
        "Abboud Abdul Latif Hassan Al-Zomor",
        "Abboud Abdul Latif Hassan",
        "Al-Zomor",
        "Latn",
    )
    assert (arabic.full, arabic.kind, arabic.script) == (
        "عبود عبداللطيف حسن الزمر",
        NameKind.PRIMARY,
        "Arab",
    )
    assert [n.full for n in person.names if n.kind is NameKind.ALIAS] == [
        "Abbud ZUMAR",
        "Abbud AL-Zumar",
        "Aboud Abdul Latif Hasan El-Zomor",
        "Abood Abdul Latif Hassan Al-Zumur",
        "Abboud Abdul Latif Hassan Al-Zamur",
    ]
    assert len(person.birth_dates) == 1
    birth = person.birth_dates[0]
    assert (birth.precision, birth.as_date()) == (DatePrecision.DAY, dt.date(1947, 4, 19))
    assert person.birth_places == ["Nahia, Giza, Egypt"]
    assert person.nationalities == ["EG"]  # a Location whose only part is "Egypt"
    assert person.gender == "male"
    assert [a.country for a in person.addresses] == ["EG"]
    assert (
        "Secondary sanctions risk: section 1(b) of Executive Order 13224, as amended by "
        "Executive Order 13886"
    ) in person.remarks
    assert person.programs == ["SDGT"]
    assert person.listed_on == dt.date(1995, 1, 23)
    assert "Legal basis: Executive Order 13224 (Terrorism)" in person.remarks


def test_vessel_and_aircraft_features(sample: Path) -> None:
    parties = _read(sample)
    vessel = parties["4238"]
    assert vessel.schema_ is Schema.VESSEL
    assert [(i.type, i.value) for i in vessel.identifiers] == [(IdentifierType.CALL_SIGN, "CL2192")]
    assert vessel.countries == ["CU"]
    assert vessel.related == ["Samir de Navegacion S.A."]
    # The same remarks as the legacy CSV and sdnList XML write for their vessel columns.
    assert vessel.remarks[:3] == [
        "Vessel Owner: Samir de Navegacion S.A.",
        "Gross Registered Tonnage: 212",
        "Vessel Type: Tug",
    ]
    assert vessel.addresses == []  # its Location is only the "undetermined" area code

    aircraft = parties["15432"]
    assert aircraft.schema_ is Schema.AIRCRAFT
    assert [(i.type, i.value) for i in aircraft.identifiers] == [
        (IdentifierType.AIRCRAFT_SERIAL, "8305"),
        (IdentifierType.AIRCRAFT_SERIAL, "1013409297"),
    ]
    # The manufacture date period 1991-01-01..1991-12-31 is the year 1991, as sdn.csv says.
    assert "Aircraft Manufacture Date 1991" in aircraft.remarks
    assert "Aircraft Model IL-76TD" in aircraft.remarks
    assert aircraft.related == ["YAS AIR"]


def test_parties_agree_with_their_sdn_csv_rows(sample: Path, shared_lists: Path) -> None:
    advanced = _read(sample)
    wanted = set(advanced)
    legacy = {
        e.entry_id: e
        for e in lists.open_list(shared_lists / "ofac" / "sdn.csv").entities()
        if e.entry_id in wanted
    }
    for entry_id, party in advanced.items():
        row = legacy[entry_id]
        assert party.schema_ is row.schema_
        assert party.programs == row.programs
        assert [d.as_date() for d in party.birth_dates] == [d.as_date() for d in row.birth_dates]
        assert party.nationalities == row.nationalities
        assert party.gender == row.gender
        assert party.countries == row.countries
    # Serial numbers and call signs are the same values under OFAC's two labels.
    for entry_id in ("4238", "15432"):
        assert [i.value for i in advanced[entry_id].identifiers] == [
            i.value for i in legacy[entry_id].identifiers
        ]


def test_every_reference_type_is_in_the_label_table(sample: Path) -> None:
    tree = etree.parse(str(sample))
    documents = [e.text or "" for e in tree.iter(f"{{{NS}}}IDRegDocType")]
    features = [e.text or "" for e in tree.iter(f"{{{NS}}}FeatureType")]
    assert len(documents) == 107 and len(features) == 76
    assert [label for label in documents if rule_for(label) is None] == []
    # Birthdate and Location are read from the party's features directly.
    assert [label for label in features if rule_for(label) is None] == ["Birthdate", "Location"]


# --- added documents and relations, and section order ---------------------------------------

DOCUMENT = (
    "<IDRegDocuments>"
    '<IDRegDocument ID="900001" IDRegDocTypeID="1571" IdentityID="4423" '
    'IssuedBy-CountryID="11082" ValidityID="1">'
    "<Comment /><IDRegistrationNo>A1234567</IDRegistrationNo>"
    '<DocumentDate IDRegDocDateTypeID="1480"><DatePeriod CalendarTypeID="1" YearFixed="false" '
    'MonthFixed="false" DayFixed="false"><Start Approximate="false"><From><Year>2001</Year>'
    "<Month>3</Month><Day>5</Day></From><To><Year>2001</Year><Month>3</Month><Day>5</Day></To>"
    '</Start><End Approximate="false"><From><Year>2001</Year><Month>3</Month><Day>5</Day></From>'
    "<To><Year>2001</Year><Month>3</Month><Day>5</Day></To></End></DatePeriod></DocumentDate>"
    "</IDRegDocument>"
    '<IDRegDocument ID="900002" IDRegDocTypeID="1626" IdentityID="1663">'
    "<IDRegistrationNo>IMO 8912345</IDRegistrationNo></IDRegDocument>"
    "</IDRegDocuments>"
)
RELATION = (
    "<ProfileRelationships>"
    '<ProfileRelationship ID="1" From-ProfileID="15432" To-ProfileID="36" '
    'RelationTypeID="15003" RelationQualityID="1" Former="false" SanctionsEntryID="15432">'
    "<Comment /></ProfileRelationship>"
    "</ProfileRelationships>"
)


def _edited(sample: Path, tmp_path: Path, *, entries_first: bool = False) -> Path:
    text = sample.read_text(encoding="utf-8")
    text = text.replace("<IDRegDocuments></IDRegDocuments>", DOCUMENT)
    text = text.replace("<ProfileRelationships />", RELATION)
    text = text.replace(
        'FixedRef="36">\n      <Comment />',
        'FixedRef="36">\n      <Comment>A party comment</Comment>',
    )
    if entries_first:
        # The side sections before the parties: the reader must not depend on the order.
        entries = re.search(r"<SanctionsEntries>.*</SanctionsEntries>", text, re.S)
        assert entries is not None
        text = text.replace(entries.group(0), "")
        text = text.replace("<DistinctParties>", entries.group(0) + "\n  <DistinctParties>")
    path = tmp_path / "sdn_advanced.xml"
    path.write_text(text, encoding="utf-8")
    return path


def test_documents_and_relations(sample: Path, tmp_path: Path) -> None:
    parties = _read(_edited(sample, tmp_path))
    passport = parties["2677"].identifiers[0]
    assert (passport.type, passport.value, passport.country, passport.label) == (
        IdentifierType.PASSPORT,
        "A1234567",
        "EG",
        "Passport",
    )
    assert passport.note == "Issue Date 05 Mar 2001"
    assert [(i.type, i.value) for i in parties["4238"].identifiers] == [
        (IdentifierType.IMO, "8912345"),
        (IdentifierType.CALL_SIGN, "CL2192"),
    ]
    aircraft = parties["15432"]
    assert aircraft.related == ["YAS AIR", "AEROCARIBBEAN AIRLINES"]
    assert "Owned or Controlled By: AEROCARIBBEAN AIRLINES" in aircraft.remarks
    assert parties["36"].remarks[0] == "A party comment"


def test_section_order_does_not_matter(sample: Path, tmp_path: Path) -> None:
    in_file_order = _read(_edited(sample, tmp_path))
    entries_first = _read(_edited(sample, tmp_path, entries_first=True))
    assert in_file_order == entries_first
    assert entries_first["36"].programs == ["CUBA"]


# --- bad input -----------------------------------------------------------------------------------


def _assert_refused(path: Path, message: str, where: str) -> None:
    with pytest.raises(ListReadError) as caught:
        list(lists.open_list(path).entities())
    assert str(caught.value).startswith(where), str(caught.value)
    assert message in str(caught.value)
    result = CliRunner().invoke(main, ["lists", "inspect", str(path)])
    assert result.exit_code == 1
    assert where in result.output and message in result.output
    assert "Traceback" not in result.output


def test_truncated_file_is_refused(sample: Path, tmp_path: Path) -> None:
    text = sample.read_text(encoding="utf-8")
    path = tmp_path / "sdn_advanced.xml"
    path.write_text(text[: text.index('<Feature ID="10272"')], encoding="utf-8")
    _assert_refused(path, "malformed XML", f"{path}:")


def test_unknown_party_sub_type_is_refused(sample: Path, tmp_path: Path) -> None:
    text = sample.read_text(encoding="utf-8").replace('PartySubTypeID="2"', 'PartySubTypeID="99"')
    path = tmp_path / "sdn_advanced.xml"
    path.write_text(text, encoding="utf-8")
    line = text[: text.index('PartySubTypeID="99"')].count("\n") + 1
    _assert_refused(path, "PartySubTypeID '99' is not in", f"{path}:{line} (record 15432)")


def test_missing_reference_values_are_refused(sample: Path, tmp_path: Path) -> None:
    text = sample.read_text(encoding="utf-8")
    start = text.index("<ReferenceValueSets")
    end = text.index("</ReferenceValueSets>") + len("</ReferenceValueSets>")
    path = tmp_path / "sdn_advanced.xml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    _assert_refused(path, "no ReferenceValueSets", f"{path}: ")


def test_party_without_primary_name_is_refused(sample: Path, tmp_path: Path) -> None:
    text = sample.read_text(encoding="utf-8").replace(
        'AliasTypeID="1403" Primary="true"', 'AliasTypeID="1400" Primary="false"'
    )
    path = tmp_path / "sdn_advanced.xml"
    path.write_text(text, encoding="utf-8")
    _assert_refused(path, "party without a primary name", f"{path}:")
