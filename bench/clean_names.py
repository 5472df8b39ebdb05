"""Clean vessel names and acronym-shaped company names: the false-alert classes of issue 11.

Two unlabelled sets that `bench/variants.py`'s faker persons and companies do not cover (a query
from either that alerts is a false alert):

``vessel``        two- and three-word ship names in the patterns shipowners use: a place,
                  family or given name, or an English word with a typical vessel word (NORDIC
                  STAR, ATLANTIC FORTUNE, STAR MARIA, OCEAN GLORY II, GOLDEN SPIRIT); upper case.
                  A further third are sister-ship names: owners name a series after one word
                  with a number (NAVIGATOR V, the fifth of a class) or with an adjective or
                  place before it (GRAND DOLPHIN), and IMO registers record each as a ship of
                  its own (IMO Res. A.1078(28): the name is not an identifier; the IMO number
                  is). The word here is a word of a listed vessel name, the hard case: a
                  sister ship of a listed vessel is not that vessel.
``acronym``       company names that start with an acronym (ETA SYSTEMS GMBH, KLM LOGISTICS
                  LTD): the shape that meets a listed acronym alias ("ETA", "MIRA", "SPIR").

Each set has its own random stream (``seed/clean-vessel``, ``seed/clean-acronym``) and seeded
fakers, so it never changes the other sets; names equal to a listed name (`NameBook.collides`:
same words, or the same but for a legal form) are removed and counted.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from bench.variants import CLEAN, Case, Fakers, NameBook, name_key, stream
from lists.model import Schema

if TYPE_CHECKING:
    from faker import Faker

Make = Callable[["Faker", random.Random], tuple[str, str]]

# Words ship names are made of (from the vessel names on the lists and in ship registers:
# "the typical vessel words" of issue 11).
VESSEL_WORDS = (
    *("FORTUNE", "STAR", "OCEAN", "GLORY", "SPIRIT", "PRIDE", "PRINCESS", "QUEEN", "EXPRESS"),
    *("TRADER", "PIONEER", "VOYAGER", "HARMONY", "DREAM", "LEGEND", "BREEZE", "WAVE", "SEA"),
    *("PEARL", "GRACE", "VICTORY", "LIBERTY", "NAVIGATOR", "EAGLE", "SUN", "MOON", "SKY"),
    *("WIND", "BRIDGE", "CARRIER", "LEADER", "HOPE", "JOY", "VENTURE", "PROSPERITY", "ACE"),
)
VESSEL_ADJECTIVES = (
    *("GOLDEN", "SILVER", "BLUE", "GREAT", "NEW", "ROYAL", "PACIFIC", "ATLANTIC", "NORDIC"),
    *("ASIAN", "GRAND", "BRIGHT", "LUCKY", "NOBLE", "GLOBAL", "EASTERN", "WESTERN", "SOUTHERN"),
)
_ORDINALS = ("I", "II", "III", "IV", "V", "1", "2", "3", "7", "9")
VESSEL_LOCALES = ("en_US", "en_GB", "de_DE", "it_IT", "es_ES", "nl_NL", "tr_TR", "pt_BR")
ACRONYM_LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "it_IT", "es_ES", "nl_NL", "pl_PL")
BUSINESS_NOUNS = (
    *("SYSTEMS", "CONSULTING", "LOGISTICS", "TECHNOLOGIES", "SOLUTIONS", "HOLDING", "TRADING"),
    *("ENGINEERING", "GROUP", "PARTNERS", "ENERGY", "MEDIA", "SOFTWARE", "SERVICES", "CAPITAL"),
    *("ELECTRONICS", "FOODS", "PHARMA", "MOTORS", "DESIGN", "INVEST", "MARINE", "PLASTICS"),
)
LEGAL_SUFFIXES = ("", "", "LTD", "LLC", "GMBH", "AG", "INC", "S.A.", "B.V.", "S.R.L.", "SP. Z O.O.")


def _word(fake: Faker, rng: random.Random) -> str:
    """A place, family name, female given name (ships are "she") or English word."""
    sort = rng.choice(("city", "last_name", "first_name_female", "word"))
    drawn = str(getattr(fake, sort)()).split()
    return drawn[0].upper() if drawn else "ANNA"


def fake_vessel(fake: Faker, rng: random.Random) -> tuple[str, str]:
    """(vessel name, pattern) in one of the patterns shipowners use."""
    vessel_word = rng.choice(VESSEL_WORDS)
    pattern = rng.choice(("X VW", "VW X", "ADJ VW", "X VW N", "ADJ VW X"))
    parts = {
        "X VW": [_word(fake, rng), vessel_word],
        "VW X": [vessel_word, _word(fake, rng)],
        "ADJ VW": [rng.choice(VESSEL_ADJECTIVES), vessel_word],
        "X VW N": [_word(fake, rng), vessel_word, rng.choice(_ORDINALS)],
        "ADJ VW X": [rng.choice(VESSEL_ADJECTIVES), vessel_word, _word(fake, rng)],
    }[pattern]
    return " ".join(parts), pattern


def fake_acronym_company(fake: Faker, rng: random.Random) -> tuple[str, str]:
    """(company name, pattern): an acronym of two to four letters, a business noun, a form."""
    if rng.random() < 0.5:
        letters = "".join(
            rng.choice("ABCDEFGHIJKLMNOPRSTUVWZ") for _ in range(rng.choice((2, 3, 4)))
        )
        pattern = "random letters"
    else:  # initials of the founders' names, as such firms are named (SJB, KPMG)
        founders = [str(fake.last_name()) for _ in range(rng.choice((2, 3)))]
        letters = "".join(f[0].upper() for f in founders if f and f[0].isalpha())
        pattern = "founders' initials"
    name = f"{letters} {rng.choice(BUSINESS_NOUNS)}"
    suffix = rng.choice(LEGAL_SUFFIXES)
    return (f"{name} {suffix}" if suffix else name), pattern


def sister_ship(words: Sequence[str]) -> Make:
    """Sister-ship names of the given listed vessel words: WORD N or ADJECTIVE WORD."""

    def make(fake: Faker, rng: random.Random) -> tuple[str, str]:
        word = rng.choice(words)
        if rng.random() < 0.5:
            return f"{word} {rng.choice(_ORDINALS)}", "listed word N"
        return f"{rng.choice(VESSEL_ADJECTIVES)} {word}", "ADJ listed word"

    return make


def clean_vessels(book: NameBook, seed: int, count: int) -> tuple[list[Case], int]:
    """``count`` clean vessel names spread over the locales, and count // 3 sister-ship names
    (their own stream: the first ``count`` do not change); (cases, listed names removed)."""
    cases, collisions = _made(
        book, seed, count, "vessel", VESSEL_LOCALES, Schema.VESSEL, fake_vessel
    )
    words = sorted(book.vessel_words)
    if not words or count < 3:
        return cases, collisions
    series, series_collisions = _made(
        book, seed, count // 3, "vessel-series", VESSEL_LOCALES, Schema.VESSEL, sister_ship(words)
    )
    return cases + series, collisions + series_collisions


def clean_acronym_companies(book: NameBook, seed: int, count: int) -> tuple[list[Case], int]:
    """``count`` clean acronym-shaped company names; (cases, listed names removed)."""
    return _made(
        book, seed, count, "acronym", ACRONYM_LOCALES, Schema.ORGANIZATION, fake_acronym_company
    )


def _made(
    book: NameBook,
    seed: int,
    count: int,
    purpose: str,
    locales: tuple[str, ...],
    schema: Schema,
    make: Make,
) -> tuple[list[Case], int]:
    fakers = Fakers(seed)
    rng = stream(seed, f"clean-{purpose}")
    cases: list[Case] = []
    seen: set[str] = set()
    collisions = 0
    for i in range(count):
        locale = locales[i % len(locales)]
        fake = fakers.get(f"clean-{purpose}", locale)
        for _attempt in range(50):
            text, pattern = make(fake, rng)
            key = name_key(text)
            if key in seen:
                continue
            seen.add(key)
            # the name without the legal form made up for it: AK SYSTEMS S.R.L. is the listed
            # AK SYSTEMS (not every form made up here is one `book.collides` strips)
            core = next(
                (text[: -len(f) - 1] for f in LEGAL_SUFFIXES if f and text.endswith(" " + f)),
                text,
            )
            if book.collides(text) or book.collides(core):
                collisions += 1
                continue
            cases.append(
                Case(
                    kind=CLEAN,
                    query=text,
                    schema=schema.value,
                    expected=frozenset(),
                    how=pattern,
                    locale=locale,
                    group=purpose,
                )
            )
            break
    return cases, collisions
