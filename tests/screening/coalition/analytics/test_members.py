"""The coalition members table: every dataset has a member, copies are not counted."""

from __future__ import annotations

from lists.datasets import DATASETS
from screening.coalition.analytics.members import (
    coalition_members,
    counted_datasets,
    dataset_members,
    member_of,
    members,
)
from tests.screening.coalition.analytics.conftest import Loaded


def test_every_dataset_has_one_member_with_a_source() -> None:
    rows = dataset_members()
    assert set(rows) == {dataset.id for dataset in DATASETS}
    assert all(row.source.startswith("https://") for row in rows.values())
    assert set(members()) == {"US", "UK", "EU", "UN", "CA", "AU", "JP"}


def test_member_codes_follow_the_publishers() -> None:
    assert member_of("ofac_sdn") == member_of("ofac_consolidated") == "US"
    assert member_of("us_csl_el") == "US"
    assert member_of("uk_ofsi") == member_of("uk_sanctions_list") == "UK"
    assert member_of("jp_mof") == member_of("jp_meti_eul") == "JP"
    assert (member_of("eu_fsf"), member_of("ca_sema"), member_of("au_dfat")) == ("EU", "CA", "AU")


def test_the_un_is_shown_but_is_not_a_coalition_member() -> None:
    assert members()["UN"].role == "multilateral"
    assert "un_sc" in counted_datasets()
    assert coalition_members() == ["US", "UK", "EU", "CA", "AU", "JP"]


def test_the_csl_copies_of_ofac_lists_are_not_counted_but_bis_lists_are() -> None:
    counted = counted_datasets()
    copies = ["us_csl_sdn", "us_csl_ssi", "us_csl_fse", "us_csl_plc", "us_csl_cap"]
    copies += ["us_csl_ns_mbs", "us_csl_cmic"]
    assert not set(copies) & set(counted)
    assert all(dataset_members()[d].entry_namespace == "ofac_uid" for d in copies)
    assert {"us_csl_el", "us_csl_meu", "us_csl_uvl", "us_csl_dpl"} <= set(counted)
    assert members()["US"].role == "core"


def test_listings_carry_the_member_of_their_dataset(coalition: Loaded) -> None:
    listings = [listing for cluster in coalition.data.clusters for listing in cluster.listings]
    assert {(x.dataset, x.member) for x in listings} == {
        ("ofac_sdn", "US"),
        ("ofac_consolidated", "US"),
        ("uk_ofsi", "UK"),
        ("un_sc", "UN"),
        ("ca_sema", "CA"),
        ("au_dfat", "AU"),
        ("jp_mof", "JP"),
    }
    assert coalition.data.members == ["AU", "CA", "JP", "UK", "UN", "US"]
