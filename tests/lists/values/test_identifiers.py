"""Identifier normalisers shared by every adapter (`lists.values.identifiers`)."""

from __future__ import annotations

import pytest

from lists.model import IdentifierType
from lists.values.identifiers import (
    Bic,
    CryptoEncoding,
    ImoMention,
    bic_mentions,
    classify_identifier,
    crypto_encoding,
    crypto_mentions,
    imo_check_digit_ok,
    imo_mention_spans,
    imo_mentions,
    normalize_bic,
    normalize_crypto_address,
    normalize_identifier,
    normalize_imo,
    parse_bic,
)

# Real listed values, from OFAC sdn.csv remarks ("SWIFT/BIC ...", "Digital Currency Address").
ATB = "ATBANL2A"  # AMSTERDAM TRADE BANK NV, entry 34705
XBT = "1H939dom7i4WDLCKyGbXUp3fs9CSTNRzgL"  # base58, entries 38419 and 38420
ETH = "0x983a81ca6FB1e441266D2FbcB7D8E530AC2E05A2"  # EIP-55 mixed case, entry 45314
TRX = "TFdTr9C3BqQrzKBXqSxJfAZFTh8UwBAfSg."  # base58; the list's sentence ends with the stop
BCH = "qpf2cphc5dkuclkqur7lhj2yuqq9pk3hmukle77vhq"  # cashaddr


@pytest.mark.parametrize(
    ("number", "ok"),
    [
        ("9562233", True),  # a real tanker: 9*7+5*6+6*5+2*4+2*3+3*2 = 143 -> 3
        ("9122552", True),
        ("5342883", False),  # UN KPe.022 lists this company number; it fails the ship digit
        ("5571322", False),
        ("956223", False),  # six digits
        ("95622330", False),
        ("95622x3", False),
    ],
)
def test_imo_check_digit(number: str, ok: bool) -> None:
    assert imo_check_digit_ok(number) is ok


def test_normalize_imo_keeps_failing_numbers() -> None:
    assert normalize_imo("IMO 9562233") == "9562233"
    assert normalize_imo("IMO9562233") == "9562233"
    assert normalize_imo("5342883") == "5342883"  # listed as written, check digit or not
    assert normalize_imo("RS 130280") is None
    assert normalize_imo("95622331") is None  # eight digits are not an IMO number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # UN COMMENTS1 wordings.
        ("IMO number: 5571322. Registered owner of", [("IMO number", "5571322")]),
        ("Company Number IMO 5434358", [("Company Number IMO", "5434358")]),
        (
            "International Maritime Organization (IMO) Number: 1790183",
            [("International Maritime Organization (IMO) Number", "1790183")],
        ),
        ("IMO No. 9122552", [("IMO No.", "9122552")]),
        # UK Other Information wordings.
        ("(IMO number):7408873", [("IMO number", "7408873")]),
        ("IMO: 8937675", [("IMO", "8937675")]),
        # EU remark wordings.
        ("Vessel IMO nr. 9562233", [("IMO nr.", "9562233")]),
        ("tanker IMO#9562233", [("IMO#", "9562233")]),
        # Stated twice: kept once, in the order written.
        ("IMO 9562233; IMO: 9122552; IMO 9562233", [("IMO", "9562233"), ("IMO", "9122552")]),
    ],
)
def test_imo_mentions(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(m.label, m.number) for m in imo_mentions(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "no number here",
        "IMO 95622331",  # eight digits
        "PRIMO 9562233",  # "IMO" inside a word
        # A list of other vessels: the number does not directly follow "IMO".
        "vessels with IMO Number: (a) Chol Ryong 8606173",
    ],
)
def test_imo_mentions_ignores_what_is_not_a_stated_number(text: str | None) -> None:
    assert imo_mentions(text) == []


def test_imo_mention_check_digit() -> None:
    assert ImoMention(label="IMO", number="9562233").ship_check_digit_ok
    assert not ImoMention(label="IMO", number="5571322").ship_check_digit_ok


@pytest.mark.parametrize(
    ("label", "identifier_type"),
    [
        ("Passport", IdentifierType.PASSPORT),
        ("Vessel Registration Identification", IdentifierType.IMO),
        ("SWIFT/BIC", IdentifierType.BIC),
        ("Digital Currency Address - XBT", IdentifierType.CRYPTO_ADDRESS),
        ("Tax ID No.", IdentifierType.TAX_ID),
        ("National ID No.", IdentifierType.NATIONAL_ID),
        ("Something else", IdentifierType.OTHER),
    ],
)
def test_classify_identifier(label: str, identifier_type: IdentifierType) -> None:
    assert classify_identifier(label) is identifier_type


