"""Clean names and near misses of the second benchmark (bench/independent_set.py).

Clean persons and organisations come from faker locales the first set does not use
(`independent_set.PERSON_LOCALES`, `COMPANY_LOCALES`), given name + family name without the
locale's titles ("Г-н", "Cô"); vessels from shipping-name patterns: an epithet and a noun
("NORDIC STAR"), a given name and a letter or number ("MARIA K", "ELENA 7"), a port and a noun
("PIRAEUS SPIRIT"), a noun and a Roman numeral ("VOYAGER II"). A clean name whose words equal
a listed name's words (`name_key`) is removed and counted.

Near misses: half are a listed person's surname (from entries whose list says which words are
the surname) with a given name from a Latin faker locale that shares no word, and no spelling
one letter away, with any name of any entry carrying that surname; half a listed company with
every distinctive word (one on fewer than `GENERIC_NAMES` listed organisation names) replaced
by a faker surname or city, its generic words and legal form kept. Either is dropped when the
result equals a listed name, and a company one also when its kept words alone are one.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import TYPE_CHECKING

from bench.independent_set import (
    COMPANY_LOCALES,
    LATIN_GIVEN_LOCALES,
    LEGAL_WORDS,
    PERSON_LOCALES,
    Book,
    fold,
    is_latin,
    name_key,
    person_parts,
)
from bench.variants import Case
from lists.model import Schema

if TYPE_CHECKING:
    from faker import Faker

CLEAN = "clean"
NEAR_MISS = "near_miss"
GENERIC_NAMES = 25  # a word on this many listed organisation names is generic (BANK, TRADING)

EPITHETS = (
    *("ATLANTIC", "PACIFIC", "NORDIC", "BALTIC", "GOLDEN", "SILVER", "BLUE", "ROYAL", "GRAND"),
    *("OCEAN", "CAPE", "NORTHERN", "SOUTHERN", "EASTERN", "WESTERN", "ARCTIC", "CORAL"),
    *("CRYSTAL", "EMERALD", "IVORY", "LUCKY", "BRAVE", "SWIFT", "NOBLE", "BRIGHT", "AEGEAN"),
)
NOUNS = (
    *("STAR", "SPIRIT", "PRIDE", "GLORY", "EXPRESS", "TRADER", "VOYAGER", "PIONEER"),
    *("EXPLORER", "NAVIGATOR", "HARMONY", "DAWN", "WAVE", "BREEZE", "HORIZON", "LEGEND"),
    *("QUEEN", "PRINCESS", "ENDEAVOUR", "VENTURE", "PHOENIX", "FALCON", "DOLPHIN", "MARINER"),
    *("CARRIER", "HOPE", "GRACE", "UNITY", "SPLENDOUR", "MERCHANT", "CHALLENGER", "BRIDGE"),
)
PORTS = (
    *("PIRAEUS", "ROTTERDAM", "HAMBURG", "GENOA", "VALLETTA", "LIMASSOL", "BERGEN", "SANTOS"),
    *("DURBAN", "MOMBASA", "BUSAN", "KOBE", "MANILA", "CHITTAGONG", "ODESSA", "CONSTANTA"),
)
ROMAN = ("II", "III", "IV", "V", "VII", "IX")


class _Fakers:
    """One seeded faker per locale, made on first use."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._made: dict[str, Faker] = {}

    def __call__(self, locale: str) -> Faker:
        if locale not in self._made:
            from faker import Faker

            fake = Faker(locale)
            fake.seed_instance(f"{self.seed}/{locale}")
            self._made[locale] = fake
        return self._made[locale]


def vessel_name(rng: random.Random, fake: Faker) -> str:
    pattern = rng.randrange(4)
    if pattern == 0:
        return f"{rng.choice(EPITHETS)} {rng.choice(NOUNS)}"
    if pattern == 1:
        given = fold(fake.first_name())
        letter = rng.choice("ABCDEFGHKLMNPRST") if rng.random() < 0.6 else str(rng.randint(1, 9))
        return f"{' '.join(given).upper()} {letter}" if given else ""
    if pattern == 2:
        return f"{rng.choice(PORTS)} {rng.choice(NOUNS)}"
    return f"{rng.choice(NOUNS)} {rng.choice(ROMAN)}"


