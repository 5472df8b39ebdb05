"""SIGKILL `coalition batch --resume`, `tx screen --resume` and `payments screen --resume` at
seeded random moments, run the same command again each time, and compare the final output with
an uninterrupted run's: the same bytes, so no row was lost or written twice.

Each kill lands on a run that resumed the previous one, so the kills spread over reading past
committed rows, screening, committing and the final rename. The first kill of each command waits
for its first commit (then a seeded delay), so at least one kill leaves something to resume on
a slow or a fast machine alike. The name batch and the payments
(a directory of generated messages) run with two worker processes, the transaction batch in
one; the workers of a killed run must be
gone within seconds (they watch their parent), never screening on as orphans.
"""

from __future__ import annotations

import json
import random
import shutil
import time
from functools import partial
from pathlib import Path

from screening.batch.checkpoint import checkpoint_path, partial_path
from tests.crash.customers import listed_names, write_transactions
from tests.crash.kill import kill_after, kill_at, moments, run
from tests.screening.coalition.payments.support import MT103, PACS008, replaced, sample_text

# Rows enough for several commits (one a second) against the UN list. Transactions: measured,
# 4,000 took 5.3 s with one worker on this 2-core host. Names screen faster (about 4,000 rows/s
# with two workers once the matcher got quicker): with 8,000 the run was over before a kill
# found a commit, so the name batch gets four times as many.
ROWS = 8000
NAME_ROWS = 32000
# Payment messages (one transaction each), enough for several commits: measured, 3,000 took
# 2.6 to 8.4 s with two workers on this 2-core host (busy with other work), 1.8 to 7 s of it
# screening; with a few hundred, most kills came before the first commit.
MESSAGES = 3000
KILLS = 3
# Kills land in the last part of a normal run's duration: start-up (the first ~2 s here) is
# what tests/crash/test_kill_batch.py covers, and a kill there leaves nothing to resume.
FIRST_KILL_SHARE = 0.4
FIRST_COMMIT_DELAY = 0.5  # seconds: the first kill lands this long after the first commit, at most
ORPHAN_WAIT = 5.0  # seconds: a worker checks its parent twice a second


def _names_file(path: Path) -> Path:
    listed = listed_names(50)
    lines = ["name,country"]
    lines += [
        f"{listed[i % 50]}," if i % 10 == 0 else f"Person Number{i} Ivanovich,RU"
        for i in range(NAME_ROWS)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _payments_inbox(folder: Path) -> Path:
    """MESSAGES files: the real pacs.008 and MT103 in turn, every tenth creditor UN-listed."""
    listed = listed_names(50)
    samples = {"xml": (sample_text(PACS008), "<Nm>US Engines</Nm>", "<Nm>{}</Nm>")}
    samples["fin"] = (sample_text(MT103), "1/US Engines", "1/{}")
    folder.mkdir()
    for i in range(MESSAGES):
        suffix = "fin" if i % 2 else "xml"
        text, old, new = samples[suffix]
        name = listed[i % 50] if i % 10 == 0 else f"Company Number{i} LLC"
        (folder / f"{i:05d}.{suffix}").write_text(replaced(text, old, new.format(name)), "utf-8")
    return folder


def _has_committed(output: Path) -> bool:
    """Whether a run writing `output` has committed rows. The checkpoint is replaced by a
    rename, so it is read whole or not found."""
    try:
        return int(json.loads(checkpoint_path(output).read_text(encoding="utf-8"))["rows"]) > 0
    except FileNotFoundError:
        return False


def _processes_naming(text: str) -> list[int]:
    """Processes whose command line holds `text` (forked workers share their parent's)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if text in (entry / "cmdline").read_bytes().decode(errors="replace"):
                    found.append(int(entry.name))
            except OSError:
                continue  # ended while we looked
    return found


def _no_orphans(output: Path) -> None:
    deadline = time.monotonic() + ORPHAN_WAIT
    while (left := _processes_naming(str(output))) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not left, f"processes of a killed run still running: {left}"


def test_killed_resumable_batches_finish_with_the_uninterrupted_output(
    book_template: Path, env: dict[str, str], tmp_path: Path
) -> None:
    store = tmp_path / "store.db"
    shutil.copyfile(book_template, store)
    db = f"sqlite:///{store}"
    # Each: the command's arguments, and the records it writes.
    jobs = {
        "batch": (
            ["batch", str(_names_file(tmp_path / "names.csv")), "--workers", "2"],
            NAME_ROWS,
        ),
        "tx screen": (
            ["tx", "screen", str(write_transactions(tmp_path / "tx.csv", ROWS)), "--workers", "1"],
            ROWS,
        ),
        "payments screen": (
            ["payments", "screen", str(_payments_inbox(tmp_path / "inbox")), "--workers", "2"],
            MESSAGES,
        ),
    }
    for seed, (name, (job, records)) in enumerate(jobs.items(), start=140):
        reference = tmp_path / f"{name.replace(' ', '_')}.reference.jsonl"
        # The uninterrupted run: the output to compare with, and how long a run takes.
        duration = run([*job, "--out", str(reference), "--db", db], env)
        output = tmp_path / f"{name.replace(' ', '_')}.jsonl"
        command = [*job, "--out", str(output), "--db", db, "--resume"]
        resumable = 0  # kills that left a checkpoint
        previous = 0  # rows the last checkpoint held: a resumed run never commits fewer
        chance = random.Random(seed)
        # The first kill waits for the run's first commit, then a random moment: a kill timed
        # by the clock alone can land before it on a slow machine, or after the end on a fast
        # one (CI met the first), and leave nothing to resume. The later kills are timed from
        # the start, so they also land while a resumed run reads past its committed rows.
        late = (1 - FIRST_KILL_SHARE) * duration
        clock = [FIRST_KILL_SHARE * duration + m for m in moments(seed, late, KILLS - 1)]
        log = tmp_path / "kill.log"
        for number in range(KILLS):
            if number == 0:
                delay = chance.uniform(0, FIRST_COMMIT_DELAY)
                kill = kill_after(command, env, partial(_has_committed, output), delay, log)
            else:
                kill = kill_at(command, env, clock[number - 1], log)
            if not kill.killed:  # it finished by itself: the next run starts afresh
                output.unlink()
                previous = 0
                continue
            _no_orphans(output)
            if output.exists():  # killed after the rename, while it printed its summary
                assert output.read_bytes() == reference.read_bytes()
                assert not checkpoint_path(output).exists()
                output.unlink()
                previous = 0
                continue
            if checkpoint_path(output).exists():
                checkpoint = json.loads(checkpoint_path(output).read_text(encoding="utf-8"))
                assert partial_path(output).stat().st_size >= checkpoint["offset"]
                assert checkpoint["rows"] >= previous, "a resumed run lost committed rows"
                previous = checkpoint["rows"]
                resumable += 1
        run(command, env)
        assert output.read_bytes() == reference.read_bytes(), f"{name}: output differs"
        assert not checkpoint_path(output).exists() and not partial_path(output).exists()
        assert len(output.read_text(encoding="utf-8").splitlines()) == records
        # The kills must have left something to resume, or this test proved nothing.
        assert resumable, f"{name}: no kill left a checkpoint"
