"""Japan's Ministry of Finance list of persons subject to asset freezes (Foreign Exchange Act).

MOF publishes the list as one workbook (shisantouketsu.xlsx, at a dated URL). Layout, measured
on the list of 5 March 2026:

* Sheet "一覧" (index): the regime number and its full name, one row per regime sheet.
* 44 regime sheets titled "<number>.<short name>" ("29.ロシア連邦(個人)"). Each has its own
  title and note lines, then a header row, then one row per listing. The header is found by
  its titles (the row holding 告示日付, 告示番号, 日本語表記 and 英語表記, row 2 to 5); every
  sheet has its own columns after those four (45 distinct titles: aliases, birth date,
  nationality, passport, address, position, UN reference, other information ...).
  Sheets of lifted regimes (8 Liberia, 11 Côte d'Ivoire, 18 Iran) hold only their title and
  "【…告示廃止】" (notification repealed): no header, no entries; they are counted in the
  read report. A sheet without a header that is not marked lifted is refused.

Rows under the header:

* a numbered row (告示番号 filled) is one listing, an entity;
* a row whose 告示日付 says 削除 ("2011.11.18削除", deleted on that date; some add
  "（38．と同一人物）", same person as No. 38) is a delisted entry. It is not an entity, but
  counted per sheet in a `ReadReport` warning;
* a row with neither date nor number but text continues the listing above (the Somalia sheet
  spreads Al-Shabaab's statement of case over 12 rows): its cells are added to that listing;
* blank rows (thousands: formatting) are skipped.

Mapping:

* ``entry_id`` "<sheet number>-<number>": MOF's 告示番号 (notification number) is unique per
  sheet and keeps its value when rows are deleted; its markers "*1", "1(*186)", "12(#47)"
  (the number the same party has under another regime's notice) are not part of the id and
  are kept as a remark. A number seen twice in a sheet is refused.
* Schema: the sheet's kind, from the words 個人 (individuals) and 団体 / 特定銀行 (entities,
  specified banks) in the sheet title, else in the index name; a text naming both or neither
  (Taliban, terrorists, Sudan, North Korea 1695, Somalia, Yemen ...) leaves the kind to each
  row: a person when a birth date, birth place, nationality, passport, title or position is
  given (not "不明", unknown), when more than half of those columns are filled (MOF fills
  them all with 不明 for a person it knows little about; an organisation's are empty), or
  when the other-information cell states a 生年月日 (birth date); else an organisation.
* Names: 日本語表記 (primary, language "ja", script read from the letters: Kana, Hani or Jpan)
  and 英語表記 (primary, "en"); "(original script: ...)" inside the English name is an alias
  in that script. Phonetic readings (furigana runs of the shared strings) are not cell text:
  openpyxl keeps only the text runs. Alias columns are split by `_mof_text.split_aliases`:
  別名/別称 and the like are aliases, 旧称/過去の別名/以前の別名 former names, 確定に十分でない
  別名 ("alias not sufficient to identify") weak aliases.
* ``listed_on``: the first date of 告示日付, the notification that listed the entry. Later
  lines are revisions ("2008.6.25改訂") and are kept, with the whole cell, as a remark.
* Birth dates as partial dates (`_mof_text.birth_dates`); a cell not read in full is also kept
  as a remark. Birth places, nationalities (Japanese country names, via countrynames; an
  organisation's goes to ``countries``) and addresses (one per line) as written.
* Column titles and the mapping of each cell: `lists.jp._mof_columns`.
* Passport and ID number cells become identifiers when they hold one bare number; otherwise
  they are remarks. 国連参照番号 is the UN reference. Every other column is a remark
  "<column title>: <text>"; a column title not measured here is reported once.
* ``programs``: the regime, the sheet title without its number ("ロシア連邦(個人)").

`published`: the workbook's core "modified" property (when MOF last saved it, UTC); the date
in the file name is not part of the content.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from lists import xlsx
from lists.base import Head, ListFormat, ReadReport
from lists.draft import EntityDraft
from lists.errors import ListReadError
from lists.jp import _mof_text as text
from lists.jp._mof_columns import (
    DATE,
    ENGLISH,
    JAPANESE,
    KNOWN_COLUMNS,
    NUMBER,
    OTHER_INFORMATION,
    PERSON_COLUMNS,
    REQUIRED_COLUMNS,
    add_value,
)
from lists.model import (
    Entity,
    Name,
    NameKind,
    Schema,
    Source,
    SourceRef,
)

FORMAT_NAME = "jp-mof-xlsx"
DATASET = "jp_mof"
INDEX_SHEET = "一覧"

# Words of MOF's workbook that no other list's has: the notification date and number columns
# and "asset freeze" of the index sheet's introduction.
_SNIFF_WORDS = (DATE.encode(), NUMBER.encode(), "資産凍結".encode())


_SHEET_NUMBER = re.compile(r"^\s*(\d+)\s*[.．]\s*")
_ENTRY_NUMBER = re.compile(r"^[*#]?(\d+)")
_DELETED = "削除"
_LIFTED = ("解除", "告示廃止")
_PERSON_WORD = "個人"
_ORGANIZATION_WORDS = ("団体", "特定銀行")


def sniff(head: Head) -> bool:
    """An XLSX workbook whose shared strings hold MOF's header and index words."""
    return xlsx.has_words(head, _SNIFF_WORDS)


