"""The Transaction model and its readers: CSV (flat format), JSONL and JSON arrays, streamed."""

from __future__ import annotations

import codecs
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from screening.batch.names import MissingColumnError
from screening.batch.transactions import TxInput, TxInputError, read_transactions
from screening.coalition.transactions import (
    TRANSACTION_FIELDS,
    Transaction,
    build_transaction,
)

HEADER = (
    "tx_id,amount,currency,originator_name,originator_country,originator_bic,beneficiary_name,"
    "beneficiary_country,beneficiary_bic,intermediary_bics,origin_country,transit_countries,"
    "destination_country,end_user_name,end_user_country,hs_codes,goods_description,note"
)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding, newline="")
    return path


# -- the model -------------------------------------------------------------------------------


def test_a_full_row_is_normalised() -> None:
    tx = build_transaction(
        {
            "tx_id": " T-1 ",
            "amount": "1250.50",
            "currency": "eur",
            "originator_name": "Acme GmbH",
            "originator_country": "Germany",
            "originator_bic": "deut de ff",
            "beneficiary_country": "UAE",
            "beneficiary_bic": "NBADAEAAXXX",
            "intermediary_bics": "CHASUS33; COBADEFF",
            "origin_country": "DEU",
            "transit_countries": "TR; Kazakhstan",
            "destination_country": "Crimea",
            "end_user_country": "UA-40",
            "hs_codes": "8542.31; 85423190",
            "goods_description": "",
        }
    )
    assert tx.tx_id == "T-1"
    assert tx.amount == Decimal("1250.50")
    assert tx.currency == "EUR"
    assert (tx.originator_country, tx.beneficiary_country, tx.origin_country) == ("DE", "AE", "DE")
    assert tx.originator_bic == "DEUTDEFF"
    assert tx.beneficiary_bic == "NBADAEAAXXX"
    assert tx.intermediary_bics == ["CHASUS33", "COBADEFF"]
    assert tx.transit_countries == ["TR", "KZ"]
    # Regions keep their ISO 3166-2 code: the rules must see the occupied region.
    assert (tx.destination_country, tx.end_user_country) == ("UA-43", "UA-40")
    assert tx.hs_codes == ["8542.31", "85423190"]
    assert tx.goods_description is None  # empty means not given
    assert tx.beneficiary_name is None


def test_lists_may_be_json_arrays_and_ids_numbers() -> None:
    tx = build_transaction(
        {"tx_id": 42, "amount": 0.1, "transit_countries": ["AE", " "], "hs_codes": ["8542"]}
    )
    assert tx.tx_id == "42"
    assert tx.amount == Decimal("0.1")  # from repr, not the binary float
    assert tx.transit_countries == ["AE"]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"amount": "12,50"}, "amount: unreadable amount '12,50'"),
        ({"amount": "1 250.00"}, "unreadable amount"),
        ({"amount": "-5"}, "unreadable amount '-5'"),
        ({"amount": "abc"}, "unreadable amount 'abc'"),
        ({"amount": True}, "amount must be a number"),
        ({"amount": "NaN"}, "unreadable amount 'NaN'"),
        ({"currency": "XYZ"}, "currency: unknown currency 'XYZ'"),
        ({"originator_country": "Atlantis"}, "originator_country: unknown country 'Atlantis'"),
        ({"transit_countries": "AE;Narnia"}, "unknown country 'Narnia'"),
        ({"beneficiary_bic": "NOTABIC"}, "beneficiary_bic: 'NOTABIC' is not a valid BIC"),
        ({"intermediary_bics": "SABRRUMM;BAD"}, "'BAD' is not a valid BIC"),
        ({"hs_codes": "8542.31;ABC"}, "hs_codes: 'ABC': not an HS code"),
        ({"hs_codes": "123"}, "'123': 3 digits"),
        ({"tx_id": "   "}, "tx_id: empty tx_id: every transaction needs one"),
        ({"beneficiary_name": "x" * 501}, "beneficiary_name: String should have at most 500"),
    ],
)
def test_bad_values_give_one_line_reasons(values: dict[str, Any], message: str) -> None:
    row = {"tx_id": "T1", **values}
    with pytest.raises(ValueError) as caught:
        build_transaction(row)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_tx_id_is_an_error() -> None:
    with pytest.raises(ValueError, match="tx_id: Field required"):
        build_transaction({"amount": "1"})


def test_flat_joins_lists_and_blanks_missing_values() -> None:
    tx = Transaction.model_validate({"tx_id": "T", "amount": "3", "hs_codes": "8542;8541.10"})
    flat = tx.flat()
    assert list(flat) == list(TRANSACTION_FIELDS)
    assert flat["hs_codes"] == "8542; 8541.10"
    assert flat["amount"] == "3"
    assert flat["currency"] == ""


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
