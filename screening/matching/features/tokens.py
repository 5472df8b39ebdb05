"""How alike two words are: the token similarity every name feature builds on."""

from __future__ import annotations

from rapidfuzz.distance import OSA, Levenshtein

from screening.matching.features.acronyms import ACRONYM_WORD_MAX_LETTERS, acronym_meeting
from screening.matching.features.given_names import GIVEN_NAME_SIMILARITY, same_given_name
from screening.matching.features.model import Constant, Feature, Stage
from screening.matching.features.patronymics import patronymic_meets_surname, same_surname_ending
from screening.matching.normalize import Token, TokenKind

EXACT = 1.0
ROMANIZATION = 0.96
SHORT_ROMANIZATION = 0.85
SHORT_ROMANIZATION_LENGTH = 3
SKELETON = 0.90
SKELETON_MIN_LENGTH = 4
VOWELS_ONLY_SIMILARITY = 0.6
INITIAL = 0.90
FUZZY_MIN_LENGTH = 4
SHORT_FUZZY_LENGTH = 5
FUZZY_FLOOR = 0.75
SHORT_FUZZY_FLOOR = 0.80
FIRST_LETTER_FACTOR = 0.9
FUZZY_DISCOUNT = 0.97


def token_similarity(query: Token, listed: Token) -> tuple[float, str]:
    """How alike two words are (0..1), and how they met.

    The first way that applies decides: *exact* (the same folded text); an acronym meets no
    other way (acronym words); *romanization* (the
    same phonetic form: Aleksandr/Alexander), discounted for words of three letters or fewer,
    which share a phonetic form too easily (Webb ~ VEB); *romanization* of one given name in
    another language (given names) or of a surname written -off (surname ending); *initial*
    (V ~ Vladimir, when either
    side is one letter); *romanization* by consonant skeleton (Mohammed/Muhammad/mhmd) when one
    side is unvocalised or only vowels differ, not when a syllable is added (Putin/Potanin);
    otherwise *fuzzy*: the better normalised edit similarity (transpositions count once) of the
    written or, for words over five letters, the phonetic forms, lowered when the first letters
    differ (Kasim/Basim are usually other names) and kept only above a floor; a patronymic never
    meets a word that is not one this way (patronymics).
    """
    if query.text == listed.text:
        return EXACT, "exact"
    # (the length guards keep the rarely-applying rules off the hot path of long words)
    if len(query.text) <= ACRONYM_WORD_MAX_LETTERS or len(listed.text) <= ACRONYM_WORD_MAX_LETTERS:
        acronyms = acronym_meeting(query.text, listed.text)
        if acronyms is not None:  # acronyms meet only letter for letter (acronym words)
            return (SHORT_ROMANIZATION, "romanization") if acronyms else (0.0, "missing")
    if query.phonetic == listed.phonetic:
        if (
            len(listed.text) <= SHORT_ROMANIZATION_LENGTH
            or len(query.text) <= SHORT_ROMANIZATION_LENGTH
        ):
            return SHORT_ROMANIZATION, "romanization"
        return ROMANIZATION, "romanization"
    if same_given_name(query, listed):
        return GIVEN_NAME_SIMILARITY, "romanization"
    if (query.text[-2:] == "ff" or listed.text[-2:] == "ff") and same_surname_ending(
        query.text, listed.text
    ):
        return ROMANIZATION, "romanization"
    if query.kind == TokenKind.INITIAL or listed.kind == TokenKind.INITIAL:
        if query.text[0] == listed.text[0]:
            return INITIAL, "initial"
        return 0.0, "missing"
    if len(query.skeleton) >= SKELETON_MIN_LENGTH and query.skeleton == listed.skeleton:
        # Same consonants: a romanisation of the same name when only vowels change
        # (Mohamed/Muhamad) or one side has none (unvocalised Arabic "mhmd"); not when a
        # syllable is added (Putin/Potanin) or the words just share consonants
        # (Cardoso/Credisa). Acronyms (BNK) have too few consonants to qualify.
        unvocalised = query.phonetic == query.skeleton or listed.phonetic == listed.skeleton
        vowels_only = len(query.phonetic) == len(listed.phonetic) and (
            Levenshtein.normalized_similarity(query.phonetic, listed.phonetic)
            >= VOWELS_ONLY_SIMILARITY
        )
        if unvocalised or vowels_only:
            return SKELETON, "romanization"
    if min(len(query.text), len(listed.text)) < FUZZY_MIN_LENGTH:
        return 0.0, "missing"
    if patronymic_meets_surname(query.text, listed.text):
        return 0.0, "missing"  # a surname is not a misspelt patronymic (see patronymics)
    # Typos are edits of the written word (transpositions count once); romanisations are
    # closer in phonetic form: take the better of the two.
    short = min(len(query.text), len(listed.text)) <= SHORT_FUZZY_LENGTH
    similarity = OSA.normalized_similarity(query.text, listed.text)
    if not short:
        # (phonetic forms of short words are too close: yang ~ liang)
        similarity = max(similarity, OSA.normalized_similarity(query.phonetic, listed.phonetic))
    if query.text[0] != listed.text[0] and query.phonetic[0] != listed.phonetic[0]:
        similarity *= FIRST_LETTER_FACTOR
    if similarity >= (SHORT_FUZZY_FLOOR if short else FUZZY_FLOOR):
        return similarity * FUZZY_DISCOUNT, "fuzzy"
    return 0.0, "missing"


