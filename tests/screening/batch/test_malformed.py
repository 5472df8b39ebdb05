"""Malformed input (issue 16): unbalanced quotes, deep JSON, control characters, blank lines.

Every case goes through what a bank runs (`coalition batch`, `coalition tx screen`) or the
reader right under it, and checks the record of every physical line: nothing is merged or
dropped silently, and nothing ends in a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import cli
from screening.batch.errors import MissingColumnError
from screening.batch.inputs import sniff_delimiter
from screening.batch.names import run_batch
from screening.batch.transactions import (
    MAX_JSON_DEPTH,
    TxInputError,
    nests_too_deep,
    read_transactions,
)
from screening.commands.render import recorded_batch_line
from screening.store import ListStore
from screening.workflow.recorder import Recorder
from screening.workflow.rescreen import record_batch
from tests.screening.batch.support import ClearScreener, FakeScreener, batch, jsonl, leftovers


def run_cli(*args: str | Path) -> Result:
    return CliRunner().invoke(cli.main, [str(arg) for arg in args])


def outcomes(path: Path) -> list[tuple[int, int, str, str | None]]:
    """(row, line, decision, error) of every record of a JSONL output."""
    return [(r["row"], r["line"], r["decision"], r["error"]) for r in jsonl(path)]


# -- unbalanced quotes -----------------------------------------------------------------------

# The file of the issue: line 3 opens a quote that the opening quote of line 5 closes.
LAVROV = (
    'id,name,country\n1,Ivanov,RU\n2,"Petrov,RU\n3,Sergei Lavrov,RU\n4,"Medvedev",RU\n5,Shoigu,RU\n'
)
LAVROV_ERROR = (
    "an unbalanced quote at line 3 swallowed lines 4-5 that look like rows: "
    "line 4 '3,Sergei Lavrov,RU'"
)


def test_batch_cli_reports_an_unbalanced_quote_and_screens_the_rows_it_swallowed(
    tmp_path: Path, fake_cli: list[FakeScreener]
) -> None:
    source = tmp_path / "in.csv"
    source.write_text(LAVROV)
    out = tmp_path / "out.jsonl"
    result = run_cli("batch", source, "--out", out)
    assert result.exit_code == 4, result.output
    assert "5 rows: match 0, review 0, clear 4, error 1" in result.output
    assert f"error in row 2: {LAVROV_ERROR}" in result.output
    # One record per physical data line, in order.
    assert outcomes(out) == [
        (1, 2, "clear", None),
        (2, 3, "error", LAVROV_ERROR),
        (3, 4, "clear", None),
        (4, 5, "clear", None),
        (5, 6, "clear", None),
    ]
    (screener,) = fake_cli
    assert [q.name for q in screener.queries] == ["Ivanov", "Sergei Lavrov", "Medvedev", "Shoigu"]
    # The error row echoes its own line, read on its own.
    assert jsonl(out)[1]["input"] == {"id": "2", "name": "Petrov,RU"}


def test_tx_cli_reports_an_unbalanced_quote_and_screens_the_transactions_it_swallowed(
    tmp_path: Path, fake_cli: list[FakeScreener]
) -> None:
    source = tmp_path / "tx.csv"
    source.write_text(
        "tx_id,beneficiary_name,beneficiary_country\n"
        "T1,Jane Doe,GB\n"
        'T2,"Petrov Trading,GB\n'
        "T3,Sanctioned Bank,GB\n"
        'T4,"Ivan Petrov",GB\n'
        "T5,Acme Ltd,FR\n"
    )
    out = tmp_path / "out.jsonl"
    result = run_cli("tx", "screen", source, "--out", out)
    assert result.exit_code == 4, result.output
    assert "5 transactions: block 0, review 2, clear 2, error 1" in result.output
    error = (
        "an unbalanced quote at line 3 swallowed lines 4-5 that look like rows: "
        "line 4 'T3,Sanctioned Bank,GB'"
    )
    records = jsonl(out)
    assert [(r["tx_id"], r["line"], r["decision"], r["error"]) for r in records] == [
        ("T1", 2, "clear", None),
        ("T2", 3, "error", error),
        ("T3", 4, "review", None),  # the fake screener's SANCTIONED hit, no longer swallowed
        ("T4", 5, "review", None),  # its PETROV hit
        ("T5", 6, "clear", None),
    ]
    assert [f["rule"] for f in records[2]["flags"]] == ["PARTY_SANCTIONS_HIT"]


@pytest.mark.parametrize(
    ("content", "error", "screened"),
    [
        # Closed by the opening quote of the next row: that row is the only line swallowed.
        (
            'id,name,country\n2,"Petrov,RU\n4,"Medvedev",RU\n',
            "an unbalanced quote at line 2 swallowed line 3 that looks like a row: "
            "'4,\"Medvedev\",RU'",
            ["Medvedev"],
        ),
        # Never closed: the rest of the file became one cell, two fields instead of three.
        (
            'id,name,country\n2,"Petrov,RU\n3,Lavrov\n',
            "an unbalanced quote at line 2 swallowed line 3 into a row of 2 fields "
            "(the header has 3)",
            [],  # line 3 is read again, but has two fields: an error of its own
        ),
        # Closed in the middle of a cell of the swallowed line ("Med"x): read strictly, the
        # quote cannot close a cell there.
        (
            'id,name,country\n2,"Petrov,RU\n4,Med"x,RU\n',
            "an unbalanced quote at line 2 swallowed line 3: "
            "a quote closes in the middle of a cell",
            ['Med"x'],
        ),
    ],
)
def test_each_sign_of_an_unbalanced_quote(
    tmp_path: Path, content: str, error: str, screened: list[str]
) -> None:
    screener = FakeScreener()
    source = tmp_path / "in.csv"
    source.write_text(content)
    summary = run_batch(source, tmp_path / "out.jsonl", screener)
    records = jsonl(tmp_path / "out.jsonl")
    assert records[0]["error"] == error and records[0]["line"] == 2
    assert [r["line"] for r in records] == [2, 3]  # one record per physical line
    assert [q.name for q in screener.queries] == screened
    assert summary.error == 2 - len(screened)


@pytest.mark.parametrize(
    ("content", "values"),
    [
        (b'name,country\r\n"Ivan\r\nPetrov",RU\r\n', {"name": "Ivan\r\nPetrov", "country": "RU"}),
        # Bare CRs end physical lines too; the line "CR","<CR> closes one cell and opens one.
        (b'name,note\r\n"\rCR","\rCR"\r\n', {"name": "\rCR", "note": "\rCR"}),
        (b'name,note\n"Acme ""Best""\nLtd",x\n', {"name": 'Acme "Best"\nLtd', "note": "x"}),
        (b'name,note\n"three\n\nlines",x\n', {"name": "three\n\nlines", "note": "x"}),
    ],
)
def test_legitimate_quoted_newlines_stay_one_row(
    tmp_path: Path, content: bytes, values: dict[str, str]
) -> None:
    summary = batch(tmp_path, content)
    (record,) = jsonl(tmp_path / "out.jsonl")
    assert record["input"] == values and record["error"] is None
    assert summary.error == 0


def test_tx_csv_quoted_newline_stays_one_transaction(tmp_path: Path) -> None:
    source = tmp_path / "tx.csv"
    source.write_text('tx_id,goods_description\nT1,"chips,\nboards"\nT2,x\n')
    rows = list(read_transactions(source))
    assert [(r.tx_id, r.line, r.problem) for r in rows] == [("T1", 2, None), ("T2", 4, None)]
    assert rows[0].transaction is not None
    assert rows[0].transaction.goods_description == "chips,\nboards"


# -- nesting depth ---------------------------------------------------------------------------


def nested(depth: int, leaf: str = "1") -> str:
    return '{"a":' * depth + leaf + "}" * depth


def test_tx_cli_deep_jsonl_line_is_an_error_row(
    tmp_path: Path, fake_cli: list[FakeScreener]
) -> None:
    source = tmp_path / "tx.jsonl"
    lines = ['{"tx_id": "J1"}', nested(100_000), '{"tx_id": "J3"}']
    source.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out.jsonl"
    result = run_cli("tx", "screen", source, "--out", out)
    assert result.exit_code == 4, result.output
    assert "Traceback" not in result.output
    assert outcomes(out) == [
        (1, 1, "clear", None),
        (2, 2, "error", "nested deeper than 64 levels"),
        (3, 3, "clear", None),
    ]


def test_tx_cli_deep_json_array_element_refuses_the_file(
    tmp_path: Path, fake_cli: list[FakeScreener]
) -> None:
    source = tmp_path / "tx.json"
    source.write_text('[{"tx_id": "A"}, ' + "[" * 100_000 + "]" * 100_000 + "]")
    out = tmp_path / "out.jsonl"
    result = run_cli("tx", "screen", source, "--out", out)
    assert result.exit_code == 1, result.output
    # Characters are counted from 0: '[' and '{"tx_id": "A"}, ' are 0-16.
    assert (
        result.output.strip()
        .splitlines()[-1]
        .endswith(
            "tx.json: element 2 (character 17): nested deeper than 64 levels (no output written)"
        )
    )
    assert "Traceback" not in result.output
    assert not out.exists()


@pytest.mark.parametrize("kind", ["array", "object"])
def test_json_nesting_is_capped_at_exactly_64_levels(tmp_path: Path, kind: str) -> None:
    # A transaction object is level 1; its "a" value adds the rest.
    inner = "[" * (MAX_JSON_DEPTH - 1) + "]" * (MAX_JSON_DEPTH - 1)
    if kind == "object":
        inner = nested(MAX_JSON_DEPTH - 2, "[]")
    deepest = tmp_path / "deepest.json"
    deepest.write_text(f'[{{"tx_id": "A", "hs_codes": {inner}}}]')
    (row,) = read_transactions(deepest)  # 64 levels: read, then refused as a transaction
    assert row.tx_id == "A" and row.problem is not None
    deeper = tmp_path / "deeper.json"
    deeper.write_text(f'[{{"tx_id": "A", "hs_codes": [{inner}]}}]')
    with pytest.raises(TxInputError, match=r"element 1 .*: nested deeper than 64 levels"):
        list(read_transactions(deeper))


def test_one_deep_object_and_brackets_inside_strings(tmp_path: Path) -> None:
    single = tmp_path / "one.json"
    single.write_text(nested(100_000))
    with pytest.raises(TxInputError, match=r"one\.json: nested deeper than 64 levels$"):
        list(read_transactions(single))
    # Brackets in strings are text, however many; escaped quotes do not end the string.
    text = json.dumps([{"tx_id": "S", "goods_description": '"[' * 500 + "{" * 500}])
    assert not nests_too_deep(text)
    path = tmp_path / "text.json"
    path.write_text(text)
    (row,) = read_transactions(path)
    assert row.problem is None and row.transaction is not None
    assert row.transaction.goods_description == '"[' * 500 + "{" * 500


# -- control characters ----------------------------------------------------------------------

NUL_ERROR = "control characters (0x00) in 'name': not text"


def test_control_characters_fail_their_row_wherever_they_are(tmp_path: Path) -> None:
    # Line 2 is inside the 64 KiB the encoding is sniffed from; line 6,005 is past it.
    filler = [f"party {i:05d},DE\n" for i in range(6_000)]
    text = (
        "name,country\nIva\x00nov,RU\nTab\tinside,GB\nEsc\x1b[0m,FR\n"
        + "".join(filler)
        + "Late\x00,RU\nLast,GB\n"
    )
    summary = batch(tmp_path, text.encode())
    assert len(text.encode()) > 64 * 1024
    records = jsonl(tmp_path / "out.jsonl")
    assert len(records) == 3 + 6_000 + 2
    assert outcomes(tmp_path / "out.jsonl")[:3] == [
        (1, 2, "error", NUL_ERROR),
        (2, 3, "clear", None),  # a tab is text
        (3, 4, "error", "control characters (0x1B) in 'name': not text"),
    ]
    assert outcomes(tmp_path / "out.jsonl")[-2:] == [
        (6_004, 6_005, "error", NUL_ERROR),
        (6_005, 6_006, "clear", None),
    ]
    # The echo shows U+FFFD, never the control character itself.
    assert records[0]["input"] == {"name": "Iva\ufffdnov", "country": "RU"}
    assert summary.error == 3


def test_binary_files_are_refused_for_names_and_transactions(
    tmp_path: Path, fake_cli: list[FakeScreener]
) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 2000
    for name in ("in.csv", "tx.csv", "tx.jsonl", "tx.json"):
        (tmp_path / name).write_bytes(png)
    results = [run_cli("batch", tmp_path / "in.csv", "--out", tmp_path / "out.csv")]
    for name in ("tx.csv", "tx.jsonl", "tx.json"):
        results.append(run_cli("tx", "screen", tmp_path / name, "--out", tmp_path / "out.csv"))
    for result in results:
        assert result.exit_code == 1, result.output
        assert "binary content (mostly NUL or other control bytes)" in result.output
        assert "Traceback" not in result.output
    assert leftovers(tmp_path) == ["in.csv", "tx.csv", "tx.json", "tx.jsonl"]
    assert fake_cli == []  # refused before the screener is opened


def test_tx_control_characters_fail_their_row_in_every_format(tmp_path: Path) -> None:
    csv_file = tmp_path / "tx.csv"
    csv_file.write_bytes(b"tx_id,beneficiary_name\nT1,Ok\nT2,Nu\x00l\nT3,Ok\n")
    jsonl_file = tmp_path / "tx.jsonl"
    jsonl_file.write_bytes(
        b'{"tx_id": "J1"}\n{"tx_id": "J2"}\x00\n{"tx_id": "J3", "note": "a\\u0000b"}\n'
    )
    json_file = tmp_path / "tx.json"
    json_file.write_text('[{"tx_id": "A1"}, {"tx_id": "A2", "beneficiary_name": "x\\u0007"}]')
    assert [(r.tx_id, r.line, r.problem) for r in read_transactions(csv_file)] == [
        ("T1", 2, None),
        ("T2", 3, "control characters (0x00) in 'beneficiary_name': not text"),
        ("T3", 4, None),
    ]
    assert [(r.number, r.line, r.problem) for r in read_transactions(jsonl_file)] == [
        (1, 1, None),
        (2, 2, "control characters (0x00) from column 16"),
        (3, 3, "control characters (0x00) in 'note': not text"),
    ]
    rows = list(read_transactions(json_file))
    assert [(r.tx_id, r.problem) for r in rows] == [
        ("A1", None),
        ("A2", "control characters (0x07) in 'beneficiary_name': not text"),
    ]
    assert rows[1].values["beneficiary_name"] == "x\ufffd"


# -- blank lines -----------------------------------------------------------------------------


def test_batch_cli_says_how_many_blank_lines_it_skipped(
    tmp_path: Path, fake_cli: list[FakeScreener]
) -> None:
    source = tmp_path / "in.csv"
    source.write_text("name,country\nIvan Petrov,RU\n\n,\n   ,  \nJane,GB\n")
    out = tmp_path / "out.jsonl"
    result = run_cli("batch", source, "--out", out)
    assert result.exit_code == 0, result.output
    assert "2 rows: match 0, review 1, clear 1, error 0 (3 blank lines skipped)" in result.output
    # Blank lines get no record but keep their place in the numbering.
    assert outcomes(out) == [(1, 2, "review", None), (5, 6, "clear", None)]


def test_tx_cli_counts_blank_jsonl_lines(tmp_path: Path, fake_cli: list[FakeScreener]) -> None:
    source = tmp_path / "tx.jsonl"
    source.write_text('{"tx_id": "J1"}\n\n   \n{"tx_id": "J2"}\n')
    out = tmp_path / "out.jsonl"
    result = run_cli("tx", "screen", source, "--out", out)
    assert result.exit_code == 0, result.output
    assert "2 transactions: block 0, review 0, clear 2, error 0 (2 blank lines skipped)" in (
        result.output
    )
    assert [(r["tx_id"], r["line"]) for r in jsonl(out)] == [("J1", 1), ("J2", 4)]


def test_record_batch_counts_blank_lines_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "book.csv"
    path.write_text("customer_ref,name\nC1,Ivan Petrov\n\n,\nC2,Olga\n\n")
    recorder = Recorder(ListStore(f"sqlite:///{tmp_path / 'store.db'}"))
    report = record_batch(recorder, ClearScreener(), path, requested_by="ops")
    assert (report.rows, report.screened, report.blank) == (2, 2, 3)
    assert report.counts()["blank"] == 3
    assert recorded_batch_line(report) == (
        f"run {report.run_id}: 2 of 2 rows screened (clear 2); 0 alerts (0 suppressed)"
        " (3 blank lines skipped)"
    )


# -- found by the batch fuzz tests (tests/fuzz/test_batch.py) --------------------------------


def test_utf16_file_cut_after_an_odd_byte_fails_its_last_row_only(tmp_path: Path) -> None:
    # The last byte, "_" (0x5F), is half a UTF-16 character: surrogateescape cannot hold a
    # byte below 0x80, so it used to end the run with a UnicodeDecodeError.
    summary = batch(tmp_path, "name\nIvan\n".encode("utf-16") + b"_")
    assert summary.encoding == "utf-16"
    assert outcomes(tmp_path / "out.jsonl") == [
        (1, 2, "clear", None),
        (2, 3, "error", "bytes that are not valid utf-16 (0x5F) in 'name'"),
    ]


def test_delimiter_sniffing_reads_a_bare_cr_as_a_line_end() -> None:
    # The sniffer gives up on this head; the fallback read it with "\n" lines only and the
    # bare CR ended the run with csv.Error.
    assert sniff_delimiter("name,country\nIvan\rPetrov\n") == ","


def test_missing_column_errors_name_the_file(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("id,country\n1,RU\n")
    with pytest.raises(MissingColumnError) as names_error:
        run_batch(source, tmp_path / "out.jsonl", FakeScreener())
    assert str(names_error.value).startswith(f"{source}: no name column: looked for name, ")
    with pytest.raises(MissingColumnError) as tx_error:
        list(read_transactions(source))
    assert str(tx_error.value) == f"{source}: no tx_id column; available columns: 'id', 'country'"
