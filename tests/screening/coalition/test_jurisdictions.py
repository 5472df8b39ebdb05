"""Jurisdiction roles, country and BIC resolution, occupied regions found in text.

Counts are checked twice: against the literal numbers of the reference README (12 sanctioned,
39 coalition core, 15 hubs by primary role and 19 by any role, 3 pivots, 69 rows) and against
a count made here from the reference CSV itself, independently of screening.jurisdictions.
"""

from __future__ import annotations

import csv
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

from screening.coalition.jurisdictions import (
    PlaceKind,
    Role,
    country_of_bic,
    jurisdiction,
    jurisdictions,
    normalize_bic,
    region_matches,
    regions_in_text,
    resolve_code,
    resolve_country,
    roles_of,
    with_role,
)
from tests.conftest import SHARED_REFERENCE

REFERENCE_FILE = SHARED_REFERENCE / "jurisdictions.csv"
OCCUPIED = ("UA-43", "UA-40", "UA-14", "UA-09", "UA-23", "UA-65")


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _package_rows(file_name: str) -> list[dict[str, str]]:
    text = resources.files("screening.data").joinpath(file_name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@pytest.fixture(scope="module")
def reference_rows() -> list[dict[str, str]]:
    assert REFERENCE_FILE.is_file(), f"reference table expected at {REFERENCE_FILE}"
    return _csv_rows(REFERENCE_FILE)


# --- the package data ------------------------------------------------------------------------


def test_package_csv_equals_reference_row_for_row(reference_rows: list[dict[str, str]]) -> None:
    package_rows = _package_rows("jurisdictions.csv")
    assert len(package_rows) == len(reference_rows) == 69
    for package_row, reference_row in zip(package_rows, reference_rows, strict=True):
        assert package_row == reference_row


def test_every_reference_row_is_loaded_field_by_field(
    reference_rows: list[dict[str, str]],
) -> None:
    loaded = jurisdictions()
    assert [row.code for row in loaded] == [row["iso2"] for row in reference_rows]
    for row, reference in zip(loaded, reference_rows, strict=True):
        assert row.code_type == reference["code_type"]
        assert row.parent == reference["parent_iso2"]
        assert row.name == reference["name"]
        assert row.primary_role.value == reference["role"]
        assert [role.value for role in row.roles] == reference["roles"].split(";")
        assert row.program == reference["program"]
        assert row.basis == reference["basis"]
        assert row.sources == reference["source"].split(";")
        assert row.source_type == reference["source_type"]
        assert row.verified == reference["verified"]
        assert row.notes == reference["notes"]


def test_every_source_id_is_documented_in_sources_csv() -> None:
    documented = {row["source_id"] for row in _package_rows("sources.csv")}
    reference = {row["source_id"] for row in _csv_rows(SHARED_REFERENCE / "sources.csv")}
    used = {source for row in jurisdictions() for source in row.sources}
    assert used <= documented
    assert used <= reference
    assert len(used) == 20  # distinct ids in the source column, counted with the csv module


# --- roles -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "primary", "any_role"),
    [
        (Role.SANCTIONED, 12, 12),
        (Role.COALITION_CORE, 39, 39),
        (Role.TRANSSHIPMENT_HUB, 15, 19),
        (Role.PERIPHERAL_PIVOT, 3, 3),
    ],
)
def test_role_counts(
    role: Role, primary: int, any_role: int, reference_rows: list[dict[str, str]]
) -> None:
    counted_primary = Counter(row["role"] for row in reference_rows)[role.value]
    counted_any = sum(role.value in row["roles"].split(";") for row in reference_rows)
    assert len(with_role(role, primary=True)) == primary == counted_primary
    assert len(with_role(role)) == any_role == counted_any


def test_multi_role_rows_are_exactly_tw_sg_ae_tr() -> None:
    multi = {row.code: row.roles for row in jurisdictions() if len(row.roles) > 1}
    assert multi == {
        "TW": [Role.COALITION_CORE, Role.TRANSSHIPMENT_HUB],
        "SG": [Role.PERIPHERAL_PIVOT, Role.TRANSSHIPMENT_HUB],
        "AE": [Role.PERIPHERAL_PIVOT, Role.TRANSSHIPMENT_HUB],
        "TR": [Role.PERIPHERAL_PIVOT, Role.TRANSSHIPMENT_HUB],
    }
    assert roles_of("TW") == {Role.COALITION_CORE, Role.TRANSSHIPMENT_HUB}
    turkey = jurisdiction("TR")
    assert turkey is not None
    assert turkey.primary_role == Role.PERIPHERAL_PIVOT


