"""Payment messages in, one screening record per transaction out (ISO 20022 and SWIFT MT).

    from screening import screen_payment
    results = screen_payment(Path("pacs008.xml"))        # or the message as bytes / str
    results[0].decision, results[0].flags

`screen_payment` screens one message (or one bulk file); `run_payments_batch` screens files
and directories through the one batch runner (`screening.batch.runner`), like ``coalition
batch`` and ``coalition tx screen``: in N forked worker processes with the same output
(``--workers``), and resumable after a kill (``--resume``; the checkpoint identifies every
input file, in order, so a file added, removed or changed since refuses the resume).

The format of each file is found from its content (`screening.coalition.payments.reader`);
each transaction goes through the transaction rules
(`screening.coalition.rules.screen_transaction`), which screen every party, agent, address and
free text of the message.

Inputs (`payment_files`): files as given, in the order given; a directory is searched
recursively and its files are taken in sorted order of their path below it. Hidden files and
folders (a name starting with ``.``) are left out: editors' swap files, ``.git``, and the
half-written ``.NAME.partial`` of an output being written into the same folder, and the
checkpoint files of a ``--resume`` run; so is the output file itself. Every other file is
read, and a file that is not a payment message gets an ``error`` record, so nothing in the
folder is passed over in silence.

Output: one record per transaction, in input order, then per file in the order above
(`PaymentResult`): ``file`` (the input path as given, or the directory joined with the path
below it), ``index`` (position within the file, from 0), ``message_type``
(``pacs.008.001.12``, ``MT103``), ``msg_id``, ``tx_id`` (EndToEndId, else UETR; MT field 20),
``decision`` (block, review, clear or error), ``risk_score`` (0..100; none for errors),
``flags`` (each naming the message field it came from) and ``error``.

- ``.jsonl``: one JSON object per record with those fields (flags as objects);
- ``.csv``: those columns plus ``flag_count``, ``flags`` as a JSON array in one cell; every
  cell formula-escaped (`screening.batch.writers`).

Exit codes of ``coalition payments screen``: as for ``coalition batch`` (0 every transaction
screened; 1 no input file, the output cannot be written or no lists are loaded, no output
left; 2 usage; 3 database; 4 finished, but some records have decision ``error``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, Field

from screening.batch.checkpoint import file_output
from screening.batch.errors import BatchInputError, BatchUsageError
from screening.batch.runner import BatchSummary, ProgressCallback, Scale, run
from screening.batch.writers import output_format
from screening.coalition.payments import MessageTransaction
from screening.coalition.payments.reader import read_payment_bytes, read_payments
from screening.coalition.profiles import InstitutionProfile, resolve_profile
from screening.coalition.rules import Flag, PartyScreener, screen_transaction
from screening.matching.results import ListVersionRef, Thresholds

PaymentDecision = Literal["block", "review", "clear", "error"]
PAYMENT_DECISIONS = ("block", "review", "clear")
OUTPUT_COLUMNS = (
    "file",
    "index",
    "message_type",
    "msg_id",
    "tx_id",
    "decision",
    "risk_score",
    "flag_count",
    "flags",
    "error",
)


class PaymentResult(BaseModel):
    """One transaction of a payment message, screened, or the reason it could not be."""

    file: str = Field(description="The input as named: its path, or the name given to it")
    index: int = Field(description="Position of the transaction within the file, from 0")
    message_type: str | None = Field(description="e.g. pacs.008.001.12 or MT103")
    msg_id: str | None = Field(description="GrpHdr/MsgId, or MT field 20")
    tx_id: str | None = Field(description="EndToEndId, else UETR; MT field 20")
    decision: PaymentDecision
    risk_score: int | None = Field(default=None, ge=0, le=100)
    flags: list[Flag] = Field(default_factory=list)
    error: str | None = Field(default=None, description="Why the message could not be read")
    list_versions: list[ListVersionRef] = Field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The record as written to JSON lines (list versions go to the run's summary)."""
        return {
            "file": self.file,
            "index": self.index,
            "message_type": self.message_type,
            "msg_id": self.msg_id,
            "tx_id": self.tx_id,
            "decision": self.decision,
            "risk_score": self.risk_score,
            "flags": [flag.to_json() for flag in self.flags],
            "error": self.error,
        }


