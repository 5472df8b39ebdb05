"""Fixtures of the batch tests: the CLI with a fake screener, a store with the real UN list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lists import open_list
from screening.store import ListStore
from tests.screening.batch.support import FakeScreener


@pytest.fixture(scope="session")
def un_store(shared_lists: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """An SQLite store with the UN list loaded, and a folder for its name index."""
    folder = tmp_path_factory.mktemp("un")
    url = f"sqlite:///{folder / 'un.db'}"
    ListStore(url).load(open_list(shared_lists / "un" / "consolidated.xml"))
    return url, folder / "index"


@pytest.fixture
def fake_cli(monkeypatch: pytest.MonkeyPatch) -> list[FakeScreener]:
    """`coalition batch` and `tx screen` with the fake screener; the list collects those opened."""
    opened: list[FakeScreener] = []

    class FakeScreenerClass:
        @staticmethod
        def open(db_url: str | None = None, **kwargs: Any) -> FakeScreener:
            screener = FakeScreener(kwargs.get("thresholds"))
            opened.append(screener)
            return screener

    monkeypatch.setattr("screening.matching.screener.Screener", FakeScreenerClass)
    return opened
