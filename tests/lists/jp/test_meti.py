"""METI End User List (end_user_list_20250929.xlsx of 2025-09-29): the real file and bad input.

Expected counts were measured on the workbook with openpyxl and regular expressions alone (the
`raw` fixture and the helpers below share no code with the adapter): 835 data rows under a
one-row header, No. 1-835 (each cell the formula =ROW()-1 with its cached value); countries by
the English line of "Country or Region" (Iran 257, North Korea 154, China 127, Pakistan 103,
Russia 100, UAE 29, Hong Kong 22, Syria 19 ... as PROVENANCE.md says); concern types by the
Japanese words of the two concern cells; 1,421 "・" bullet lines in "Also Known As".
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

import cli
from lists import ListFile, open_list
from lists.base import ReadReport
from lists.detect import detect, read_head
from lists.errors import ListReadError
from lists.jp import meti
from lists.model import Entity, NameKind, Schema, Source

XLSX = "jp/meti/end_user_list_20250929.xlsx"
OTHER_WORKBOOKS = (
    "jp/mof/shisantouketsu20260305.xlsx",
    "au/regulation8_consolidated.xlsx",
    "uk/ConList.xlsx",
)
HEADER = [
    "No.",
    "国名、地域名\nCountry or Region",
    "企業名､組織名\nCompany or Organization",
    "別名\nAlso Known As",
    "懸念区分\nType of WMD",
    "通常兵器\nConventional Weapons",
]

ROWS = 835
BY_SCHEMA = {"person": 0, "organization": 835, "vessel": 0, "aircraft": 0}
# English line of the country cell -> entities, and the ISO code the adapter must give.
COUNTRIES = {
    "Islamic Republic of Iran": (257, "IR"),
    "North Korea": (154, "KP"),
    "People's Republic of China": (127, "CN"),
    "Islamic Republic of Pakistan": (103, "PK"),
    "Russian Federation": (100, "RU"),
    "United Arab Emirates": (29, "AE"),
    "Hong Kong": (22, "HK"),
    "Syrian Arab Republic": (19, "SY"),
    "Republic of Lebanon": (9, "LB"),
    "Taiwan": (5, "TW"),
    "Arab Republic of Egypt": (3, "EG"),
    "Islamic Republic of Afghanistan": (2, "AF"),
    "Republic of Yemen": (2, "YE"),
    "India": (2, "IN"),
    "State of Israel": (1, "IL"),
}
# Japanese concern word -> (entities whose concern cells name it, program).
CONCERNS = {
    "生物": (218, "Biological (B)"),
    "化学": (233, "Chemical (C)"),
    "ミサイル": (616, "Missile (M)"),
    "核": (465, "Nuclear (N)"),
    "通常兵器": (240, "Conventional Weapons (CW)"),
}
BULLETS = 1421
# Chinese characters or kana ("・", the bullet, is excluded from the kana block).
CJK = re.compile(r"[\u3041-\u30fa\u30fc-\u30ff\u3400-\u9fff\uf900-\ufaff]")
KANA = re.compile(r"[\u3041-\u30fa\u30fc-\u30ff]")
LATIN = re.compile(r"[A-Za-z]")


def _lines(cell: object) -> list[str]:
    return [line.strip() for line in str(cell or "").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def raw(shared_lists: Path) -> list[tuple[Any, ...]]:
    workbook = openpyxl.load_workbook(shared_lists / XLSX, read_only=True, data_only=True)
    try:
        return [row[:6] for row in workbook.worksheets[0].iter_rows(min_row=2, values_only=True)]
    finally:
        workbook.close()


@pytest.fixture(scope="module")
def eul(shared_lists: Path) -> tuple[ListFile, list[Entity]]:
    listed = open_list(shared_lists / XLSX)
    return listed, list(listed.entities())


@pytest.fixture(scope="module")
def by_id(eul: tuple[ListFile, list[Entity]]) -> dict[str, Entity]:
    return {entity.entry_id: entity for entity in eul[1]}


# --- the real file -----------------------------------------------------------------------------


def test_raw_file_is_as_measured(raw: list[tuple[Any, ...]], shared_lists: Path) -> None:
    assert len(raw) == ROWS
    assert [row[0] for row in raw] == list(range(1, ROWS + 1))
    # The No. cells are formulas; their cached values above are what the formula computes.
    workbook = openpyxl.load_workbook(shared_lists / XLSX, read_only=True)
    formulas = {row[0] for row in workbook.worksheets[0].iter_rows(min_row=2, values_only=True)}
    workbook.close()
    assert formulas == {"=ROW()-1"}
    english = Counter(_lines(row[1])[-1] for row in raw)
    assert english == {name: count for name, (count, _) in COUNTRIES.items()}
    assert sum(line.startswith("・") for row in raw for line in _lines(row[3])) == BULLETS


def test_format_publication_date_and_no_warnings(
    eul: tuple[ListFile, list[Entity]], shared_lists: Path
) -> None:
    listed, _ = eul
    assert listed.format.name == "jp-meti-eul-xlsx"
    assert listed.source is Source.JP
    workbook = openpyxl.load_workbook(shared_lists / XLSX, read_only=True)
    modified = workbook.properties.modified
    workbook.close()
    assert modified == dt.datetime(2025, 9, 25, 7, 37, 2)
    assert listed.published == modified.replace(tzinfo=dt.UTC)
    assert listed.report.warnings == []


def test_one_organization_per_row(eul: tuple[ListFile, list[Entity]]) -> None:
    entities = eul[1]
    assert [entity.entry_id for entity in entities] == [str(n) for n in range(1, ROWS + 1)]
    assert {entity.schema_ for entity in entities} == {Schema.ORGANIZATION}
    assert {entity.dataset for entity in entities} == {"jp_meti_eul"}
    assert all(entity.listed_on is None for entity in entities)


def test_countries(eul: tuple[ListFile, list[Entity]]) -> None:
    assert all(len(entity.countries) == 1 for entity in eul[1])
    found = Counter(entity.countries[0] for entity in eul[1])
    assert found == {code: count for count, code in COUNTRIES.values()}


def test_concern_types(eul: tuple[ListFile, list[Entity]], raw: list[tuple[Any, ...]]) -> None:
    # Measured by the Japanese words (NFKC), which the cells write next to the letter codes.
    measured = Counter(
        word
        for row in raw
        for word in CONCERNS
        if word in unicodedata.normalize("NFKC", f"{row[4] or ''} {row[5] or ''}")
    )
    assert measured == {word: count for word, (count, _) in CONCERNS.items()}
    programs = Counter(program for entity in eul[1] for program in entity.programs)
    assert programs == {program: count for count, program in CONCERNS.values()}
    assert all(entity.programs for entity in eul[1])
    assert all(not entity.remarks for entity in eul[1])


def test_names_by_kind_and_script(
    eul: tuple[ListFile, list[Entity]], raw: list[tuple[Any, ...]]
) -> None:
    name_lines = [line for row in raw for line in _lines(row[2])]
    alias_lines = [line for row in raw for line in _lines(row[3])]
    # Four North Korean entries are named in Japanese only (no Latin letter in the name cell).
    japanese_only = [row[0] for row in raw if not LATIN.search(str(row[2]))]
    assert japanese_only == [447, 448, 449, 450]
    cjk_name_lines = sum(bool(CJK.search(line)) for line in name_lines)
    cjk_alias_lines = sum(
        bool(CJK.search(line)) and not line.startswith("・") for line in alias_lines
    )
    # Alias lines without the bullet and without Chinese characters: 3 cells that hold one
    # alias without a bullet, and 1 line that continues the alias above it (No. 774).
    latin_unbulleted = [
        line for line in alias_lines if not line.startswith("・") and not CJK.search(line)
    ]
    assert (cjk_name_lines, cjk_alias_lines, len(latin_unbulleted)) == (204, 44, 4)
    aliases = BULLETS + cjk_alias_lines + len(latin_unbulleted) - 1 + cjk_name_lines - 4
    assert aliases == 1668
    kinds = Counter(name.kind for entity in eul[1] for name in entity.names)
    assert kinds == {NameKind.PRIMARY: ROWS, NameKind.ALIAS: aliases}
    # Names with Chinese characters or kana: every such line, 30 of them bulleted aliases.
    cjk_names = cjk_name_lines + cjk_alias_lines + 30
    assert sum(bool(CJK.search(line)) and line.startswith("・") for line in alias_lines) == 30
    scripts = Counter(name.script for entity in eul[1] for name in entity.names)
    # "(EFCO平壌支社)" and "(LIMMT経貿公司)" mix Latin and Chinese letters: no one script.
    assert scripts["Hani"] + scripts["Jpan"] == cjk_names - 2
    cyrillic = sum(bool(re.search("[\u0400-\u04ff]", line)) for line in alias_lines)
    # The third name without a script is "ＩＲＧＣＡＳＦ" in full-width letters (No. 133).
    fullwidth = sum(bool(re.search("[\uff21-\uff5a]", line)) for line in alias_lines)
    assert (cyrillic, fullwidth) == (3, 1)
    assert scripts == {
        "Latn": ROWS + aliases - cjk_names - cyrillic - fullwidth,
        "Hani": 267,
        "Jpan": 9,
        "Cyrl": cyrillic,
        None: 2 + fullwidth,
    }
    # Language only where the letters prove it: kana is Japanese.
    kana = sum(bool(KANA.search(line)) for line in name_lines + alias_lines)
    languages = Counter(name.language for entity in eul[1] for name in entity.names)
    assert languages == {None: ROWS + aliases - kana, "ja": kana}


def test_every_bullet_is_an_alias_of_its_entity(
    by_id: dict[str, Entity], raw: list[tuple[Any, ...]]
) -> None:
    missing = []
    for row in raw:
        names = {name.full for name in by_id[str(row[0])].names if name.kind is NameKind.ALIAS}
        for line in _lines(row[3]):
            if line.startswith("・"):
                alias = " ".join(line[1:].split())
                if alias not in names:
                    missing.append((row[0], alias))
    # The one bullet METI wrapped onto a second line is joined with it.
    assert missing == [(774, "Aktsionernoe Obshchestvo Uralskiy Zavod Transportnogo")]
    assert "Aktsionernoe Obshchestvo Uralskiy Zavod Transportnogo Mashinostroeniya" in {
        name.full for name in by_id["774"].names
    }


def test_russian_entity_with_cyrillic_aliases(by_id: dict[str, Entity]) -> None:
    rosoboronexport = by_id["806"]
    assert rosoboronexport.primary_name == "Rosoboronexport OJSC (ROE)"
    assert rosoboronexport.countries == ["RU"]
    assert rosoboronexport.programs == ["Missile (M)", "Conventional Weapons (CW)"]
    aliases = [(n.full, n.script) for n in rosoboronexport.names if n.kind is NameKind.ALIAS]
    assert len(aliases) == 12
    assert ("АО Рособоронэкспорт", "Cyrl") in aliases
    # METI split "Акционерное общество Рособоронэкспорт" over two bullets: two aliases, as listed.
    assert ("Акционерное общество", "Cyrl") in aliases
    assert ("Рособоронэкспорт", "Cyrl") in aliases
    assert rosoboronexport.ref.record == "806"
    assert rosoboronexport.ref.file == "end_user_list_20250929.xlsx"


def test_names_in_chinese_characters_and_kana(by_id: dict[str, Entity]) -> None:
    air_koryo = by_id["300"]
    assert [(n.full, n.kind, n.script, n.language) for n in air_koryo.names] == [
        ("Air Koryo", NameKind.PRIMARY, "Latn", None),
        ("高麗航空", NameKind.ALIAS, "Hani", None),
        ("Airkoryo", NameKind.ALIAS, "Latn", None),
    ]
    assert air_koryo.countries == ["KP"]
    # Named in Japanese only: that name is the primary one, and kana make it Japanese.
    (sesong,) = by_id["447"].names
    assert (sesong.full, sesong.kind, sesong.script, sesong.language) == (
        "セソン技術貿易",
        NameKind.PRIMARY,
        "Jpan",
        "ja",
    )
    # Latin and Chinese on one line: two names. An abbreviation on its own line stays.
    assert [n.full for n in by_id["507"].names][:2] == [
        "Chengdu RML Technology Co., Ltd.",
        "成都雷电微力科技股份有限公司",
    ]
    assert by_id["155"].primary_name == "KIMIA PART SIVAN COMPANY LLC （KIPAS）"
    # A bracket inside the bracketed name survives: "((朝鮮)順和江貿易会社)".
    assert "(朝鮮)順和江貿易会社" in {n.full for n in by_id["433"].names}


def test_detection(shared_lists: Path) -> None:
    assert detect(shared_lists / XLSX) is meti.FORMAT
    for name in OTHER_WORKBOOKS:
        assert not meti.sniff(read_head(shared_lists / name)), name
        assert detect(shared_lists / name) is not meti.FORMAT, name


def test_cli_inspect_json(shared_lists: Path) -> None:
    result = CliRunner().invoke(cli.main, ["lists", "inspect", "--json", str(shared_lists / XLSX)])
    assert result.exit_code == 0, result.output
    inspection = json.loads(result.output)
    assert {key: inspection[key] for key in ("format", "entities", "by_schema")} == {
        "format": "jp-meti-eul-xlsx",
        "entities": ROWS,
        "by_schema": BY_SCHEMA,
    }


# --- small workbooks ---------------------------------------------------------------------------


def _workbook(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    table: list[list[Any]] = [list(header), *rows]
    for values in table:
        sheet.append(values)
    workbook.save(path)
    return path


def _row(
    number: object,
    name: str | None,
    aliases: str | None = None,
    wmd: str | None = "ミサイル\nM",
    conventional: str | None = None,
    country: str = "ロシア\nRussian Federation",
) -> list[object]:
    return [number, country, name, aliases, wmd, conventional]


def _read(path: Path) -> tuple[list[Entity], ReadReport]:
    listed = open_list(path)
    return list(listed.entities()), listed.report


def _assert_refused(path: Path, says: str, line: int | None = None) -> None:
    """Refused with a message naming the file (and row), by the reader and by the CLI."""
    with pytest.raises(ListReadError, match=re.escape(says)) as caught:
        list(open_list(path).entities())
    where = f"{path}:{line}" if line else str(path)
    assert re.match(re.escape(where) + "[: ]", str(caught.value)), caught.value
    result = CliRunner().invoke(cli.main, ["lists", "inspect", str(path)])
    assert (result.exit_code, "Traceback" in result.output) == (1, False), result.output
    assert says in " ".join(result.output.split())


def test_small_workbook_reads_every_cell(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "eul.xlsx",
        [
            _row(1, "Ural Works\n(ウラル工場)", "・Uralskiy Zavod\n・Ural Plant of\nMachinery"),
            _row(
                2, "Zavod", None, "化学、核\nC,N", "通常兵器\nCW", "レバノン\nRepublic of Lebanon"
            ),
        ],
    )
    entities, report = _read(path)
    assert report.warnings == []
    ural, zavod = entities
    assert [(n.full, n.kind, n.language) for n in ural.names] == [
        ("Ural Works", NameKind.PRIMARY, None),
        ("ウラル工場", NameKind.ALIAS, "ja"),
        ("Uralskiy Zavod", NameKind.ALIAS, None),
        ("Ural Plant of Machinery", NameKind.ALIAS, None),
    ]
    assert zavod.programs == ["Chemical (C)", "Nuclear (N)", "Conventional Weapons (CW)"]
    assert zavod.countries == ["LB"]  # from the Japanese line; the English one is not known


def test_formula_without_cached_value_is_numbered_from_the_row(tmp_path: Path) -> None:
    # openpyxl writes formulas without a cached result, as a program that does not compute
    # them would: the No. is derived from the row, as =ROW()-1 does, and this is reported.
    path = _workbook(tmp_path / "eul.xlsx", [_row("=ROW()-1", "Alpha"), _row("=ROW()-1", "Beta")])
    entities, report = _read(path)
    assert [e.entry_id for e in entities] == ["1", "2"]
    assert len(report.warnings) == 1
    assert "numbered from its row" in report.warnings[0]


def test_blank_name_cell_with_aliases_is_reported(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "eul.xlsx", [_row(1, None, "・Beta Trading\n・Beta")])
    entities, report = _read(path)
    assert [(n.full, n.kind) for n in entities[0].names] == [
        ("Beta Trading", NameKind.PRIMARY),
        ("Beta", NameKind.ALIAS),
    ]
    assert report.warnings == [
        f"{path}:2: No. 1 has an empty 'Company or Organization' cell; its first alias "
        "'Beta Trading' is read as its primary name"
    ]


def test_blank_name_without_aliases_is_refused(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "eul.xlsx", [_row(1, "Alpha"), _row(2, None)])
    _assert_refused(path, "No. 2 has no name", 3)


def test_unread_concern_and_country_are_kept_and_reported(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "eul.xlsx",
        [_row(1, "Alpha", wmd="宇宙\nS", country="アトランティス\nAtlantis")],
    )
    entities, report = _read(path)
    assert entities[0].programs == []
    assert entities[0].countries == []
    assert "Type of WMD: 宇宙 S" in entities[0].remarks
    assert "Country or Region: アトランティス / Atlantis" in entities[0].remarks
    assert len(report.warnings) == 3  # concern, country, and no concern type at all


def test_words_and_codes_that_disagree_are_reported(tmp_path: Path) -> None:
    entities, report = _read(_workbook(tmp_path / "eul.xlsx", [_row(1, "Alpha", wmd="核\nM")]))
    assert entities[0].programs == ["Missile (M)", "Nuclear (N)"]
    assert any("the words say N, the codes M" in w for w in report.warnings)


def test_value_without_heading_is_kept(tmp_path: Path) -> None:
    entities, report = _read(
        _workbook(tmp_path / "eul.xlsx", [[*_row(1, "Alpha"), None, "stray note"]])
    )
    assert "column 8: stray note" in entities[0].remarks
    assert any("column 8, which has no heading" in w for w in report.warnings)


def test_duplicate_number_wrong_header_and_empty_sheet(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "dup.xlsx", [_row(1, "Alpha"), _row(1, "Beta")])
    _assert_refused(path, "No. 1 occurs twice (also in row 2)", 3)
    path = _workbook(tmp_path / "text.xlsx", [_row("one", "Alpha")])
    _assert_refused(path, "No. 'one' is not a number", 2)
    header = [column for column in HEADER if "Country" not in column]
    path = _workbook(tmp_path / "header.xlsx", [_row(1, "Alpha")[:5]], header)
    _assert_refused(path, "the header has no 'Country or Region' column", 1)
    path = _workbook(tmp_path / "empty.xlsx", [])
    _assert_refused(path, "the workbook has a header but no data rows")


def test_truncated_workbook(tmp_path: Path, shared_lists: Path) -> None:
    data = (shared_lists / XLSX).read_bytes()
    path = tmp_path / "end_user_list.xlsx"
    path.write_bytes(data[: len(data) // 2])
    _assert_refused(path, "not a readable XLSX workbook")


def test_blank_rows_and_a_lone_number_are_skipped_and_counted(tmp_path: Path) -> None:
    # A No. without any other cell (the formula copied below the list) is no entity.
    rows: list[list[object]] = [_row(1, "Alpha"), [None] * 6, [3, *[None] * 5], _row(4, "Delta")]
    entities, report = _read(_workbook(tmp_path / "eul.xlsx", rows))
    assert [e.entry_id for e in entities] == ["1", "4"]
    assert report.warnings == [f"{tmp_path / 'eul.xlsx'}: 2 blank rows skipped (rows 3, 4)"]
