"""Small, valid starting files for the fuzzers, cut from the real shared files.

Each list format gets one seed: the first records of a real published file, closed so that the
excerpt is itself a valid file of that format (XML: cut after the n-th record's closing tag and
the enclosing elements closed; CSV: cut after the n-th record at a line end outside quotes;
XLSX: a new workbook holding the first rows of each sheet, written with openpyxl, its strings
then moved to a shared string table as in the official files; OFAC legacy CSV: a directory of
the first sdn.csv rows and their alt.csv/add.csv rows). The OFAC Advanced, FCDO and EU FSF XML
seeds are the real excerpts in the shared fixtures as they are; no real EU CSV is published
here, so its seed is the test suite's conversion of the EU XML excerpt. Seeds are small (a few
KiB to ~120 KiB) so that one fuzz example reads in milliseconds. The batch and
transaction seeds are built from real list data too: a party file is the start of the real US
Consolidated Screening List CSV (it has a ``name`` column), and the transactions carry real
names and countries from it and real HS codes from ``reference/chpl.csv``.

Not a test module: `tests.fuzz` tests and ``bench/fuzz.py`` both build their inputs here.
"""

from __future__ import annotations

import csv
import io
import json
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"
SHARED_LISTS = SHARED / "lists"
EU_CSV_SAMPLE = ROOT / "tests" / "lists" / "eu" / "fixtures" / "fsf_sample.csv"

# Records kept per seed: enough for every reader to meet its repeated and optional fields,
# few enough that a fuzz example stays in the millisecond range.
CSV_RECORDS = 30
XML_RECORDS = 8
XLSX_ROWS = 30
# The Japanese MOF workbook has 45 sheets, one per sanctions programme: the index sheet and the
# first regime sheets (persons and organisations, three column layouts), a few rows of each.
MOF_ROWS_PER_SHEET = 6
MOF_SHEETS = 5
PARTY_ROWS = 40
TRANSACTIONS = 30


@dataclass(frozen=True)
class Seed:
    """A valid input: the files to write (name -> bytes), and which one the fuzzer mutates.

    ``target`` is the file whose bytes are mutated; ``opened`` is the path handed to the reader,
    relative to the example's folder (the folder itself, ``"."``, for an OFAC CSV directory).
    """

    name: str
    files: dict[str, bytes]
    target: str
    opened: str
    is_xlsx: bool = False

    @property
    def data(self) -> bytes:
        return self.files[self.target]


def single(name: str, file_name: str, data: bytes, is_xlsx: bool = False) -> Seed:
    """A seed of one file, handed to the reader as it is."""
    return Seed(name, {file_name: data}, target=file_name, opened=file_name, is_xlsx=is_xlsx)


# -- cutting real files ------------------------------------------------------------------------


def xml_excerpt(data: bytes, record_end: bytes, records: int, closing: bytes) -> bytes:
    """The file up to the end of its ``records``-th ``record_end`` tag, then ``closing``."""
    end = -1
    for _ in range(records):
        end = data.index(record_end, end + 1)
    return data[: end + len(record_end)] + b"\n" + closing


def csv_excerpt(data: bytes, records: int) -> bytes:
    """The first ``records`` CSV records (header lines included), cut at a line end.

    A line end only ends a record outside quotes, so the cut waits until the quotes seen so
    far are balanced: a multi-line quoted cell is never split.
    """
    kept: list[bytes] = []
    quotes = 0
    for line in data.splitlines(keepends=True):
        kept.append(line)
        quotes += line.count(b'"')
        if len(kept) >= records and quotes % 2 == 0:
            break
    return b"".join(kept)


