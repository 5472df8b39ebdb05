"""Names into comparable tokens: one script, one case, one spelling of each sound.

Every listed name and every query go through the same steps, so that the matcher compares like
with like:

1. ``fold``: Unicode NFKC, transliteration of any script to Latin (``anyascii``: Cyrillic,
   Greek, Arabic, Hebrew, CJK, Hangul ...), case folding, diacritics and apostrophes removed,
   punctuation to spaces. CJK and Hangul syllables become separate tokens. Kana (Japanese
   katakana and hiragana) is syllabic script that writes whole words, mostly foreign names
   (ノビコムバンク, Novikombank): a run of kana is one word, romanised by passport Hepburn
   (`romanize_kana`), the spelling of Japanese passports and of MOF's own Latin names.
2. ``tokenize``: titles and honorifics dropped; legal forms in any language and script
   (OOO, ООО, LLC, "limited liability company", TOO, AO, PJSC, GmbH, A.S., Ltd Sti, FZE ...)
   recognised and replaced by one canonical form, marked as legal forms so they never make a
   match by themselves. The word tables are package data (`screening.matching.vocabulary`).
3. ``phonetic`` and ``skeleton``: keys that absorb alternate romanisations. ``phonetic`` keeps
   vowels but merges spellings of one sound (Aleksandr/Alexander, Yevgeny/Evgeniy, kh/h, -iy/-y);
   ``skeleton`` keeps the first letter and the consonants (Mohammed, Muhammad, Mohamed -> mhmd),
   which is also what an unvocalised Arabic-script name transliterates to.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from enum import StrEnum
from functools import cache, lru_cache
from typing import NamedTuple

from anyascii import anyascii
from rapidfuzz.distance import OSA

from lists.model import Schema
from screening.matching.vocabulary import honorifics, kana_hepburn, legal_forms, vessel_prefixes


class TokenKind(StrEnum):
    WORD = "word"
    LEGAL_FORM = "legal_form"
    INITIAL = "initial"


# The kinds as the plain strings `Token.kind` holds. The matcher compares kinds in every hot
# loop, and reading an enum member (TokenKind.WORD) costs several times a module constant.
KIND_WORD: str = TokenKind.WORD.value
KIND_LEGAL_FORM: str = TokenKind.LEGAL_FORM.value
KIND_INITIAL: str = TokenKind.INITIAL.value


class Token(NamedTuple):
    """One word of a name. A tuple (not a dataclass) so the persisted index loads fast."""

    text: str  # folded Latin text
    kind: str  # a TokenKind value
    phonetic: str
    skeleton: str


_APOSTROPHES = re.compile(r"['’‘`´ʻʼʹ]")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def _is_ideographic(char: str) -> bool:
    if ord(char) < 0x2E80:
        return False
    name = unicodedata.name(char, "")
    return name.startswith(("CJK", "HANGUL", "HIRAGANA", "KATAKANA"))


def is_ideographic(text: str) -> bool:
    """Whether the text has Chinese, Japanese or Korean characters."""
    # Most names have no character from U+2E80 on: one `max` answers them without a loop.
    return bool(text) and max(text) >= "\u2e80" and any(_is_ideographic(c) for c in text)


# A run of katakana or hiragana (with the long-vowel mark ー and the iteration marks), but not the
# middle dot ・ that separates the words of a foreign name.
_KANA_RUN = re.compile(r"([\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fc-\u30fe]+)")
_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in range(0x3041, 0x3097)}
_SMALL_TSU = "ッ"  # sokuon: the next consonant is doubled
_SYLLABIC_N = "ン"
_LONG_VOWEL_MARK = "ー"
# Passport Hepburn writes no long vowel: おお/おう -> O, うう -> U (MOFA, ヘボン式ローマ字綴方表).
_PASSPORT_LONG_VOWELS = re.compile(r"o[ou]|uu")


@lru_cache(maxsize=16384)
def romanize_kana(run: str) -> str:
    """A run of kana in passport Hepburn, the romanisation of Japanese passports (MOFA).

    Syllables from ``kana_hepburn.csv`` (the longest, kana plus small kana, first); ッ doubles
    the next consonant (ッチ -> tch); ン is n, m before b, m, p; long vowels are not written
    (ー dropped, oo/ou -> o, uu -> u); hiragana reads as the katakana of the same sound. A kana
    the table lacks keeps anyascii's spelling, so no letter is dropped silently.
    """
    table = kana_hepburn()
    run = run.translate(_HIRAGANA_TO_KATAKANA)
    syllables: list[str] = []
    double_next = False
    index = 0
    while index < len(run):
        kana = run[index : index + 2] if run[index : index + 2] in table else run[index]
        index += len(kana)
        if kana == _LONG_VOWEL_MARK:
            continue
        if kana == _SMALL_TSU:
            double_next = True
            continue
        syllable = table.get(kana) or anyascii(kana)
        if double_next and syllable[:1] not in ("", "a", "e", "i", "o", "u", "n"):
            syllable = ("t" if syllable.startswith("ch") else syllable[0]) + syllable
        double_next = False
        if syllables and syllables[-1] == "n" and syllable[:1] in ("b", "m", "p"):
            syllables[-1] = "m"
        syllables.append(syllable)
    return _PASSPORT_LONG_VOWELS.sub(lambda m: m.group(0)[0], "".join(syllables))


def _ideographs_to_latin(text: str) -> str:
    """Kana runs as one passport-Hepburn word each; other ideographic characters one by one."""
    # (split with a capturing group: the kana runs are the odd pieces; Latin letters and
    # digits between ideographs stay together: JSC ノビコムバンク keeps its word JSC)
    pieces = _KANA_RUN.split(text)
    return " ".join(
        romanize_kana(piece)
        if odd
        else "".join(f" {anyascii(c)} " if _is_ideographic(c) else c for c in piece)
        for odd, piece in zip(itertools.cycle((False, True)), pieces)
    )


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Latin, lower-case, unaccented, punctuation-free form of a name; tokens space-separated."""
    text = unicodedata.normalize("NFKC", text)
    # Ideographic syllables are words of their own: transliterate them one by one; a run of
    # kana is one word.
    if is_ideographic(text):
        text = _ideographs_to_latin(text)
    latin = anyascii(text).lower()
    latin = _APOSTROPHES.sub("", latin)
    return " ".join(_NON_ALNUM.split(latin)).strip()


