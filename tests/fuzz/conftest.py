"""Fixtures of the fuzz tests: each seed is built once per session from the real shared files.

Building a seed reads a real file (the Japanese MOF workbook alone takes seconds to open), so
seeds are session-scoped and cached by name; Hypothesis examples only write the mutated bytes.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.fuzz.seeds import Seed, build_seed


@pytest.fixture(scope="session")
def seed_of() -> Callable[[str], Seed]:
    """The seed of a reader by name (a list format name, batch-csv, tx-csv/-jsonl/-json)."""
    built: dict[str, Seed] = {}

    def get(name: str) -> Seed:
        if name not in built:
            built[name] = build_seed(name)
        return built[name]

    return get
