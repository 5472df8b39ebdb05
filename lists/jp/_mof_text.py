"""The free text of the MOF asset-freeze workbook's cells: dates, names and aliases.

MOF types its list by hand, in Japanese with English beside it, so one cell may hold several
values in several styles. The rules below were measured on the list of 5 March 2026 (44 regime
sheets); `lists.jp.mof` explains the columns they are applied to.

Text is compared and parsed in its NFKC form (full-width digits, brackets and colons are common:
"１９７９年頃", "（a）", "original script："), but names are kept as MOF wrote them, apart from
whitespace and invisible formatting characters (U+202B, U+202F).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from openpyxl.utils.datetime import from_excel

from lists import xlsx
from lists.model import DatePrecision, NameKind, PartialDate
from lists.values.dates import day_date
from lists.values.scripts import detect_script, scripts_in

# What MOF writes for "not known".
_UNKNOWN = frozenset({"不明", "-", "－", "ー", "なし", "該当なし"})
_JAPANESE_SCRIPTS = frozenset({"Jpan", "Hani", "Kana", "Hira"})
_SPACES = re.compile(r"[ \t\u3000\xa0]+")


def clean(value: object) -> str:
    """A cell as text, lines kept, each line's whitespace collapsed; formatting marks removed."""
    text = xlsx.cell_text(value)
    text = "".join(char for char in text if unicodedata.category(char) != "Cf")
    lines = (_SPACES.sub(" ", line).strip() for line in text.replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def flat(value: object) -> str:
    """A cell as one line of text."""
    return " ".join(clean(value).split())


def known(value: object) -> str:
    """A fact cell as one line; empty when MOF writes "不明" (unknown) or the like."""
    text = flat(value)
    return "" if nfkc(text) in _UNKNOWN else text


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def script_and_language(name: str) -> tuple[str | None, str | None]:
    """ISO 15924 script read from the letters; "ja" for Japanese scripts, "en" for Latin.

    MOF writes each name in Japanese and in English, so a Latin-script name is its English
    form; names in other scripts (the "original script" of UN listings) get no language.
    """
    normalized = nfkc(name)
    script = detect_script(normalized)
    if script in _JAPANESE_SCRIPTS or (
        script is None
        and scripts_in(normalized) & _JAPANESE_SCRIPTS
        and scripts_in(normalized) <= {*_JAPANESE_SCRIPTS, "Latn"}
    ):
        # "株式会社AOMZ": Japanese with a Latin acronym has no one script but is Japanese.
        return script, "ja"
    if script == "Latn":
        return script, "en"
    return script, None


# ---------------------------------------------------------------------------- notification date

# "2002.3.1", "2008.6.25改訂" (revised), "2011.11.18削除" (deleted); two revision lines are
# mistyped in the 2026-03-05 list ("2007.713改訂", "200812.19改訂").
_NOTIFIED = re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})\s*(改訂|削除)?")


def notification_date(line: str) -> dt.date | None:
    """The date of one line of the 告示日付 cell; None when the line is not a whole date."""
    match = _NOTIFIED.match(nfkc(line).strip())
    if match is None:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


# ---------------------------------------------------------------------------------- birth dates

_DATE_EXPRESSIONS = re.compile(
    r"(?P<circa>およそ|おおよそ|おおむね)?\s*(?:"
    # 1963年から1968年の間, 1955年-1958年頃, 1970-1973年頃, 1961年1月1日から1963年12月31日の間
    r"(?P<from>\d{4})\s*年?(?:\d{1,2}月(?:\d{1,2}日)?)?\s*(?:から|-|~|〜|～)\s*"
    r"(?P<to>\d{4})\s*年(?:\d{1,2}月(?:\d{1,2}日)?)?(?:までの間|の間)?"
    r"|(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
    r"|(?P<sy>\d{4})/(?P<sm>\d{1,2})/(?P<sd>\d{1,2})"
    r"|(?P<my>\d{4})\s*年\s*(?P<mm>\d{1,2})\s*月(?!\s*\d)"
    r"|(?P<yy>\d{4})\s*年"
    r")(?P<about>\s*頃)?"
)
# What may surround dates without making the cell only partly read: item letters, separators,
# "or", "born", "circa" and "between" words.
_DATE_FILLER = re.compile(
    r"\([a-z]\)|©|又は|または|及び|生まれ|生|頃|の間|までの間|[、,;；/\s]|\(\s*\)", re.I
)
# Largest Excel serial number taken for a date (31/12/2099); smaller integers are years.
_LAST_SERIAL = 73050
_FIRST_SERIAL = 3000


