"""UN Security Council Consolidated List XML adapter (`lists.un`), on the real published files.

Every count below was measured on the files in shared/data/lists/un independently of the
adapter: with grep and ad-hoc lxml scripts (records, alias elements by QUALITY, multi-name
ALIAS_NAME values, NAME_ORIGINAL_SCRIPT, documents, IMO and SWIFT mentions in COMMENTS1), and
cross-checked against PROVENANCE.md (records, non-empty aliases, original-script names,
regimes). Name counts differ from alias element counts because one ALIAS_NAME may hold several
names and alias NOTEs carry original-script renderings; both are asserted.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from lists import open_list
from lists.errors import ListReadError
from lists.inspect import Inspection, inspect_list
from lists.model import DatePrecision, Entity, IdentifierType, NameKind, Schema, Source
from lists.un.names import split_alias_names
from lists.values.scripts import detect_script as script_of
from lists.xml import iter_elements, text_of

UTC = dt.UTC
NEW_YORK_2018 = dt.timezone(dt.timedelta(hours=-4))


@dataclass(frozen=True)
class Expected:
    published: dt.datetime
    individuals: int
    entities: int
    alias_elements: dict[str, int]  # non-empty ALIAS_NAME by QUALITY
    multi_name_aliases: int  # ALIAS_NAME values holding several names separated by ";"
    original_script: int
    names_by_kind: dict[str, int]
    identifiers_by_type: dict[str, int]
    programs: int


CURRENT_2026 = "un/consolidated.xml"
FIXTURE = "un/fixtures/GSmiguel/sample_un_consolidated.xml"

EXPECTED: dict[str, Expected] = {
    CURRENT_2026: Expected(
        published=dt.datetime(2026, 5, 8, 23, 0, 6, 922000, tzinfo=UTC),
        individuals=737,
        entities=272,
        alias_elements={"Good": 1549, "Low": 621, "a.k.a.": 584, "f.k.a.": 19},
        multi_name_aliases=24,
        original_script=380,
        names_by_kind={"alias": 2221, "former": 19, "primary": 1388, "weak_alias": 652},
        identifiers_by_type={
            "bic": 5,
            "imo": 16,
            "national_id": 144,
            "passport": 352,
            "un_reference": 1009,
        },
        programs=14,
    ),
    "un/history/2018-08-24/consolidated.xml": Expected(
        published=dt.datetime(2018, 8, 24, 19, 40, 35, 913000, tzinfo=NEW_YORK_2018),
        individuals=701,
        entities=397,
        alias_elements={"Good": 1488, "Low": 593, "a.k.a.": 567, "f.k.a.": 15},
        multi_name_aliases=20,
        original_script=407,
        names_by_kind={"alias": 2140, "former": 15, "primary": 1505, "weak_alias": 624},
        identifiers_by_type={
            "bic": 4,
            "imo": 3,
            "national_id": 112,
            "passport": 292,
            "un_reference": 1098,
        },
        programs=13,
    ),
    "un/history/2018-10-29/consolidated.xml": Expected(
        published=dt.datetime(2018, 10, 29, 19, 9, 49, 856000, tzinfo=NEW_YORK_2018),
        individuals=703,
        entities=390,
        alias_elements={"Good": 1491, "Low": 595, "a.k.a.": 562, "f.k.a.": 15},
        multi_name_aliases=20,
        original_script=411,
        names_by_kind={"alias": 2138, "former": 15, "primary": 1504, "weak_alias": 626},
        identifiers_by_type={
            "bic": 4,
            "imo": 3,
            "national_id": 114,
            "passport": 294,
            "un_reference": 1093,
        },
        programs=13,
    ),
    "un/history/2025-12-09/consolidated.xml": Expected(
        published=dt.datetime(2025, 12, 9, 0, 0, 6, 58000, tzinfo=UTC),
        individuals=727,
        entities=273,
        alias_elements={"Good": 1525, "Low": 615, "a.k.a.": 594, "f.k.a.": 19},
        multi_name_aliases=27,
        original_script=379,
        names_by_kind={"alias": 2222, "former": 19, "primary": 1378, "weak_alias": 646},
        identifiers_by_type={
            "bic": 5,
            "imo": 16,
            "national_id": 139,
            "passport": 315,
            "un_reference": 1000,
        },
        programs=14,
    ),
    "un/history/2026-01-28/consolidated.xml": Expected(
        published=dt.datetime(2026, 1, 28, 0, 0, 11, 197000, tzinfo=UTC),
        individuals=726,
        entities=273,
        alias_elements={"Good": 1521, "Low": 615, "a.k.a.": 594, "f.k.a.": 19},
        multi_name_aliases=27,
        original_script=378,
        names_by_kind={"alias": 2218, "former": 19, "primary": 1376, "weak_alias": 646},
        identifiers_by_type={
            "bic": 5,
            "imo": 16,
            "national_id": 139,
            "passport": 315,
            "un_reference": 999,
        },
        programs=14,
    ),
    "un/history/2026-02-27/consolidated.xml": Expected(
        published=dt.datetime(2026, 2, 27, 0, 0, 9, 554000, tzinfo=UTC),
        individuals=730,
        entities=273,
        alias_elements={"Good": 1524, "Low": 615, "a.k.a.": 594, "f.k.a.": 19},
        multi_name_aliases=27,
        original_script=378,
        names_by_kind={"alias": 2221, "former": 19, "primary": 1380, "weak_alias": 646},
        identifiers_by_type={
            "bic": 5,
            "imo": 16,
            "national_id": 139,
            "passport": 315,
            "un_reference": 1003,
        },
        programs=14,
    ),
    FIXTURE: Expected(
        published=dt.datetime(2026, 9, 9, 23, 0, 4, 485000, tzinfo=UTC),
        individuals=4,
        entities=3,
        alias_elements={"Good": 6, "Low": 6, "a.k.a.": 3},
        multi_name_aliases=0,
        original_script=2,
        names_by_kind={"alias": 9, "primary": 9, "weak_alias": 6},
        identifiers_by_type={"bic": 1, "national_id": 1, "passport": 1, "un_reference": 7},
        programs=4,
    ),
}

PROGRAMS_2026 = [
    "Al-Qaida",
    "CAR",
    "DPRK",
    "DRC",
    "GB",
    "Haiti",
    "Iran",
    "Iraq",
    "Libya",
    "Somalia",
    "SouthSudan",
    "Sudan",
    "Taliban",
    "Yemen",
]


@pytest.fixture(scope="module")
def inspections(shared_lists: Path) -> dict[str, Inspection]:
    return {name: inspect_list(shared_lists / name) for name in EXPECTED}


@pytest.fixture(scope="module")
def current_by_reference(shared_lists: Path) -> dict[str, Entity]:
    return _by_reference(shared_lists / CURRENT_2026)


def _by_reference(path: Path) -> dict[str, Entity]:
    entities: dict[str, Entity] = {}
    for entity in open_list(path).entities():
        (reference,) = [
            i.value for i in entity.identifiers if i.type is IdentifierType.UN_REFERENCE
        ]
        entities[reference] = entity
    return entities


def _raw_alias_counts(path: Path) -> tuple[Counter[str], int]:
    """Non-empty alias elements by QUALITY and ";"-lists, read straight from the XML."""
    qualities: Counter[str] = Counter()
    multi = 0
    for alias in iter_elements(path, ("INDIVIDUAL_ALIAS", "ENTITY_ALIAS")):
        name = text_of(alias, "ALIAS_NAME")
        if name:
            qualities[text_of(alias, "QUALITY") or ""] += 1
            multi += ";" in name
    return qualities, multi


# --- counts per real file ---------------------------------------------------------------------


@pytest.mark.parametrize("name", list(EXPECTED))
def test_counts_per_file(name: str, inspections: dict[str, Inspection]) -> None:
    expected = EXPECTED[name]
    result = inspections[name]
    assert result.format == "un-xml"
    assert result.source == "un"
    assert result.published == expected.published
    assert result.entities == expected.individuals + expected.entities
    assert result.by_schema == {
        "person": expected.individuals,
        "organization": expected.entities,
        "vessel": 0,
        "aircraft": 0,
    }
    assert result.names_by_kind == expected.names_by_kind
    assert result.names == sum(expected.names_by_kind.values())
    assert result.identifiers_by_type == expected.identifiers_by_type
    assert result.imo_numbers == expected.identifiers_by_type.get("imo", 0)
    assert len(result.programs) == expected.programs
    # Format drift (SUBMITTED_BY in 2018, INTERPOL links in 2026-05, LAST_REVIEWED_ON in the
    # 2026-09 excerpt) is known: no file needs a warning.
    assert result.warnings == []


@pytest.mark.parametrize("name", list(EXPECTED))
def test_alias_elements_and_names_both_counted(
    name: str, shared_lists: Path, inspections: dict[str, Inspection]
) -> None:
    expected = EXPECTED[name]
    qualities, multi = _raw_alias_counts(shared_lists / name)
    assert dict(qualities) == expected.alias_elements
    assert multi == expected.multi_name_aliases
    # More names than alias elements + original-script names: splitting adds names.
    kinds = inspections[name].names_by_kind
    alias_names = kinds["alias"] + kinds["weak_alias"] + kinds.get("former", 0)
    assert alias_names >= sum(expected.alias_elements.values())
    assert kinds["primary"] <= expected.individuals + expected.entities + expected.original_script


def test_programs_2026(inspections: dict[str, Inspection]) -> None:
    assert inspections[CURRENT_2026].programs == PROGRAMS_2026


def test_every_entity_is_keyed_and_traceable(shared_lists: Path) -> None:
    listed = open_list(shared_lists / CURRENT_2026)
    ids = []
    for entity in listed.entities():
        ids.append(entity.entry_id)
        assert entity.source is Source.UN
        assert entity.ref.format == "un-xml"
        assert entity.ref.file == "consolidated.xml"
        assert entity.ref.record.startswith(f"DATAID {entity.entry_id} v1, line ")
        assert entity.names[0].kind is NameKind.PRIMARY
    assert len(ids) == len(set(ids)) == 1009


# --- spot checks on named real entries ----------------------------------------------------------


def test_individual_with_several_birth_dates_and_passports(
    current_by_reference: dict[str, Entity],
) -> None:
    malong = current_by_reference["SSi.008"]
    assert malong.entry_id == "6908714"
    assert malong.schema_ is Schema.PERSON
    assert malong.primary_name == "PAUL MALONG AWAN ANEI"
    assert [(n.full, n.kind) for n in malong.names] == [
        ("PAUL MALONG AWAN ANEI", NameKind.PRIMARY),
        ("Paul Malong Awan Anei", NameKind.ALIAS),
        ("Paul Malong", NameKind.ALIAS),
        ("Bol Malong", NameKind.ALIAS),
    ]
    assert [(d.precision, d.year, d.month, d.day) for d in malong.birth_dates] == [
        (DatePrecision.YEAR, 1962, None, None),  # TYPE_OF_DATE EXACT with only a YEAR
        (DatePrecision.DAY, 1960, 12, 4),
        (DatePrecision.DAY, 1960, 4, 12),
        (DatePrecision.DAY, 1962, 1, 1),
    ]
    assert malong.birth_places == ["Malualkon, South Sudan", "Kotido, Uganda"]
    assert malong.nationalities == ["SS", "UG"]
    passports = [
        (i.value, i.country) for i in malong.identifiers if i.type is IdentifierType.PASSPORT
    ]
    assert passports == [
        ("S00004370", "SS"),
        ("D00001369", "SS"),
        ("003606", "SD"),
        ("00606", "SD"),
        ("B002606", "SD"),
        ("DA025963", "UG"),
    ]
    assert malong.programs == ["SouthSudan"]
    assert malong.listed_on == dt.date(2018, 7, 13)
    assert "Title: General" in malong.remarks
    assert (
        "Designation: Former Chief of Staff of the Sudan People’s Liberation Army (SPLA), "
        "Former Governor, Northern Bahr el-Ghazal State"
    ) in malong.remarks


def test_range_and_repeated_birth_years(current_by_reference: dict[str, Entity]) -> None:
    noorzai = current_by_reference["TAi.153"]
    assert noorzai.primary_name == "FAIZULLAH KHAN NOORZAI"  # FOURTH_NAME "na" is a placeholder
    dates = [(d.precision, d.year, d.year_to) for d in noorzai.birth_dates]
    assert dates == [
        (DatePrecision.YEAR, 1966, None),
        (DatePrecision.YEAR, 1961, None),
        (DatePrecision.RANGE, 1968, 1970),
        (DatePrecision.YEAR, 1962, None),
    ]
    assert noorzai.related == ["TAi.154"]


def test_dprk_shipping_company_with_imo_company_number(
    current_by_reference: dict[str, Entity],
) -> None:
    # The UN has no vessel records: KPe.022 is the company that ran the ship Chong Chon Gang,
    # and 5342883 (which fails the ship check digit) is its IMO company number.
    company = current_by_reference["KPe.022"]
    assert company.entry_id == "6908516"
    assert company.schema_ is Schema.ORGANIZATION
    assert company.primary_name == "CHONGCHONGANG SHIPPING COMPANY"
    assert [(n.full, n.kind) for n in company.names[1:]] == [
        ("Chong Chon Gang Shipping Co. Ltd.", NameKind.ALIAS),
        ("Chongchongang Shipping Co LTD", NameKind.ALIAS),
    ]
    (imo,) = [i for i in company.identifiers if i.type is IdentifierType.IMO]
    assert imo.value == "5342883"
    assert imo.label == "IMO Number"
    assert imo.note is not None and "company" in imo.note
    assert company.programs == ["DPRK"]
    assert company.listed_on == dt.date(2016, 3, 2)
    assert company.addresses[0].lines == ["817 Haeun, Donghung-dong, Central District"]
    assert company.addresses[0].city == "Pyongyang"
    assert company.addresses[0].country == "KP"


def test_all_imo_numbers_2026(current_by_reference: dict[str, Entity]) -> None:
    imo = {
        ref: [i.value for i in e.identifiers if i.type is IdentifierType.IMO]
        for ref, e in current_by_reference.items()
        if any(i.type is IdentifierType.IMO for i in e.identifiers)
    }
    assert imo == {
        "KPe.020": ["1790183"],
        "KPe.022": ["5342883"],
        "KPe.056": ["5571322"],
        "KPe.057": ["5963351"],
        "KPe.058": ["5787684"],
        "KPe.061": ["5936312"],
        "KPe.062": ["5676084"],
        "KPe.063": ["5985863"],
        "KPe.064": ["5954061"],
        "KPe.065": ["5145892"],
        "KPe.066": ["5434358"],
        "KPe.067": ["5982254"],
        "KPe.068": ["5988369"],
        "KPe.070": ["5878561"],
        "KPe.074": ["5905801"],
        "KPe.075": ["5987860"],
    }
    assert all(current_by_reference[ref].schema_ is Schema.ORGANIZATION for ref in imo)
    labels = {
        i.label for ref in imo for i in current_by_reference[ref].identifiers if i.type == "imo"
    }
    assert labels == {
        "IMO Number",
        "IMO number",
        "Company Number IMO",
        "International Maritime Organization (IMO) Number",
    }


def test_bank_swift_codes_from_comments(current_by_reference: dict[str, Entity]) -> None:
    bics = {
        ref: [(i.value, i.label) for i in e.identifiers if i.type is IdentifierType.BIC]
        for ref, e in current_by_reference.items()
    }
    assert {ref: codes for ref, codes in bics.items() if codes} == {
        "KPe.023": [("DCBKKPPY", "SWIFT")],
        "KPe.033": [("KUDBKPPY", "SWIFT/BIC")],
        "KPe.034": [("ILSIKPPY", "SWIFT")],
        "KPe.035": [("KDBKKPPY", "SWIFT/BIC")],
        "KPe.047": [("FTBDKPPY", "SWIFT/BIC")],
    }


def test_entity_with_former_names(current_by_reference: dict[str, Entity]) -> None:
    bank = current_by_reference["KPe.003"]
    assert bank.entry_id == "690752"
    assert [(n.full, n.kind) for n in bank.names] == [
        ("TANCHON COMMERCIAL BANK", NameKind.PRIMARY),
        ("CHANGGWANG CREDIT BANK", NameKind.FORMER),
        ("KOREA CHANGGWANG CREDIT BANK", NameKind.FORMER),
    ]
    formers = [
        ref
        for ref, e in current_by_reference.items()
        if any(n.kind is NameKind.FORMER for n in e.names)
    ]
    assert len(formers) == 13


def test_russian_original_script_and_alias_renderings(
    current_by_reference: dict[str, Entity],
) -> None:
    chataev = current_by_reference["QDi.365"]
    assert [(n.full, n.kind, n.script) for n in chataev.names] == [
        ("AKHMED RAJAPOVICH CHATAEV", NameKind.PRIMARY, "Latn"),
        ("Ахмед Ражапович Чатаев", NameKind.PRIMARY, "Cyrl"),
        ("Akhmad Shishani", NameKind.ALIAS, "Latn"),
        ("Ахмад Шишани", NameKind.ALIAS, "Cyrl"),  # from the alias NOTE "original script: ..."
        ("David Mayer", NameKind.ALIAS, "Latn"),
        ("Давид Майер", NameKind.ALIAS, "Cyrl"),
        ("Elmir Sene", NameKind.ALIAS, "Latn"),
        ("Эльмир Сене", NameKind.ALIAS, "Cyrl"),
        ("Odnorukiy", NameKind.WEAK_ALIAS, "Latn"),
        ("Однорукий", NameKind.WEAK_ALIAS, "Cyrl"),
    ]
    passport = [i for i in chataev.identifiers if i.type is IdentifierType.PASSPORT]
    # TYPE_OF_DOCUMENT "National Identification Number" refined by TYPE_OF_DOCUMENT2.
    assert [(i.value, i.country, i.label) for i in passport] == [
        ("9600133195", "RU", "national passport")
    ]


def test_arabic_original_script_name(current_by_reference: dict[str, Entity]) -> None:
    noorzai = current_by_reference["TAi.153"]
    assert (noorzai.names[1].full, noorzai.names[1].kind, noorzai.names[1].script) == (
        "فیض الله خان نورزی",
        NameKind.PRIMARY,
        "Arab",
    )
    # An Arabic alias whose NOTE lists its transliterations: each becomes an alias.
    fulls = [n.full for n in noorzai.names if n.kind is NameKind.ALIAS]
    assert "حاجى فیض الله خان نورزى" in fulls
    assert "Hajji Faizullah Khan Noorzai" in fulls
    assert "Haji Fiazullah" in fulls


def test_multi_name_alias_is_split(current_by_reference: dict[str, Entity]) -> None:
    soleimani = current_by_reference["IRi.039"]
    assert [(n.full, n.kind) for n in soleimani.names] == [
        ("QASEM SOLEIMANI", NameKind.PRIMARY),
        ("Qasim Soleimani", NameKind.ALIAS),
        ("Qasem Sulaimani", NameKind.ALIAS),
        ("Qasim Sulaimani", NameKind.ALIAS),
        ("Qasim Sulaymani", NameKind.ALIAS),
        ("Qasem Sulaymani", NameKind.ALIAS),
        ("Kasim Soleimani", NameKind.ALIAS),
        ("Kasim Sulaimani", NameKind.ALIAS),
        ("Kasim Sulaymani", NameKind.ALIAS),
        ("Haj Qasem", NameKind.WEAK_ALIAS),
        ("Haji Qassem", NameKind.WEAK_ALIAS),
        ("Sardar Soleimani", NameKind.WEAK_ALIAS),
    ]


@pytest.mark.parametrize(
    ("alias", "names"),
    [
        ("Fazel Rahim; Fazil Rahim", ["Fazel Rahim", "Fazil Rahim"]),
        (
            "Mohammed Sabet; Mohammad Sabet b) M. Javad Kareemi Sabet; M. Jawad Karimi Sabet",
            ["Mohammed Sabet", "Mohammad Sabet", "M. Javad Kareemi Sabet", "M. Jawad Karimi Sabet"],
        ),
        (
            "حسن غول (Hassan Ghul; Hassan Gul; Hasan Gul)",
            ["حسن غول", "Hassan Ghul", "Hassan Gul", "Hasan Gul"],
        ),
        ("Jin Tiesan (金铁三)", ["Jin Tiesan", "金铁三"]),
        ("Amir Khazmat (original script: Амир Хазмат)", ["Amir Khazmat", "Амир Хазмат"]),
        (
            "Akhter Mohmad son of Noor Mohmad (اختر محمد ولد نور محمد ),",
            ["Akhter Mohmad son of Noor Mohmad", "اختر محمد ولد نور محمد"],
        ),
        # Same-script brackets are part of the name, not a second name.
        ("Lord’s Resistance Movement (LRM)", ["Lord’s Resistance Movement (LRM)"]),
        ("Lom-ali Butayev (Butaev)", ["Lom-ali Butayev (Butaev)"]),
        ("華信船務(香港)有限公司", ["華信船務(香港)有限公司"]),
        (
            ") Abdelrahman Mouhamad Zafir al Dabissi Juhan",
            ["Abdelrahman Mouhamad Zafir al Dabissi Juhan"],
        ),
    ],
)
def test_split_alias_names(alias: str, names: list[str]) -> None:
    assert split_alias_names(alias) == names


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("QASEM SOLEIMANI", "Latn"),
        ("Ахмед Ражапович Чатаев", "Cyrl"),
        ("فیض الله خان نورزی", "Arab"),
        ("阿不都·哈克", "Hani"),
        ("ፍትዊ ዓብዱረዛቕ", "Ethi"),
        ("Agha Jan Alizai اغا جان عالیزی", None),  # mixed: no single script
    ],
)
def test_script_of(text: str, script: str | None) -> None:
    assert script_of(text) == script


def test_2018_layout_and_quirks(shared_lists: Path) -> None:
    by_reference = _by_reference(shared_lists / "un/history/2018-08-24/consolidated.xml")
    # One record per line: the line number still locates the record.
    ri = by_reference["KPi.033"]
    assert ri.primary_name == "RI WON HO"  # "<FIRST_NAME> RI </FIRST_NAME>"
    assert ri.ref.record == "DATAID 6908555 v1, line 3"
    # Trailing space in REFERENCE_NUMBER "KPe.056 ".
    assert by_reference["KPe.056"].identifiers[0].value == "KPe.056"
    # Tigrinya original-script name with its language label.
    fitiwi = by_reference["LYi.022"]
    assert (fitiwi.names[1].full, fitiwi.names[1].script, fitiwi.names[1].language) == (
        "ፍትዊ ዓብዱረዛቕ",
        "Ethi",
        "ti",
    )
    assert "Date of birth (approximately): 30-35 years old" in fitiwi.remarks
    assert fitiwi.birth_dates == []
    # xs:date with a time zone ("1960-01-01-05:00") is still a day.
    dated = [
        e for e in by_reference.values() if any(d.text == "1960-01-01-05:00" for d in e.birth_dates)
    ]
    assert len(dated) == 1
    assert dated[0].birth_dates[0].as_date() == dt.date(1960, 1, 1)
    submitted = [r for e in by_reference.values() for r in e.remarks if r.startswith("Submitted")]
    assert sorted(submitted) == [
        "Submitted by: Germany",
        "Submitted by: Trinidad and Tobago",
        "Submitted by: United States",
        "Submitted on: 2009-07-17",
    ]


def test_birth_date_notes(current_by_reference: dict[str, Entity]) -> None:
    hijri = current_by_reference["QDi.291"]
    assert "Date of birth (exact): 24/06/1402 (Hijri Calendar)" in hijri.remarks
    approximate_range = [
        d
        for e in current_by_reference.values()
        for d in e.birth_dates
        if d.precision is DatePrecision.RANGE and d.circa
    ]
    assert len(approximate_range) == 5  # BETWEEN with NOTE "Approximately"
    months = [
        (d.year, d.month)
        for e in current_by_reference.values()
        for d in e.birth_dates
        if d.precision is DatePrecision.MONTH
    ]
    assert sorted(months) == [(1958, 9), (1961, 7), (1961, 8), (1963, 4), (1973, 11)]


def test_gender_from_element_and_comments(current_by_reference: dict[str, Entity]) -> None:
    genders = Counter(e.gender for e in current_by_reference.values() if e.schema_ == "person")
    # 55 GENDER elements (52 Male, 3 Female) + 48 "Gender: male/female" stated only in COMMENTS1.
    assert genders == {None: 634, "male": 98, "female": 5}


@pytest.mark.parametrize(
    ("name", "with_links"),
    [
        # grep -c "<INTERPOL_LINK>http" (one element per line): 641 records.
        (CURRENT_2026, 641),
        # 2018 files have no INTERPOL_LINK element; the link is only in COMMENTS1:
        # grep -c "Special Notice web link: *http" gives 601 lines, one record each.
        ("un/history/2018-08-24/consolidated.xml", 601),
    ],
)
def test_interpol_links_are_links_not_remarks(
    name: str, with_links: int, shared_lists: Path
) -> None:
    entities = list(open_list(shared_lists / name).entities())
    linked = [entity for entity in entities if entity.links]
    assert len(linked) == with_links
    assert all(link.startswith("https://www.interpol.int/") for e in linked for link in e.links)
    # The link was a remark of its own before ("INTERPOL-UN Security Council Special Notice: ...");
    # COMMENTS1, which may state it too, stays in remarks as written.
    synthesised = "INTERPOL-UN Security Council Special Notice: "
    assert not any(r.startswith(synthesised) for e in entities for r in e.remarks)


def test_interpol_link_and_review_history_in_fixture(shared_lists: Path) -> None:
    by_reference = _by_reference(shared_lists / FIXTURE)
    record = by_reference["QDi.335"]
    assert "Last reviewed on: 2019-02-21, 2022-11-08" in record.remarks
    # INTERPOL_LINK and the same link in COMMENTS1 ("Special Notice:https://...") are one link;
    # no remark repeats it.
    assert record.links == [
        "https://www.interpol.int/en/How-we-work/Notices/View-UN-Notices-Individuals"
    ]
    assert not any(remark.startswith("INTERPOL") for remark in record.remarks)
    assert record.birth_dates[0].as_date() == dt.date(1973, 3, 6)
    (national_id,) = [i for i in record.identifiers if i.type is IdentifierType.NATIONAL_ID]
    assert (national_id.value, national_id.country) == ("273030601222", "KW")


def test_sniff_and_cli(shared_lists: Path) -> None:
    listed = open_list(shared_lists / FIXTURE)
    assert listed.format.name == "un-xml"
    assert listed.source is Source.UN
    result = CliRunner().invoke(cli.main, ["lists", "inspect", str(shared_lists / FIXTURE)])
    assert result.exit_code == 0, result.output
    assert "un-xml (un)" in result.output
    assert "entities    7 (person 4, organization 3, vessel 0, aircraft 0)" in result.output


# --- synthetic records: rules the real files do not exercise ----------------------------------

HEADER = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<CONSOLIDATED_LIST dateGenerated="2026-05-08T23:00:06.922Z">\n'
)


def _write(tmp_path: Path, body: str, name: str = "un.xml") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body + "</CONSOLIDATED_LIST>\n", encoding="utf-8")
    return path


def _entity(data_id: str, name: str, comments: str) -> str:
    return (
        f"<ENTITIES><ENTITY><DATAID>{data_id}</DATAID><VERSIONNUM>1</VERSIONNUM>"
        f"<FIRST_NAME>{name}</FIRST_NAME><UN_LIST_TYPE>DPRK</UN_LIST_TYPE>"
        f"<REFERENCE_NUMBER>KPe.999</REFERENCE_NUMBER><LISTED_ON>2018-03-30</LISTED_ON>"
        f"<COMMENTS1>{comments}</COMMENTS1></ENTITY></ENTITIES>\n"
    )


def test_vessel_only_when_the_record_is_the_ship(tmp_path: Path) -> None:
    # 8604917 passes the ship IMO check digit; the name and comments describe the ship itself.
    ship = _write(tmp_path, _entity("1", "YU JONG 2", "DPRK-flagged tanker. IMO number: 8604917."))
    (vessel,) = open_list(ship).entities()
    assert vessel.schema_ is Schema.VESSEL
    (imo,) = [i for i in vessel.identifiers if i.type is IdentifierType.IMO]
    assert (imo.value, imo.note) == ("8604917", None)

    owner = _write(
        tmp_path,
        _entity("2", "KOREA YUJONG SHIPPING CO LTD", "Registered owner of YU JONG 2. IMO 8604917."),
        "owner.xml",
    )
    (company,) = open_list(owner).entities()
    assert company.schema_ is Schema.ORGANIZATION
    # Same check digit, but a company: a number that passes is not called a company number.
    assert company.identifiers[1].note == "IMO number stated in the comments of a company record"


def test_unknown_element_is_kept_and_reported(tmp_path: Path) -> None:
    body = _entity("3", "SOME BANK", "A bank.").replace(
        "</ENTITY>", "<RISK_SCORE><VALUE>high</VALUE></RISK_SCORE></ENTITY>"
    )
    listed = open_list(_write(tmp_path, body))
    (bank,) = listed.entities()
    assert "RISK_SCORE: high" in bank.remarks
    assert len(listed.report.warnings) == 1
    assert "unknown element <RISK_SCORE>" in listed.report.warnings[0]


def test_unknown_alias_quality_is_an_alias_with_a_warning(tmp_path: Path) -> None:
    body = _entity("4", "SOME BANK", "A bank.").replace(
        "</ENTITY>",
        "<ENTITY_ALIAS><QUALITY>n.s.a.</QUALITY><ALIAS_NAME>OTHER BANK</ALIAS_NAME>"
        "</ENTITY_ALIAS></ENTITY>",
    )
    listed = open_list(_write(tmp_path, body))
    (bank,) = listed.entities()
    assert [(n.full, n.kind) for n in bank.names] == [
        ("SOME BANK", NameKind.PRIMARY),
        ("OTHER BANK", NameKind.ALIAS),
    ]
    assert listed.report.warnings == ["unknown alias QUALITY 'n.s.a.' (line 3); read as alias"]


# --- UN-specific bad input -------------------------------------------------------------------


def _squash(text: str) -> str:
    return "".join(text.split())


def _read_all(path: Path) -> list[Entity]:
    return list(open_list(path).entities())


def test_record_without_dataid_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, _entity("5", "SOME BANK", "A bank.").replace("<DATAID>5</DATAID>", ""))
    with pytest.raises(ListReadError) as caught:
        _read_all(path)
    assert str(caught.value) == f"{path}:3: ENTITY record without DATAID"
    result = CliRunner().invoke(cli.main, ["lists", "inspect", str(path)])
    assert result.exit_code == 1
    # The CLI may wrap long messages to the terminal width; compare without whitespace.
    assert _squash(f"{path}:3: ENTITY record without DATAID") in _squash(result.output)
    assert "Traceback" not in result.output
    assert "entities " not in result.output


def test_record_without_a_name_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, _entity("6", " ", "A bank."))
    with pytest.raises(ListReadError) as caught:
        _read_all(path)
    assert str(caught.value) == f"{path}:3 (record 6): ENTITY record has no name"


def test_list_without_records_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "<INDIVIDUALS/><ENTITIES/>\n")
    with pytest.raises(ListReadError) as caught:
        _read_all(path)
    assert str(path) in str(caught.value)
    assert "no INDIVIDUAL or ENTITY records" in str(caught.value)


def test_truncated_un_file_reports_line(tmp_path: Path, shared_lists: Path) -> None:
    data = (shared_lists / CURRENT_2026).read_bytes()
    cut = data[: len(data) // 3]
    path = tmp_path / "truncated.xml"
    path.write_bytes(cut)
    with pytest.raises(ListReadError) as caught:
        _read_all(path)
    assert caught.value.line is not None
    assert caught.value.line >= cut.count(b"\n")
    assert str(caught.value).startswith(f"{path}:{caught.value.line}: malformed XML")