def test_sanctioned_rows() -> None:
    sanctioned = {row.code for row in with_role(Role.SANCTIONED)}
    assert sanctioned == {"RU", "BY", "IR", "CU", "SY", "KP", *OCCUPIED}
    regions = [row for row in jurisdictions() if row.is_region]
    assert [row.code for row in regions] == list(OCCUPIED)
    assert all(row.parent == "UA" and row.code_type == "iso3166-2" for row in regions)


def test_spot_check_russia_and_hong_kong() -> None:
    russia = jurisdiction("RU")
    assert russia is not None
    assert russia.name == "Russian Federation"
    assert russia.roles == [Role.SANCTIONED]
    assert russia.program.startswith("US: EAR 15 CFR 746.8 and OFAC Russia-related programs")
    assert russia.sources == ["BIS_CHPL_2024", "FINCEN_BIS_2022"]
    assert russia.verified == "yes"
    hong_kong = jurisdiction("HK")
    assert hong_kong is not None
    assert hong_kong.name == "Hong Kong (China)"
    assert hong_kong.roles == [Role.TRANSSHIPMENT_HUB]
    assert hong_kong.sources == ["KSE_CHP", "ANALYSIS"]
    assert hong_kong.verified == "no"
    assert hong_kong.program == ""


def test_coalition_core_is_eu27_plus_twelve() -> None:
    core = {row.code for row in with_role(Role.COALITION_CORE)}
    eu27 = {
        *("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE"),
        *("IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"),
    }
    assert len(eu27) == 27
    assert core == eu27 | {"AU", "CA", "JP", "NZ", "GB", "KR", "IS", "LI", "NO", "CH", "TW", "US"}
    assert "SG" not in core  # the README's decision on the conflicting CM_2023 post


@pytest.mark.parametrize("code", ["UA", "Ukraine", "ZZ", "PK", "Vietnam", "", "  ", "nonsense"])
def test_unclassified_is_none_and_no_roles(code: str) -> None:
    assert jurisdiction(code) is None
    assert roles_of(code) == set()


def test_roles_of_none() -> None:
    assert roles_of(None) == set()
    assert jurisdiction(None) is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ru", "RU"),
        (" RU ", "RU"),
        ("RUS", "RU"),
        ("Russia", "RU"),
        ("ua-43", "UA-43"),
        ("Crimea", "UA-43"),
        ("Sevastopol", "UA-40"),
        ("United Arab Emirates", "AE"),
        ("Türkiye", "TR"),
    ],
)
def test_jurisdiction_accepts_codes_in_any_case_and_names(text: str, code: str) -> None:
    found = jurisdiction(text)
    assert found is not None
    assert found.code == code


# --- countries -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso2"),
    [
        ("RU", "RU"),
        ("ru", "RU"),
        ("RUS", "RU"),
        ("rus", "RU"),
        ("Russia", "RU"),
        ("Russian Federation", "RU"),
        ("Россия", "RU"),
        ("UAE", "AE"),
        ("U.A.E.", "AE"),
        ("United Arab Emirates", "AE"),
        ("ARE", "AE"),
        ("Türkiye", "TR"),
        ("Turkiye", "TR"),
        ("Turkey", "TR"),
        ("Republic of Türkiye", "TR"),
        ("Hong Kong", "HK"),
        ("HKG", "HK"),
        ("Korea, South", "KR"),
        ("South Korea", "KR"),
        ("Korea, North", "KP"),
        ("Taiwan", "TW"),
        ("Chinese Taipei", "TW"),
        ("United Kingdom", "GB"),
        ("UK", "GB"),
        ("USA", "US"),
        ("U.S.A.", "US"),
        ("Belarus", "BY"),
        ("Kyrgyz Republic", "KG"),
        ("Kosovo", "XK"),
        ("UA-43", "UA"),
        ("Crimea", "UA"),
    ],
)
def test_resolve_country(text: str, iso2: str) -> None:
    assert resolve_country(text) == iso2


