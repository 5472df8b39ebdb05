"""Every list is its own dataset: loaded side by side, screened together, filtered per call.

The issue's must-hold case: OFAC's SDN file, OFAC's non-SDN consolidated file and the UK OFSI
Consolidated List loaded one after the other, in that order, all stay active, and a party that
is only on the non-SDN list (China Telecom: a CMIC entry) is found and named by its dataset.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lists import open_list
from screening.matching.screener import QueryError, Screener
from screening.store import ListStore

CHINA_TELECOM = "CHINA TELECOM CORPORATION LIMITED"


@pytest.fixture(scope="module")
def screener(tmp_path_factory: pytest.TempPathFactory, shared_lists: Path) -> Iterator[Screener]:
    folder = tmp_path_factory.mktemp("datasets")
    store = ListStore(f"sqlite:///{folder / 'store.db'}")
    for path in (
        shared_lists / "ofac" / "sdn.csv",
        shared_lists / "ofac" / "consolidated_xml" / "2026-01-08" / "consolidated.xml",
        shared_lists / "uk" / "ConList.xlsx",
    ):
        result = store.load(open_list(path))
        assert result.active and result.replaced is None, result
    yield Screener(store, index_dir=folder / "index")


def test_three_files_three_active_datasets(screener: Screener) -> None:
    active = {v.dataset: v.entity_count for v in screener.store.active_versions()}
    assert set(active) == {"ofac_sdn", "ofac_consolidated", "uk_ofsi"}
    assert active["ofac_sdn"] == 14965


def test_a_non_sdn_party_is_found_and_named_by_its_dataset(screener: Screener) -> None:
    result = screener.screen(CHINA_TELECOM, type="organization")
    top = result.hits[0]
    assert (top.source.value, top.dataset) == ("ofac", "ofac_consolidated")
    assert top.name == CHINA_TELECOM and top.decision.value == "match"
    assert {v.dataset for v in result.list_versions} == {
        "ofac_sdn",
        "ofac_consolidated",
        "uk_ofsi",
    }


@pytest.mark.parametrize(
    ("lists", "found"),
    [
        (["ofac_sdn"], False),
        (["uk"], False),
        (["ofac"], True),
        (["ofac_consolidated", "uk_ofsi"], True),
        (None, True),
    ],
)
def test_lists_restrict_the_screening(
    screener: Screener, lists: list[str] | None, found: bool
) -> None:
    result = screener.screen(CHINA_TELECOM, type="organization", lists=lists)
    datasets = {hit.dataset for hit in result.hits}
    assert ("ofac_consolidated" in datasets) is found
    if lists is not None:
        allowed = {"ofac": {"ofac_sdn", "ofac_consolidated"}, "uk": {"uk_ofsi"}}
        expanded = set().union(*(allowed.get(name, {name}) for name in lists))
        assert datasets <= expanded


def test_an_unknown_list_name_is_refused(screener: Screener) -> None:
    with pytest.raises((QueryError, ValueError), match="unknown list 'ofac_nonsdn'"):
        screener.screen(CHINA_TELECOM, lists=["ofac_nonsdn"])


@pytest.mark.parametrize("lists", [[], [""], ["ofac", "  "]])
def test_a_blank_or_empty_list_filter_is_refused(screener: Screener, lists: list[str]) -> None:
    """An empty filter would screen against nothing and answer `clear`: never silently."""
    with pytest.raises(ValueError, match="blank list name"):
        screener.screen(CHINA_TELECOM, lists=lists)


def test_hits_carry_their_listing_date(screener: Screener) -> None:
    """UK OFSI rows state Date Designated; the hit shows it."""
    result = screener.screen("SBERBANK", type="organization", lists=["uk"])
    dated = [hit for hit in result.hits if hit.listed_on is not None]
    assert dated, [h.model_dump() for h in result.hits]