# Spelling variants of one sound across romanisation systems (applied in order), each with a
# letter sequence it cannot match without: a rule whose sequence is not in the word is skipped
# (most words meet few rules, and a substring test is much cheaper than a regex pass).
_PHONETIC_RULES: list[tuple[str, re.Pattern[str], str]] = [
    (needed, re.compile(p), r)
    for needed, p, r in [
        ("ch", r"shch|sch", "sh"),
        ("tch", r"tch", "ch"),
        ("d", r"dzh|dj", "j"),
        ("zh", r"zh", "j"),
        ("kh", r"kh", "h"),
        ("gh", r"gh", "g"),
        ("ph", r"ph", "f"),
        ("th", r"th", "t"),
        ("ck", r"ck", "k"),
        ("q", r"q", "k"),
        ("x", r"x", "ks"),
        ("w", r"w", "v"),
        ("t", r"ts|tz", "c"),
        ("c", r"c(?!h)", "k"),
        ("ye", r"^ye", "e"),
        ("yo", r"^yo", "o"),
        ("y", r"(?<=[aeiou])y(?=[aeiou])", "i"),
        ("", r"iy$|yy$|ii$|ij$|yi$", "i"),
        ("y", r"y", "i"),
        ("o", r"ou|oo", "u"),
        ("ee", r"ee", "i"),
        ("ie", r"ie$", "i"),
        ("", r"(.)\1+", r"\1"),
    ]
]
_VOWELS = re.compile(r"[aeiouy]")


@lru_cache(maxsize=131072)
def phonetic(word: str) -> str:
    """One spelling per sound: aleksandr/alexander -> aleksandr, yevgeniy/evgeny -> evgeni."""
    for needed, pattern, replacement in _PHONETIC_RULES:
        if needed in word:
            word = pattern.sub(replacement, word)
    return word