@dataclass(frozen=True, slots=True)
class PaymentRecord:
    """A `PaymentResult` as the batch runner and the writers see it."""

    row: int  # 1-based over the whole run, for the summary's "error in row N"
    result: PaymentResult

    @property
    def decision(self) -> str:
        return self.result.decision

    @property
    def error(self) -> str | None:
        return self.result.error

    @property
    def list_versions(self) -> list[ListVersionRef]:
        return self.result.list_versions

    @property
    def input(self) -> dict[str, str]:
        return {}  # no input columns are echoed: the record's own columns say it all

    def to_json(self) -> dict[str, Any]:
        return self.result.to_json()

    def csv_cells(self) -> list[str]:
        """The values of `OUTPUT_COLUMNS`."""
        result = self.result
        flags = [flag.to_json() for flag in result.flags]
        return [
            result.file,
            str(result.index),
            result.message_type or "",
            result.msg_id or "",
            result.tx_id or "",
            result.decision,
            "" if result.risk_score is None else str(result.risk_score),
            str(len(flags)),
            json.dumps(flags, ensure_ascii=False, default=str) if flags else "",
            result.error or "",
        ]


def screen_message(
    item: MessageTransaction,
    file: str,
    screener: PartyScreener,
    profile: InstitutionProfile,
    thresholds: Thresholds | None = None,
    lists: list[str] | None = None,
) -> PaymentResult:
    """One transaction through the rules; an unreadable one becomes an ``error`` result."""

    def outcome(decision: PaymentDecision, **found: Any) -> PaymentResult:
        return PaymentResult(
            file=file,
            index=item.index,
            message_type=item.message_type,
            msg_id=item.msg_id,
            tx_id=item.tx_id,
            decision=decision,
            **found,
        )

    if item.transaction is None:
        return outcome("error", error=item.error or "unreadable message")
    try:
        result = screen_transaction(item.transaction, screener, profile, thresholds, lists)
    except ValueError as exc:
        return outcome("error", error=str(exc) or type(exc).__name__)
    return outcome(
        result.decision.value,
        risk_score=result.risk_score,
        flags=result.flags,
        list_versions=result.list_versions,
    )


def screen_payment(
    message: bytes | str | Path,
    *,
    screener: PartyScreener | None = None,
    profile: InstitutionProfile | str | None = None,
    thresholds: Thresholds | None = None,
    lists: list[str] | None = None,
    name: str | None = None,
) -> list[PaymentResult]:
    """Screen one payment message (or bulk file): one result per transaction, in order.

    `message` is the content (bytes, or text, which is encoded as UTF-8) or a `Path` to read;
    a `str` is always content, never a file name. `screener` defaults to
    `Screener.open()` (the default store); `profile` is an `InstitutionProfile`, a preset
    name or a JSON profile path (default ``uk_bank``); `lists` restricts name screening to
    these sources or datasets. `name` labels the results' ``file`` (default: the path, or
    ``message``). Unreadable content gives ``error`` results, never an exception; a profile
    that cannot be found raises `ProfileError`.
    """
    if screener is None:
        from screening.matching.screener import Screener

        screener = Screener.open()
    chosen = profile if isinstance(profile, InstitutionProfile) else resolve_profile(profile)
    if isinstance(message, Path):
        label = name or str(message)
        items = read_payments(message, label)
    else:
        label = name or "message"
        data = message.encode("utf-8") if isinstance(message, str) else message
        items = read_payment_bytes(data, label)
    results = [screen_message(i, label, screener, chosen, thresholds, lists) for i in items]
    if isinstance(message, str) and results and results[0].error and _names_a_file(message):
        results[0] = results[0].model_copy(
            update={"error": f"{results[0].error} (a str is the message itself: pass a Path)"}
        )
    return results


def _names_a_file(text: str) -> bool:
    try:
        return "\n" not in text and len(text) < 4096 and Path(text).is_file()
    except OSError:
        return False


# -- files and directories -------------------------------------------------------------------


def payment_files(paths: Sequence[Path], output: Path | None = None) -> list[tuple[str, Path]]:
    """(label, file) for every input file, in order (module docstring); raises
    `BatchInputError` for a path that does not exist or when there is no file at all, and
    `BatchUsageError` when a named input is the output."""
    found: list[tuple[str, Path]] = []
    for path in paths:
        if path.is_dir():
            below = (p for p in path.rglob("*") if p.is_file() and not _hidden(p, path))
            found += [
                (str(path / p.relative_to(path)), p)
                for p in sorted(below, key=lambda p: p.relative_to(path).parts)
                if not _same_file(p, output)
            ]
        elif path.is_file():
            if _same_file(path, output):
                raise BatchUsageError(f"{output}: the output would overwrite the input")
            found.append((str(path), path))
        else:
            raise BatchInputError(f"{path}: no such file or directory")
    if not found:
        shown = ", ".join(str(path) for path in paths)
        raise BatchInputError(f"{shown}: no files to screen")
    return found


