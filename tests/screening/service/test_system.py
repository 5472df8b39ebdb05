"""``/health``, ``/algorithm`` and the OpenAPI document: answered without a key."""

from __future__ import annotations

from pathlib import Path

from screening import settings
from screening.matching.algorithm import describe
from tests.screening.service.server import Served

DOCS = Path(__file__).resolve().parents[3] / "docs"


def test_health_needs_no_key(served: Served) -> None:
    answer = served.client.get("/health", key="")
    assert answer.status == 200
    health = answer.json()
    assert health["status"] == "ok"
    assert health["index_loaded"] is True
    assert [(v["source"], v["published_on"]) for v in health["lists"]] == [("un", "2026-05-08")]


def test_openapi_document(served: Served) -> None:
    answer = served.client.get("/openapi.json", key="")
    assert answer.status == 200
    document = answer.json()
    assert set(document["paths"]) == {
        "/health",
        "/algorithm",
        "/screen",
        "/screen/batch",
        "/transactions/screen",
        "/payments/screen",
        "/lists/status",
        "/lists/versions",
        "/alerts",
        "/alerts/{alert_id}",
        "/alerts/{alert_id}/decisions",
    }
    assert document["info"]["version"] == settings.version()  # the package's, not a literal
    schemes = document["components"]["securitySchemes"]
    assert schemes["APIKeyHeader"] == {"type": "apiKey", "in": "header", "name": "X-API-Key"}


def test_algorithm_is_the_generated_documentation(served: Served) -> None:
    answer = served.client.get("/algorithm", key="")
    assert answer.status == 200
    content_type = {k.lower(): v for k, v in answer.headers.items()}["content-type"]
    assert content_type == "text/markdown; charset=utf-8"
    text = answer.body.decode("utf-8")
    assert text == describe()
    # The page and the committed docs/matching.md come from the same generator.
    assert text == (DOCS / "matching.md").read_text(encoding="utf-8")
