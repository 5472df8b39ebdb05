"""Identifier normalisers shared by every adapter (`lists.values.identifiers`)."""

from __future__ import annotations

import pytest

from lists.model import IdentifierType
from lists.values.identifiers import (
    ImoMention,
    classify_identifier,
    imo_check_digit_ok,
    imo_mentions,
    normalize_imo,
)


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
