"""Listed parties found by an identifier alone (`screening.matching.lookup`), on OFAC's SDN file.

Expected entries were read from ../shared/data/lists/ofac/sdn.csv with grep, not through the
parser: "SWIFT/BIC ATBANL2A" is on one row (34705, AMSTERDAM TRADE BANK NV); "SWIFT/BIC
SOMRRUM1KST" on one (34737, SOVCOMBANK); the XBT address 1H939dom7i4WDLCKyGbXUp3fs9CSTNRzgL on
two (38419, 38420); the ETH address 0x983a81ca6FB1e441266D2FbcB7D8E530AC2E05A2 on one (45314),
in that mixed case; "IMO 9187629" on one (15036, the vessel ARTAVIL).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from lists import open_list
from screening import Decision, QueryError, Screener
from screening.matching.results import Hit
from screening.store import ListStore

XBT = "1H939dom7i4WDLCKyGbXUp3fs9CSTNRzgL"
ETH = "0x983a81ca6FB1e441266D2FbcB7D8E530AC2E05A2"


@pytest.fixture(scope="session")
def ofac_screener(
    tmp_path_factory: pytest.TempPathFactory, shared_lists: Path
) -> Iterator[Screener]:
    """A screener over OFAC's SDN file (sdn.csv: 14,965 entries), shared by the text-scan tests."""
    folder = tmp_path_factory.mktemp("ofac-sdn")
    store = ListStore(f"sqlite:///{folder / 'store.db'}")
    assert store.load(open_list(shared_lists / "ofac" / "sdn.csv")).status == "loaded"
    yield Screener(store, index_dir=folder / "index")


def _entries(hits: list[Hit]) -> list[str]:
    return [h.entry_id for h in hits]


@pytest.mark.parametrize(
    "written", ["ATBANL2AXXX", "ATBANL2A", "atbanl2a", "ATBANL2A123", "ATBA NL2A XXX"]
)
def test_a_listed_bank_is_found_by_its_bic_in_any_form(
    ofac_screener: Screener, written: str
) -> None:
    hits = ofac_screener.screen_identifier("bic", written)
    assert _entries(hits) == ["34705"]
    hit = hits[0]
    assert (hit.name, hit.score, hit.decision) == ("AMSTERDAM TRADE BANK NV", 1.0, Decision.MATCH)
    [feature] = hit.explanation.features
    assert feature.feature == "identifier"
    assert "ATBANL2A" in feature.detail


def test_the_explanation_names_the_branch_given(ofac_screener: Screener) -> None:
    [hit] = ofac_screener.screen_identifier("bic", "ATBANL2AXXX")
    assert hit.explanation.features[0].detail.startswith(
        "BIC ATBANL2A, branch XXX (primary office): the listed BIC of the institution ATBANL2A"
    )


def test_a_listed_branch_code_stands_for_its_institution(ofac_screener: Screener) -> None:
    # OFAC lists SOVCOMBANK as SOMRRUM1KST; its primary office is the same institution.
    assert _entries(ofac_screener.screen_identifier("bic", "SOMRRUM1XXX")) == ["34737"]
    assert _entries(ofac_screener.screen_identifier("bic", "SOMRRUM1")) == ["34737"]


@pytest.mark.parametrize("other", ["ATBANL2B", "ATBANL3AXXX", "DEUTDEFFXXX"])
def test_another_institution_is_not_found(ofac_screener: Screener, other: str) -> None:
    assert ofac_screener.screen_identifier("bic", other) == []


def test_screen_with_a_bic_finds_the_listed_bank(ofac_screener: Screener) -> None:
    # The case: the 11-character form used to miss the listed 8-character BIC and even
    # count against it as a different BIC.
    result = ofac_screener.screen("Amsterdam bank", identifiers=[("bic", "ATBANL2AXXX")])
    assert result.decision is Decision.MATCH
    top = result.hits[0]
    assert (top.entry_id, top.score) == ("34705", 1.0)
    features = {f.feature: f.detail for f in top.explanation.features}
    assert features["identifier"] == (
        "bic ATBANL2A (institution code: every branch) is listed for this party"
    )


def test_coalition_screen_with_a_bic_option(ofac_screener: Screener) -> None:
    db = ofac_screener.store.engine.url.render_as_string(hide_password=False)
    runner = CliRunner(env={"COALITION_INDEX_DIR": str(ofac_screener.index_dir)})
    arguments = ["screen", "Amsterdam bank", "--id", "bic:ATBANL2AXXX", "--db", db, "--json"]
    result = runner.invoke(cli.main, arguments)
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["decision"] == "match"
    assert (answer["hits"][0]["entry_id"], answer["hits"][0]["score"]) == ("34705", 1.0)


def test_a_base58_address_in_another_case_is_another_address(ofac_screener: Screener) -> None:
    assert _entries(ofac_screener.screen_identifier("crypto_address", XBT)) == ["38419", "38420"]
    assert ofac_screener.screen_identifier("crypto_address", XBT.swapcase()) == []
    assert ofac_screener.screen_identifier("crypto_address", XBT.upper()) == []
    swapped = ofac_screener.screen(
        "Someone", identifiers=[("crypto_address", XBT.swapcase())], type="person"
    )
    assert "38419" not in _entries(swapped.hits)


@pytest.mark.parametrize("written", [ETH, ETH.lower(), "0x" + ETH[2:].upper()])
def test_an_ethereum_address_matches_in_any_case(ofac_screener: Screener, written: str) -> None:
    assert _entries(ofac_screener.screen_identifier("crypto_address", written)) == ["45314"]


def test_imo_numbers_are_looked_up_by_their_digits(ofac_screener: Screener) -> None:
    [hit] = ofac_screener.screen_identifier("imo", "IMO 9187629")
    assert (hit.entry_id, hit.name) == ("15036", "ARTAVIL")


def test_lists_restrict_the_lookup(ofac_screener: Screener) -> None:
    assert _entries(ofac_screener.screen_identifier("bic", "ATBANL2A", lists=["ofac"])) == ["34705"]
    assert ofac_screener.screen_identifier("bic", "ATBANL2A", lists=["uk"]) == []


@pytest.mark.parametrize(("kind", "lists"), [("swift", None), ("other", None), ("bic", ["xx"])])
def test_bad_lookups_are_clear_errors(
    ofac_screener: Screener, kind: str, lists: list[str] | None
) -> None:
    with pytest.raises(QueryError):
        ofac_screener.screen_identifier(kind, "ATBANL2A", lists=lists)