@pytest.mark.parametrize("text", [None, "", "  ", "EU", "Europe", "Narnia", "XYZ", "ZZ-12"])
def test_resolve_country_rejects_non_countries(text: str | None) -> None:
    assert resolve_country(text) is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Crimea", "UA-43"),
        ("Республика Крым", "UA-43"),
        ("UA-14", "UA-14"),
        ("Donetsk", "UA-14"),
        ("LNR", "UA-09"),
        ("Kherson", "UA-65"),
        ("Russia", "RU"),
        ("Ukraine", "UA"),
        ("Donbas", None),  # two regions: no single code; countrynames does not know it either
    ],
)
def test_resolve_code_keeps_regions(text: str, code: str | None) -> None:
    assert resolve_code(text) == code


# --- BIC -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bic", "iso2"),
    [
        ("DEUTDEFF", "DE"),
        ("DEUTDEFF500", "DE"),
        ("SABRRUMM", "RU"),
        ("SABRRUMMXXX", "RU"),
        ("BKCHCNBJ", "CN"),
        ("NBADAEAA", "AE"),
        ("deutdeff", "DE"),
        (" DEUT DE FF 500 ", "DE"),
        ("RZBAXK2P", "XK"),
        ("ABCDUA2X", "UA"),
    ],
)
def test_country_of_bic(bic: str, iso2: str) -> None:
    assert country_of_bic(bic) == iso2


@pytest.mark.parametrize(
    "bic",
    [
        None,
        "",
        "DEUTDEF",  # 7 characters
        "DEUTDEFF5",  # 9
        "DEUTDEFF50",  # 10
        "DEUTDEFF5000",  # 12
        "DE1TDEFF",  # digit in the institution code
        "DEUTD1FF",  # digit in the country code
        "DEUTZZFF",  # no such country
        "DEUT-DEFF",
        "DEUTDEF_",
        "ДЕУТDEFF",
    ],
)
def test_malformed_bic_gives_none(bic: str | None) -> None:
    assert country_of_bic(bic) is None
    assert normalize_bic(bic) is None


def test_normalize_bic() -> None:
    assert normalize_bic("deut de ff") == "DEUTDEFF"
    assert normalize_bic("SABRRUMMXXX") == "SABRRUMMXXX"


# --- occupied regions in text ----------------------------------------------------------------

# The cities of the issue, each in Latin spellings and in Cyrillic.
CITIES = [
    ("UA-40", ["Sevastopol", "Sebastopol", "Севастополь", "Севастопіль"]),
    ("UA-43", ["Simferopol", "Симферополь", "Сімферополь"]),
    ("UA-43", ["Yalta", "Ялта"]),
    ("UA-43", ["Kerch", "Керчь"]),
    ("UA-43", ["Feodosia", "Feodosiya", "Феодосия", "Феодосія"]),
    ("UA-43", ["Yevpatoria", "Evpatoria", "Евпатория", "Євпаторія"]),
    ("UA-43", ["Dzhankoi", "Dzhankoy", "Джанкой"]),
    ("UA-14", ["Donetsk", "Донецк", "Донецьк"]),
    ("UA-14", ["Makiivka", "Makeevka", "Makeyevka", "Макеевка", "Макіївка"]),
    ("UA-14", ["Horlivka", "Gorlovka", "Горловка", "Горлівка"]),
    ("UA-14", ["Mariupol", "Мариуполь", "Маріуполь"]),
    ("UA-14", ["Yenakiieve", "Yenakiyevo", "Enakievo", "Енакиево", "Єнакієве"]),
    ("UA-14", ["Khartsyzk", "Khartsyzsk", "Харцызск", "Харцизьк"]),
    ("UA-09", ["Luhansk", "Lugansk", "Луганск", "Луганськ"]),
    ("UA-09", ["Alchevsk", "Алчевск", "Алчевськ"]),
    ("UA-09", ["Sievierodonetsk", "Severodonetsk", "Северодонецк", "Сєвєродонецьк"]),
    ("UA-09", ["Lysychansk", "Lisichansk", "Лисичанск", "Лисичанськ"]),
    ("UA-09", ["Krasnyi Luch", "Krasny Luch", "Красный Луч", "Khrustalnyi"]),
    ("UA-23", ["Melitopol", "Мелитополь", "Мелітополь"]),
    ("UA-23", ["Berdiansk", "Berdyansk", "Бердянск", "Бердянськ"]),
    ("UA-23", ["Enerhodar", "Energodar", "Энергодар", "Енергодар"]),
    ("UA-23", ["Tokmak", "Токмак"]),
    ("UA-65", ["Nova Kakhovka", "Novaya Kakhovka", "Нова Каховка", "Новая Каховка"]),
    ("UA-65", ["Henichesk", "Genichesk", "Геническ", "Генічеськ"]),
    ("UA-65", ["Skadovsk", "Скадовск", "Скадовськ"]),
    ("UA-65", ["Oleshky", "Aleshki", "Олешки", "Алешки"]),
]
CITY_CASES = [(region, name) for region, names in CITIES for name in names]


