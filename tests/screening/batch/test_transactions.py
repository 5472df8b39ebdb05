"""Transaction readers: CSV (flat format), JSONL and JSON arrays, streamed, errors as rows."""

from __future__ import annotations

import codecs
import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest

from screening.batch.errors import MissingColumnError
from screening.batch.transactions import TxInput, TxInputError, read_transactions, run_tx_batch
from screening.coalition.profiles import resolve_profile
from tests.screening.batch.support import ClearScreener

HEADER = (
    "tx_id,amount,currency,originator_name,originator_country,originator_bic,beneficiary_name,"
    "beneficiary_country,beneficiary_bic,intermediary_bics,origin_country,transit_countries,"
    "destination_country,end_user_name,end_user_country,hs_codes,goods_description,note"
)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding, newline="")
    return path


# -- CSV -------------------------------------------------------------------------------------


def test_csv_rows_in_order_with_per_row_errors(tmp_path: Path) -> None:
    text = "\n".join(
        [
            HEADER,
            "T1,100.00,usd,Acme,DE,,Buyer,KZ,,,DE,AE;TR,KZ,,,854231;8471.50,chips,keep me",
            "T2,12;50,EUR,,,,,,,,,,,,,,,",
            "",
            ",,,,,,,,,,,,,,,,,",
            "T3,1,EUR,,,,,,,,,,,,,ABC,,",
            "T4,1,EUR",
            'T5,1,GBP,,,,,,,"SABRRUMM;VTBRRUMM",,,,,,,,',
        ]
    )
    rows = list(read_transactions(write(tmp_path / "tx.csv", text + "\n")))
    assert [(r.number, r.tx_id) for r in rows] == [
        (1, "T1"),
        (2, "T2"),
        (5, "T3"),
        (6, "T4"),
        (7, "T5"),
    ]
    first = rows[0].transaction
    assert first is not None and rows[0].problem is None
    assert first.transit_countries == ["AE", "TR"]
    assert first.hs_codes == ["854231", "8471.50"]
    assert rows[0].values["note"] == "keep me"  # unknown columns are kept for the echo
    assert rows[1].transaction is None and "unreadable amount '12;50'" in (rows[1].problem or "")
    assert "hs_codes: 'ABC'" in (rows[2].problem or "")
    assert rows[3].problem == "row has 3 fields, the header has 18"
    assert rows[4].transaction is not None
    assert rows[4].transaction.intermediary_bics == ["SABRRUMM", "VTBRRUMM"]
    assert all(r.line == r.number + 1 for r in rows)


def test_csv_semicolon_file_with_quoted_lists_and_any_header_case(tmp_path: Path) -> None:
    text = 'TX_ID;Amount;Currency;Transit Countries;HS-Codes\nA;5;chf;"AE;TR";"8542.31;8542.32"\n'
    with TxInput(write(tmp_path / "tx.csv", text, "cp1252")) as table:
        assert table.delimiter == ";"
        rows = list(table.rows())
    tx = rows[0].transaction
    assert tx is not None
    assert (tx.tx_id, tx.currency, tx.transit_countries) == ("A", "CHF", ["AE", "TR"])
    assert tx.hs_codes == ["8542.31", "8542.32"]


def test_csv_without_tx_id_column_is_refused(tmp_path: Path) -> None:
    with pytest.raises(MissingColumnError, match="no tx_id column; available columns: 'id'"):
        list(read_transactions(write(tmp_path / "tx.csv", "id,amount\n1,2\n")))


def test_csv_undecodable_bytes_make_an_error_row(tmp_path: Path) -> None:
    path = tmp_path / "tx.csv"
    path.write_bytes(
        "tx_id,beneficiary_name\nT1,Müller Straße Öl\n".encode() + b"T2,Caf\xe9\n" + b"T3,Ok\n"
    )
    rows = list(read_transactions(path))
    assert [r.tx_id for r in rows] == ["T1", "T2", "T3"]
    assert rows[1].problem is not None and "not valid utf-8 (0xE9)" in rows[1].problem
    assert rows[0].transaction is not None and rows[2].transaction is not None


# -- JSON ------------------------------------------------------------------------------------


def test_jsonl_rows_with_errors_and_blank_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"tx_id": "J1", "amount": 0.1, "hs_codes": ["8542.31"], "extra": [1, 2]}),
        "",
        "{not json",
        "[1, 2]",
        json.dumps({"tx_id": "J4", "amount": "x"}),
        json.dumps({"tx_id": "J5", "currency": "gbp", "transit_countries": "AE; TR"}),
    ]
    rows = list(read_transactions(write(tmp_path / "tx.jsonl", "\n".join(lines) + "\n")))
    assert [(r.number, r.line) for r in rows] == [(1, 1), (2, 3), (3, 4), (4, 5), (5, 6)]
    assert rows[0].transaction is not None and rows[0].transaction.amount == Decimal("0.1")
    assert rows[0].values["extra"] == "1; 2"
    assert rows[1].problem is not None and rows[1].problem.startswith("not valid JSON")
    assert rows[2].problem == "expected a JSON object, got list"
    assert rows[3].tx_id == "J4" and "unreadable amount 'x'" in (rows[3].problem or "")
    assert rows[4].transaction is not None and rows[4].transaction.transit_countries == ["AE", "TR"]