def birth_dates(value: object) -> tuple[list[PartialDate], bool]:
    """The dates a birth-date cell states, and whether the whole cell was read.

    A datetime is a day. An integer is an Excel serial number: 616 birth dates are typed into
    cells of format General, so openpyxl cannot see that they are dates (Gaffar Mohammed
    Elhassan's 19169 is 24 June 1952, as the UN list gives it); an integer below 3000 is a year.
    Text holds one or more dates ("1963年頃" circa, "1963年から1968年の間" a range, "(a)...(b)..."
    lettered alternatives, "又は" or); a day range is read as its range of years.
    """
    if isinstance(value, dt.datetime | dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        return [day_date(day)], True
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _number_date(value)
    text = nfkc(flat(value))
    if not text or text in _UNKNOWN:
        return [], True
    dates: list[PartialDate] = []
    rest = text
    for match in _DATE_EXPRESSIONS.finditer(text):
        date = _date_of(match)
        if date is not None:
            dates.append(date)
            rest = rest.replace(match.group(0), " ", 1)
    complete = not _DATE_FILLER.sub("", rest)
    return dates, complete


def _number_date(value: float) -> tuple[list[PartialDate], bool]:
    number = int(value)
    if number != value:
        return [], False
    if 1000 <= number < _FIRST_SERIAL:
        return [PartialDate(precision=DatePrecision.YEAR, year=number)], True
    if _FIRST_SERIAL <= number <= _LAST_SERIAL:
        day = from_excel(number).date()
        return [day_date(day, text=str(number))], True
    return [], False


def _date_of(match: re.Match[str]) -> PartialDate | None:
    circa = bool(match.group("circa") or match.group("about"))
    raw = match.group(0).strip()
    try:
        if match.group("from"):
            start, end = sorted((int(match.group("from")), int(match.group("to"))))
            return PartialDate(
                precision=DatePrecision.RANGE, year=start, year_to=end, circa=circa, text=raw
            )
        if match.group("y"):
            day = dt.date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
            return day_date(day, circa=circa, text=raw)
        if match.group("sy"):
            day = dt.date(int(match.group("sy")), int(match.group("sm")), int(match.group("sd")))
            return day_date(day, circa=circa, text=raw)
        if match.group("my"):
            return PartialDate(
                precision=DatePrecision.MONTH,
                year=int(match.group("my")),
                month=int(match.group("mm")),
                circa=circa,
                text=raw,
            )
        return PartialDate(
            precision=DatePrecision.YEAR, year=int(match.group("yy")), circa=circa, text=raw
        )
    except ValueError:  # 2月30日, month 13: not a date; the cell then counts as partly read
        return None


# ---------------------------------------------------------------------------------------- names

# "(original script: محمد عمر)", "（original script：不明）" (unknown), the typo "original scipt",
# and once reversed: "(طارق گيدڑ گروپ:original script)".
_ORIGINAL_SCRIPT = re.compile(
    r"\(\s*original\s+sc\w*\s*:\s*(?P<after>[^()]*?)\s*\)"
    r"|\(\s*(?P<before>[^():]*?)\s*:\s*original\s+script\s*\)",
    re.I,
)
# "（ティグリニャ語）" (Tigrinya) after an original-script name names its language.
_LANGUAGE_NOTE = re.compile(r"\([^()]*語\)")


def split_original_script(text: str) -> tuple[str, list[str]]:
    """The name without its "(original script: ...)" notes, and the names those notes give.

    Matched on the NFKC form (full-width brackets and colons occur), so the returned name is
    NFKC too only where a note was removed.
    """
    normalized = nfkc(text)
    originals: list[str] = []
    for match in _ORIGINAL_SCRIPT.finditer(normalized):
        found = (match.group("after") or match.group("before") or "").strip()
        if found and found not in _UNKNOWN:
            originals.append(found)
    if not originals and not _ORIGINAL_SCRIPT.search(normalized):
        return text, []
    rest = _LANGUAGE_NOTE.sub(" ", _ORIGINAL_SCRIPT.sub(" ", normalized))
    return " ".join(rest.split()).strip(" .,"), originals


# ------------------------------------------------------------------------------------- aliases

# Item letters "(a)", "（ｂ）", "(C)", "©" (a typo of "(c)").
_ITEM_LETTER = re.compile(r"\(\s*[a-z]\s*\)|©", re.I)
# Words that start a run of names of one kind: 別称/別名 (also known as), 旧称 (formerly),
# and the English a.k.a./f.k.a.
_KIND_TAG = re.compile(
    r"(別称|別名|旧称|a\.\s?k\.\s?a\.?|f\.\s?k\.\s?a\.?|n\.\s?k\.\s?a\.?)\s*[:,、]?", re.I
)
_FORMER_TAGS = ("旧称", "f.", "n.")
_LIST_SEPARATOR = re.compile(r"[;\n]")
# Pieces that describe rather than name: born/passport/birth-date notes.
_NOT_A_NAME = re.compile(r"生まれ|出生|旅券|生年月日|born\b|passport|\b[DP]OB\b|\d{4}年", re.I)
# A note that runs to the end of the piece: "Sayf-Al Adl (DOB: 11 Apr. 1963. POB: ...".
_NOTE_TO_END = re.compile(r"\(\s*(?:DOB|POB|生年月日|出生地)\b.*$", re.I)
# "【アラビア語】" (in Arabic): a label, not part of a name.
_LABEL = re.compile(r"【[^】]*】")
_EMPTY_BRACKETS = re.compile(r"\(\s*\)")
# "(...: ...)" notes inside an alias ("(DOB: 11 Apr. 1963. POB: ...)").
_NOTE = re.compile(r"\([^()]*:[^()]*\)")
_LATIN_IN_BRACKETS = re.compile(r"^(?P<outer>[^()]+?)\s*\((?P<inner>[^()]+)\)$")
_NAME_STRIP = " .,;、:'\"“”‘’「」"


@dataclass(frozen=True)
class Alias:
    name: str
    kind: NameKind


def split_aliases(value: object, kind: NameKind) -> tuple[list[Alias], bool]:
    """The names an alias cell lists, each with its kind, and whether every piece was a name.

    Measured separators: item letters "(a)...(b)..." (Taliban, Congo, Yemen ...); ";" and "；"
    (North Korea, Iran, Russia); a Japanese line and its English line below it; "、" between
    names (Iraq, North Korea); tags "別称、" / "旧称、" and "a.k.a." / "f.k.a." that start a
    run of aliases or former names (Russia); "Japanese（English）" pairs. Two rules keep names
    whole: a line of two single words split by "、" is a surname and a given name ("イーサー、
    マルワン" beside "ISSA, Marwan"), and an English line is split on "," only when its
    Japanese line split into as many names. Item-lettered lines are never split on commas
    ("Binalsheidah, Ramzi Mohamed Abdullah").
    """
    text = nfkc(clean(value))
    if not text or text in _UNKNOWN:
        return [], True
    names: list[Alias] = []
    complete = True
    japanese_count = 0
    current = kind
    for line in text.split("\n"):
        originals: list[str]
        line, originals = split_original_script(line)
        for original in originals:
            names.append(Alias(original, current))
        line = _unwrap(line)
        lettered = bool(_ITEM_LETTER.search(line))
        for segment in _LIST_SEPARATOR.split(line):
            for tag, piece in _tagged_runs(segment):
                if tag is not None:
                    current = _tag_kind(tag, kind)
                for item in _ITEM_LETTER.split(piece):
                    pieces = _split_commas(item, lettered, tag is not None, japanese_count)
                    if _is_japanese(item) and len(pieces) > 1:
                        japanese_count = len(pieces)
                    for name in pieces:
                        accepted = _add_name(names, name, current)
                        complete = complete and accepted
    return names, complete


def _unwrap(line: str) -> str:
    """ "（別称、A、B）" and "(a.k.a.: A; B)": the run without its outer brackets."""
    stripped = line.strip()
    if stripped.startswith("(") and stripped.endswith(")"):
        inner = stripped[1:-1]
        if _KIND_TAG.match(inner.strip()) or _ITEM_LETTER.match(inner.strip()):
            return inner
    return stripped


def _tagged_runs(segment: str) -> list[tuple[str | None, str]]:
    runs: list[tuple[str | None, str]] = []
    last = 0
    tag: str | None = None
    for match in _KIND_TAG.finditer(segment):
        runs.append((tag, segment[last : match.start()]))
        tag = match.group(1)
        last = match.end()
    runs.append((tag, segment[last:]))
    return [(tag, text) for tag, text in runs if trim(text) or tag]


def _tag_kind(tag: str, default: NameKind) -> NameKind:
    if tag.lower().startswith(_FORMER_TAGS):
        return NameKind.FORMER
    return NameKind.ALIAS if default is NameKind.FORMER else default


def _split_commas(item: str, lettered: bool, tagged: bool, japanese_count: int) -> list[str]:
    item = trim(item)
    if lettered or not item:
        return [item] if item else []
    if "、" in item:
        pieces = [piece for piece in (trim(p) for p in item.split("、")) if piece]
        single_words = all(not re.search(r"[・･ ]", piece) for piece in pieces)
        if len(pieces) == 2 and single_words and not tagged:
            return [item]
        return pieces
    if japanese_count > 1 and not _is_japanese(item):
        pieces = [trim(p) for p in re.split(r"[,，]", item)]
        if len(pieces) == japanese_count:
            return [piece for piece in pieces if piece]
    return [item]


def _add_name(names: list[Alias], text: str, kind: NameKind) -> bool:
    """Add the name(s) of one piece; False when the piece is a note, not a name."""
    text = _EMPTY_BRACKETS.sub(" ", _LABEL.sub(" ", text))
    text = trim(_NOTE_TO_END.sub(" ", _NOTE.sub(" ", text)))
    if not text or text in _UNKNOWN:
        return True
    if _NOT_A_NAME.search(text):
        return False
    pair = _LATIN_IN_BRACKETS.match(text)
    inner = pair.group("inner").strip() if pair else ""
    if (
        pair
        and _is_japanese(pair.group("outer"))
        and inner.isascii()
        and any(c.isalpha() for c in inner)
    ):
        # "ビリンギロ・ビクトール・ルムリ（Byiringiro VictorRumuli）": the name in both forms.
        names.append(Alias(pair.group("outer").strip(), kind))
        names.append(Alias(inner, kind))
        return True
    names.append(Alias(text, kind))
    return True


def _is_japanese(text: str) -> bool:
    return script_and_language(text)[1] == "ja"


def trim(text: str) -> str:
    """Whitespace, separators and quotes off both ends, and a bracket that is not closed.

    "(a)Molah Fazl (b)Fazel ...)": the last item keeps the run's closing bracket, the first
    a lone opening one; "General Department of Atomic Energy (GDAE)" keeps its pair.
    """
    text = " ".join(text.split()).strip(_NAME_STRIP)
    while text:
        if text.startswith("(") and text.count("(") > text.count(")"):
            text = text[1:].strip(_NAME_STRIP)
        elif (text.endswith(")") and text.count(")") > text.count("(")) or text.endswith("("):
            text = text[:-1].strip(_NAME_STRIP)
        elif text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
            text = text[1:-1].strip(_NAME_STRIP)
        else:
            break
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0
