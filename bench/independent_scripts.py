"""Script conversions of the second benchmark (bench/independent_set.py), from published standards.

Written from the standards themselves, not from the first benchmark's code:

- ``icao_latin``: ICAO Doc 9303 (Machine Readable Travel Documents, 7th ed. 2015), Part 3,
  section 6, the transliteration of Cyrillic for the machine readable zone. It is what Russian
  and Ukrainian passports print since 2013 (Юлия -> IULIIA, Щ -> SHCH, Ъ -> IE, Ь omitted),
  so a bank customer's name often arrives in this spelling while the lists use BGN/PCGN-like
  spellings (YULIYA).
- ``to_cyrillic``: a Latin name written back in Cyrillic, reading the English-language
  romanisation the lists use (BGN/PCGN-like: zh, kh, ts, ch, sh, shch, yu, ya, ye, -iy, -yy).
- ``hepburn``: the katakana of Japan's MOF list in passport Hepburn (the Ministry of Foreign
  Affairs' 外務省ヘボン式: long vowels not written, ン as M before B/M/P, ッ doubles the next
  consonant, ッチ -> TCH), the romanisation Japanese banks use when a kana account name has to
  go into an international payment.
- ``half_width``: katakana in the half-width forms of JIS X 0201 (ｶﾀｶﾅ, dakuten as a separate
  ﾞ), the form Japanese domestic bank transfers (Zengin) carry account names in.
"""

from __future__ import annotations

import re
import unicodedata

# --------------------------------------------------------------------------------------------
# ICAO 9303 Cyrillic -> Latin (Russian, Ukrainian, Belarusian letters of the table)
# --------------------------------------------------------------------------------------------

_ICAO = {
    "А": "A", "Б": "B", "В": "V", "Г": "G", "Ґ": "G", "Д": "D", "Е": "E", "Ё": "E", "Є": "IE",
    "Ж": "ZH", "З": "Z", "И": "I", "І": "I", "Ї": "I", "Й": "I", "К": "K", "Л": "L", "М": "M",
    "Н": "N", "О": "O", "П": "P", "Р": "R", "С": "S", "Т": "T", "У": "U", "Ў": "U", "Ф": "F",
    "Х": "KH", "Ц": "TS", "Ч": "CH", "Ш": "SH", "Щ": "SHCH", "Ъ": "IE", "Ы": "Y", "Ь": "",
    "Э": "E", "Ю": "IU", "Я": "IA",
}  # fmt: skip


def icao_latin(text: str) -> str:
    """Cyrillic letters in ICAO 9303 Latin (upper case, as the passport zone prints them)."""
    return "".join(_ICAO.get(char, char) for char in text.upper())


# --------------------------------------------------------------------------------------------
# Latin (list romanisation) -> Cyrillic
# --------------------------------------------------------------------------------------------

