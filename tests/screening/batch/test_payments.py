"""Payments through the batch runner (`screening.batch.payments`): which files a directory
gives, one record per transaction in order, the Python API, and failures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NoReturn

import pytest

from screening import screen_payment as exported
from screening.batch.errors import BatchError, BatchInputError, BatchUsageError
from screening.batch.payments import (
    PaymentRecord,
    PaymentResult,
    payment_files,
    run_payments_batch,
    screen_payment,
)
from screening.coalition.profiles import PRESETS, ProfileError
from screening.matching.screener import Screener
from tests.screening.coalition.payments.support import (
    CASES,
    MT,
    MT103,
    MX,
    PACS008,
    full_lists_store,
    sample_text,
)


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
