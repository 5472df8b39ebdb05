"""A database written by a newer version of the program is refused in one line, not a traceback.

Found by the crash tests: an `alembic_version` this program does not know made every command end
in Alembic's `CommandError` traceback. The store now raises `DatabaseSetupError` (exit 3).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from cli import main
from screening.store import ListStore
from screening.store.database import DatabaseSetupError


def test_an_unknown_newer_revision_is_one_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'newer.db'}"
    ListStore(url).engine.dispose()
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    engine.dispose()
    with pytest.raises(DatabaseSetupError, match="at revision 0099, which this version does not"):
        ListStore(url)
    result = CliRunner().invoke(main, ["lists", "status", "--db", url])
    assert result.exit_code == 3
    assert "Traceback" not in result.output and "0099" in result.output
