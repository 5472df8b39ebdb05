"""SIGKILL `coalition customers rescreen --full` at random moments: every screening it recorded
has all its alerts, no customer is screened twice in one run, and the next run screens the
whole book. And a known gap: the run after a killed first re-screening alerts again what the
killed run already alerted."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from screening.workflow.schema import Alert, ScreeningRecord, ScreeningRun
from tests.crash.customers import prepared
from tests.crash.kill import (
    COALITION,
    assert_store_intact,
    kill_at,
    moments,
    normal_duration,
    run,
)


def test_killed_rescreen_leaves_no_half_screening(
    db_url: str, env: dict[str, str], tmp_path: Path, book_template: Path
) -> None:
    customers = prepared(db_url, book_template, tmp_path / "customers.csv")
    rescreen = ["customers", "rescreen", "--full", "--db", db_url]
    duration = normal_duration("rescreen", lambda: run(rescreen, env))
    kills = []
    for moment in moments(36, duration):
        kills.append(kill_at(rescreen, env, moment, tmp_path / "rescreen.log"))
        assert_store_intact(db_url, env)
    assert any(kill.killed for kill in kills), kills
    run(rescreen, env)
    assert_store_intact(db_url, env)
    runs = screenings_per_run(db_url)
    last = max(runs)
    assert runs[last] == (customers, True), runs
    # Killed runs stay unfinished, with part of the book at most.
    assert all(count <= customers for count, _ in runs.values()), runs


def screenings_per_run(db_url: str) -> dict[int, tuple[int, bool]]:
    """run id -> (screenings recorded, finished) for every re-screening run."""
    engine = create_engine(db_url)
    try:
        with Session(engine) as session:
            query = (
                select(ScreeningRun.id, func.count(ScreeningRecord.id), ScreeningRun.finished_at)
                .outerjoin(ScreeningRecord, ScreeningRecord.run_id == ScreeningRun.id)
                .where(ScreeningRun.kind == "rescreen")
                .group_by(ScreeningRun.id, ScreeningRun.finished_at)
            )
            return {
                run_id: (count, finished is not None)
                for run_id, count, finished in session.execute(query)
            }
    finally:
        engine.dispose()


def test_rerun_after_a_killed_rescreen_alerts_nothing_twice(
    env: dict[str, str], tmp_path: Path, book_template: Path
) -> None:
    db_url = f"sqlite:///{tmp_path / 'store.db'}"
    prepared(db_url, book_template, tmp_path / "customers.csv")
    rescreen = ["customers", "rescreen", "--db", db_url]
    with (tmp_path / "rescreen.log").open("ab") as log:
        process = subprocess.Popen([COALITION, *rescreen], env=env, stdout=log, stderr=log)
    # Killed once it has recorded 30 screenings, mid-run (the book has 150 customers).
    deadline = time.monotonic() + 60
    while sum(count for count, _ in screenings_per_run(db_url).values()) < 30:
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    run(rescreen, env)
    assert_store_intact(db_url, env)
    engine = create_engine(db_url)
    try:
        with Session(engine) as session:
            twice = session.execute(
                select(Alert.customer_ref, Alert.source, Alert.entry_id, Alert.entity_fingerprint)
                .group_by(
                    Alert.customer_ref, Alert.source, Alert.entry_id, Alert.entity_fingerprint
                )
                .having(func.count() > 1)
            ).all()
    finally:
        engine.dispose()
    assert twice == []
