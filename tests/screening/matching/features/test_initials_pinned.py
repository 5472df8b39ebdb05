"""Pinned scores of names written with initials (`screening.matching.features.initials`).

The index is hand-made: KHAN, KHALIL and PUTIN weigh what the test sets (keyed by their
phonetic form), every other word is unknown and weighs ``unknown_weight`` (1.0), and a word is
generic below a weight of 6.0. KHAN alone is therefore generic and a name that meets on it and
an initial is capped at GENERIC_CEILING (0.55) unless the initials rule finds it distinctive.
Expected numbers are literals worked out by hand; `bench/mutations.py` checks that changing
INITIAL_INFORMATION or the rule's comparison fails a test here.
"""

from __future__ import annotations

import pytest

from lists.model import Schema
from screening.matching.algorithm import name_score
from screening.matching.features import initials
from screening.matching.features.initials import initials_distinctive
from screening.matching.features.model import QueryFacts
from screening.matching.features.names import align_words
from screening.matching.index import NameIndex
from screening.matching.normalize import phonetic, tokenize


def index(**weights: float) -> NameIndex:
    """Words (as written) with their weights; generic below 6.0."""
    return NameIndex(
        version_key="pinned-initials",
        weights={phonetic(word): weight for word, weight in weights.items()},
        generic_below=6.0,
    )


# KHAN + one initial is 4.0 + 2.0: exactly the generic limit.
AT_LIMIT = index(khan=4.0, khalil=4.0)
BELOW_LIMIT = index(khan=3.9)


def score(query: str, listed: str, names: NameIndex, schema: Schema = Schema.PERSON) -> float:
    facts = QueryFacts(
        tokens=tokenize(query, schema),
        schema=schema,
        country=None,
        birth_date=None,
        identifiers=(),
        distinctive_length=3,
    )
    return name_score(facts, tokenize(listed, schema), names, listed_schema=schema).score


def distinctive(query: str, listed: str, names: NameIndex, person: bool = True) -> bool:
    schema = Schema.PERSON if person else Schema.ORGANIZATION
    q, lt = tokenize(query, schema), tokenize(listed, schema)
    aligned = align_words(q, lt, names.weights, names.unknown_weight, person=person)
    return initials_distinctive(q, lt, aligned, names.generic_below, person)


def test_an_initial_adds_INITIAL_INFORMATION_to_the_surname() -> None:
    assert initials.INITIAL_INFORMATION == 2.0
    # 4.0 + 2.0 reaches the limit 6.0: not capped. S ~ SHERBAZ 0.9 * 0.8 = 0.72 of weight 1,
    # KHAN 1 of 4: (4 + 0.72) / 5 on both sides
    assert score("S. KHAN", "Sherbaz KHAN", AT_LIMIT) == pytest.approx(0.944, abs=1e-9)
    assert distinctive("S. KHAN", "Sherbaz KHAN", AT_LIMIT)


def test_a_surname_too_common_for_one_initial_stays_capped() -> None:
    # 3.9 + 2.0 < 6.0: capped at 0.55 (0.9440 uncapped)
    assert score("S. KHAN", "Sherbaz KHAN", BELOW_LIMIT) == pytest.approx(0.55, abs=1e-9)
    assert not distinctive("S. KHAN", "Sherbaz KHAN", BELOW_LIMIT)


def test_each_initial_adds_its_information() -> None:
    # 3.9 + 2 * 2.0 = 7.9: two initials make the same surname distinctive.
    # I ~ IBRAHIM and M ~ MOHAMED 0.72 each of weight 1: (3.9 + 1.44) / 5.9 on both sides
    got = score("I. M. KHAN", "Ibrahim Mohamed KHAN", BELOW_LIMIT)
    assert got == pytest.approx(0.9050847458, abs=1e-9)


def test_the_surname_may_come_first() -> None:
    # SURNAME F, with the listed middle name left out: the rule allows it
    assert distinctive("KHAN S", "Sherbaz KHAN", AT_LIMIT)
    assert distinctive("KHAN S", "Sherbaz Ali KHAN", AT_LIMIT)


def test_initials_must_follow_the_listed_order() -> None:
    assert distinctive("I. M. KHALIL", "Ibrahim Mohamed KHALIL", AT_LIMIT)
    # M. I. would be Mohamed Ibrahim: the initials meet the listed words out of order
    assert not distinctive("M. I. KHALIL", "Ibrahim Mohamed KHALIL", AT_LIMIT)
    assert score("M. I. KHALIL", "Ibrahim Mohamed KHALIL", AT_LIMIT) == pytest.approx(
        0.55, abs=1e-9
    )


def test_a_word_written_in_full_must_meet_exactly_or_as_a_romanization() -> None:
    # KHALEEL and KHALIL share their phonetic form: a romanization
    assert distinctive("I. M. KHALEEL", "Ibrahim Mohamed KHALIL", AT_LIMIT)
    # KHANO is a typo of KHAN (fuzzy, 0.8 * 0.97): beside an initial, too little is certain
    typo = index(khan=4.0, khano=4.0)
    aligned = align_words(tokenize("S. KHANO"), tokenize("Sherbaz KHAN"), typo.weights, 1.0)
    _listed, similarity, how = aligned.pairs[1]
    assert how == "fuzzy"
    assert similarity == pytest.approx(0.776, abs=1e-9)
    assert not distinctive("S. KHANO", "Sherbaz KHAN", typo)


def test_every_query_word_must_meet() -> None:
    # ZED meets nothing listed
    assert not distinctive("S. Zed KHAN", "Sherbaz KHAN", AT_LIMIT)
    # an initial without a listed word of its letter
    assert not distinctive("T. KHAN", "Sherbaz KHAN", AT_LIMIT)


def test_initials_alone_are_not_enough() -> None:
    # no word written in full, however low the limit (0: every word distinctive)
    anything = NameIndex(version_key="pinned-initials", generic_below=0.0)
    assert not distinctive("S. K.", "Sherbaz KHAN", anything)


def test_a_query_without_initials_is_left_to_the_generic_words_cap() -> None:
    assert not distinctive("Sherbaz KHAN", "Sherbaz KHAN", AT_LIMIT)


def test_a_company_has_no_initials() -> None:
    assert not distinctive("S. KHAN", "Sherbaz KHAN", AT_LIMIT, person=False)
