"""Pinned name scores (`screening.matching.features.names`): alignment, joined names, caps.

The scores come from `screening.matching.algorithm.name_score` over a hand-made `NameIndex`
whose word weights are set in the test (a word the index has never seen weighs
``unknown_weight``, 1.0 here), so every expected number can be worked out by hand: the query
side's met share times the query-side weight plus the listed side's met share times the rest.
Literal numbers, never expressions of the constants; `bench/mutations.py` checks that changing
any constant fails a test here.
"""

from __future__ import annotations

import pytest

from lists.model import Entity, Name, Schema, Source, SourceRef
from screening.matching.algorithm import name_score
from screening.matching.features import names
from screening.matching.features.model import QueryFacts
from screening.matching.features.names import distinctive_length, joined_score
from screening.matching.index import GENERIC_SHARE, NameIndex, build_index
from screening.matching.normalize import tokenize

# Every word unknown (weight 1.0) and distinctive (generic_below 0).
PLAIN = NameIndex(version_key="pinned")
# Phonetic forms with chosen weights; generic_below 5: only KIM and LI are not generic.
GENERIC = NameIndex(
    version_key="pinned",
    weights={"alfa": 1.0, "beta": 1.0, "gama": 1.0, "delta": 1.0, "mansur": 1.0,
             "kim": 10.0, "li": 10.0},
    generic_below=5.0,
)  # fmt: skip


def score(
    query: str,
    listed: str,
    listed_schema: Schema,
    index: NameIndex = PLAIN,
    query_schema: Schema | None = None,
) -> float:
    facts = QueryFacts(
        tokens=tokenize(query, query_schema),
        schema=query_schema,
        country=None,
        birth_date=None,
        identifiers=(),
        distinctive_length=distinctive_length(query),
    )
    listed_tokens = tokenize(listed, listed_schema)
    return name_score(facts, listed_tokens, index, listed_schema=listed_schema).score


def test_a_paired_initial_proves_INITIAL_EVIDENCE_of_its_similarity() -> None:
    assert names.INITIAL_EVIDENCE == 0.8
    # V ~ VLADIMIR 0.9 * 0.8 = 0.72, PUTIN 1: both sides (0.72 + 1) / 2
    assert score("V Putin", "Vladimir Putin", Schema.PERSON) == pytest.approx(0.86, abs=1e-9)


def test_a_legal_form_weighs_LEGAL_FORM_WEIGHT_of_an_unseen_word() -> None:
    assert names.LEGAL_FORM_WEIGHT == 0.15
    # query side 2 / 2.15 (LLC unmet), listed side 2 / 2: 0.45 * 0.930233 + 0.55
    got = score("Quelvara Maritime LLC", "Quelvara Maritime", Schema.ORGANIZATION)
    assert got == pytest.approx(0.9686046512, abs=1e-9)


def test_the_query_side_weighs_QUERY_SIDE_PERSON_for_a_listed_person() -> None:
    assert names.QUERY_SIDE_PERSON == 0.65
    # the patronymic left out: query side 2/2, listed side 2/3
    got = score("Ivan Zorbaxov", "Ivan Petrovich Zorbaxov", Schema.PERSON)
    assert got == pytest.approx(0.8833333333, abs=1e-9)


def test_the_query_side_weighs_QUERY_SIDE_OTHER_for_a_listed_company() -> None:
    assert names.QUERY_SIDE_OTHER == 0.45
    got = score("Quelvara Maritime", "Quelvara Maritime Services", Schema.ORGANIZATION)
    assert got == pytest.approx(0.8166666667, abs=1e-9)


def test_listed_words_unmentioned_beside_initials_weigh_ABBREVIATED_LISTED_WEIGHT() -> None:
    assert names.ABBREVIATED_LISTED_WEIGHT == 0.3
    # query side 1.72 / 2 = 0.86; listed side 1.72 / (3 - 0.7 * 1) = 0.7478260870
    got = score("V Putin", "Vladimir Vladimirovich Putin", Schema.PERSON)
    assert got == pytest.approx(0.8207391304, abs=1e-9)


