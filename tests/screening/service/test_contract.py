"""The service against its own OpenAPI document, with Schemathesis (property-based).

Every operation of ``/openapi.json`` is called in-process (ASGI) with requests generated from
the document, valid and invalid ones, key header set: no answer may be a 5xx, every status must
be documented for its operation, every body must match the documented schema, invalid input
must be refused and the key must be enforced where the document says so. The store holds the
real UN list and one recorded screening, so that screening answers carry hits and some alert
ids exist. Bounded: few examples per operation, derandomized (same cases each run), no
Hypothesis database, and a pytest time budget on the whole run.

The docs pages are switched off (their HTML loads scripts from a CDN, which an offline
install must not fetch): ``/docs`` and ``/redoc`` are 404, and no answer names an outside host.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from hypothesis import HealthCheck, given, settings
from schemathesis import Case, CheckFunction, GenerationMode
from schemathesis.python.asgi import ASGIClient
from schemathesis.specs.openapi.checks import positive_data_acceptance
from schemathesis.specs.openapi.schemas import OpenApiSchema

from lists import open_list
from lists.model import Schema
from screening.matching.results import Query
from screening.service.app import create_app
from screening.store import ListStore
from screening.workflow.keys import ApiKeys
from screening.workflow.recorder import Recorder
from tests.screening.service.server import UN_LISTED

EXAMPLES_PER_OPERATION = 25
# The whole Schemathesis run (11 operations) stays well under a minute on one core.
RUN_BUDGET_SECONDS = 60.0
KEY_NAME = "contract"

# A script, style or frame source on another host, or any CDN the docs pages used to load.
OUTSIDE_HOST = re.compile(
    rb"""(src|href)\s*=\s*["']?(https?:)?//|cdn\.jsdelivr|unpkg\.com|cdnjs""", re.IGNORECASE
)


@pytest.fixture(scope="module")
def contract_app(
    tmp_path_factory: pytest.TempPathFactory, shared_lists: Path
) -> Iterator[tuple[FastAPI, str]]:
    """The application over the real UN list, with one API key and one recorded alert."""
    tmp = tmp_path_factory.mktemp("contract")
    db_url = f"sqlite:///{tmp / 'contract.db'}"
    store = ListStore(db_url)
    store.load(open_list(shared_lists / "un" / "consolidated.xml"))
    key = ApiKeys(store).create(KEY_NAME)
    # refresh_seconds=0: no watcher thread; the store does not change during the run.
    app = create_app(db_url, index_dir=tmp / "index", refresh_seconds=0)
    screener = app.state.service.screener
    recorded = Recorder(store).record_screening(
        screener.screen_query(Query(name=UN_LISTED, type=Schema.PERSON)),
        customer_ref="C-contract",
        requested_by=KEY_NAME,
    )
    assert recorded.alerts, "the listed name must open an alert for the alert routes to find"
    yield app, key


@pytest.fixture(scope="module")
def contract_schema(contract_app: tuple[FastAPI, str]) -> OpenApiSchema:
    app, _ = contract_app
    return schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.fixture(scope="module")
def api_key(contract_app: tuple[FastAPI, str]) -> str:
    return contract_app[1]


@pytest.fixture(scope="module")
def run_clock() -> Iterator[list[float]]:
    """Seconds spent in the Schemathesis cases, summed over the module, checked at its end."""
    spent = [0.0]
    yield spent
    assert spent[0] < RUN_BUDGET_SECONDS, f"contract run took {spent[0]:.0f} s"


def in_process(app: FastAPI) -> ASGIClient:
    """Schemathesis' in-process client (requests over ASGI, no network)."""
    # Its app type spells the scope as a dict, Starlette's as a MutableMapping: same object.
    return ASGIClient(app)  # type: ignore[arg-type]


# Listed here, not read from the document, so that a route dropped from it fails the test below.
OPERATIONS = [
    "GET /alerts",
    "GET /alerts/{alert_id}",
    "GET /algorithm",
    "GET /health",
    "GET /lists/status",
    "GET /lists/versions",
    "POST /alerts/{alert_id}/decisions",
    "POST /payments/screen",
    "POST /screen",
    "POST /screen/batch",
    "POST /transactions/screen",
]


