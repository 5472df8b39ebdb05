"""Identifier labels, as each authority words them, to one `IdentifierType`.

OFAC writes "Passport", "National ID No.", "Tax ID No.", "SWIFT/BIC", "Vessel Registration
Identification" and "Digital Currency Address - XBT"; the EU writes "passport", "id",
"regnumber"; the UK writes "Passport Number". Adapters keep the original label next to the type.

IMO numbers are read here too: `normalize_imo` for a value, `imo_mentions` for free text, and
`imo_check_digit_ok` to tell a ship's number from an IMO company number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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


# "IMO number: 5571322", "IMO No. 9122552", "IMO: 8937675", "IMO#9122552", "(IMO number):7408873",
# "Company Number IMO 5434358", "International Maritime Organization (IMO) Number: 1790183".
# Only a number that directly follows "IMO" (and its label words) counts, so a list of other
# vessels ("vessels with IMO Number: (a) Chol Ryong ... 8606173") is not read as one number.
_IMO_MENTION = re.compile(
    r"\b(?P<label>International Maritime Organization \(IMO\) Number"
    r"|(?:Company Number )?IMO\)?(?:\s*(?:number|no\.?|nr\.?|#))?)"
    r"\)?\s*[:.]?\s*(?P<number>\d{7})(?!\d)",
    re.I,
)


@dataclass(frozen=True)
class ImoMention:
    """An IMO number stated in free text, with the words that introduce it."""

    label: str  # as written, brackets dropped: "IMO number", "Company Number IMO"
    number: str  # 7 digits

    @property
    def ship_check_digit_ok(self) -> bool:
        """Whether the number passes the ship check digit (company numbers usually fail it)."""
        return imo_check_digit_ok(self.number)


def imo_mentions(text: str | None) -> list[ImoMention]:
    """Each IMO number a free text states, once, in the order written.

    Whether the number is a ship's or an IMO company and registered owner number is for the
    caller to decide (`ImoMention.ship_check_digit_ok`, and the wording around it).
    """
    found: dict[str, ImoMention] = {}
    for match in _IMO_MENTION.finditer(text or ""):
        label = match["label"]
        if "(IMO)" not in label:
            label = " ".join(label.replace(")", " ").split())
        found.setdefault(match["number"], ImoMention(label=label, number=match["number"]))
    return list(found.values())
