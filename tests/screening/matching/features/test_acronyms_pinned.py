"""Pinned acronym words (`screening.matching.features.acronyms`): spelt, never sounded."""

from __future__ import annotations

from screening.matching.features import acronyms
from screening.matching.features.tokens import token_similarity
from screening.matching.normalize import tokenize


def similarity(query: str, listed: str) -> tuple[float, str]:
    return token_similarity(tokenize(query)[0], tokenize(listed)[0])


def test_vowel_less_words_of_at_most_ACRONYM_WORD_MAX_LETTERS_are_acronyms() -> None:
    assert acronyms.ACRONYM_WORD_MAX_LETTERS == 3
    # GTS / GKK share the phonetic form "gk" (0.85 as words): 3 letters, acronyms, not met
    assert similarity("GTS", "GKK") == (0.0, "missing")
    # NPK / NPC: C is K (Cyrillic К): the same acronym, met as a short romanization
    assert similarity("NPK", "NPC") == (0.85, "romanization")
    # MHMD has 4 letters: an unvocalised name, met by its consonants
    assert similarity("MHMD", "Mohammed") == (0.9, "romanization")
