"""METI End User List cells to model values: names, aliases, concern types, country.

METI writes several values into one cell, one per line: the country in Japanese and in English,
the concern types in Japanese words and in letter codes, a name in Latin letters followed by the
same name in Chinese characters in brackets, aliases as "・" bullet lines. These helpers take such
cells apart line by line; what they cannot read is returned as "unread" so that the caller keeps
it as a remark and reports it, never dropping it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from lists.values.countries import to_iso2
from lists.values.scripts import scripts_in

BULLET = "・"
# Half-width and full-width brackets: METI uses both, sometimes in one cell.
_OPENERS = "(（"
_CLOSERS = ")）"

# The concern types, keyed by METI's letter code: the Japanese word the cell spells it with and
# the program name an entity carries. "Type of WMD" holds B, C, M, N; "Conventional Weapons" CW.
CONCERNS: dict[str, tuple[str, str]] = {
    "B": ("生物", "Biological (B)"),
    "C": ("化学", "Chemical (C)"),
    "M": ("ミサイル", "Missile (M)"),
    "N": ("核", "Nuclear (N)"),
    "CW": ("通常兵器", "Conventional Weapons (CW)"),
}
_CODE_BY_WORD = {word: code for code, (word, _) in CONCERNS.items()}
# Longest first, so that no word is found inside a longer one.
_CONCERN_WORD = re.compile("|".join(sorted(map(re.escape, _CODE_BY_WORD), key=len, reverse=True)))
_CONCERN_CODE = re.compile(r"[A-Z]+")
# What may stand between the words and codes: commas (Latin and Japanese) and whitespace.
_CONCERN_SEPARATORS = re.compile(r"[\s,、・/]+")


def lines(text: str) -> list[str]:
    """The non-blank lines of a cell, each stripped (ideographic spaces included)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def unbracketed(line: str) -> str | None:
    """The text inside brackets that enclose the whole line ("(平壌貿易会社)"), else None.

    Only when the bracket opened first closes last: "((朝鮮)順和江貿易会社)" gives
    "(朝鮮)順和江貿易会社", while "(Korea) Sunhwagang Trading Co." is not bracketed.
    """
    if len(line) < 2 or line[0] not in _OPENERS or line[-1] not in _CLOSERS:
        return None
    depth = 0
    for index, char in enumerate(line):
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth -= 1
            if depth == 0 and index < len(line) - 1:
                return None
    return line[1:-1].strip() or None


def has_other_script(text: str) -> bool:
    """Whether `text` has letters of a script other than Latin (Chinese, kana, Cyrillic ...)."""
    return bool(scripts_in(text) - {"Latn"})


def split_original(line: str) -> tuple[str, str | None]:
    """A Latin name followed by its original in brackets on the same line, as two names.

    "ICGOO ELECTRONICS LIMITED（創新在線電子有限公司）" -> ("ICGOO ELECTRONICS LIMITED",
    "創新在線電子有限公司"); "Nanjing University of Science and Technology（NUST）（南京理工大学）"
    keeps "（NUST）" with the Latin name. A line that is not of this shape is returned whole.
    """
    if not line or line[-1] not in _CLOSERS:
        return line, None
    depth = 0
    for start in range(len(line) - 1, -1, -1):
        if line[start] in _CLOSERS:
            depth += 1
        elif line[start] in _OPENERS:
            depth -= 1
            if depth == 0:
                break
    else:
        return line, None
    latin, original = line[:start].strip(), line[start + 1 : -1].strip()
    if latin and original and has_other_script(original) and not has_other_script(latin):
        return latin, original
    return line, None


def _names_in_line(line: str) -> list[str]:
    """The names one line gives: itself, its bracketed content, or a Latin name and original."""
    latin, original = split_original(line)
    if original is not None:
        return [latin, original]
    return [unbracketed(line) or line] if has_other_script(line) else [line]


@dataclass
class NameCell:
    """The "Company or Organization" cell: the name in Latin letters and in its own script."""

    latin: str
    other_scripts: list[str] = field(default_factory=list)


