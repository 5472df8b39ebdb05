"""Identifier labels, as each authority words them, to one `IdentifierType`.

OFAC writes "Passport", "National ID No.", "Tax ID No.", "SWIFT/BIC", "Vessel Registration
Identification" and "Digital Currency Address - XBT"; the EU writes "passport", "id",
"regnumber"; the UK writes "Passport Number". Adapters keep the original label next to the type.

IMO numbers are read here too: `normalize_imo` for a value, `imo_mentions` for free text, and
`imo_check_digit_ok` to tell a ship's number from an IMO company number.

`normalize_identifier` is the one comparable form of every identifier, used on both sides (the
listed value when the index is built, the screened value when it is looked up), with the rules
each kind needs: a BIC compares by its 8-character institution code (`normalize_bic`), a crypto
address keeps its case where the case is part of the address (`normalize_crypto_address`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

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


def imo_mention_spans(text: str | None) -> Iterator[tuple[int, int, ImoMention]]:
    """Every IMO number a free text states, with where it is written (start, end of the whole
    mention, label included), in the order written; repeats included."""
    for match in _IMO_MENTION.finditer(text or ""):
        label = match["label"]
        if "(IMO)" not in label:
            label = " ".join(label.replace(")", " ").split())
        yield match.start(), match.end(), ImoMention(label=label, number=match["number"])


def imo_mentions(text: str | None) -> list[ImoMention]:
    """Each IMO number a free text states, once, in the order written.

    Whether the number is a ship's or an IMO company and registered owner number is for the
    caller to decide (`ImoMention.ship_check_digit_ok`, and the wording around it).
    """
    found: dict[str, ImoMention] = {}
    for _, _, mention in imo_mention_spans(text):
        found.setdefault(mention.number, mention)
    return list(found.values())


# -- BICs -------------------------------------------------------------------------------------

# ISO 9362: 4 letters (institution), 2 letters (country), 2 letters or digits (location), and an
# optional 3-character branch. "XXX" is the primary office.
_BIC = re.compile(r"[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?")
# A BIC standing as a whole word in free text (upper case, as payment texts write them).
_BIC_IN_TEXT = re.compile(r"(?<![A-Za-z0-9])[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?(?![A-Za-z0-9])")
PRIMARY_OFFICE = "XXX"


@dataclass(frozen=True)
class Bic:
    """A BIC split into the institution code (8 characters) and its branch."""

    institution: str  # bank, country and location code: ATBANL2A
    branch: str | None  # None when only 8 characters were given; "XXX" is the primary office

    def describe(self) -> str:
        """The BIC for an explanation: "ATBANL2A", "ATBANL2A, branch XXX (primary office)"."""
        if self.branch is None:
            return self.institution
        office = " (primary office)" if self.branch == PRIMARY_OFFICE else ""
        return f"{self.institution}, branch {self.branch}{office}"


def parse_bic(value: str) -> Bic | None:
    """The BIC in "ATBANL2AXXX", "atbanl2a", "ATBA NL 2A XXX"; None when it is not one."""
    compact = "".join(value.split()).upper()
    if not _BIC.fullmatch(compact):
        return None
    return Bic(institution=compact[:8], branch=compact[8:] or None)


def normalize_bic(value: str) -> str | None:
    """The comparable form of a BIC: its 8-character institution code.

    Lists name the institution ("SWIFT/BIC ATBANL2A"); messages name an office of it
    (ATBANL2AXXX, the primary office, or a branch such as ATBANL2A123). A sanction on a bank
    covers its branches, so every office of the institution compares equal: the branch is not
    a difference that clears a payment, and callers show it in the explanation (`Bic.describe`).
    A listed branch code (SOMRRUM1KST) therefore stands for its whole institution too.
    """
    bic = parse_bic(value)
    if bic is None:
        # A label around the code ("SWIFT/BIC ATBANL2A", "BIC: ATBANL2AXXX"): the one word
        # shaped like a BIC.
        words = [w for w in re.split(r"[^0-9A-Za-z]+", value) if len(w) in (8, 11)]
        found = {b.institution for w in words if (b := parse_bic(w)) is not None}
        return found.pop() if len(found) == 1 else None
    return bic.institution


def bic_mentions(text: str | None) -> Iterator[tuple[int, int, Bic]]:
    """Each BIC-shaped whole word of a free text, with where it is written.

    Shape only: any upper-case 8- or 11-character word qualifies ("BENEFICIARY" does too), so
    callers check the found codes against listed BICs before they alert.
    """
    for match in _BIC_IN_TEXT.finditer(text or ""):
        bic = parse_bic(match.group())
        if bic is not None:
            yield match.start(), match.end(), bic


# -- Crypto addresses -------------------------------------------------------------------------


class CryptoEncoding(StrEnum):
    """How an address is written, which decides whether its case matters."""

    HEX = "hex"  # Ethereum and EVM chains (0x + 40 hex); EIP-55 puts a checksum in the case
    BECH32 = "bech32"  # bc1..., ltc1...: one case by definition (BIP 173)
    CASHADDR = "cashaddr"  # Bitcoin Cash q.../p...: one case by definition
    BASE58 = "base58"  # Bitcoin legacy, Tron, Litecoin, Dash, Monero ...: the case is data


_HEX_ADDRESS = re.compile(r"0x[0-9a-f]{40}", re.I)
# Other hex values some lists give (a Monero view key of 64 hex digits).
_HEX_VALUE = re.compile(r"(?:[0-9a-f]{64})", re.I)
# Bech32 (BIP 173): human-readable part, "1", then 6+ characters of the bech32 alphabet (no b,
# i, o or the digit 1), all in one case.
_BECH32 = re.compile(r"[a-z]{1,10}1[ac-hj-np-z02-9]{6,87}")
_CASHADDR = re.compile(r"[qp][ac-hj-np-z02-9]{41}")
_BASE58 = re.compile(r"[1-9A-HJ-NP-Za-km-z]{25,110}")
# A payment URI scheme in front of an address ("bitcoin:1A1z...", "ethereum:0x...").
_URI_SCHEME = re.compile(
    r"^(?:bitcoin|bitcoincash|ethereum|litecoin|tron|monero|dash|zcash):", re.I
)
# In free text: the shapes above as whole words (at least 25 characters, so ordinary words,
# numbers and references never qualify).
_CRYPTO_IN_TEXT = re.compile(
    r"(?<![A-Za-z0-9])(?:0x[0-9a-fA-F]{40}|[A-Za-z0-9]{25,110})"
    r"(?![A-Za-z0-9])"
)


def crypto_encoding(value: str) -> CryptoEncoding | None:
    """How a crypto address is written; None when it has none of the known shapes."""
    compact = _URI_SCHEME.sub("", "".join(value.split())).rstrip(".")
    if _HEX_ADDRESS.fullmatch(compact) or _HEX_VALUE.fullmatch(compact):
        return CryptoEncoding.HEX
    lowered = compact.lower()
    if compact in (lowered, compact.upper()):
        if _CASHADDR.fullmatch(lowered):
            return CryptoEncoding.CASHADDR
        if _BECH32.fullmatch(lowered):
            return CryptoEncoding.BECH32
    if _BASE58.fullmatch(compact):
        return CryptoEncoding.BASE58
    return None


def normalize_crypto_address(value: str) -> str:
    """The comparable form of a crypto address: lower case where case carries no meaning.

    Hex (Ethereum, EVM chains) is one number whatever the case; bech32 and cashaddr are one
    case by definition: these are lower-cased. Base58 (Bitcoin legacy, Tron, Monero ...) uses
    both cases as different digits, so 1H939dom... and 1h939DOM... are different addresses:
    the case is kept. A payment URI scheme ("bitcoin:") and a trailing full stop (a list's
    sentence end) are dropped; an unknown shape keeps its case, the safe side for base58.
    """
    compact = _URI_SCHEME.sub("", "".join(value.split())).rstrip(".")
    encoding = crypto_encoding(compact)
    if encoding in (CryptoEncoding.HEX, CryptoEncoding.BECH32, CryptoEncoding.CASHADDR):
        return compact.lower()
    return re.sub(r"[^0-9A-Za-z]", "", compact)


def crypto_mentions(text: str | None) -> Iterator[tuple[int, int, str]]:
    """Each word of a free text shaped like a crypto address, with where it is written.

    Shape only (25+ letters and digits, or 0x + 40 hex): callers check the found values
    against listed addresses (`normalize_crypto_address`) before they alert.
    """
    for match in _CRYPTO_IN_TEXT.finditer(text or ""):
        if crypto_encoding(match.group()) is not None:
            yield match.start(), match.end(), match.group()


# -- Any identifier ---------------------------------------------------------------------------

_ID_CLEAN = re.compile(r"[^0-9A-Z]")
_PROSE_WORD = re.compile(r"^[A-Za-z]{3,}\.?$")
# Identifiers that are numbers whatever the prefix ("IMO 9690212", "MMSI: 273...").
_NUMERIC_IDENTIFIERS = frozenset({IdentifierType.IMO.value, IdentifierType.MMSI.value})


def normalize_identifier(value: str, kind: str | None = None) -> str:
    """The comparable form of an identifier of a kind (an `IdentifierType` value).

    The same function serves the listed value and the screened one, so both sides always
    agree. By kind: IMO and MMSI numbers compare by their digits ("IMO 9690212" is 9690212);
    a BIC by its institution code (`normalize_bic`); a crypto address per its encoding
    (`normalize_crypto_address`). Any other identifier: upper-case letters and digits only
    (an IBAN or LEI written in groups compares equal to the compact form). Lists sometimes
    write prose around a number ("Russian foreign travel passport number 620169661"): when a
    value has two or more plain words, only the parts with digits count. Applying it twice
    gives the same result as once.
    """
    if kind in _NUMERIC_IDENTIFIERS:
        return "".join(c for c in value if c.isdigit())
    if kind == IdentifierType.BIC.value:
        bic = normalize_bic(value)
        if bic is not None:
            return bic
    elif kind == IdentifierType.CRYPTO_ADDRESS.value:
        return normalize_crypto_address(value)
    parts = value.split()
    if sum(1 for part in parts if _PROSE_WORD.match(part)) >= 2:
        parts = [part for part in parts if any(c.isdigit() for c in part)]
    return _ID_CLEAN.sub("", "".join(parts).upper())
