"""Set A's katakana kind: names MOF lists in katakana, romanised as people write them.

Japan's Ministry of Finance lists every name in Japanese (日本語表記, katakana for foreign names:
ノビコムバンク) and in English (英語表記: NOVIKOMBANK). A screener meets the katakana name in
Latin letters when a Japanese document (a passport, a bank's records) romanises it. This module
romanises the listed katakana by one of five documented systems, chosen per entry at random:

=================  ===========================================================================
passport           MOFA passport Hepburn (旅券法施行規則, ヘボン式ローマ字綴方表): long vowels
                   not written (ー dropped, oo/ou -> o, uu -> u); ン is m before b, m, p;
                   ッ doubles the next consonant, tch before ch
passport_oh        the same, with a long o written OH (allowed on request since 2000)
revised_hepburn    Revised (3rd edition) Hepburn typed without macrons: ン is always n, long
                   vowels single
wapuro             word-processor input: long vowels doubled (ウラジーミル -> URAJIIMIRU), ン n
kunrei             Kunrei-shiki (Cabinet Notice 1 of 1954, ISO 3602) without circumflexes:
                   si, ti, tu, hu, zi, sya, tya ...
=================  ===========================================================================

The syllables are built from the gojūon grid (a row's consonant and a vowel, Kunrei-shiki)
with each system's exceptions; kana for foreign sounds (Cabinet Notice 2 of 1991, 外来語の
表記: ヴィ, ティ, ファ, シェ) join the consonant of a kana to the vowel of the small kana after
it. Written from those documents, not from the engine's table (screening/data/kana_hepburn.csv),
so that the benchmark does not test the engine against itself.
"""

from __future__ import annotations

import random
import re

SYSTEMS = ("passport", "passport_oh", "revised_hepburn", "wapuro", "kunrei")

_VOWELS = "aiueo"
# Each gojūon row (in a-i-u-e-o order) and its consonant in Kunrei-shiki.
_ROWS = {
    "アイウエオ": "",
    "カキクケコ": "k",
    "ガギグゲゴ": "g",
    "サシスセソ": "s",
    "ザジズゼゾ": "z",
    "タチツテト": "t",
    "ダヂヅデド": "z",  # Kunrei writes ヂ ヅ as zi zu
    "ナニヌネノ": "n",
    "ハヒフヘホ": "h",
    "バビブベボ": "b",
    "パピプペポ": "p",
    "マミムメモ": "m",
    "ラリルレロ": "r",
}
_KUNREI: dict[str, str] = {
    kana: consonant + vowel
    for row, consonant in _ROWS.items()
    for kana, vowel in zip(row, _VOWELS, strict=True)
}
_KUNREI.update({"ヤ": "ya", "ユ": "yu", "ヨ": "yo", "ワ": "wa", "ヲ": "o", "ヴ": "vu"})
_KUNREI.update({"ダ": "da", "デ": "de", "ド": "do", "ヰ": "i", "ヱ": "e"})
# Hepburn's exceptions to the grid (the same in every Hepburn system).
_HEPBURN = {"si": "shi", "ti": "chi", "tu": "tsu", "hu": "fu", "zi": "ji"}
_HEPBURN_ONSET = {"sy": "sh", "ty": "ch", "zy": "j"}  # before a, u, o of a small ャ ュ ョ
_SMALL_Y = {"ャ": "a", "ュ": "u", "ョ": "o"}
_SMALL_VOWEL = {"ァ": "a", "ィ": "i", "ゥ": "u", "ェ": "e", "ォ": "o"}
_WORD_BREAKS = re.compile(r"[\s・＝=･]+")
_KANA_ONLY = re.compile(r"^[\u30a1-\u30fa\u30fc\s・＝=･]+$")


def is_katakana_name(text: str) -> bool:
    """Whether a listed name is written in katakana only (with its word separators)."""
    return bool(_KANA_ONLY.match(text)) and any("\u30a1" <= c <= "\u30fa" for c in text)


def _syllables(word: str, hepburn: bool) -> list[str]:
    """The word's syllables in Kunrei-shiki or Hepburn, with ッ and ー kept as marks."""
    out: list[str] = []
    for char in word:
        if char in _SMALL_Y and out and out[-1].endswith("i") and len(out[-1]) > 1:
            onset = out[-1][:-1]
            # (Kunrei spelt the previous kana: shi -> sh, chi -> ch, ji -> j already have it)
            onset = {"sh": "sy", "ch": "ty", "j": "zy"}.get(onset, onset + "y")
            if hepburn:
                onset = _HEPBURN_ONSET.get(onset, onset)
            out[-1] = onset + _SMALL_Y[char]
        elif char in _SMALL_VOWEL and out and out[-1] not in ("ッ", "ー"):
            previous = out[-1]
            onset = previous[:-1] or {"u": "w", "i": "y"}.get(previous, "")
            if onset == "ts" and not hepburn:
                onset = "t"
            out[-1] = onset + _SMALL_VOWEL[char]
        elif char in ("ッ", "ー", "ン"):
            out.append(char)
        elif char in _KUNREI:
            syllable = _KUNREI[char]
            out.append(_HEPBURN.get(syllable, syllable) if hepburn else syllable)
        else:  # a small kana alone, or a kana outside the grid: its vowel
            out.append(_SMALL_Y.get(char) or _SMALL_VOWEL.get(char, ""))
    return out


def romanize_word(word: str, system: str) -> str:
    """One katakana word in one of `SYSTEMS`, lower case."""
    syllables = _syllables(word, hepburn=system != "kunrei")
    text = ""
    for index, syllable in enumerate(syllables):
        following = next((s for s in syllables[index + 1 :] if s not in ("ー",)), "")
        if syllable == "ッ":
            consonant = following[:1] if following[:1] not in ("", *_VOWELS) else ""
            text += "t" if following.startswith("ch") else consonant
        elif syllable == "ー":
            vowel = text[-1:] if text[-1:] in _VOWELS else ""
            if system == "wapuro":
                text += vowel
            elif system == "passport_oh" and vowel == "o":
                text += "h"
        elif syllable == "ン":
            labial = system in ("passport", "passport_oh") and following[:1] in ("b", "m", "p")
            text += "m" if labial else "n"
        else:
            text += syllable
    if system in ("passport", "passport_oh"):
        text = re.sub(r"o[ou]|uu", lambda m: m.group(0)[0], text)
    return text


def romanize(name: str, rng: random.Random) -> tuple[str, str] | None:
    """(the name in upper-case Latin, the system used), or None when it is not katakana."""
    if not is_katakana_name(name):
        return None
    system = rng.choice(SYSTEMS)
    words = [romanize_word(w, system) for w in _WORD_BREAKS.split(name.strip()) if w]
    latin = " ".join(w for w in words if w).upper()
    return (latin, system) if latin else None
