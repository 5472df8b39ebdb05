"""The screening benchmark's query generator (bench/variants.py) and scoring (bench/accuracy.py).

The benchmark decides whether the engine is good enough, so its labels must be right: every
variant is what its kind says, every expected entry really carries the name, clean names and
near misses are really not on the lists, and the same seed always gives the same queries.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from bench import clean_names
from bench import variants as v
from bench.accuracy import (
    Baseline,
    BaselineOutcome,
    BaselineRun,
    baseline_outcomes,
    calibrate_cutoff,
    judge,
    metrics,
    run_baseline,
    run_engine,
    sorted_tokens,
    to_query,
)
from lists import open_list
from lists.model import Source
from screening.matching.results import (
    Decision,
    Explanation,
    Hit,
    Query,
    ScreeningResult,
    Thresholds,
)

# --------------------------------------------------------------------------------------------
# Small synthetic lists
# --------------------------------------------------------------------------------------------


def person(
    source: str,
    entry_id: str,
    full: str,
    *,
    first: str | None = None,
    last: str | None = None,
    countries: frozenset[str] = frozenset(),
    programs: tuple[str, ...] = (),
    aliases: tuple[str, ...] = (),
) -> v.Listed:
    primary = v.ListedName(full=full, kind="primary", first=first, last=last)
    names = (primary, *(v.ListedName(full=a, kind="alias") for a in aliases))
    return v.Listed(
        source=source,
        entry_id=entry_id,
        schema="person",
        names=names,
        countries=countries,
        programs=programs,
    )


def org(
    source: str,
    entry_id: str,
    full: str,
    *,
    countries: frozenset[str] = frozenset(),
    programs: tuple[str, ...] = (),
) -> v.Listed:
    return v.Listed(
        source=source,
        entry_id=entry_id,
        schema="organization",
        names=(v.ListedName(full=full, kind="primary"),),
        countries=countries,
        programs=programs,
    )


def vessel(entry_id: str, full: str, imo: str | None) -> v.Listed:
    return v.Listed(
        source="ofac",
        entry_id=entry_id,
        schema="vessel",
        names=(v.ListedName(full=full, kind="primary"),),
        imo=(imo,) if imo else (),
    )


RU = frozenset({"RU"})
PUTIN = person(
    "ofac", "1", "Vladimir Vladimirovich PUTIN", first="Vladimir", last="PUTIN", countries=RU
)
SMALL_LIST = [
    PUTIN,
    person("uk", "10", "Vladimir Vladimirovich PUTIN", countries=RU),
    person("ofac", "2", "Aleksandr Ivanovich PETROV", last="PETROV", countries=RU),
    person("ofac", "3", "Mohammed Ali HASSAN", last="HASSAN", countries=frozenset({"IQ"})),
    person("un", "4", "ABU BAKR AL-BAGHDADI", programs=("Al-Qaida",)),
    person("uk", "5", "Natalya Vladimirovna BORISOVA", last="BORISOVA", countries=RU),
    org("ofac", "6", "LIMITED LIABILITY COMPANY KONSTANTA", programs=("RUSSIA-EO14024",)),
    org("ofac", "7", "GAZPROMBANK, JSC", countries=RU),
    org("uk", "8", "TRANSNEFT-DRUZHBA, AO", countries=RU),
    org("ofac", "9", "ROSSIYA BANK", countries=RU),
    org("ofac", "11", "GAZPROM NEFT", countries=RU),
    org("ofac", "12", "SHENZHEN BRIGHT STAR TRADING CO., LTD", countries=frozenset({"CN"})),
    vessel("13", "OCEAN STAR", "9157820"),
    vessel("14", "SIVUCH", None),
]


@pytest.fixture(scope="module")
def book() -> v.NameBook:
    return v.NameBook(SMALL_LIST)


# --------------------------------------------------------------------------------------------
# Folding and keys
# --------------------------------------------------------------------------------------------


def test_name_key_ignores_order_case_punctuation_accents_and_cyrillic() -> None:
    assert v.name_key("PUTIN, Vladimir") == v.name_key("Vladimir PUTIN") == "putin vladimir"
    assert v.name_key("Владимир ПУТИН") == "putin vladimir"
    assert v.name_key("José  Núñez-García") == "garcia jose nunez"
    assert v.name_key("PEOPLE'S BANK") == "bank peoples"
    assert v.name_key("Ivan Petrov") != v.name_key("Ivan Petrova")


def test_romanize_cyrillic() -> None:
    assert v.romanize_cyrillic("Наталья Борисова") == "Natalya Borisova"
    assert v.romanize_cyrillic("ЩУКИН Юрий") == "SHCHUKIN Yuriy"
    assert v.romanize_cyrillic("ООО «Ромашка»") == "OOO «Romashka»"
    assert v.romanize_cyrillic("Сергій") == "Sergiy"  # Ukrainian і
    assert v.romanize_cyrillic("no cyrillic") == "no cyrillic"


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Aleksandr Ivanov", "Александр Иванов"),
        ("Alexander IVANOV", "Александр ИВАНОВ"),
        ("Mikhail KHODORKOVSKY", "Михаил ХОДОРКОВСКИЙ"),
        ("Natalya Vladimirovna BORISOVA", "Наталья Владимировна БОРИСОВА"),
        ("Yevgeny", "Евгений"),
        ("Evgeniy", "Евгений"),
        ("ZHURAVLYOV", "ЖУРАВЛЁВ"),
        ("Tsvetkova", "Цветкова"),
        ("Shchukin", "Щукин"),
        ("Yuryevich", "Юрьевич"),
        ("Sergeyevich", "Сергеевич"),
        ("Vasilyevich", "Васильевич"),
        ("PUSTOSHNYY", "ПУСТОШНЫЙ"),
        ("Gorodetskiy", "Городецкий"),
        ("Vyacheslav", "Вячеслав"),
        ("Ilyin", "Ильин"),
        ("Mayorov", "Майоров"),
        ("Klyuev", "Клюев"),
        ("Polyakov", "Поляков"),
        ("Nikolai", "Николай"),
        ("Eduard", "Эдуард"),
        ("Yelena", "Елена"),
        ("Prigozhin", "Пригожин"),
        ("Chemezov", "Чемезов"),
        ("Aleksey", "Алексей"),
        ("Sergey", "Сергей"),
        ("RT-OKHRANA", "РТ-ОХРАНА"),
        ("Maksim", "Максим"),
        ("Alexey", "Алексей"),
    ],
)
def test_to_cyrillic(latin: str, cyrillic: str) -> None:
    assert v.to_cyrillic(latin) == cyrillic


def test_to_cyrillic_keeps_digits_punctuation_and_case_pattern() -> None:
    assert v.to_cyrillic('KONSTANTA-2, "SEVER"') == 'КОНСТАНТА-2, "СЕВЕР"'
    assert v.to_cyrillic("Y I C") == "Ы И К"
    assert v.to_cyrillic("Petrov") == "Петров"
    assert v.to_cyrillic("PETROV") == "ПЕТРОВ"


def test_regions_prefer_countries_over_programs() -> None:
    assert v.region(PUTIN) == "slavic"
    assert v.region(person("ofac", "x", "A B", programs=("RUSSIA-EO14024",))) == "slavic"
    # A Chinese company on a Russia programme is not Russian.
    chinese = org("ofac", "x", "A B", countries=frozenset({"CN"}), programs=("RUSSIA-EO14024",))
    assert v.region(chinese) is None
    assert not v.is_cyrillic_country(chinese)
    assert v.region(person("ofac", "x", "A B", countries=frozenset({"SY"}))) == "arabic"
    assert v.region(person("un", "x", "A B", programs=("Taliban",))) == "arabic"
    assert not v.is_cyrillic_country(person("ofac", "x", "A B", countries=frozenset({"KZ"})))


# --------------------------------------------------------------------------------------------
# Typos
# --------------------------------------------------------------------------------------------


def test_typo_word_is_one_edit_away_and_keeps_the_first_letter() -> None:
    rng = random.Random(1)
    seen_ops = Counter()
    for word in ["PETROV", "Khodorkovsky", "BORISOVA", "Vladimir", "MANSUROV"] * 40:
        edited = v.typo_word(word, rng)
        assert edited is not None
        new, op = edited
        seen_ops[op] += 1
        assert OSA.distance(word, new) == 1, (word, new, op)
        assert new[0] == word[0]
        assert new.casefold() != word.casefold()
    assert set(seen_ops) == set(v.TYPO_OPS)


def test_typo_word_leaves_short_and_non_alphabetic_words_alone() -> None:
    rng = random.Random(1)
    assert v.typo_word("ALI", rng) is None
    assert v.typo_word("ANNA", rng) is None
    assert v.typo_word("AL-LIBI", rng) is None
    assert v.typo_word("8688", rng) is None


def test_make_typo_edits_at_most_two_words_once_each_or_one_long_word_twice(
    book: v.NameBook,
) -> None:
    for seed in range(200):
        variant = v.make_typo(PUTIN, PUTIN.names[0], random.Random(seed), book)
        assert variant is not None
        query, _how = variant
        before, after = PUTIN.names[0].full.split(), query.split()
        assert len(before) == len(after)
        distances = [OSA.distance(a, b) for a, b in zip(before, after, strict=True)]
        assert 1 <= sum(distances) <= 2
        assert all(a[0] == b[0] for a, b in zip(before, after, strict=True))
        # Two edits in one word only in a long one.
        assert all(
            d < 2 or len(a) >= v.TWO_TYPO_LETTERS for a, d in zip(before, distances, strict=True)
        )
    short = person("ofac", "x", "Ali KHAN")
    assert v.make_typo(short, short.names[0], random.Random(0), book) is None


# --------------------------------------------------------------------------------------------
# Reorder, initials, transliteration
# --------------------------------------------------------------------------------------------


def test_reorder_person_keeps_every_word(book: v.NameBook) -> None:
    queries = set()
    for seed in range(60):
        variant = v.make_reorder(PUTIN, PUTIN.names[0], random.Random(seed), book)
        assert variant is not None
        query, _how = variant
        assert query != PUTIN.names[0].full
        assert v.name_key(query) == v.name_key(PUTIN.names[0].full)
        queries.add(query)
    assert "PUTIN, Vladimir Vladimirovich" in queries
    assert "PUTIN Vladimir Vladimirovich" in queries


def test_reorder_organization_turns_the_name_but_not_its_legal_form(book: v.NameBook) -> None:
    konstanta = org("ofac", "x", "LIMITED LIABILITY COMPANY ROSSIYA BANK")
    variant = v.make_reorder(konstanta, konstanta.names[0], random.Random(3), book)
    assert variant == ("LIMITED LIABILITY COMPANY BANK ROSSIYA", variant[1] if variant else "")
    long_name = org("ofac", "x", "MINISTRY OF EMERGENCY SITUATIONS OF THE REPUBLIC")
    assert v.make_reorder(long_name, long_name.names[0], random.Random(3), book) is None


def test_initials_patterns(book: v.NameBook) -> None:
    made = {v.make_initials(PUTIN, PUTIN.names[0], random.Random(seed), book) for seed in range(60)}
    assert {q for q, _ in filter(None, made)} == {
        "V. V. PUTIN",
        "PUTIN V",
        "Vladimir V. PUTIN",
    }
    # Name particles are not initials: ABU stays, BAKR becomes B.
    baghdadi = person("ofac", "x", "ABU BAKR AL-BAGHDADI", last="AL-BAGHDADI")
    made = [v.make_initials(baghdadi, baghdadi.names[0], random.Random(s), book) for s in range(30)]
    assert "ABU B. AL-BAGHDADI" in {q for q, _ in filter(None, made)}
    # Without a surname from the list (the UN's unstructured names) there is no initials query.
    unstructured = SMALL_LIST[4]
    assert v.make_initials(unstructured, unstructured.names[0], random.Random(0), book) is None
    single = person("ofac", "x", "MADONNA")
    assert v.make_initials(single, single.names[0], random.Random(0), book) is None


def test_transliteration_uses_real_alternate_spellings(book: v.NameBook) -> None:
    petrov = SMALL_LIST[2]
    seen = set()
    for seed in range(80):
        variant = v.make_transliteration(petrov, petrov.names[0], random.Random(seed), book)
        assert variant is not None
        query, _how = variant
        assert v.name_key(query) != v.name_key(petrov.names[0].full)
        seen.add(query.split()[0])
    # "Aleksandr" is a known name: only its real spellings are used.
    assert seen <= {"Aleksandr", "Alexander", "Alexandr", "Aleksander", "Oleksandr"}
    assert len(seen) >= 3
    hassan = SMALL_LIST[3]
    queries = {
        v.make_transliteration(hassan, hassan.names[0], random.Random(s), book) for s in range(80)
    }
    firsts = {q.split()[0] for q, _ in filter(None, queries)}
    assert firsts & {"Muhammad", "Mohamed", "Mohammad"}


def test_transliteration_letter_rules_only_for_their_region(book: v.NameBook) -> None:
    slavic = person("ofac", "x", "Oleg KHARITONOV", countries=RU)
    rules_used = {
        how
        for s in range(80)
        if (made := v.make_transliteration(slavic, slavic.names[0], random.Random(s), book))
        for how in made[1].split("; ")
    }
    assert "rule kh->h" in rules_used
    nowhere = person("ofac", "x", "Oleg KHARITONOV", countries=frozenset({"FR"}))
    assert v.make_transliteration(nowhere, nowhere.names[0], random.Random(0), book) is None


# --------------------------------------------------------------------------------------------
# Cyrillic and legal forms
# --------------------------------------------------------------------------------------------


def test_cyrillic_persons_and_russian_companies(book: v.NameBook) -> None:
    rng = random.Random(0)
    assert v.make_cyrillic(PUTIN, PUTIN.names[0], rng, book) == (
        "Владимир Владимирович ПУТИН",
        "Latin->Cyrillic",
    )
    konstanta = SMALL_LIST[6]
    query, _ = v.make_cyrillic(konstanta, konstanta.names[0], rng, book) or ("", "")
    assert query == "ООО «КОНСТАНТА»"
    druzhba = SMALL_LIST[8]
    assert (v.make_cyrillic(druzhba, druzhba.names[0], rng, book) or ("",))[0] == (
        "АО «ТРАНСНЕФТ-ДРУЖБА»"
    )
    # Not Russian, an English name, a non-Russian legal form: no Cyrillic variant.
    chinese = SMALL_LIST[11]
    assert v.make_cyrillic(chinese, chinese.names[0], rng, book) is None
    english = org("ofac", "x", "NATIONAL CENTRE FOR INFORMATION SECURITY", countries=RU)
    assert v.make_cyrillic(english, english.names[0], rng, book) is None
    british = org("ofac", "x", "KONSTANTA LIMITED", countries=RU)
    assert v.make_cyrillic(british, british.names[0], rng, book) is None


@pytest.mark.parametrize(
    ("name", "family", "prefix", "core"),
    [
        ("LIMITED LIABILITY COMPANY KONSTANTA", "llc", True, "KONSTANTA"),
        ('OOO "ROMASHKA"', "llc", True, "ROMASHKA"),
        ("ООО «Ромашка»", "llc", True, "Ромашка"),
        ("TRANSNEFT-DRUZHBA, AO", "jsc", False, "TRANSNEFT-DRUZHBA"),
        ("PUBLIC JOINT STOCK COMPANY KREMNY", "pjsc", True, "KREMNY"),
        ("ROTEK ELPOM, LLC", "llc", False, "ROTEK ELPOM"),
        (
            "OZEAN HORIZONT OBJEKTPLANUNG GMBH & CO. KG",
            "gmbh_co_kg",
            False,
            "OZEAN HORIZONT OBJEKTPLANUNG",
        ),
        ("PRIMORYE MARITIME LOGISTICS CO LTD", "co_ltd", False, "PRIMORYE MARITIME LOGISTICS"),
        ("SHENZHEN BRIGHT STAR TRADING CO., LTD", "co_ltd", False, "SHENZHEN BRIGHT STAR TRADING"),
        ("ANATOLIAN ENERJI YATIRIM ANONIM SIRKETI", "as", False, "ANATOLIAN ENERJI YATIRIM"),
        ("ALIAF COMPANY", "co", False, "ALIAF"),
        ("ASASI FOOD FZE", "fze", False, "ASASI FOOD"),
        ("COMERCIALIZADORA TOQUIN, S.A. DE C.V.", "sa_de_cv", False, "COMERCIALIZADORA TOQUIN"),
        ("GUNES SANAYI VE TICARET LIMITED SIRKETI", "ltd_sti", False, "GUNES SANAYI VE TICARET"),
    ],
)
def test_split_legal_form(name: str, family: str, prefix: bool, core: str) -> None:
    form = v.split_legal_form(name)
    assert form is not None
    assert (form.family, form.prefix, form.core) == (family, prefix, core)


@pytest.mark.parametrize(
    "name", ["AS SALAM FOUNDATION", "CO LTD", "GAZPROM NEFT", "SA", "OOO", "ROSSIYA BANK"]
)
def test_split_legal_form_finds_none(name: str) -> None:
    assert v.split_legal_form(name) is None


def test_legal_form_variants_keep_the_name_and_change_the_form(book: v.NameBook) -> None:
    konstanta = SMALL_LIST[6]
    hows = Counter()
    queries = set()
    for seed in range(120):
        made = v.make_legal_form(konstanta, konstanta.names[0], random.Random(seed), book)
        assert made is not None
        query, how = made
        hows[how.split()[0]] += 1
        queries.add(query)
        assert "KONSTANTA" in query
        assert query != konstanta.names[0].full
        rest = query.replace('"', "").replace("«", "").replace("»", "").replace("KONSTANTA", "")
        rest = rest.strip()
        assert rest == "" or rest in v.LEGAL_FAMILIES["llc"], query
    assert set(hows) == {"dropped", "translated", "moved"}
    assert {"KONSTANTA", "KONSTANTA LLC", "KONSTANTA LIMITED LIABILITY COMPANY"} <= queries
    assert "ООО «KONSTANTA»" in queries


# --------------------------------------------------------------------------------------------
# Joined and split words, vessels
# --------------------------------------------------------------------------------------------


def test_joined_split_options(book: v.NameBook) -> None:
    rossiya = dict(v.joined_split_options("ROSSIYA BANK", "organization", book.words))
    assert "ROSSIYABANK" in rossiya
    assert "ROSSIYA-BANK" in rossiya
    gazprombank = dict(v.joined_split_options("GAZPROMBANK", "organization", book.words))
    assert "GAZPROM BANK" in gazprombank  # "gazprom" is a word of a listed name
    assert dict(v.joined_split_options("INFORMATION", "organization", book.words)) == {}
    druzhba = dict(v.joined_split_options("TRANSNEFT-DRUZHBA", "organization", book.words))
    assert set(druzhba) == {"TRANSNEFT DRUZHBA", "TRANSNEFTDRUZHBA"}
    # Function words and legal forms are never glued to a neighbour.
    heat = dict(v.joined_split_options("HEAT AND ENERGY LTD", "organization", book.words))
    assert not any("HEATAND" in q or "ANDENERGY" in q or "ENERGYLTD" in q for q in heat)
    # Persons: only name particles join, and ABDUL/ABU prefixes split.
    assert dict(v.joined_split_options("Ivan PETROV", "person", book.words)) == {}
    baghdadi = dict(v.joined_split_options("ABU BAKR AL-BAGHDADI", "person", book.words))
    assert {"ABUBAKR AL-BAGHDADI", "ABU BAKR ALBAGHDADI", "ABU BAKR AL BAGHDADI"} <= set(baghdadi)
    assert "ABDUL RAHMAN" in dict(v.joined_split_options("ABDULRAHMAN", "person", book.words))
    assert dict(v.joined_split_options("ABDULLAH", "person", book.words)) == {}


def test_vessel_variants(book: v.NameBook) -> None:
    star = SMALL_LIST[12]
    groups = Counter()
    for seed in range(120):
        made = v.make_vessel_imo(star, star.names[0], random.Random(seed), book)
        assert made is not None
        query, how = made
        groups[v.variant_group("vessel_imo", how, "vessel")] += 1
        assert query != "OCEAN STAR"
    assert set(groups) == {"prefix", "typo", "joined/split"}
    sivuch = SMALL_LIST[13]
    assert v.make_vessel_imo(sivuch, sivuch.names[0], random.Random(0), book) is None
    assert v.make_vessel(sivuch, sivuch.names[0], random.Random(0), book) is not None


def test_same_party_by_identifier_and_by_birth_date_and_name() -> None:
    def who(source: str, entry_id: str, full: str, **extra: object) -> v.Listed:
        return v.Listed(source=source, entry_id=entry_id, schema="person",
                        names=(v.ListedName(full=full, kind="primary"),), **extra)  # type: ignore[arg-type]  # fmt: skip

    entries = [
        who("ofac", "1", "Ivan PETROV", ids=(("passport", "AB12345"),)),
        who("uk", "2", "Iwan PETROFF", ids=(("passport", "AB12345"),)),
        # A passport two entries of one list carry links nobody.
        who("ofac", "3", "Anna SMITH", ids=(("passport", "ZZ99999"),)),
        who("ofac", "4", "John DOE", ids=(("passport", "ZZ99999"),)),
        who("un", "5", "Someone ELSE", ids=(("passport", "ZZ99999"),)),
        who("ofac", "6", "Aleksandr Aleksandrovich AVDEYEV", birth_days=("1970-01-02",)),
        who("uk", "7", "Alexander Alexandrovich AVDEEV", birth_days=("1970-01-02",)),
        who("uk", "8", "Alexander Alexandrovich AVDEEV", birth_days=("1971-01-02",)),
        who("ofac", "9", "Iyad MAKHLUF", birth_days=("1973-01-21",)),
        who("ofac", "10", "Ihab MAKHLUF", birth_days=("1973-01-21",)),
    ]
    party = v.same_party(entries)
    assert party[("ofac", "1")] == {("ofac", "1"), ("uk", "2")}
    assert party[("ofac", "6")] == {("ofac", "6"), ("uk", "7")}
    assert set(party) == {("ofac", "1"), ("uk", "2"), ("ofac", "6"), ("uk", "7")}
    book = v.NameBook(entries)
    assert book.named("PETROV, Ivan") == {("ofac", "1")}
    assert book.expected("PETROV, Ivan") == {("ofac", "1"), ("uk", "2")}


# --------------------------------------------------------------------------------------------
# Sampling
# --------------------------------------------------------------------------------------------


def test_allocate_splits_half_equally_and_half_by_size() -> None:
    shares = v.allocate({"big": 1000, "mid": 100, "small": 5}, 60)
    assert sum(shares.values()) == 60
    assert shares["small"] == 5  # equal share (10) capped at its size
    assert shares["big"] > shares["mid"] >= 10
    assert v.allocate({"a": 3, "b": 4}, 100) == {"a": 3, "b": 4}
    assert v.allocate({"a": 10, "b": 10}, 0) == {"a": 0, "b": 0}
    assert sum(v.allocate({i: 7 for i in range(9)}, 20).values()) == 20


def test_labelled_cases_dedupe_names_and_expect_every_entry_with_the_name(
    book: v.NameBook,
) -> None:
    cases = v.labelled_cases(SMALL_LIST, book, "exact", 100, seed=1)
    assert len(cases) == len(SMALL_LIST) - 1  # the two PUTIN entries share one name
    putin = [c for c in cases if "PUTIN" in c.query]
    assert len(putin) == 1
    assert putin[0].expected == {("ofac", "1"), ("uk", "10")}
    assert all(c.query == c.base for c in cases)


# --------------------------------------------------------------------------------------------
# The whole set, on the real lists
# --------------------------------------------------------------------------------------------

SAMPLE = 40
CLEAN_PERSONS, CLEAN_COMPANIES, NEAR = 120, 60, 80
CLEAN_VESSELS, CLEAN_ACRONYMS = 40, 20


@pytest.fixture(scope="module")
def real_listed(shared_lists: Path) -> list[v.Listed]:
    files = [
        "ofac/sdn.csv",
        "ofac/consolidated_xml/2026-01-08/consolidated.xml",
        "uk/derived/ConList.csv",
        "un/consolidated.xml",
    ]
    entries: dict[tuple[str, str], v.Listed] = {}
    for relative in files:
        for entity in open_list(shared_lists / relative).entities():
            listed = v.Listed.from_entity(entity)
            entries.setdefault(listed.key, listed)  # SDN first, as the OFAC reader keeps it
    return list(entries.values())


@pytest.fixture(scope="module")
def real_book(real_listed: list[v.Listed]) -> v.NameBook:
    return v.NameBook(real_listed)


@pytest.fixture(scope="module")
def real_set(real_listed: list[v.Listed]) -> v.BenchmarkSet:
    return v.build(
        real_listed,
        seed=11,
        sample=SAMPLE,
        clean_persons=CLEAN_PERSONS,
        clean_companies=CLEAN_COMPANIES,
        near_misses=NEAR,
        clean_vessels=CLEAN_VESSELS,
        clean_acronyms=CLEAN_ACRONYMS,
    )


def test_real_set_sizes(real_listed: list[v.Listed], real_set: v.BenchmarkSet) -> None:
    # Distinct keys: OFAC SDN 14,965 + non-SDN 442 - 61 in both + UK 4,688 + UN 1,009.
    assert len(real_listed) == 14965 + 442 - 61 + 4688 + 1009
    counts = Counter(c.kind for c in real_set.cases)
    # the katakana kind needs MOF's katakana names: none on these lists
    expected_kinds = {**dict.fromkeys(v.LABELLED_KINDS, SAMPLE), "katakana": 0}
    assert {k: counts[k] for k in v.LABELLED_KINDS} == expected_kinds
    # clean vessels: CLEAN_VESSELS, and a third as many sister-ship names
    vessels = CLEAN_VESSELS + CLEAN_VESSELS // 3
    assert counts[v.CLEAN] == CLEAN_PERSONS + CLEAN_COMPANIES + vessels + CLEAN_ACRONYMS
    by_schema = Counter(c.schema for c in real_set.of_kind(v.CLEAN))
    assert by_schema["vessel"] == vessels
    assert Counter(c.group for c in real_set.of_kind(v.CLEAN))["vessel-series"] == (
        CLEAN_VESSELS // 3
    )
    assert by_schema["organization"] == CLEAN_COMPANIES + CLEAN_ACRONYMS
    assert counts[v.NEAR_MISS] == NEAR


def test_real_set_is_reproducible_and_kinds_are_independent(
    real_listed: list[v.Listed], real_set: v.BenchmarkSet
) -> None:
    again = v.build(
        real_listed,
        seed=11,
        sample=SAMPLE,
        kinds=["typo", "cyrillic"],
        clean_persons=CLEAN_PERSONS,
        clean_companies=CLEAN_COMPANIES,
        near_misses=NEAR,
        clean_vessels=CLEAN_VESSELS,
        clean_acronyms=CLEAN_ACRONYMS,
    )
    for kind in ("typo", "cyrillic", v.CLEAN, v.NEAR_MISS):
        assert again.of_kind(kind) == real_set.of_kind(kind)
    other = v.build(real_listed, seed=12, sample=SAMPLE, kinds=["typo"], clean_persons=0,
                    clean_companies=0, near_misses=0)  # fmt: skip
    assert [c.query for c in other.cases] != [c.query for c in real_set.of_kind("typo")]


def test_real_labels_point_at_entries_that_carry_the_name_or_are_the_same_party(
    real_listed: list[v.Listed], real_set: v.BenchmarkSet, real_book: v.NameBook
) -> None:
    by_key = {e.key: e for e in real_listed}
    book = real_book
    linked = 0
    for case in real_set.cases:
        if not case.labelled:
            continue
        named = {k for k in case.expected if v.name_key(case.base) in
                 {v.name_key(n.full) for n in by_key[k].names}}  # fmt: skip
        assert named
        for key in case.expected - named:
            assert any(key in book.party.get(k, ()) for k in named), (case, key)
        linked += bool(case.expected - named)
        if case.kind == "exact":
            assert case.query == case.base
    assert linked == real_set.stats["labelled_with_other_listings_of_the_party"]
    assert linked > 0


def test_real_same_party_links(real_listed: list[v.Listed], real_book: v.NameBook) -> None:
    party = real_book.party
    # One person, romanised differently by OFAC and the UK: linked by birth date and name.
    avdeyev = next(
        e.key for e in real_listed if e.base and e.base.full == "Aleksandr Aleksandrovich AVDEYEV"
    )
    avdeev = next(
        e.key for e in real_listed
        if e.source == "uk" and e.base and e.base.full == "Alexander Alexandrovich AVDEEV"
    )  # fmt: skip
    assert avdeev in party[avdeyev]
    # Twins share a birth date and a surname but are two parties.
    iyad = next(e.key for e in real_listed if e.base and e.base.full == "Iyad MAKHLUF")
    ihab = next(e.key for e in real_listed if e.base and e.base.full == "Ihab MAKHLUF")
    assert ihab not in party.get(iyad, frozenset())


def test_real_exact_sample_covers_every_list_and_schema(
    real_listed: list[v.Listed], real_set: v.BenchmarkSet
) -> None:
    by_key = {e.key: e for e in real_listed}
    strata = {(by_key[min(c.expected)].source, c.schema) for c in real_set.of_kind("exact")} | {
        (k[0], c.schema) for c in real_set.of_kind("exact") for k in c.expected
    }
    assert {
        ("ofac", "person"),
        ("ofac", "organization"),
        ("ofac", "vessel"),
        ("ofac", "aircraft"),
        ("uk", "person"),
        ("uk", "organization"),
        ("uk", "vessel"),
        ("un", "person"),
        ("un", "organization"),
    } <= strata


def test_real_variants_are_what_their_kind_says(
    real_listed: list[v.Listed], real_set: v.BenchmarkSet
) -> None:
    by_key = {e.key: e for e in real_listed}
    for case in real_set.cases:
        if case.kind == "typo":
            assert 1 <= OSA.distance(case.query, case.base) <= 2
        elif case.kind == "cyrillic":
            assert not v.is_latin(case.query)
            assert any(v.is_cyrillic_country(by_key[k]) for k in case.expected)
            assert all("\u0400" <= c <= "\u04ff" for c in case.query if c.isalpha())
        elif case.kind in ("reorder",):
            assert sorted(v.fold(case.query).split()) == sorted(v.fold(case.base).split())
        elif case.kind == "initials":
            assert case.schema == "person"
            assert any(len(w.rstrip(".")) == 1 for w in case.query.split())
        elif case.kind == "legal_form":
            assert case.schema == "organization"
            form = v.split_legal_form(case.base)
            assert form is not None and form.core in case.query
        elif case.kind == "vessel_imo":
            assert case.schema == "vessel"
            ((kind, value),) = case.identifiers
            imos = {i for k in case.expected for i in by_key[k].imo}
            assert kind == "imo" and value.removeprefix("IMO ") in imos
        elif case.kind == "transliteration":
            assert case.schema == "person"
            assert v.name_key(case.query) != v.name_key(case.base)
        elif case.kind == "case_punct":
            # only case and punctuation change: the words stay (apostrophes may close up)
            assert v.name_key(case.query) in (
                v.name_key(case.base),
                v.name_key(case.base.replace("'", "").replace("’", "")),
            )
        elif case.kind == "dropped_token":
            assert case.schema == "person"
            query_words, base_words = case.query.split(), case.base.split()
            assert len(query_words) == len(base_words) - 1
            assert query_words[0] == base_words[0] and query_words[-1] == base_words[-1]
            assert Counter(query_words) <= Counter(base_words)
        elif case.kind == "alias":
            # made from a strong alias of an expected entry, never from its primary name
            assert any(
                n.full == case.base and n.kind in ("alias", "former")
                for k in case.expected
                for n in by_key[k].names
            )
        if case.labelled and case.kind != "exact" and case.how != "as written":
            assert case.query != case.base


def test_real_clean_and_near_miss_names_are_not_listed(
    real_listed: list[v.Listed], real_set: v.BenchmarkSet, real_book: v.NameBook
) -> None:
    book = real_book
    clean = real_set.of_kind(v.CLEAN)
    assert not any(book.collides(c.query) for c in clean)
    assert len({v.name_key(c.query) for c in clean}) == len(clean)
    assert {c.locale for c in clean} == set(v.PERSON_LOCALES) | set(v.COMPANY_LOCALES) | set(
        clean_names.VESSEL_LOCALES
    ) | set(clean_names.ACRONYM_LOCALES)
    vessels = [c for c in clean if c.group == "vessel"]
    assert all(any(w in clean_names.VESSEL_WORDS for w in c.query.split()) for c in vessels)
    # sister ships: a word of a listed vessel name with a number or an adjective, never listed
    series = [c for c in clean if c.group == "vessel-series"]
    assert series and all(
        any(w in book.vessel_words for w in c.query.split())
        and any(w in clean_names.VESSEL_ADJECTIVES or not w.isalpha() or len(w) <= 3
                for w in c.query.split())
        for c in series
    )  # fmt: skip
    acronyms = [c for c in clean if c.group == "acronym"]
    assert acronyms and all(c.query.split()[0].isalpha() for c in acronyms)
    assert all(2 <= len(c.query.split()[0]) <= 4 for c in acronyms)
    assert any(not v.is_latin(c.query) for c in clean)  # Cyrillic, Arabic, CJK ...
    by_key = {e.key: e for e in real_listed}
    near = real_set.of_kind(v.NEAR_MISS)
    surname_style = [c for c in near if c.base]
    assert len(surname_style) == NEAR // 2
    base_entries = {}
    for entry in real_listed:
        if entry.base is not None:
            base_entries.setdefault(entry.base.full, entry)
    for case in near:
        assert not book.collides(case.query)
        assert not case.expected
        if case.base:
            entry = base_entries[case.base]
            given, surname = case.query.split(" ", 1)
            assert case.base.endswith(surname)
            listed_words = {w for n in by_key[entry.key].names for w in v.fold(n.full).split()}
            assert not set(v.fold(given).split()) & listed_words
        else:
            words = case.query.split()
            generic = [w for w in words if w in v.GENERIC_WORDS]
            other = [w for w in words if w not in v.GENERIC_WORDS]
            assert 1 <= len(generic) <= 2 and len(other) == 1
            assert v.fold(other[0]) not in book.words


# --------------------------------------------------------------------------------------------
# The runner's scoring
# --------------------------------------------------------------------------------------------


def _hit(source: str, entry_id: str, score: float, decision: Decision) -> Hit:
    return Hit(
        source=Source(source),
        dataset={"ofac": "ofac_sdn", "uk": "uk_ofsi", "un": "un_sc"}.get(source, source),
        entry_id=entry_id,
        name="X",
        matched_name="X",
        schema="person",
        programs=[],
        score=score,
        decision=decision,
        explanation=Explanation(matched_name="X", name_score=score, tokens=[], features=[]),
        list_version=1,
    )


class FakeScreener:
    """Answers from a table: query name -> hits."""

    def __init__(self, answers: dict[str, list[Hit]]) -> None:
        self.answers = answers
        self.seen: list[Query] = []

    def screen_query(self, query: Query, thresholds: Thresholds | None = None) -> ScreeningResult:
        self.seen.append(query)
        if query.name == "boom":
            raise RuntimeError("engine crashed")
        hits = self.answers.get(query.name, [])
        decision = hits[0].decision if hits else Decision.CLEAR
        return ScreeningResult(
            query=query, decision=decision, hits=hits, list_versions=[], thresholds=Thresholds()
        )


def test_judge_counts_only_expected_entries_at_review_or_match() -> None:
    case = v.Case(kind="typo", query="q", schema="person", expected=frozenset({("ofac", "1")}))
    result = FakeScreener(
        {
            "q": [
                _hit("uk", "9", 0.95, Decision.MATCH),
                _hit("ofac", "1", 0.70, Decision.CLEAR),
            ]
        }
    ).screen_query(to_query(case))
    outcome = judge(case, result)
    assert outcome.alert and outcome.found is False  # alerted, but on the wrong entry
    assert outcome.top is not None and outcome.top.entry_id == "9"
    assert outcome.expected_best is not None and outcome.expected_best.score == 0.70
    clean = v.Case(kind=v.CLEAN, query="q", schema="person", expected=frozenset())
    assert judge(clean, result).found is None


def test_run_engine_and_metrics_with_a_fake_screener() -> None:
    one = frozenset({("ofac", "1")})
    cases = [
        v.Case(kind="exact", query="a", schema="person", expected=one),
        v.Case(kind="exact", query="b", schema="person", expected=one),
        v.Case(
            kind="vessel_imo",
            query="c",
            schema="vessel",
            expected=one,
            identifiers=(("imo", "IMO 9157820"),),
        ),
        v.Case(kind="exact", query="boom", schema="person", expected=one),
        v.Case(kind=v.CLEAN, query="d", schema="person", expected=frozenset()),
        v.Case(kind=v.CLEAN, query="e", schema=None, expected=frozenset()),
        v.Case(kind=v.NEAR_MISS, query="f", schema="person", expected=frozenset()),
    ]
    screener = FakeScreener(
        {
            "a": [_hit("ofac", "1", 1.0, Decision.MATCH)],
            "b": [_hit("ofac", "1", 0.8, Decision.REVIEW)],
            "c": [_hit("ofac", "2", 0.8, Decision.REVIEW)],
            "d": [_hit("ofac", "1", 0.8, Decision.REVIEW)],
            "f": [_hit("ofac", "1", 0.7, Decision.CLEAR)],
        }
    )
    run = run_engine(screener, cases, sample_every=2)
    assert screener.seen[2].identifiers[0].value == "IMO 9157820"
    assert screener.seen[0].schema_ is not None and screener.seen[0].schema_.value == "person"
    assert screener.seen[5].schema_ is None
    assert run.outcomes[3].error == "RuntimeError: engine crashed"
    assert run.seconds > 0 and run.rss_samples
    result = metrics(cases, run.outcomes)
    assert result["exact"] == {"queries": 3, "found": 2, "rate": 2 / 3}
    assert result["vessel_imo"]["rate"] == 0
    assert result["all_labelled"] == {"queries": 4, "found": 2, "rate": 0.5}
    assert result[v.CLEAN] == {"queries": 2, "alerts": 1, "rate": 0.5}
    assert result[v.NEAR_MISS]["rate"] == 0


def test_baseline_scores_equal_token_sort_ratio() -> None:
    names = [
        ("Vladimir Vladimirovich PUTIN", ("ofac", "1")),
        ("GAZPROMBANK, JSC", ("ofac", "7")),
        ("Aleksandr Ivanovich PETROV", ("ofac", "2")),
    ]
    baseline = Baseline(names)
    for query in ["PUTIN, Vladimir Vladimirovich", "gazprom bank jsc", "Alexander Petrov"]:
        scores = baseline.scores(query, floor=0)
        for index, (name, _) in enumerate(names):
            expected = fuzz.token_sort_ratio(query.casefold(), name.casefold())
            assert scores[index] == pytest.approx(expected)
    assert sorted_tokens("PUTIN, Vladimir") == "putin, vladimir"


def test_run_baseline_finds_expected_entries_at_a_cutoff() -> None:
    baseline = Baseline.of(SMALL_LIST)
    cases = [
        v.Case(kind="reorder", query="PUTIN, Vladimir Vladimirovich", schema="person",
               expected=frozenset({("ofac", "1"), ("uk", "10")})),
        v.Case(kind="cyrillic", query="Владимир Путин", schema="person",
               expected=frozenset({("ofac", "1")})),
        v.Case(kind=v.CLEAN, query="Vladimir Putilov", schema="person", expected=frozenset()),
    ]  # fmt: skip
    run = run_baseline(baseline, cases)
    # The comma stays in "putin," (the baseline only case-folds), hence not quite 100.
    assert run.outcomes[0].best == run.outcomes[0].expected_best == pytest.approx(98.2456, abs=1e-3)
    assert run.outcomes[1].best == 0  # plain fuzzy matching cannot read Cyrillic
    assert 60 <= run.outcomes[2].best < 100
    assert run.outcomes[2].best_name == "Vladimir Vladimirovich PUTIN"
    at_90 = baseline_outcomes(run, cases, 90)
    assert [(o.found, o.alert) for o in at_90] == [(True, True), (False, False), (None, False)]


def test_calibrate_cutoff_matches_the_clean_alert_rate() -> None:
    cases = [
        v.Case(kind=v.CLEAN, query=str(i), schema=None, expected=frozenset()) for i in range(4)
    ]
    run = BaselineRun(
        outcomes=[
            BaselineOutcome(best=s, best_name=None, expected_best=0) for s in (95, 90, 80, 0)
        ],
        seconds=1.0,
    )
    assert calibrate_cutoff(run, cases, clean_rate=0.25) == 91
    assert calibrate_cutoff(run, cases, clean_rate=0.5) == 81
    assert calibrate_cutoff(run, cases, clean_rate=0.0) == 96


@pytest.mark.parametrize(
    ("kana", "system", "latin"),
    [
        ("ノビコムバンク", "passport", "nobikomubanku"),
        ("ウラジーミル", "passport", "urajimiru"),  # long vowel not written
        ("ウラジーミル", "wapuro", "urajiimiru"),  # long vowel doubled
        ("フォード", "passport_oh", "fohdo"),  # long o as OH
        ("ロンバルド", "passport", "rombarudo"),  # n before b: m
        ("ロンバルド", "revised_hepburn", "ronbarudo"),
        ("シャリフ", "kunrei", "syarihu"),
        ("マッチ", "passport", "matchi"),
        ("マッチ", "kunrei", "matti"),
        ("ヴィクトル", "passport", "vikutoru"),
    ],
)
def test_katakana_romanisation_systems(kana: str, system: str, latin: str) -> None:
    from bench import kana_variants

    assert kana_variants.romanize_word(kana, system) == latin


def test_katakana_kind_is_made_only_from_katakana_names() -> None:
    from bench import kana_variants

    assert kana_variants.is_katakana_name("ウラジーミル・プーチン")
    assert not kana_variants.is_katakana_name("VLADIMIR PUTIN")
    assert not kana_variants.is_katakana_name("朝鮮貿易")  # Chinese characters: not romanised
    entry = v.Listed(
        source="jp",
        entry_id="29-1",
        schema="person",
        names=(
            v.ListedName(full="ウラジーミル・プーチン", kind="primary"),
            v.ListedName(full="Vladimir PUTIN", kind="primary"),
        ),
    )
    book = v.NameBook([entry])
    cases = v.labelled_cases([entry], book, "katakana", 5, seed=7)
    assert len(cases) == 1
    assert cases[0].base == "ウラジーミル・プーチン"
    assert cases[0].query.split()[-1] in ("PUCHIN", "PUUCHIN", "PUTIN")
    assert cases[0].expected == frozenset({("jp", "29-1")})
    assert cases[0].group in kana_variants.SYSTEMS