# Longest sequences first; each entry is (Latin, Cyrillic).
_TO_CYRILLIC = (
    ("shch", "щ"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"),
    ("yu", "ю"), ("ya", "я"), ("ye", "е"), ("yo", "ё"), ("iy", "ий"), ("yy", "ый"),
    ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"),
    ("i", "и"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"),
    ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("f", "ф"), ("h", "х"), ("c", "к"),
    ("x", "кс"), ("w", "в"), ("q", "к"), ("j", "дж"), ("'", "ь"),
)  # fmt: skip
_VOWELS = set("aeiouy")


def _cyrillic_word(word: str) -> str:
    lower = word.lower()
    out: list[str] = []
    i = 0
    while i < len(lower):
        # A "y" after a vowel is the short i (Sergey -> Сергей), after a consonant the hard ы.
        if lower[i] == "y" and lower[i + 1 : i + 2] not in {"u", "a", "e", "o"}:
            out.append("й" if i and lower[i - 1] in _VOWELS else "ы")
            i += 1
            continue
        for latin, cyrillic in _TO_CYRILLIC:
            if lower.startswith(latin, i):
                out.append(cyrillic)
                i += len(latin)
                break
        else:
            out.append(lower[i])
            i += 1
    text = "".join(out)
    if word.isupper() and len(word) > 1:
        return text.upper()
    return text[:1].upper() + text[1:] if word[:1].isupper() else text


def to_cyrillic(text: str) -> str:
    """A romanised Russian/Ukrainian/Belarusian name written back in Cyrillic letters."""
    return re.sub(r"[A-Za-z']+", lambda m: _cyrillic_word(m.group(0)), text)


# --------------------------------------------------------------------------------------------
# Katakana -> passport Hepburn
# --------------------------------------------------------------------------------------------

_KANA_ROWS = {
    "ア": "a", "イ": "i", "ウ": "u", "エ": "e", "オ": "o",
    "カ": "ka", "キ": "ki", "ク": "ku", "ケ": "ke", "コ": "ko",
    "ガ": "ga", "ギ": "gi", "グ": "gu", "ゲ": "ge", "ゴ": "go",
    "サ": "sa", "シ": "shi", "ス": "su", "セ": "se", "ソ": "so",
    "ザ": "za", "ジ": "ji", "ズ": "zu", "ゼ": "ze", "ゾ": "zo",
    "タ": "ta", "チ": "chi", "ツ": "tsu", "テ": "te", "ト": "to",
    "ダ": "da", "ヂ": "ji", "ヅ": "zu", "デ": "de", "ド": "do",
    "ナ": "na", "ニ": "ni", "ヌ": "nu", "ネ": "ne", "ノ": "no",
    "ハ": "ha", "ヒ": "hi", "フ": "fu", "ヘ": "he", "ホ": "ho",
    "バ": "ba", "ビ": "bi", "ブ": "bu", "ベ": "be", "ボ": "bo",
    "パ": "pa", "ピ": "pi", "プ": "pu", "ペ": "pe", "ポ": "po",
    "マ": "ma", "ミ": "mi", "ム": "mu", "メ": "me", "モ": "mo",
    "ヤ": "ya", "ユ": "yu", "ヨ": "yo",
    "ラ": "ra", "リ": "ri", "ル": "ru", "レ": "re", "ロ": "ro",
    "ワ": "wa", "ヰ": "i", "ヱ": "e", "ヲ": "o", "ン": "n", "ヴ": "bu",
    "ァ": "a", "ィ": "i", "ゥ": "u", "ェ": "e", "ォ": "o",
}  # fmt: skip
# Two-kana sounds: the yoon (キャ) and the extended katakana for foreign sounds (ファ, ティ).
_KANA_PAIRS = {
    "キャ": "kya", "キュ": "kyu", "キョ": "kyo", "ギャ": "gya", "ギュ": "gyu", "ギョ": "gyo",
    "シャ": "sha", "シュ": "shu", "ショ": "sho", "ジャ": "ja", "ジュ": "ju", "ジョ": "jo",
    "チャ": "cha", "チュ": "chu", "チョ": "cho", "ニャ": "nya", "ニュ": "nyu", "ニョ": "nyo",
    "ヒャ": "hya", "ヒュ": "hyu", "ヒョ": "hyo", "ビャ": "bya", "ビュ": "byu", "ビョ": "byo",
    "ピャ": "pya", "ピュ": "pyu", "ピョ": "pyo", "ミャ": "mya", "ミュ": "myu", "ミョ": "myo",
    "リャ": "rya", "リュ": "ryu", "リョ": "ryo", "シェ": "she", "ジェ": "je", "チェ": "che",
    "ファ": "fa", "フィ": "fi", "フェ": "fe", "フォ": "fo", "ティ": "ti", "ディ": "di",
    "トゥ": "tu", "ドゥ": "du", "ウィ": "wi", "ウェ": "we", "ウォ": "wo", "ヴァ": "ba",
    "ヴィ": "bi", "ヴェ": "be", "ヴォ": "bo", "ツァ": "tsa", "デュ": "dyu", "テュ": "tyu",
    "イェ": "ye", "クァ": "kua", "グァ": "gua",
}  # fmt: skip
_SEPARATORS = "・･=＝ 　"


def hepburn(katakana: str) -> str:
    """A katakana name in passport Hepburn, upper case, words split at the list's ・."""
    words = [w for w in re.split(f"[{_SEPARATORS}]+", katakana) if w]
    return " ".join(filter(None, (_hepburn_word(w) for w in words)))


def _hepburn_word(word: str) -> str:
    syllables: list[str] = []
    i = 0
    double_next = False
    while i < len(word):
        pair, char = word[i : i + 2], word[i]
        if char == "ッ":
            double_next = True
            i += 1
            continue
        if char == "ー":  # passport Hepburn writes no long vowels
            i += 1
            continue
        sound = _KANA_PAIRS.get(pair)
        step = 2 if sound else 1
        sound = sound or _KANA_ROWS.get(char, "")
        if double_next and sound:
            sound = ("t" if sound.startswith("ch") else sound[0]) + sound
        double_next = False
        syllables.append(sound)
        i += step
    text = ""
    for sound in syllables:
        # ン before b, m, p is written M in passport Hepburn (Shimbashi, Namba).
        if text.endswith("n") and sound[:1] in {"b", "m", "p"}:
            text = text[:-1] + "m"
        text += sound
    return text.upper()


# --------------------------------------------------------------------------------------------
# Full-width -> half-width katakana (JIS X 0201)
# --------------------------------------------------------------------------------------------


def _half_width_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for code in range(0xFF61, 0xFFA0):
        half = chr(code)
        full = unicodedata.normalize("NFKC", half)
        if len(full) == 1 and full != half:
            table.setdefault(full, half)
    return table


_HALF = _half_width_table()
_VOICED = {"\u3099": "\uff9e", "\u309a": "\uff9f"}  # combining (han)dakuten -> ﾞ ﾟ


def half_width(text: str) -> str:
    """Katakana in half-width forms: ガ -> ｶﾞ, ・ -> ･, ー -> ｰ; other characters unchanged."""
    out: list[str] = []
    for char in unicodedata.normalize("NFD", text):
        out.append(_VOICED.get(char) or _HALF.get(char, char))
    return unicodedata.normalize("NFC", "".join(out))


def is_katakana(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all("\u30a0" <= c <= "\u30ff" for c in letters)


def is_cyrillic(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all("\u0400" <= c <= "\u04ff" for c in letters)
