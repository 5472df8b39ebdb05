"""The one batch runner: order, one record per row, counts, progress, speed, memory."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from lists.model import Source
from screening.batch.names import run_batch
from screening.batch.runner import MAX_ERRORS_KEPT, BatchSummary, run
from screening.matching.results import ListVersionRef, Query, ScreeningResult, Thresholds
from tests.screening.batch.support import ClearScreener, write_rows

OFAC_7 = [
    ListVersionRef(
        source=Source.OFAC, dataset="ofac_sdn", version_id=7, published_on=dt.date(2024, 5, 3)
    )
]


@dataclass
class FakeRecord:
    row: int
    decision: str
    error: str | None = None
    list_versions: list[ListVersionRef] = field(default_factory=list)


@dataclass
class FakeSource:
    """Rows are their decision words; blank rows are counted, not yielded (as `CsvInput`)."""

    words: list[str]
    blank: int = 0
    total_bytes: int = 1000
    bytes_read: int = 0

    def rows(self) -> Iterator[tuple[int, str]]:
        for number, word in enumerate(self.words, 1):
            self.bytes_read = number
            yield number, word


def screen_word(row: tuple[int, str]) -> FakeRecord:
    number, word = row
    if word == "bad":
        return FakeRecord(number, "error", error=f"row {number} is bad")
    return FakeRecord(number, word, list_versions=OFAC_7 if number > 1 else [])


@contextmanager
def list_sink(
    written: list[FakeRecord], events: list[str]
) -> Iterator[Callable[[FakeRecord], None]]:
    events.append("sink opened")
    yield written.append
    events.append("sink closed")


def summary_of(vocabulary: tuple[str, ...], unit: str = "rows") -> BatchSummary:
    return BatchSummary(Path("in.csv"), Path("out.jsonl"), "jsonl", vocabulary, unit=unit)


def run_words(
    words: list[str], vocabulary: tuple[str, ...], unit: str = "rows"
) -> tuple[list[FakeRecord], BatchSummary, list[str]]:
    written: list[FakeRecord] = []
    events: list[str] = []

    def factory() -> Callable[[tuple[int, str]], FakeRecord]:
        events.append("factory called")
        return screen_word

    summary = summary_of(vocabulary, unit)
    run(FakeSource(words, blank=2), factory, list_sink(written, events), summary)
    return written, summary, events


def test_one_record_per_row_in_input_order_error_rows_included() -> None:
    words = ["clear", "bad", "match", "review", "bad", "clear"]
    written, summary, _ = run_words(words, ("match", "review", "clear"))
    assert [(r.row, r.decision) for r in written] == [
        (1, "clear"),
        (2, "error"),
        (3, "match"),
        (4, "review"),
        (5, "error"),
        (6, "clear"),
    ]
    assert summary.rows == len(words) and summary.blank == 2


def test_the_row_screener_factory_is_called_once_before_the_sink_opens() -> None:
    _, _, events = run_words(["clear"] * 50, ("match", "review", "clear"))
    assert events == ["factory called", "sink opened", "sink closed"]


def test_a_factory_that_fails_never_opens_the_sink() -> None:
    events: list[str] = []

    def factory() -> Callable[[tuple[int, str]], FakeRecord]:
        raise RuntimeError("no lists are loaded")

    with pytest.raises(RuntimeError, match="no lists are loaded"):
        run(FakeSource(["clear"]), factory, list_sink([], events), summary_of(("clear",)))
    assert events == []


@pytest.mark.parametrize(
    ("vocabulary", "unit", "words", "first_line"),
    [
        (
            ("match", "review", "clear"),
            "rows",
            ["match", "clear", "bad", "review", "clear"],
            "5 rows: match 1, review 1, clear 2, error 1 (2 blank lines skipped)",
        ),
        (
            ("block", "review", "clear"),
            "transactions",
            ["block", "block", "clear", "bad"],
            "4 transactions: block 2, review 0, clear 1, error 1 (2 blank lines skipped)",
        ),
    ],
)
def test_summary_counts_whatever_decisions_the_row_screener_makes(
    vocabulary: tuple[str, ...], unit: str, words: list[str], first_line: str
) -> None:
    _, summary, _ = run_words(words, vocabulary, unit)
    expected = {word: words.count(word) for word in vocabulary}
    assert summary.counts == {**expected, "error": words.count("bad")}
    assert summary.error == words.count("bad")
    lines = summary.report_lines()
    assert lines[0] == first_line
    bad = words.index("bad") + 1
    assert summary.errors == [(bad, f"row {bad} is bad")]
    # The lists come from the first record that names them (row 1 names none here).
    assert summary.list_versions == OFAC_7
    assert lines[1].startswith("elapsed ")
    assert lines[2:] == [
        "lists: ofac_sdn version 7 (2024-05-03)",
        f"error in row {bad}: row {bad} is bad",
        "wrote out.jsonl (jsonl)",
    ]


def test_the_first_errors_are_kept_and_the_rest_counted() -> None:
    words = ["bad"] * (MAX_ERRORS_KEPT + 5)
    _, summary, _ = run_words(words, ("clear",))
    assert summary.errors == [(n, f"row {n} is bad") for n in range(1, MAX_ERRORS_KEPT + 1)]
    assert summary.error == len(words)
    assert summary.report_lines(errors_shown=3)[2:] == [
        "error in row 1: row 1 is bad",
        "error in row 2: row 2 is bad",
        "error in row 3: row 3 is bad",
        f"… {len(words) - 3} more rows with decision error",
        "wrote out.jsonl (jsonl)",
    ]


def test_progress_ends_at_the_total_with_every_row() -> None:
    calls: list[tuple[int, int, int]] = []
    summary = summary_of(("clear",))
    sink = list_sink([], [])
    run(FakeSource(["clear"] * 10), lambda: screen_word, sink, summary, lambda *a: calls.append(a))
    assert calls[0] == (1, 1000, 1)  # the first row is reported at once
    assert calls[-1] == (1000, 1000, 10)


def test_progress_reports_bytes_and_rows_up_to_the_total(tmp_path: Path) -> None:
    source = write_rows(tmp_path / "in.csv", [["name"]] + [[f"party {i}"] for i in range(5000)])
    calls: list[tuple[int, int, int]] = []
    run_batch(
        source, tmp_path / "out.jsonl", ClearScreener(), on_progress=lambda *a: calls.append(a)
    )
    size = source.stat().st_size
    assert calls[-1] == (size, size, 5000)
    # The first row reports at once and the end reports the total, so there are always two or
    # more calls (measured: 3 here; between them, one every 0.1 s of wall time).
    assert len(calls) >= 2 and calls[0][2] == 1
    assert all(a[0] <= b[0] and a[2] <= b[2] for a, b in itertools.pairwise(calls))


BIG_ROWS = 100_000


@pytest.fixture(scope="module")
def big_input(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("big") / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["customer_name", "type", "country", "dob", "account"])
        for i in range(BIG_ROWS):
            writer.writerow([f"Customer {i} Müller", "person", "DE", "1970-01-01", f"A{i:08d}"])
    yield path


class CountingScreener(ClearScreener):
    """`ClearScreener` that counts its calls: the batch's work per row, without a clock."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def screen_query(self, query: Query, thresholds: Thresholds | None = None) -> ScreeningResult:
        self.calls += 1
        return super().screen_query(query, thresholds)


