"""Pinned word similarities (`screening.matching.features.tokens`): each constant's exact effect.

Every expected number is a literal worked out by hand from the rule (an edit similarity of
1 - edits / longer length, times the declared factors), never an expression of the constant:
an expression would move with the constant and notice nothing. `bench/mutations.py` checks
that changing any of these constants fails a test here.
"""

from __future__ import annotations

from screening.matching.features import tokens
from screening.matching.features.tokens import token_similarity
from screening.matching.normalize import tokenize


def similarity(query: str, listed: str) -> tuple[float, str]:
    """The similarity of the first word of each name, as the aligner asks for it (rounded to
    nine decimals: the literals below are exact to far more than any constant's step)."""
    value, how = token_similarity(tokenize(query)[0], tokenize(listed)[0])
    return round(value, 9), how


def test_exact_words_score_one_EXACT() -> None:
    assert tokens.EXACT == 1.0
    assert similarity("Ivanov", "IVANOV") == (1.0, "exact")


def test_one_phonetic_form_scores_ROMANIZATION() -> None:
    assert tokens.ROMANIZATION == 0.96
    assert similarity("Smith", "Smyth") == (0.96, "romanization")  # both "smit"
    # Webb / Vebb: both "veb", four letters each: long enough for the full romanization score
    assert similarity("Webb", "Vebb") == (0.96, "romanization")


def test_short_words_sharing_a_phonetic_form_score_SHORT_ROMANIZATION() -> None:
    assert tokens.SHORT_ROMANIZATION == 0.85
    assert tokens.SHORT_ROMANIZATION_LENGTH == 3
    # BAL has 3 letters (at most SHORT_ROMANIZATION_LENGTH): the discounted score
    assert similarity("Ball", "Bal") == (0.85, "romanization")


def test_one_consonant_skeleton_scores_SKELETON() -> None:
    assert tokens.SKELETON == 0.9
    assert tokens.SKELETON_MIN_LENGTH == 4
    # unvocalised MHMD: skeleton "mhmd" has 4 consonants, SKELETON_MIN_LENGTH
    assert similarity("MHMD", "Mohammed") == (0.9, "romanization")
    # Salim / Salem: skeleton "slm" has 3: not enough, they meet as a typo (1 - 1/5) * 0.97
    assert similarity("Salim", "Salem") == (0.776, "fuzzy")


def test_a_shared_skeleton_needs_VOWELS_ONLY_SIMILARITY() -> None:
    assert tokens.VOWELS_ONLY_SIMILARITY == 0.6
    # barakata / burukuta: 3 vowels of 8 differ, similarity 0.625 >= 0.6: only vowels differ
    assert similarity("Barakata", "Burukuta") == (0.9, "romanization")
    # barakatana / burukutuna: 4 of 10 differ, exactly 0.6: still only vowels
    assert similarity("Barakatana", "Burukutuna") == (0.9, "romanization")
    # barakat / burukit: 3 of 7 differ, 0.571 < 0.6: other words (and too far for a typo)
    assert similarity("Barakat", "Burukit") == (0.0, "missing")


def test_an_initial_scores_INITIAL() -> None:
    assert tokens.INITIAL == 0.9
    assert similarity("V", "Vladimir") == (0.9, "initial")
    assert similarity("W", "Vladimir") == (0.0, "missing")


def test_fuzzy_meetings_need_FUZZY_MIN_LENGTH_letters() -> None:
    assert tokens.FUZZY_MIN_LENGTH == 4
    # AMIR (4 letters) / AMIRA: 1 - 1/5 = 0.8 reaches SHORT_FUZZY_FLOOR; times 0.97
    assert similarity("Amir", "Amira") == (0.776, "fuzzy")


def test_short_words_are_compared_as_written_below_SHORT_FUZZY_LENGTH() -> None:
    assert tokens.SHORT_FUZZY_LENGTH == 5
    # OMAR / OMER: 4 letters, 1 - 1/4 = 0.75: below the short floor, although at FUZZY_FLOOR
    assert similarity("Omar", "Omer") == (0.0, "missing")
    # RAMZAN (6 letters) / RAMZANOV: 1 - 2/8 = 0.75, exactly the long floor: 0.75 * 0.97
    assert similarity("Ramzan", "Ramzanov") == (0.7275, "fuzzy")


def test_long_words_meet_from_FUZZY_FLOOR() -> None:
    assert tokens.FUZZY_FLOOR == 0.75
    assert similarity("Ramzan", "Ramzanov") == (0.7275, "fuzzy")
    # 0.571 is below it (and the skeleton rule does not apply, see above)
    assert similarity("Barakat", "Burukit") == (0.0, "missing")


def test_short_words_meet_from_SHORT_FUZZY_FLOOR() -> None:
    assert tokens.SHORT_FUZZY_FLOOR == 0.8
    # abcde / abcdf: 1 - 1/5 = 0.8, exactly the floor: met, 0.8 * 0.97
    assert similarity("Abcde", "Abcdf") == (0.776, "fuzzy")
    assert similarity("Omar", "Omer") == (0.0, "missing")  # 0.75 < 0.8


def test_another_first_letter_keeps_FIRST_LETTER_FACTOR() -> None:
    assert tokens.FIRST_LETTER_FACTOR == 0.9
    # kasimova / basimova: (1 - 1/8) * 0.9 = 0.7875 >= 0.75, times 0.97
    assert similarity("Kasimova", "Basimova") == (0.763875, "fuzzy")


def test_a_typo_keeps_FUZZY_DISCOUNT_of_its_similarity() -> None:
    assert tokens.FUZZY_DISCOUNT == 0.97
    # rajapovic / rajapovich: 1 - 1/10 = 0.9 written, times 0.97
    assert similarity("Rajapovic", "Rajapovich") == (0.873, "fuzzy")
