"""Identifier labels, as each authority words them, to one `IdentifierType`.

OFAC writes "Passport", "National ID No.", "Tax ID No.", "SWIFT/BIC", "Vessel Registration
Identification" and "Digital Currency Address - XBT"; the EU writes "passport", "id",
"regnumber"; the UK writes "Passport Number". Adapters keep the original label next to the type.
"""

from __future__ import annotations

import re

from lists.model import IdentifierType

# Ordered: the first pattern that matches the lower-cased label wins.
_RULES: list[tuple[re.Pattern[str], IdentifierType]] = [
    (re.compile(r"digital currency|crypto|wallet"), IdentifierType.CRYPTO_ADDRESS),
    (re.compile(r"\bimo\b|vessel registration"), IdentifierType.IMO),
    (re.compile(r"\bmmsi\b"), IdentifierType.MMSI),
    (re.compile(r"swift|\bbic\b"), IdentifierType.BIC),
    (re.compile(r"passport"), IdentifierType.PASSPORT),
    (
        re.compile(r"aircraft (?:tail|registration)|tail number"),
        IdentifierType.AIRCRAFT_REGISTRATION,
    ),
    (
        re.compile(r"aircraft (?:construction|manufacturer|serial)|serial number|msn"),
        IdentifierType.AIRCRAFT_SERIAL,
    ),
    (re.compile(r"call sign"), IdentifierType.CALL_SIGN),
    (re.compile(r"e-?mail"), IdentifierType.EMAIL),
    (re.compile(r"phone|fax"), IdentifierType.PHONE),
    (re.compile(r"website|\bweb\b|\burl\b"), IdentifierType.WEBSITE),
    (re.compile(r"un ref|un reference|un sanctions"), IdentifierType.UN_REFERENCE),
    (
        re.compile(r"tax|\binn\b|\bkpp\b|\bvat\b|\btin\b|\bnit\b|\bruc\b|\brfc\b|\bcuit\b"),
        IdentifierType.TAX_ID,
    ),
    (
        re.compile(
            r"regist|regnumber|company number|business number|\bogrn\b|\bokpo\b|"
            r"legal entity number|\blei\b|commercial registry|chamber of commerce|"
            r"enterprise number|certificate of incorporation"
        ),
        IdentifierType.REGISTRATION_NUMBER,
    ),
    (
        re.compile(
            r"national id|national identi|identity card|identification number|cedula|\bcurp\b|"
            r"personal id|id no|id card|\bnin?\b|^id$|\bni number|social security|\bssn\b|"
            r"residency|citizen's card|birth certificate|numero"
        ),
        IdentifierType.NATIONAL_ID,
    ),
]


def classify_identifier(label: str) -> IdentifierType:
    """The identifier type a label names; OTHER when no rule knows it (the label is kept)."""
    lowered = " ".join(label.lower().split())
    for pattern, identifier_type in _RULES:
        if pattern.search(lowered):
            return identifier_type
    return IdentifierType.OTHER


_IMO = re.compile(r"(?<!\d)(\d{7})(?!\d)")


def normalize_imo(text: str) -> str | None:
    """The 7-digit IMO number in "IMO 9562233", "IMO9562233" or "9562233".

    The check digit is not enforced: lists carry numbers that fail it (UN KPe.022 lists
    5342883), and dropping a listed identifier would hide a vessel. See `imo_check_digit_ok`.
    """
    match = _IMO.search(text)
    return match.group(1) if match else None


def imo_check_digit_ok(digits: str) -> bool:
    """Whether a 7-digit IMO number's last digit matches its weighted checksum."""
    if len(digits) != 7 or not digits.isdigit():
        return False
    check = sum(int(d) * w for d, w in zip(digits[:6], range(7, 1, -1), strict=True)) % 10
    return check == int(digits[6])
