"""Listed names, BICs, IMO numbers and crypto addresses inside free text (`scan_text`).

Screened against OFAC's SDN file (the `ofac_screener` fixture of test_lookup.py). Expected
entries were read from ../shared/data/lists/ofac/sdn.csv with grep: 34705 AMSTERDAM TRADE BANK
NV (SWIFT/BIC ATBANL2A); 18648 "CHATAYEV, Akhmed"; 15036 the vessel ARTAVIL (IMO 9187629);
15052 the vessel AMBER; 38419 and 38420 carry the XBT address below, 45314 the ETH address.
"""

from __future__ import annotations

import pytest

from screening import QueryError, Screener, Thresholds
from screening.matching.textscan import TextHit
from tests.screening.matching.test_lookup import ETH, XBT, ofac_screener  # noqa: F401


def _found(hits: list[TextHit]) -> list[tuple[str, str, str]]:
    return [(h.kind, h.matched_text, h.hit.entry_id) for h in hits]


def test_a_listed_bank_named_in_remittance_text(ofac_screener: Screener) -> None:  # noqa: F811
    text = "PAYMENT TO AMSTERDAM TRADE BANK N.V. INV 77"
    [found] = ofac_screener.scan_text(text)
    assert (found.kind, found.hit.entry_id, found.hit.score) == ("name", "34705", 1.0)
    # The span covers the name and its legal form, not the words around it.
    assert (found.start, found.end) == (11, 35)
    assert text[found.start : found.end] == found.matched_text == "AMSTERDAM TRADE BANK N.V"


def test_a_listed_person_inside_text(ofac_screener: Screener) -> None:  # noqa: F811
    hits = ofac_screener.scan_text("SALARY ADVANCE FOR AKHMED CHATAYEV REF 7")
    assert _found(hits) == [("name", "AKHMED CHATAYEV", "18648")]


def test_a_listed_bic_inside_text(ofac_screener: Screener) -> None:  # noqa: F811
    hits = ofac_screener.scan_text("/INS/ATBANL2AXXX COVER FOR INV 55")
    assert _found(hits) == [("bic", "ATBANL2AXXX", "34705")]
    assert "branch XXX" in hits[0].hit.explanation.features[0].detail


def test_a_listed_imo_number_and_vessel_inside_text(ofac_screener: Screener) -> None:  # noqa: F811
    hits = ofac_screener.scan_text("FREIGHT MV ARTAVIL IMO 9187629 B/L 4")
    assert _found(hits) == [("name", "ARTAVIL", "15036"), ("imo", "IMO 9187629", "15036")]


def test_crypto_addresses_inside_text_keep_the_case_rules(
    ofac_screener: Screener,  # noqa: F811
) -> None:
    assert _found(ofac_screener.scan_text(f"REFUND TO WALLET {XBT} THANKS")) == [
        ("crypto", XBT, "38419"),
        ("crypto", XBT, "38420"),
    ]
    assert ofac_screener.scan_text(f"REFUND TO WALLET {XBT.swapcase()} THANKS") == []
    assert _found(ofac_screener.scan_text(f"TOP UP {ETH.lower()}")) == [
        ("crypto", ETH.lower(), "45314")
    ]


def test_a_one_word_vessel_name_needs_a_ship_prefix(ofac_screener: Screener) -> None:  # noqa: F811
    # AMBER, DANIEL, LINDA are listed vessels and everyday first names.
    assert _found(ofac_screener.scan_text("FREIGHT M/V AMBER")) == [("name", "AMBER", "15052")]
    assert ofac_screener.scan_text("REFUND ORDER 2293531 AMBER JACKSON") == []
    assert ofac_screener.scan_text("PAYMENT TO AMBER INV 1") == []


@pytest.mark.parametrize(
    "text",
    [
        "INVOICE 12345 PAYMENT FOR GOODS",
        "/INS/BANKGB2L",
        "SALARY MAY",
        "/ROC/REF998877/ BENEFICIARY ORDERING CUSTOMER",
        "RENT JUNE 2025 FLAT 3 14 HIGH STREET",
        "CONSULTING SERVICES Q3 TUCKER AND SONS",
        "PAYMENT FOR WEB DEVELOPMENT DEUTDEFFXXX",
        "",
        " ./-// ",
    ],
)
def test_ordinary_payment_text_stays_quiet(ofac_screener: Screener, text: str) -> None:  # noqa: F811
    assert ofac_screener.scan_text(text) == []


def test_lists_and_thresholds_apply(ofac_screener: Screener) -> None:  # noqa: F811
    text = "PAYMENT TO AMSTERDAM TRADE BANK N.V. /INS/ATBANL2AXXX"
    assert len(ofac_screener.scan_text(text, lists=["ofac_sdn"])) == 2
    assert ofac_screener.scan_text(text, lists=["uk"]) == []
    # A typo lowers the name score below a strict report threshold; the BIC still counts.
    strict = Thresholds(match=1.0, review=1.0, report=1.0)
    typo = "PAYMENT TO AMSTERDAM TRADEE BANK /INS/ATBANL2AXXX"
    assert [h.kind for h in ofac_screener.scan_text(typo, thresholds=strict)] == ["bic"]
    assert [h.kind for h in ofac_screener.scan_text(typo)] == ["name", "bic"]


def test_long_and_odd_text_never_crashes(ofac_screener: Screener) -> None:  # noqa: F811
    long_word = "A" * 2000
    text = f"{long_word} AMSTERDAM TRADE BANK {'INVOICE ' * 500}"
    assert [h.hit.entry_id for h in ofac_screener.scan_text(text)] == ["34705"]
    assert ofac_screener.scan_text("ÅÄÖ 中文 ‏مرحبا\x00\ttab") == []


def test_an_unknown_list_is_a_clear_error(ofac_screener: Screener) -> None:  # noqa: F811
    with pytest.raises(QueryError, match="xx"):
        ofac_screener.scan_text("PAYMENT TO AMSTERDAM TRADE BANK", lists=["xx"])
