"""One store of real lists, loaded once for every coalition analytics test module.

OFAC's SDN list (two daily versions: 7 entries added) and non-SDN list (two versions: 1
removed), the OFSI Consolidated List, the UN list (two versions), Canada's SEMA list,
Australia's DFAT list and Japan's MOF list: every member that lists Sberbank, vessels with IMO
numbers on two lists, and history for the first-seen and delisted dates. A2 and A3's analytics
tests may use the `coalition` fixture too (the store, its screener and the built clusters).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from lists import open_list
from screening.coalition.analytics.clusters import build_coalition
from screening.coalition.analytics.model import CoalitionData
from screening.matching.screener import Screener
from screening.store import ListStore

# (path under shared/data/lists, publication day to give when the file states none)
LISTS: tuple[tuple[str, dt.date | None], ...] = (
    # The legacy SDN CSV has no date inside: the scraper's download days (PROVENANCE.md).
    ("ofac/history/sdn_csv/2024-05-02/sdn.csv", dt.date(2024, 5, 2)),
    ("ofac/history/sdn_csv/2024-05-01/sdn.csv", dt.date(2024, 5, 1)),
    ("ofac/consolidated_xml/2026-01-08/consolidated.xml", None),
    ("ofac/consolidated_xml/2025-10-22/consolidated.xml", None),
    ("uk/ConList.xlsx", None),
    ("un/consolidated.xml", None),
    ("un/history/2026-02-27/consolidated.xml", None),
    # No date inside; PROVENANCE.md gives the commit day 2025-09-22.
    ("ca/sema-lmes.xml", dt.date(2025, 9, 22)),
    ("au/regulation8_consolidated.xlsx", None),
    ("jp/mof/shisantouketsu20260305.xlsx", None),
)


@dataclass
class Loaded:
    store: ListStore
    screener: Screener
    data: CoalitionData


def load_lists(store: ListStore, lists: Path) -> None:
    for path, day in LISTS:
        if day is None:
            store.load(open_list(lists / path))
        else:
            store.load(open_list(lists / path), published_on=day, published_from="given")


@pytest.fixture(scope="session")
def coalition(shared_lists: Path, tmp_path_factory: pytest.TempPathFactory) -> Loaded:
    folder = tmp_path_factory.mktemp("coalition")
    store = ListStore(f"sqlite:///{folder / 'store.db'}")
    load_lists(store, shared_lists)
    screener = Screener(store, index_dir=folder / "index")
    return Loaded(store, screener, build_coalition(store, screener))
