"""Scopes on the real lists: the russia scope's entries per member, counted independently.

Expected counts were measured on the files with a short script, not with the adapters:
- OFSI ConList.xlsx (openpyxl): distinct Group ID per Regime: Russia 2,181, Belarus 167,
  Iran 237, Iran (Nuclear) 190, and 426 groups under either Iran regime (group 10638 is under
  both);
- Canada sema-lmes.xml (lxml): `record` elements by stripped `Country`: Russia / Russie 2,737,
  Ukraine 553, Belarus / Bélarus 320, Iran 460 (one regime per record);
- OFAC consolidated.xml 2026-01-08 (lxml): sdnEntry with a programList/program among the russia
  scope's OFAC programs: 293 of 442;
- DFAT regulation8_consolidated.xlsx (openpyxl): distinct Reference of the primary-name rows
  with Committees "Autonomous (Russia)" (647) or "Autonomous (Ukraine)" (841): 1,488.
"""

from __future__ import annotations

from collections import Counter

import pytest

from lists.model import Schema, Source
from screening.coalition.analytics.model import Listing
from screening.coalition.analytics.scopes import UnknownScopeError, scope, scope_names
from tests.screening.coalition.analytics.conftest import Loaded


def _in_scope(coalition: Loaded, name: str) -> Counter[str]:
    chosen = scope(name)
    return Counter(
        listing.dataset
        for cluster in coalition.data.clusters
        for listing in cluster.listings
        if listing.delisted_on is None and chosen.contains(listing)
    )


def test_russia_scope_counts_per_member(coalition: Loaded) -> None:
    counts = _in_scope(coalition, "russia")
    assert counts["uk_ofsi"] == 2181
    assert counts["ca_sema"] == 2737 + 553
    assert counts["ofac_consolidated"] == 293
    assert counts["au_dfat"] == 1488
    assert counts["un_sc"] == 0  # the UN has no Russia regime


def test_belarus_and_iran_scopes(coalition: Loaded) -> None:
    belarus, iran = _in_scope(coalition, "belarus"), _in_scope(coalition, "iran")
    assert (belarus["uk_ofsi"], belarus["ca_sema"]) == (167, 320)
    assert (iran["uk_ofsi"], iran["ca_sema"]) == (426, 460)


def _listing(member: str, programs: list[str]) -> Listing:
    return Listing(
        source=Source.JP,
        member=member,
        dataset="jp_mof",
        entry_id="1",
        name="X",
        schema=Schema.ORGANIZATION,
        programs=programs,
    )


def test_prefix_rows_absorb_mofs_mixed_brackets_and_programs_match_their_member_only() -> None:
    russia = scope("russia")
    assert russia.contains(_listing("JP", ["ロシア連邦(特定銀行）"]))
    assert russia.contains(_listing("JP", ["ロシア連邦(団体(特定銀行を除く))"]))
    assert not russia.contains(_listing("JP", ["ベラルーシ(個人)"]))
    # "Russia" is the UK's regime name, not Japan's.
    assert not russia.contains(_listing("JP", ["Russia"]))
    assert russia.contains(_listing("UK", ["Syria", "Russia"]))


def test_every_row_has_a_source_and_the_table_has_the_three_scopes() -> None:
    assert scope_names() == ["russia", "belarus", "iran"]
    for name in scope_names():
        assert all(row.source.startswith("https://") for row in scope(name).programs)
    assert scope("Russia").members == ["US", "UK", "EU", "CA", "AU", "JP"]
    with pytest.raises(UnknownScopeError, match="russia, belarus, iran"):
        scope("syria")
