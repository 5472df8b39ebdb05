"""Script detection shared by every adapter (`lists.values.scripts`).

The names are real ones from the lists in shared/data/lists (OFSI, UN, EU, OFAC) or, for the
scripts those lists do not use, ordinary words in that script.
"""

from __future__ import annotations

import pytest

from lists.values.scripts import UNCODED, detect_script, scripts_in


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("QASEM SOLEIMANI", "Latn"),
        ("Müller-Lüdenscheidt", "Latn"),  # Latin beyond ASCII
        ("Ахмед Ражапович Чатаев", "Cyrl"),
        ("فیض الله خان نورزی", "Arab"),
        ("אברהם", "Hebr"),
        ("Οργάνωση", "Grek"),
        ("阿不都·哈克", "Hani"),
        ("김영복", "Hang"),
        ("カタカナ", "Kana"),
        ("ひらがな", "Hira"),
        ("สมชาย", "Thai"),
        ("ፍትዊ ዓብዱረዛቕ", "Ethi"),
        ("ბიძინა", "Geor"),
        ("Հայաստան", "Armn"),
        ("नरेन्द्र", "Deva"),
        ("မြန်မာ", "Mymr"),
    ],
)
def test_one_script(text: str, script: str) -> None:
    assert detect_script(text) == script


def test_japanese_and_korean_mixes_have_their_own_codes() -> None:
    assert detect_script("カザン火薬工場") == "Jpan"  # katakana with kanji (OFSI)
    assert detect_script("ひらがなカタカナ") == "Jpan"
    assert detect_script("大韓民國 대한민국") == "Kore"  # hanja with hangul


@pytest.mark.parametrize(
    "text",
    [
        "Agha Jan Alizai اغا جان عالیزی",  # UN: one name in two scripts
        "Taibah International – босненски офиси",  # EU: half Latin, half Cyrillic
        "генерал Nkunda",
    ],
)
def test_mixed_scripts_give_none(text: str) -> None:
    assert detect_script(text) is None


def test_stray_latin_letter_in_belarusian_name_is_still_cyrillic() -> None:
    # OFSI types the Belarusian "І" as the Latin capital I: 1 letter in 9 is Latin.
    name = "АЛЯШКЕВIЧ"
    assert scripts_in(name) == {"Cyrl", "Latn"}
    assert detect_script(name) == "Cyrl"
    assert detect_script("Уладзiмiр Мiкалаевiч") == "Cyrl"  # 4 Latin "i" among 19 letters


def test_three_quarters_is_the_threshold() -> None:
    assert detect_script("АБВz") == "Cyrl"  # exactly three quarters
    assert detect_script("АБz") is None  # two thirds


@pytest.mark.parametrize("text", ["", "123", "7-28", "  ", "(1) / 2.", "٣٤٥", "—·—"])
def test_no_letters_no_script(text: str) -> None:
    assert detect_script(text) is None
    assert scripts_in(text) == set()


def test_transliteration_marks_belong_to_no_script() -> None:
    # ʾ and ʻ are Unicode "MODIFIER LETTER"s: letters, but in no script of their own.
    assert scripts_in("ʿAbd al-Raʾuf") == {"Latn"}
    assert detect_script("ʿAbd al-Raʾuf") == "Latn"


def test_letters_of_uncoded_scripts_count_but_never_win() -> None:
    cherokee = "ᏣᎳᎩ"
    assert scripts_in(cherokee) == {UNCODED}
    assert detect_script(cherokee) is None
    assert detect_script("Tsalagi ᏣᎳᎩ") is None  # 7 Latin letters of 10: not three quarters


def test_scripts_in_lists_every_script() -> None:
    assert scripts_in("Jin Tiesan (金铁三)") == {"Latn", "Hani"}
    assert scripts_in("حسن غول (Hassan Ghul; Hassan Gul)") == {"Arab", "Latn"}
    assert scripts_in("Lord’s Resistance Movement (LRM)") == {"Latn"}
