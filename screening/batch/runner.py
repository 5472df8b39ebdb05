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

Engines partition this loop, they do not copy it (`screening.batch.workers`): with
``workers`` above 1, forked worker processes screen the rows in chunks and the loop writes
their records in input order, so the output is the same bytes as in one process. With a
`Checkpointing` sink the run can be resumed (`screening.batch.checkpoint`): the rows a killed
run committed are read again but not screened, and the summary goes on from its counts.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Final, Protocol, TypeVar

from screening.batch.errors import BatchInputError
from screening.batch.workers import CHUNK_ROWS, engine
from screening.matching.results import ListVersionRef

ERROR: Final = "error"  # the decision of a row that could not be read or screened
MAX_ERRORS_KEPT = 20
PROGRESS_EVERY_SECONDS = 0.1
# How often a resumable run makes what it wrote durable: each commit costs fsyncs, and a
# killed run loses at most this much screening.
COMMIT_EVERY_SECONDS = 1.0

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


@dataclass(frozen=True, slots=True)
class Scale:
    """How a batch runs: in how many processes, and whether a killed run can be resumed.

    `workers` 1 screens in this process; more fork worker processes (`screening.batch.workers`),
    with the same output. `resume` writes a checkpoint as the run goes and continues the
    previous run of the same input, options and output from its checkpoint, if there is one
    (`screening.batch.checkpoint`).
    """

    workers: int = 1
    resume: bool = False
    chunk_rows: int = CHUNK_ROWS  # rows per worker task

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ValueError(f"workers must be 1 or more, not {self.workers}")
        if self.chunk_rows < 1:
            raise ValueError(f"chunk_rows must be 1 or more, not {self.chunk_rows}")


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
    resumed_rows: int = 0  # rows an interrupted earlier run had committed, not screened again

    def __post_init__(self) -> None:
        for decision in (*self.vocabulary, ERROR):
            self.counts.setdefault(decision, 0)

    @property
    def error(self) -> int:
        """Rows with decision ``error``."""
        return self.counts[ERROR]

    @property
    def rows_per_second(self) -> float:
        """Rows per second of this run's screening time (start-up and resumed rows excluded)."""
        screened = self.rows - self.resumed_rows
        return screened / self.screening_seconds if self.screening_seconds > 0 else 0.0

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


class Checkpointing(Protocol):
    """A sink that can make what it wrote durable, and knows what an earlier run committed."""

    @property
    def committed_rows(self) -> int:
        """Rows (records) an interrupted earlier run wrote for good; 0 for a fresh run."""
        ...

    def restore(self, summary: BatchSummary) -> None:
        """Put the earlier run's counts, errors and lists into `summary`."""
        ...

    def commit(self, summary: BatchSummary) -> None:
        """Make every record written so far durable, with `summary` as it stands."""
        ...


def run(
    source: RowSource[Row],
    row_screener: Callable[[], Callable[[Row], Record]],
    sink: AbstractContextManager[Callable[[Record], object]],
    summary: BatchSummary,
    on_progress: ProgressCallback | None = None,
    *,
    started: float | None = None,
    scale: Scale | None = None,
    checkpoint: Checkpointing | None = None,
) -> BatchSummary:
    """Screen every row of `source` and hand each record to the sink, in order.

    `row_screener` is called once, before the sink is entered (and before any worker process
    is forked, so workers share what it loaded); a row screener turns a row that cannot be
    screened into an ``error`` record and raises only for what is not the row's (database
    errors), which ends the run: the sink's block then fails, so a file sink leaves no output.
    `started` (a `time.perf_counter` value) is when the run began, for `BatchSummary.elapsed`;
    by default now. `scale` says how many processes screen (default: this one). `checkpoint`
    (usually the sink itself) is committed at most every `COMMIT_EVERY_SECONDS`; the rows it
    holds from an earlier run are read again, to find where to go on, but not screened.
    """
    started = time.perf_counter() if started is None else started
    scale = scale or Scale()
    screen = row_screener()
    count = summary.count
    with engine(screen, scale.workers, scale.chunk_rows) as screening, sink as write:
        began = time.perf_counter()
        rows = source.rows()
        if checkpoint is not None and checkpoint.committed_rows:
            _skip_committed(rows, checkpoint, summary)
        next_report = 0.0
        next_commit = time.monotonic() + COMMIT_EVERY_SECONDS
        for records in screening.records(rows):
            for record in records:
                write(record)
                count(record)
            if checkpoint is not None and (now := time.monotonic()) >= next_commit:
                next_commit = now + COMMIT_EVERY_SECONDS
                checkpoint.commit(summary)
            if on_progress is not None and (now := time.monotonic()) >= next_report:
                next_report = now + PROGRESS_EVERY_SECONDS
                on_progress(source.bytes_read, source.total_bytes, summary.rows)
        summary.screening_seconds = time.perf_counter() - began
        summary.blank = source.blank
        summary.notes += screening.notes()
        if on_progress is not None:
            on_progress(source.total_bytes, source.total_bytes, summary.rows)
    summary.elapsed = time.perf_counter() - started
    return summary


def _skip_committed(
    rows: Iterator[object], checkpoint: Checkpointing, summary: BatchSummary
) -> None:
    """Read past the rows an earlier run committed; their counts come from the checkpoint."""
    committed = checkpoint.committed_rows
    skipped = sum(1 for _ in islice(rows, committed))
    if skipped < committed:
        # The checkpoint matched the input's size, date and first bytes; a file that still
        # has fewer rows was changed in a way those do not show.
        raise BatchInputError(
            f"{summary.input_path}: has {skipped:,} rows, but the interrupted run had already "
            f"written {committed:,}: the input changed; start again without --resume"
        )
    checkpoint.restore(summary)
    summary.resumed_rows = committed
    summary.notes.append(f"resumed after row {committed:,} of an interrupted run")
