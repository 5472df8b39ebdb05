"""``GET /lists/status`` and ``GET /lists/versions``."""

from __future__ import annotations

from tests.screening.service.server import Served


def test_list_status_and_versions(served: Served) -> None:
    status = served.client.get("/lists/status").json()
    by_source = {s["source"]: s for s in status}
    assert by_source["un"]["active"]["published_on"] == "2026-05-08"
    assert by_source["un"]["versions"] == 1
    assert by_source["ofac"]["active"] is None
    versions = served.client.get("/lists/versions?source=un").json()
    assert [(v["source"], v["file_name"]) for v in versions] == [("un", "consolidated.xml")]
    assert served.client.get("/lists/versions?source=ofac").json() == []
    assert served.client.get("/lists/versions?source=moon").status == 422
