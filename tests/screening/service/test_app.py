"""The application as `create_app` builds it, under uvicorn in a thread: an empty store, and
new list versions picked up by the refresher while requests are answered.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from lists import open_list
from screening.service.app import create_app
from screening.store import ListStore
from screening.workflow.keys import ApiKeys
from tests.screening.service.server import UN_ADDED_ID, UN_ADDED_NAME, UN_LISTED, serving


def test_empty_store_answers_503(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COALITION_INDEX_DIR", str(tmp_path / "index"))
    db_url = f"sqlite:///{tmp_path / 'empty.db'}"
    key = ApiKeys(ListStore(db_url)).create("k")
    with serving(create_app(db_url)) as client:
        client.key = key
        health = client.get("/health").json()
        assert health == {"status": "ok", "index_loaded": False, "lists": [], "refresh_error": None}
        for path, body in [
            ("/screen", {"name": "X"}),
            ("/screen/batch", {"items": [{"name": "X"}]}),
            ("/transactions/screen", {"tx_id": "T", "beneficiary_name": "X"}),
        ]:
            answer = client.post(path, body)
            assert answer.status == 503
            assert answer.json()["detail"].startswith("no lists are loaded")


def test_concurrent_requests_during_list_update(
    tmp_path: Path, shared_lists: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COALITION_INDEX_DIR", str(tmp_path / "index"))
    db_url = f"sqlite:///{tmp_path / 'update.db'}"
    store = ListStore(db_url)
    old = store.load(open_list(shared_lists / "un" / "history" / "2026-02-27" / "consolidated.xml"))
    key = ApiKeys(store).create("load")
    with serving(create_app(db_url, refresh_seconds=0.2)) as client:
        client.key = key
        before = client.post("/screen", {"name": UN_ADDED_NAME, "type": "person"}).json()
        assert [v["version_id"] for v in before["list_versions"]] == [old.version.id]
        # Measured (Screener on the 2026-02-27 UN file alone): no hit at all for this name.
        assert before["hits"] == []

        statuses: list[int] = []
        errors: list[str] = []
        loading = threading.Event()
        enough_served = threading.Event()
        loaded = threading.Event()
        new_version: list[int] = []
        served_during_load: list[int] = []

        def hold_until_served(count: int) -> None:
            # The load (its transaction open, its first entity written) waits until 4 requests
            # were answered meanwhile: the property under test, whatever the load's speed.
            if count == 1:
                loading.set()
                enough_served.wait(timeout=60)

        def load() -> None:
            result = ListStore(db_url).load(
                open_list(shared_lists / "un" / "consolidated.xml"), on_entity=hold_until_served
            )
            new_version.append(result.version.id)
            loaded.set()

        def hammer() -> None:
            # Bounded: stops once the new version answers, or after 60 s.
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                during_load = loading.is_set() and not loaded.is_set()
                try:
                    answer = client.post("/screen", {"name": UN_LISTED, "type": "person"})
                except OSError as exc:
                    errors.append(repr(exc))
                    return
                statuses.append(answer.status)
                if answer.status != 200:
                    errors.append(answer.body.decode()[:300])
                    return
                if during_load:
                    served_during_load.append(answer.json()["list_versions"][0]["version_id"])
                    if len(served_during_load) >= 4:
                        enough_served.set()
                elif answer.json()["list_versions"][0]["version_id"] in new_version:
                    return

        workers = [threading.Thread(target=hammer) for _ in range(4)]
        for worker in workers:
            worker.start()
        loader = threading.Thread(target=load)
        loader.start()
        loader.join(timeout=120)
        for worker in workers:
            worker.join(timeout=300)
        assert loaded.is_set()
        assert errors == []
        assert set(statuses) == {200}
        # Requests were answered (from the old index) while the load ran: the load waited for
        # the first 4, so they can only have come from the old version.
        assert len(served_during_load) >= 4
        assert served_during_load[:4] == [old.version.id] * 4
        assert set(served_during_load) <= {old.version.id, *new_version}

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            health = client.get("/health").json()
            if [v["version_id"] for v in health["lists"]] == new_version:
                break
            time.sleep(0.2)
        assert [(v["version_id"], v["published_on"]) for v in health["lists"]] == [
            (new_version[0], "2026-05-08")
        ]
        status = {s["source"]: s for s in client.get("/lists/status").json()}
        assert status["un"]["active"]["id"] == new_version[0]
        assert status["un"]["versions"] == 2
        after = client.post("/screen", {"name": UN_ADDED_NAME, "type": "person"}).json()
        assert [v["version_id"] for v in after["list_versions"]] == new_version
        added = [h for h in after["hits"] if h["entry_id"] == UN_ADDED_ID]
        assert added and added[0]["list_version"] == new_version[0]


@pytest.mark.parametrize(
    ("method", "path", "body", "message"),
    [
        # PostgreSQL refuses NUL in text, even as a query parameter: these were 500s there.
        ("GET", "/alerts?customer_ref=C%00X", None, "query.customer_ref: String should match"),
        ("POST", "/screen", {"name": "A\x00B", "record": True}, "body.name: text with a NUL"),
        (
            "POST",
            "/screen",
            {"name": "A", "customer_ref": "C\x00", "record": True},
            "body.customer_ref: text with a NUL",
        ),
        (
            "POST",
            "/transactions/screen?record=true",
            {"tx_id": "T\x00", "beneficiary_name": "X"},
            "body: text with a NUL character (\\x00) cannot be stored",
        ),
        (
            "POST",
            "/alerts/1/decisions",
            {"disposition": "escalated", "reason": "r\x00"},
            "body.reason: text with a NUL",
        ),
        # Above 64 bits: OverflowError in the SQLite driver.
        ("GET", "/alerts/99999999999999999999999", None, "path.alert_id: Input should be less"),
    ],
)
def test_unstorable_input_is_refused_on_every_backend(
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    method: str,
    path: str,
    body: object,
    message: str,
) -> None:
    monkeypatch.setenv("COALITION_INDEX_DIR", str(tmp_path / "index"))
    key = ApiKeys(ListStore(db_url)).create("k")
    with serving(create_app(db_url, refresh_seconds=0)) as client:
        answer = client.request(method, path, body, key=key)
    assert answer.status == 422, answer.body
    assert answer.json()["detail"].startswith(message)
