"""Shared test fixtures. Real-file tests read the official lists from ../shared/data/lists."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_LISTS = PROJECT_ROOT.parent / "shared" / "data" / "lists"
SHARED_REFERENCE = PROJECT_ROOT.parent / "shared" / "data" / "reference"


@pytest.fixture(scope="session")
def shared_lists() -> Path:
    # A missing shared folder is a broken checkout, not a reason to skip: fail loudly.
    assert SHARED_LISTS.is_dir(), f"real list files expected at {SHARED_LISTS}"
    return SHARED_LISTS