# Operations that take no parameter and no body: there is nothing to make invalid.
WITHOUT_INPUT = {"GET /algorithm", "GET /health", "GET /lists/status"}
CASES = [
    pytest.param(label, mode, id=f"{label}-{mode.value}")
    for label in OPERATIONS
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if mode is GenerationMode.POSITIVE or label not in WITHOUT_INPUT
]
# Schema-valid data may still be refused (422) for rules a JSON Schema cannot state: thresholds
# in order (report <= review <= match), a readable birth date or country, a known list name or
# profile. Every other check runs: no 5xx, documented statuses, conforming bodies and headers,
# invalid data refused, the key enforced.
SEMANTIC_422: list[CheckFunction] = [positive_data_acceptance]


@pytest.mark.parametrize(("label", "mode"), CASES)
def test_operation_keeps_its_contract(
    contract_schema: OpenApiSchema,
    api_key: str,
    run_clock: list[float],
    label: str,
    mode: GenerationMode,
) -> None:
    # Schemathesis' own pytest loader (`from_fixture`) does not run under pytest 9, so each
    # operation's strategy is driven by Hypothesis here; the checks are Schemathesis' own.
    operation = contract_schema.find_operation_by_label(label)
    assert operation is not None, f"{label} is not in /openapi.json"

    # The key as a fixed header: a negative case must not lose it (that would test the key,
    # which the `ignored_auth` check does on every case anyway).
    @given(case=operation.as_strategy(mode, headers={"X-API-Key": api_key}))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def keeps_contract(case: Case[Any]) -> None:
        case.call_and_validate(excluded_checks=SEMANTIC_422)

    started = time.perf_counter()
    try:
        keeps_contract()
    finally:
        run_clock[0] += time.perf_counter() - started


def test_every_operation_is_covered(contract_schema: OpenApiSchema) -> None:
    # A route missing from OPERATIONS would escape the contract run above.
    paths: dict[str, dict[str, Any]] = contract_schema.raw_schema["paths"]
    documented = sorted(
        f"{method.upper()} {path}" for path, item in paths.items() for method in item
    )
    assert documented == OPERATIONS


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/docs/oauth2-redirect"])
def test_docs_pages_are_off(contract_app: tuple[FastAPI, str], path: str) -> None:
    app, key = contract_app
    with in_process(app) as client:
        assert client.get(path).status_code == 404
        assert client.get(path, headers={"X-API-Key": key}).status_code == 404
        assert client.get("/openapi.json").status_code == 200


def test_outside_host_pattern_finds_the_docs_pages_cdn() -> None:
    # The pattern below must catch what the docs pages used to serve, or its silence means nothing.
    page = get_swagger_ui_html(openapi_url="/openapi.json", title="t").body
    assert OUTSIDE_HOST.search(page) is not None


def test_no_answer_names_an_outside_host(contract_app: tuple[FastAPI, str]) -> None:
    app, key = contract_app
    headers = {"X-API-Key": key}
    with in_process(app) as client:
        answers = {
            "/openapi.json": (client.get("/openapi.json"), 200),
            "/health": (client.get("/health"), 200),
            "/algorithm": (client.get("/algorithm"), 200),
            "/docs": (client.get("/docs"), 404),
            "/redoc": (client.get("/redoc"), 404),
            "/lists/status": (client.get("/lists/status", headers=headers), 200),
            "/alerts": (client.get("/alerts", headers=headers), 200),
            "/screen": (client.post("/screen", json={"name": UN_LISTED}, headers=headers), 200),
            "/no-such-page": (client.get("/no-such-page"), 404),
        }
    for path, (answer, status) in answers.items():
        assert answer.status_code == status, path
        found = OUTSIDE_HOST.search(answer.content)
        assert found is None, f"{path} names an outside host: {found.group()!r}"
        assert "text/html" not in answer.headers.get("content-type", ""), path


def test_unknown_list_refused_for_a_transaction_without_parties(
    contract_app: tuple[FastAPI, str],
) -> None:
    # Found by the contract run: with no party name to screen, a misspelt list name was
    # never checked and the transaction answered clear.
    app, key = contract_app
    with in_process(app) as client:
        answer = client.post(
            "/transactions/screen?lists=ofca", json={"tx_id": "T-1"}, headers={"X-API-Key": key}
        )
        known = client.post(
            "/transactions/screen?lists=un", json={"tx_id": "T-2"}, headers={"X-API-Key": key}
        )
    assert answer.status_code == 422
    assert answer.json()["detail"].startswith("unknown list 'ofca': give a source (")
    assert known.status_code == 200
