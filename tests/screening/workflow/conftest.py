"""What the workflow tests share: a fresh list store on each database backend."""

from __future__ import annotations

import pytest

from screening.store import ListStore


@pytest.fixture
def store(db_url: str) -> ListStore:
    """An empty store on SQLite, then on PostgreSQL (`db_url` runs each test on both)."""
    return ListStore(db_url)