@pytest.mark.parametrize(
    "written",
    [
        "ATBANL2A",
        "ATBANL2AXXX",
        "atbanl2axxx",
        "ATBA NL 2A XXX",
        "ATBANL2A123",
        "SWIFT/BIC ATBANL2A",
    ],
)
def test_every_office_of_a_bic_compares_as_its_institution(written: str) -> None:
    assert normalize_bic(written) == ATB
    assert normalize_identifier(written, "bic") == ATB


def test_a_bic_keeps_its_branch_for_the_explanation() -> None:
    assert parse_bic("ATBANL2AXXX") == Bic(ATB, "XXX")
    assert parse_bic("ATBANL2AXXX").describe() == "ATBANL2A, branch XXX (primary office)"  # type: ignore[union-attr]
    assert parse_bic("ATBANL2A123").describe() == "ATBANL2A, branch 123"  # type: ignore[union-attr]
    assert parse_bic("ATBANL2A") == Bic(ATB, None)


@pytest.mark.parametrize("value", ["ATBANL2", "ATBANL2AXX", "12BANL2A", "ATBANL2AXXXX", ""])
def test_what_is_no_bic_is_not_read_as_one(value: str) -> None:
    assert parse_bic(value) is None
    assert normalize_bic(value) is None


def test_other_institutions_stay_apart() -> None:
    assert normalize_identifier("ATBANL2B", "bic") != ATB
    assert normalize_identifier("ATBANL3AXXX", "bic") != ATB


def test_iban_and_lei_compare_without_spaces_or_case() -> None:
    assert normalize_identifier("DE89 3704 0044 0532 0130 00", "registration_number") == (
        normalize_identifier("de89370400440532013000", "registration_number")
    )
    assert normalize_identifier("5493 00KB 1PZ7 YXKT 8Z74") == "549300KB1PZ7YXKT8Z74"


@pytest.mark.parametrize(
    ("value", "encoding"),
    [
        (XBT, CryptoEncoding.BASE58),
        (TRX, CryptoEncoding.BASE58),
        (ETH, CryptoEncoding.HEX),
        ("bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh", CryptoEncoding.BECH32),
        ("BC1QXY2KGDYGJRSQTZQ2N0YRF2493P83KKFJHX0WLH", CryptoEncoding.BECH32),
        (BCH, CryptoEncoding.CASHADDR),
        ("INVOICE", None),
    ],
)
def test_crypto_encodings(value: str, encoding: CryptoEncoding | None) -> None:
    assert crypto_encoding(value) is encoding


def test_base58_addresses_keep_their_case() -> None:
    # Base58 uses both cases as different digits: another case is another address.
    assert normalize_crypto_address(XBT) == XBT
    assert normalize_crypto_address(XBT.upper()) != normalize_crypto_address(XBT)
    assert normalize_crypto_address(XBT.swapcase()) != normalize_crypto_address(XBT)
    assert normalize_crypto_address(TRX) == TRX.rstrip(".")  # the sentence's stop is not data


def test_hex_bech32_and_cashaddr_compare_in_any_case() -> None:
    assert normalize_identifier(ETH.upper().replace("0X", "0x"), "crypto_address") == ETH.lower()
    assert normalize_identifier(ETH.lower(), "crypto_address") == ETH.lower()
    bech = "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh"
    assert normalize_identifier(bech.upper(), "crypto_address") == bech
    assert normalize_identifier(f"bitcoincash:{BCH.upper()}", "crypto_address") == BCH
    assert normalize_identifier(f"bitcoin:{XBT}", "crypto_address") == XBT


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("ATBANL2AXXX", "bic"),
        (ETH, "crypto_address"),
        (XBT, "crypto_address"),
        ("IMO 9187629", "imo"),
        ("Russian passport number 8208 No. 555627", "passport"),
        ("DE89 3704 0044", None),
    ],
)
def test_normalizing_twice_is_normalizing_once(value: str, kind: str | None) -> None:
    # The screener normalises a query and the index looks the result up again.
    once = normalize_identifier(value, kind)
    assert normalize_identifier(once, kind) == once


def test_bic_mentions_are_whole_upper_case_words() -> None:
    text = "/INS/BANKGB2L PAY ATBANL2AXXX REF abcdefgh ATBANL2AX"
    found = [(text[s:e], bic) for s, e, bic in bic_mentions(text)]
    assert found == [("BANKGB2L", Bic("BANKGB2L", None)), ("ATBANL2AXXX", Bic(ATB, "XXX"))]


def test_crypto_mentions_by_shape() -> None:
    text = f"SEND TO {XBT} OR {ETH}. INVOICE 1234567890 DE89370400440532013000"
    assert [text[s:e] for s, e, _ in crypto_mentions(text)] == [XBT, ETH]


def test_imo_mention_spans_say_where() -> None:
    text = "FREIGHT MV ARTAVIL IMO 9187629 B/L 7"
    spans = list(imo_mention_spans(text))
    assert [(text[s:e], m.number) for s, e, m in spans] == [("IMO 9187629", "9187629")]
