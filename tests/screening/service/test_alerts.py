"""``/alerts``: recorded screenings open alerts; decisions are appended to their history."""

from __future__ import annotations

from typing import Any

import pytest

from tests.screening.service.server import UN_LISTED, UN_LISTED_ID, Served


def test_recorded_screening_alerts_and_decisions(served: Served) -> None:
    body = {"name": UN_LISTED, "type": "person", "customer_ref": "CUST-7", "record": True}
    first = served.client.post("/screen", body).json()
    recorded = first["recorded"]
    assert recorded["screening_id"] > 0
    assert len(recorded["alert_ids"]) >= 1
    alert_id = recorded["alert_ids"][0]

    listed = served.client.get("/alerts?customer_ref=CUST-7").json()
    assert [a["id"] for a in listed] == recorded["alert_ids"]
    assert listed[0]["status"] == "open"
    detail = served.client.get(f"/alerts/{alert_id}").json()
    assert (detail["source"], detail["entry_id"]) == ("un", UN_LISTED_ID)
    assert detail["hit"]["explanation"]["tokens"]
    assert detail["query"]["name"] == UN_LISTED
    assert detail["decisions"] == []

    decided = served.client.post(
        f"/alerts/{alert_id}/decisions",
        {"disposition": "false_positive", "reason": "born 1990, other person", "analyst": "a.k"},
    )
    assert decided.status == 201
    assert decided.json()["disposition"] == "false_positive"
    assert decided.json()["analyst"] == "a.k"
    detail = served.client.get(f"/alerts/{alert_id}").json()
    assert detail["status"] == "decided"
    assert [d["reason"] for d in detail["decisions"]] == ["born 1990, other person"]

    # Good-guy suppression: the same customer and entry alert again, but suppressed.
    again = served.client.post("/screen", body).json()
    suppressed = served.client.get(f"/alerts/{again['recorded']['alert_ids'][0]}").json()
    assert suppressed["entry_id"] == UN_LISTED_ID
    assert suppressed["status"] == "suppressed"
    only_suppressed = served.client.get("/alerts?status=suppressed&customer_ref=CUST-7").json()
    assert [a["id"] for a in only_suppressed] == [suppressed["id"]]


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "message"),
    [
        ("GET", "/alerts/999999", None, 404, "no alert 999999"),
        (
            "POST",
            "/alerts/999999/decisions",
            {"disposition": "true_match", "reason": "r", "analyst": "a"},
            404,
            "no alert 999999",
        ),
        (
            "POST",
            "/alerts/1/decisions",
            {"disposition": "maybe", "reason": "r", "analyst": "a"},
            422,
            "unknown disposition 'maybe'",
        ),
        (
            "POST",
            "/alerts/1/decisions",
            {"disposition": "true_match", "reason": "", "analyst": "a"},
            422,
            "body.reason",
        ),
        (
            "POST",
            "/alerts/1/decisions",
            {"disposition": "true_match", "reason": "   ", "analyst": "a"},
            422,
            "a decision needs a reason",
        ),
        ("GET", "/alerts?status=closed", None, 422, "query.status"),
        ("GET", "/alerts/abc", None, 422, "path.alert_id"),
    ],
)
def test_alert_errors(
    served: Served, method: str, path: str, body: Any, status: int, message: str
) -> None:
    served.client.post("/screen", {"name": UN_LISTED, "record": True})  # alert 1 exists
    answer = served.client.request(method, path, body)
    assert answer.status == status
    assert message in answer.json()["detail"]
