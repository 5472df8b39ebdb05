"""SIGKILL `coalition lists load` at random moments: no version is ever half stored, and the
next load stores the whole list.

Expected entity counts were measured with a plain lxml reading that shares no code with the
adapters: the UN file has 737 INDIVIDUALS/INDIVIDUAL and 272 ENTITIES/ENTITY elements (1009),
Canada's SEMA file 5090 ``record`` children of its root.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from screening.store import ListStore
from tests.conftest import SHARED_LISTS
from tests.crash.kill import (
    assert_store_intact,
    kill_at,
    moments,
    normal_duration,
    run,
    versions_of,
)

UN_FILE = SHARED_LISTS / "un" / "consolidated.xml"
CA_FILE = SHARED_LISTS / "ca" / "sema-lmes.xml"


@pytest.mark.parametrize(
    ("path", "dataset", "entities", "seed"),
    [
        pytest.param(UN_FILE, "un_sc", 1009, 16, id="un"),
        pytest.param(CA_FILE, "ca_sema", 5090, 17, id="ca"),
    ],
)
def test_killed_load_leaves_no_half_version(
    db_url: str,
    env: dict[str, str],
    tmp_path: Path,
    path: Path,
    dataset: str,
    entities: int,
    seed: int,
) -> None:
    load = ["lists", "load", "--db", db_url, str(path)]
    duration = normal_duration(f"load {dataset}", lambda: run(load, env))
    forget(db_url, dataset)
    kills = []
    for moment in moments(seed, duration):
        kills.append(kill_at(load, env, moment, tmp_path / "load.log"))
        assert_store_intact(db_url, env)
        stored = versions_of(db_url, dataset)
        # Killed before its commit, the load stored nothing; after it, the whole list.
        assert stored in ([], [entities]), stored
        forget(db_url, dataset)
    assert any(kill.killed for kill in kills), kills
    run(load, env)
    assert versions_of(db_url, dataset) == [entities]
    assert_store_intact(db_url, env)


def forget(db_url: str, dataset: str) -> None:
    """Delete the dataset's versions, so that the next load has the whole list to write."""
    store = ListStore(db_url)  # its engine turns SQLite's foreign keys (the cascade) on
    try:
        for version in store.versions(dataset):
            store.delete_version(version.id)
    finally:
        store.engine.dispose()