@pytest.mark.parametrize(("region", "city"), CITY_CASES)
def test_city_in_an_address(region: str, city: str) -> None:
    text = f"ul. Lenina 12, kv. 4, {city}, 12345"
    matches = region_matches(text)
    assert [match.region.code for match in matches] == [region]
    match = matches[0]
    assert match.matched == city
    assert match.oblast_only is False
    assert match.kind in {PlaceKind.CITY, PlaceKind.REGION}  # Sevastopol is a region of its own


@pytest.mark.parametrize(
    ("text", "region", "matched", "kind", "oblast_only"),
    [
        ("Republic of Crimea, Russia", "UA-43", "Republic of Crimea", PlaceKind.REGION, False),
        ("Crimea", "UA-43", "Crimea", PlaceKind.REGION, False),
        ("Республика Крым, г. Саки", "UA-43", "Республика Крым", PlaceKind.REGION, False),
        ("Krym", "UA-43", "Krym", PlaceKind.REGION, False),
        ("UA-43", "UA-43", "UA-43", PlaceKind.CODE, False),
        ("region code ua-40", "UA-40", "ua-40", PlaceKind.CODE, False),
        ("UA-14", "UA-14", "UA-14", PlaceKind.CODE, True),
        (
            "Donetsk People's Republic",
            "UA-14",
            "Donetsk People's Republic",
            PlaceKind.ENTITY,
            False,
        ),
        ("DNR, Makeevka", "UA-14", "DNR", PlaceKind.ENTITY, False),
        ("ДНР", "UA-14", "ДНР", PlaceKind.ENTITY, False),
        ("LNR", "UA-09", "LNR", PlaceKind.ENTITY, False),
        (
            "Luhansk People's Republic",
            "UA-09",
            "Luhansk People's Republic",
            PlaceKind.ENTITY,
            False,
        ),
        ("Lugansk Oblast", "UA-09", "Lugansk Oblast", PlaceKind.REGION, True),
        ("Donetsk Oblast, Kramatorsk", "UA-14", "Donetsk Oblast", PlaceKind.REGION, True),
        ("Донецька область", "UA-14", "Донецька область", PlaceKind.REGION, True),
        ("Zaporizhzhia, Sobornyi Ave 1", "UA-23", "Zaporizhzhia", PlaceKind.REGION, True),
        ("Запорожская область", "UA-23", "Запорожская область", PlaceKind.REGION, True),
        ("Kherson", "UA-65", "Kherson", PlaceKind.REGION, True),
        ("Херсонская область", "UA-65", "Херсонская область", PlaceKind.REGION, True),
        ("SIMFEROPOL", "UA-43", "SIMFEROPOL", PlaceKind.CITY, False),
        ("Donetsk-based supplier", "UA-14", "Donetsk", PlaceKind.CITY, False),
        ("г. Донецк ул. Артема 5", "UA-14", "Донецк", PlaceKind.CITY, False),
        ("Mariupol, Street of Peace 7", "UA-14", "Mariupol", PlaceKind.CITY, False),
        ("Кам'янка-Дніпровська", "UA-23", "Кам'янка-Дніпровська", PlaceKind.CITY, False),
        ("Donets'k", "UA-14", "Donets'k", PlaceKind.CITY, False),
        ("Stakhanov", "UA-09", "Stakhanov", PlaceKind.CITY, False),
    ],
)
def test_region_names_codes_and_entities(
    text: str, region: str, matched: str, kind: PlaceKind, oblast_only: bool
) -> None:
    matches = region_matches(text)
    assert len(matches) == 1
    assert matches[0].region.code == region
    assert matches[0].matched == matched
    assert matches[0].kind == kind
    assert matches[0].oblast_only is oblast_only


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Donetskyi Street 5, Kyiv",  # a street named after the city is another word
        "vul. Donetska 3, Kyiv, 03151",
        "Crimean Street 3, Odesa",  # the adjective is not the region
        "Sevastopolska Square 1, Kyiv",
        "Sevastopol Street 5, Kyiv",  # a street named after the city
        "Mariupol Ave 2, Dnipro",
        "Khreshchatyk St 22, Kyiv, 01001, Ukraine",
        "Kharkiv, Sumska 10",
        "Lviv, Rynok Square 1",
        "Kramatorsk, Ukraine",  # Donetsk oblast, but under Ukrainian control and not an oblast name
        "Odesa, Deribasivska 1",
        "DPR Korea, Pyongyang",  # North Korea, not Donetsk
        "Tokmak, Chui region, Kyrgyzstan",  # Tokmok, Kyrgyzstan
        "Sebastopol, CA 95472, California",
        "Donetsk, Rostov Oblast, Russia",  # a Russian town of the same name
        "Moscow, Tverskaya 1, Russia",
        "Khersones street 4",  # neither Kherson nor a city token
        "Lugansky Lane 2, Kyiv",
    ],
)
def test_text_without_occupied_regions(text: str) -> None:
    assert region_matches(text) == []
    assert regions_in_text(text) == []


