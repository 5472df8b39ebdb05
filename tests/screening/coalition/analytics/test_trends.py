"""Designations and delistings per member and month (see builders for the dates)."""

from __future__ import annotations

from screening.coalition.analytics.trends import trends
from tests.screening.coalition.analytics.builders import RUSSIA, coalition


def test_months_by_member_with_date_basis_and_delistings() -> None:
    result = trends(coalition(), RUSSIA)
    rows = [
        (m.month, m.member, m.designations, m.official, m.first_seen, m.delistings)
        for m in result.months
    ]
    assert rows == [
        ("2022-02", "US", 1, 1, 0, 0),
        ("2022-02", "CA", 1, 1, 0, 0),
        ("2022-03", "UK", 2, 2, 0, 0),
        ("2022-04", "US", 1, 1, 0, 0),
        ("2022-04", "UK", 1, 0, 1, 0),
        ("2022-05", "UK", 1, 1, 0, 0),
        ("2022-06", "EU", 1, 1, 0, 0),
        ("2022-10", "UK", 1, 1, 0, 0),
        ("2023-01", "US", 1, 1, 0, 0),
        ("2024-01", "UK", 0, 0, 0, 1),
    ]


def test_totals_count_undated_listings_instead_of_dropping_them() -> None:
    totals = {t.member: t for t in trends(coalition(), RUSSIA).totals}
    us = totals["US"]
    # C5's US date has an unknown basis: undated, yet counted among the listings.
    assert (us.listings, us.designations, us.undated, us.delistings) == (4, 3, 1, 0)
    uk = totals["UK"]
    assert (uk.listings, uk.designations, uk.undated, uk.delistings) == (5, 5, 0, 1)
    assert sum(m.designations for m in trends(coalition(), RUSSIA).months) == sum(
        t.designations for t in totals.values()
    )
