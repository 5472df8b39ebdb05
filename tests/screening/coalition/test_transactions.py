"""The Transaction model: normalising values, one-line reasons for bad ones, the flat form."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from screening.coalition.transactions import (
    TRANSACTION_FIELDS,
    Transaction,
    build_transaction,
)


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
