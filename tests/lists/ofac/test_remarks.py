"""The OFAC Remarks parser and label table, as pure functions (no files).

Every input string below is copied from a real OFAC file (sdn.csv 2024-05-03 unless noted), so
the tests pin down how real remarks are read.
"""

from __future__ import annotations

import pytest

from lists.model import DatePrecision, IdentifierType, NameKind, Schema
from lists.ofac.facts import Facts, LabelRule, Role, add_labelled, rule_for
from lists.ofac.names import person_name_from_csv
from lists.ofac.remarks import iter_programs, parse_ofac_date, parse_remarks, split_label
from lists.values.scripts import detect_script

AMDOUNI = (
    "DOB 18 Dec 1969; alt. DOB 25 May 1968; alt. DOB 18 Dec 1968; alt. DOB 14 Jul 1969; "
    "POB Tunis, Tunisia; alt. POB Naples, Italy; alt. POB Algeria; nationality Tunisia; "
    "Passport G737411 (Tunisia) issued 24 Oct 1990 expires 20 Sep 1997; "
    "alt. Passport 0801888 (Bosnia and Herzegovina); a.k.a. 'ABU THALE'."
)

VTB = (
    "SWIFT/BIC VTBRRUMM; Website www.vtb.com; alt. Website www.vtb.ru; BIK (RU) 044030707; "
    "alt. BIK (RU) 044525187; Executive Order 13662 Directive Determination - Subject to "
    "Directive 1; Secondary sanctions risk: Ukraine-/Russia-Related Sanctions Regulations, 31 CFR "
    "589.201 and/or 589.209; Organization Established Date 17 Oct 1990; Target Type Financial "
    "Institution; Registration ID 1027739609391 (Russia); Tax ID No. 7702070139 (Russia); "
    "Government Gazette Number 00032520 (Russia); License 1000 (Russia); Legal Entity Number "
    "253400V1H6ART1UQ0N98 (Russia); For more information on directives, please visit the "
    "following link: http://www.treasury.gov/resource-center/sanctions/Programs/Pages/"
    "ukraine.aspx#directives."
)

ARTAVIL = (
    "Former Vessel Flag Malta; alt. Former Vessel Flag Tuvalu; alt. Former Vessel Flag None "
    "Identified; alt. Former Vessel Flag Tanzania; Additional Sanctions Information - Subject to "
    "Secondary Sanctions; Vessel Registration Identification IMO 9187629; MMSI 572469210; "
    "f.k.a. 'ALPHA'; Linked To: NATIONAL IRANIAN TANKER COMPANY."
)


def _identifiers(facts: Facts) -> list[tuple[str, str, str | None, str | None]]:
    return [(i.type.value, i.value, i.country, i.label) for i in facts.identifiers]


def test_individual_with_four_birth_dates_three_places_and_two_passports() -> None:
    facts = parse_remarks(AMDOUNI, Schema.PERSON)
    assert [d.as_date().isoformat() for d in facts.birth_dates if d.as_date()] == [
        "1969-12-18",
        "1968-05-25",
        "1968-12-18",
        "1969-07-14",
    ]
    assert facts.birth_places == ["Tunis, Tunisia", "Naples, Italy", "Algeria"]
    assert facts.nationalities == ["TN"]
    passports = [i for i in facts.identifiers if i.type is IdentifierType.PASSPORT]
    assert [(p.value, p.country, p.note) for p in passports] == [
        ("G737411", "TN", "issued 24 Oct 1990; expires 20 Sep 1997"),
        ("0801888", "BA", None),
    ]
    assert [(n.full, n.kind) for n in facts.names] == [("ABU THALE", NameKind.WEAK_ALIAS)]
    assert facts.remarks == []


