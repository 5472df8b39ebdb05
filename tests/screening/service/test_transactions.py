"""``POST /transactions/screen``: a transaction through the coalition rules."""

from __future__ import annotations

from typing import Any

import pytest

from tests.screening.service.server import UN_LISTED, UN_LISTED_ID, Served


def test_transaction_screening(served: Served) -> None:
    tx = {
        "tx_id": "T-1",
        "amount": "2500.00",
        "currency": "GBP",
        "originator_name": "Wilhelmina Quartermaine-Osei",
        "originator_country": "GB",
        "beneficiary_name": UN_LISTED,
        "beneficiary_country": "SS",
    }
    answer = served.client.post("/transactions/screen?profile=uk_bank", tx)
    assert answer.status == 200
    result = answer.json()
    assert result["tx_id"] == "T-1"
    assert result["decision"] == "block"
    party = [f for f in result["flags"] if f["rule"] == "PARTY_SANCTIONS_HIT"]
    assert party and party[0]["evidence"]["entry_id"] == UN_LISTED_ID
    assert [v["source"] for v in result["list_versions"]] == ["un"]


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("/transactions/screen", {"amount": "1"}, "tx_id"),
        ("/transactions/screen", {"tx_id": "T", "amount": "lots"}, "unreadable amount 'lots'"),
        ("/transactions/screen?profile=/etc/passwd", {"tx_id": "T"}, "unknown profile"),
        (
            "/transactions/screen",
            {"tx_id": "T", "beneficiary_name": "X", "beneficiary_contry": "RU"},
            "unknown transaction field 'beneficiary_contry': see `pydoc "
            "screening.coalition.transactions` for the fields",
        ),
        (
            "/transactions/screen",
            {"tx_id": "T", "b\nx": 1, "a": 2},
            "unknown transaction fields 'a', 'b\\nx': see",
        ),
    ],
)
def test_transaction_bad_input(served: Served, path: str, body: Any, message: str) -> None:
    answer = served.client.post(path, body)
    assert answer.status == 422
    assert message in answer.json()["detail"]


def test_recorded_transaction_opens_alert(served: Served) -> None:
    tx = {"tx_id": "T-9", "beneficiary_name": UN_LISTED, "currency": "GBP", "amount": "10"}
    answer = served.client.post("/transactions/screen?record=true", tx).json()
    assert answer["recorded"]["alert_ids"]
    alert = served.client.get(f"/alerts/{answer['recorded']['alert_ids'][0]}").json()
    assert alert["entry_id"] == UN_LISTED_ID
    assert alert["query"]["tx_id"] == "T-9"