def _hidden(path: Path, top: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(top).parts)


def _same_file(path: Path, other: Path | None) -> bool:
    return other is not None and other.exists() and path.samefile(other)


class PaymentRow(NamedTuple):
    """One transaction of the input, numbered over the whole run (from 1)."""

    number: int
    file: str  # its file's label
    item: MessageTransaction


class PaymentInput:
    """The input files as one row source: their transactions in order, bytes read so far."""

    # No echoed input columns and the writers' default delimiter (`EchoedInput`).
    header: Sequence[str] = ()
    keys: Sequence[str] = ()
    delimiter = ","
    blank = 0  # a payment file has no blank rows to skip

    def __init__(self, files: list[tuple[str, Path]]) -> None:
        self.files = files
        self.sizes = [_size(path) for _, path in files]
        self.total_bytes = sum(self.sizes)
        self.bytes_read = 0

    def rows(self) -> Iterator[PaymentRow]:
        # Numbered here, where rows are read in order, not where they are screened: a worker
        # process sees only its chunks, and a resumed run skips the rows committed before.
        number = 0
        for (label, path), size in zip(self.files, self.sizes, strict=True):
            for item in read_payments(path, label):
                number += 1
                yield PaymentRow(number, label, item)
            self.bytes_read += size


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # read_payments turns the unreadable file into an error record


def run_payments_batch(
    input_paths: Sequence[Path],
    output_path: Path,
    screener: Callable[[], PartyScreener],
    profile: InstitutionProfile,
    thresholds: Thresholds | None = None,
    on_progress: ProgressCallback | None = None,
    lists: list[str] | None = None,
    scale: Scale | None = None,
) -> BatchSummary:
    """Screen every transaction of the payment files and directories; one record each, in order.

    `screener` is called once the inputs are known to exist. `scale` says how many processes
    screen and whether the run can be resumed (`screening.batch.runner.Scale`); by default one
    process, not resumable. The output appears (atomically) only when every record is
    written. Raises `BatchUsageError`, `BatchInputError` (no input file), `BatchOutputError`
    or `ResumeError` (the checkpoint does not fit: an input file or an option changed);
    screener and database errors propagate, leaving no output (a resumable run keeps what it
    committed).
    """
    started = time.perf_counter()
    scale = scale or Scale()
    if not input_paths:
        raise BatchUsageError("no input: name payment files or directories")
    fmt = output_format(input_paths[0], output_path)
    source = PaymentInput(payment_files(input_paths, output_path))
    count = len(source.files)
    summary = BatchSummary(
        input_paths[0],
        output_path,
        fmt,
        PAYMENT_DECISIONS,
        unit="transactions",
        label=f"profile {profile.name}",
        show_rate=False,
        notes=[f"read {count:,} file{'' if count == 1 else 's'}"],
    )

    def row_screener() -> Callable[[PaymentRow], PaymentRecord]:
        active = screener()

        def screen(row: PaymentRow) -> PaymentRecord:
            result = screen_message(row.item, row.file, active, profile, thresholds, lists)
            return PaymentRecord(row.number, result)

        return screen

    identity = {
        # The paths as given: the records' `file` labels are made from them.
        "paths": [str(path) for path in input_paths],
        "profile": profile.model_dump(mode="json"),
        "thresholds": thresholds.model_dump() if thresholds else None,
        "lists": lists,
    }
    sink, checkpoint = file_output(
        output_path,
        fmt,
        source,
        OUTPUT_COLUMNS,
        scale,
        [path for _, path in source.files],
        identity,
    )
    return run(
        source,
        row_screener,
        sink,
        summary,
        on_progress,
        started=started,
        scale=scale,
        checkpoint=checkpoint,
    )


__all__ = [
    "OUTPUT_COLUMNS",
    "PAYMENT_DECISIONS",
    "PaymentInput",
    "PaymentRecord",
    "PaymentResult",
    "PaymentRow",
    "payment_files",
    "run_payments_batch",
    "screen_message",
    "screen_payment",
]