def xlsx_head(source: Path, rows: int, sheets: int | None = None) -> bytes:
    """A new workbook with the first ``rows`` rows (values) of the first ``sheets`` sheets."""
    with warnings.catch_warnings():
        # The MOF workbook's print area names a missing range; openpyxl says so and goes on.
        warnings.simplefilter("ignore", UserWarning)
        original = openpyxl.load_workbook(source, read_only=True, data_only=True)
    copy = openpyxl.Workbook()
    copy.remove(copy.active)  # type: ignore[arg-type]
    # The original's save times (MOF's publication date is its last save), not the clock's:
    # the same seed on every run, so that derandomized examples are the same on every run.
    try:
        for sheet in original.worksheets[:sheets]:
            target = copy.create_sheet(sheet.title)
            for row in sheet.iter_rows(max_row=rows, values_only=True):
                target.append(_trim(row))
    finally:
        original.close()
    buffer = io.BytesIO()
    copy.save(buffer)
    with zipfile.ZipFile(source) as archive:
        names = archive.namelist()
        core = archive.read("docProps/core.xml") if "docProps/core.xml" in names else b""
    return with_shared_strings(buffer.getvalue(), core)


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_SHARED = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SHARED_RELATION = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
)


def fixed_time(name: str) -> zipfile.ZipInfo:
    """A deflated zip member dated 1980-01-01: an archive's bytes never depend on the clock."""
    member = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    member.compress_type = zipfile.ZIP_DEFLATED
    return member


def with_shared_strings(workbook: bytes, core: bytes) -> bytes:
    """The workbook with its inline strings moved to a shared string table, as Excel saves it.

    openpyxl writes every string inline, non-ASCII ones as character references; the official
    workbooks keep them in ``xl/sharedStrings.xml`` as UTF-8, which is where the sniffers look
    for a publisher's header words. The core properties become `core`, the original's (openpyxl
    stamps the current time, and MOF's publication date is its last save), or none if empty:
    the same seed on every run, so that derandomized examples are the same on every run.
    """
    strings: dict[str, int] = {}
    source = zipfile.ZipFile(io.BytesIO(workbook))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            content = source.read(member)
            if member.filename.startswith("xl/worksheets/sheet"):
                content = _share(content, strings)
            elif member.filename == "docProps/core.xml":
                content = core
            elif member.filename == "[Content_Types].xml":
                override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SHARED}"/>'
                content = content.replace(b"</Types>", override.encode() + b"</Types>")
            elif member.filename == "xl/_rels/workbook.xml.rels":
                relation = f'<Relationship Id="rIdShared" Type="{_SHARED_RELATION}" '
                relation += 'Target="sharedStrings.xml"/>'
                content = content.replace(
                    b"</Relationships>", relation.encode() + b"</Relationships>"
                )
            if content:
                target.writestr(fixed_time(member.filename), content)
        table = etree.Element(f"{{{_MAIN}}}sst", nsmap={None: _MAIN})
        table.set("count", str(len(strings)))
        table.set("uniqueCount", str(len(strings)))
        for text in strings:
            cell = etree.SubElement(etree.SubElement(table, f"{{{_MAIN}}}si"), f"{{{_MAIN}}}t")
            cell.text = text
            cell.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        target.writestr(
            fixed_time("xl/sharedStrings.xml"),
            etree.tostring(table, xml_declaration=True, encoding="UTF-8"),
        )
    return output.getvalue()


def _share(sheet: bytes, strings: dict[str, int]) -> bytes:
    # The sheet was written by openpyxl a moment ago: trusted input, parsed with lxml directly.
    root = etree.fromstring(sheet)
    for cell in root.iter(f"{{{_MAIN}}}c"):
        if cell.get("t") != "inlineStr":
            continue
        text = "".join(cell.itertext())
        for child in list(cell):
            cell.remove(child)
        cell.set("t", "s")
        etree.SubElement(cell, f"{{{_MAIN}}}v").text = str(strings.setdefault(text, len(strings)))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _trim(row: tuple[object, ...]) -> list[object]:
    # Sheets declare up to 255 columns; trailing empty cells would only slow every read.
    cells = list(row)
    while cells and cells[-1] is None:
        cells.pop()
    return cells


