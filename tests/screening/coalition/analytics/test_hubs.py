"""Parties located in the hubs of jurisdictions.csv, per member and month (see builders)."""

from __future__ import annotations

import csv
from pathlib import Path

from screening.coalition.analytics.hubs import hub_jurisdictions, hubs
from tests.screening.coalition.analytics.builders import RUSSIA, coalition

JURISDICTIONS = Path(__file__).resolve().parents[4] / "screening" / "data" / "jurisdictions.csv"


def test_hubs_are_the_hub_roles_of_the_jurisdictions_file() -> None:
    with JURISDICTIONS.open(encoding="utf-8") as handle:
        expected = [
            row["iso2"]
            for row in csv.DictReader(handle)
            if {"transshipment_hub", "peripheral_pivot"} & set(row["roles"].split(";"))
        ]
    assert [row.code for row in hub_jurisdictions()] == expected
    assert {"AE", "TR", "HK", "CN", "KZ", "GE"} <= set(expected)
    assert "RU" not in expected


def test_hub_parties_per_member_country_and_month() -> None:
    result = hubs(coalition(), RUSSIA)
    # C3 (US, AE) and C4 (UK and EU, TR); C1 is in RU only, C6 (CN) is out of the scope.
    assert [p.cluster_id for p in result.parties] == ["eu_fsf:C4", "ofac_sdn:C3"]  # by id
    assert result.clusters == 2
    assert result.by_country == {"AE": 1, "TR": 1}
    assert result.parties[0].hub_countries == ["TR"]
    by_member = {m.member: (m.count, m.listed, m.by_country, m.undated) for m in result.by_member}
    assert by_member == {
        "US": (1, 4, {"AE": 1}, 0),
        "UK": (1, 5, {"TR": 1}, 0),
        "EU": (1, 1, {"TR": 1}, 0),
        "CA": (0, 1, {}, 0),
    }
    assert [(m.month, m.by_member) for m in result.by_month] == [
        ("2022-05", {"UK": 1}),
        ("2022-06", {"EU": 1}),
        ("2023-01", {"US": 1}),
    ]


def test_without_a_scope_the_belarus_party_in_china_counts() -> None:
    result = hubs(coalition())
    assert result.by_country == {"AE": 1, "TR": 1, "CN": 1}