def clean_cases(book: Book, seed: int, counts: dict[str, int]) -> tuple[list[Case], int]:
    """Clean names per schema, spread over the locales; returns (cases, names removed)."""
    fakers = _Fakers(seed)
    rng = random.Random(f"{seed}/clean")
    cases: list[Case] = []
    removed = 0
    seen: set[str] = set()
    for schema, count in counts.items():
        locales = COMPANY_LOCALES if schema == Schema.ORGANIZATION.value else PERSON_LOCALES
        made = attempts = 0
        while made < count and attempts < count * 20:
            locale = locales[attempts % len(locales)]
            attempts += 1
            fake = fakers(LATIN_GIVEN_LOCALES[attempts % 8] if schema == "vessel" else locale)
            if schema == Schema.PERSON.value:
                text = f"{fake.first_name()} {fake.last_name()}"
            elif schema == Schema.ORGANIZATION.value:
                text = fake.company()
            else:
                text, locale = vessel_name(rng, fake), "vessels"
            text = " ".join(text.split())
            if not fold(text) or text in seen:
                continue
            seen.add(text)
            if book.named.get(name_key(text)):
                removed += 1
                continue
            cases.append(
                Case(kind=CLEAN, query=text, schema=schema, expected=frozenset(), locale=locale)
            )
            made += 1
    return cases, removed


def near_miss_cases(book: Book, seed: int, count: int) -> list[Case]:
    """Half surname near misses, half company ones (more when the lists give few surnames)."""
    surname = _surname_misses(book, seed, count // 2)
    return surname + _company_misses(book, seed, count - len(surname))


def _near(a: str, b: str) -> bool:
    """Equal or one edit apart (a spelling of the same given name)."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _surname_misses(book: Book, seed: int, count: int) -> list[Case]:
    rng = random.Random(f"{seed}/near_miss/surname")
    fakers = _Fakers(seed + 1)
    persons = [
        (entry, parts)
        for entry in book.entries
        if entry.schema == Schema.PERSON.value
        for name in entry.names[:1]
        if is_latin(name.text) and (parts := person_parts(name))
    ]
    rng.shuffle(persons)
    cases: list[Case] = []
    for entry, (_given, last) in persons:
        if len(cases) >= count:
            break
        surname = " ".join(last)
        holders = set().union(*(book.surnames.get(" ".join(fold(w)), set()) for w in last))
        listed_words = {w for key in holders for n in book.by_key[key].names for w in fold(n.text)}
        given = fake_given(fakers(rng.choice(LATIN_GIVEN_LOCALES)))
        if not given or any(_near(g, w) for g in fold(given) for w in listed_words):
            continue
        text = f"{given} {surname}"
        if book.named.get(name_key(text)):
            continue
        cases.append(
            Case(
                kind=NEAR_MISS,
                query=text,
                schema=Schema.PERSON.value,
                expected=frozenset(),
                base=entry.names[0].text,
                how="listed surname, other given name",
                group="surname",
            )
        )
    return cases


def fake_given(fake: Faker) -> str:
    return " ".join(fake.first_name().split())


def _company_misses(book: Book, seed: int, count: int) -> list[Case]:
    rng = random.Random(f"{seed}/near_miss/company")
    fakers = _Fakers(seed + 2)
    organizations = [
        (entry, name.text)
        for entry in book.entries
        if entry.schema == Schema.ORGANIZATION.value
        for name in entry.names[:1]
        if is_latin(name.text)
    ]
    frequency = Counter(w for _, text in organizations for w in set(fold(text)))
    rng.shuffle(organizations)
    cases: list[Case] = []
    for _entry, text in organizations:
        if len(cases) >= count:
            break
        words = text.upper().replace(",", " ").split()
        generic = [
            frequency[w.casefold()] >= GENERIC_NAMES or w in LEGAL_WORDS
            for w in (" ".join(fold(w)).upper() for w in words)
        ]
        if all(generic) or not any(generic) or len(words) < 2:
            continue
        fake = fakers(rng.choice(LATIN_GIVEN_LOCALES))
        replaced = [
            word if keep else " ".join(fold(rng.choice((fake.last_name(), fake.city())))).upper()
            for word, keep in zip(words, generic, strict=True)
        ]
        query = " ".join(" ".join(replaced).split())
        kept = " ".join(w for w, keep in zip(words, generic, strict=True) if keep)
        # Kept words that are a listed name by themselves ("MINISTRY OF DEFENSE ... (MODAFL)"
        # without its acronym) make the query that listed name plus a word: no near miss.
        if book.named.get(name_key(query)) or book.named.get(name_key(kept)):
            continue
        cases.append(
            Case(
                kind=NEAR_MISS,
                query=query,
                schema=Schema.ORGANIZATION.value,
                expected=frozenset(),
                base=text,
                how="distinctive words replaced",
                group="company",
            )
        )
    return cases
