"""SIGKILL `coalition serve` while a client records screenings through ``POST /screen``: every
screening the client was told is recorded is stored with exactly its alerts, none is half
stored, and a restarted server records again.

The kill moments lie between 0.1 s and the normal duration of start-up plus `REQUESTS`
recorded screenings, so that some kills hit start-up (index loading) and most hit recording.
"""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from screening.store import ListStore
from screening.workflow.keys import ApiKeys
from screening.workflow.schema import Alert, ScreeningRecord
from tests.crash.customers import customer_names, listed_names, prepared
from tests.crash.kill import COALITION, assert_store_intact, moments, normal_duration
from tests.screening.service.server import Client, free_port, wait_healthy

REQUESTS = 20  # recorded screenings in the measured run


class RecordingClient(threading.Thread):
    """Posts recorded screenings one after another until stopped; keeps what was acknowledged
    (screening id -> alert ids). Refused connections (server starting or dead) are retried."""

    def __init__(self, client: Client) -> None:
        super().__init__(daemon=True)
        self.client = client
        self.names = customer_names()
        self.acknowledged: dict[int, list[int]] = {}
        self.refused: list[str] = []  # answers other than 200 (asserted by the test thread)
        self.stopped = threading.Event()

    def run(self) -> None:
        sent = 0
        while not self.stopped.is_set():
            payload = {
                "name": self.names[sent % len(self.names)],
                "customer_ref": f"API-{sent}",
                "record": True,
            }
            try:
                answer = self.client.post("/screen", payload)
            except (
                OSError,
                http.client.HTTPException,
            ):  # refused, reset, cut off: not acknowledged
                time.sleep(0.05)
                continue
            if answer.status != 200:
                self.refused.append(f"{answer.status}: {answer.body[:200]!r}")
                return
            recorded = answer.json()["recorded"]
            self.acknowledged[recorded["screening_id"]] = recorded["alert_ids"]
            sent += 1


def test_killed_server_loses_no_acknowledged_screening(
    db_url: str, env: dict[str, str], tmp_path: Path, book_template: Path
) -> None:
    prepared(db_url, book_template, tmp_path / "customers.csv")
    store = ListStore(db_url)
    key = ApiKeys(store).create("crash-test")
    store.engine.dispose()
    log = tmp_path / "serve.log"
    duration = normal_duration("serve", lambda: measure(db_url, key, env, log))
    kills = 0
    for moment in moments(46, duration):
        server, client = start(db_url, key, env, log)
        recording = RecordingClient(client)
        recording.start()
        try:
            server.wait(timeout=moment)
        except subprocess.TimeoutExpired:
            os.kill(server.pid, signal.SIGKILL)
            kills += 1
        server.wait(timeout=30)
        recording.stopped.set()
        recording.join(timeout=90)
        assert not recording.is_alive() and recording.refused == []
        assert_store_intact(db_url, env)
        assert stored_alerts(db_url, recording.acknowledged) == recording.acknowledged
    assert kills, "the server always ended by itself"
    # Restarted, the server records again, the listed name with its alert.
    server, client = start(db_url, key, env, log)
    try:
        wait_healthy(client, server, log)
        answer = client.post("/screen", {"name": listed_names(1)[0], "record": True})
        assert answer.status == 200, answer.body
        assert answer.json()["recorded"]["alert_ids"], answer.json()
    finally:
        stop(server)
    assert_store_intact(db_url, env)


def start(
    db_url: str, key: str, env: dict[str, str], log: Path
) -> tuple[subprocess.Popen[bytes], Client]:
    port = free_port()
    args = [COALITION, "serve", "--host", "127.0.0.1", "--port", str(port), "--db", db_url]
    with log.open("ab") as output:
        server = subprocess.Popen(args, env=env, stdout=output, stderr=output)
    return server, Client(f"http://127.0.0.1:{port}", key)


def stop(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)


def measure(db_url: str, key: str, env: dict[str, str], log: Path) -> float:
    """Seconds from the server's start to its REQUESTS-th acknowledged recorded screening."""
    started = time.monotonic()
    server, client = start(db_url, key, env, log)
    recording = RecordingClient(client)
    recording.start()
    try:
        while len(recording.acknowledged) < REQUESTS:
            assert server.poll() is None, log.read_text(errors="replace")[-2000:]
            assert recording.refused == []
            assert time.monotonic() - started < 120, "the server did not record in time"
            time.sleep(0.02)
        return time.monotonic() - started
    finally:
        recording.stopped.set()
        recording.join(timeout=90)
        stop(server)


def stored_alerts(db_url: str, screening_ids: Iterable[int]) -> dict[int, list[int]]:
    """screening id -> its alert ids (sorted), for the given screenings found in the store."""
    engine = create_engine(db_url)
    try:
        with Session(engine) as session:
            found = session.scalars(
                select(ScreeningRecord.id).where(ScreeningRecord.id.in_(list(screening_ids)))
            ).all()
            alerts: dict[int, list[int]] = {screening_id: [] for screening_id in found}
            query = (
                select(Alert.screening_id, Alert.id)
                .where(Alert.screening_id.in_(found))
                .order_by(Alert.id)
            )
            for screening_id, alert_id in session.execute(query):
                alerts[screening_id].append(alert_id)
            return alerts
    finally:
        engine.dispose()
