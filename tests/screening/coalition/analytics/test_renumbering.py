"""Renumbered entries are not delistings: Canada's SEMA list of 2020 and of 2025 (real files).

The 2020 file (1,369 records) numbers its entries in an older layout ("Iran, Schedule 2, Item
24" is "Iran, Schedule 1, Part 2, Item 24" in 2025), so 1,258 of its keys are absent from the
2025 file (5,090 records) and used to count as delisted on 2025-09-22.

The real delistings are measured here without the adapter or the clustering: with lxml, the
2020 records whose name (given + last name, or entity name; case, accents and punctuation
folded) is the name of no 2025 record: 114 (103 Zimbabwe regime entries, 6 Russia, 4 Syria,
1 Ukraine). Ten of them are the same party under a respelled or shortened name, which the
clustering joins to the 2025 entry (by name to it or to the party's listings elsewhere); they
are renumberings too (`RENAMED`, checked by hand against the two files). The other 104 are the
delistings.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from lists import open_list
from lists.model import Schema, Source
from screening.coalition.analytics.clusters import build_coalition
from screening.coalition.analytics.model import CoalitionData, DateBasis, Listing
from screening.coalition.analytics.renumbering import renumberings
from screening.coalition.analytics.trends import trends
from screening.matching.screener import Screener
from screening.store import ListStore

OLD_FILE = "ca/history/2020-04/sema-lmes.xml"
NEW_FILE = "ca/sema-lmes.xml"
# PROVENANCE.md: the 2020 file was committed 2020-04-15, the 2025 file on 22.09.25.
OLD_DAY, NEW_DAY = dt.date(2020, 4, 15), dt.date(2025, 9, 22)
# 2020 key -> its 2025 entry, renamed as well as renumbered (the 2025 name in the comment).
RENAMED = {
    "Russia, Schedule 1, Item 44": "Russia, Schedule 1, Part 1, Item 44",  # Sergey MENYAILO
    "Russia, Schedule 1, Item 50": "Russia, Schedule 1, Part 1.1, Item 1",  # BORTNIKOV
    "Russia, Schedule 1, Item 108": "Russia, Schedule 1, Part 1.1, Item 9",  # ZOLOTOV
    "Russia, Schedule 2, Item 7": "Russia, Schedule 1, Part 2, Item 100",  # United Aircraft
    "Russia, Schedule 3, Item 4": "Russia, Schedule 1, Part 2, Item 96",  # Gazpromneft
    "Syria, Schedule 1, Item 1": "Syria, Schedule Part 1, Item 1",  # General Intelligence ...
    "Syria, Schedule 1, Item 2": "Syria, Schedule Part 1, Item 2",  # Presidential Guard
    "Syria, Schedule 1, Item 3": "Syria, Schedule Part 1, Item 3",  # Political Security ...
    "Syria, Schedule 1, Item 4": "Syria, Schedule Part 1, Item 4",  # Syrian Military Intel.
    "Ukraine, Schedule 1, Item 143": "Ukraine, Schedule Part 1, Item 143",  # NIKONOROVA
}


@dataclass(frozen=True)
class Record:
    key: str  # as the adapter keys it: "<regime>, Schedule <schedule>, Item <item>"
    name: str


def _fold(name: str) -> str:
    letters = unicodedata.normalize("NFKD", name)
    letters = "".join(ch for ch in letters if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", letters).split())


def _records(path: Path) -> list[Record]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    found = []
    for record in etree.parse(str(path), parser).getroot().iter("record"):

        def text(tag: str, record: etree._Element = record) -> str:
            return (record.findtext(tag) or "").strip()

        entity = text("Entity") or text("EntityOrShip")
        name = entity or f"{text('GivenName')} {text('LastName')}"
        regime = text("Country").split("/")[0].strip()
        found.append(Record(f"{regime}, Schedule {text('Schedule')}, Item {text('Item')}", name))
    return found


@pytest.fixture(scope="module")
def canada(shared_lists: Path, tmp_path_factory: pytest.TempPathFactory) -> CoalitionData:
    folder = tmp_path_factory.mktemp("canada")
    store = ListStore(f"sqlite:///{folder / 'store.db'}")
    for path, day in ((OLD_FILE, OLD_DAY), (NEW_FILE, NEW_DAY)):
        # The renumbering drops 1,258 keys at once: past the shrink guard, on purpose.
        store.load(
            open_list(shared_lists / path),
            published_on=day,
            published_from="given",
            allow_shrink=True,
        )
    return build_coalition(store, Screener(store, index_dir=folder / "index"))


def _listings(data: CoalitionData) -> dict[str, Listing]:
    return {listing.key: listing for c in data.clusters for listing in c.listings}


def test_only_the_real_canadian_delistings_remain(
    canada: CoalitionData, shared_lists: Path
) -> None:
    old = _records(shared_lists / OLD_FILE)
    new_names = {_fold(record.name) for record in _records(shared_lists / NEW_FILE)}
    gone = {record.key for record in old if _fold(record.name) not in new_names}
    assert (len(old), len(gone)) == (1369, 114)
    assert set(RENAMED) <= gone
    delisted = {listing.entry_id for listing in _listings(canada).values() if listing.delisted_on}
    assert delisted == gone - set(RENAMED)
    assert len(delisted) == 104
    for listing in _listings(canada).values():
        if listing.delisted_on is not None:
            assert listing.delisted_on == NEW_DAY


def test_renumbered_entries_are_recorded_and_keep_their_first_appearance(
    canada: CoalitionData,
) -> None:
    listings = _listings(canada)
    # 1,258 2020 keys are absent in 2025; 104 are delisted, the other 1,154 renumbered.
    assert len(canada.renumbered) == 1154
    old, new = "ca_sema:Iran, Schedule 2, Item 24", "ca_sema:Iran, Schedule 1, Part 2, Item 24"
    assert canada.renumbered[old] == new
    assert old not in listings  # dropped from the figures ...
    assert canada.cluster_of(old) is canada.cluster_of(new)  # ... still found by its old key
    assert old in listings[new].renumbered_from
    assert listings[new].first_seen == OLD_DAY and listings[new].absent_on is None
    for key, successor in RENAMED.items():
        assert canada.renumbered[f"ca_sema:{key}"] == f"ca_sema:{successor}"
    assert sum(len(listing.renumbered_from) for listing in listings.values()) == 1154


def test_trends_no_longer_show_a_renumbering_spike(canada: CoalitionData) -> None:
    result = trends(canada)
    september = [row for row in result.months if row.month == "2025-09" and row.member == "CA"]
    assert [row.delistings for row in september] == [104]  # 1,258 before renumberings
    (total,) = result.totals
    assert (total.delistings, total.renumbered) == (104, 1154)
    assert any(note.startswith("renumbered: 1154 entries") for note in result.notes)


def _listing(
    entry_id: str,
    name: str,
    first: dt.date,
    *,
    absent_on: dt.date | None = None,
    delisted_on: dt.date | None = None,
) -> Listing:
    return Listing(
        source=Source.UN,
        member="UN",
        dataset="un_sc",
        entry_id=entry_id,
        name=name,
        schema=Schema.ORGANIZATION,
        first_seen=first,
        absent_on=absent_on,
        delisted_on=delisted_on,
        date_basis=DateBasis.UNKNOWN,
    )


D1, D2, D3 = dt.date(2020, 1, 1), dt.date(2021, 1, 1), dt.date(2022, 1, 1)


def test_the_rule_needs_a_newer_entry_of_the_same_party() -> None:
    listings = {
        listing.key: listing
        for listing in (
            # a duplicate dropped while the older entry of the party stays: a real delisting
            _listing("dup", "ACME", D1, delisted_on=D2),
            _listing("kept", "ACME", D1),
            # renumbered twice: old -> middle -> newest, joined by one cluster
            _listing("old", "BETA", D1, delisted_on=D2),
            _listing("middle", "BETA LTD", D2, absent_on=D1, delisted_on=D3),
            _listing("newest", "Beta Ltd.", D3, absent_on=D2),
            # outside any shared cluster, found by the same folded name in the next version
            _listing("ship", "Gamma-Star", D1, delisted_on=D2),
            _listing("ship2", "GAMMA STAR", D2, absent_on=D1),
        )
    }
    clusters = {"un_sc:old": "b", "un_sc:middle": "b", "un_sc:newest": "b"}
    found = renumberings(listings, lambda key: clusters.get(key, key))
    assert found == {
        "un_sc:old": "un_sc:newest",
        "un_sc:middle": "un_sc:newest",
        "un_sc:ship": "un_sc:ship2",
    }