def test_json_array_is_streamed_across_chunks(tmp_path: Path) -> None:
    records = [
        {"tx_id": f"A{i}", "amount": f"{i}.25", "goods_description": "x" * 97} for i in range(1500)
    ]
    path = write(tmp_path / "tx.json", json.dumps(records, indent=1))
    assert path.stat().st_size > 3 * 64 * 1024  # several read chunks
    rows = list(read_transactions(path))
    assert len(rows) == 1500
    assert [r.tx_id for r in rows[:3]] == ["A0", "A1", "A2"]
    assert rows[-1].transaction is not None and rows[-1].transaction.amount == Decimal("1499.25")
    assert all(r.problem is None for r in rows)


def test_json_single_object_and_empty_array(tmp_path: Path) -> None:
    rows = list(read_transactions(write(tmp_path / "one.json", '{"tx_id": "S"}')))
    assert [r.tx_id for r in rows] == ["S"]
    assert list(read_transactions(write(tmp_path / "none.json", " [ ] "))) == []


def test_json_array_element_errors_stay_rows(tmp_path: Path) -> None:
    text = '[{"tx_id": "A"}, 5, {"tx_id": "B", "currency": "ZZZ"}]'
    rows = list(read_transactions(write(tmp_path / "tx.json", text)))
    assert [r.problem for r in rows] == [
        None,
        "expected a JSON object, got int",
        "currency: unknown currency 'ZZZ': give an ISO 4217 code such as USD",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[{"tx_id": "A"}, {"tx_id": "B",]',
            "element 2 (character 31): not valid JSON: Expecting property name",
        ),
        ('[{"tx_id": "A"}', "the JSON array is not closed"),
        ('[{"tx_id": "A"} {"tx_id": "B"}]', "character 16: expected ',' or ']'"),
        ('"text"', "expected a JSON array of transactions"),
        ("", "the file is empty"),
    ],
)
def test_unreadable_json_arrays_name_the_place(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path / "tx.json", text)
    with pytest.raises(TxInputError) as caught:
        list(read_transactions(path))
    assert str(caught.value).startswith(str(path))
    assert message in str(caught.value)


def test_jsonl_line_that_is_not_utf8_is_an_error_row(tmp_path: Path) -> None:
    path = tmp_path / "tx.jsonl"
    path.write_bytes(codecs.BOM_UTF8 + b'{"tx_id": "A"}\n{"tx_id": "Caf\xe9"}\n{"tx_id": "C"}\n')
    rows = list(read_transactions(path))
    assert [r.tx_id for r in rows] == ["A", None, "C"]
    assert rows[1].problem == "not UTF-8 (byte 0xE9 at column 15)"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TxInputError, match="No such file"):
        list(read_transactions(tmp_path / "absent.jsonl"))


# -- the transaction batch -------------------------------------------------------------------


def test_tx_batch_writes_one_record_per_row_and_sums_up_in_its_words(tmp_path: Path) -> None:
    source = write(
        tmp_path / "in.csv",
        "tx_id,amount,currency,beneficiary_name,beneficiary_country,Risk Score\n"
        "T1,10.00,EUR,Jane Doe,DE,x\n"
        "\n"
        "T2,abc,EUR,Jane Doe,DE,y\n"
        "T3,5,EUR,=1+2,FR,z\n",
    )
    out = tmp_path / "out.csv"
    summary = run_tx_batch(source, out, ClearScreener(), resolve_profile("uk_bank"))
    lines = summary.report_lines()
    assert lines[0] == "3 transactions: block 0, review 0, clear 2, error 1 (1 blank line skipped)"
    assert lines[1].startswith("profile uk_bank; elapsed ") and lines[1].endswith(" s")
    assert lines[2:] == [
        "lists: ofac_sdn version 7 (2024-05-03)",
        "error in row 3: amount: unreadable amount 'abc': "
        "digits with an optional '.' decimal point",
        f"wrote {out} (csv)",
    ]
    with out.open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    # An input column that reads as an added one ("Risk Score" ~ risk_score) keeps its name.
    assert header[5:] == [
        "Risk Score",
        "decision",
        "screening_risk_score",
        "flag_count",
        "flags",
        "error",
    ]
    assert [(row[0], row[6]) for row in rows] == [("T1", "clear"), ("T2", "error"), ("T3", "clear")]
    assert rows[2][3] == "'=1+2"  # formula-escaped like every batch CSV
