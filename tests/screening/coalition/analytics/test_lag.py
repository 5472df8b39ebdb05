"""Designation lags from known dates (see builders for the hand-built coalition)."""

from __future__ import annotations

import statistics

import pytest

from screening.coalition.analytics.lag import lag
from screening.coalition.analytics.model import CoalitionData, DateBasis
from tests.screening.coalition.analytics.builders import RUSSIA, cluster, coalition, listing


def test_every_ordered_pair_is_reported() -> None:
    result = lag(coalition(), RUSSIA)
    assert result.members == ["US", "UK", "EU", "CA"]
    assert len(result.pairs) == 12


def test_us_to_uk_lags_and_the_undated_pair() -> None:
    pair = {(p.leader, p.follower): p for p in lag(coalition(), RUSSIA).pairs}[("US", "UK")]
    # Shared: C1 (14 days), C2 (same day), C5 (the US date has an unknown basis: left out).
    assert (pair.both, pair.undated, pair.followed) == (3, 1, 2)
    assert pair.median_days == 7.0
    assert pair.coordinated == 1
    assert (pair.within_30, pair.within_90, pair.within_180) == (1.0, 1.0, 1.0)
    # C2's UK date is first-seen, the other three dates are official.
    assert pair.date_basis == "mixed"
    assert pair.dates_by_basis == {"first_seen": 1, "official": 3}


def test_same_day_follows_both_ways_and_later_never_does() -> None:
    pairs = {(p.leader, p.follower): p for p in lag(coalition(), RUSSIA).pairs}
    uk_us = pairs[("UK", "US")]
    assert (uk_us.followed, uk_us.median_days, uk_us.coordinated) == (1, 0.0, 1)
    us_ca, ca_us = pairs[("US", "CA")], pairs[("CA", "US")]
    assert (us_ca.followed, ca_us.followed) == (1, 1)
    assert us_ca.date_basis == "official"
    uk_ca = pairs[("UK", "CA")]  # UK listed C1 14 days after Canada
    assert (uk_ca.followed, uk_ca.median_days, uk_ca.within_30) == (0, None, None)
    assert uk_ca.date_basis == "none"
    assert pairs[("CA", "UK")].median_days == 14.0


def test_windows_count_lags_up_to_their_bound() -> None:
    uk_eu = {(p.leader, p.follower): p for p in lag(coalition(), RUSSIA).pairs}[("UK", "EU")]
    assert uk_eu.median_days == 60.0  # 2022-05-01 -> 2022-06-30
    assert (uk_eu.within_30, uk_eu.within_90, uk_eu.within_180) == (0.0, 1.0, 1.0)
    assert uk_eu.coordinated == 0


def test_excluded_pairs_are_counted() -> None:
    assert lag(coalition(), RUSSIA).excluded_for_dates == 2  # C5, in US->UK and UK->US


def test_percentiles_agree_with_statistics_quantiles() -> None:
    lags = [0, 1, 3, 10, 45, 45, 100, 200, 365, 700]
    start = listing("US", "X", "2020-01-01").listed_on
    assert start is not None
    clusters = []
    for index, days in enumerate(lags):
        follow = start.toordinal() + days
        clusters.append(
            cluster(
                listing("US", f"P{index}", start.isoformat()),
                listing("UK", f"P{index}", type(start).fromordinal(follow).isoformat()),
            )
        )
    data = CoalitionData(clusters=clusters, members=["US", "UK"])
    pair = {(p.leader, p.follower): p for p in lag(data, RUSSIA).pairs}[("US", "UK")]
    assert pair.followed == 10
    assert pair.median_days == statistics.median(lags) == 45.0
    quartiles = statistics.quantiles(lags, n=4, method="inclusive")
    deciles = statistics.quantiles(lags, n=10, method="inclusive")
    assert pair.p75_days == pytest.approx(quartiles[2])
    assert pair.p90_days == pytest.approx(deciles[8])
    assert pair.p90_days == pytest.approx(365 + 0.1 * (700 - 365))  # worked by hand
    assert pair.coordinated == 2
    assert pair.within_30 == pytest.approx(4 / 10)
    assert pair.within_90 == pytest.approx(6 / 10)
    assert pair.within_180 == pytest.approx(7 / 10)
    # The reverse direction: only the same-day designation follows.
    back = {(p.leader, p.follower): p for p in lag(data, RUSSIA).pairs}[("UK", "US")]
    assert (back.followed, back.p75_days, back.p90_days) == (1, 0.0, 0.0)


def test_the_earliest_dated_listing_of_a_member_is_its_date() -> None:
    # Two US datasets list the party; the undated one does not hide the dated one.
    data = CoalitionData(
        clusters=[
            cluster(
                listing("US", "A", None, DateBasis.UNKNOWN),
                listing("US", "B", "2022-03-01").model_copy(update={"dataset": "ofac_nonsdn"}),
                listing("UK", "A", "2022-03-11"),
            )
        ],
        members=["US", "UK"],
    )
    pair = {(p.leader, p.follower): p for p in lag(data, RUSSIA).pairs}[("US", "UK")]
    assert (pair.followed, pair.median_days, pair.undated) == (1, 10.0, 0)
