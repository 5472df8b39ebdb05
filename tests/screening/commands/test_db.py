"""`coalition db check`: a report line per finding on stdout (or one JSON object), exit 0 when
the store is whole, 1 when anything is wrong, and never a traceback, even on a damaged file."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from cli import main

# The UN file of the `db` fixture: 737 INDIVIDUAL + 272 ENTITY elements (counted with lxml).
UN_ENTITIES = 1009


def test_a_whole_store_checks_ok(db: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["db", "check", "--db", db])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"database {db}"
    assert [line.split()[0] for line in lines[1:]] == ["ok"] * 7
    assert f"ok      versions  1 version(s) complete, {UN_ENTITIES} entities" in lines
    assert result.stderr.strip() == "0 error(s), 0 warning(s): the store is whole"


def test_json_report_and_the_index_a_screening_left(db: str, tmp_path: Path) -> None:
    screened = CliRunner().invoke(main, ["screen", "--db", db, "PAUL MALONG AWAN ANEI"])
    assert screened.exit_code == 0, screened.output
    result = CliRunner().invoke(main, ["db", "check", "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["ok"] is True and report["database"] == db
    index = [f for f in report["findings"] if f["check"] == "index"]
    assert len(index) == 1 and index[0]["severity"] == "ok"
    # The conftest points COALITION_INDEX_DIR at this test's tmp_path.
    assert index[0]["message"].startswith(str(tmp_path / "index"))
    assert index[0]["message"].endswith(f"matches the store ({UN_ENTITIES} entities)")


def test_a_damaged_file_exits_1_without_a_traceback(db: str, tmp_path: Path) -> None:
    copy = tmp_path / "damaged.db"
    # SQLite's backup API: the copy holds what the write-ahead log still has, in one file.
    source, target = sqlite3.connect(db.removeprefix("sqlite:///")), sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.close()
    size = copy.stat().st_size
    with copy.open("r+b") as handle:
        handle.seek(size // 2)
        handle.write(b"\xde\xad\xbe\xef" * 1024)
    result = CliRunner().invoke(main, ["db", "check", "--db", f"sqlite:///{copy}"])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    errors = [line for line in result.stdout.splitlines() if line.startswith("error ")]
    assert errors and errors[0].startswith("error   integrity "), result.stdout


def test_a_missing_database_is_an_error_and_is_not_created(tmp_path: Path) -> None:
    path = tmp_path / "none.db"
    result = CliRunner().invoke(main, ["db", "check", "--db", f"sqlite:///{path}", "--json"])
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["findings"] == [
        {"check": "database", "severity": "error", "message": f"no database file at {str(path)!r}"}
    ]
    assert not path.exists()
