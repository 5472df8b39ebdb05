"""``POST /payments/screen``: raw ISO 20022 and MT messages over HTTP (OFAC SDN, UK OFSI and
UN loaded): injected cases, bad input, media types, recording, the body limit and the key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from screening.service.app import create_app
from screening.store import ListStore
from screening.workflow.keys import ApiKeys
from tests.screening.coalition.payments.support import (
    BAD,
    CASES,
    LISTED_BIC,
    MT103,
    PACS008,
    SDN_BANK_ID,
    UN_LISTED_ID,
    full_lists_store,
    sample_text,
)
from tests.screening.service.server import Client, Response, serving

XML = {"Content-Type": "application/xml"}
TEXT = {"Content-Type": "text/plain; charset=utf-8"}
MAX_BODY = 64 * 1024


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    url, index = full_lists_store(tmp_path_factory)
    key = ApiKeys(ListStore(url)).create("payments-tests")
    app = create_app(url, index_dir=index, refresh_seconds=0, max_body_bytes=MAX_BODY)
    with serving(app) as served:
        served.key = key
        yield served


def post(client: Client, body: str | bytes, headers: dict[str, str], query: str = "") -> Response:
    raw = body.encode("utf-8") if isinstance(body, str) else body
    return client.post(f"/payments/screen{query}", raw=raw, headers=headers)


@pytest.mark.parametrize("label", list(CASES))
def test_injected_cases(client: Client, label: str) -> None:
    rule, decision, edit_mx, edit_mt = CASES[label]
    for body, headers in (
        (edit_mx(sample_text(PACS008)), XML),
        (edit_mt(sample_text(MT103)), TEXT),
    ):
        answer = post(client, body, headers)
        assert answer.status == 200, answer.body
        (result,) = answer.json()
        assert result["decision"] == decision
        assert rule in {flag["rule"] for flag in result["flags"]}
        assert result["file"] == "message" and result["index"] == 0
        assert result["list_versions"] and result["recorded"] is None


def test_a_clear_message_in_both_formats(client: Client) -> None:
    for body, headers, kind in ((PACS008, XML, "pacs.008.001.12"), (MT103, TEXT, "MT103")):
        (result,) = post(client, body.read_bytes(), headers).json()
        assert (result["decision"], result["message_type"], result["flags"]) == ("clear", kind, [])
        assert result["msg_id"] == "A2B0506272708"


BAD_BODIES = [
    pytest.param(edit, sample, id=f"{label}-{sample.suffix}")
    for label, edits in BAD.items()
    for edit, sample in zip(edits, (PACS008, MT103), strict=True)
    if edit is not None
]


@pytest.mark.parametrize(("edit", "sample"), BAD_BODIES)
def test_bad_messages_are_422_with_one_line(client: Client, edit: Any, sample: Path) -> None:
    answer = post(client, edit(sample_text(sample)), XML if sample.suffix == ".xml" else TEXT)
    assert answer.status == 422
    detail = answer.json()["detail"]
    assert detail.startswith("message") and "\n" not in detail
    assert "root:" not in detail


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b"", "message: the file is empty"),
        (b"hello", "message: not an ISO 20022 or SWIFT MT message"),
        (b"{1:F01AAAAUS33AXXX0000000000}\x00", "cannot be stored"),
    ],
)
def test_unreadable_bodies(client: Client, body: bytes, detail: str) -> None:
    answer = post(client, body, TEXT)
    assert answer.status == 422
    assert detail in answer.json()["detail"]


@pytest.mark.parametrize("media", ["application/json", "application/octet-stream", ""])
def test_other_media_types_are_415(client: Client, media: str) -> None:
    answer = post(client, PACS008.read_bytes(), {"Content-Type": media})
    assert answer.status == 415
    assert "send application/xml or text/xml or text/plain" in answer.json()["detail"]


def test_text_xml_is_taken_too(client: Client) -> None:
    answer = post(client, PACS008.read_bytes(), {"Content-Type": "text/xml"})
    assert answer.status == 200


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ("?profile=/etc/passwd", "unknown profile '/etc/passwd'"),
        ("?lists=ofca", "unknown list 'ofca'"),
    ],
)
def test_bad_parameters_are_422(client: Client, query: str, detail: str) -> None:
    answer = post(client, PACS008.read_bytes(), XML, query)
    assert answer.status == 422
    assert detail in answer.json()["detail"]


def test_recorded_message_opens_an_alert(client: Client) -> None:
    _, _, edit_mx, _ = CASES["listed creditor"]
    answer = post(client, edit_mx(sample_text(PACS008)), XML, "?record=true&customer=C-77")
    assert answer.status == 200
    (result,) = answer.json()
    recorded = result["recorded"]
    assert recorded["screening_id"] > 0 and recorded["alert_ids"]
    alerts = [client.get(f"/alerts/{alert_id}").json() for alert_id in recorded["alert_ids"]]
    # The name is listed by the UN, the UK and OFAC: one alert per listed entry.
    assert UN_LISTED_ID in {alert["entry_id"] for alert in alerts}
    alert = alerts[0]
    assert alert["query"]["tx_id"] == "E2E04044506271305"
    assert alert["query"]["customer"] == "C-77"
    assert alert["query"]["message_type"] == "pacs.008.001.12"


def test_a_recorded_listed_bic_opens_an_alert_for_the_customer(client: Client) -> None:
    _, _, edit_mx, edit_mt = CASES["listed BIC, 11 characters"]
    for body, headers, customer in (
        (edit_mx(sample_text(PACS008)), XML, "C-BIC-MX"),
        (edit_mt(sample_text(MT103)), TEXT, "C-BIC-MT"),
    ):
        answer = post(client, body, headers, f"?record=true&customer={customer}")
        assert answer.status == 200
        (result,) = answer.json()
        alert_ids = result["recorded"]["alert_ids"]
        alerts = [client.get(f"/alerts/{alert_id}").json() for alert_id in alert_ids]
        # The bank is on the SDN list only, by its BIC: one alert, the SDN entry.
        assert [(a["dataset"], a["entry_id"]) for a in alerts] == [("ofac_sdn", SDN_BANK_ID)]
        (alert,) = alerts
        assert alert["hit"]["rule"] == "AGENT_SANCTIONS_HIT"
        assert alert["hit"]["bic"] == LISTED_BIC
        assert alert["customer_ref"] == customer and alert["status"] == "open"
        listed = client.get(f"/alerts?customer_ref={customer}").json()
        assert [item["id"] for item in listed] == alert_ids


def test_lists_restrict_the_screening(client: Client) -> None:
    _, _, edit_mx, _ = CASES["listed creditor"]
    (un,) = post(client, edit_mx(sample_text(PACS008)), XML, "?lists=un").json()
    (every,) = post(client, edit_mx(sample_text(PACS008)), XML).json()
    assert {flag["evidence"].get("source") for flag in un["flags"]} == {"un"}
    assert {flag["evidence"].get("source") for flag in every["flags"]} == {"un", "uk", "ofac"}


def test_a_body_over_the_limit_is_413(client: Client) -> None:
    padding = " " * MAX_BODY
    answer = post(client, padding + sample_text(PACS008), XML)
    assert answer.status == 413


def test_the_key_is_required(client: Client) -> None:
    answer = client.request(
        "POST", "/payments/screen", raw=PACS008.read_bytes(), headers=XML, key=""
    )
    assert answer.status == 401