def test_one_screener_call_and_one_record_per_row_of_a_big_input(
    big_input: Path, tmp_path: Path
) -> None:
    # The speed of the batch overhead (rows/s against a plain csv-to-jsonl baseline) is
    # measured by bench/batch_overhead.py; a wall-clock bound here would flake on a busy host.
    screener = CountingScreener()
    out = tmp_path / "out.jsonl"
    summary = run_batch(big_input, out, screener)
    assert summary.rows == summary.counts["clear"] == BIG_ROWS
    assert screener.calls == BIG_ROWS  # no row screened twice, none skipped
    with out.open(encoding="utf-8") as handle:
        assert sum(1 for _ in handle) == BIG_ROWS
    assert summary.rows_per_second > 0


def test_memory_stays_flat_on_a_100k_row_input(big_input: Path, tmp_path: Path) -> None:
    # CSV output: the writer that holds state (header, keys); JSONL is measured for speed above.
    out = tmp_path / "out.csv"
    tracemalloc.start()
    try:
        summary = run_batch(big_input, out, ClearScreener())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert summary.rows == BIG_ROWS
    assert peak < 20 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"
    with out.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header, first = next(reader), next(reader)
        count = 1 + sum(1 for _ in reader)
    assert count == BIG_ROWS
    assert header[0] == "customer_name" and first[0] == "Customer 0 Müller"