def published(path: Path) -> dt.datetime | None:
    """When MOF last saved the workbook (core property, UTC); None when it does not say."""
    return xlsx.saved_at(path)


def entities(path: Path, report: ReadReport) -> Iterator[Entity]:
    """Read every regime sheet, then map each numbered row to one entity.

    The whole workbook is read before the first entity is handed out, so a damaged sheet
    anywhere yields nothing.
    """
    sheets = _Reader(path, report).read()
    for sheet in sheets:
        for record in sheet.records:
            entity = _entity(path, report, sheet, record)
            if entity is not None:
                yield entity


@dataclass
class _Record:
    line: int
    number: str
    values: dict[str, list[Any]]


@dataclass
class Sheet:
    """One regime sheet: its key, regime name, kind and rows as read."""

    key: str
    title: str
    regime: str
    index_name: str = ""
    schema: Schema | None = None
    columns: list[str] = field(default_factory=list)
    records: list[_Record] = field(default_factory=list)
    deleted: int = 0
    lifted: bool = False
    notes: list[str] = field(default_factory=list)


class _Reader:
    def __init__(self, path: Path, report: ReadReport) -> None:
        self.path = path
        self.report = report

    def read(self) -> list[Sheet]:
        rows = xlsx.workbook_rows(self.path)
        try:
            sheets, index = self._collect(rows)
        finally:
            rows.close()
        for sheet in sheets:
            sheet.index_name = index.get(sheet.key, "")
            sheet.schema = sheet_kind(sheet.title) or sheet_kind(sheet.index_name)
            self._finish(sheet)
        self._summarise(sheets)
        return sheets

    def _collect(
        self, rows: Iterator[tuple[int, str, int, tuple[Any, ...]]]
    ) -> tuple[list[Sheet], dict[str, str]]:
        sheets: list[Sheet] = []
        index: dict[str, str] = {}
        sheet: Sheet | None = None
        current = -1
        for position, title, line, cells in rows:
            if position == 0 and title == INDEX_SHEET:
                _index_row(index, cells)
                continue
            if sheet is None or position != current:
                current = position
                match = _SHEET_NUMBER.match(title)
                key = match.group(1) if match else str(position)
                regime = _SHEET_NUMBER.sub("", title).strip()
                sheet = Sheet(key=key, title=title.strip(), regime=regime)
                sheets.append(sheet)
            self._row(sheet, line, cells)
        if not sheets:
            raise ListReadError(self.path, "the workbook has no regime sheets")
        return sheets, index

    def _row(self, sheet: Sheet, line: int, cells: tuple[Any, ...]) -> None:
        texts = [text.flat(cell) for cell in cells]
        if not any(texts):
            return
        if not sheet.columns:
            if all(column in texts for column in REQUIRED_COLUMNS[:3]):
                sheet.columns = self._header(sheet, line, texts)
            else:
                sheet.notes.append(" ".join(t for t in texts if t))
            return
        values = dict(zip(sheet.columns, cells, strict=False))
        self._beyond_header(sheet, line, cells[len(sheet.columns) :], values)
        date_text = text.clean(values.get(DATE))
        number = text.flat(values.get(NUMBER))
        if _DELETED in date_text:
            sheet.deleted += 1
        elif number:
            self._numbered(sheet, line, number, values)
        elif date_text:
            self.report.warn(
                f"{self.path}:{line}: sheet {sheet.title}: a row with a 告示日付 but no 告示番号 "
                "(notification number); skipped"
            )
        elif sheet.records:
            # A row that continues the listing above it (Somalia: a long statement of case).
            record = sheet.records[-1]
            for column, value in values.items():
                if text.flat(value):
                    record.values.setdefault(column, []).append(value)
        else:
            self.report.warn(
                f"{self.path}:{line}: sheet {sheet.title}: text before the first listing; skipped"
            )

    def _numbered(self, sheet: Sheet, line: int, number: str, values: dict[str, Any]) -> None:
        if any(record.number == number for record in sheet.records):
            raise ListReadError(
                self.path,
                f"sheet {sheet.title}: 告示番号 {number} occurs twice; the entry ids would clash",
                line=line,
            )
        sheet.records.append(
            _Record(
                line=line,
                number=number,
                values={key: [value] for key, value in values.items() if text.flat(value)},
            )
        )

    def _header(self, sheet: Sheet, line: int, texts: list[str]) -> list[str]:
        while texts and not texts[-1]:
            texts.pop()
        for required in REQUIRED_COLUMNS:
            if required not in texts:
                raise ListReadError(
                    self.path,
                    f"sheet {sheet.title}: the header has no '{required}' column; not a MOF "
                    "asset-freeze list in the expected layout",
                    line=line,
                )
        for title in texts:
            if title and title not in KNOWN_COLUMNS:
                self.report.warn_once(
                    f"column {title}",
                    f"{self.path}:{line}: sheet {sheet.title}: column '{title}' is not one "
                    "this reader knows; its values are kept as remarks",
                )
        return [title or f"column {number + 1}" for number, title in enumerate(texts)]

    def _beyond_header(
        self, sheet: Sheet, line: int, extra: tuple[Any, ...], values: dict[str, Any]
    ) -> None:
        for offset, cell in enumerate(extra):
            if text.flat(cell):
                label = f"column {len(sheet.columns) + offset + 1}"
                values[label] = cell
                self.report.warn(
                    f"{self.path}:{line}: sheet {sheet.title}: a value in {label}, which has "
                    "no heading; kept as a remark"
                )

    def _finish(self, sheet: Sheet) -> None:
        if sheet.columns:
            return
        if any(word in sheet.title or word in " ".join(sheet.notes) for word in _LIFTED):
            sheet.lifted = True
            return
        raise ListReadError(
            self.path,
            f"sheet {sheet.title} has no header row ({', '.join(REQUIRED_COLUMNS)}) and is not "
            "marked as a lifted regime (解除 / 告示廃止); layout changed?",
        )

    def _summarise(self, sheets: list[Sheet]) -> None:
        lifted = [sheet.title for sheet in sheets if sheet.lifted]
        if lifted:
            self.report.warn(
                f"{self.path}: {len(lifted)} sheets of lifted regimes without entries "
                f"(解除): {', '.join(lifted)}"
            )
        deleted = [(sheet.title, sheet.deleted) for sheet in sheets if sheet.deleted]
        if deleted:
            total = sum(count for _, count in deleted)
            per_sheet = ", ".join(f"{title} {count}" for title, count in deleted)
            self.report.warn(
                f"{self.path}: {total} delisted rows (削除) skipped; per sheet: {per_sheet}"
            )
        if not any(sheet.records for sheet in sheets):
            raise ListReadError(self.path, "the workbook has no listings; truncated download?")


