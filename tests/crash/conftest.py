"""Fixtures of the crash tests: the environment of the `coalition` processes they kill."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.crash.kill import coalition_env


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A child process environment with a private name index cache."""
    return coalition_env(tmp_path / "index")
