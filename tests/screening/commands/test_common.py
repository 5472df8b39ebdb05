"""Shared command pieces: exit codes, settings read through `screening.settings`, messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pydantic import BaseModel, ValidationError

from cli import main
from screening.commands.common import ExitCode, first_line, shown_url


def test_exit_codes_keep_their_documented_values() -> None:
    assert [(code.name, int(code)) for code in ExitCode] == [
        ("OK", 0),
        ("INPUT_ERROR", 1),
        ("USAGE", 2),
        ("DATABASE_ERROR", 3),
        ("ROW_ERRORS", 4),
    ]


def test_first_line_of_an_exception() -> None:
    assert first_line(ValueError("bad\nsecond line")) == "bad"
    assert first_line(ValueError("")) == "ValueError"

    class Model(BaseModel):
        count: int

    with pytest.raises(ValidationError) as caught:
        Model.model_validate({"count": "many"})
    assert first_line(caught.value).startswith("count: Input should be a valid integer")


def test_shown_url_hides_the_password() -> None:
    shown = shown_url("postgresql+psycopg://user:secret@db.internal:5432/coalition")
    assert shown == "postgresql+psycopg://user:***@db.internal:5432/coalition"


def test_max_age_comes_from_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = f"sqlite:///{tmp_path / 'empty.db'}"
    monkeypatch.setenv("COALITION_MAX_AGE_DAYS", "30")
    result = CliRunner().invoke(main, ["lists", "status", "--json", "--db", db])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["max_age_days"] == 30
    result = CliRunner().invoke(main, ["lists", "status", "--json", "--db", db, "--max-age", "2"])
    assert json.loads(result.stdout)["max_age_days"] == 2
    monkeypatch.setenv("COALITION_MAX_AGE_DAYS", "a week")
    result = CliRunner().invoke(main, ["lists", "status", "--db", db])
    assert result.exit_code == 2 and "'a week' is not a valid integer" in result.output


def test_db_comes_from_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "from_env.db"
    monkeypatch.setenv("COALITION_DB", f"sqlite:///{path}")
    result = CliRunner().invoke(main, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"sqlite:///{path}: upgraded from an empty database")
    assert path.exists()


def test_unreachable_database_exits_3_without_the_password() -> None:
    url = "postgresql+psycopg://nobody:secret@127.0.0.1:1/none"
    result = CliRunner().invoke(main, ["keys", "list", "--db", url])
    assert result.exit_code == ExitCode.DATABASE_ERROR
    assert "database 'postgresql+psycopg://nobody:***@127.0.0.1:1/none'" in result.output
    assert "secret" not in result.output and "Traceback" not in result.output


def test_unwritable_export_exits_1_and_leaves_nothing(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'empty.db'}"
    out = tmp_path / "missing" / "decisions.csv"
    result = CliRunner().invoke(main, ["alerts", "export", "--out", str(out), "--db", db])
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert "cannot write here" in result.output and "Traceback" not in result.output
    assert not out.parent.exists()
