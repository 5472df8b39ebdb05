"""Japan's METI End User List (外国ユーザーリスト): one XLSX worksheet, one row per entity.

The Ministry of Economy, Trade and Industry lists foreign entities of concern for the development
of weapons of mass destruction or conventional weapons, so that exporters apply its catch-all
control: an export to a listed entity needs a licence unless the goods are clearly not for such
use. It is an export-control list (dataset ``jp_meti_eul``), not an asset freeze.

Where it is published: METI's security export control pages link each revision's workbook at a
dated URL. Index page: https://www.meti.go.jp/policy/anpo/law05.html (the ammitto/data-jp
downloader found the link on https://www.meti.go.jp/policy/anpo/law00.html); the revision of
29 September 2025 (press release
https://www.meti.go.jp/press/2025/09/20250929006/20250929006.html, 835 entries):
https://www.meti.go.jp/policy/anpo/20250929_4.xlsx. A new revision gets a new file name, so the
URL must be read from the index page each time.

Layout (revision of 2025-09-29): one worksheet (ユーザーリスト); row 1 is the header, every cell
in Japanese and English on two lines: No. | 国名、地域名 Country or Region | 企業名､組織名
Company or Organization | 別名 Also Known As | 懸念区分 Type of WMD | 通常兵器 Conventional
Weapons. Columns are found by either label, so a header in one language only still reads.

- No.: the formula ``=ROW()-1``, i.e. the row's position, which is the entry id. Its cached
  value is used; a workbook saved by a program that does not compute formulas has none, and the
  number is then derived from the row the way the formula does (row minus the header's row).
  The number is a position, not a stable key: a revision that inserts an entity renumbers every
  entity after it.
- Country or Region: Japanese and English names on two lines ("イラン" / "Islamic Republic of
  Iran") -> ``countries`` (ISO code of every line that names a country; they agree).
- Company or Organization: every entry is a company or organisation (the column says so; no
  person, vessel or aircraft is listed) -> schema organization. The cell holds the name in Latin
  letters, which is the primary name, and for 200 entities (North Korea, China, Hong Kong, Taiwan)
  the name in Chinese characters or kana too, in brackets on the next line ("Choson Central
  Bank" / "(朝鮮中央銀行)") or on the same line: kept as an alias in its script. Four North
  Korean entities are named in Japanese only ("セソン技術貿易"): that name is the primary one.
  See `lists.jp._meti_cells` for lines that continue a wrapped name.
- Also Known As: "・" bullet lines, one alias each (plus names in Chinese characters).
- Type of WMD: "生物、化学、ミサイル、核" / "B,C,M,N" (biological, chemical, missile, nuclear);
  Conventional Weapons: "通常兵器" / "CW". Both -> ``programs`` ("Missile (M)" ...).

Languages: the file names no language for a name. Latin names are often transliterations
("Sazemane Sanaye Defa"), and the names in Chinese characters are Japanese renderings (North
Korean entities) or the Chinese original, often in simplified characters (北京罗罗科技发展有限
公司). So a name gets ``language="ja"`` only when it has kana, which only Japanese writes;
otherwise its language is left unknown. The script is always read from the letters.

The list states no listing date. Publication date: the workbook's core "modified" property
(when METI last saved it, UTC); the file name carries the revision date as well.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lists import xlsx
from lists.base import Head, ListFormat, ReadReport
from lists.draft import EntityDraft
from lists.errors import ListReadError
from lists.jp import _meti_cells as cells
from lists.model import Entity, Name, NameKind, Schema, Source, SourceRef
from lists.values.scripts import detect_script

FORMAT_NAME = "jp-meti-eul-xlsx"
DATASET = "jp_meti_eul"

NUMBER = "No."
COUNTRY = "Country or Region"
NAME = "Company or Organization"
ALIASES = "Also Known As"
WMD = "Type of WMD"
CONVENTIONAL = "Conventional Weapons"
# Each column by its English and its Japanese label (compared after NFKC folding, which turns
# the half-width "､" of 企業名､組織名 into "、").
_LABELS: dict[str, tuple[str, ...]] = {
    NUMBER: ("No.", "番号"),
    COUNTRY: ("Country or Region", "国名、地域名"),
    NAME: ("Company or Organization", "企業名、組織名"),
    ALIASES: ("Also Known As", "別名"),
    WMD: ("Type of WMD", "懸念区分"),
    CONVENTIONAL: ("Conventional Weapons", "通常兵器"),
}
# Words of METI's header that no other list's header has, for sniffing the shared strings. Only
# the English labels: some writers store Japanese as character references (&#25080;).
_SNIFF_WORDS = (WMD.encode(), ALIASES.encode(), NAME.encode())

_KANA = frozenset({"Jpan", "Hira", "Kana"})


def sniff(head: Head) -> bool:
    """An XLSX workbook whose header names METI's End User List columns (in English)."""
    return xlsx.has_words(head, _SNIFF_WORDS)


