"""Fixtures of the crash tests: the environment of the `coalition` processes they kill, and a
prepared store for the workflow tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.crash.customers import prepare
from tests.crash.kill import coalition_env


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A child process environment with a private name index cache."""
    return coalition_env(tmp_path / "index")


@pytest.fixture(scope="session")
def book_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite store with the UN list and the customer book, copied by the workflow tests."""
    directory = tmp_path_factory.mktemp("book")
    path = directory / "template.db"
    prepare(f"sqlite:///{path}", directory / "customers.csv")
    return path