def test_none_text() -> None:
    assert region_matches(None) == []
    assert regions_in_text(None) == []


def test_each_region_once_in_order_of_first_mention() -> None:
    text = "Simferopol; Kerch; Yalta; then Donetsk, Makeevka; back to Crimea"
    matches = region_matches(text)
    assert [match.region.code for match in matches] == ["UA-43", "UA-14"]
    assert [match.matched for match in matches] == ["Simferopol", "Donetsk"]
    assert [row.code for row in regions_in_text(text)] == ["UA-43", "UA-14"]


def test_precise_evidence_wins_over_an_oblast_name() -> None:
    matches = region_matches("Zaporizhzhia Oblast, Melitopol, Kirova 1")
    assert len(matches) == 1
    assert matches[0].region.code == "UA-23"
    assert matches[0].matched == "Melitopol"
    assert matches[0].oblast_only is False
    kherson = region_matches("Kherson Oblast, Nova Kakhovka")
    assert [(m.matched, m.oblast_only) for m in kherson] == [("Nova Kakhovka", False)]


def test_donbas_names_two_oblasts_for_review() -> None:
    matches = region_matches("Donbass")
    assert [(m.region.code, m.oblast_only) for m in matches] == [("UA-14", True), ("UA-09", True)]


def test_context_words_cancel_only_their_own_place() -> None:
    # Kyrgyzstan in the text cancels Tokmak but not Melitopol.
    matches = region_matches("Tokmak and Melitopol; buyer in Bishkek, Kyrgyzstan")
    assert [(m.region.code, m.matched) for m in matches] == [("UA-23", "Melitopol")]
    assert [m.matched for m in region_matches("Tokmak, Zaporizhzhia Oblast")] == ["Tokmak"]


def test_match_carries_the_full_jurisdiction_row() -> None:
    (match,) = region_matches("Yalta")
    assert match.region == jurisdiction("UA-43")
    assert match.region.roles == [Role.SANCTIONED]
    assert match.place == "Yalta"


def test_every_spelling_in_the_places_table_finds_its_regions() -> None:
    rows = _package_rows("occupied_places.csv")
    assert len(rows) == 64
    regions_named = set()
    for row in rows:
        expected = row["regions"].split(";")
        regions_named.update(expected)
        for spelling in row["spellings"].split(";"):
            found = region_matches(spelling)
            assert [m.region.code for m in found] == expected, spelling
            assert all(m.matched == spelling and m.place == row["place"] for m in found)
            assert all(m.oblast_only is (row["precise"] == "no") for m in found)
    assert regions_named == set(OCCUPIED)


def test_every_occupied_region_has_its_code_and_cities() -> None:
    rows = _package_rows("occupied_places.csv")
    for region in OCCUPIED:
        kinds = {row["kind"] for row in rows if region in row["regions"].split(";")}
        assert "code" in kinds, region
        assert kinds & {"city", "region"}, region