def _index_row(index: dict[str, str], cells: tuple[Any, ...]) -> None:
    filled = [cell for cell in cells if text.flat(cell)]
    if len(filled) >= 2 and text.flat(filled[0]).isdigit():
        index[text.flat(filled[0])] = text.flat(filled[1])


def sheet_kind(title: str) -> Schema | None:
    """PERSON or ORGANIZATION when a sheet title (or index name) names one kind only."""
    person = _PERSON_WORD in title
    organization = any(word in title for word in _ORGANIZATION_WORDS)
    if person and not organization:
        return Schema.PERSON
    if organization and not person:
        return Schema.ORGANIZATION
    return None


def entry_id(sheet: Sheet, number: str) -> str | None:
    match = _ENTRY_NUMBER.match(text.nfkc(number))
    return f"{sheet.key}-{match.group(1)}" if match else None


def _entity(path: Path, report: ReadReport, sheet: Sheet, record: _Record) -> Entity | None:
    where = f"{path}:{record.line}: sheet {sheet.title}, 告示番号 {record.number}"
    key = entry_id(sheet, record.number)
    if key is None:
        raise ListReadError(
            path,
            f"sheet {sheet.title}: 告示番号 '{record.number}' is not a number",
            line=record.line,
        )
    draft = EntityDraft()
    _add_primary_names(draft, record)
    if not draft.names:
        report.warn(f"{where}: no name in 日本語表記 or 英語表記; skipped")
        return None
    schema = sheet.schema or _row_kind(sheet, record)
    draft.add_program(sheet.regime)
    _add_notification(report, where, draft, record)
    if record.number != key.split("-", 1)[1]:
        draft.add_remark(f"{NUMBER}: {record.number}")
    for column, values in record.values.items():
        if column in (DATE, NUMBER, JAPANESE, ENGLISH):
            continue
        for value in values:
            add_value(draft, schema, column, value)
    ref = SourceRef(format=FORMAT_NAME, file=path.name, record=f"{sheet.title} {record.number}")
    try:
        return draft.build(Source.JP, key, schema, ref, dataset=DATASET)
    except ValidationError as exc:
        raise ListReadError(path, f"invalid listing: {exc}", line=record.line, record=key) from None


