"""SIGKILL `coalition batch` and `coalition tx screen` at random moments: the output appears
whole or not at all (written to a temporary file and renamed when every row is done), and the
next run writes one record per input row.

Resuming a killed batch from its last chunk is issue 14's `--resume`; until then a killed batch
starts again from the first row, and these tests check that nothing partial is ever left where
a reader would take it for a result.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.crash.customers import write_transactions
from tests.crash.kill import kill_at, moments, normal_duration, run

ROWS = 600  # enough for a batch to run for seconds against the UN list


def _names_file(path: Path) -> Path:
    lines = ["name,country"] + [f"Person Number{i} Ivanovich,RU" for i in range(ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _output_is_whole_or_absent(output: Path) -> None:
    if output.exists():
        records = output.read_text(encoding="utf-8").splitlines()
        assert len(records) == ROWS, f"{output} holds {len(records)} of {ROWS} records"
        assert all(json.loads(record)["decision"] for record in records)
    # A killed run may leave its temporary file: always hidden and marked, never the output.
    leftovers = [p for p in output.parent.iterdir() if p.name.startswith(f".{output.name}")]
    assert all(p.name.endswith(".partial") for p in leftovers), leftovers


def test_killed_batches_leave_no_partial_output(
    book_template: Path, env: dict[str, str], tmp_path: Path
) -> None:
    store = tmp_path / "store.db"
    shutil.copyfile(book_template, store)
    db = f"sqlite:///{store}"
    jobs = {
        "batch": ["batch", str(_names_file(tmp_path / "names.csv"))],
        "tx screen": ["tx", "screen", str(write_transactions(tmp_path / "tx.csv", ROWS))],
    }
    for seed, (name, job) in enumerate(jobs.items(), start=40):
        output = tmp_path / f"{name.replace(' ', '_')}.jsonl"
        command = [*job, "--out", str(output), "--db", db]
        duration = normal_duration(f"{name} {ROWS} rows", lambda c=command: run(c, env))
        output.unlink()
        for moment in moments(seed, duration):
            kill_at(command, env, moment, tmp_path / "kill.log")
            _output_is_whole_or_absent(output)
        output.unlink(missing_ok=True)
        run(command, env)
        _output_is_whole_or_absent(output)
        assert output.exists()