TOKEN_SIMILARITY = Feature(
    name="token_similarity",
    title="Word similarity",
    stage=Stage.TOKEN,
    function=token_similarity,
    constants=(
        Constant("EXACT", EXACT, "similarity of two words with the same folded text"),
        Constant("ROMANIZATION", ROMANIZATION, "similarity of two words with one phonetic form"),
        Constant(
            "SHORT_ROMANIZATION",
            SHORT_ROMANIZATION,
            "... when either word is short (Ball ~ BAL): short words share a phonetic form easily",
        ),
        Constant(
            "SHORT_ROMANIZATION_LENGTH",
            SHORT_ROMANIZATION_LENGTH,
            "letters at most for a word to count as short for romanization",
        ),
        Constant(
            "SKELETON", SKELETON, "similarity of two words with one consonant skeleton (mhmd)"
        ),
        Constant(
            "SKELETON_MIN_LENGTH",
            SKELETON_MIN_LENGTH,
            "consonants a skeleton needs to count (acronyms such as BNK have fewer)",
        ),
        Constant(
            "VOWELS_ONLY_SIMILARITY",
            VOWELS_ONLY_SIMILARITY,
            "edit similarity of the phonetic forms (of equal length) above which a shared "
            "skeleton means only vowels differ",
        ),
        Constant("INITIAL", INITIAL, "similarity of an initial and a word it begins"),
        Constant(
            "FUZZY_MIN_LENGTH",
            FUZZY_MIN_LENGTH,
            "letters both words need before spelling differences are forgiven",
        ),
        Constant(
            "SHORT_FUZZY_LENGTH",
            SHORT_FUZZY_LENGTH,
            "letters at most for the shorter word to be compared as written only",
        ),
        Constant("FUZZY_FLOOR", FUZZY_FLOOR, "edit similarity below which two words do not meet"),
        Constant(
            "SHORT_FUZZY_FLOOR",
            SHORT_FUZZY_FLOOR,
            "... when the shorter word has SHORT_FUZZY_LENGTH letters or fewer",
        ),
        Constant(
            "FIRST_LETTER_FACTOR",
            FIRST_LETTER_FACTOR,
            "edit similarity kept when the first letters differ (typos seldom hit them)",
        ),
        Constant(
            "FUZZY_DISCOUNT",
            FUZZY_DISCOUNT,
            "share of its edit similarity a fuzzy meeting keeps (a typo is less than a match)",
        ),
    ),
)
