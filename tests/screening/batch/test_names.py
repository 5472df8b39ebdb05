"""Batch screening: reading any CSV, one record per row, safe outputs, exit codes, flat memory."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import re
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import cli
from lists import open_list
from lists.model import Schema, Source
from screening.batch.names import (
    BatchInputError,
    BatchOptions,
    BatchRecord,
    BatchSummary,
    BatchUsageError,
    ColumnChoice,
    Columns,
    MissingColumnError,
    escape_cell,
    run_batch,
    screen_rows,
    sniff_delimiter,
    thresholds_with_report,
)
from screening.matching.results import (
    Decision,
    Explanation,
    Hit,
    ListVersionRef,
    Query,
    ScreeningResult,
    Thresholds,
)
from screening.matching.screener import Screener
from screening.store import ListStore

# -- fakes -------------------------------------------------------------------------------------

LIST_VERSIONS = [ListVersionRef(source=Source.OFAC, version_id=7, published_on=dt.date(2024, 5, 3))]


def make_hit(source: Source, entry_id: str, name: str, score: float, thresholds: Thresholds) -> Hit:
    decision = (
        Decision.MATCH
        if score >= thresholds.match
        else Decision.REVIEW
        if score >= thresholds.review
        else Decision.CLEAR
    )
    return Hit(
        source=source,
        entry_id=entry_id,
        name=name,
        matched_name=name,
        schema=Schema.ORGANIZATION,
        programs=["RUSSIA-EO14024"],
        score=score,
        decision=decision,
        explanation=Explanation(matched_name=name, name_score=score, tokens=[], features=[]),
        list_version=7,
    )


class FakeScreener:
    """Names with SANCTIONED score 0.95 (ofac:36), with PETROV 0.80 (uk:RUS0001); RAISE fails."""

    def __init__(self, thresholds: Thresholds | None = None) -> None:
        self.thresholds = thresholds or Thresholds()
        self.versions = LIST_VERSIONS
        self.queries: list[Query] = []
        self.used_thresholds: list[Thresholds] = []

    def screen_query(self, query: Query, thresholds: Thresholds | None = None) -> ScreeningResult:
        thresholds = thresholds or self.thresholds
        self.queries.append(query)
        self.used_thresholds.append(thresholds)
        name = query.name.upper()
        if name.startswith("RAISE"):
            raise ValueError(query.name[len("RAISE ") :])
        candidates = []
        if "SANCTIONED" in name:
            candidates.append(make_hit(Source.OFAC, "36", "SANCTIONED BANK", 0.95, thresholds))
        if "PETROV" in name:
            candidates.append(make_hit(Source.UK, "RUS0001", "PETROV, Ivan", 0.80, thresholds))
        hits = [hit for hit in candidates if hit.score >= thresholds.report]
        return ScreeningResult(
            query=query,
            decision=hits[0].decision if hits else Decision.CLEAR,
            hits=hits,
            list_versions=LIST_VERSIONS,
            thresholds=thresholds,
        )


class ClearScreener:
    """As fast as a screener can be: one prebuilt answer, so only batch overhead is measured."""

    def __init__(self) -> None:
        self._result = ScreeningResult(
            query=Query(name="x"),
            decision=Decision.CLEAR,
            hits=[],
            list_versions=LIST_VERSIONS,
            thresholds=Thresholds(),
        )

    def screen_query(self, query: Query, thresholds: Thresholds | None = None) -> ScreeningResult:
        return self._result


class FailingScreener(FakeScreener):
    def screen_query(self, query: Query, thresholds: Thresholds | None = None) -> ScreeningResult:
        if len(self.queries) == 2:
            raise RuntimeError("database went away")
        return super().screen_query(query, thresholds)


# -- helpers -----------------------------------------------------------------------------------


def write_rows(
    path: Path, rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8"
) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def csv_rows(path: Path, delimiter: str = ",") -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=delimiter))


def batch(tmp_path: Path, content: bytes, out: str = "out.jsonl", **options: Any) -> BatchSummary:
    source = tmp_path / "in.csv"
    source.write_bytes(content)
    return run_batch(source, tmp_path / out, FakeScreener(), BatchOptions(**options))


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def fake_cli(monkeypatch: pytest.MonkeyPatch) -> list[FakeScreener]:
    """`coalition batch` with the fake screener; the list collects the screeners opened."""
    opened: list[FakeScreener] = []

    class FakeScreenerClass:
        @staticmethod
        def open(db_url: str | None = None, **kwargs: Any) -> FakeScreener:
            screener = FakeScreener(kwargs.get("thresholds"))
            opened.append(screener)
            return screener

    monkeypatch.setattr(cli, "Screener", FakeScreenerClass)
    return opened


def run_cli(*args: str | Path) -> Result:
    return CliRunner().invoke(cli.main, ["batch", *map(str, args)])


# -- encodings ---------------------------------------------------------------------------------

ACCENTED = "name;city\r\nJosé Müller;Zürich\r\nFrançois Œuvre;Köln\r\n"


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        (ACCENTED.encode("utf-8"), "utf-8"),
        (ACCENTED.encode("utf-8-sig"), "utf-8-sig"),
        (ACCENTED.encode("cp1252"), "cp1252"),
        (ACCENTED.replace(";", "\t").encode("utf-16"), "utf-16"),
    ],
)
def test_encoding_is_sniffed_and_text_read_exactly(
    tmp_path: Path, content: bytes, encoding: str
) -> None:
    summary = batch(tmp_path, content)
    records = jsonl(tmp_path / "out.jsonl")
    assert summary.encoding == encoding
    # With a BOM the header is still "name", not "\ufeffname".
    assert summary.columns.name == "name"
    assert [r["input"] for r in records] == [
        {"name": "José Müller", "city": "Zürich"},
        {"name": "François Œuvre", "city": "Köln"},
    ]
    assert [r["decision"] for r in records] == ["clear", "clear"]


def test_utf8_file_with_one_cp1252_row_keeps_utf8_and_fails_only_that_row(tmp_path: Path) -> None:
    content = b"name\r\n" + "Müller Straße\r\n".encode() * 50 + b"Jos\xe9 Garc\xeda\r\nLast\r\n"
    summary = batch(tmp_path, content)
    records = jsonl(tmp_path / "out.jsonl")
    assert summary.encoding == "utf-8"
    assert len(records) == 52
    assert {r["decision"] for r in records[:50]} == {"clear"}
    bad = records[50]
    assert bad["row"] == 51
    assert bad["decision"] == "error"
    assert bad["error"] == "bytes that are not valid utf-8 (0xE9 0xED) in 'name'"
    assert bad["input"] == {"name": "Jos\ufffd Garc\ufffda"}
    assert records[51]["input"] == {"name": "Last"} and records[51]["decision"] == "clear"


def test_cp1252_unassigned_byte_fails_its_row_only(tmp_path: Path) -> None:
    summary = batch(tmp_path, b"name\nAB\x81C\nZ\xfcrich\n")
    records = jsonl(tmp_path / "out.jsonl")
    assert summary.encoding == "cp1252"
    assert records[0]["decision"] == "error"
    assert records[0]["error"] == "bytes that are not valid cp1252 (0x81) in 'name'"
    assert records[1]["input"] == {"name": "Zürich"}
    assert records[1]["decision"] == "clear"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\r\n\r\n", "no header row"),
        (b"PK\x03\x04\x14\x00\x06\x00rest of a workbook", "ZIP archive (an .xlsx workbook?)"),
        (b"name\x00\x01\x02binary", "binary content (NUL bytes)"),
    ],
)
def test_unreadable_input_fails_before_any_output(
    tmp_path: Path, content: bytes, message: str
) -> None:
    with pytest.raises(BatchInputError, match=re.escape(message)):
        batch(tmp_path, content)
    assert leftovers(tmp_path) == ["in.csv"]


# -- delimiters and quoting --------------------------------------------------------------------

TRICKY_ROWS = [
    ["name", "country", "note"],
    ["Petrov, Ivan", "RU", "a;b"],
    ["O'Brien | Sean", "IE", "tab\tinside"],
    ['Acme "Best" Ltd', "GB", "x,y;z|w"],
    ["Smith", "", ""],
]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_is_sniffed_and_cells_read_back_exactly(tmp_path: Path, delimiter: str) -> None:
    source = write_rows(tmp_path / "in.csv", TRICKY_ROWS, delimiter)
    summary = run_batch(source, tmp_path / "out.jsonl", FakeScreener())
    assert summary.delimiter == delimiter
    header = TRICKY_ROWS[0]
    assert [r["input"] for r in jsonl(tmp_path / "out.jsonl")] == [
        dict(zip(header, row, strict=True)) for row in TRICKY_ROWS[1:]
    ]
    assert summary.columns == Columns(name="name", country="country")


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ("name;note\r\nPetrov, Ivan;a, b, c\r\nSmith, John;d, e, f\r\n", ";"),
        ("name|country\nA, B|RU\nC; D|GB\n", "|"),
        ("full name\tcountry\nIvan Petrov\tRU\n", "\t"),
        ("name\nPetrov, Ivan\nSmith, John\n", "\t"),  # one column: commas stay in the name
        ("name,country\nIvan,RU\n", ","),
    ],
)
def test_sniff_delimiter_prefers_what_the_header_supports(head: str, expected: str) -> None:
    assert sniff_delimiter(head) == expected


def test_one_column_file_keeps_commas_in_names(tmp_path: Path) -> None:
    summary = batch(tmp_path, b"Name\nPetrov, Ivan\nSanctioned, Bank\n")
    records = jsonl(tmp_path / "out.jsonl")
    assert summary.error == 0
    assert [r["input"]["Name"] for r in records] == ["Petrov, Ivan", "Sanctioned, Bank"]
    assert [r["decision"] for r in records] == ["review", "match"]


def test_quoted_newlines_stay_in_one_row(tmp_path: Path) -> None:
    content = b'name,country\r\n"Ivan\r\nPetrov",RU\r\n"Smith\nJohn",GB\r\nLast,FR\r\n'
    summary = batch(tmp_path, content)
    records = jsonl(tmp_path / "out.jsonl")
    assert summary.rows == 3
    assert [(r["row"], r["line"]) for r in records] == [(1, 2), (2, 4), (3, 6)]
    assert records[0]["input"] == {"name": "Ivan\r\nPetrov", "country": "RU"}
    assert records[0]["decision"] == "review"
    assert records[1]["input"]["name"] == "Smith\nJohn"


def test_unbalanced_quote_fails_the_stretch_and_the_run_goes_on(tmp_path: Path) -> None:
    filler = "".join(f"filler {i:06d}\n" for i in range(12_000))  # > the 128 KiB field limit
    content = f'name,country\nFirst,GB\n"Broken,XX\n{filler}Sanctioned Bank,RU\n'.encode()
    summary = batch(tmp_path, content)
    records = jsonl(tmp_path / "out.jsonl")
    assert records[0]["decision"] == "clear"
    broken = records[1]
    assert broken["decision"] == "error"
    assert broken["row"] == 2 and broken["line"] == 3
    assert "cannot be read as CSV (field larger than field limit" in broken["error"]
    assert "an unbalanced quote?" in broken["error"]
    # The rest of the file is read again, line by line, and the last party is screened.
    assert records[-1]["input"] == {"name": "Sanctioned Bank", "country": "RU"}
    assert records[-1]["decision"] == "match"
    assert summary.rows == len(records)
    assert summary.error == len(records) - 2


# -- one record per row ------------------------------------------------------------------------


def test_one_record_per_row_in_order_with_error_rows(tmp_path: Path) -> None:
    rows = [
        ["name", "type", "country", "dob"],
        ["Sanctioned Bank", "company", "RU", ""],
        ["short row", "person"],
        ["long", "person", "RU", "1970", "extra", "more"],
        ["   ", "person", "RU", ""],
        ["Ivan Petrov", "ufo", "", ""],
        ["RAISE unreadable birth date '31/31/1970'", "person", "", "31/31/1970"],
        ["", "", "", ""],
        ["Ivan Petrov", "Individual", "ru", "1970-01-02"],
        ["Jane Smith", "SHIP", "", ""],
    ]
    summary = run_batch(
        write_rows(tmp_path / "in.csv", rows), tmp_path / "out.jsonl", FakeScreener()
    )
    records = jsonl(tmp_path / "out.jsonl")
    assert [(r["row"], r["decision"], r["error"]) for r in records] == [
        (1, "match", None),
        (2, "error", "row has 2 fields, the header has 4"),
        (3, "error", "row has 6 fields, the header has 4"),
        (4, "error", "empty name (column 'name')"),
        (
            5,
            "error",
            "unknown type 'ufo': use person, organization, vessel or aircraft "
            "(individual, entity, company and ship are understood too)",
        ),
        (6, "error", "unreadable birth date '31/31/1970'"),
        # row 7 is blank: skipped, counted, and its number is kept
        (8, "review", None),
        (9, "clear", None),
    ]
    assert records[2]["extra_fields"] == ["extra", "more"]
    assert records[1]["input"] == {"name": "short row", "type": "person"}
    assert (summary.rows, summary.match, summary.review, summary.clear) == (8, 1, 1, 1)
    assert (summary.error, summary.blank) == (5, 1)
    assert summary.errors[0] == (2, "row has 2 fields, the header has 4")
    assert summary.list_versions == LIST_VERSIONS


def test_types_and_values_reach_the_query(tmp_path: Path) -> None:
    rows = [
        ["Full Name", "Entity-Type", "Nationality", "Date of Birth"],
        ["Ivan Petrov", " Individual ", "RU", "1970-01-02"],
        ["Sanctioned Bank", "organisation", "", ""],
        ["Sea Star", "Vessel", "", ""],
        ["Jet One", "AIRCRAFT", "", ""],
        ["Someone", "", "", ""],
    ]
    screener = FakeScreener()
    summary = run_batch(write_rows(tmp_path / "in.csv", rows), tmp_path / "out.csv", screener)
    assert summary.columns == Columns(
        name="Full Name", type="Entity-Type", country="Nationality", birth_date="Date of Birth"
    )
    assert [(q.name, q.schema_, q.country, q.birth_date) for q in screener.queries] == [
        ("Ivan Petrov", Schema.PERSON, "RU", "1970-01-02"),
        ("Sanctioned Bank", Schema.ORGANIZATION, None, None),
        ("Sea Star", Schema.VESSEL, None, None),
        ("Jet One", Schema.AIRCRAFT, None, None),
        ("Someone", None, None, None),
    ]


def test_screen_rows_takes_plain_mappings() -> None:
    records = list(
        screen_rows(
            [{"client": "Sanctioned Bank"}, {"client": ""}, {"client": "Jane Doe"}],
            FakeScreener(),
            Columns(name="client"),
        )
    )
    assert [(r.row, r.decision) for r in records] == [(1, "match"), (2, "error"), (3, "clear")]
    assert isinstance(records[0], BatchRecord)
    assert records[0].top_score == 0.95
    assert [(h.source, h.entry_id) for h in records[0].hits] == [(Source.OFAC, "36")]


# -- columns -----------------------------------------------------------------------------------


def test_missing_name_column_lists_the_columns_and_leaves_no_output(tmp_path: Path) -> None:
    with pytest.raises(MissingColumnError) as caught:
        batch(tmp_path, b"id,country,notes\n1,RU,x\n")
    message = str(caught.value)
    assert "no name column: looked for name, full_name, fullname, party_name" in message
    assert message.endswith("available columns: 'id', 'country', 'notes'")
    assert caught.value.available == ["id", "country", "notes"]
    assert leftovers(tmp_path) == ["in.csv"]


def test_chosen_columns_match_case_insensitively_and_must_exist() -> None:
    header = ["CLIENT", "Kind", "Land", "born_on"]
    chosen = ColumnChoice(name="client", type="kind", country="LAND", birth_date="Born On")
    assert Columns.detect(header, chosen) == Columns("CLIENT", "Kind", "Land", "born_on")
    with pytest.raises(MissingColumnError, match="no type column 'category'; available"):
        Columns.detect(header, ColumnChoice(name="client", type="category"))


def test_duplicate_and_blank_headers_become_distinct_keys(tmp_path: Path) -> None:
    batch(tmp_path, b"name,name,,note\nA,B,C,D\n")
    (record,) = jsonl(tmp_path / "out.jsonl")
    assert record["input"] == {"name": "A", "name_2": "B", "column_3": "C", "note": "D"}


# -- outputs -----------------------------------------------------------------------------------


def test_jsonl_record_fields(tmp_path: Path) -> None:
    batch(tmp_path, b"name,country\nSanctioned Bank,RU\nJane Doe,GB\n")
    match, clear = jsonl(tmp_path / "out.jsonl")
    assert match == {
        "row": 1,
        "line": 2,
        "decision": "match",
        "top_score": 0.95,
        "hits": [
            {
                "source": "ofac",
                "entry_id": "36",
                "name": "SANCTIONED BANK",
                "matched_name": "SANCTIONED BANK",
                "schema": "organization",
                "score": 0.95,
                "decision": "match",
                "programs": ["RUSSIA-EO14024"],
                "also_listed": [],
            }
        ],
        "input": {"name": "Sanctioned Bank", "country": "RU"},
        "error": None,
    }
    assert clear["decision"] == "clear" and clear["hits"] == [] and clear["top_score"] is None


def test_csv_output_keeps_input_columns_and_adds_results(tmp_path: Path) -> None:
    summary = batch(
        tmp_path, b"name;country;decision\nSanctioned Petrov;RU;x\nJane;GB;y\n", out="out.csv"
    )
    assert summary.output_format == "csv"
    # Semicolon in, semicolon out; an input column named "decision" keeps its name.
    rows = csv_rows(tmp_path / "out.csv", ";")
    assert rows == [
        [
            "name",
            "country",
            "decision",
            "screening_decision",
            "top_score",
            "hit_count",
            "top_hits",
            "error",
        ],
        [
            "Sanctioned Petrov",
            "RU",
            "x",
            "match",
            "0.950",
            "2",
            "ofac:36 SANCTIONED BANK (0.95); uk:RUS0001 PETROV, Ivan (0.80)",
            "",
        ],
        ["Jane", "GB", "y", "clear", "", "0", "", ""],
    ]
    assert (tmp_path / "out.csv").read_bytes().startswith(b'\xef\xbb\xbf"name";')


def test_csv_output_pads_short_rows_and_is_comma_for_tab_input(tmp_path: Path) -> None:
    batch(tmp_path, b"name\tcountry\tnote\nshort\tRU\n", out="out.csv")
    assert csv_rows(tmp_path / "out.csv")[1] == [
        "short",
        "RU",
        "",
        "error",
        "",
        "0",
        "",
        "row has 2 fields, the header has 3",
    ]


FORMULAS = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\tTAB",
    "\rCR",
]


def test_formula_cells_are_escaped_in_csv_and_kept_in_jsonl(tmp_path: Path) -> None:
    rows = [["name", "=cmd|' /C calc'!A0"]]
    rows += [[value, value] for value in FORMULAS]
    rows += [["Jean-Luc a=b", "x@y"], ["RAISE =1+2 came back", ""]]
    source = write_rows(tmp_path / "in.csv", rows)
    run_batch(source, tmp_path / "out.csv", FakeScreener())
    run_batch(source, tmp_path / "out.jsonl", FakeScreener())

    header, *body = csv_rows(tmp_path / "out.csv")
    assert header[:2] == ["name", "'=cmd|' /C calc'!A0"]
    assert [row[:2] for row in body[: len(FORMULAS)]] == [["'" + v, "'" + v] for v in FORMULAS]
    assert body[len(FORMULAS)][:2] == ["Jean-Luc a=b", "x@y"]  # not at the start: untouched
    # Our own cells are escaped too: here the error text the screener gave.
    assert body[-1][2:] == ["error", "", "0", "", "'=1+2 came back"]
    # Every cell is quoted (OWASP): a raw line starts with a quote.
    raw_lines = (tmp_path / "out.csv").read_bytes().decode("utf-8-sig").split("\r\n")
    assert raw_lines[1].startswith('"\'=HYPERLINK(""http://evil.example"",""click"")",')

    records = jsonl(tmp_path / "out.jsonl")
    assert [r["input"]["name"] for r in records[: len(FORMULAS)]] == FORMULAS
    assert records[-1]["error"] == "=1+2 came back"


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("=1", "'=1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("x=1", "x=1"),
        ("", ""),
        (" =1", " =1"),
    ],
)
def test_escape_cell(value: str, escaped: str) -> None:
    assert escape_cell(value) == escaped


def test_failed_run_leaves_no_output_and_keeps_an_older_one(tmp_path: Path) -> None:
    source = write_rows(tmp_path / "in.csv", [["name"], ["a"], ["b"], ["c"], ["d"]])
    target = tmp_path / "out.csv"
    target.write_text("the previous run's results\n")
    with pytest.raises(RuntimeError, match="database went away"):
        run_batch(source, target, FailingScreener())
    assert target.read_text() == "the previous run's results\n"
    assert leftovers(tmp_path) == ["in.csv", "out.csv"]


def test_output_must_be_csv_or_jsonl_and_not_the_input(tmp_path: Path) -> None:
    source = write_rows(tmp_path / "in.csv", [["name"], ["a"]])
    with pytest.raises(BatchUsageError, match=r"must end in \.csv or \.jsonl"):
        run_batch(source, tmp_path / "out.xlsx", FakeScreener())
    with pytest.raises(BatchUsageError, match="would overwrite the input"):
        run_batch(source, source, FakeScreener())
    assert source.read_bytes() == b"name\r\na\r\n"


def test_progress_reports_bytes_and_rows_up_to_the_total(tmp_path: Path) -> None:
    source = write_rows(tmp_path / "in.csv", [["name"]] + [[f"party {i}"] for i in range(5000)])
    calls: list[tuple[int, int, int]] = []
    run_batch(
        source, tmp_path / "out.jsonl", ClearScreener(), on_progress=lambda *a: calls.append(a)
    )
    size = source.stat().st_size
    assert calls[-1] == (size, size, 5000)
    assert all(a[0] <= b[0] and a[2] <= b[2] for a, b in itertools.pairwise(calls))


# -- thresholds --------------------------------------------------------------------------------


def test_threshold_sets_the_lowest_reported_score() -> None:
    assert thresholds_with_report(0.5) == Thresholds(match=0.9, review=0.75, report=0.5)
    # A score that is not reported cannot ask for review: review and match rise with it.
    assert thresholds_with_report(0.8) == Thresholds(match=0.9, review=0.8, report=0.8)
    assert thresholds_with_report(0.95, Thresholds(match=0.92, review=0.8, report=0.7)) == (
        Thresholds(match=0.95, review=0.95, report=0.95)
    )
    with pytest.raises(ValueError, match="not between 0 and 1"):
        BatchOptions(report_threshold=1.2)


def test_report_threshold_applies_to_the_screeners_own_thresholds(tmp_path: Path) -> None:
    source = write_rows(tmp_path / "in.csv", [["name"], ["Ivan Petrov"], ["Sanctioned Bank"]])
    screener = FakeScreener(Thresholds(match=0.93, review=0.7, report=0.6))
    run_batch(source, tmp_path / "out.jsonl", screener, BatchOptions(report_threshold=0.85))
    assert screener.used_thresholds[0] == Thresholds(match=0.93, review=0.85, report=0.85)
    assert [r["decision"] for r in jsonl(tmp_path / "out.jsonl")] == ["clear", "match"]


# -- CLI ---------------------------------------------------------------------------------------


def test_cli_all_rows_screened_exits_0_with_summary(
    tmp_path: Path, fake_cli: list[FakeScreener]
) -> None:
    source = write_rows(tmp_path / "in.csv", [["Customer_Name"], ["Sanctioned Bank"], ["Jane"]])
    result = run_cli(source, "--out", tmp_path / "out.csv")
    assert result.exit_code == 0, result.output
    assert "2 rows: match 1, review 0, clear 1, error 0" in result.output
    assert "rows/s" in result.output and "elapsed" in result.output
    assert "lists: ofac version 7 (2024-05-03)" in result.output
    assert len(csv_rows(tmp_path / "out.csv")) == 3


def test_cli_row_errors_exit_4_and_every_row_is_written(
    tmp_path: Path, fake_cli: list[FakeScreener]
) -> None:
    source = write_rows(tmp_path / "in.csv", [["name", "type"], ["A", "ufo"], ["", "person"]])
    result = run_cli(source, "--out", tmp_path / "out.jsonl")
    assert result.exit_code == 4, result.output
    assert "error in row 1: unknown type 'ufo'" in result.output
    assert "error in row 2: empty name (column 'name')" in result.output
    assert [r["decision"] for r in jsonl(tmp_path / "out.jsonl")] == ["error", "error"]


def test_cli_missing_name_column_exits_1_without_output(
    tmp_path: Path, fake_cli: list[FakeScreener]
) -> None:
    source = write_rows(tmp_path / "in.csv", [["id", "Country"], ["1", "RU"]])
    result = run_cli(source, "--out", tmp_path / "out.csv")
    assert result.exit_code == 1
    assert "no name column" in result.output
    assert "available columns: 'id', 'Country'" in result.output
    assert "(no output written)" in result.output
    assert "Traceback" not in result.output
    assert leftovers(tmp_path) == ["in.csv"]
    assert fake_cli == []  # the screener (a slow index load) is never opened


def test_cli_columns_given_by_name(tmp_path: Path, fake_cli: list[FakeScreener]) -> None:
    rows = [["Client", "Cat", "Land"], ["Sanctioned Bank", "Company", "Russia"]]
    source = write_rows(tmp_path / "in.csv", rows)
    out = tmp_path / "out.jsonl"
    args = ["--name-column", "client", "--type-column", "CAT", "--country-column", "Land"]
    result = run_cli(source, "--out", out, *args)
    assert result.exit_code == 0, result.output
    (query,) = fake_cli[0].queries
    assert (query.name, query.schema_, query.country) == (
        "Sanctioned Bank",
        Schema.ORGANIZATION,
        "Russia",
    )
    missing = run_cli(source, "--out", out, "--name-column", "client", "--dob-column", "born")
    assert missing.exit_code == 1
    assert "no birth date column 'born'; available columns: 'Client', 'Cat', 'Land'" in (
        missing.output
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--threshold", "1.5"], "1.5 is not in the range 0<=x<=1"),
        (["--threshold", "-0.1"], "-0.1 is not in the range 0<=x<=1"),
        (["--threshold", "high"], "'high' is not a valid float"),
        (["--out", "out.xlsx"], "must end in .csv or .jsonl"),
        (["--out", "in.csv"], "the output would overwrite the input"),
        ([], "Missing option '--out'"),
    ],
)
def test_cli_usage_errors_exit_2(
    tmp_path: Path,
    fake_cli: list[FakeScreener],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    write_rows(tmp_path / "in.csv", [["name"], ["a"]])
    if "--out" not in args and args:
        args = [*args, "--out", "out.csv"]
    result = run_cli("in.csv", *args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert leftovers(tmp_path) == ["in.csv"]


def test_cli_threshold_reaches_the_screener(tmp_path: Path, fake_cli: list[FakeScreener]) -> None:
    source = write_rows(tmp_path / "in.csv", [["name"], ["Ivan Petrov"]])
    result = run_cli(source, "--out", tmp_path / "out.jsonl", "--threshold", "0.85")
    assert result.exit_code == 0, result.output
    assert fake_cli[0].used_thresholds == [Thresholds(match=0.9, review=0.85, report=0.85)]
    assert jsonl(tmp_path / "out.jsonl")[0]["decision"] == "clear"  # the 0.80 hit is not reported


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "No such file or directory"), (b"PK\x03\x04zip", "ZIP archive")],
)
def test_cli_unreadable_input_exits_1(
    tmp_path: Path, fake_cli: list[FakeScreener], content: bytes | None, message: str
) -> None:
    source = tmp_path / "in.csv"
    if content is not None:
        source.write_bytes(content)
    result = run_cli(source, "--out", tmp_path / "out.csv")
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out.csv").exists()


def test_cli_unreachable_database_exits_3(tmp_path: Path) -> None:
    source = write_rows(tmp_path / "in.csv", [["name"], ["a"]])
    url = "postgresql+psycopg://nobody:secret@127.0.0.1:1/none"
    result = run_cli(source, "--out", tmp_path / "out.csv", "--db", url)
    assert result.exit_code == 3, result.output
    assert "database 'postgresql+psycopg://nobody:" in result.output
    assert "(no output written)" in result.output and "Traceback" not in result.output
    assert leftovers(tmp_path) == ["in.csv"]


def test_cli_empty_database_exits_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = write_rows(tmp_path / "in.csv", [["name"], ["a"]])
    result = run_cli(source, "--out", tmp_path / "out.csv", "--db", f"sqlite:///{tmp_path}/t.db")
    assert result.exit_code == 1, result.output
    assert "no lists are loaded" in result.output
    assert not (tmp_path / "out.csv").exists()


# -- scale -------------------------------------------------------------------------------------

BIG_ROWS = 100_000


@pytest.fixture(scope="module")
def big_input(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("big") / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["customer_name", "type", "country", "dob", "account"])
        for i in range(BIG_ROWS):
            writer.writerow([f"Customer {i} Müller", "person", "DE", "1970-01-01", f"A{i:08d}"])
    yield path


def test_throughput_overhead_with_a_fake_screener(big_input: Path, tmp_path: Path) -> None:
    started = time.perf_counter()
    summary = run_batch(big_input, tmp_path / "out.jsonl", ClearScreener())
    assert summary.rows == summary.clear == BIG_ROWS
    # The real screener does ~1000 rows/s; batch overhead must stay a small part of that.
    assert summary.rows_per_second > 5_000, summary.rows_per_second
    assert time.perf_counter() - started < 30


def test_memory_stays_flat_on_a_100k_row_input(big_input: Path, tmp_path: Path) -> None:
    # CSV output: the writer that holds state (header, keys); JSONL is measured for speed above.
    out = tmp_path / "out.csv"
    tracemalloc.start()
    try:
        summary = run_batch(big_input, out, ClearScreener())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert summary.rows == BIG_ROWS
    assert peak < 20 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"
    with out.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header, first = next(reader), next(reader)
        count = 1 + sum(1 for _ in reader)
    assert count == BIG_ROWS
    assert header[0] == "customer_name" and first[0] == "Customer 0 Müller"


# -- end to end on the real UN list ------------------------------------------------------------


@pytest.fixture(scope="module")
def un_store(shared_lists: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    folder = tmp_path_factory.mktemp("un")
    url = f"sqlite:///{folder / 'un.db'}"
    ListStore(url).load(open_list(shared_lists / "un" / "consolidated.xml"))
    return url, folder / "index"


E2E_ROWS = [
    ["name", "type", "country", "dob"],
    ["Korea Mining Development Trading Corporation", "company", "KP", ""],
    ["Gedo Hamdan Ahmed", "individual", "", ""],
    ["Abd al-Rahman Khalaf al-Anizi", "person", "Kuwait", ""],
    ["Jane Smith", "person", "GB", "1980-05-05"],
    ["Acme Bakery Ltd", "entity", "FR", ""],
    ["Maria Garcia Lopez", "person", "ES", "1975"],
]


def test_real_un_list_listed_names_hit_and_clean_names_clear(
    un_store: tuple[str, Path], tmp_path: Path
) -> None:
    url, index_dir = un_store
    source = write_rows(tmp_path / "in.csv", E2E_ROWS)
    screener = Screener.open(url, index_dir=index_dir)
    summary = run_batch(source, tmp_path / "out.jsonl", screener)
    records = jsonl(tmp_path / "out.jsonl")
    listed = {
        1: "690735",  # KPe.001, entity
        2: "6909526",  # SDi.007
        3: "6908399",  # QDi.335 (a.k.a. ‘Abd al-Rahman Khalaf al-Anizi)
    }
    for row, entry_id in listed.items():
        record = records[row - 1]
        assert record["decision"] in ("match", "review"), record
        top = record["hits"][0]
        assert (top["source"], top["entry_id"]) == ("un", entry_id)
    assert records[0]["hits"][0]["name"] == "KOREA MINING DEVELOPMENT TRADING CORPORATION"
    assert [r["decision"] for r in records[3:]] == ["clear", "clear", "clear"]
    assert summary.error == 0
    assert [(v.source, v.published_on) for v in summary.list_versions] == [
        (Source.UN, dt.date(2026, 5, 8))
    ]


def test_real_un_list_through_the_cli(
    un_store: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _ = un_store
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # the index goes here
    rows = [*E2E_ROWS, ["John Doe", "person", "Narnia", ""]]
    source = write_rows(tmp_path / "in.csv", rows, delimiter=";", encoding="cp1252")
    result = run_cli(source, "--out", tmp_path / "out.csv", "--db", url)
    assert result.exit_code == 4, result.output  # Narnia is no country: that row is an error
    assert "7 rows: match " in result.output and ", clear 3, error 1" in result.output
    assert "error in row 7: unknown country 'Narnia'" in result.output
    body = csv_rows(tmp_path / "out.csv", ";")[1:]
    assert {row[4] for row in body[:3]} <= {"match", "review"}
    assert [row[4] for row in body[3:]] == ["clear"] * 3 + ["error"]
    assert body[1][7].startswith("un:6909526 GEDO HAMDAN AHMED (")