# -- list seeds --------------------------------------------------------------------------------


def _ofac_legacy_directory() -> Seed:
    folder = SHARED_LISTS / "ofac" / "legacy_csv_2021"
    primary = csv_excerpt((folder / "sdn.csv").read_bytes(), CSV_RECORDS)
    kept_ids = {line.split(b",", 1)[0] for line in primary.splitlines() if line.strip()}

    def companion(name: str) -> bytes:
        lines = (folder / name).read_bytes().splitlines(keepends=True)
        return b"".join(line for line in lines if line.split(b",", 1)[0] in kept_ids)

    return Seed(
        name="ofac-legacy-csv",
        files={
            "sdn.csv": primary,
            "alt.csv": companion("alt.csv"),
            "add.csv": companion("add.csv"),
        },
        target="sdn.csv",
        opened=".",
    )


def _xml(name: str, relative: str, record_end: bytes, closing: bytes) -> Callable[[], Seed]:
    def build() -> Seed:
        data = (SHARED_LISTS / relative).read_bytes()
        excerpt = xml_excerpt(data, record_end, XML_RECORDS, closing)
        return single(name, Path(relative).name, excerpt)

    return build


def _whole(name: str, path: Path) -> Callable[[], Seed]:
    def build() -> Seed:
        return single(name, path.name, path.read_bytes())

    return build


def _csv(name: str, relative: str) -> Callable[[], Seed]:
    def build() -> Seed:
        excerpt = csv_excerpt((SHARED_LISTS / relative).read_bytes(), CSV_RECORDS)
        return single(name, Path(relative).name, excerpt)

    return build


def _xlsx(
    name: str, relative: str, rows: int = XLSX_ROWS, sheets: int | None = None
) -> Callable[[], Seed]:
    def build() -> Seed:
        data = xlsx_head(SHARED_LISTS / relative, rows, sheets)
        return single(name, Path(relative).name, data, is_xlsx=True)

    return build


