"""Payments through the batch runner (`screening.batch.payments`): which files a directory
gives, one record per transaction in order, the Python API, failures, the same bytes from two
worker processes as from one, and resumed runs (and the refusals when an input changed)."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import pytest

from screening import screen_payment as exported
from screening.batch import runner
from screening.batch.checkpoint import ResumeError, checkpoint_path, inputs_path, partial_path
from screening.batch.errors import BatchError, BatchInputError, BatchUsageError
from screening.batch.payments import (
    PaymentRecord,
    PaymentResult,
    payment_files,
    run_payments_batch,
    screen_payment,
)
from screening.batch.runner import Scale
from screening.coalition.profiles import PRESETS, ProfileError
from screening.matching.results import Query, ScreeningResult, Thresholds
from screening.matching.screener import Screener
from tests.screening.coalition.payments.support import (
    CASES,
    MT,
    MT103,
    MX,
    PACS008,
    UN_LISTED,
    full_lists_store,
    replaced,
    sample_text,
)

GENERATED = 120  # messages, one transaction each
MT_FILES = 18  # `ls ../shared/data/payments/mt | wc -l`
# Chunks this small make 55 real transactions many chunks: two workers really run.
TWO_WORKERS = Scale(workers=2, chunk_rows=8)


@pytest.fixture(scope="module")
def screener(tmp_path_factory: pytest.TempPathFactory) -> Screener:
    url, index = full_lists_store(tmp_path_factory)
    return Screener.open(url, index_dir=index)


def test_the_api_is_exported_from_the_package() -> None:
    assert exported is screen_payment


def test_directories_are_read_recursively_sorted_without_hidden_files(tmp_path: Path) -> None:
    for name in ("b/2.fin", "b/10.fin", "a.xml", ".git/x", "c/.swap.xml", "out.jsonl"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    single = tmp_path / "b" / "2.fin"
    found = payment_files([tmp_path, single], output=tmp_path / "out.jsonl")
    assert [label for label, _ in found] == [
        str(tmp_path / "a.xml"),
        str(tmp_path / "b" / "10.fin"),
        str(tmp_path / "b" / "2.fin"),
        str(single),
    ]


def test_paths_that_give_no_file(tmp_path: Path) -> None:
    with pytest.raises(BatchInputError, match="gone: no such file or directory"):
        payment_files([tmp_path / "gone"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(BatchInputError, match="empty: no files to screen"):
        payment_files([tmp_path / "empty"])
    named = tmp_path / "x.jsonl"
    named.write_text("x", encoding="utf-8")
    with pytest.raises(BatchUsageError, match="would overwrite the input"):
        payment_files([named], output=named)


def test_one_record_per_transaction_in_order(screener: Screener, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    summary = run_payments_batch([MX, MT], out, lambda: screener, PRESETS["uk_bank"])
    written = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    # 23 + 32 transactions, counted independently (tests/.../payments/test_reader.py).
    assert summary.rows == len(written) == 55
    assert summary.error == 0
    assert summary.notes == ["read 41 files"]
    assert {v.dataset for v in summary.list_versions} == {"ofac_sdn", "uk_ofsi", "un_sc"}
    assert (
        ",".join(written[0])
        == "file,index,message_type,msg_id,tx_id,decision,risk_score,flags,error"
    )
    assert [r["file"] for r in written[:23]] == sorted(str(p) for p in MX.glob("*.xml"))
    assert {r["decision"] for r in written} <= {"clear", "review"}


def test_bytes_text_and_path_give_the_same_results(screener: Screener) -> None:
    by_path = screen_payment(MT103, screener=screener, name="m")
    by_bytes = screen_payment(MT103.read_bytes(), screener=screener, name="m")
    by_text = screen_payment(sample_text(MT103), screener=screener, name="m")
    assert by_path == by_bytes == by_text
    assert [(r.message_type, r.decision, r.file) for r in by_path] == [("MT103", "clear", "m")]


def test_the_profile_and_lists_are_used(screener: Screener) -> None:
    _, _, edit_mx, _ = CASES["listed creditor"]
    message = edit_mx(sample_text(PACS008))
    (un_only,) = screen_payment(message, screener=screener, profile="us_bank", lists=["un"])
    assert un_only.decision == "block"
    assert {f.evidence.get("source") for f in un_only.flags} == {"un"}
    with pytest.raises(ProfileError, match="unknown profile 'nobank'"):
        screen_payment(message, screener=screener, profile="nobank")


def test_a_file_name_given_as_text_is_explained(screener: Screener) -> None:
    (result,) = screen_payment(str(PACS008), screener=screener)
    assert result.decision == "error"
    assert result.error == (
        "message: not an ISO 20022 or SWIFT MT message (a str is the message itself: pass a Path)"
    )


class RefusingScreener:
    """Rejects every value, as the screener does for a value it cannot understand."""

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValueError("unknown country 'XX'")

    screen_query = screen_identifier = scan_text = _refuse


def test_a_value_the_screener_rejects_is_an_error_record() -> None:
    (result,) = screen_payment(PACS008, screener=RefusingScreener())
    assert (result.decision, result.error, result.risk_score) == (
        "error",
        "unknown country 'XX'",
        None,
    )
    assert result.msg_id == "A2B0506272708"  # the ids read are kept


def test_csv_cells_of_an_error_record() -> None:
    result = PaymentResult(
        file="f", index=2, message_type=None, msg_id=None, tx_id=None, decision="error", error="e"
    )
    assert PaymentRecord(1, result).csv_cells() == ["f", "2", "", "", "", "error", "", "0", "", "e"]


def test_no_output_when_the_screener_cannot_open(tmp_path: Path) -> None:
    def no_lists() -> NoReturn:
        raise BatchError("no lists are loaded")

    out = tmp_path / "out.jsonl"
    with pytest.raises(BatchError, match="no lists"):
        run_payments_batch([MX], out, no_lists, PRESETS["uk_bank"])
    assert list(tmp_path.iterdir()) == []


# -- workers and resume ----------------------------------------------------------------------


def generated_inbox(folder: Path, count: int = GENERATED) -> Path:
    """`count` messages from the real pacs.008 and MT103, alternately, with the creditor named
    anew: every seventh a UN-listed name, every eleventh message cut in half (unreadable)."""
    pacs008, mt103 = sample_text(PACS008), sample_text(MT103)
    for i in range(count):
        name = UN_LISTED if i % 7 == 0 else f"Engines Number{i} Trading"
        if i % 2:
            text, suffix = replaced(mt103, "1/US Engines", f"1/{name}"), "fin"
        else:
            text, suffix = replaced(pacs008, "<Nm>US Engines</Nm>", f"<Nm>{name}</Nm>"), "xml"
        text = text[: len(text) // 2] if i % 11 == 0 else text
        (folder / f"{i:04d}.{suffix}").parent.mkdir(parents=True, exist_ok=True)
        (folder / f"{i:04d}.{suffix}").write_bytes(text.encode("utf-8"))
    return folder


def run_inputs(
    screener: Any, inputs: Sequence[Path], out: Path, scale: Scale | None = None, **kw: Any
) -> runner.BatchSummary:
    profile = kw.pop("profile", PRESETS["uk_bank"])
    return run_payments_batch(inputs, out, lambda: screener, profile, scale=scale, **kw)


@pytest.mark.parametrize("out", ["out.jsonl", "out.csv"])
def test_two_workers_write_the_bytes_of_one(screener: Screener, tmp_path: Path, out: str) -> None:
    inbox = generated_inbox(tmp_path / "inbox")
    inputs = [MX, MT, inbox]
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    one = run_inputs(screener, inputs, tmp_path / "one" / out, Scale(workers=1))
    two = run_inputs(screener, inputs, tmp_path / "two" / out, TWO_WORKERS)
    assert (tmp_path / "two" / out).read_bytes() == (tmp_path / "one" / out).read_bytes()
    # 55 real transactions (counted in tests/.../payments/test_reader.py) + one per message.
    assert one.rows == two.rows == 55 + GENERATED
    assert (one.counts, one.errors) == (two.counts, two.errors)
    # The generator's own counts: every eleventh message unreadable, every seventh listed
    # (of those, 0 and 77 are also cut in half, so unreadable).
    unreadable = len(range(0, GENERATED, 11))
    listed = len([i for i in range(0, GENERATED, 7) if i % 11])
    assert one.error == unreadable
    assert one.counts["block"] >= listed
    # "error in row N" numbers rows over the whole run, whichever process screened them.
    assert [row for row, _ in two.errors] == [56 + i for i in range(0, GENERATED, 11)]
    assert "2 worker processes (fork)" in " ".join(two.notes)


class StopAfter:
    """The real screener until its `stop`-th name query, then a database that went away."""

    def __init__(self, screener: Screener, stop: int) -> None:
        self.screener, self.stop, self.queries = screener, stop, 0

    def screen_query(self, query: Query, thresholds: Thresholds | None = None) -> ScreeningResult:
        self.queries += 1
        if self.queries == self.stop:
            raise RuntimeError("database went away")
        return self.screener.screen_query(query, thresholds)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.screener, name)


@pytest.fixture
def interrupted(
    screener: Screener, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[Path], Path]:
    """Inputs, and the output of a --resume run of them that failed part way."""
    monkeypatch.setattr(runner, "COMMIT_EVERY_SECONDS", 0.0)  # a commit after every chunk
    inputs = [generated_inbox(tmp_path / "inbox"), MT]
    output = tmp_path / "out.jsonl"
    with pytest.raises(RuntimeError, match="database went away"):
        run_inputs(StopAfter(screener, 150), inputs, output, Scale(resume=True))
    assert 0 < json.loads(checkpoint_path(output).read_text(encoding="utf-8"))["rows"] < 100
    return inputs, output


FILES = GENERATED + MT_FILES  # of `interrupted`


@pytest.mark.parametrize("workers", [1, 2])
def test_an_interrupted_run_resumes_to_the_bytes_of_an_uninterrupted_one(
    screener: Screener, tmp_path: Path, interrupted: tuple[list[Path], Path], workers: int
) -> None:
    inputs, output = interrupted
    committed = json.loads(checkpoint_path(output).read_text(encoding="utf-8"))["rows"]
    scale = Scale(workers=workers, resume=True, chunk_rows=8)
    summary = run_inputs(screener, inputs, output, scale)
    reference = run_inputs(screener, inputs, tmp_path / "reference.jsonl")
    assert output.read_bytes() == (tmp_path / "reference.jsonl").read_bytes()
    assert (summary.rows, summary.counts, summary.errors) == (
        reference.rows,
        reference.counts,
        reference.errors,
    )
    assert summary.resumed_rows == committed
    assert not any(p(output).exists() for p in (checkpoint_path, partial_path, inputs_path))


def refusal(screener: Screener, inputs: Sequence[Path], output: Path, **kw: Any) -> str:
    with pytest.raises(ResumeError) as refused:
        run_inputs(screener, inputs, output, Scale(resume=True), **kw)
    # What was committed stays, for a resume with the inputs and options of the first run.
    assert checkpoint_path(output).exists() and partial_path(output).exists()
    return str(refused.value)


def test_resume_is_refused_when_a_file_was_added(
    screener: Screener, interrupted: tuple[list[Path], Path]
) -> None:
    inputs, output = interrupted
    added = inputs[0] / "0500.fin"
    added.write_bytes(MT103.read_bytes())
    message = refusal(screener, inputs, output)
    assert f"the input files changed ({FILES} then, {FILES + 1} now; new {added})" in message


def test_resume_is_refused_when_a_file_is_gone_or_the_order_changed(
    screener: Screener, interrupted: tuple[list[Path], Path]
) -> None:
    inputs, output = interrupted
    reordered = refusal(screener, inputs[::-1], output)
    assert f"the input files changed ({FILES} then, {FILES} now; their order)" in reordered
    gone = inputs[0] / "0003.fin"
    gone.unlink()
    assert f"({FILES} then, {FILES - 1} now; no longer {gone})" in refusal(screener, inputs, output)


def test_resume_is_refused_when_one_file_changed(
    screener: Screener, interrupted: tuple[list[Path], Path]
) -> None:
    inputs, output = interrupted
    changed = inputs[0] / "0100.xml"
    text = changed.read_bytes()
    changed.write_bytes(text.replace(b"Engines Number100", b"Engines Number101"))
    assert f"{changed}'s content changed" in refusal(screener, inputs, output)
    changed.write_bytes(text)  # the same bytes again, but written since
    assert f"{changed} was modified since" in refusal(screener, inputs, output)
    status = changed.stat()
    checkpoint = json.loads(checkpoint_path(output).read_text(encoding="utf-8"))
    os.utime(changed, ns=(status.st_atime_ns, status.st_mtime_ns - 10**9))
    changed.write_bytes(text + b"\n")
    assert f"{changed} changed size" in refusal(screener, inputs, output)
    assert checkpoint["rows"] == json.loads(checkpoint_path(output).read_text())["rows"]


def test_resume_is_refused_when_the_options_changed(
    screener: Screener, interrupted: tuple[list[Path], Path]
) -> None:
    inputs, output = interrupted
    message = refusal(screener, inputs, output, profile=PRESETS["us_bank"])
    assert "the options changed (profile)" in message
    assert "the options changed (lists)" in refusal(screener, inputs, output, lists=["un"])
    same_files = [Path(os.path.relpath(inputs[0])), inputs[1]]  # other labels in the output
    assert "the options changed (paths)" in refusal(screener, same_files, output)
