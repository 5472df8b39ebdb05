"""The one batch loop: input rows → a row screener → a sink, in order, with progress.

Every batch runs through `run`: names (`screening.batch.names`), transactions
(`screening.batch.transactions`) and recorded runs (`screening.workflow.rescreen`). Each
brings what differs: a `RowSource`, a row-screener factory (called once, when the input is
known to be readable, so that a bad file fails before a slow index load) and a sink (a
context manager giving the function that takes each record: a file, a database run). The
runner guarantees one record per input row, written in input order, error rows included, and
counts them in one `BatchSummary` whatever decision words the row screener uses (match,
review, clear for names; block, review, clear for transactions; ``error`` for a row that
could not be read or screened).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Protocol, TypeVar

from screening.matching.results import ListVersionRef

ERROR: Final = "error"  # the decision of a row that could not be read or screened
MAX_ERRORS_KEPT = 20
PROGRESS_EVERY_SECONDS = 0.1

# Called with (bytes read, total bytes, rows written) at most ten times a second and at the end.
ProgressCallback = Callable[[int, int, int], None]


class Outcome(Protocol):
    """What the runner reads of each record to count it."""

    @property
    def row(self) -> int: ...

    @property
    def decision(self) -> str: ...

    @property
    def error(self) -> str | None: ...

    @property
    def list_versions(self) -> Sequence[ListVersionRef]: ...


Row_co = TypeVar("Row_co", covariant=True)
Row = TypeVar("Row")
Record = TypeVar("Record", bound=Outcome)


class RowSource(Protocol[Row_co]):
    """An open input: its data rows in order (blank rows skipped and counted) and its size."""

    @property
    def total_bytes(self) -> int: ...

    @property
    def bytes_read(self) -> int: ...

    @property
    def blank(self) -> int: ...

    def rows(self) -> Iterator[Row_co]: ...


@dataclass(slots=True)
class BatchSummary:
    """What a run did: rows, counts per decision, the first errors, lists used and speed.

    The first summary line reads ``{rows} {unit}: {decision} {count}, ..., error {count}``
    with the decisions in `vocabulary` order, then ``({blank} blank lines skipped)`` when the
    input had blank lines (they are counted, never screened, and get no record); `label` and
    `notes` describe the run (profile, how the input was read).
    """

    input_path: Path
    output_path: Path
    output_format: str
    vocabulary: tuple[str, ...]  # the row screener's decisions, in display order, not error
    unit: str = "rows"
    label: str | None = None  # before the timing on the second line, e.g. "profile uk_bank"
    show_rate: bool = True  # rows per second on the second line
    notes: list[str] = field(default_factory=list)  # lines after the timing
    encoding: str = "utf-8"
    delimiter: str = ","
    rows: int = 0
    blank: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # per decision, error included
    elapsed: float = 0.0  # the whole run: opening the input, screener start-up, rows
    screening_seconds: float = 0.0  # from the first row to the last
    list_versions: list[ListVersionRef] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # the first few, for the log

    def __post_init__(self) -> None:
        for decision in (*self.vocabulary, ERROR):
            self.counts.setdefault(decision, 0)

    @property
    def error(self) -> int:
        """Rows with decision ``error``."""
        return self.counts[ERROR]

    @property
    def rows_per_second(self) -> float:
        """Rows per second of screening time (start-up excluded)."""
        return self.rows / self.screening_seconds if self.screening_seconds > 0 else 0.0

    def count(self, record: Outcome) -> None:
        self.rows += 1
        decision = record.decision
        self.counts[decision] = self.counts.get(decision, 0) + 1
        if decision == ERROR and len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append((record.row, record.error or ""))
        if not self.list_versions and record.list_versions:
            self.list_versions = list(record.list_versions)

    def report_lines(self, errors_shown: int = 5) -> list[str]:
        """The closing summary for a person: counts, time, notes, lists, first errors, output."""
        counted = ", ".join(
            f"{decision} {self.counts.get(decision, 0):,}" for decision in (*self.vocabulary, ERROR)
        )
        timing = f"elapsed {self.elapsed:.1f} s"
        if self.show_rate:
            timing += f", {self.rows_per_second:,.0f} rows/s"
        lines = [
            f"{self.rows:,} {self.unit}: {counted}" + blank_lines_note(self.blank),
            f"{self.label}; {timing}" if self.label else timing,
            *self.notes,
        ]
        if self.list_versions:
            lines.append(
                "lists: "
                + ", ".join(
                    f"{v.dataset} version {v.version_id} ({v.published_on})"
                    for v in self.list_versions
                )
            )
        lines += [f"error in row {row}: {reason}" for row, reason in self.errors[:errors_shown]]
        if self.error > errors_shown:
            lines.append(f"… {self.error - errors_shown:,} more rows with decision error")
        lines.append(f"wrote {self.output_path} ({self.output_format})")
        return lines


def blank_lines_note(blank: int) -> str:
    """`` (3 blank lines skipped)`` after a count of rows, or nothing when there were none."""
    if not blank:
        return ""
    return f" ({blank:,} blank line{'' if blank == 1 else 's'} skipped)"


def run(
    source: RowSource[Row],
    row_screener: Callable[[], Callable[[Row], Record]],
    sink: AbstractContextManager[Callable[[Record], object]],
    summary: BatchSummary,
    on_progress: ProgressCallback | None = None,
    *,
    started: float | None = None,
) -> BatchSummary:
    """Screen every row of `source` and hand each record to the sink, in order.

    `row_screener` is called once, before the sink is entered; a row screener turns a row that
    cannot be screened into an ``error`` record and raises only for what is not the row's
    (database errors), which ends the run: the sink's block then fails, so a file sink leaves
    no output. `started` (a `time.perf_counter` value) is when the run began, for
    `BatchSummary.elapsed`; by default now.
    """
    started = time.perf_counter() if started is None else started
    screen = row_screener()
    count = summary.count
    with sink as write:
        began = time.perf_counter()
        next_report = 0.0
        for row in source.rows():
            record = screen(row)
            write(record)
            count(record)
            if on_progress is not None and (now := time.monotonic()) >= next_report:
                next_report = now + PROGRESS_EVERY_SECONDS
                on_progress(source.bytes_read, source.total_bytes, summary.rows)
        summary.screening_seconds = time.perf_counter() - began
        summary.blank = source.blank
        if on_progress is not None:
            on_progress(source.total_bytes, source.total_bytes, summary.rows)
    summary.elapsed = time.perf_counter() - started
    return summary
