"""The HTTP service, driven over real HTTP on 127.0.0.1 (issue 6, part 5).

One server is `coalition serve` in a subprocess over a store holding the real UN list (the
key is created with `coalition keys create`); the list-update test runs `create_app` under
uvicorn in a thread, with a short refresh interval, while another thread loads a newer UN
version into the same database.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from click.testing import CliRunner
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session

import cli
from lists import open_list
from screening.service.app import create_app
from screening.store import ListStore
from screening.workflow.keys import KEY_PREFIX, ApiKeys
from screening.workflow.schema import ApiKey

UN_LISTED = "PAUL MALONG AWAN ANEI"
UN_LISTED_ID = "6908714"  # <DATAID> of that <INDIVIDUAL> in un/consolidated.xml
# Added to the UN list between 2026-02-27 and 2026-05-08 (PROVENANCE: 7 DATAIDs added).
UN_ADDED_NAME = "CLAUDIA VIVIANA OLIVEROS"
UN_ADDED_ID = "6909559"
STARTUP_SECONDS = 90


@dataclass
class Response:
    status: int
    body: bytes
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body)


class Client:
    def __init__(self, base: str, key: str | None = None) -> None:
        self.base = base
        self.key = key

    def request(
        self,
        method: str,
        path: str,
        payload: Any = None,
        *,
        key: str | None = None,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        data = raw if raw is not None else None if payload is None else json.dumps(payload).encode()
        sent = {"Content-Type": "application/json", **(headers or {})}
        chosen = key if key is not None else self.key
        if chosen:
            sent["X-API-Key"] = chosen
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=sent)
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                return Response(answer.status, answer.read(), dict(answer.headers))
        except urllib.error.HTTPError as exc:
            return Response(exc.code, exc.read(), dict(exc.headers))

    def get(self, path: str, **kwargs: Any) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, payload: Any = None, **kwargs: Any) -> Response:
        return self.request("POST", path, payload, **kwargs)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_healthy(
    client: Client, process: subprocess.Popen[bytes] | None = None, log: Path | None = None
) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            output = log.read_text(errors="replace")[-2000:] if log else ""
            raise AssertionError(f"server exited: {output}")
        try:
            if client.get("/health").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError("server did not start")


def create_key(db_url: str, name: str) -> str:
    result = CliRunner().invoke(cli.main, ["keys", "create", name, "--db", db_url])
    assert result.exit_code == 0, result.output
    key = result.stdout.strip()
    assert key.startswith(KEY_PREFIX)
    return key


# -- the `coalition serve` subprocess over the real UN list ---------------------------------


@dataclass
class Served:
    client: Client
    key: str
    db_url: str


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, shared_lists: Path) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("service")
    db_url = f"sqlite:///{tmp / 'service.db'}"
    ListStore(db_url).load(open_list(shared_lists / "un" / "consolidated.xml"))
    key = create_key(db_url, "tests")
    port = free_port()
    env = {**os.environ, "COALITION_INDEX_DIR": str(tmp / "index")}
    command = [sys.executable, "-m", "cli", "serve", "--port", str(port), "--db", db_url]
    command += ["--max-body", "20000"]
    log = (tmp / "server.log").open("wb")  # a file, not a pipe nobody drains
    process = subprocess.Popen(
        command,
        env=env,
        cwd=Path(cli.__file__).parent,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    client = Client(f"http://127.0.0.1:{port}", key)
    try:
        wait_healthy(client, process, tmp / "server.log")
        yield Served(client, key, db_url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)
        log.close()


def test_key_is_stored_only_as_its_hash(served: Served) -> None:
    store = ListStore(served.db_url)
    with Session(store.engine) as session:
        row = session.scalars(select(ApiKey).where(ApiKey.name == "tests")).one()
        assert row.key_hash == hashlib.sha256(served.key.encode()).hexdigest()
        assert row.prefix == served.key[:8]
        stored = [str(v) for v in session.execute(select(ApiKey.__table__)).one()]
    assert all(served.key not in value for value in stored)
    listing = CliRunner().invoke(cli.main, ["keys", "list", "--db", served.db_url])
    assert listing.exit_code == 0
    assert "tests" in listing.stdout and served.key not in listing.stdout
    assert "active" in listing.stdout


def test_health_needs_no_key(served: Served) -> None:
    answer = served.client.get("/health", key="")
    assert answer.status == 200
    health = answer.json()
    assert health["status"] == "ok"
    assert health["index_loaded"] is True
    assert [(v["source"], v["published_on"]) for v in health["lists"]] == [("un", "2026-05-08")]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/screen"),
        ("POST", "/screen/batch"),
        ("POST", "/transactions/screen"),
        ("GET", "/lists/status"),
        ("GET", "/lists/versions"),
        ("GET", "/alerts"),
        ("GET", "/alerts/1"),
        ("POST", "/alerts/1/decisions"),
    ],
)
def test_every_endpoint_but_health_needs_a_valid_key(
    served: Served, method: str, path: str
) -> None:
    body = {"name": UN_LISTED}
    missing = served.client.request(method, path, body, key="")
    assert missing.status == 401
    assert missing.json() == {"detail": "missing X-API-Key header"}
    wrong = served.client.request(method, path, body, key=KEY_PREFIX + "not-a-real-key")
    assert wrong.status == 401
    assert wrong.json() == {"detail": "invalid or revoked API key"}


def test_revoked_key_is_refused(served: Served) -> None:
    key = create_key(served.db_url, "short-lived")
    assert served.client.get("/lists/versions", key=key).status == 200
    revoked = CliRunner().invoke(cli.main, ["keys", "revoke", "short-lived", "--db", served.db_url])
    assert revoked.exit_code == 0
    assert served.client.get("/lists/versions", key=key).status == 401
    again = CliRunner().invoke(cli.main, ["keys", "revoke", "short-lived", "--db", served.db_url])
    assert again.exit_code == 1
    assert "no active key named 'short-lived'" in again.output


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
    }
    assert [v["source"] for v in result["list_versions"]] == ["un"]
    assert result["recorded"] is None


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
    ],
)
def test_screen_bad_input(served: Served, body: Any, status: int, message: str) -> None:
    answer = served.client.post("/screen", body)
    assert answer.status == status
    assert message in answer.json()["detail"]


def test_screen_unreadable_json(served: Served) -> None:
    answer = served.client.post("/screen", raw=b'{"name": ')
    assert answer.status == 422
    assert "JSON decode error" in answer.json()["detail"]


def test_body_above_limit_is_refused(served: Served) -> None:
    big = {"name": "X", "customer_ref": "y" * 30000}
    answer = served.client.post("/screen", big)
    assert answer.status == 413
    assert answer.json() == {"detail": "request body larger than 20000 bytes"}


def test_streamed_body_above_limit_is_refused(served: Served) -> None:
    """No Content-Length: the limit is enforced on the bytes actually received."""
    port = int(served.client.base.rsplit(":", 1)[1])
    chunk = b'{"name": "' + b"x" * 15000
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        head = (
            "POST /screen HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"X-API-Key: {served.key}\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        conn.sendall(head.encode())
        for _ in range(2):
            conn.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        conn.sendall(b"0\r\n\r\n")
        reply = b""
        while b"\r\n\r\n" not in reply:
            data = conn.recv(4096)
            if not data:
                break
            reply += data
    assert reply.startswith(b"HTTP/1.1 413")


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
    ],
)
def test_transaction_bad_input(served: Served, path: str, body: Any, message: str) -> None:
    answer = served.client.post(path, body)
    assert answer.status == 422
    assert message in answer.json()["detail"]


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


def test_recorded_transaction_opens_alert(served: Served) -> None:
    tx = {"tx_id": "T-9", "beneficiary_name": UN_LISTED, "currency": "GBP", "amount": "10"}
    answer = served.client.post("/transactions/screen?record=true", tx).json()
    assert answer["recorded"]["alert_ids"]
    alert = served.client.get(f"/alerts/{answer['recorded']['alert_ids'][0]}").json()
    assert alert["entry_id"] == UN_LISTED_ID
    assert alert["query"]["tx_id"] == "T-9"


def test_recorded_batch(served: Served) -> None:
    items = [{"name": UN_LISTED, "customer_ref": "CUST-B"}, {"name": "Nobody Atall"}]
    answer = served.client.post("/screen/batch", {"items": items, "record": True}).json()
    assert answer["run_id"] > 0
    assert answer["results"][0]["recorded"]["alert_ids"]
    assert answer["results"][1]["recorded"]["alert_ids"] == []


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


def test_openapi_document(served: Served) -> None:
    answer = served.client.get("/openapi.json", key="")
    assert answer.status == 200
    document = answer.json()
    assert set(document["paths"]) == {
        "/health",
        "/screen",
        "/screen/batch",
        "/transactions/screen",
        "/lists/status",
        "/lists/versions",
        "/alerts",
        "/alerts/{alert_id}",
        "/alerts/{alert_id}/decisions",
    }
    schemes = document["components"]["securitySchemes"]
    assert schemes["APIKeyHeader"] == {"type": "apiKey", "in": "header", "name": "X-API-Key"}


# -- keys -----------------------------------------------------------------------------------


def test_api_keys(db_url: str) -> None:
    keys = ApiKeys(ListStore(db_url))
    first = keys.create("bank-a")
    second = keys.create("bank-b")
    assert first != second
    assert len(first) == len(KEY_PREFIX) + 43
    assert keys.verify(first) == "bank-a"
    assert keys.verify(second) == "bank-b"
    assert keys.verify(first[:-1]) is None
    assert keys.verify(None) is None
    assert keys.verify("") is None
    with pytest.raises(ValueError, match="a key named 'bank-a' already exists"):
        keys.create("bank-a")
    with pytest.raises(ValueError, match="key name must be"):
        keys.create("  ")
    assert keys.revoke("bank-a") is True
    assert keys.revoke("bank-a") is False
    assert keys.revoke("nobody") is False
    assert keys.verify(first) is None
    listed = keys.list()
    assert [(k.name, k.active, k.prefix) for k in listed] == [
        ("bank-a", False, first[:8]),
        ("bank-b", True, second[:8]),
    ]


def test_keys_create_cli_refuses_a_taken_name(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'k.db'}"
    create_key(db_url, "ops")
    again = CliRunner().invoke(cli.main, ["keys", "create", "ops", "--db", db_url])
    assert again.exit_code == 2
    assert "a key named 'ops' already exists" in again.output
    assert "Traceback" not in again.output


# -- in-process servers ---------------------------------------------------------------------


@contextmanager
def serving(app: FastAPI) -> Iterator[Client]:
    """`app` under uvicorn in a thread on an ephemeral loopback port; stopped on exit."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not server.started and time.monotonic() < deadline and thread.is_alive():
            time.sleep(0.05)
        assert server.started
        port = server.servers[0].sockets[0].getsockname()[1]
        client = Client(f"http://127.0.0.1:{port}")
        wait_healthy(client)
        yield client
    finally:
        server.should_exit = True
        thread.join(timeout=30)
    assert not thread.is_alive()


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


# -- list updates while serving -------------------------------------------------------------


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
        assert all(h["entry_id"] != UN_ADDED_ID for h in before["hits"])

        statuses: list[int] = []
        errors: list[str] = []
        loaded = threading.Event()
        new_version: list[int] = []
        served_during_load: list[int] = []

        def load() -> None:
            result = ListStore(db_url).load(open_list(shared_lists / "un" / "consolidated.xml"))
            new_version.append(result.version.id)
            loaded.set()

        def hammer() -> None:
            # Bounded: stops once the new version answers, or after 60 s.
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                during_load = not loaded.is_set()
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
        # Requests were answered (from the old index) while the load ran.
        assert len(served_during_load) >= 4
        assert old.version.id in served_during_load
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
