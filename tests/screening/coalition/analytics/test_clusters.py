"""Cross-list clusters on real lists (the package's shared store, see conftest.py).

Expected entry ids and dates were read from the files with lxml/openpyxl, not the adapters:
- UN 2026-02-27 -> 2026-05-08, by DATAID: 7 added (6909348, 6909494, 6909556 ... 6909560:
  QDi.437-439 listed 2026-03-26/-26/-30, SDi.011-014 listed 2026-04-28), 1 removed (6908429,
  QDe.137, Al-Nusrah Front, LISTED_ON 2014-05-14). PROVENANCE.md counts the same 7 and 1.
- OFAC consolidated.xml 2025-10-22 -> 2026-01-08, by uid: 0 added, 1 removed (26182,
  KAYAKIRAN); 442 entries in the newer file. The legacy/XML OFAC files carry no designation
  date, so every OFAC listing is dated by the stored versions only.
- OFAC sdn.csv 2024-05-01 -> 2024-05-02 (csv module, by ent_num): 7 added (48321, 48323,
  48325, 48326, 48328, 48329, 48330), none removed.
- IMO 7612448: one `ShipIMONumber` in sema-lmes.xml ("Balitiyskiy III") and one row of the
  2024-05-02 sdn.csv (ent_num 47716, BALTIYSKIY-111); in no other loaded file (grep).
- "TELEPORT" (case-insensitive) occurs only in sdn.csv (48329, TELEPORT COMPANY SAL), in none
  of the other loaded files (grep; the xlsx files' XML parts searched after unzipping).
"""

from __future__ import annotations

import datetime as dt

from screening.coalition.analytics.clusters import build_coalition, party
from screening.coalition.analytics.model import DateBasis, LinkMethod, Listing
from tests.screening.coalition.analytics.conftest import Loaded

SBERBANK = (
    "ofac_consolidated:17018",
    "uk_ofsi:15076",
    "ca_sema:Russia, Schedule 1, Part 2, Item 74",
    "jp_mof:30-8",
)
# DFAT's "Sberbank" (Reference 6771) is the Ukrainian subsidiary: its aliases are "Publichne
# Aktsionerne Tovarystvo Dochirnii Bank Sberbanku Rosii" (subsidiary bank of Sberbank of
# Russia) and "Aktsionerne Tovarystvo Sberbank".
AU_SUBSIDIARY = "au_dfat:6771"


def _of(coalition: Loaded, dataset: str) -> list[Listing]:
    return [
        x for cluster in coalition.data.clusters for x in cluster.listings if x.dataset == dataset
    ]


def test_sberbank_is_one_cluster_across_ofac_uk_canada_and_japan(coalition: Loaded) -> None:
    cluster = coalition.data.cluster_of(SBERBANK[0])
    assert cluster is not None
    keys = {listing.key for listing in cluster.listings}
    assert set(SBERBANK) <= keys
    assert {"US", "UK", "CA", "JP"} <= cluster.members
    # OFAC and OFSI share Sberbank's OGRN; the others join by name.
    evidence = {(link.method, link.evidence) for link in cluster.links}
    assert (LinkMethod.IDENTIFIER, "registration number 1027700132195") in evidence
    assert all(0 < link.score <= 1 for link in cluster.links)


def test_australias_sberbank_subsidiary_stays_apart(coalition: Loaded) -> None:
    sberbank = coalition.data.cluster_of(SBERBANK[0])
    subsidiary = coalition.data.cluster_of(AU_SUBSIDIARY)
    assert sberbank is not None and subsidiary is not None
    assert subsidiary.id != sberbank.id
    assert subsidiary.members == frozenset({"AU"})
    assert not any(AU_SUBSIDIARY in (u.a, u.b) for u in coalition.data.uncertain)


def test_party_finds_the_sberbank_cluster(coalition: Loaded) -> None:
    found = party(coalition.data, coalition.screener, "Sberbank of Russia")
    assert found and set(SBERBANK) <= {x.key for x in found[0].listings}


