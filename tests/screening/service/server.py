"""Helpers of the service tests: an HTTP client over urllib, a server in a thread, keys.

The tests drive the service over real HTTP on 127.0.0.1, never through an in-process test
client, so the body limit, chunked bodies and the uvicorn stack are exercised as deployed.
"""

from __future__ import annotations

import json
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
from click.testing import CliRunner
from fastapi import FastAPI

import cli
from screening.workflow.keys import KEY_PREFIX

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


def stop(process: subprocess.Popen[bytes], timeout: float = 20) -> None:
    """End a `coalition serve` process: SIGTERM (a clean shutdown), SIGKILL if it hangs."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


def create_key(db_url: str, name: str) -> str:
    result = CliRunner().invoke(cli.main, ["keys", "create", name, "--db", db_url])
    assert result.exit_code == 0, result.output
    key = result.stdout.strip()
    assert key.startswith(KEY_PREFIX)
    return key


@dataclass
class Served:
    client: Client
    key: str
    db_url: str


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
