"""``/alerts``: recorded screenings open alerts; decisions are appended to their history."""

from __future__ import annotations

from typing import Any

import pytest

from tests.screening.service.server import UN_LISTED, UN_LISTED_ID, Served, create_key

HUGE = 99999999999999999999999  # above 2**63 - 1, the largest id a database column holds


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
        {"disposition": "false_positive", "reason": "born 1990, other person"},
    )
    assert decided.status == 201
    assert decided.json()["disposition"] == "false_positive"
    # The decider is the API key's name ("tests", made by the served fixture).
    assert decided.json()["analyst"] == "tests"
    detail = served.client.get(f"/alerts/{alert_id}").json()
    assert detail["status"] == "decided"
    assert [(d["reason"], d["analyst"]) for d in detail["decisions"]] == [
        ("born 1990, other person", "tests")
    ]

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
            {"disposition": "true_match", "reason": "r"},
            404,
            "no alert 999999",
        ),
        (
            "POST",
            "/alerts/1/decisions",
            {"disposition": "maybe", "reason": "r"},
            422,
            "unknown disposition 'maybe'",
        ),
        (
            "POST",
            "/alerts/1/decisions",
            {"disposition": "true_match", "reason": ""},
            422,
            "body.reason",
        ),
        (
            "POST",
            "/alerts/1/decisions",
            {"disposition": "true_match", "reason": "   "},
            422,
            "a decision needs a reason",
        ),
        ("GET", "/alerts?status=closed", None, 422, "query.status"),
        ("GET", "/alerts/abc", None, 422, "path.alert_id"),
        # Beyond 64 bits: an OverflowError in the SQLite driver (a 500) before the bounds.
        ("GET", f"/alerts/{HUGE}", None, 422, "path.alert_id: Input should be less than"),
        ("GET", f"/alerts/-{HUGE}", None, 422, "path.alert_id: Input should be greater than"),
        ("GET", "/alerts/0", None, 422, "path.alert_id: Input should be greater than"),
        (
            "POST",
            f"/alerts/{HUGE}/decisions",
            {"disposition": "true_match", "reason": "r"},
            422,
            "path.alert_id: Input should be less than",
        ),
        ("GET", f"/alerts?offset={HUGE}", None, 422, "query.offset: Input should be less than"),
        ("GET", "/alerts?offset=1e30", None, 422, "query.offset: Input should be a valid integer"),
        ("GET", f"/alerts?limit={HUGE}", None, 422, "query.limit: Input should be less than"),
        (
            "POST",
            "/alerts/1/decisions",
            {"disposition": "true_match", "reason": "r", "analyst": "tests", "extra": 1},
            422,
            "body.extra: Extra inputs are not permitted",
        ),
    ],
)
def test_alert_errors(
    served: Served, method: str, path: str, body: Any, status: int, message: str
) -> None:
    served.client.post("/screen", {"name": UN_LISTED, "record": True})  # alert 1 exists
    answer = served.client.request(method, path, body)
    assert answer.status == status
    assert message in answer.json()["detail"]


def test_the_decider_is_the_api_key_not_the_body(served: Served) -> None:
    """Any key holder could file a decision in another analyst's name through ``analyst``."""
    recorded = served.client.post(
        "/screen", {"name": UN_LISTED, "customer_ref": "CUST-FORGE", "record": True}
    ).json()["recorded"]
    alert_id = recorded["alert_ids"][0]
    path = f"/alerts/{alert_id}/decisions"
    forged = served.client.post(
        path, {"disposition": "false_positive", "reason": "not him", "analyst": "a.smith"}
    )
    assert forged.status == 403
    assert forged.json() == {
        "detail": "analyst 'a.smith' is not this API key's name 'tests': "
        "decisions are recorded under the key's name (leave analyst out)"
    }
    assert served.client.get(f"/alerts/{alert_id}").json()["decisions"] == []

    # An older client naming the caller itself is accepted; a second key decides as itself.
    own = served.client.post(
        path, {"disposition": "escalated", "reason": "unsure", "analyst": " tests "}
    )
    assert own.status == 201
    other_key = create_key(served.db_url, "a.smith")
    theirs = served.client.post(
        path, {"disposition": "false_positive", "reason": "not him"}, key=other_key
    )
    assert theirs.status == 201
    history = served.client.get(f"/alerts/{alert_id}").json()["decisions"]
    assert [(d["disposition"], d["analyst"]) for d in history] == [
        ("escalated", "tests"),
        ("false_positive", "a.smith"),
    ]
