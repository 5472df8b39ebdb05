"""The batch readers, fuzzed: a damaged party or transaction file is read row by row or refused.

Party file: the start of the real US Consolidated Screening List CSV (a ``name`` column and
many others, quoted cells with commas). Transaction files: the same 30 transactions, between
real listed names with real CHPL HS codes, as CSV, JSON Lines and a JSON array
(`tests.fuzz.seeds`). Each is damaged by the text mutations of `tests.fuzz.mutations`:
truncation at a random offset, flipped bytes, inserted NULs, re-encoding (UTF-16 with and
without byte order mark, cp1252, latin-1), duplicated and removed lines.

`screening.batch.names.run_batch` (with the fake screener of the batch tests) must write one
record per row, each decided or an ``error`` with a one-line reason, or raise
`BatchInputError` naming the file and leave no output; `read_transactions` must yield rows that
are each a transaction or a one-line problem, or raise `BatchInputError` naming the file
(`tests.fuzz.checks`). Never another exception, never a hang.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.fuzz.checks import read_tx, run_party_batch
from tests.fuzz.seeds import Seed
from tests.fuzz.test_lists import TEXT_EXAMPLES, fuzz

# A hang is a failure too: no example may take a test past a minute.
pytestmark = pytest.mark.timeout(60)

TX_READERS = ("tx-csv", "tx-jsonl", "tx-json")


def test_mutated_party_file_is_screened_or_refused(
    seed_of: Callable[[str], Seed], tmp_path_factory: pytest.TempPathFactory
) -> None:
    fuzz(seed_of("batch-csv"), tmp_path_factory.mktemp("batch"), TEXT_EXAMPLES, run_party_batch)


@pytest.mark.parametrize("reader", TX_READERS)
def test_mutated_transactions_are_read_or_refused(
    reader: str, seed_of: Callable[[str], Seed], tmp_path_factory: pytest.TempPathFactory
) -> None:
    fuzz(seed_of(reader), tmp_path_factory.mktemp(reader), TEXT_EXAMPLES, read_tx)
