"""``coalition users`` and ``coalition alerts review`` (SQLite and PostgreSQL): passwords from
stdin only, clear errors with the usual exit codes, and four-eyes reviews by supervisors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from screening import Screener
from screening.store import ListStore
from screening.workflow.recorder import Recorder
from screening.workflow.users import Users
from tests.screening.workflow.test_recorder import PETROV, SMIRNOVA, _load

PASSWORD = "correct horse battery"


def run(db_url: str, *args: str, password: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [*args, "--db", db_url], input=password)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def test_create_list_and_disable_users(db_url: str) -> None:
    code, _, err = run(db_url, "users", "create", "sam", "--role", "supervisor", password=PASSWORD)
    assert code == 0 and "user 'sam' created with role supervisor" in err
    # Only the line break ends the password read from stdin.
    code, _, _ = run(
        db_url, "users", "create", "ana", "--role", "analyst", password=PASSWORD + "\n"
    )
    assert code == 0
    users = Users(ListStore(db_url).engine)
    assert users.authenticate("ana", PASSWORD) is not None
    assert users.authenticate("ana", PASSWORD + "\n") is None

    code, out, _ = run(db_url, "users", "list", "--json")
    assert code == 0
    listed = [json.loads(line) for line in out.splitlines()]
    assert [(u["name"], u["role"], u["active"]) for u in listed] == [
        ("ana", "analyst", True),
        ("sam", "supervisor", True),
    ]
    assert PASSWORD not in out and "scrypt" not in out
    code, out, _ = run(db_url, "users", "list")
    assert [line.split("\t")[:3] for line in out.splitlines()] == [
        ["ana", "analyst", "active"],
        ["sam", "supervisor", "active"],
    ]

    code, out, _ = run(db_url, "users", "disable", "ana")
    assert code == 0 and out.strip() == "disabled ana"
    code, _, err = run(db_url, "users", "disable", "ana")
    assert code == 1 and "no active user named 'ana'" in err
    assert users.authenticate("ana", PASSWORD) is None


@pytest.mark.parametrize(
    ("args", "password", "code", "message"),
    [
        (["bo", "--role", "analyst"], "short", 1, "at least 12 characters"),
        (["bo", "--role", "analyst"], "", 1, "no password on standard input"),
        (["bo", "--role", "root"], PASSWORD, 2, "'root' is not one of"),
        (["bo\nroot", "--role", "analyst"], PASSWORD, 2, "user name"),
        (["sam", "--role", "admin"], PASSWORD, 2, "already exists"),
        (["bo", "--role", "analyst", "--password", PASSWORD], PASSWORD, 2, "No such option"),
    ],
)
def test_create_errors(
    db_url: str, args: list[str], password: str, code: int, message: str
) -> None:
    Users(ListStore(db_url).engine).create("sam", "supervisor", PASSWORD)
    exit_code, _, err = run(db_url, "users", "create", *args, password=password)
    assert exit_code == code and message in err, err
    assert [u.name for u in Users(ListStore(db_url).engine).list()] == ["sam"]


def test_alerts_review_by_a_supervisor(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ListStore(db_url)
    _load(store, tmp_path, "2026-01-01", [PETROV, SMIRNOVA])
    screener = Screener(store, index_dir=tmp_path / "index")
    recorder = Recorder(store)
    result = screener.screen("Ivan Petrov", type="person")
    [alert] = recorder.record_screening(result, customer_ref="C-1", requested_by="t").alerts
    users = Users(store.engine)
    for name, role in (("ana", "analyst"), ("sam", "supervisor"), ("old", "admin")):
        users.create(name, role, PASSWORD)
    users.disable("old")

    monkeypatch.setenv("COALITION_FOUR_EYES", "1")
    code, out, _ = run(db_url, "alerts", "decide", str(alert.id), "--disposition",
                       "false_positive", "--reason", "born 1990", "--analyst", "sam")  # fmt: skip
    assert code == 0 and "(pending: awaits a supervisor's approval)" in out
    decision_id = out.split(":")[0].removeprefix("decision ")
    code, out, _ = run(db_url, "alerts", "list", "--status", "pending")
    assert code == 0 and [line.split("\t")[:2] for line in out.splitlines()] == [
        [str(alert.id), "pending"]
    ]

    def review(*args: str) -> tuple[int, str, str]:
        return run(db_url, "alerts", "review", decision_id, "--reason", "checked", *args)

    assert review("--approve")[0] == 2  # --as is required
    code, _, err = review("--as", "sam")
    assert code == 2 and "--approve or --reject" in err
    code, _, err = review("--approve", "--as", "ana")
    assert code == 1 and "only a supervisor or admin may review" in err
    code, _, err = review("--approve", "--as", "sam")
    assert code == 1 and "sam made decision" in err
    code, _, err = review("--approve", "--as", "old")
    assert code == 1 and "no active user named 'old'" in err
    code, _, err = review("--approve", "--as", "nobody")
    assert code == 1 and "no active user named 'nobody'" in err
    code, _, err = run(db_url, "alerts", "review", "99999", "--approve", "--reason", "x",
                       "--as", "old")  # fmt: skip
    assert code == 1
    users.create("max", "admin", PASSWORD)
    code, _, err = run(db_url, "alerts", "review", "99999", "--approve", "--reason", "x",
                       "--as", "max")  # fmt: skip
    assert code == 1 and "no decision 99999" in err

    code, out, _ = review("--reject", "--as", "max")
    assert code == 0 and out.strip() == f"decision {decision_id} rejected by max"
    code, _, err = review("--approve", "--as", "max")
    assert code == 1 and "already been reviewed" in err
    code, out, _ = run(db_url, "alerts", "list", "--status", "open", "--json")
    assert [json.loads(line)["id"] for line in out.splitlines()] == [alert.id]
