"""``POST /screen`` and ``POST /screen/batch`` over the real UN list."""

from __future__ import annotations

from typing import Any

import pytest

from tests.screening.service.server import UN_LISTED, UN_LISTED_ID, Served


def test_screen_listed_name(served: Served) -> None:
    answer = served.client.post("/screen", {"name": UN_LISTED, "type": "person"})
    assert answer.status == 200
    result = answer.json()
    assert result["decision"] == "match"
    best = result["hits"][0]
    assert (best["source"], best["entry_id"], best["decision"]) == ("un", UN_LISTED_ID, "match")
    assert best["schema"] == "person"
    assert best["explanation"]["tokens"]
    assert result["query"] == {
        "name": UN_LISTED,
        "type": "person",
        "country": None,
        "birth_date": None,
        "identifiers": [],
        "sources": None,
        "lists": None,
    }
    assert [v["source"] for v in result["list_versions"]] == ["un"]
    assert best["dataset"] == "un_sc" and best["listed_on"]  # UN LISTED_ON
    assert result["recorded"] is None


def test_screen_restricted_to_lists(served: Served) -> None:
    """`lists` names sources or datasets; an unknown name is a 422, not a silent empty list."""
    only_un = served.client.post("/screen", {"name": UN_LISTED, "lists": ["un_sc"]})
    assert only_un.status == 200 and only_un.json()["decision"] == "match"
    elsewhere = served.client.post("/screen", {"name": UN_LISTED, "lists": ["ofac", "uk"]})
    assert elsewhere.status == 200 and elsewhere.json()["hits"] == []
    unknown = served.client.post("/screen", {"name": UN_LISTED, "lists": ["un_security"]})
    assert unknown.status == 422
    assert "unknown list 'un_security'" in unknown.json()["detail"]


def test_screen_clean_name_and_thresholds(served: Served) -> None:
    clean = served.client.post("/screen", {"name": "Wilhelmina Quartermaine-Osei"})
    assert clean.status == 200
    assert clean.json()["decision"] == "clear"
    strict = served.client.post(
        "/screen",
        {"name": UN_LISTED, "thresholds": {"match": 1.0, "review": 1.0, "report": 0.99}},
    )
    assert strict.status == 200
    assert strict.json()["thresholds"] == {"match": 1.0, "review": 1.0, "report": 0.99}


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"name": "X", "type": "spaceship"}, 422, "unknown type 'spaceship'"),
        ({"name": "X", "birth_date": "next tuesday"}, 422, "unreadable birth date"),
        ({"name": "X", "country": "Atlantis"}, 422, "unknown country 'Atlantis'"),
        ({"type": "person"}, 422, "body.name: Field required"),
        ({"name": ""}, 422, "body.name: String should have at least 1 character"),
        ({"name": "X", "sources": ["mars"]}, 422, "body.sources.0"),
        ({"name": "X", "thresholds": {"match": 0.5, "review": 0.9}}, 422, "thresholds"),
        ([1, 2], 422, "body"),
        # Unknown fields are refused, nested ones too: a misspelt field would screen without it.
        ({"name": "X", "countyr": "RU"}, 422, "body.countyr: Extra inputs are not permitted"),
        (
            {"name": "X", "thresholds": {"match": 0.95, "reveiw": 0.5}},
            422,
            "body.thresholds.reveiw: Extra inputs are not permitted",
        ),
        (
            {"name": "X", "identifiers": [{"type": "passport", "value": "1", "country": "RU"}]},
            422,
            "body.identifiers.0.country: Extra inputs are not permitted",
        ),
    ],
)
def test_screen_bad_input(served: Served, body: Any, status: int, message: str) -> None:
    answer = served.client.post("/screen", body)
    assert answer.status == status
    assert message in answer.json()["detail"]


def test_error_details_are_one_line(served: Served) -> None:
    """A field name with a line break became a two-line ``detail``."""
    answer = served.client.post("/screen", {"name": "X", "coun\ntry": "RU", "a\x1bb": 1})
    assert answer.status == 422
    assert answer.json()["detail"] == (
        "body.'coun\\ntry': Extra inputs are not permitted; "
        "body.'a\\x1bb': Extra inputs are not permitted"
    )


def test_batch_refuses_unknown_fields(served: Served) -> None:
    top = served.client.post("/screen/batch", {"items": [{"name": "X"}], "recrod": True})
    assert top.status == 422
    assert top.json()["detail"] == "body.recrod: Extra inputs are not permitted"
    items = [{"name": "X", "countyr": "RU"}, {"name": "Wilhelmina Quartermaine-Osei"}]
    answer = served.client.post("/screen/batch", {"items": items})
    assert answer.status == 200
    results = answer.json()["results"]
    assert results[0] == {"index": 0, "error": "countyr: Extra inputs are not permitted"}
    assert results[1]["decision"] == "clear"


def test_screen_unreadable_json(served: Served) -> None:
    answer = served.client.post("/screen", raw=b'{"name": ')
    assert answer.status == 422
    assert "JSON decode error" in answer.json()["detail"]


def test_batch_answers_in_order_with_item_errors(served: Served) -> None:
    items: list[Any] = [
        {"name": UN_LISTED, "type": "person"},
        {"name": "X", "type": "spaceship"},
        {"name": "Wilhelmina Quartermaine-Osei"},
        {"type": "person"},
        "not an object",
    ]
    answer = served.client.post("/screen/batch", {"items": items})
    assert answer.status == 200
    batch = answer.json()
    results = batch["results"]
    assert len(results) == 5
    assert results[0]["hits"][0]["entry_id"] == UN_LISTED_ID
    assert results[1] == {
        "index": 1,
        "error": "unknown type 'spaceship': use person, organization, vessel or aircraft "
        "(individual, entity, company and ship are understood too)",
    }
    assert results[2]["decision"] == "clear"
    assert results[3] == {"index": 3, "error": "name: Field required"}
    assert results[4]["index"] == 4
    assert batch["counts"] == {"items": 5, "match": 1, "review": 0, "clear": 1, "error": 3}


def test_batch_size_is_limited(served: Served) -> None:
    answer = served.client.post("/screen/batch", {"items": [{"name": "a"}] * 1001})
    assert answer.status == 422
    assert "at most 1000 items" in answer.json()["detail"]


def test_recorded_batch(served: Served) -> None:
    items = [{"name": UN_LISTED, "customer_ref": "CUST-B"}, {"name": "Nobody Atall"}]
    answer = served.client.post("/screen/batch", {"items": items, "record": True}).json()
    assert answer["run_id"] > 0
    assert answer["results"][0]["recorded"]["alert_ids"]
    assert answer["results"][1]["recorded"]["alert_ids"] == []
