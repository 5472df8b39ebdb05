"""Japan MOF asset-freeze list (shisantouketsu20260305.xlsx, 5 March 2026), real file and bad input.

Expected counts were measured on the workbook with openpyxl alone (`_measure` below, which shares
no code with the adapter), by these rules:

* a regime sheet's header is the first row whose first cell is 告示日付; the three sheets without
  one are the lifted regimes 8, 11 and 18;
* under the header, a row whose 告示日付 contains 削除 is delisted (598 rows, PROVENANCE says
  "about 600"); any other row with a 告示番号 is a listing (2,863; with the deleted ones 3,461,
  PROVENANCE "about 3,460");
* one listing (Taliban No. 274) has neither a Japanese nor an English name: 2,862 entities.

Per regime (listings): Russia entities 369, individuals 752 (and 7 deleted), specified banks 16
(PROVENANCE: about 370, 760, 16); Belarus 19 + 12 + 4 = 35; Crimea-related 331 + 18 = 349 (and
5 deleted; PROVENANCE "about 350").
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from lxml import etree

import cli
from lists import open_list
from lists.base import ReadReport
from lists.detect import detect
from lists.errors import ListReadError, UnknownFormatError
from lists.jp import mof
from lists.model import DatePrecision, Entity, NameKind, Schema, Source
from lists.sources import FEEDS

XLSX = "jp/mof/shisantouketsu20260305.xlsx"
METI_XLSX = "jp/meti/end_user_list_20250929.xlsx"
LIFTED = ["8.【解除】リベリア", "11.【解除】コートジボワール", "18.【解除】イラン"]
LISTINGS = 2863
DELETED = 598
ENTITIES = 2862
# Listings and deleted rows per sheet number (sheets not named have no deleted rows; sheet 41,
# Mali, has 5 deleted rows and no listing left).
LISTINGS_BY_SHEET = {"28": 369, "29": 752, "30": 16, "31": 19, "32": 12, "33": 4, "26": 331}
LISTINGS_BY_SHEET |= {"27": 18, "2": 481, "41": 0, "44": 2}
DELETED_BY_SHEET = {"2": 317, "6": 195, "5": 24, "3": 23, "29": 7, "26": 5, "41": 5}
# Sheets whose title names one kind (個人 individuals; 団体 / 特定銀行 entities, banks).
PERSON_SHEETS = {"9", "15", "17", "19", "24", "26", "29", "31", "35", "37", "42"}
ORGANIZATION_SHEETS = {"10", "14", "16", "20", "25", "27", "28", "30", "32", "33", "34", "36"}
ORGANIZATION_SHEETS |= {"38", "44"}
# By the adapter's row rule for mixed sheets (documented in lists.jp.mof); see
# test_mixed_sheets for the independent checks behind it.
BY_SCHEMA = {"person": 2012, "organization": 850, "vessel": 0, "aircraft": 0}


def _measure(path: Path) -> dict[str, Any]:
    """Counts per sheet with openpyxl alone (rules in the module docstring)."""
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    listings: Counter[str] = Counter()
    deleted: Counter[str] = Counter()
    lifted: list[str] = []
    names = Counter[str]()
    birth_cells: dict[str, list[object]] = {}
    try:
        for worksheet in workbook.worksheets[1:]:
            rows = list(worksheet.iter_rows(values_only=True))
            starts = [n for n, row in enumerate(rows) if row and str(row[0] or "") == "告示日付"]
            if not starts:
                lifted.append(worksheet.title)
                continue
            header = [str(cell or "").strip() for cell in rows[starts[0]]]
            key = worksheet.title.split(".")[0]
            listings[key] += 0
            for row in rows[starts[0] + 1 :]:
                if "削除" in str(row[0] or ""):
                    deleted[key] += 1
                elif str(row[1] or "").strip():
                    listings[key] += 1
                    japanese, english = (str(cell or "").strip() for cell in row[2:4])
                    names["ja"] += bool(japanese)
                    names["en"] += bool(english)
                    names["neither"] += not (japanese or english)
                    number = str(row[1]).strip().lstrip("*#").split("(")[0]
                    birth_cells[f"{key}-{number}"] = [
                        cell
                        for title, cell in zip(header, row, strict=False)
                        if title == "生年月日"
                    ]
    finally:
        workbook.close()
    return {
        "listings": listings,
        "deleted": deleted,
        "lifted": lifted,
        "names": names,
        "birth": birth_cells,
    }


@pytest.fixture(scope="module")
def measured(shared_lists: Path) -> dict[str, Any]:
    return _measure(shared_lists / XLSX)


@pytest.fixture(scope="module")
def read(shared_lists: Path) -> tuple[list[Entity], ReadReport]:
    # Parse time is measured by bench/parse.py (against a plain openpyxl read), not here.
    report = ReadReport()
    entities = list(mof.entities(shared_lists / XLSX, report))
    return entities, report


@pytest.fixture(scope="module")
def by_id(read: tuple[list[Entity], ReadReport]) -> dict[str, Entity]:
    return {entity.entry_id: entity for entity in read[0]}


# --- the real file -----------------------------------------------------------------------------


def test_raw_file_is_as_measured(measured: dict[str, Any]) -> None:
    assert measured["lifted"] == LIFTED
    assert sum(measured["listings"].values()) == LISTINGS
    assert sum(measured["deleted"].values()) == DELETED
    assert {k: measured["listings"][k] for k in LISTINGS_BY_SHEET} == LISTINGS_BY_SHEET
    assert {k: measured["deleted"][k] for k in DELETED_BY_SHEET} == DELETED_BY_SHEET
    assert measured["names"] == {"ja": 2862, "en": 2861, "neither": 1}


def test_one_entity_per_named_listing_with_unique_ids(
    read: tuple[list[Entity], ReadReport], measured: dict[str, Any]
) -> None:
    entities, report = read
    assert len(entities) == ENTITIES == LISTINGS - measured["names"]["neither"]
    ids = [entity.entry_id for entity in entities]
    assert len(set(ids)) == len(ids)  # "<sheet>-<告示番号>" is unique
    per_sheet = Counter(entry_id.split("-")[0] for entry_id in ids)
    expected = +measured["listings"]
    expected["2"] -= 1  # Taliban No. 274, without a name
    assert per_sheet == expected
    assert {entity.source for entity in entities} == {Source.JP}
    assert {entity.dataset for entity in entities} == {"jp_mof"}
    assert "2-274" not in ids
    assert any("告示番号 274: no name" in warning for warning in report.warnings)


def test_deleted_rows_and_lifted_regimes_are_reported(
    read: tuple[list[Entity], ReadReport],
) -> None:
    warnings = read[1].warnings
    deleted = [w for w in warnings if "delisted rows (削除) skipped" in w]
    assert len(deleted) == 1
    assert f"{DELETED} delisted rows" in deleted[0]
    assert "2.タリバーン関係者等 317" in deleted[0]
    assert "29.ロシア連邦(個人) 7" in deleted[0]
    lifted = [w for w in warnings if "lifted regimes" in w]
    assert len(lifted) == 1 and all(title in lifted[0] for title in LIFTED)


def test_schema_by_sheet_kind(read: tuple[list[Entity], ReadReport]) -> None:
    kinds: dict[str, set[Schema]] = {}
    for entity in read[0]:
        kinds.setdefault(entity.entry_id.split("-")[0], set()).add(entity.schema_)
    assert all(kinds[key] == {Schema.PERSON} for key in PERSON_SHEETS)
    assert all(kinds[key] == {Schema.ORGANIZATION} for key in ORGANIZATION_SHEETS)
    # Sheets 5 (Iraq I) and 6, 7 (Iraq II, III) name their kind only in the index sheet.
    assert kinds["5"] == {Schema.PERSON}
    assert kinds["7"] == {Schema.ORGANIZATION}
    assert Counter(e.schema_.value for e in read[0]) == {k: v for k, v in BY_SCHEMA.items() if v}


def test_mixed_sheets(by_id: dict[str, Entity], measured: dict[str, Any]) -> None:
    # Every listing of a mixed sheet with a birth date other than 不明 is a person.
    dated = 0
    for key, cells in measured["birth"].items():
        sheet = key.split("-")[0]
        if sheet in PERSON_SHEETS | ORGANIZATION_SHEETS or key not in by_id:
            continue
        if any(cell is not None and str(cell).strip() not in ("", "不明") for cell in cells):
            assert by_id[key].schema_ is Schema.PERSON, key
            dated += 1
    # Measured from the openpyxl cells (`_measure`): of 2,863 named listings, 2,134 are on
    # person or organisation sheets, 1 has no entity (2-274), 176 give no date: 552 checked.
    assert dated == 552
    assert by_id["2-166"].schema_ is Schema.ORGANIZATION  # AL-QAIDA
    assert by_id["2-626"].schema_ is Schema.ORGANIZATION  # Haqqani Network: one stray 不明
    assert by_id["21-1"].schema_ is Schema.ORGANIZATION  # Al-Shabaab
    assert by_id["39-4"].schema_ is Schema.PERSON  # Abdulmalik al-Houthi: all columns 不明
    assert by_id["13-16"].schema_ is Schema.PERSON  # Jakob Steiger: birth date in remarks
    assert by_id["4-8"].schema_ is Schema.PERSON  # no birth date, but birth place and nationality


def test_names_by_kind_and_script(read: tuple[list[Entity], ReadReport]) -> None:
    entities = read[0]
    primaries = Counter(
        (name.language, name.script)
        for e in entities
        for name in e.names
        if name.kind is NameKind.PRIMARY
    )
    # One Japanese and one English primary per listing with that cell (2,862 and 2,861).
    assert sum(n for (language, _), n in primaries.items() if language == "ja") == 2862
    assert sum(n for (language, _), n in primaries.items() if language == "en") == 2861
    assert primaries[("ja", "Kana")] == 2363  # katakana transcriptions
    assert primaries[("ja", "Jpan")] == 370  # kana with kanji
    assert primaries[("ja", "Hani")] == 42  # kanji only ("対外貿易銀行")
    assert primaries[("en", "Latn")] == 2861
    kinds = Counter(name.kind for e in entities for name in e.names)
    assert kinds[NameKind.FORMER] > 0 and kinds[NameKind.WEAK_ALIAS] > 0
    assert kinds[NameKind.ALIAS] > kinds[NameKind.PRIMARY]
    original = Counter(
        name.script
        for e in entities
        for name in e.names
        if name.kind is NameKind.ALIAS and name.script in {"Arab", "Cyrl", "Ethi"}
    )
    assert original["Arab"] > 150 and original["Cyrl"] > 20 and original["Ethi"] == 2


def test_phonetic_readings_are_not_names(by_id: dict[str, Entity], shared_lists: Path) -> None:
    # The shared string of 株式会社ロスエレクトロニクス carries the reading カブシキ カイシャ in
    # <rPh> runs (read here with lxml); the name must be the text runs alone.
    namespace = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    with zipfile.ZipFile(shared_lists / XLSX) as archive:
        root = etree.fromstring(archive.read("xl/sharedStrings.xml"))
    readings = {}
    for item in root.iter(f"{namespace}si"):
        text = "".join(t.text or "" for t in item.findall(f"{namespace}t"))
        readings[text] = ["".join(p.itertext()) for p in item.findall(f"{namespace}rPh")]
    assert readings["株式会社ロスエレクトロニクス"] == ["カブシキ", "カイシャ"]
    assert readings["ＶＥＢ．ＲＦ（ロシア対外経済銀行）"] == ["タイガイケイザイギンコウ"]
    names = {name.full for entity in by_id.values() for name in entity.names}
    assert "株式会社ロスエレクトロニクス" in names
    assert "ＶＥＢ．ＲＦ（ロシア対外経済銀行）" in names
    assert not any("カブシキ" in name or "タイガイケイザイギンコウ" in name for name in names)


def test_sberbank(by_id: dict[str, Entity]) -> None:
    sberbank = by_id["30-8"]
    assert sberbank.schema_ is Schema.ORGANIZATION
    assert [(n.full, n.language, n.script) for n in sberbank.names] == [
        ("ズベルバンク", "ja", "Kana"),
        ("Sberbank", "en", "Latn"),
    ]
    assert sberbank.programs == ["ロシア連邦(特定銀行）"]
    assert sberbank.listed_on is not None


def test_putin_katakana_and_english(by_id: dict[str, Entity]) -> None:
    putin = by_id["29-1"]
    assert [(n.full, n.kind, n.language) for n in putin.names] == [
        ("ウラジーミル・プーチン", NameKind.PRIMARY, "ja"),
        ("Vladimir Putin", NameKind.PRIMARY, "en"),
    ]
    assert putin.names[0].script == "Kana"
    assert putin.listed_on == dt.date(2022, 3, 1)
    assert [d.as_date() for d in putin.birth_dates] == [dt.date(1952, 10, 7)]
    assert putin.schema_ is Schema.PERSON


def test_listing_dates_and_revisions(
    read: tuple[list[Entity], ReadReport], by_id: dict[str, Entity]
) -> None:
    assert all(entity.listed_on is not None for entity in read[0])
    omar = by_id["2-4"]  # "2001.9.22\n2008.6.25改訂\n...": the first date, revisions kept
    assert omar.listed_on == dt.date(2001, 9, 22)
    assert any(r.startswith("告示日付: 2001.9.22 / 2008.6.25改訂") for r in omar.remarks)


def test_birth_dates_partial_and_serial(by_id: dict[str, Entity]) -> None:
    # 19169 in a cell of format General: the Excel serial of 24 June 1952 (the UN list's date).
    assert [d.as_date() for d in by_id["12-1"].birth_dates] == [dt.date(1952, 6, 24)]
    omar = by_id["2-4"]  # "（a）1966年頃（b）1960年 （c）1953年"
    assert [(d.precision, d.year, d.circa) for d in omar.birth_dates] == [
        (DatePrecision.YEAR, 1966, True),
        (DatePrecision.YEAR, 1960, False),
        (DatePrecision.YEAR, 1953, False),
    ]


def test_aliases_split(by_id: dict[str, Entity]) -> None:
    def names(entry: str, kind: NameKind) -> list[str]:
        return [n.full for n in by_id[entry].names if n.kind is kind]

    # "(a)ビリンギロ・ビクトール・ルムリ（Byiringiro VictorRumuli）、(b)..." and a weak alias.
    assert names("9-3", NameKind.ALIAS)[:2] == [
        "ビリンギロ・ビクトール・ルムリ",
        "Byiringiro VictorRumuli",
    ]
    assert names("9-3", NameKind.WEAK_ALIAS) == ["ルムリ", "Rumuli"]
    # "（別称、…）\n(a.k.a. …; a.k.a. …, f.k.a. …)": Russia's tagged runs.
    assert "Oboronlogistics LLC" in names("28-269", NameKind.ALIAS)
    # Lettered Japanese, then "(a.k.a.: (a)A. Kabir)" in English.
    assert names("2-3", NameKind.ALIAS) == ["A・カビール", "A. Kabir"]
    # A surname and given name split by "、" stay one name.
    assert "エッサイード、カーデル" in names("3-3", NameKind.ALIAS)


def test_detection(shared_lists: Path) -> None:
    assert detect(shared_lists / XLSX).name == "jp-mof-xlsx"
    assert detect(shared_lists / METI_XLSX).name != "jp-mof-xlsx"
    assert not mof.sniff(_head(shared_lists / METI_XLSX))
    assert detect(shared_lists / "uk/ConList.xlsx").name == "uk-ofsi-xlsx"
    assert detect(shared_lists / "au/regulation8_consolidated.xlsx").name == "au-dfat-xlsx"


def test_published_is_the_workbook_modified_date(shared_lists: Path) -> None:
    assert open_list(shared_lists / XLSX).published == dt.datetime(
        2026, 3, 2, 22, 58, 24, tzinfo=dt.UTC
    )


def test_source_spec() -> None:
    spec = FEEDS["jp_mof"]
    assert [file.name for file in spec.files] == ["shisantouketsu.xlsx"]
    assert spec.index_page is not None
    assert spec.index_page.startswith("https://www.mof.go.jp/policy/international_policy/")
    assert not spec.directory


def test_cli_inspect_json(shared_lists: Path) -> None:
    result = CliRunner().invoke(cli.main, ["lists", "inspect", "--json", str(shared_lists / XLSX)])
    assert result.exit_code == 0, result.output
    inspection = json.loads(result.output[result.output.index("{") :])
    assert inspection["format"] == "jp-mof-xlsx"
    assert inspection["entities"] == ENTITIES
    assert inspection["by_schema"] == BY_SCHEMA


# --- small and bad workbooks -------------------------------------------------------------------

HEADER: list[Any] = ["告示日付", "告示番号", "日本語表記", "英語表記", "別称・旧称", "生年月日"]


def _head(path: Path) -> Any:
    from lists.detect import read_head

    return read_head(path)


def _workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    workbook = openpyxl.Workbook()
    index = workbook.active
    assert index is not None
    index.title = "一覧"
    index.append(["外為法に基づく資産凍結等の措置"])
    for number, title in enumerate(sheets, start=1):
        index.append([number, title])
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def _read(path: Path) -> tuple[list[Entity], ReadReport]:
    report = ReadReport()
    return list(mof.entities(path, report)), report


def test_small_workbook(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "mof.xlsx",
        {
            "1.テスト（団体）": [
                ["タイトル"],
                HEADER,
                [
                    "2022.3.1",
                    "1",
                    "テスト銀行",
                    "Test Bank",
                    "（旧称、旧テスト銀行）\n(f.k.a. Old Test Bank)",
                ],
                ["2022.3.8削除", "2"],
                [None, None, None, None, None, None],
                ["2022.3.9\n2023.1.1改訂", "*3(#7)", "テスト社", "Test Co"],
                [None, None, None, None, None, "続き"],
            ],
            "2.【解除】テスト": [["テスト"], ["【2016年1月22日告示廃止】"]],
        },
    )
    # openpyxl writes inline strings, not MOF's shared strings: read, not sniffed, here.
    entities, report = _read(path)
    assert [e.entry_id for e in entities] == ["1-1", "1-3"]
    bank, company = entities
    assert bank.schema_ is Schema.ORGANIZATION
    assert [(n.full, n.kind) for n in bank.names][2:] == [
        ("旧テスト銀行", NameKind.FORMER),
        ("Old Test Bank", NameKind.FORMER),
    ]
    assert company.listed_on == dt.date(2022, 3, 9)
    assert "告示番号: *3(#7)" in company.remarks
    assert "生年月日: 続き" in company.remarks  # the continuation row, kept
    assert any(
        "1 delisted rows (削除) skipped; per sheet: 1.テスト（団体） 1" in w
        for w in report.warnings
    )
    assert any("1 sheets of lifted regimes" in w for w in report.warnings)


def _assert_refused(path: Path, message: str) -> None:
    with pytest.raises(ListReadError) as caught:
        list(mof.entities(path, ReadReport()))
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_duplicate_number_is_refused(tmp_path: Path) -> None:
    rows = [HEADER, ["2022.3.1", "1", "甲", "A"], ["2022.3.1", "1", "乙", "B"]]
    _assert_refused(_workbook(tmp_path / "mof.xlsx", {"1.テスト（個人）": rows}), "occurs twice")


def test_sheet_without_header_that_is_not_lifted_is_refused(tmp_path: Path) -> None:
    rows = [["告示", "番号"], ["2022.3.1", "1", "甲", "A"]]
    path = _workbook(tmp_path / "mof.xlsx", {"1.テスト（個人）": rows})
    _assert_refused(path, "has no header row")


def test_header_without_english_column_is_refused(tmp_path: Path) -> None:
    rows = [["告示日付", "告示番号", "日本語表記"], ["2022.3.1", "1", "甲"]]
    path = _workbook(tmp_path / "mof.xlsx", {"1.テスト（個人）": rows})
    _assert_refused(path, "the header has no '英語表記' column")


def test_truncated_workbook(tmp_path: Path, shared_lists: Path) -> None:
    data = (shared_lists / XLSX).read_bytes()
    path = tmp_path / "shisantouketsu.xlsx"
    path.write_bytes(data[: len(data) // 2])
    _assert_refused(path, "not a readable XLSX workbook")
    with pytest.raises(UnknownFormatError) as caught:
        detect(path)
    assert "truncated or damaged zip archive" in str(caught.value)


def test_wrong_workbook(shared_lists: Path) -> None:
    # METI's End User List read as MOF's: its one sheet has no MOF header and is not lifted.
    _assert_refused(shared_lists / METI_XLSX, "has no header row")


def test_cli_reports_bad_input_without_traceback(tmp_path: Path, shared_lists: Path) -> None:
    data = (shared_lists / XLSX).read_bytes()
    path = tmp_path / "shisantouketsu.xlsx"
    path.write_bytes(data[: len(data) // 3])
    result = CliRunner().invoke(cli.main, ["lists", "inspect", str(path)])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert str(path) in result.output