def test_a_companys_single_letters_are_no_initials() -> None:
    # the same words, listed as a company: VLADIMIROVICH counts in full on the listed side,
    # 0.45 * 0.86 + 0.55 * 1.72 / 3
    got = score("V Putin", "Vladimir Vladimirovich Putin", Schema.ORGANIZATION)
    assert got == pytest.approx(0.7023333333, abs=1e-9)


def joined(query: str, listed: str) -> float | None:
    return joined_score(tokenize(query), tokenize(listed))


def test_names_written_together_need_JOINED_MIN_LENGTH_letters() -> None:
    assert names.JOINED_MIN_LENGTH == 6
    assert joined("BOR DAL", "BORDAL") == pytest.approx(0.97, abs=1e-9)  # 6 letters
    assert joined("BOR DA", "BORDA") is None  # 5 letters


def test_names_written_together_meet_from_JOINED_FLOOR() -> None:
    assert names.JOINED_FLOOR == 0.9
    # bordemilat / bordemilaz: 1 - 1/10 = 0.9, exactly the floor, times 0.97
    assert joined("BORDE MILAT", "BORDEMILAZ") == pytest.approx(0.873, abs=1e-9)
    assert joined("BORDEN MILAT", "BORDENMXYZQ") is None  # 0.58


def test_names_written_together_keep_JOINED_DISCOUNT() -> None:
    assert names.JOINED_DISCOUNT == 0.97
    assert joined("GAZPROM BANK", "GAZPROMBANK") == pytest.approx(0.97, abs=1e-9)


def test_a_word_of_at_most_JOINED_SHORT_WORD_letters_makes_joining_exact_only() -> None:
    assert names.JOINED_SHORT_WORD == 2
    # ZU has 2 letters: zubordenat / zubordenaz (0.9) do not meet
    assert joined("ZU BORDENAT", "ZUBORDENAZ") is None
    # ZUL has 3: the one-letter difference is a typo, 1 - 1/11 = 0.90909 times 0.97
    assert joined("ZUL BORDENAT", "ZULBORDENAZ") == pytest.approx(0.8818181818, abs=1e-9)


def test_an_exact_name_scores_EXACT_NAME_SCORE() -> None:
    assert names.EXACT_NAME_SCORE == 1.0
    assert score("Quelvara Maritime", "QUELVARA MARITIME", Schema.ORGANIZATION) == 1.0


def test_any_other_name_is_capped_at_INEXACT_CEILING() -> None:
    assert names.INEXACT_CEILING == 0.995
    # XYZ ("ksiz") weighs nothing: both sides fully met (1.0), but not the listed name
    weightless = NameIndex(version_key="pinned", weights={"ksiz": 0.0})
    got = score("Fortune Xyz", "Fortune", Schema.ORGANIZATION, weightless)
    assert got == pytest.approx(0.995, abs=1e-9)


def test_DISTINCTIVE_EXACT_WORDS_generic_words_met_exactly_are_distinctive() -> None:
    assert names.DISTINCTIVE_EXACT_WORDS == 3
    # three generic words met exactly: not capped, 0.45 * 1 + 0.55 * 3/4
    three = score("Alpha Beta Gamma", "Alpha Beta Gamma Delta", Schema.ORGANIZATION, GENERIC)
    assert three == pytest.approx(0.8625, abs=1e-9)
    # two: capped at GENERIC_CEILING (0.725 uncapped)
    two = score("Alpha Beta", "Alpha Beta Gamma Delta", Schema.ORGANIZATION, GENERIC)
    assert two == pytest.approx(0.55, abs=1e-9)


def test_WORD_FOR_WORD_MIN_words_met_word_for_word_are_distinctive() -> None:
    assert names.WORD_FOR_WORD_MIN == 2
    # two generic words met one for one (0.96 and 1): (1 + 0.96) / 2
    two = score("Khalil Mansour", "Khalil Mansur", Schema.PERSON, GENERIC)
    assert two == pytest.approx(0.98, abs=1e-9)
    # one word: capped at 0.55, then the one-word factor 0.9
    one = score("Mansour", "Mansur", Schema.PERSON, GENERIC)
    assert one == pytest.approx(0.495, abs=1e-9)