def test_a_vessel_is_linked_by_imo_across_canada_and_ofac(coalition: Loaded) -> None:
    cluster = coalition.data.cluster_of("ofac_sdn:47716")
    assert cluster is not None
    assert [(x.key, x.name) for x in cluster.listings] == [
        ("ca_sema:Russia, Schedule 1.1, Item 1", "Balitiyskiy III"),
        ("ofac_sdn:47716", "BALTIYSKIY-111"),
    ]
    assert [(link.method, link.evidence) for link in cluster.links] == [
        (LinkMethod.IDENTIFIER, "imo 7612448")
    ]


def test_a_party_listed_by_one_member_only(coalition: Loaded) -> None:
    cluster = coalition.data.cluster_of("ofac_sdn:48329")
    assert cluster is not None
    assert [x.name for x in cluster.listings] == ["TELEPORT COMPANY SAL"]
    assert cluster.members == frozenset({"US"}) and cluster.links == []


def test_ofac_sdn_entries_added_between_two_versions_are_dated_first_seen(
    coalition: Loaded,
) -> None:
    sdn = _of(coalition, "ofac_sdn")
    fresh = sorted(x.entry_id for x in sdn if x.date_basis is DateBasis.FIRST_SEEN)
    assert fresh == ["48321", "48323", "48325", "48326", "48328", "48329", "48330"]
    assert {
        (x.listed_on, x.first_seen, x.absent_on)
        for x in sdn
        if x.date_basis is DateBasis.FIRST_SEEN
    } == {(dt.date(2024, 5, 2), dt.date(2024, 5, 2), dt.date(2024, 5, 1))}
    # The rest were already in the oldest stored version: no date, not 2024-05-01.
    assert len(sdn) == 14973
    assert {(x.date_basis, x.listed_on) for x in sdn if x.entry_id not in fresh} == {
        (DateBasis.UNKNOWN, None)
    }


def test_un_history_dates_the_seven_added_entries(coalition: Loaded) -> None:
    added = {
        "6909348": dt.date(2026, 3, 26),
        "6909494": dt.date(2026, 3, 26),
        "6909556": dt.date(2026, 3, 30),
        "6909557": dt.date(2026, 4, 28),
        "6909558": dt.date(2026, 4, 28),
        "6909559": dt.date(2026, 4, 28),
        "6909560": dt.date(2026, 4, 28),
    }
    un = _of(coalition, "un_sc")
    fresh = {x.entry_id: x for x in un if x.absent_on is not None}
    assert set(fresh) == set(added)
    for entry_id, listed in added.items():
        listing = fresh[entry_id]
        assert (listing.first_seen, listing.absent_on) == (
            dt.date(2026, 5, 8),
            dt.date(2026, 2, 27),
        )
        # The UN's own LISTED_ON wins over the stored versions.
        assert (listing.listed_on, listing.date_basis) == (listed, DateBasis.OFFICIAL)
    gone = [x for x in un if x.delisted_on is not None]
    assert [(x.entry_id, x.delisted_on, x.listed_on) for x in gone] == [
        ("6908429", dt.date(2026, 5, 8), dt.date(2014, 5, 14))
    ]
    assert len(un) == 1009 + 1


def test_ofac_listings_without_a_date_are_unknown_not_dated_by_the_oldest_file(
    coalition: Loaded,
) -> None:
    ofac = _of(coalition, "ofac_consolidated")
    assert len(ofac) == 442 + 1
    assert {(x.date_basis, x.listed_on, x.first_seen, x.absent_on) for x in ofac} == {
        (DateBasis.UNKNOWN, None, dt.date(2025, 10, 22), None)
    }
    assert [(x.entry_id, x.delisted_on) for x in ofac if x.delisted_on] == [
        ("26182", dt.date(2026, 1, 8))
    ]


def test_clusters_are_deterministic_and_partition_the_listings(coalition: Loaded) -> None:
    data = coalition.data
    keys = [listing.key for cluster in data.clusters for listing in cluster.listings]
    assert len(keys) == len(set(keys))
    assert [c.id for c in data.clusters] == sorted(c.id for c in data.clusters)
    assert all(c.id == min(x.key for x in c.listings) for c in data.clusters)
    # The same answer in this process and in forked workers (a small pair of lists: fast).
    pair = ["ofac_consolidated", "un_sc"]
    alone = build_coalition(coalition.store, coalition.screener, datasets=pair, workers=1)
    forked = build_coalition(coalition.store, coalition.screener, datasets=pair, workers=2)
    assert alone.model_dump() == forked.model_dump()
    assert alone.datasets == pair
