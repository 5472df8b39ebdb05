"""Shared test fixtures. Real-file tests read the official lists from ../shared/data/lists."""

from __future__ import annotations

from pathlib import Path

import pytest

# The local HTTP server and real-file mirrors for download tests.
pytest_plugins = ["tests.http_mirror"]

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_LISTS = PROJECT_ROOT.parent / "shared" / "data" / "lists"
SHARED_REFERENCE = PROJECT_ROOT.parent / "shared" / "data" / "reference"


@pytest.fixture(scope="session")
def shared_lists() -> Path:
    # A missing shared folder is a broken checkout, not a reason to skip: fail loudly.
    assert SHARED_LISTS.is_dir(), f"real list files expected at {SHARED_LISTS}"
    return SHARED_LISTS


POSTGRES_ENV = "COALITION_TEST_POSTGRES"
POSTGRES_DEFAULT = "postgresql+psycopg://coalition:coalition@127.0.0.1:5432/coalition_test"


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    except Exception as exc:  # pragma: no cover - the message is the point
        pytest.fail(
            f"PostgreSQL is not reachable at {url} ({type(exc).__name__}: {exc}). "
            f"Start it with `bash scripts/postgres.sh` or set {POSTGRES_ENV}.",
            pytrace=False,
        )
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database on each backend the store supports."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    import os

    url = os.environ.get(POSTGRES_ENV, POSTGRES_DEFAULT)
    _reset_postgres(url)
    return url