def _add_primary_names(draft: EntityDraft, record: _Record) -> None:
    for column, language in ((JAPANESE, "ja"), (ENGLISH, "en")):
        written = " ".join(text.flat(value) for value in record.values.get(column, []))
        name, originals = text.split_original_script(written)
        if name and name not in ("不明",):
            # The column says the language; the letters say the script ("団体「Rusich」": Latn).
            script = text.script_and_language(name)[0]
            draft.add_name(Name(full=name, script=script, language=language))
        for original in originals:
            original_script, original_language = text.script_and_language(original)
            draft.add_name(
                Name(
                    full=original,
                    kind=NameKind.ALIAS,
                    script=original_script,
                    language=original_language,
                )
            )


def _row_kind(sheet: Sheet, record: _Record) -> Schema:
    """Person or organisation for a row of a sheet that lists both (module docstring)."""
    columns = [column for column in sheet.columns if column in PERSON_COLUMNS]
    filled = [column for column in columns if record.values.get(column)]
    if any(text.known(value) for column in filled for value in record.values[column]):
        return Schema.PERSON
    # MOF writes 不明 (unknown) into every person column of a person it knows little about
    # (Yemen No. 4, Abdulmalik al-Houthi), and leaves them empty for an organisation; one
    # stray 不明 (Taliban No. 626, Haqqani Network: birth place) does not make a person.
    if columns and len(filled) * 2 > len(columns):
        return Schema.PERSON
    for value in record.values.get(OTHER_INFORMATION, []):
        if "生年月日" in text.flat(value):
            return Schema.PERSON
    return Schema.ORGANIZATION


def _add_notification(report: ReadReport, where: str, draft: EntityDraft, record: _Record) -> None:
    lines = [
        line for value in record.values.get(DATE, []) for line in text.clean(value).split("\n")
    ]
    listed = text.notification_date(lines[0]) if lines else None
    if listed is None:
        report.warn(f"{where}: 告示日付 {' / '.join(lines)!r} does not start with a date")
    draft.note_listed_on(listed)
    if len(lines) > 1 or listed is None:
        draft.add_remark(f"{DATE}: {' / '.join(lines)}")


FORMAT = ListFormat(
    name=FORMAT_NAME,
    source=Source.JP,
    description="Japan MOF asset-freeze list (Foreign Exchange Act), XLSX",
    sniff=sniff,
    published=published,
    entities=entities,
    id_scheme="mof-sheet-notification-no",
)