def test_russian_bank_identifiers_and_facts() -> None:
    facts = parse_remarks(VTB, Schema.ORGANIZATION)
    assert _identifiers(facts) == [
        ("bic", "VTBRRUMM", None, "SWIFT/BIC"),
        ("website", "www.vtb.com", None, "Website"),
        ("website", "www.vtb.ru", None, "Website"),
        ("other", "044030707", None, "BIK (RU)"),
        ("other", "044525187", None, "BIK (RU)"),
        ("registration_number", "1027739609391", "RU", "Registration ID"),
        ("tax_id", "7702070139", "RU", "Tax ID No."),
        ("registration_number", "00032520", "RU", "Government Gazette Number"),
        ("registration_number", "1000", "RU", "License"),
        ("registration_number", "253400V1H6ART1UQ0N98", "RU", "Legal Entity Number"),
    ]
    # Facts that are not identifiers stay, in OFAC's wording and without the final full stop.
    assert facts.remarks == [
        "Executive Order 13662 Directive Determination - Subject to Directive 1",
        "Secondary sanctions risk: Ukraine-/Russia-Related Sanctions Regulations, 31 CFR "
        "589.201 and/or 589.209",
        "Organization Established Date 17 Oct 1990",
        "Target Type Financial Institution",
        "For more information on directives, please visit the following link: "
        "http://www.treasury.gov/resource-center/sanctions/Programs/Pages/ukraine.aspx#directives",
    ]


def test_vessel_imo_mmsi_weak_former_name_and_link() -> None:
    facts = parse_remarks(ARTAVIL, Schema.VESSEL)
    assert _identifiers(facts) == [
        ("imo", "9187629", None, "Vessel Registration Identification"),
        ("mmsi", "572469210", None, "MMSI"),
    ]
    # OFAC puts only weak names in Remarks: a weak f.k.a. is a weak alias.
    assert [(n.full, n.kind) for n in facts.names] == [("ALPHA", NameKind.WEAK_ALIAS)]
    assert facts.related == ["NATIONAL IRANIAN TANKER COMPANY"]
    assert facts.remarks[:2] == ["Former Vessel Flag Malta", "Former Vessel Flag Tuvalu"]
    assert "Additional Sanctions Information - Subject to Secondary Sanctions" in facts.remarks


@pytest.mark.parametrize(
    ("remarks", "schema", "expected_type"),
    [
        # A shipping company's IMO number is not a ship's.
        ("Company Number IMO 5055293.", Schema.ORGANIZATION, IdentifierType.REGISTRATION_NUMBER),
        (
            "Identification Number IMO 5342883.",
            Schema.ORGANIZATION,
            IdentifierType.REGISTRATION_NUMBER,
        ),
        ("Identification Number IMO 9339301; MMSI 1", Schema.VESSEL, IdentifierType.IMO),
        # Double space and no "IMO" prefix, both in sdn.csv: still the ship's IMO number.
        ("Vessel Registration Identification IMO  8730455", Schema.VESSEL, IdentifierType.IMO),
        ("Vessel Registration Identification 8606173.", Schema.VESSEL, IdentifierType.IMO),
        # Not seven digits: a national ship register number, kept with its label.
        (
            "Vessel Registration Identification RS 130280 (Russia)",
            Schema.VESSEL,
            IdentifierType.OTHER,
        ),
    ],
)
def test_imo_numbers(remarks: str, schema: Schema, expected_type: IdentifierType) -> None:
    identifier = parse_remarks(remarks, schema).identifiers[0]
    assert identifier.type is expected_type
    if expected_type is not IdentifierType.OTHER:
        assert len(identifier.value) == 7 and identifier.value.isdigit()
    if expected_type is IdentifierType.REGISTRATION_NUMBER:
        assert identifier.note is not None and "IMO company" in identifier.note


@pytest.mark.parametrize(
    ("text", "precision", "years", "circa"),
    [
        ("10 Dec 1948", DatePrecision.DAY, (1948, 1948), False),
        ("Feb 1955", DatePrecision.MONTH, (1955, 1955), False),
        ("1962", DatePrecision.YEAR, (1962, 1962), False),
        ("circa 1951", DatePrecision.YEAR, (1951, 1951), True),
        ("1960 to 1962", DatePrecision.RANGE, (1960, 1962), False),
        ("circa 1958-1960", DatePrecision.RANGE, (1958, 1960), True),
        # Spans OFAC writes to the day: whole years and whole months keep that precision.
        ("01 Jan 1973 to 31 Dec 1973", DatePrecision.YEAR, (1973, 1973), False),
        ("01 Mar 1965 to 31 Mar 1965", DatePrecision.MONTH, (1965, 1965), False),
        ("01 Jan 1961 to 31 Dec 1962", DatePrecision.RANGE, (1961, 1962), False),
        ("26 Sep 1946 to 07 Dec 1946", DatePrecision.RANGE, (1946, 1946), False),
        ("Mar 1962 to Feb 1963", DatePrecision.RANGE, (1962, 1963), False),
    ],
)
def test_birth_dates(
    text: str, precision: DatePrecision, years: tuple[int, int], circa: bool
) -> None:
    date = parse_ofac_date(text)
    assert date is not None
    assert date.precision is precision
    assert (date.years().start, date.years().stop - 1) == years
    assert date.circa is circa
    assert date.text == text


