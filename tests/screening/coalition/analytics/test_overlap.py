"""The overlap partition and pairwise figures on the hand-built coalition (see builders)."""

from __future__ import annotations

import pytest

from screening.coalition.analytics.overlap import cell, overlap
from tests.screening.coalition.analytics.builders import RUSSIA, coalition


def test_partition_of_the_russia_scope_adds_up_to_its_clusters() -> None:
    result = overlap(coalition(), RUSSIA)
    assert result.scope == "russia"
    # UN lists C7 only under UN-DPRK, so it is not a Russia-scope member; C6 (Belarus) is out.
    assert result.members == ["US", "UK", "EU", "CA"]
    assert result.clusters == 6
    cells = {tuple(c.members): (c.count, c.by_schema) for c in result.partition}
    assert cells == {
        ("US", "UK"): (2, {"person": 1, "vessel": 1}),
        ("US", "UK", "CA"): (1, {"organization": 1}),
        ("US",): (1, {"organization": 1}),
        ("UK", "EU"): (1, {"organization": 1}),
        ("UK",): (1, {"organization": 1}),
    }
    assert result.partition[0].members == ["US", "UK"]  # the largest cell first
    assert sum(c.count for c in result.partition) == result.clusters


def test_without_a_scope_every_cluster_and_member_counts() -> None:
    result = overlap(coalition())
    assert result.scope == "all"
    assert result.clusters == 7
    cells = {tuple(c.members): c.count for c in result.partition}
    assert cells[("UK",)] == 1  # C6 (Belarus) takes the UK-only cell ...
    assert cells[("UK", "UN")] == 1  # ... and C7 is listed by UK and UN


def test_pairwise_jaccard_and_coverage() -> None:
    pairs = {(p.a, p.b): p for p in overlap(coalition(), RUSSIA).pairwise}
    assert len(pairs) == 6  # every unordered pair of the 4 members
    us_uk = pairs[("US", "UK")]
    # US {C1,C2,C3,C5}, UK {C1,C2,C4,C5,C7}: 3 shared of 6 in the union.
    assert (us_uk.a_count, us_uk.b_count, us_uk.both) == (4, 5, 3)
    assert us_uk.jaccard == pytest.approx(3 / 6)
    assert us_uk.coverage_a == pytest.approx(3 / 4)
    assert us_uk.coverage_b == pytest.approx(3 / 5)
    us_ca = pairs[("US", "CA")]
    assert (us_ca.jaccard, us_ca.coverage_a, us_ca.coverage_b) == (0.25, 0.25, 1.0)
    assert pairs[("US", "EU")].both == 0
    assert pairs[("US", "EU")].jaccard == 0.0


def test_cell_lists_the_clusters_behind_it() -> None:
    found = cell(coalition(), "uk, us", RUSSIA)
    assert found.members == ["US", "UK"]
    assert [c.id for c in found.clusters] == ["ofac_sdn:C2", "ofac_sdn:C5"]
    assert found.count == 2
    only_uk = cell(coalition(), ["UK"], RUSSIA)
    # C7's UN listing is out of scope, so the cluster comes back without it.
    assert [c.id for c in only_uk.clusters] == ["uk_ofsi:C7"]
    assert [listing.member for listing in only_uk.clusters[0].listings] == ["UK"]
    assert only_uk.clusters[0].links == []
    assert cell(coalition(), "us,eu", RUSSIA).count == 0


def test_a_party_listed_by_one_member_is_its_own_cell() -> None:
    found = cell(coalition(), "us", RUSSIA)
    assert [c.id for c in found.clusters] == ["ofac_sdn:C3"]


def test_notes_name_the_eu_excerpts_and_first_seen_dates() -> None:
    notes = " ".join(overlap(coalition(), RUSSIA).notes)
    assert "EU: 1 listings loaded" in notes
    assert "first_seen" in notes
