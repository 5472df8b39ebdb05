"""Fixtures of the batch tests: the CLI with a fake screener."""

from __future__ import annotations

from typing import Any

import pytest

from tests.screening.batch.support import FakeScreener


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
