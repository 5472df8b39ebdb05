"""Reading any CSV: encodings, delimiters, quoting, broken stretches, header keys."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from screening.batch.names import (
    BatchInputError,
    Columns,
    run_batch,
    sniff_delimiter,
)
from tests.screening.batch.support import (
    FakeScreener,
    batch,
    jsonl,
    leftovers,
    write_rows,
)

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
    assert summary.notes[0].endswith(
        "columns: name 'name', type none, country none, birth date none"
    )
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
        # A PNG head: NUL bytes are 2,000 of its 2,016 bytes, far past a quarter.
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 2000, "binary content"),
        # UTF-16 without its byte order mark: every other byte is NUL.
        ("name\r\nIvan\r\n".encode("utf-16-le"), "UTF-16 needs its byte order mark"),
        # A few control bytes are not a binary file, but a header cannot hold them.
        (b"name\x00\x01\x02binary\nIvan\n", "line 1: the header holds control characters"),
    ],
)
def test_unreadable_input_fails_before_any_output(
    tmp_path: Path, content: bytes, message: str
) -> None:
    with pytest.raises(BatchInputError, match=re.escape(message)):
        batch(tmp_path, content)
    assert leftovers(tmp_path) == ["in.csv"]


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
    assert summary.notes[0].endswith(
        f"columns: {Columns(name='name', country='country').description()}"
    )


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


# Line 3 opens a quote that never closes; every filler line is 14 characters. The row from
# line 3 passes MAX_ROW_CHARS (131,072) at the first k with 11 + 14 * k > 131,072, k = 9,362
# filler lines, so the stretch is lines 3-9365. Every line after line 3 is then read again
# as a row of its own: the 12,000 filler lines are one-field rows (errors), and the last line
# is a party again.
UNBALANCED = (
    'name,country\nFirst,GB\n"Broken,XX\n'
    + "".join(f"filler {i:06d}\n" for i in range(12_000))
    + "Sanctioned Bank,RU\n"
).encode()


def check_unbalanced_quote(tmp_path: Path) -> None:
    summary = batch(tmp_path, UNBALANCED)
    records = jsonl(tmp_path / "out.jsonl")
    # One record per physical data line: lines 2 to 12,004.
    assert len(records) == 1 + 1 + 12_000 + 1
    assert [r["line"] for r in records] == list(range(2, 12_005))
    assert [r["row"] for r in records] == list(range(1, 12_004))
    assert records[0]["decision"] == "clear"
    broken = records[1]
    assert broken["decision"] == "error"
    assert broken["row"] == 2 and broken["line"] == 3
    assert broken["error"] == (
        "lines 3-9365 cannot be read as CSV (a row longer than 131,072 characters); "
        "an unbalanced quote?"
    )
    assert records[2]["input"] == {"name": "filler 000000"} and records[2]["line"] == 4
    assert records[2]["error"] == "row has 1 fields, the header has 2"
    assert records[9364]["input"] == {"name": "filler 009362"}
    assert records[9364]["line"] == 9366
    # The rest of the file is read again, line by line, and the last party is screened.
    assert records[-1]["input"] == {"name": "Sanctioned Bank", "country": "RU"}
    assert records[-1]["decision"] == "match"
    assert summary.rows == len(records)
    assert summary.error == len(records) - 2


def test_unbalanced_quote_fails_the_stretch_and_the_run_goes_on(tmp_path: Path) -> None:
    check_unbalanced_quote(tmp_path)


def test_unbalanced_quote_does_not_depend_on_the_process_wide_csv_limit(tmp_path: Path) -> None:
    # Other readers in the process may raise csv.field_size_limit (lists/uk once did); the
    # batch reader keeps its own limit, so the same file gives the same records.
    before = csv.field_size_limit(1 << 30)
    try:
        check_unbalanced_quote(tmp_path)
    finally:
        csv.field_size_limit(before)
    assert csv.field_size_limit() == before


def test_a_header_past_the_row_limit_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BatchInputError, match=r"line 2: cannot read the header: a row longer"):
        batch(tmp_path, b'"name\n' + b"x" * 140_000 + b"\n")
    assert leftovers(tmp_path) == ["in.csv"]


def test_duplicate_and_blank_headers_become_distinct_keys(tmp_path: Path) -> None:
    batch(tmp_path, b"name,name,,note\nA,B,C,D\n")
    (record,) = jsonl(tmp_path / "out.jsonl")
    assert record["input"] == {"name": "A", "name_2": "B", "column_3": "C", "note": "D"}
