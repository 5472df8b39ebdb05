"""Opening a store whose database cannot be set up: one `DatabaseSetupError` line, never an
`OSError` or `ModuleNotFoundError` traceback, and the CLI's database exit code (3)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.exc import SQLAlchemyError

import cli
from screening.store import ListStore
from screening.store.database import DatabaseSetupError


def test_sqlite_path_under_a_regular_file(tmp_path: Path) -> None:
    blocker = tmp_path / "plain-file"
    blocker.write_text("not a directory")
    # Directly under the file (mkdir: FileExistsError) and deeper (mkdir: NotADirectoryError).
    for directory in (blocker, blocker / "a" / "b"):
        with pytest.raises(DatabaseSetupError) as raised:
            ListStore(f"sqlite:///{directory / 'store.db'}")
        assert str(raised.value) == (
            f"cannot create the database directory {str(directory)!r}: "
            f"{str(blocker)!r} is a file, not a directory"
        )
    assert blocker.read_text() == "not a directory"


def test_sqlite_directory_that_cannot_be_created(tmp_path: Path) -> None:
    # /proc refuses new directories even to root, so the test does not depend on permissions.
    with pytest.raises(DatabaseSetupError, match=r"^cannot create the database directory '/proc/"):
        ListStore(f"sqlite:////proc/{tmp_path.name}/store.db")


@pytest.mark.skipif(
    importlib.util.find_spec("psycopg2") is not None, reason="psycopg2 is installed here"
)
def test_postgresql_url_without_its_driver() -> None:
    # The port is never reached: the missing driver is found when the engine is made.
    with pytest.raises(DatabaseSetupError) as raised:
        ListStore("postgresql+psycopg2://coalition:secret@127.0.0.1:1/none")
    assert str(raised.value) == (
        "the PostgreSQL driver 'psycopg2' is not installed: "
        "pip install 'coalition-screening[postgres]' and use a postgresql+psycopg:// URL"
    )
    assert "\n" not in str(raised.value)


@pytest.mark.skipif(importlib.util.find_spec("MySQLdb") is not None, reason="MySQLdb is here")
def test_other_url_without_its_driver() -> None:
    with pytest.raises(DatabaseSetupError) as raised:
        ListStore("mysql://user@127.0.0.1:1/none")
    assert str(raised.value) == "the database driver 'MySQLdb' for mysql:// URLs is not installed"


def test_setup_errors_are_database_errors_for_the_cli(tmp_path: Path) -> None:
    assert issubclass(DatabaseSetupError, SQLAlchemyError)
    blocker = tmp_path / "plain-file"
    blocker.write_text("")
    url = f"sqlite:///{blocker / 'store.db'}"
    result = CliRunner().invoke(cli.main, ["lists", "status", "--db", url])
    assert result.exit_code == 3, result.output
    assert "is a file, not a directory" in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
