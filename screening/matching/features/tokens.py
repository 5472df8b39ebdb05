"""How alike two words are: the token similarity every name feature builds on."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein

from screening.matching.features.acronyms import ACRONYM_WORD_MAX_LETTERS, acronym_meeting
from screening.matching.features.given_names import (
    GIVEN_NAME_SIMILARITY,
    given_name_groups,
    same_given_name,
)
from screening.matching.features.model import Constant, Feature, Stage
from screening.matching.features.patronymics import (
    FOREIGN_SURNAME_ENDINGS,
    patronymic_meets_surname,
    same_surname_ending,
)
from screening.matching.normalize import KIND_INITIAL, Token

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

# One listed word's meetings with the query's words: (query position, similarity, how), for the
# query words it meets (similarity above 0) only, by position.
SimilarityRow = tuple[tuple[int, float, str], ...]


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
    if query.kind == KIND_INITIAL or listed.kind == KIND_INITIAL:
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


def similarity_rows(query: Sequence[Token], listed: Sequence[Token]) -> list[SimilarityRow]:
    """`token_similarity` of every query word with every listed word, one row per listed word.

    The same values as calling `token_similarity` on each pair, faster: most pairs meet no way
    (about 95 % on the benchmark), and a pre-filter rejects them without the per-pair Python
    call. A pair is scored in full when it may meet one of `token_similarity`'s ways:

    - *fuzzy*, *exact* or *romanization* by phonetic form: the edit similarity of the written
      or of the phonetic forms reaches the lower fuzzy floor (the first-letter factor only
      lowers it); equal forms have similarity 1. Computed for all pairs at once in C
      (rapidfuzz ``cdist`` with a score cut-off);
    - the other ways, each an equality read from a lookup table per query word: the same
      consonant skeleton, the same given-name group, the same letters with C read as K (an
      acronym), an initial and a word of its first letter, a -off/-eff surname and its -ov/-ev
      form.

    Every other pair gets similarity 0 in `token_similarity` (a property test checks it).
    """
    if not query or not listed:
        return [() for _ in listed]
    # (position in `listed`, query position) of every pair that may meet; rarely a duplicate
    candidates = _fuzzy_pairs(query, listed)
    candidates.extend(_equal_key_pairs(query, listed))
    found: dict[int, list[tuple[int, float, str]]] = {}
    for position, qi in sorted(set(candidates)):
        similarity, how = token_similarity(query[qi], listed[position])
        if similarity > 0:
            found.setdefault(position, []).append((qi, similarity, how))
    return [tuple(found[p]) if p in found else () for p in range(len(listed))]


def _fuzzy_pairs(query: Sequence[Token], listed: Sequence[Token]) -> list[tuple[int, int]]:
    """(listed position, query position) of the pairs whose written or phonetic forms are alike
    enough to meet fuzzily (or equal)."""
    # The lower fuzzy floor (the first-letter factor only lowers a similarity), less a slack
    # for the rounding of the C computation (single precision): a pair let through is scored in
    # full, so a lower cut only costs time, a higher one would change answers.
    cut = min(FUZZY_FLOOR, SHORT_FUZZY_FLOOR) - 1e-3
    written = process.cdist(
        [q.text for q in query],
        [t.text for t in listed],
        scorer=OSA.normalized_similarity,
        score_cutoff=cut,
    )
    sounded = process.cdist(
        [q.phonetic for q in query],
        [t.phonetic for t in listed],
        scorer=OSA.normalized_similarity,
        score_cutoff=cut,
    )
    # (below the cut-off both are 0: a pair survives when either is not)
    query_positions, listed_positions = (written + sounded).nonzero()
    return list(zip(listed_positions.tolist(), query_positions.tolist(), strict=True))


def _equal_key_pairs(query: Sequence[Token], listed: Sequence[Token]) -> list[tuple[int, int]]:
    """(listed position, query position) of the pairs that may meet by an equality rule (see
    `similarity_rows`): a lookup table of the query words' keys per rule, then one pass over the
    listed words (most words meet by no rule). One pass, not one per rule: the loop overhead is
    most of the cost, and the order of the pairs does not matter (`similarity_rows` sorts them)."""
    pairs: list[tuple[int, int]] = []
    skeletons = _positions(
        q.skeleton if len(q.skeleton) >= SKELETON_MIN_LENGTH else None for q in query
    )
    groups = given_name_groups()
    query_groups = _positions(groups.get(q.phonetic) for q in query)
    acronyms = _positions(_acronym_key(q.text) for q in query)
    # -off/-eff written -ov/-ev, on either side
    natives = _positions(_native_ending(q.text) for q in query)
    # an initial and a word of its first letter, on either side
    initials = _positions(q.text[0] if q.kind == KIND_INITIAL else None for q in query)
    for p, t in enumerate(listed):
        text = t.text
        if t.skeleton in skeletons:
            pairs += [(p, qi) for qi in skeletons[t.skeleton]]
        if query_groups:
            group = groups.get(t.phonetic)
            if group in query_groups:
                pairs += [(p, qi) for qi in query_groups[group]]
        if acronyms and len(text) <= ACRONYM_WORD_MAX_LETTERS:
            pairs += [(p, qi) for qi in acronyms.get(text.replace("c", "k"), ())]
        if text in natives:
            pairs += [(p, qi) for qi in natives[text]]
        if text[0] in initials:
            pairs += [(p, qi) for qi in initials[text[0]]]
        # (the listed initials and -off words: both are rare)
        if t.kind == KIND_INITIAL:
            pairs += [(p, qi) for qi, q in enumerate(query) if q.text[0] == text]
        elif text[-2:] == "ff":
            native = _native_ending(text)
            pairs += [(p, qi) for qi, q in enumerate(query) if q.text == native]
    return pairs


def _positions(keys: Iterable[str | None]) -> dict[str | None, list[int]]:
    """Each key (not None) -> the query positions that have it."""
    positions: dict[str | None, list[int]] = {}
    for qi, key in enumerate(keys):
        if key is not None:
            positions.setdefault(key, []).append(qi)
    return positions


def _acronym_key(word: str) -> str | None:
    """The letters of a word short enough to be an acronym, C read as K (see acronym words)."""
    return word.replace("c", "k") if len(word) <= ACRONYM_WORD_MAX_LETTERS else None


def _native_ending(word: str) -> str | None:
    """A -off/-eff word written -ov/-ev (DIMOFF -> dimov), else None (see surname_ending)."""
    if word[-2:] != "ff":
        return None
    for foreign, native in FOREIGN_SURNAME_ENDINGS:
        if word.endswith(foreign):
            return word[: -len(foreign)] + native
    return None


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
