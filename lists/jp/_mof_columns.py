"""The columns of MOF's regime sheets and how each cell becomes part of an entity.

45 column titles occur across the 44 regime sheets of the list of 5 March 2026; each is mapped
here to a role (names, aliases, birth, nationality, address, identifier) or kept as a remark
"<column title>: <text>". `lists.jp.mof` describes the layout.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from lists.draft import EntityDraft
from lists.jp import _mof_text as text
from lists.model import Address, Identifier, IdentifierType, Name, NameKind, Schema
from lists.values.countries import to_iso2

DATE = "告示日付"
NUMBER = "告示番号"
JAPANESE = "日本語表記"
ENGLISH = "英語表記"
REQUIRED_COLUMNS = (DATE, NUMBER, JAPANESE, ENGLISH)
ALIAS_COLUMNS = {
    "別名": NameKind.ALIAS,
    "別称": NameKind.ALIAS,
    "別名・別称": NameKind.ALIAS,
    "別称・別名": NameKind.ALIAS,
    "別称・旧称": NameKind.ALIAS,
    "確定可能な別名": NameKind.ALIAS,
    "旧称": NameKind.FORMER,
    "旧称・以前の呼称": NameKind.FORMER,
    "過去の別名": NameKind.FORMER,
    "以前の別名": NameKind.FORMER,
    "確定に十分でない別名": NameKind.WEAK_ALIAS,
}
BIRTH_DATE_COLUMNS = frozenset({"生年月日", "生年月日・出生地"})
BIRTH_PLACE_COLUMNS = frozenset({"出生地", "出生地・出身地"})
NATIONALITY = "国籍"
ADDRESS_COLUMNS = frozenset(
    {
        "住所",
        "所在地",
        "住所・所在地",
        "住所等",
        "活動地域・住所",
        "所在地・住所 登録された事務所の住所",
    }
)
IDENTIFIER_COLUMNS = {
    "旅券番号": IdentifierType.PASSPORT,
    "ID番号": IdentifierType.NATIONAL_ID,
    "身分登録番号": IdentifierType.NATIONAL_ID,
    "身分証番号": IdentifierType.NATIONAL_ID,
}
UN_REFERENCE = "国連参照番号"
# Columns only a natural person has: a value here makes a row of a mixed sheet a person.
PERSON_COLUMNS = frozenset(
    {
        *BIRTH_DATE_COLUMNS,
        *BIRTH_PLACE_COLUMNS,
        NATIONALITY,
        "旅券番号",
        "称号",
        "役職",
        "肩書",
        "肩書等",
    }
)
REMARK_COLUMNS = frozenset(
    {
        "称号",
        "役職",
        "肩書",
        "肩書等",
        "その他の情報",
        "詳細",
        "決議1483上の根拠",
        "指定の根拠",
        "リスト掲載日",
        "国連制裁員会による指定日",
        "国連制裁委員会による指定日",
        "電話",
        "電話番号",
        "FAX",
    }
)
KNOWN_COLUMNS = frozenset(
    {
        *REQUIRED_COLUMNS,
        *ALIAS_COLUMNS,
        *BIRTH_DATE_COLUMNS,
        *BIRTH_PLACE_COLUMNS,
        NATIONALITY,
        *ADDRESS_COLUMNS,
        *IDENTIFIER_COLUMNS,
        UN_REFERENCE,
        *REMARK_COLUMNS,
    }
)
OTHER_INFORMATION = "その他の情報"
_BARE_NUMBER = re.compile(r"^[A-Z]{0,3}[-/]?\d[\d-]{4,14}$")


def add_value(draft: EntityDraft, schema: Schema, column: str, value: Any) -> None:
    if column in ALIAS_COLUMNS:
        aliases, complete = text.split_aliases(value, ALIAS_COLUMNS[column])
        for alias in aliases:
            script, language = text.script_and_language(alias.name)
            draft.add_name(Name(full=alias.name, kind=alias.kind, script=script, language=language))
        if not complete:
            draft.add_remark(f"{column}: {text.flat(value)}")
    elif column in BIRTH_DATE_COLUMNS:
        dates, complete = text.birth_dates(value)
        for date in dates:
            draft.add_birth_date(date)
        if not complete or column not in ("生年月日",):
            draft.add_remark(f"{column}: {text.flat(value)}")
    elif column in BIRTH_PLACE_COLUMNS:
        for place in _lines(value):
            draft.add_birth_place(place)
    elif column == NATIONALITY:
        _add_nationality(draft, schema, value)
    elif column in ADDRESS_COLUMNS:
        for line in _lines(value):
            draft.add_address(Address(lines=[line], country=_country_of_address(line)))
    elif column in IDENTIFIER_COLUMNS:
        _add_identifier(draft, column, IDENTIFIER_COLUMNS[column], value)
    elif column == UN_REFERENCE:
        if reference := text.known(value):
            draft.add_identifier(Identifier(type=IdentifierType.UN_REFERENCE, value=reference))
    elif written := text.known(value):
        draft.add_remark(f"{column}: {_remark_text(value, written)}")


def _add_nationality(draft: EntityDraft, schema: Schema, value: Any) -> None:
    written = text.known(value)
    if not written:
        return
    pieces = [
        piece.strip(" 、,。")
        for piece in re.split(r"\([a-z]\)|、|\n|;", text.nfkc(text.clean(value)))
        if piece.strip(" 、,。")
    ]
    codes = [to_iso2(re.sub(r"\(.*?\)|人$", "", piece)) for piece in pieces]
    for code in codes:
        if code is None:
            continue
        if schema is Schema.PERSON:
            draft.add_nationality(code)
        else:
            draft.add_country(code)
    if not all(codes):
        draft.add_remark(f"{NATIONALITY}: {written}")


def _country_of_address(line: str) -> str | None:
    last = text.nfkc(line).rsplit(",", 1)[-1]
    return to_iso2(re.sub(r"\(.*?\)", "", last).strip(" .")) if "," in line else None


def _add_identifier(draft: EntityDraft, column: str, kind: IdentifierType, value: Any) -> None:
    written = text.known(value)
    if not written:
        return
    bare = text.nfkc(written).strip()
    if _BARE_NUMBER.match(bare):
        draft.add_identifier(Identifier(type=kind, value=bare, label=column))
    else:
        draft.add_remark(f"{column}: {written}")


def _remark_text(value: Any, written: str) -> str:
    # Listing dates are Excel serial numbers in cells of format General (39170 = 2007-03-29).
    if isinstance(value, int | float | dt.datetime) and not isinstance(value, bool):
        dates, complete = text.birth_dates(value)
        if complete and len(dates) == 1 and (day := dates[0].as_date()) is not None:
            return day.isoformat()
    return written


def _lines(value: Any) -> list[str]:
    """The lines or lettered items ("(a)... (b)...") of a fact cell; none for "不明" (unknown)."""
    if not text.known(value):
        return []
    items = re.split(r"\n|[(（]\s*[a-zａ-ｚ]\s*[)）]", text.clean(value))
    return [trimmed for item in items if (trimmed := item.strip(" 、,;"))]
