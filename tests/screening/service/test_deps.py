"""Shared dependencies: the API-key caller (every endpoint but /health and /algorithm needs a
key; keys are stored hashed and can be revoked) and the request body limit.
"""

from __future__ import annotations

import hashlib
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

import cli
from screening.store import ListStore
from screening.workflow.keys import KEY_PREFIX, ApiKeys
from screening.workflow.schema import ApiKey
from tests.screening.service.server import UN_LISTED, Served, create_key


def test_key_is_stored_only_as_its_hash(served: Served) -> None:
    store = ListStore(served.db_url)
    with Session(store.engine) as session:
        row = session.scalars(select(ApiKey).where(ApiKey.name == "tests")).one()
        assert row.key_hash == hashlib.sha256(served.key.encode()).hexdigest()
        assert row.prefix == served.key[:8]
        # Only this key's row: other tests of the shared server create keys of their own.
        key_row = select(ApiKey.__table__).where(ApiKey.name == "tests")
        stored = [str(v) for v in session.execute(key_row).one()]
    assert all(served.key not in value for value in stored)
    listing = CliRunner().invoke(cli.main, ["keys", "list", "--db", served.db_url])
    assert listing.exit_code == 0
    assert "tests" in listing.stdout and served.key not in listing.stdout
    assert "active" in listing.stdout


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


@pytest.mark.parametrize(
    "name",
    [
        "ops\nadmin",  # a line break would forge a line of a log or an export
        "ops\radmin",
        "a\x00b",
        "bell\x07",
        "esc\x1b[31m",
        "tab\there",
        "two  spaces",
        "-leading-dash",
        "right\u202eto-left",  # a bidi override makes a name read as another
        "ünïcode",
        "x" * 101,
    ],
)
def test_key_names_outside_the_pattern_are_refused(tmp_path: Path, name: str) -> None:
    keys = ApiKeys(ListStore(f"sqlite:///{tmp_path / 'k.db'}"))
    with pytest.raises(ValueError, match="key name"):
        keys.create(name)
    assert keys.list() == []


def test_usable_key_names(tmp_path: Path) -> None:
    keys = ApiKeys(ListStore(f"sqlite:///{tmp_path / 'k.db'}"))
    for name in ("bank-a", "a.smith@bank.example", "KYC team 2", "svc_batch+nightly", "x" * 100):
        assert keys.verify(keys.create(name)) == name
    assert keys.verify(keys.create("  padded ")) == "padded"


def test_keys_create_cli_refuses_a_control_character(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'k.db'}"
    result = CliRunner().invoke(cli.main, ["keys", "create", "ops\nroot", "--db", db_url])
    assert result.exit_code == 2
    assert "key name 'ops\\nroot' is not usable" in result.output
    assert "Traceback" not in result.output
