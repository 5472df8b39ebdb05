"""Parties listed by some members and not others, both ways (see builders)."""

from __future__ import annotations

import pytest

from screening.coalition.analytics.divergence import divergence
from screening.coalition.analytics.model import LinkMethod
from tests.screening.coalition.analytics.builders import RUSSIA, coalition


def test_default_compares_every_other_member_with_the_us_both_ways() -> None:
    result = divergence(coalition(), RUSSIA)
    listed_not_us, us_only = result.directions
    assert (listed_not_us.listed_by, listed_not_us.not_by) == (["UK", "EU", "CA"], ["US"])
    assert [p.cluster_id for p in listed_not_us.parties] == ["eu_fsf:C4", "uk_ofsi:C7"]
    assert listed_not_us.count == 2
    assert listed_not_us.by_schema == {"organization": 2}
    assert (us_only.listed_by, us_only.not_by) == (["US"], ["UK", "EU", "CA"])
    assert [p.cluster_id for p in us_only.parties] == ["ofac_sdn:C3"]


def test_listed_by_one_member_not_by_another() -> None:
    result = divergence(coalition(), RUSSIA, listed_by="eu", not_by="us")
    eu_not_us, us_not_eu = result.directions
    assert [p.cluster_id for p in eu_not_us.parties] == ["eu_fsf:C4"]
    # The US lists C1, C2, C3 and C5 in scope and the EU none of them.
    assert us_not_eu.count == 4


def test_parties_carry_identifiers_and_link_confidence() -> None:
    eu_not_us = divergence(coalition(), RUSSIA, listed_by=["EU"], not_by=["US"]).directions[0]
    party = eu_not_us.parties[0]
    assert party.members == ["UK", "EU"]
    assert sorted(item.identifiers[0] for item in party.listings) == ["test:EU-C4", "test:UK-C4"]
    assert party.confidence.links == 1
    assert party.confidence.lowest_score == 0.91
    assert party.confidence.lowest_method is LinkMethod.NAME
    assert party.model_dump(mode="json")["schema"] == "organization"


def test_single_listing_parties_have_no_links_but_show_uncertain_pairs() -> None:
    listed_not_us, us_only = divergence(coalition(), RUSSIA).directions
    c7 = listed_not_us.parties[1]
    assert c7.confidence.links == 0 and c7.confidence.lowest_score is None
    # The 0.70 name pair below the merge bar joins C3 (US) and C7 (UK): both sides show it.
    assert [(link.a, link.b) for link in c7.uncertain] == [("ofac_sdn:C3", "uk_ofsi:C7")]
    assert [(link.a, link.b) for link in us_only.parties[0].uncertain] == [
        ("ofac_sdn:C3", "uk_ofsi:C7")
    ]


def test_a_member_on_both_sides_is_refused() -> None:
    with pytest.raises(ValueError, match="both listed_by and not_by"):
        divergence(coalition(), RUSSIA, listed_by="us,uk", not_by="uk")