def test_unparseable_birth_date_stays_a_remark() -> None:
    facts = parse_remarks("DOB unknown; nationality possibly Palestinian", Schema.PERSON)
    assert facts.birth_dates == [] and facts.nationalities == []
    assert facts.remarks == ["DOB unknown", "nationality possibly Palestinian"]


def test_people_facts_and_crypto_addresses() -> None:
    remarks = (
        "DOB 12 Jul 1986; nationality China; citizen Russia; Email Address 417136259@qq.com; "
        "Gender Male; Digital Currency Address - XBT 134r8iHv69xdT6p5qVKTsHrcUEuBVZAYak; "
        "alt. Digital Currency Address - USDT TMGLqRQ4twjW8wJhVH1mQR7nUThpGHUsN3; "
        "Phone Number 982188526300; Telephone: 0097282851500; Fax: 0097282858208."
    )
    facts = parse_remarks(remarks, Schema.PERSON)
    assert facts.nationalities == ["CN"]
    assert facts.citizenships == ["RU"]
    assert facts.gender == "male"
    assert _identifiers(facts) == [
        ("email", "417136259@qq.com", None, "Email Address"),
        (
            "crypto_address",
            "134r8iHv69xdT6p5qVKTsHrcUEuBVZAYak",
            None,
            "Digital Currency Address - XBT",
        ),
        (
            "crypto_address",
            "TMGLqRQ4twjW8wJhVH1mQR7nUThpGHUsN3",
            None,
            "Digital Currency Address - USDT",
        ),
        ("phone", "982188526300", None, "Phone Number"),
        ("phone", "0097282851500", None, "Telephone"),
        ("phone", "0097282858208", None, "Fax"),
    ]


def test_aircraft_facts() -> None:
    remarks = (
        "Aircraft Construction Number (also called L/N or S/N or F/N) 8305; Aircraft Manufacture "
        "Date 1991; Aircraft Model IL-76TD; Aircraft Operator YAS AIR; Aircraft Manufacturer's "
        "Serial Number (MSN) 1013409297; Aircraft Tail Number EP-GOL; Linked To: POUYA AIR."
    )
    facts = parse_remarks(remarks, Schema.AIRCRAFT)
    assert [(i.type, i.value) for i in facts.identifiers] == [
        (IdentifierType.AIRCRAFT_SERIAL, "8305"),
        (IdentifierType.AIRCRAFT_SERIAL, "1013409297"),
        (IdentifierType.AIRCRAFT_REGISTRATION, "EP-GOL"),
    ]
    assert facts.related == ["YAS AIR", "POUYA AIR"]
    assert facts.remarks == [
        "Aircraft Manufacture Date 1991",
        "Aircraft Model IL-76TD",
        "Aircraft Operator YAS AIR",
    ]


def test_identifier_country_is_split_only_when_it_is_a_country() -> None:
    facts = parse_remarks(
        "Registration Number HRA 738077 (Stuttgart) (Germany); "
        "Public Registration Number 467323, Doc. 694710 (Panama); "
        "C.U.R.P. AIMM67125HCHRRG06 (Mexico) issued 1968",
        Schema.ORGANIZATION,
    )
    assert [(i.value, i.country, i.note) for i in facts.identifiers] == [
        ("HRA 738077 (Stuttgart)", "DE", None),
        ("467323, Doc. 694710", "PA", None),
        ("AIMM67125HCHRRG06", "MX", "issued 1968"),
    ]


def test_linked_to_keeps_abbreviations_and_reads_the_xml_bracket_form() -> None:
    facts = parse_remarks(
        "Linked To: BOSQUE DE SANTA TERESITA LTDA.; Linked To: GLOBANTY S.A.S.", Schema.PERSON
    )
    assert facts.related == ["BOSQUE DE SANTA TERESITA LTDA.", "GLOBANTY S.A.S."]
    xml_form = parse_remarks("all offices worldwide; (Linked To: ROSTEC)", Schema.ORGANIZATION)
    assert xml_form.related == ["ROSTEC"]
    assert xml_form.remarks == ["all offices worldwide"]


