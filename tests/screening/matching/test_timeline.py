"""Screening hits carry their party's coalition timeline: who lists it, when, and who does not.

Members are those of screening/data/coalition_members.csv (OFAC: US).

Real files: the UK OFSI ConList (2025-04-14), the OFAC SDN CSV (2024-05-03), Canada's SEMA XML
and the UN consolidated list. The expected dates were read from the files by hand, not through
the parsers: the ConList row of Group ID 15000 (openpyxl: "Listed On" 24/03/2022), the SEMA
record of Schedule 1, Part 1, Item 479 (``<DateOfListing>2022-02-24``), the SDN CSV line of
ent_num 34796 (no date field: the legacy CSV carries none), and ``grep -c GREF`` on the UN
file (0: the UN does not list him).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from lists import open_list
from screening import Screener
from screening.matching.explain import coalition_timeline
from screening.matching.results import Hit
from screening.store import ListStore

GREF_UK = ("uk_ofsi", "15000")
GREF_OFAC = ("ofac_sdn", "34796")
GREF_CA = ("ca_sema", "Russia, Schedule 1, Part 1, Item 479")


@pytest.fixture(scope="module")
def screener(tmp_path_factory: pytest.TempPathFactory, shared_lists: Path) -> Screener:
    folder = tmp_path_factory.mktemp("timeline")
    store = ListStore(f"sqlite:///{folder / 'lists.db'}")
    for relative in ("uk/ConList.xlsx", "ofac/sdn.csv", "ca/sema-lmes.xml", "un/consolidated.xml"):
        assert store.load(open_list(shared_lists / relative)).status == "loaded"
    return Screener(store, index_dir=folder / "index")


def _hit(screener: Screener, name: str, key: tuple[str, str]) -> Hit:
    hits = [h for h in screener.screen(name, type="person").hits if (h.dataset, h.entry_id) == key]
    assert len(hits) == 1, f"{key} not among the hits for {name!r}"
    return hits[0]


def test_a_party_on_the_uk_and_ofac_lists_shows_both_with_their_dates(screener: Screener) -> None:
    hit = _hit(screener, "Herman Oskarovich Gref", GREF_UK)
    assert hit.listed_on == dt.date(2022, 3, 24)
    refs = {(r.dataset, r.entry_id): r for r in hit.also_listed}
    assert set(refs) == {GREF_OFAC, GREF_CA}
    # The SDN CSV has no designation date: said so, not guessed.
    assert (refs[GREF_OFAC].listed_on, refs[GREF_OFAC].date_basis) == (None, "unknown")
    assert (refs[GREF_CA].listed_on, refs[GREF_CA].date_basis) == (
        dt.date(2022, 2, 24),
        "official",
    )
    assert hit.listed_by() == {
        "UK": dt.date(2022, 3, 24),
        "US": None,
        "CA": dt.date(2022, 2, 24),
    }


def test_not_listed_by_names_the_loaded_member_that_does_not_list_the_party(
    screener: Screener,
) -> None:
    for key in (GREF_UK, GREF_OFAC, GREF_CA):
        hit = _hit(screener, "Herman Oskarovich Gref", key)
        assert hit.not_listed_by == ["UN"]


def test_the_timeline_reads_in_date_order_with_the_gaps(screener: Screener) -> None:
    hit = _hit(screener, "Herman Oskarovich Gref", GREF_OFAC)
    assert coalition_timeline(hit) == (
        "listed by CA 2022-02-24, UK 2022-03-24, US (date not given); not by UN in the loaded data"
    )


def test_the_timeline_is_in_the_json(screener: Screener) -> None:
    result = screener.screen("Herman Oskarovich Gref", type="person")
    hits = {(h["dataset"], h["entry_id"]): h for h in result.model_dump(mode="json")["hits"]}
    uk = hits[GREF_UK]
    assert uk["not_listed_by"] == ["UN"]
    ca = next(r for r in uk["also_listed"] if r["dataset"] == GREF_CA[0])
    assert (ca["listed_on"], ca["date_basis"]) == ("2022-02-24", "official")
