"""The one `coalition serve` subprocess the service tests share, over the real UN list.

Session-scoped: the server builds its index once; tests that store records use their own
customer references so that they do not depend on each other's order.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import cli
from lists import open_list
from screening.store import ListStore
from tests.screening.service.server import (
    Client,
    Served,
    create_key,
    free_port,
    stop,
    wait_healthy,
)


@pytest.fixture(scope="session")
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
        stop(process)
        log.close()
