"""Old spellings stay as hidden aliases: `screen-record`, `batch-record` and `rescreen` behave as
`screen --record`, `batch --record` and `customers rescreen` (on the real UN list)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli import main

# UN consolidated list, entries 6908714 (PAUL MALONG AWAN ANEI) and 6907993 (ERIC BADEGE):
# both score 1.0 against their listed names (test_screen_cli.py shows the first).
MALONG = ("PAUL MALONG AWAN ANEI", "6908714")
BADEGE = ("Eric Badege", "6907993")


def run(db: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args, "--db", db])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _alerts(db: str, customer: str) -> list[dict[str, Any]]:
    code, output = run(db, "alerts", "list", "--customer", customer, "--json")
    assert code == 0, output
    return [json.loads(line) for line in output.splitlines()]


def test_screen_record_and_screen_with_record_store_the_same_screening(db: str) -> None:
    name, entry_id = MALONG
    code, new = run(db, "screen", name, "--record", "--customer", "NEW1", "--json")
    assert code == 0, new
    code, old = run(db, "screen-record", name, "--customer", "OLD1", "--json")
    assert code == 0, old
    new_alerts, old_alerts = json.loads(new)["alerts"], json.loads(old)["alerts"]
    assert json.loads(new)["screening_id"] + 1 == json.loads(old)["screening_id"]
    shape = [(a["source"], a["entry_id"], a["decision"], a["status"]) for a in new_alerts]
    assert ("un", entry_id, "match", "open") in shape
    assert shape == [(a["source"], a["entry_id"], a["decision"], a["status"]) for a in old_alerts]
    assert [a["entry_id"] for a in _alerts(db, "NEW1")] == [a["entry_id"] for a in new_alerts]
    assert [a["entry_id"] for a in _alerts(db, "OLD1")] == [a["entry_id"] for a in old_alerts]

    code, text = run(db, "screen", name, "--record", "--customer", "NEW1")
    assert code == 0 and text.startswith("screening ") and ": MATCH, " in text
    assert f"un_sc:{entry_id} {name} 1.000 match" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["screen-record", "X"], "Missing option '--customer'"),
        (["screen", "X", "--customer", "C1"], "--customer goes with --record"),
        (["screen-record", "X", "--customer", "C1", "--record"], "No such option '--record'"),
    ],
)
def test_recording_options_are_checked(db: str, args: list[str], message: str) -> None:
    code, output = run(db, *args)
    assert code == 2 and message in output


def test_batch_record_and_batch_with_record_record_the_same_run(db: str, tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text(f"customer_ref,name\nB1,{BADEGE[0]}\nB2,\nB3,{MALONG[0]}\n")
    code, new = run(db, "batch", str(rows), "--record", "--json")
    assert code == 4 and "line 3: empty name" in new  # a row error: exit 4, the others recorded
    code, old = run(db, "batch-record", str(rows), "--json")
    assert code == 4 and "line 3: empty name" in old
    new_counts, old_counts = json.loads(new.splitlines()[0]), json.loads(old.splitlines()[0])
    assert old_counts.pop("run_id") == new_counts.pop("run_id") + 1
    assert new_counts == old_counts
    assert (new_counts["rows"], new_counts["screened"], new_counts["errors"]) == (3, 2, 1)
    assert new_counts["decisions"] == {"match": 2}
    assert [a["entry_id"] for a in _alerts(db, "B1")] == [BADEGE[1], BADEGE[1]]

    code, text = run(db, "batch", str(rows), "--record")
    assert code == 4 and "2 of 3 rows screened (match 2); " in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["batch", "{rows}", "--record", "--out", "{out}"], "it takes no --out"),
        (["batch", "{rows}", "--record", "--name-column", "name"], "it takes no --out"),
        (["batch", "{rows}", "--out", "{out}", "--json"], "--json goes with --record"),
        (["batch", "{rows}"], "Missing option '--out'"),
        (["batch-record", "{rows}", "--out", "{out}"], "No such option '--out'"),
    ],
)
def test_batch_recording_options_are_checked(
    db: str, tmp_path: Path, args: list[str], message: str
) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("name\nX\n")
    out = tmp_path / "out.csv"
    code, output = run(db, *(a.format(rows=rows, out=out) for a in args))
    assert code == 2 and message in output
    assert not out.exists()


def test_rescreen_and_customers_rescreen_run_the_same_rescreening(db: str) -> None:
    code, new = run(db, "customers", "rescreen", "--full", "--json")
    assert code == 0, new
    code, old = run(db, "rescreen", "--full", "--json")
    assert code == 0, old
    new_counts, old_counts = json.loads(new), json.loads(old)
    assert old_counts.pop("run_id") == new_counts.pop("run_id") + 1
    assert new_counts == old_counts
    # Every customer the tests above recorded is in the book.
    assert new_counts["mode"] == "full" and new_counts["customers"] >= 4
    code, text = run(db, "rescreen")
    assert code == 0 and "(incremental)" in text


def test_aliases_are_hidden_but_documented() -> None:
    listing = CliRunner().invoke(main, ["--help"]).output
    for old, new in [
        ("screen-record", "screen --record"),
        ("batch-record", "batch --record"),
        ("rescreen", "customers rescreen"),
    ]:
        assert f"\n  {old} " not in listing
        help_text = CliRunner().invoke(main, [old, "--help"])
        assert help_text.exit_code == 0
        assert f"The older spelling of `coalition {new}`" in " ".join(help_text.output.split())
