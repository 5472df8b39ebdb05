"""The name linker against 100 hand-checked links (fixtures/name_links_checked.csv).

The 100 ``sample`` rows are name links the clustering merged on the tests' store, drawn with
seed 13 by ``bench/clusters.py --sample`` and judged one by one by reading both entries
(names, aliases, birth years, countries, identifiers, programs, and where needed the
statement of reasons): 100 right, 0 wrong, so the measured precision on the sample is 1.0.
The ``probe`` rows are pairs known to be different parties (Australia's Sberbank subsidiary,
namesake ships with different IMO numbers) that any rule must keep apart.
"""

from __future__ import annotations

import csv
from pathlib import Path

from tests.screening.coalition.analytics.conftest import Loaded

FIXTURE = Path(__file__).parent / "fixtures" / "name_links_checked.csv"
SAMPLE_PRECISION = 1.0
# Right links the rules may lose before the test calls it a regression in recall.
SAMPLE_RECALL = 0.95


def _rows() -> list[dict[str, str]]:
    with FIXTURE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _together(coalition: Loaded, a: str, b: str) -> bool:
    one, other = coalition.data.cluster_of(a), coalition.data.cluster_of(b)
    assert one is not None and other is not None, (a, b)
    return one.id == other.id


def test_the_fixture_holds_the_100_sample_links_with_a_verdict_and_a_reason() -> None:
    rows = _rows()
    assert sum(row["origin"] == "sample" for row in rows) == 100
    assert {row["verdict"] for row in rows} <= {"right", "wrong"}
    assert all(row["reason"].strip() for row in rows)


def test_precision_on_the_hand_checked_sample(coalition: Loaded) -> None:
    sample = [row for row in _rows() if row["origin"] == "sample"]
    merged = [row for row in sample if _together(coalition, row["a"], row["b"])]
    right = [row for row in merged if row["verdict"] == "right"]
    assert merged, "none of the sampled links is merged any more"
    assert len(right) / len(merged) >= SAMPLE_PRECISION
    judged_right = [row for row in sample if row["verdict"] == "right"]
    assert len(right) / len(judged_right) >= SAMPLE_RECALL


def test_every_pair_judged_wrong_is_not_merged(coalition: Loaded) -> None:
    wrong = [row for row in _rows() if row["verdict"] == "wrong"]
    assert len(wrong) == 6
    for row in wrong:
        assert not _together(coalition, row["a"], row["b"]), row["reason"]
