"""The writing system of a name, read from its characters, as an ISO 15924 code.

Most lists do not say which script a name is written in (the EU gives a language, which does
not fix the script: Serbian, Azerbaijani), so every adapter reads it from the letters. The
script of a letter is the first word of its Unicode character name ("CYRILLIC CAPITAL LETTER
A", "CJK UNIFIED IDEOGRAPH-91D1"); the standard library knows no other way to ask.
"""

from __future__ import annotations

import unicodedata
from collections import Counter

# The first word of a letter's Unicode name, for the scripts sanctions lists use, to ISO 15924.
_SCRIPT_BY_UNICODE_WORD = {
    "LATIN": "Latn",
    "CYRILLIC": "Cyrl",
    "ARABIC": "Arab",
    "GREEK": "Grek",
    "HEBREW": "Hebr",
    "ARMENIAN": "Armn",
    "GEORGIAN": "Geor",
    "HANGUL": "Hang",
    "CJK": "Hani",
    "HIRAGANA": "Hira",
    "KATAKANA": "Kana",
    "THAI": "Thai",
    "DEVANAGARI": "Deva",
    "BENGALI": "Beng",
    "GURMUKHI": "Guru",
    "TAMIL": "Taml",
    "ETHIOPIC": "Ethi",
    "MYANMAR": "Mymr",
    "KHMER": "Khmr",
    "SYRIAC": "Syrc",
    "THAANA": "Thaa",
    "TIBETAN": "Tibt",
    "MONGOLIAN": "Mong",
}
# Letters that belong to no one script: transliteration marks (ʾ ʻ in "Raʾuf") and the
# Japanese length mark ー that both kana use.
_NEUTRAL_WORDS = frozenset({"MODIFIER", "KATAKANA-HIRAGANA"})
# ISO 15924 for "a script not coded here": letters of scripts missing from the table above.
UNCODED = "Zzzz"

_KANA = frozenset({"Hira", "Kana"})
_JAPANESE = frozenset({"Hira", "Kana", "Hani"})
_KOREAN = frozenset({"Hang", "Hani"})


def detect_script(text: str) -> str | None:
    """ISO 15924 code of the script `text` is written in; None without letters or when mixed.

    A script wins when at least three quarters of the letters are in it, so a few stray letters
    of another script do not count: OFSI types Belarusian names with the Latin "I" for the
    Cyrillic "І" ("АЛЯШКЕВIЧ" is Cyrl), while "Agha Jan Alizai اغا جان عالیزی" is two names
    in two scripts and gets None. Japanese that mixes kana with kanji (or both kana) is Jpan,
    Korean that mixes hangul with hanja is Kore. Letters of a script this module does not know
    count against the others and never win.
    """
    if text.isascii():
        return "Latn" if any(char.isalpha() for char in text) else None
    counts = _letter_counts(text)
    if not counts:
        return None
    found = set(counts)
    if found <= _JAPANESE and found & _KANA and len(found) > 1:
        return "Jpan"
    if found == _KOREAN:
        return "Kore"
    script, count = counts.most_common(1)[0]
    if count * 4 < counts.total() * 3 or script == UNCODED:
        return None
    return script


def scripts_in(text: str) -> set[str]:
    """Every script any letter of `text` is written in ("Jin Tiesan (金铁三)": Latn and Hani).

    Letters of scripts without a code here count as `UNCODED`, so that text in such a script is
    never taken for text without letters.
    """
    return set(_letter_counts(text))


def _letter_counts(text: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for char in text:
        if char.isalpha():
            word = unicodedata.name(char, "").split(" ", 1)[0]
            if word not in _NEUTRAL_WORDS:
                counts[_SCRIPT_BY_UNICODE_WORD.get(word, UNCODED)] += 1
    return counts