def test_alias_names_with_apostrophes_and_person_name_order() -> None:
    facts = parse_remarks("a.k.a. 'ABU-'UMAR'; a.k.a. 'HANIYA, Ismail'.", Schema.PERSON)
    assert [(n.full, n.first, n.last) for n in facts.names] == [
        ("ABU-'UMAR", None, "ABU-'UMAR"),
        ("Ismail HANIYA", "Ismail", "HANIYA"),
    ]


def test_truncated_remarks_keep_the_cut_last_part_as_a_remark() -> None:
    # sdn.csv ent_num 27307 ends at the 1000-character limit inside an alias.
    text = "a.k.a. 'HIDDEN COBRA'; a.k.a. 'WHOIS HACKIN"
    facts = parse_remarks(text, Schema.ORGANIZATION, truncated=True)
    assert [n.full for n in facts.names] == ["HIDDEN COBRA"]
    assert facts.remarks == ["a.k.a. 'WHOIS HACKIN"]
    # Even a cut part that looks complete is not trusted.
    cut = parse_remarks("Tax ID No. 77440; Passport 12", Schema.PERSON, truncated=True)
    assert [i.value for i in cut.identifiers] == ["77440"]
    assert cut.remarks == ["Passport 12"]


def test_label_matching_is_case_sensitive_and_whole_word() -> None:
    assert split_label("Passport RL 1622378 (Lebanon)") == ("Passport", "RL 1622378 (Lebanon)")
    assert split_label("Diplomatic Passport 008827 (Iran)") == (
        "Diplomatic Passport",
        "008827 (Iran)",
    )
    assert split_label("passport place of issue: Al-Anbar, Iraq") is None
    assert split_label("Passports were seized") is None
    assert split_label("Fax: 0097282858208") == ("Fax", "0097282858208")


def test_unknown_parts_are_kept_verbatim() -> None:
    facts = parse_remarks("ICTY indictee.; Member ETA; HAMAS - Hebron.", Schema.PERSON)
    assert facts.remarks == ["ICTY indictee.", "Member ETA", "HAMAS - Hebron"]


def test_programs_column() -> None:
    assert list(iter_programs("RUSSIA-EO14024] [UKRAINE-EO13662")) == [
        "RUSSIA-EO14024",
        "UKRAINE-EO13662",
    ]
    assert list(iter_programs("SDGT")) == ["SDGT"]
    assert list(iter_programs(None)) == []


def test_label_table_roles() -> None:
    assert rule_for("Vessel Gross Registered Tonnage") == LabelRule(Role.REMARK)
    assert rule_for("Nationality of Registration") == LabelRule(Role.COUNTRY)
    assert rule_for("Chinese Commercial Code") == LabelRule(Role.IDENTIFIER, IdentifierType.OTHER)
    assert rule_for("Digital Currency Address - SOL") == LabelRule(
        Role.IDENTIFIER, IdentifierType.CRYPTO_ADDRESS
    )
    assert rule_for("Listing Date (CMIC)") is None


def test_unknown_labels_become_identifiers_only_when_they_name_one() -> None:
    facts = Facts()
    add_labelled(facts, "Seaman's Passport Card", "X123", Schema.PERSON)
    add_labelled(facts, "Listing Date (CMIC)", "03 Jun 2021", Schema.ORGANIZATION)
    add_labelled(facts, "Brand New Document", "77", Schema.PERSON, is_document=True)
    assert [(i.type, i.label) for i in facts.identifiers] == [
        (IdentifierType.PASSPORT, "Seaman's Passport Card"),
        (IdentifierType.OTHER, "Brand New Document"),
    ]
    assert facts.remarks == ["Listing Date (CMIC) 03 Jun 2021"]


def test_names_and_scripts() -> None:
    name = person_name_from_csv("DELOS REYES, Feliciano Semborio, Jr.", NameKind.PRIMARY)
    assert name is not None
    assert (name.full, name.first, name.last) == (
        "Feliciano Semborio, Jr. DELOS REYES",
        "Feliciano Semborio, Jr.",
        "DELOS REYES",
    )
    assert detect_script("الزمر") == "Arab"
    assert detect_script("Газпромбанк") == "Cyrl"
    assert detect_script("SBERBANK") == "Latn"
    assert detect_script("123") is None
