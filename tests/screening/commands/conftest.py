"""Fixtures of the command tests: a store holding the real UN list, a private index cache."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, shared_lists: Path) -> str:
    """An SQLite store with the UN consolidated list loaded through `coalition lists load`."""
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'lists.db'}"
    loaded = CliRunner().invoke(
        main, ["lists", "load", "--db", url, str(shared_lists / "un" / "consolidated.xml")]
    )
    assert loaded.exit_code == 0, loaded.output
    return url


@pytest.fixture(autouse=True)
def _index_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COALITION_INDEX_DIR", str(tmp_path / "index"))
