"""``coalition payments screen``: real samples with one injected change each, bad input, the
output formats, exit codes and the summary (OFAC SDN, UK OFSI and UN loaded); --workers and
--resume."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from cli import main
from screening.batch import runner
from screening.batch.payments import run_payments_batch
from screening.batch.runner import Scale
from screening.coalition.profiles import PRESETS
from screening.matching.results import Query, ScreeningResult, Thresholds
from screening.matching.screener import Screener
from tests.screening.coalition.payments.support import (
    BAD,
    CASES,
    MT103,
    PACS008,
    PAYMENTS,
    full_lists_store,
    replaced,
    sample_text,
)

RESUME = Scale(resume=True)
CLI_THRESHOLDS = Thresholds.from_environment()  # what the command passes


@pytest.fixture(scope="module")
def lists_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    return full_lists_store(tmp_path_factory)


@pytest.fixture(autouse=True)
def _index_in_tmp(lists_db: tuple[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    # The session's index of the full lists, not a fresh one per test (built once: slow).
    monkeypatch.setenv("COALITION_INDEX_DIR", str(lists_db[1]))


def screen(db: str, *args: str) -> Result:
    return CliRunner().invoke(main, ["payments", "screen", "--db", db, *args])


def records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    return path


def injected_inbox(inbox: Path) -> Path:
    """The pacs.008 and the MT103 sample with each injected case, two files per case."""
    for number, (label, (_, _, edit_mx, edit_mt)) in enumerate(CASES.items()):
        write(inbox, f"{number}-{label}.xml", edit_mx(sample_text(PACS008)))
        write(inbox, f"{number}-{label}.fin", edit_mt(sample_text(MT103)))
    return inbox


def test_injected_cases_are_caught_and_name_their_field(
    lists_db: tuple[str, Path], tmp_path: Path
) -> None:
    inbox = injected_inbox(tmp_path / "inbox")
    out = tmp_path / "out.jsonl"
    result = screen(lists_db[0], str(inbox), "--out", str(out))
    assert result.exit_code == 0, result.output
    found = {Path(r["file"]).name: r for r in records(out)}
    assert len(found) == 2 * len(CASES)
    for number, (label, (rule, decision, _, _)) in enumerate(CASES.items()):
        for suffix in (".xml", ".fin"):
            record = found[f"{number}-{label}{suffix}"]
            assert record["decision"] == decision, (label, suffix, record)
            assert rule in {flag["rule"] for flag in record["flags"]}, (label, suffix)
    fields = {
        (name, flag["rule"]): flag["evidence"].get("field")
        for name, record in found.items()
        for flag in record["flags"]
    }
    assert fields["0-listed creditor.xml", "PARTY_SANCTIONS_HIT"] == "CdtTrfTxInf[0]/Cdtr/Nm"
    assert fields["1-listed BIC, 11 characters.xml", "AGENT_SANCTIONS_HIT"] == (
        "CdtTrfTxInf[0]/CdtrAgt/FinInstnId/BICFI"
    )
    assert fields["1-listed BIC, 11 characters.fin", "AGENT_SANCTIONS_HIT"] == ":57A:"
    assert fields["3-listed name in remittance text.fin", "TEXT_SANCTIONS_HIT"] == ":70:"
    (place,) = found["2-occupied-region address.xml"]["flags"]
    assert place["evidence"]["found_in"] == ["CdtTrfTxInf[0]/Cdtr/PstlAdr"]
    # The summary: counts by decision, then where the output went.
    assert "10 transactions: block 8, review 2, clear 0, error 0" in result.output
    assert "read 10 files" in result.output


def test_bad_input_gives_error_records_and_exit_4(
    lists_db: tuple[str, Path], tmp_path: Path
) -> None:
    inbox = tmp_path / "bad"
    expected = {}
    for number, (label, (edit_mx, edit_mt)) in enumerate(BAD.items()):
        for edit, sample, suffix in ((edit_mx, PACS008, ".xml"), (edit_mt, MT103, ".fin")):
            if edit is not None:
                expected[f"{number}-{label}{suffix}"] = label
                write(inbox, f"{number}-{label}{suffix}", edit(sample_text(sample)))
    out = tmp_path / "bad.jsonl"
    result = screen(lists_db[0], str(inbox), str(PACS008), "--out", str(out))
    assert result.exit_code == 4, result.output
    assert "Traceback" not in result.output
    written = records(out)
    assert [Path(r["file"]).name for r in written] == [*sorted(expected), PACS008.name]
    reasons = {Path(r["file"]).name: r["error"] for r in written if r["decision"] == "error"}
    assert set(reasons) == set(expected)
    assert written[-1]["decision"] == "clear"  # the good file after the bad ones is screened
    words = {
        "truncated XML": "malformed XML",
        "unknown message type": "unsupported message type",
        "MT without block 4": "no block 4",
        "broken field tag": "broken field tag",
        "XXE attempt": "DTD",
    }
    for name, label in expected.items():
        assert words[label] in reasons[name], (name, reasons[name])
        assert "\n" not in reasons[name]
    assert "root:" not in out.read_text(encoding="utf-8")  # /etc/passwd was never read
    assert f"{len(written)} transactions: block 0, review 0, clear 1, error {len(expected)}" in (
        result.output
    )


def test_a_directory_is_read_recursively_in_sorted_order(
    lists_db: tuple[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "all.jsonl"
    result = screen(lists_db[0], str(PAYMENTS / "mx"), str(PAYMENTS / "mt"), "--out", str(out))
    assert result.exit_code == 0, result.output
    written = records(out)
    # 23 ISO 20022 files of one CdtTrfTxInf each, then 16 MT files of one message and the RJE
    # files of 3 and 13 (counted independently in tests/.../payments/test_reader.py).
    assert len(written) == 55
    files = [r["file"] for r in written]
    assert files[0] == str(PAYMENTS / "mx" / "cbpr_c.53.5_pacs.008.001.08_AtoB.xml")
    assert files[23] == str(PAYMENTS / "mt" / "mt103_custom_23E_50K_59_70_72.fin")
    assert files == sorted(files[:23]) + sorted(files[23:], key=lambda f: f)
    rje = [r["index"] for r in written if r["file"].endswith("out-ack_bulk.rje")]
    assert rje == list(range(13))
    assert {r["decision"] for r in written} <= {"clear", "review", "block"}


def test_csv_output_escapes_formulas_and_holds_flags_as_json(
    lists_db: tuple[str, Path], tmp_path: Path
) -> None:
    (_, _, edit_mx, _) = CASES["listed creditor"]
    text = edit_mx(sample_text(PACS008)).replace("A2B0506272708", "=HYPERLINK(1)")
    source = write(tmp_path, "formula.xml", text)
    out = tmp_path / "out.csv"
    result = screen(lists_db[0], str(source), "--out", str(out))
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    (row,) = rows
    assert (
        ",".join(row)
        == "file,index,message_type,msg_id,tx_id,decision,risk_score,flag_count,flags,error"
    )
    assert row["msg_id"] == "'=HYPERLINK(1)"
    assert (row["decision"], row["message_type"]) == ("block", "pacs.008.001.12")
    flags = json.loads(row["flags"])
    assert len(flags) == int(row["flag_count"]) > 0
    assert flags[0]["evidence"]["field"] == "CdtTrfTxInf[0]/Cdtr/Nm"


@pytest.mark.parametrize(
    ("arguments", "code", "message"),
    [
        (["missing-dir", "--out", "o.jsonl"], 1, "missing-dir: no such file or directory"),
        (["empty", "--out", "o.jsonl"], 1, "no files to screen"),
        ([str(PACS008), "--out", "o.txt"], 2, "must end in .csv or .jsonl"),
        ([str(PACS008), "--out", "o.jsonl", "--profile", "nobank"], 2, "unknown profile"),
        ([str(PACS008), "--out", "o.jsonl", "--lists", "ofca"], 2, "unknown list 'ofca'"),
        (["--out", "o.jsonl"], 2, "Missing argument 'PATH...'"),
    ],
)
def test_exit_codes(
    lists_db: tuple[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    arguments: list[str],
    code: int,
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    result = screen(lists_db[0], *arguments)
    assert result.exit_code == code, result.output
    assert message in result.output
    assert not (tmp_path / "o.jsonl").exists()


def test_the_output_cannot_be_an_input(lists_db: tuple[str, Path], tmp_path: Path) -> None:
    source = write(tmp_path, "in.jsonl", sample_text(MT103))
    result = screen(lists_db[0], str(source), "--out", str(source))
    assert result.exit_code == 2
    assert "would overwrite the input" in result.output


def test_help_shows_an_example() -> None:
    result = CliRunner().invoke(main, ["payments", "screen", "--help"])
    assert result.exit_code == 0
    assert "coalition payments screen inbox/ pacs008.xml --out screened.jsonl" in result.output


def test_help_documents_workers_and_resume() -> None:
    result = CliRunner().invoke(main, ["payments", "screen", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "--workers INTEGER RANGE" in text and "[default: (all cores); x>=1]" in text
    assert "--resume Write a checkpoint as the run goes" in text
    assert "It is refused when an input file was added, removed or changed" in text


def test_workers_and_resume_write_the_bytes_of_a_plain_run(
    lists_db: tuple[str, Path], tmp_path: Path
) -> None:
    inbox = injected_inbox(tmp_path / "inbox")
    plain, scaled = tmp_path / "plain.csv", tmp_path / "scaled.csv"
    inputs = [str(inbox), str(PAYMENTS / "mx"), str(PAYMENTS / "mt")]
    assert screen(lists_db[0], *inputs, "--out", str(plain), "--workers", "1").exit_code == 0
    result = screen(lists_db[0], *inputs, "--out", str(scaled), "--workers", "2", "--resume")
    assert result.exit_code == 0, result.output
    assert scaled.read_bytes() == plain.read_bytes()
    # 10 injected + 55 real transactions (tests/.../payments/test_reader.py).
    assert "65 transactions: block 8, review 2," in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inbox", "plain.csv", "scaled.csv"]


class FailsAtStop:
    """The real screener, but the name STOP fails it, as a database that went away."""

    def __init__(self, screener: Screener) -> None:
        self.screener = screener

    def screen_query(self, query: Query, thresholds: Thresholds | None = None) -> ScreeningResult:
        if query.name == "STOP":
            raise RuntimeError("database went away")
        return self.screener.screen_query(query, thresholds)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.screener, name)


def test_a_resume_after_an_input_changed_is_refused_with_exit_1(
    lists_db: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "COMMIT_EVERY_SECONDS", 0.0)  # a commit after every row
    inbox = tmp_path / "inbox"
    write(inbox, "a.fin", sample_text(MT103))
    write(inbox, "b.fin", replaced(sample_text(MT103), "1/US Engines", "1/STOP"))
    out = tmp_path / "out.jsonl"
    failing = FailsAtStop(Screener.open(lists_db[0], index_dir=lists_db[1]))
    with pytest.raises(RuntimeError, match="database went away"):
        run_payments_batch(
            [inbox], out, lambda: failing, PRESETS["uk_bank"], CLI_THRESHOLDS, scale=RESUME
        )
    added = write(inbox, "c.fin", sample_text(MT103))
    refused = screen(lists_db[0], str(inbox), "--out", str(out), "--resume")
    assert refused.exit_code == 1, refused.output
    assert "cannot resume the interrupted run: the input files changed (2 then, 3 now;" in (
        " ".join(refused.output.split())
    )
    assert added.name in refused.output and "Traceback" not in refused.output
    added.unlink()
    resumed = screen(lists_db[0], str(inbox), "--out", str(out), "--resume", "--workers", "1")
    assert resumed.exit_code == 0, resumed.output
    assert "resumed after row 1 of an interrupted run" in resumed.output
    assert [(Path(r["file"]).name, r["decision"]) for r in records(out)] == [
        ("a.fin", "clear"),
        ("b.fin", "clear"),
    ]