def published(path: Path) -> dt.datetime | None:
    """When the workbook was last saved (core property, UTC); None when it does not say."""
    return xlsx.saved_at(path)


def entities(path: Path, report: ReadReport) -> Iterator[Entity]:
    """Every row's entity; the whole sheet is read first, so a damaged file yields nothing."""
    yield from _Reader(path, report).read()


@dataclass
class _Row:
    line: int
    number: str
    values: dict[str, Any]

    def text(self, column: str) -> str:
        return xlsx.cell_text(self.values.get(column))


class _Reader:
    def __init__(self, path: Path, report: ReadReport) -> None:
        self.path = path
        self.report = report

    def read(self) -> list[Entity]:
        rows = xlsx.sheet_rows(self.path, 0)
        try:
            parsed = self._rows(rows)
        finally:
            rows.close()
        return [self._entity(row) for row in parsed]

    def _rows(self, rows: Iterator[tuple[int, tuple[Any, ...]]]) -> list[_Row]:
        header_line, columns = self._header(rows)
        parsed: list[_Row] = []
        numbers: dict[str, int] = {}
        blank_lines: list[int] = []
        for line, values in rows:
            row = self._row(line, header_line, columns, values)
            if row is None:
                blank_lines.append(line)
                continue
            if row.number in numbers:
                raise ListReadError(
                    self.path,
                    f"No. {row.number} occurs twice (also in row {numbers[row.number]})",
                    line=line,
                )
            numbers[row.number] = line
            parsed.append(row)
        if not parsed:
            raise ListReadError(
                self.path, "the workbook has a header but no data rows; truncated download?"
            )
        if blank_lines:
            shown = ", ".join(map(str, blank_lines[:10])) + (", ..." if blank_lines[10:] else "")
            self.report.warn(f"{self.path}: {len(blank_lines)} blank rows skipped (rows {shown})")
        return parsed

    def _header(self, rows: Iterator[tuple[int, tuple[Any, ...]]]) -> tuple[int, dict[int, str]]:
        """The header's row number and {column index: column name} (unknown labels as-is)."""
        for line, values in rows:
            labels = [" ".join(xlsx.cell_text(value).split()) for value in values]
            if not any(labels):
                continue
            columns: dict[int, str] = {}
            for index, label in enumerate(labels):
                if label:
                    columns[index] = _column(xlsx.cell_text(values[index])) or label
            for required in _LABELS:
                if required not in columns.values():
                    raise ListReadError(
                        self.path,
                        f"the header has no '{required}' column; not a METI End User List in "
                        "the expected layout",
                        line=line,
                    )
            return line, columns
        raise ListReadError(self.path, "no header row; empty or truncated workbook")

    def _row(
        self, line: int, header_line: int, columns: dict[int, str], values: tuple[Any, ...]
    ) -> _Row | None:
        named: dict[str, Any] = {}
        for index, value in enumerate(values):
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            column = columns.get(index)
            if column is None:
                column = f"column {index + 1}"
                self.report.warn(f"{self.path}:{line}: a value in {column}, which has no heading")
            named[column] = value
        # A No. alone (the formula copied below the list) is a blank row, not an entity.
        if not set(named) - {NUMBER}:
            return None
        return _Row(
            line=line, number=self._number(line, header_line, named.get(NUMBER)), values=named
        )

    def _number(self, line: int, header_line: int, value: object) -> str:
        if value is None:
            # No cached result of =ROW()-1: compute it as the formula does.
            self.report.warn_once(
                "no cached No.",
                f"{self.path}:{line}: the No. cells have no cached value (a workbook saved "
                "without computing its formulas); each entry is numbered from its row as "
                "METI's formula =ROW()-1 does",
            )
            return str(line - header_line)
        text = xlsx.cell_text(value).strip()
        if not text.isdecimal():
            raise ListReadError(self.path, f"No. {text!r} is not a number", line=line)
        return str(int(text))

    def _entity(self, row: _Row) -> Entity:
        draft = EntityDraft()
        self._add_names(draft, row)
        self._add_country(draft, row)
        self._add_concerns(draft, row)
        for column, value in row.values.items():
            if column not in _LABELS:  # a column this reader does not know
                self.report.warn_once(
                    f"column {column}",
                    f"{self.path}:{row.line}: column '{column}' is not one METI's list had; "
                    "its values are kept as remarks",
                )
                draft.add_remark(f"{column}: {xlsx.cell_text(value)}")
        ref = SourceRef(format=FORMAT_NAME, file=self.path.name, record=row.number)
        return draft.build(Source.JP, row.number, Schema.ORGANIZATION, ref, dataset=DATASET)

    def _add_names(self, draft: EntityDraft, row: _Row) -> None:
        name = cells.name_cell(row.text(NAME))
        # Four North Korean entries are named in Japanese only: that name is the primary one.
        names = [name.latin] if name.latin else []
        names += name.other_scripts
        aliases = cells.alias_cell(row.text(ALIASES))
        if not names and aliases:
            names.append(aliases.pop(0))
            self.report.warn(
                f"{self.path}:{row.line}: No. {row.number} has an empty '{NAME}' cell; its "
                f"first alias {names[0]!r} is read as its primary name"
            )
        if not names:
            raise ListReadError(
                self.path,
                f"No. {row.number} has no name (its '{NAME}' and '{ALIASES}' cells are empty)",
                line=row.line,
                record=row.number,
            )
        draft.add_name(_name(names[0], NameKind.PRIMARY))
        for text in [*names[1:], *aliases]:
            draft.add_name(_name(text, NameKind.ALIAS))

    def _add_country(self, draft: EntityDraft, row: _Row) -> None:
        written = row.text(COUNTRY)
        found = cells.country(written)
        for code in found.codes:
            draft.add_country(code)
        if len(found.codes) > 1:
            self.report.warn(
                f"{self.path}:{row.line}: No. {row.number}: the lines of '{COUNTRY}' name "
                f"different countries ({', '.join(found.codes)}); all are kept"
            )
        if not found.codes:
            draft.add_remark(f"{COUNTRY}: {' / '.join(cells.lines(written))}")
            if written.strip():
                self.report.warn(
                    f"{self.path}:{row.line}: No. {row.number}: country "
                    f"{' / '.join(cells.lines(written))!r} not recognised; kept as a remark"
                )
            else:
                self.report.warn(f"{self.path}:{row.line}: No. {row.number} has no country")

    def _add_concerns(self, draft: EntityDraft, row: _Row) -> None:
        for column in (WMD, CONVENTIONAL):
            written = row.text(column)
            if not written.strip():
                continue
            found = cells.concerns(written)
            for code in found.codes:
                draft.add_program(cells.program(code))
            where = f"{self.path}:{row.line}: No. {row.number}: '{column}'"
            if found.unread:
                draft.add_remark(f"{column}: {found.unread}")
                self.report.warn(f"{where} {found.unread!r} not fully read; kept as a remark")
            if found.disagreement:
                self.report.warn(f"{where}: {found.disagreement}; both are kept")
        if not draft.programs:
            self.report.warn(f"{self.path}:{row.line}: No. {row.number} states no concern type")


def _column(label: str) -> str | None:
    """The column a header cell names, by any of its lines in English or Japanese."""
    for line in cells.lines(unicodedata.normalize("NFKC", label)):
        folded = " ".join(line.split()).casefold()
        for column, labels in _LABELS.items():
            if folded in (unicodedata.normalize("NFKC", text).casefold() for text in labels):
                return column
    return None


def _name(text: str, kind: NameKind) -> Name:
    script = detect_script(text)
    # Kana is only Japanese; Chinese characters alone may be Japanese or Chinese (docstring).
    language = "ja" if script in _KANA else None
    return Name(full=text, kind=kind, script=script, language=language)


FORMAT = ListFormat(
    name=FORMAT_NAME,
    source=Source.JP,
    description="METI End User List (外国ユーザーリスト), XLSX workbook",
    sniff=sniff,
    published=published,
    entities=entities,
    id_scheme="meti-eul-no",
)
