"""Resumable batches: an interrupted ``--resume`` run continues to the bytes of an uninterrupted
one, and a checkpoint that no longer fits is refused.

Here a run is interrupted by an exception from the screener (and, for the bytes written after
the last commit, by appending them by hand); tests/crash/test_kill_resume.py kills real runs.
Commits are made after every chunk (`COMMIT_EVERY_SECONDS` set to 0), so that small inputs
commit many times.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy.exc import OperationalError

import cli
from screening.batch import runner
from screening.batch.checkpoint import ResumeError, checkpoint_path, partial_path
from screening.batch.names import BatchOptions, BatchSummary, run_batch
from screening.batch.runner import Scale
from screening.batch.transactions import run_tx_batch
from screening.coalition.profiles import resolve_profile
from screening.matching.results import ListVersionRef, Query, ScreeningResult, Thresholds
from tests.screening.batch.support import FakeScreener, leftovers, write_rows

ROWS = 120
STOP_AT = 70  # the row whose screening fails in the interrupted run
RESUME = Scale(resume=True)


@pytest.fixture(autouse=True)
def commit_every_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "COMMIT_EVERY_SECONDS", 0.0)


class StopAtQuery(FakeScreener):
    """Fails at its `stop`-th query, as a database that goes away mid-run."""

    def __init__(self, stop: int = STOP_AT) -> None:
        super().__init__()
        self.stop = stop

    def screen_query(self, query: Query, thresholds: Thresholds | None = None) -> ScreeningResult:
        if len(self.queries) + 1 == self.stop:
            raise RuntimeError("database went away")
        return super().screen_query(query, thresholds)


class StopAtName(FakeScreener):
    """Fails at the name STOP: in whichever worker screens it."""

    def screen_query(self, query: Query, thresholds: Thresholds | None = None) -> ScreeningResult:
        if query.name == "STOP":
            raise RuntimeError("database went away")
        return super().screen_query(query, thresholds)


def names_rows() -> list[list[str]]:
    """ROWS rows: hits, clears and error rows (unknown type, every ninth), and one STOP."""
    rows = [["name", "type"]]
    for i in range(1, ROWS + 1):
        if i == STOP_AT:
            rows.append(["STOP", "person"])
        elif i % 9 == 0:
            rows.append([f"Party {i}", "ufo"])
        elif i % 4 == 0:
            rows.append([f"Sanctioned Bank {i}", "company"])
        else:
            rows.append([f"Jane Doe {i}", "person"])
    return rows


def interrupted(tmp_path: Path, out: str) -> tuple[Path, Path]:
    """An input, and the output of a --resume run of it that failed at its STOP_AT-th query."""
    source = write_rows(tmp_path / "in.csv", names_rows())
    output = tmp_path / out
    with pytest.raises(RuntimeError, match="database went away"):
        run_batch(source, output, StopAtQuery(), scale=RESUME)
    return source, output


def uninterrupted(tmp_path: Path, source: Path, out: str) -> tuple[bytes, BatchSummary]:
    reference = tmp_path / "reference" / out
    reference.parent.mkdir(exist_ok=True)
    summary = run_batch(source, reference, FakeScreener())
    return reference.read_bytes(), summary


# Error rows (every ninth) are not queried: the STOP_AT-th query is a later row.
FAILING_ROW = [i for i in range(1, ROWS + 1) if i % 9][STOP_AT - 1]


@pytest.mark.parametrize("out", ["out.jsonl", "out.csv"])
def test_an_interrupted_run_resumes_to_the_bytes_of_an_uninterrupted_one(
    tmp_path: Path, out: str
) -> None:
    source, output = interrupted(tmp_path, out)
    assert not output.exists()
    checkpoint = json.loads(checkpoint_path(output).read_text(encoding="utf-8"))
    committed = checkpoint["rows"]
    # Every row before the failing one was committed (a commit after each row here).
    assert committed == FAILING_ROW - 1
    assert partial_path(output).stat().st_size == checkpoint["offset"]

    screener = FakeScreener()
    summary = run_batch(source, output, screener, scale=RESUME)
    expected, reference = uninterrupted(tmp_path, source, out)
    assert output.read_bytes() == expected
    # Rows already written were read again but not screened.
    screened = {query.name for query in screener.queries}
    assert "Jane Doe 1" not in screened and f"Jane Doe {ROWS - 1}" in screened
    assert (summary.rows, summary.counts, summary.errors) == (
        reference.rows,
        reference.counts,
        reference.errors,
    )
    assert summary.error == ROWS // 9  # error rows of the first part are counted too
    assert summary.resumed_rows == committed
    assert f"resumed after row {committed}" in " ".join(summary.notes)
    assert leftovers(tmp_path) == ["in.csv", out, "reference"]


def test_bytes_written_after_the_last_commit_are_cut_off(tmp_path: Path) -> None:
    source, output = interrupted(tmp_path, "out.jsonl")
    with partial_path(output).open("ab") as partial:
        partial.write(b'{"row": 999, "half a record')  # what a kill mid-write leaves
    run_batch(source, output, FakeScreener(), scale=RESUME)
    assert output.read_bytes() == uninterrupted(tmp_path, source, "out.jsonl")[0]


def test_a_resumed_run_may_use_another_worker_count(tmp_path: Path) -> None:
    source, output = interrupted(tmp_path, "out.csv")
    run_batch(source, output, FakeScreener(), scale=Scale(workers=2, resume=True, chunk_rows=4))
    assert output.read_bytes() == uninterrupted(tmp_path, source, "out.csv")[0]


def test_an_interrupted_run_with_workers_resumes(tmp_path: Path) -> None:
    scale = Scale(workers=2, resume=True, chunk_rows=4)
    source = write_rows(tmp_path / "in.csv", names_rows())
    output = tmp_path / "out.jsonl"
    with pytest.raises(RuntimeError, match="database went away"):
        run_batch(source, output, StopAtName(), scale=scale)
    committed = json.loads(checkpoint_path(output).read_text(encoding="utf-8"))["rows"]
    assert 0 < committed < STOP_AT
    # The database is back: the STOP row is screened as any other.
    run_batch(source, output, FakeScreener(), scale=scale)
    assert output.read_bytes() == uninterrupted(tmp_path, source, "out.jsonl")[0]


def test_resume_without_a_checkpoint_runs_from_the_first_row(tmp_path: Path) -> None:
    source = write_rows(tmp_path / "in.csv", names_rows())
    partial_path(tmp_path / "out.jsonl").write_text("left by a run killed before its first commit")
    run_batch(source, tmp_path / "out.jsonl", FakeScreener(), scale=RESUME)
    expected = uninterrupted(tmp_path, source, "out.jsonl")[0]
    assert (tmp_path / "out.jsonl").read_bytes() == expected
    assert leftovers(tmp_path) == ["in.csv", "out.jsonl", "reference"]


def test_a_run_without_resume_removes_an_earlier_checkpoint(tmp_path: Path) -> None:
    source, output = interrupted(tmp_path, "out.jsonl")
    run_batch(source, output, FakeScreener())
    assert leftovers(tmp_path) == ["in.csv", "out.jsonl"]


def refusal(tmp_path: Path, source: Path, output: Path, **kwargs: Any) -> str:
    with pytest.raises(ResumeError) as refused:
        run_batch(source, output, kwargs.pop("screener", FakeScreener()), scale=RESUME, **kwargs)
    # What was committed stays for a resume with the right input, options and lists.
    assert checkpoint_path(output).exists() and partial_path(output).exists()
    assert not output.exists()
    return str(refused.value)


def test_resume_is_refused_when_the_input_changed(tmp_path: Path) -> None:
    source, output = interrupted(tmp_path, "out.jsonl")
    with source.open("ab") as handle:
        handle.write(b"Added Later,person\r\n")
    message = refusal(tmp_path, source, output)
    assert "cannot resume the interrupted run: the input changed size" in message
    assert "run without --resume to start again" in message


def test_resume_is_refused_when_the_input_was_rewritten_to_the_same_size(tmp_path: Path) -> None:
    source, output = interrupted(tmp_path, "out.jsonl")
    content = source.read_bytes()
    source.write_bytes(content.replace(b"Jane Doe 1,", b"Jane Dot 1,"))
    assert "the input's content changed" in refusal(tmp_path, source, output)


def test_resume_is_refused_when_the_options_changed(tmp_path: Path) -> None:
    source, output = interrupted(tmp_path, "out.jsonl")
    options = BatchOptions(report_threshold=0.9)
    message = refusal(tmp_path, source, output, options=options)
    assert "the options changed (options)" in message


def test_resume_is_refused_when_the_active_lists_changed(tmp_path: Path) -> None:
    source, output = interrupted(tmp_path, "out.jsonl")
    screener = FakeScreener()
    newer = ListVersionRef(**{**screener.versions[0].model_dump(), "version_id": 8})
    screener.versions = [newer]
    original = FakeScreener.screen_query

    def newer_lists(query: Query, thresholds: Thresholds | None = None) -> ScreeningResult:
        result = original(screener, query, thresholds)
        return result.model_copy(update={"list_versions": [newer]})

    screener.screen_query = newer_lists  # type: ignore[method-assign]
    message = refusal(tmp_path, source, output, screener=screener)
    assert "the active lists changed (were ofac_sdn 7; now ofac_sdn 8)" in message
    # Refused before anything was written: the partial file holds what was committed.
    checkpoint = json.loads(checkpoint_path(output).read_text(encoding="utf-8"))
    assert partial_path(output).stat().st_size == checkpoint["offset"]


def test_resume_is_refused_when_another_version_wrote_the_checkpoint(tmp_path: Path) -> None:
    source, output = interrupted(tmp_path, "out.jsonl")
    sidecar = checkpoint_path(output)
    checkpoint = json.loads(sidecar.read_text(encoding="utf-8"))
    sidecar.write_text(json.dumps({**checkpoint, "coalition": "0.0.1"}), encoding="utf-8")
    assert "it was written by coalition 0.0.1" in refusal(tmp_path, source, output)


def test_resume_is_refused_when_the_checkpoint_is_unreadable(tmp_path: Path) -> None:
    source, output = interrupted(tmp_path, "out.jsonl")
    checkpoint_path(output).write_text("{not json", encoding="utf-8")
    assert "the checkpoint cannot be read" in refusal(tmp_path, source, output)


def test_resume_is_refused_when_the_partial_output_is_gone(tmp_path: Path) -> None:
    source, output = interrupted(tmp_path, "out.jsonl")
    partial_path(output).unlink()
    with pytest.raises(ResumeError, match=r"its partial output .* is gone"):
        run_batch(source, output, FakeScreener(), scale=RESUME)


def test_a_transaction_batch_resumes_to_the_same_bytes(tmp_path: Path) -> None:
    header = ["tx_id", "amount", "currency", "beneficiary_name", "beneficiary_country"]
    rows = [header] + [
        [f"T{i}", "lots" if i % 11 == 0 else "10.00", "EUR", f"Sanctioned Bank {i}", "DE"]
        for i in range(ROWS)
    ]
    source = write_rows(tmp_path / "tx.csv", rows)
    profile = resolve_profile(None)
    output = tmp_path / "out.csv"
    with pytest.raises(RuntimeError, match="database went away"):
        run_tx_batch(source, output, StopAtQuery(50), profile, scale=RESUME)
    assert json.loads(checkpoint_path(output).read_text(encoding="utf-8"))["rows"] > 40
    summary = run_tx_batch(source, output, FakeScreener(), profile, scale=RESUME)
    reference = run_tx_batch(source, tmp_path / "reference.csv", FakeScreener(), profile)
    assert output.read_bytes() == (tmp_path / "reference.csv").read_bytes()
    assert summary.counts == reference.counts and summary.error == ROWS // 11 + 1


class DatabaseGoesAway(FakeScreener):
    def screen_query(self, query: Query, thresholds: Thresholds | None = None) -> ScreeningResult:
        if len(self.queries) + 1 == STOP_AT:  # as `StopAtQuery`
            raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))
        return super().screen_query(query, thresholds)


class DatabaseGoesAwayClass:
    @staticmethod
    def open(db_url: str | None = None, **kwargs: Any) -> FakeScreener:
        return DatabaseGoesAway(kwargs.get("thresholds"))


class FakeScreenerClass:
    @staticmethod
    def open(db_url: str | None = None, **kwargs: Any) -> FakeScreener:
        return FakeScreener(kwargs.get("thresholds"))


def test_cli_a_failed_run_is_resumed_and_a_refusal_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_rows(tmp_path / "in.csv", names_rows())
    output = tmp_path / "out.jsonl"
    args = ["batch", str(source), "--out", str(output), "--resume"]
    with monkeypatch.context() as database_fails:
        database_fails.setattr("screening.matching.screener.Screener", DatabaseGoesAwayClass)
        failed = CliRunner().invoke(cli.main, args)
    assert failed.exit_code == 3, failed.output
    assert "what was done is kept: run the same command again to continue" in failed.output
    committed = json.loads(checkpoint_path(output).read_text(encoding="utf-8"))["rows"]
    assert committed == FAILING_ROW - 1

    monkeypatch.setattr("screening.matching.screener.Screener", FakeScreenerClass)
    changed = CliRunner().invoke(cli.main, [*args, "--threshold", "0.9"])
    assert changed.exit_code == 1, changed.output
    assert "cannot resume the interrupted run: the options changed (options)" in changed.output
    resumed = CliRunner().invoke(cli.main, [*args, "--workers", "2"])
    assert resumed.exit_code == 4, resumed.output  # the error rows of both parts
    assert f"{ROWS} rows: match " in resumed.output
    assert f"resumed after row {committed}" in resumed.output

    reference = tmp_path / "reference.jsonl"
    plain = CliRunner().invoke(cli.main, ["batch", str(source), "--out", str(reference)])
    assert plain.exit_code == 4, plain.output
    assert output.read_bytes() == reference.read_bytes()
    assert leftovers(tmp_path) == ["in.csv", "out.jsonl", "reference.jsonl"]
