"""Goods codes against the Common High Priority List (CHPL): is this HS, CN or HTS code listed?

The CHPL (BIS with the EU, Japan and the UK, version of February 2024) names 50 six-digit HS 2022
subheadings in six tiers. The data ships as package data (``screening/data/chpl.csv``,
transcribed from the sourced reference table; see ``screening/data/CHPL.md``).

How a code is read (``check_hs``):

* Codes are text, never numbers: leading zeros are kept. Unicode NFKC first (full-width digits
  become ASCII), then spaces, dots, hyphens, slashes, commas and underscores are removed. What
  remains must be ASCII digits, otherwise ``HsCodeError``.
* 6, 8 or 10 digits (HS subheading, CN or 8-digit HTS line, 10-digit HTS/TARIC line): the first
  six digits decide, because every national line sits inside its HS subheading.

  - a CHPL subheading: ``listed``, with its tier;
  - an HS 2017 subheading whose goods HS 2022 moved into a CHPL subheading (the
    ``hs2017_predecessor`` column): ``possible`` when the old code only partly went there (it was
    split, e.g. 8525.80, 8541.40, 8541.50, or renumbered approximately, 8803.30), with the CHPL
    subheadings it covers; ``listed`` when the old code went over whole (8548.90 became
    8548.00), since nothing but CHPL goods can be declared under it;
  - anything else: ``not_listed``.
* 4 digits (a heading): ``possible`` with every CHPL subheading under it (also through HS 2017
  predecessors: 8803 gives 8807.30), ``not_listed`` if there is none. When the heading's only
  HS 2022 subheading is listed (``xxxx00``: 8534, 8548) the heading is covered: ``listed``.
* 2 digits (a chapter): always ``not_listed``; a chapter alone never matches.
* Non-standard lengths are kept but flagged in ``warnings``: 7 or 9 digits (a truncated 8 or 10
  digit line) are read by their first six digits like 8 and 10. A lost leading zero cannot hide a
  CHPL code, because CHPL goods sit in chapters 84, 85, 88 and 90. 5 digits (often a spreadsheet
  that turned 9030.20 into 9030.2) are never padded: ``possible`` with the CHPL subheadings that
  start with those digits, as for a heading.
* Unreadable, ``HsCodeError`` (a ``ValueError``): empty input, letters or other characters, 1 or 3
  digits, more than 10 digits.

A hit is a diligence signal ranked by tier (``TIER_RANK``), not a licensing determination.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

CHPL_VERSION = "2024-02"
"""The CHPL version the package data holds (BIS notice of 23 February 2024, EU February 2024)."""

TIER_RANK: dict[str, int] = {"1": 1, "2": 2, "3.A": 3, "3.B": 4, "4.A": 5, "4.B": 6}
"""Tier to rank, 1 = highest concern. Tiers 1 and 2 are the nine highest-priority codes."""

DATA_PACKAGE = "screening.data"
CHPL_FILE = "chpl.csv"

# Separators people and tariff systems write inside codes (8542.31.00, 8542 31 00, 8542-31, ...),
# including Unicode dashes and the minus sign, which NFKC leaves alone.
_SEPARATORS = re.compile(r"[\s.,/_\-\u2010-\u2015\u2212]+")
_ASCII_DIGITS = re.compile(r"[0-9]+")
_PREDECESSOR = re.compile(r"(?P<codes>\d{6}(?:;\d{6})*)(?: \((?P<note>[^()]+)\))?")
# Qualifiers in the hs2017_predecessor note meaning the old code only partly went into the CHPL
# subheading: it was split ("part; HS2022 split 8525.80 ...") or renumbered loosely ("approx.").
_PARTIAL_NOTES = ("part", "approx")

CHAPTER_DIGITS = 2
HEADING_DIGITS = 4
SUBHEADING_DIGITS = 6
MAX_DIGITS = 10
CHPL_CHAPTERS = ("84", "85", "88", "90")


class HsCodeError(ValueError):
    """The input cannot be read as an HS, CN or HTS code (the message says why)."""


class HsVerdictKind(StrEnum):
    LISTED = "listed"
    POSSIBLE = "possible"
    NOT_LISTED = "not_listed"


class ChplEntry(BaseModel):
    """One CHPL subheading (HS 2022, six digits) with its tier and sources."""

    model_config = ConfigDict(frozen=True)

    hs_code: str = Field(pattern=r"^[0-9]{6}$", description="HS 2022 subheading, e.g. 854231")
    hs_code_dotted: str = Field(pattern=r"^[0-9]{4}\.[0-9]{2}$", description="e.g. 8542.31")
    tier: str = Field(description="1, 2, 3.A, 3.B, 4.A or 4.B")
    tier_label: str
    highest_priority: bool = Field(description="one of the nine tier 1 and tier 2 codes")
    description: str = Field(description="paraphrase of the HS 2022 subheading text")
    hs2017_predecessor: list[str] = Field(
        description="HS 2017 code(s) that held the goods (the same code when unchanged)"
    )
    hs2017_note: str = Field(default="", description="how HS 2022 changed the predecessor")
    list_version: str
    sources: list[str] = Field(description="source ids, see screening/data/sources.csv")

    @field_validator("tier")
    @classmethod
    def _known_tier(cls, tier: str) -> str:
        if tier not in TIER_RANK:
            raise ValueError(f"unknown tier {tier!r} (expected one of {', '.join(TIER_RANK)})")
        return tier

    @property
    def hs2017_partial(self) -> bool:
        """True when the predecessor code(s) only partly went into this subheading."""
        return self.hs2017_note.lower().startswith(_PARTIAL_NOTES)


class HsVerdict(BaseModel):
    """What the CHPL says about one code."""

    code: str = Field(description="the code as given")
    normalized: str | None = Field(
        description="digits only, leading zeros kept (check_hs raises instead of returning None)"
    )
    verdict: HsVerdictKind
    tiers: list[str] = Field(description="tiers of the matches, highest concern first")
    matches: list[ChplEntry] = Field(description="the CHPL subheadings concerned")
    reason: str
    warnings: list[str] = Field(default_factory=list, description="doubts about the input")


@dataclass(frozen=True)
class _ChplIndex:
    entries: tuple[ChplEntry, ...]
    by_code: dict[str, ChplEntry]
    # HS 2017 code -> the CHPL entries its goods moved into, only where the code changed.
    by_predecessor: dict[str, list[ChplEntry]] = field(default_factory=dict)


def chpl_entries() -> list[ChplEntry]:
    """The 50 CHPL subheadings of ``CHPL_VERSION``, in list order (tier by tier)."""
    return list(_index().entries)


def normalize_hs(code: str) -> tuple[str, list[str]]:
    """The digits of ``code`` (leading zeros kept) and doubts about it.

    Raises ``HsCodeError`` when ``code`` cannot be read (see the module documentation).
    """
    text = unicodedata.normalize("NFKC", code)
    digits = _SEPARATORS.sub("", text)
    if not digits:
        raise HsCodeError(f"{code!r}: empty HS code")
    if not _ASCII_DIGITS.fullmatch(digits):
        raise HsCodeError(
            f"{code!r}: not an HS code (only digits with . - / , or spaces between them)"
        )
    length = len(digits)
    if length > MAX_DIGITS:
        raise HsCodeError(f"{code!r}: {length} digits; HS, CN and HTS codes have 4 to 10")
    if length in (1, 3):
        raise HsCodeError(
            f"{code!r}: {length} digit{'s' if length > 1 else ''}; give at least a 4-digit heading"
        )
    warnings = []
    if length in (5, 7, 9):
        warnings.append(
            f"{length} digits is not a standard length (truncated, or a trailing or leading zero "
            "lost?); check the declared code"
        )
    last_group = re.split(r"\.", text.strip())[-1].strip()
    if "." in text and len(last_group) == 1 and last_group.isdigit():
        warnings.append(
            "one digit after the last dot: a spreadsheet may have dropped a trailing zero "
            "(9030.20 -> 9030.2); not padded"
        )
    return digits, warnings


def check_hs(code: str) -> HsVerdict:
    """The CHPL verdict for one HS, CN or HTS code (see the module documentation).

    Raises ``HsCodeError`` (a ``ValueError``) when ``code`` cannot be read as a code.
    """
    digits, warnings = normalize_hs(code)
    if len(digits) == CHAPTER_DIGITS:
        return _verdict(
            code,
            digits,
            HsVerdictKind.NOT_LISTED,
            [],
            f"chapter {digits}: a chapter alone never matches (CHPL goods sit in chapters "
            f"{', '.join(CHPL_CHAPTERS)}); give the 6-digit subheading",
            warnings,
        )
    if len(digits) < SUBHEADING_DIGITS:
        return _check_prefix(code, digits, warnings)
    return _check_subheading(code, digits, warnings)


def _check_subheading(code: str, digits: str, warnings: list[str]) -> HsVerdict:
    index = _index()
    six = digits[:SUBHEADING_DIGITS]
    listed = index.by_code.get(six)
    if listed is not None:
        return _verdict(
            code,
            digits,
            HsVerdictKind.LISTED,
            [listed],
            f"{_dotted(six)} is on the CHPL, {listed.tier_label}",
            warnings,
        )
    successors = index.by_predecessor.get(six, [])
    if not successors:
        return _verdict(
            code,
            digits,
            HsVerdictKind.NOT_LISTED,
            [],
            f"{_dotted(six)} is not on the CHPL",
            warnings,
        )
    targets = ", ".join(entry.hs_code_dotted for entry in successors)
    if any(entry.hs2017_partial for entry in successors):
        return _verdict(
            code,
            digits,
            HsVerdictKind.POSSIBLE,
            successors,
            f"HS 2017 {_dotted(six)} only partly went into CHPL {targets} in HS 2022; "
            "classify the goods under HS 2022",
            warnings,
        )
    return _verdict(
        code,
        digits,
        HsVerdictKind.LISTED,
        successors,
        f"HS 2017 {_dotted(six)} became CHPL {targets} in HS 2022",
        warnings,
    )


def _check_prefix(code: str, digits: str, warnings: list[str]) -> HsVerdict:
    """A heading (4 digits) or a 5-digit fragment: the CHPL subheadings it may contain."""
    index = _index()
    covered = [
        entry
        for entry in index.entries
        if entry.hs_code.startswith(digits)
        or any(old.startswith(digits) and old != entry.hs_code for old in entry.hs2017_predecessor)
    ]
    what = "heading" if len(digits) == HEADING_DIGITS else "code"
    if not covered:
        return _verdict(
            code,
            digits,
            HsVerdictKind.NOT_LISTED,
            [],
            f"no CHPL subheading under {what} {digits}",
            warnings,
        )
    if len(digits) == HEADING_DIGITS and [e.hs_code for e in covered] == [digits + "00"]:
        return _verdict(
            code,
            digits,
            HsVerdictKind.LISTED,
            covered,
            f"heading {digits} has the single subheading {covered[0].hs_code_dotted}, on the "
            f"CHPL, {covered[0].tier_label}",
            warnings,
        )
    listed = ", ".join(entry.hs_code_dotted for entry in covered)
    return _verdict(
        code,
        digits,
        HsVerdictKind.POSSIBLE,
        covered,
        f"{what} {digits} covers CHPL {listed}; give the 6-digit subheading",
        warnings,
    )


def _verdict(
    code: str,
    digits: str,
    kind: HsVerdictKind,
    matches: list[ChplEntry],
    reason: str,
    warnings: list[str],
) -> HsVerdict:
    tiers = sorted({entry.tier for entry in matches}, key=TIER_RANK.__getitem__)
    return HsVerdict(
        code=code,
        normalized=digits,
        verdict=kind,
        tiers=tiers,
        matches=matches,
        reason=reason,
        warnings=warnings,
    )


def _dotted(six: str) -> str:
    return f"{six[:4]}.{six[4:]}"


@cache
def _index() -> _ChplIndex:
    entries = tuple(_read_chpl())
    by_predecessor: dict[str, list[ChplEntry]] = {}
    for entry in entries:
        for old in entry.hs2017_predecessor:
            if old != entry.hs_code:
                by_predecessor.setdefault(old, []).append(entry)
    by_code = {entry.hs_code: entry for entry in entries}
    if len(by_code) != len(entries):
        raise RuntimeError(f"{CHPL_FILE}: duplicate hs_code in the package data")
    return _ChplIndex(entries=entries, by_code=by_code, by_predecessor=by_predecessor)


def _read_chpl() -> list[ChplEntry]:
    """The package data rows of ``CHPL_VERSION``. A bad row is a packaging bug: fail loudly."""
    text = resources.files(DATA_PACKAGE).joinpath(CHPL_FILE).read_text(encoding="utf-8")
    entries = []
    for line, row in enumerate(csv.DictReader(io.StringIO(text, newline="")), start=2):
        if row["list_version"] != CHPL_VERSION:
            continue
        try:
            entries.append(_entry(row))
        except (ValidationError, ValueError, KeyError) as exc:
            raise RuntimeError(f"{CHPL_FILE} line {line}: {exc}") from exc
    return entries


def _entry(row: dict[str, str]) -> ChplEntry:
    predecessor = _PREDECESSOR.fullmatch(row["hs2017_predecessor"].strip())
    if predecessor is None:
        raise ValueError(f"unreadable hs2017_predecessor {row['hs2017_predecessor']!r}")
    if row["hs_code_dotted"] != _dotted(row["hs_code"]):
        raise ValueError(f"hs_code_dotted {row['hs_code_dotted']!r} != hs_code {row['hs_code']}")
    return ChplEntry(
        hs_code=row["hs_code"],
        hs_code_dotted=row["hs_code_dotted"],
        tier=row["tier"],
        tier_label=row["tier_label"],
        highest_priority=row["highest_priority_9"] == "yes",
        description=row["description"],
        hs2017_predecessor=predecessor["codes"].split(";"),
        hs2017_note=predecessor["note"] or "",
        list_version=row["list_version"],
        sources=[source for source in row["source"].split(";") if source],
    )
