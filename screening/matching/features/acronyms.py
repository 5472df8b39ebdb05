"""Short words without vowels are acronyms: spelt letter by letter, never sounded or abbreviated.

MM, MG, GKK, GTS, SSL are initials of other words run together. Their phonetic forms collide
(GTS and GKK both read "gk"), and a one-letter word is not their initial: two acronyms are the
same only when they are the same letters.
"""

from __future__ import annotations

from screening.matching.features.model import Constant, Feature, Stage

ACRONYM_WORD_MAX_LETTERS = 3
_VOWELS = frozenset("aeiouy")


def is_acronym_word(word: str) -> bool:
    """A folded word of two to ACRONYM_WORD_MAX_LETTERS letters with no vowel (MM, GTS, SSL)."""
    return (
        2 <= len(word) <= ACRONYM_WORD_MAX_LETTERS and word.isalpha() and not (_VOWELS & set(word))
    )


def acronym_meeting(query: str, listed: str) -> bool | None:
    """None when neither folded word is an acronym; else whether the two meet.

    An acronym (a word of two to ACRONYM_WORD_MAX_LETTERS letters with no vowel: MM, GTS, SSL)
    meets another word only letter for letter, not by sound nor as an initial; the one
    letter read two ways is C/K, the Latin spellings of Cyrillic К (НПК is NPK or NPC). Longer
    vowel-less words are unvocalised Arabic names (MHMD), which do meet by their consonants.
    """
    if not (is_acronym_word(query) or is_acronym_word(listed)):
        return None
    return query.replace("c", "k") == listed.replace("c", "k")


ACRONYM_WORDS = Feature(
    name="acronym_words",
    title="Acronyms are spelt",
    stage=Stage.TOKEN,
    function=acronym_meeting,
    constants=(
        Constant(
            "ACRONYM_WORD_MAX_LETTERS",
            ACRONYM_WORD_MAX_LETTERS,
            "letters at most of a vowel-less word read as an acronym",
        ),
    ),
)
