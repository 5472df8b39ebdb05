"""Batch outputs: CSV with added columns, formula escaping, atomic files, output paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening.batch.names import (
    BatchUsageError,
    escape_cell,
    run_batch,
)
from tests.screening.batch.support import (
    FailingScreener,
    FakeScreener,
    batch,
    csv_rows,
    jsonl,
    leftovers,
    write_rows,
)


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
            "ofac_sdn:36 SANCTIONED BANK (0.95); uk_ofsi:RUS0001 PETROV, Ivan (0.80)",
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