def name_cell(text: str) -> NameCell:
    """Split the name cell: Latin lines make one name, each line in another script is a name.

    METI breaks long Latin names over two lines ("... RESEARCH AND" / "PRODUCTION CORPORATION
    ...") and puts an abbreviation on a line of its own ("（KIPAS）"): both continue the name.
    A line with Chinese characters or kana is the name written in them, usually in brackets
    ("(朝鮮中央銀行)"); the brackets are removed. Eleven entries write both on one line,
    "ICGOO ELECTRONICS LIMITED（創新在線電子有限公司）": split into the two names.
    """
    latin: list[str] = []
    others: list[str] = []
    for line in lines(text):
        for name in _names_in_line(line):
            (others if has_other_script(name) else latin).append(name)
    return NameCell(latin=" ".join(latin), other_scripts=others)


def alias_cell(text: str) -> list[str]:
    """The aliases of an "Also Known As" cell, in file order.

    Each "・" line is an alias. A line without the bullet is
    - the preceding alias written in Chinese characters or kana when it has such letters
      ("(鴨緑江開発銀行)" under "・Amroggang Development Bank"), an alias of its own;
    - the continuation of the preceding alias otherwise (METI wraps long names:
      "・Aktsionernoe Obshchestvo Uralskiy Zavod Transportnogo" / "Mashinostroeniya");
    - an alias of its own when the cell has no bullet at all ("YINKE ELECTRONICS CO., LTD").
    """
    found = lines(text)
    bulleted = any(line.startswith(BULLET) for line in found)
    aliases: list[str] = []
    continues = False  # whether the last alias may continue on the next line
    for line in found:
        if line.startswith(BULLET):
            named = _names_in_line(line[len(BULLET) :].strip()) if line.strip(BULLET) else []
            aliases.extend(named)
            continues = len(named) == 1 and not has_other_script(named[0])
        elif has_other_script(line):
            aliases.extend(_names_in_line(line))
            continues = False
        elif bulleted and continues:
            aliases[-1] = f"{aliases[-1]} {line}"
        else:
            aliases.append(line)
            continues = bulleted
    return aliases


@dataclass
class Concerns:
    """The concern codes a cell states (METI's order kept) and any text not understood."""

    codes: list[str] = field(default_factory=list)
    unread: str = ""
    disagreement: str = ""


def concerns(text: str) -> Concerns:
    """Read "生物、化学、ミサイル、核\\nB,C,M,N" (or "ミサイルM", "核\\nＮ") into codes.

    Full-width letters are folded (NFKC). The Japanese words and the letter codes say the same
    thing twice; both are read, and when they disagree the union is kept and the disagreement
    returned for a warning. Anything else in the cell is returned as unread.
    """
    folded = unicodedata.normalize("NFKC", text)
    from_words = [_CODE_BY_WORD[word] for word in _CONCERN_WORD.findall(folded)]
    rest = _CONCERN_WORD.sub(" ", folded)
    letters = _CONCERN_CODE.findall(rest)
    from_letters = [code for code in letters if code in CONCERNS]
    unknown = [code for code in letters if code not in CONCERNS]
    leftover = _CONCERN_SEPARATORS.sub("", _CONCERN_CODE.sub(" ", rest))
    result = Concerns(codes=[code for code in CONCERNS if code in {*from_words, *from_letters}])
    if unknown or leftover:
        result.unread = " ".join(text.split())
    if from_words and from_letters and set(from_words) != set(from_letters):
        result.disagreement = (
            f"the words say {','.join(sorted(set(from_words)))}, "
            f"the codes {','.join(sorted(set(from_letters)))}"
        )
    return result


def program(code: str) -> str:
    return CONCERNS[code][1]


@dataclass
class Country:
    """The ISO codes a "Country or Region" cell names, and whether its lines disagree."""

    codes: list[str]
    unread: list[str]


def country(text: str) -> Country:
    """Read "イラン\\nIslamic Republic of Iran": every line that names a country gives its code.

    Both lines normally give the same code; a line that names no country known here is
    returned as unread ("Republic of Lebanon" is not, but its Japanese line "レバノン" is).
    """
    codes: list[str] = []
    unread: list[str] = []
    for line in lines(text):
        code = to_iso2(line)
        if code is None:
            unread.append(line)
        elif code not in codes:
            codes.append(code)
    return Country(codes=codes, unread=unread)