def test_a_distinctive_word_has_DISTINCTIVE_LENGTH_letters() -> None:
    assert names.DISTINCTIVE_LENGTH == 3
    assert distinctive_length("Kim Jong Un") == 3
    # KIM weighs 10, the missing words 1: 10/11 on both sides, not capped
    kim = score("Kim Jones", "Kim Smith", Schema.PERSON, GENERIC)
    assert kim == pytest.approx(0.9090909091, abs=1e-9)
    # LI weighs as much but has 2 letters: capped
    assert score("Li Jones", "Li Smith", Schema.PERSON, GENERIC) == pytest.approx(0.55, abs=1e-9)


def test_a_query_in_ideographs_needs_IDEOGRAPHIC_DISTINCTIVE_LENGTH_letters() -> None:
    assert names.IDEOGRAPHIC_DISTINCTIVE_LENGTH == 4
    assert distinctive_length("金正恩") == 4


def test_GENERIC_SHARE_of_the_names_makes_a_word_generic() -> None:
    assert GENERIC_SHARE == 0.002  # (kept by the index, which computes the weights)
    entities = [
        (1, Entity(source=Source.UN, entry_id=str(i), schema=Schema.PERSON,
                   names=[Name(full=f"Person {word}")],
                   ref=SourceRef(format="hand-made", file="test", record=str(i))))
        for i, word in enumerate(["Ardo", "Belko", "Cirva", "Dumo", "Eska"])
    ]  # fmt: skip
    index = build_index(entities, "pinned")
    # 5 names: generic from a weight of log((5 + 1) / (0.002 * 5 + 0.5)) = log(11.7647)
    assert index.generic_below == pytest.approx(2.4651040224, abs=1e-9)


def test_a_word_on_exactly_GENERIC_SHARE_of_the_names_is_distinctive() -> None:
    # 500 names: ZORBAXA on one of them is on 0.2 %, and weighs exactly the generic limit,
    # log(501 / 1.5); FILLER is on all of them and weighs almost nothing
    entities = [
        (1, Entity(source=Source.UN, entry_id=str(i), schema=Schema.ORGANIZATION,
                   names=[Name(full="ZORBAXA FILLER" if i == 0 else f"FILLER {i}")],
                   ref=SourceRef(format="hand-made", file="test", record=str(i))))
        for i in range(500)
    ]  # fmt: skip
    index = build_index(entities, "pinned")
    assert index.generic_below == pytest.approx(5.8111409930, abs=1e-9)
    # not capped at 0.55: 0.45 + 0.55 * 5.8111 / (5.8111 + 0.0010), times the one-word 0.9
    got = score("Zorbaxa", "ZORBAXA FILLER", Schema.ORGANIZATION, index)
    assert got == pytest.approx(0.8999149610, abs=1e-9)


def test_GENERIC_CEILING_caps_a_name_without_distinctive_evidence() -> None:
    assert names.GENERIC_CEILING == 0.55
    # uncapped 0.45 + 0.55 * 2/4 = 0.725: a cap of 0.74 would let it through
    two = score("Alpha Beta", "Alpha Beta Gamma Delta", Schema.ORGANIZATION, GENERIC)
    assert two == pytest.approx(0.55, abs=1e-9)


def test_a_one_word_query_keeps_ONE_WORD_FACTOR() -> None:
    assert names.ONE_WORD_FACTOR == 0.9
    # MANSOUR ~ MANSUR 0.96 on both sides, times 0.9
    assert score("Mansour", "Mansur", Schema.PERSON) == pytest.approx(0.864, abs=1e-9)
    # vessel queries are exempt
    vessel = score("Mansour", "Mansur", Schema.VESSEL, query_schema=Schema.VESSEL)
    assert vessel == pytest.approx(0.96, abs=1e-9)