@lru_cache(maxsize=131072)
def skeleton(word: str) -> str:
    """First letter and consonants of the phonetic form: mohammed/muhammad/mhmd -> mhmd."""
    key = phonetic(word)
    if not key:
        return key
    rest = _VOWELS.sub("", key[1:])
    return re.sub(r"(.)\1+", r"\1", key[0] + rest)


def _token(text: str, kind: str) -> Token:
    return Token(text, kind, phonetic(text), skeleton(text))


@lru_cache(maxsize=65536)
def tokenize(name: str, schema: Schema | None = None) -> tuple[Token, ...]:
    """The tokens of a name, with legal forms canonical and honorifics removed."""
    words = fold(name).split()
    if not words:
        return ()
    tokens: list[Token] = []
    index = 0
    is_person = schema is Schema.PERSON
    # A Korean or Chinese syllable of one letter (O, I) is a name, not an initial.
    initials_possible = not is_ideographic(name)
    if not is_person:
        words = [_legal_word(w) for w in _without_vessel_prefix(words)]
    while index < len(words):
        if not is_person:
            matched = _legal_form_at(words, index)
            if matched is not None:
                length, canonical = matched
                tokens.extend(_token(part, KIND_LEGAL_FORM) for part in canonical.split())
                index += length
                continue
        word = words[index]
        index += 1
        if schema is not Schema.ORGANIZATION and word in honorifics() and len(words) > 2:
            continue
        initial = initials_possible and len(word) == 1 and word.isalpha()
        kind = KIND_INITIAL if initial else KIND_WORD
        tokens.append(_token(word, kind))
    if all(t.kind == KIND_LEGAL_FORM for t in tokens):
        # A name that is only a legal form ("AO") keeps its words as words.
        return tuple(_token(w, KIND_WORD) for w in words)
    return tuple(tokens)


@lru_cache(maxsize=65536)
def _legal_word(word: str) -> str:
    """The legal-form word a long word is one typo away from, else the word itself."""
    long_words = legal_forms().long_words
    if len(word) < 6 or word in long_words:
        return word
    # In sorted order: a word one typo from two legal-form words gets the same one in every
    # process (a frozenset's order changes with the hash seed).
    for legal in _long_words_near(len(word)):
        if OSA.distance(word, legal, score_cutoff=1) <= 1:
            return legal
    return word


@cache
def _sorted_long_words() -> tuple[str, ...]:
    return tuple(sorted(legal_forms().long_words))


@cache
def _long_words_near(length: int) -> tuple[str, ...]:
    """The legal-form long words one typo can reach from a word of this length (a letter more
    or fewer at most), in sorted order: made once per length, not tested word by word for
    every word of every organisation's name."""
    return tuple(w for w in _sorted_long_words() if abs(len(w) - length) <= 1)


def _without_vessel_prefix(words: list[str]) -> list[str]:
    """The words after a ship-type prefix (M/V NASHA, MT NEGA), which is not part of the name."""
    prefixes = vessel_prefixes()
    if len(words) > 2 and (words[0], words[1]) in prefixes.pairs:
        return words[2:]
    if len(words) > 1 and words[0] in prefixes.single:
        return words[1:]
    return words


def _legal_form_at(words: list[str], index: int) -> tuple[int, str] | None:
    """(words used, canonical form) of the longest legal-form phrase at `index`, if any."""
    forms = legal_forms()
    for length in range(min(forms.longest, len(words) - index), 0, -1):
        canonical = forms.by_words.get(tuple(words[index : index + length]))
        if canonical is not None:
            # One-letter forms ("s a", "b v") only at the end of a name, where they are forms.
            single_letters = all(len(w) == 1 for w in words[index : index + length])
            if length > 1 and single_letters and index + length != len(words):
                continue
            # Short ambiguous words (as, co, sa, ab, ag, kk) only as the first or last word.
            if length == 1 and len(words[index]) <= 2 and 0 < index < len(words) - 1:
                continue
            return length, canonical
    return None


def joined(tokens: tuple[Token, ...]) -> str:
    """The name's words (not legal forms) written together: GAZPROM BANK -> gazprombank."""
    return "".join(t.phonetic for t in tokens if t.kind != KIND_LEGAL_FORM)
