"""Run real `coalition` processes, kill them with SIGKILL at seeded random moments, and check
that the store they were writing is still whole.

A kill moment lies between `EARLIEST` and the command's normal duration, measured first with a
complete run, so that the kills spread over start-up, reading and writing. Every check goes
through `check_database` (what `coalition db check` runs) plus the workflow's own invariants:
a recorded screening has exactly the alerts its result calls for, and nothing is stored twice.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from screening.commands.db import persisted_index
from screening.store.check import check_database
from screening.store.schema import ListVersion
from screening.workflow.alerts import ALERTING
from screening.workflow.schema import Alert, ScreeningRecord, ScreeningRun

COALITION = str(Path(sys.executable).with_name("coalition"))
EARLIEST = 0.1  # seconds after the start: the earliest kill
# Kills per command and backend: enough to land in start-up, reading and writing, few enough
# that the crash tests stay near two minutes in all.
MOMENTS = 3
TIMEOUT = 120  # seconds a command that is left alone may take
POLL = 0.01  # seconds between looks for the event a kill waits for


def coalition_env(index_dir: Path) -> dict[str, str]:
    """The environment of a child `coalition`: its own index cache, no database or mirror
    from the caller's environment, no proxy for 127.0.0.1."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COALITION_")}
    return env | {"COALITION_INDEX_DIR": str(index_dir), "NO_PROXY": "*", "no_proxy": "*"}


def run(args: Sequence[str], env: dict[str, str]) -> float:
    """Run `coalition args` to its end; it must succeed. Returns how long it took (seconds)."""
    started = time.monotonic()
    done = subprocess.run(
        [COALITION, *args], env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    assert done.returncode == 0, f"coalition {' '.join(args)}: {done.returncode}\n{done.stderr}"
    return time.monotonic() - started


# The normal duration of each command, measured on the backend that runs it first (SQLite, in
# the order of the `db_url` parameters) and reused for the other: a full run costs seconds.
_durations: dict[str, float] = {}


def normal_duration(name: str, measure: Callable[[], float]) -> float:
    """How long command `name` takes: `measure()` (a complete, successful run, whose effects
    stay: the caller resets what it needs) the first time it is asked, then remembered."""
    if name not in _durations:
        _durations[name] = measure()
    return _durations[name]


def moments(seed: int, duration: float, count: int = MOMENTS) -> list[float]:
    """`count` kill moments in [EARLIEST, duration], the same ones for the same seed."""
    chance = random.Random(seed)
    return sorted(chance.uniform(EARLIEST, max(duration, EARLIEST)) for _ in range(count))


@dataclass(frozen=True)
class Kill:
    moment: float
    killed: bool  # False: the command had already finished by itself


def kill_at(args: Sequence[str], env: dict[str, str], moment: float, log: Path) -> Kill:
    """Start `coalition args` and SIGKILL it `moment` seconds later (unless it has ended)."""
    with log.open("ab") as output:
        process = subprocess.Popen([COALITION, *args], env=env, stdout=output, stderr=output)
        try:
            process.wait(timeout=moment)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
            return Kill(moment, killed=True)
    assert process.returncode == 0, f"coalition {' '.join(args)} failed on its own: see {log}"
    return Kill(moment, killed=False)


def kill_after(
    args: Sequence[str], env: dict[str, str], ready: Callable[[], bool], delay: float, log: Path
) -> Kill:
    """Start `coalition args`, wait until `ready()` holds (polled), then SIGKILL it `delay`
    seconds later, unless it has ended by then. For kills that must land after some event
    (a commit, say) however slow or fast the machine is."""
    with log.open("ab") as output:
        process = subprocess.Popen([COALITION, *args], env=env, stdout=output, stderr=output)
        started = time.monotonic()
        while process.poll() is None and not ready():
            assert time.monotonic() - started < TIMEOUT, f"coalition {' '.join(args)}: hung"
            time.sleep(POLL)
        try:
            process.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
            return Kill(time.monotonic() - started, killed=True)
    assert process.returncode == 0, f"coalition {' '.join(args)} failed on its own: see {log}"
    return Kill(time.monotonic() - started, killed=False)


def assert_store_intact(db_url: str, env: dict[str, str]) -> None:
    """`db check` finds no error (the name index of the child's cache included), and the
    workflow tables hold no half-recorded screening."""
    index_dir = Path(env["COALITION_INDEX_DIR"])
    report = check_database(db_url, index_dir, index_probe=persisted_index)
    assert report.ok, "\n".join(f"{f.check}: {f.message}" for f in report.errors)
    engine = create_engine(db_url)
    try:
        with Session(engine) as session:
            _assert_screenings_whole(session)
    finally:
        engine.dispose()


def versions_of(db_url: str, dataset: str) -> list[int]:
    """The entity counts of a dataset's stored versions."""
    engine = create_engine(db_url)
    try:
        with Session(engine) as session:
            query = select(ListVersion.entity_count).where(ListVersion.dataset == dataset)
            return list(session.scalars(query))
    finally:
        engine.dispose()


def _assert_screenings_whole(session: Session) -> None:
    per_screening = select(Alert.screening_id, func.count()).group_by(Alert.screening_id)
    alerts = Counter(
        {int(screening): int(count) for screening, count in session.execute(per_screening)}
    )
    twice = session.execute(
        select(Alert.screening_id, Alert.source, Alert.entry_id)
        .group_by(Alert.screening_id, Alert.source, Alert.entry_id)
        .having(func.count() > 1)
    ).all()
    assert not twice, f"alerts opened twice for one screening: {twice[:5]}"
    query = select(ScreeningRecord.id, ScreeningRecord.result).where(ScreeningRecord.kind == "name")
    for screening_id, result in session.execute(query):
        expected = sum(1 for hit in result["hits"] if hit["decision"] in ALERTING)
        assert alerts[screening_id] == expected, (
            f"screening {screening_id} has {alerts[screening_id]} alerts, its result {expected}"
        )
    # A re-screening screens each customer once; a killed run must not have doubled anyone.
    again = session.execute(
        select(ScreeningRecord.run_id, ScreeningRecord.customer_ref)
        .join(ScreeningRun, ScreeningRun.id == ScreeningRecord.run_id)
        .where(ScreeningRun.kind == "rescreen")
        .group_by(ScreeningRecord.run_id, ScreeningRecord.customer_ref)
        .having(func.count() > 1)
    ).all()
    assert not again, f"customers screened twice in one run: {again[:5]}"