def _un() -> Seed:
    data = (SHARED_LISTS / "un" / "consolidated.xml").read_bytes()
    individuals = xml_excerpt(data, b"</INDIVIDUAL>", XML_RECORDS // 2, b"  </INDIVIDUALS>\n")
    entities_start = data.index(b"<ENTITIES>")
    entities = xml_excerpt(data[entities_start:], b"</ENTITY>", XML_RECORDS // 2, b"")
    excerpt = individuals + b"  " + entities + b"  </ENTITIES>\n</CONSOLIDATED_LIST>\n"
    return single("un-xml", "consolidated.xml", excerpt)


LIST_SEEDS: dict[str, Callable[[], Seed]] = {
    "ofac-legacy-csv": _ofac_legacy_directory,
    "ofac-xml": _xml(
        "ofac-xml", "ofac/consolidated_2018/consolidated.xml", b"</sdnEntry>", b"</sdnList>\n"
    ),
    "ofac-advanced-xml": _whole(
        "ofac-advanced-xml", SHARED_LISTS / "ofac/fixtures/GSmiguel/sample_sdn_advanced.xml"
    ),
    "uk-ofsi-csv": _csv("uk-ofsi-csv", "uk/derived/ConList.csv"),
    "uk-ofsi-xlsx": _xlsx("uk-ofsi-xlsx", "uk/ConList.xlsx"),
    "uk-ofsi-legacy-csv": _csv("uk-ofsi-legacy-csv", "uk/legacy_csv_2018/sanctionsconlist.csv"),
    "uk-fcdo-xml": _whole(
        "uk-fcdo-xml", SHARED_LISTS / "uk/fixtures/GSmiguel/sample_uk_sanctions.xml"
    ),
    "eu-fsf-xml": _whole("eu-fsf-xml", SHARED_LISTS / "eu/fixtures/GSmiguel/sample_eu_fsf.xml"),
    "eu-fsf-csv": _whole("eu-fsf-csv", EU_CSV_SAMPLE),
    "eu-legacy-xml": _xml(
        "eu-legacy-xml", "eu/fixtures/legacy_2016_FSD_WHOLE/data.xml", b"</ENTITY>", b"</WHOLE>\n"
    ),
    "un-xml": _un,
    "ca-sema-xml": _xml("ca-sema-xml", "ca/sema-lmes.xml", b"</record>", b"</data-set>\n"),
    "au-dfat-xlsx": _xlsx("au-dfat-xlsx", "au/regulation8_consolidated.xlsx"),
    "jp-mof-xlsx": _xlsx(
        "jp-mof-xlsx", "jp/mof/shisantouketsu20260305.xlsx", MOF_ROWS_PER_SHEET, MOF_SHEETS
    ),
    "jp-meti-eul-xlsx": _xlsx("jp-meti-eul-xlsx", "jp/meti/end_user_list_20250929.xlsx"),
    "us-csl-csv": _csv("us-csl-csv", "us_csl/fixtures/watchman_2023-11/csl.csv"),
}


# -- batch and transaction seeds ---------------------------------------------------------------


def _csl_rows(count: int) -> list[dict[str, str]]:
    path = SHARED_LISTS / "us_csl" / "fixtures" / "watchman_2023-11" / "csl.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = []
        for row in csv.DictReader(handle):
            rows.append(row)
            if len(rows) == count:
                break
    return rows


def party_seed() -> Seed:
    """The start of the real US CSL CSV, read as a bank's party file (it has a name column)."""
    data = csv_excerpt(
        (SHARED_LISTS / "us_csl" / "fixtures" / "watchman_2023-11" / "csl.csv").read_bytes(),
        PARTY_ROWS,
    )
    return single("batch-csv", "parties.csv", data)


def _hs_codes(count: int) -> list[str]:
    with (SHARED / "reference" / "chpl.csv").open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle)
        return [row["hs_code_dotted"] for row, _ in zip(rows, range(count), strict=False)]


def transactions() -> list[dict[str, str]]:
    """Transactions between real listed names (US CSL) carrying real CHPL HS codes."""
    parties = _csl_rows(TRANSACTIONS * 2)
    codes = _hs_codes(TRANSACTIONS)
    records = []
    for number in range(TRANSACTIONS):
        originator, beneficiary = parties[2 * number], parties[2 * number + 1]
        records.append(
            {
                "tx_id": f"TX{number + 1:04d}",
                "amount": f"{(number + 1) * 1250}.{number % 100:02d}",
                "currency": ("EUR", "USD", "GBP")[number % 3],
                "originator_name": originator["name"],
                "beneficiary_name": beneficiary["name"],
                "transit_countries": "AE;TR" if number % 2 else "",
                "hs_codes": ";".join(codes[number : number + 2]),
                "goods_description": beneficiary["programs"],
            }
        )
    return records


def transaction_seeds() -> dict[str, Seed]:
    """The same transactions as CSV, JSON Lines and a JSON array."""
    records = transactions()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(records[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(records)
    as_csv = buffer.getvalue().encode("utf-8")
    as_jsonl = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()
    as_json = json.dumps(records, ensure_ascii=False, indent=1).encode()
    seeds = {}
    for kind, data in (("csv", as_csv), ("jsonl", as_jsonl), ("json", as_json)):
        seeds[f"tx-{kind}"] = single(f"tx-{kind}", f"transactions.{kind}", data)
    return seeds


def build_seed(name: str) -> Seed:
    """The seed of a reader by name: a list format name, ``batch-csv`` or ``tx-csv/jsonl/json``."""
    if name in LIST_SEEDS:
        return LIST_SEEDS[name]()
    if name == "batch-csv":
        return party_seed()
    return transaction_seeds()[name]


READERS: tuple[str, ...] = (*LIST_SEEDS, "batch-csv", "tx-csv", "tx-jsonl", "tx-json")
