"""Jurisdiction roles in the Russia sanctions context, and finding them in countries, BICs, text.

Two package data files, read with importlib.resources:

``screening/data/jurisdictions.csv``
    A verbatim copy of ``../shared/data/reference/jurisdictions.csv`` (69 rows: 63 countries by
    ISO 3166-1 alpha-2 and six occupied Ukrainian regions by ISO 3166-2). Each row keeps its
    basis, sources, source type, verification and notes; the reference README explains them.
    Roles: ``sanctioned`` (RU, BY, IR, CU, SY, KP and the six regions), ``coalition_core`` (the
    39 GECC members), ``transshipment_hub`` (the 18 countries of FinCEN/BIS alert
    FIN-2022-Alert003 plus Hong Kong as an analysis-only row) and ``peripheral_pivot`` (SG, AE,
    TR: an analytical judgment, not an official designation). A country may hold several
    roles (TW, SG, AE, TR). A country absent from the file is **unclassified, not a clean
    bill**: `jurisdiction` returns None and `roles_of` an empty set, and callers must not read
    that as "low risk".

``screening/data/occupied_places.csv``
    Names by which text points into the occupied regions: their ISO 3166-2 codes, region and
    oblast names, the names of the occupation entities ("DNR", "LNR") and the main cities, in
    English, Ukrainian and Russian romanisations and in Cyrillic, including names used before
    the 2016 renamings (Krasnyi Luch, Stakhanov, Torez ...). These are geographic facts (the
    ISO 3166-2:UA subdivision codes and the settlements' locations), compiled for this project;
    the ``precise`` column says whether the named place lies inside occupied territory.
    **The line of occupation moves: re-check that column when it does.**

How to treat region matches (see the reference README, "Occupied regions"): the ISO 3166-2
codes cover whole oblasts, while the measures cover only the occupied areas, and the cities
of Zaporizhzhia and Kherson are under Ukrainian control. A match on an oblast name or code of
Donetsk, Luhansk, Zaporizhzhia or Kherson (``RegionMatch.oblast_only``) is therefore a
**review** signal, never an automatic block. Crimea and Sevastopol are occupied as a whole, so
any of their names is precise, as are the occupied cities and the occupation-entity names.

Matching works on whole words of the folded text (`screening.matching.normalize.fold`: any script to
Latin, case and accents folded), so "Donetskyi Street, Kyiv" and "Crimean Street" do not match
"Donetsk" or "Crimea", while "Донецьк", "DONETSK" and "Donetsk," do. Limits, by design:

* A place named as a street ("Sevastopol Street", "Mariupol St." with no comma in between) is
  taken for a street name and skipped; adjectival street names ("Sevastopolska",
  "Donetskaya ulitsa") never match in the first place.
* A few names are shared with places elsewhere; their rows list context words that cancel the
  match when they appear anywhere in the text: Tokmak (Tokmok, Kyrgyzstan), Donetsk (a town in
  Rostov oblast, Russia), Sebastopol (California, Ontario, Victoria), "DPR" (DPR Korea).
  Sverdlovsk (now Dovzhansk) and Antratsyt (also the Russian word for anthracite) are left out
  for the same reason.
* Postal codes are not used (five- and six-digit numbers are everywhere), and villages or
  small towns beyond the listed cities are not known.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources

import pycountry
from pydantic import BaseModel, ConfigDict, Field

from lists.values.countries import to_iso2
from screening.matching.normalize import fold

DATA_PACKAGE = "screening.data"
JURISDICTIONS_FILE = "jurisdictions.csv"
PLACES_FILE = "occupied_places.csv"


class Role(StrEnum):
    """Roles in the order of precedence the reference file uses for the primary role."""

    SANCTIONED = "sanctioned"
    COALITION_CORE = "coalition_core"
    TRANSSHIPMENT_HUB = "transshipment_hub"
    PERIPHERAL_PIVOT = "peripheral_pivot"


class Jurisdiction(BaseModel):
    """One row of jurisdictions.csv: a country or an occupied region and its roles."""

    model_config = ConfigDict(frozen=True)

    code: str = Field(description="ISO 3166-1 alpha-2 (RU) or ISO 3166-2 for regions (UA-43)")
    code_type: str = Field(description="iso3166-1 or iso3166-2")
    parent: str = Field(description="ISO alpha-2 of the country the row belongs to")
    name: str
    primary_role: Role = Field(
        description="sanctioned > coalition_core > peripheral_pivot > transshipment_hub"
    )
    roles: list[Role] = Field(description="every role, in the file's precedence order")
    program: str = Field(description="sanctions programme(s), for sanctioned rows")
    basis: str = Field(description="the sourced statement or labelled judgment behind the roles")
    sources: list[str] = Field(description="source ids, see screening/data/sources.csv")
    source_type: str
    verified: str = Field(description="yes, partial or no")
    notes: str

    @property
    def is_region(self) -> bool:
        return self.code_type == "iso3166-2"


class PlaceKind(StrEnum):
    CODE = "code"  # an ISO 3166-2 code such as UA-43
    REGION = "region"  # a region or oblast name (Crimea, Donetsk Oblast, Kherson)
    ENTITY = "entity"  # an occupation entity (DNR, Luhansk People's Republic)
    CITY = "city"  # a city inside occupied territory (Melitopol, Simferopol)


class RegionMatch(BaseModel):
    """An occupied region found in a text, with the evidence."""

    model_config = ConfigDict(frozen=True)

    region: Jurisdiction
    matched: str = Field(description="the words of the text that matched, as written there")
    place: str = Field(description="the place they name, in English (Mariupol, Crimea, ...)")
    kind: PlaceKind
    oblast_only: bool = Field(
        description="only an oblast partly under Ukrainian control is named: review, not block"
    )


# --- jurisdictions.csv -----------------------------------------------------------------------


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _jurisdiction_from_row(row: dict[str, str]) -> Jurisdiction:
    return Jurisdiction(
        code=row["iso2"],
        code_type=row["code_type"],
        parent=row["parent_iso2"],
        name=row["name"],
        primary_role=Role(row["role"]),
        roles=[Role(role) for role in _split(row["roles"])],
        program=row["program"],
        basis=row["basis"],
        sources=_split(row["source"]),
        source_type=row["source_type"],
        verified=row["verified"],
        notes=row["notes"],
    )


def _read_data(file_name: str) -> list[dict[str, str]]:
    text = resources.files(DATA_PACKAGE).joinpath(file_name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def _by_code() -> dict[str, Jurisdiction]:
    rows = (_jurisdiction_from_row(row) for row in _read_data(JURISDICTIONS_FILE))
    return {row.code: row for row in rows}


def jurisdictions() -> list[Jurisdiction]:
    """All 69 classified jurisdictions, in file order."""
    return list(_by_code().values())


def with_role(role: Role, *, primary: bool = False) -> list[Jurisdiction]:
    """Jurisdictions holding a role (as their primary role only, with ``primary=True``)."""
    return [
        row
        for row in _by_code().values()
        if (row.primary_role == role if primary else role in row.roles)
    ]


# --- countries -------------------------------------------------------------------------------

_ALPHA3 = re.compile(r"^[A-Za-z]{3}$")
_SUBDIVISION = re.compile(r"^[A-Za-z]{2}-[A-Za-z0-9]{1,3}$")
# ISO 9362 and many lists use XK for Kosovo, a user-assigned code pycountry does not know.
_EXTRA_COUNTRY_CODES = frozenset({"XK"})


def _is_country_code(code: str) -> bool:
    return code in _EXTRA_COUNTRY_CODES or pycountry.countries.get(alpha_2=code) is not None


def _country_of_subdivision(code: str) -> str | None:
    # The country part only: the subdivision itself is not checked against ISO 3166-2.
    country = code[:2]
    return country if _is_country_code(country) else None


def resolve_country(text: str | None) -> str | None:
    """ISO 3166-1 alpha-2 for a country code (RU, RUS, any case) or name, else None.

    Names in any spelling lists.values.countries knows (English, local, Cyrillic, "Korea, South",
    "U.A.E.", "Chinese Taipei"), and ISO 3166-2 codes ("UA-43" gives UA). A region text such
    as "Crimea" gives its country (UA); use `resolve_code` to keep the region. Codes that are
    not countries ("EU") give None.
    """
    if text is None or not text.strip():
        return None
    value = text.strip()
    if _ALPHA3.match(value):
        value = value.upper()
    elif _SUBDIVISION.match(value):
        return _country_of_subdivision(value.upper())
    code = to_iso2(value)
    if code is None or not _is_country_code(code):
        return None
    return code


def resolve_code(text: str | None) -> str | None:
    """The jurisdiction code a country field means: an ISO 3166-2 region code when the whole
    text names an occupied region ("Crimea", "UA-43", "Donetsk"), else `resolve_country`."""
    if text is None:
        return None
    place = _places().by_spelling.get(fold(text))
    if place is not None and len(place.regions) == 1:
        return place.regions[0]
    return resolve_country(text)


def jurisdiction(code: str | None) -> Jurisdiction | None:
    """The classified jurisdiction for a code ("RU", "ua-43") or a country/region text.

    None means unclassified: the file says nothing about it, which is not a clean bill.
    """
    if code is None:
        return None
    found = _by_code().get(code.strip().upper())
    if found is not None:
        return found
    resolved = resolve_code(code)
    return None if resolved is None else _by_code().get(resolved)


def roles_of(code: str | None) -> set[Role]:
    """The roles of a jurisdiction; empty for None or an unclassified country."""
    found = jurisdiction(code)
    return set() if found is None else set(found.roles)


# --- BIC -------------------------------------------------------------------------------------

# ISO 9362: 4 letters institution, 2 letters country, 2 alphanumerics location, and an optional
# 3-alphanumeric branch.
_BIC = re.compile(r"^[A-Z]{4}(?P<country>[A-Z]{2})[A-Z0-9]{2}(?:[A-Z0-9]{3})?$")


def normalize_bic(bic: str | None) -> str | None:
    """The BIC upper-cased without spaces when it is well formed, else None."""
    if bic is None:
        return None
    value = "".join(bic.split()).upper()
    match = _BIC.match(value)
    if match is None or not _is_country_code(match["country"]):
        return None
    return value


def country_of_bic(bic: str | None) -> str | None:
    """ISO alpha-2 from characters 5-6 of a BIC, or None when the BIC is malformed.

    Malformed input (wrong length or characters, an unknown country code) gives None rather
    than an exception so that rules can fall back to the other evidence of a transaction;
    use `normalize_bic` to tell a bad BIC from a missing one. Spaces and case are forgiven.
    """
    value = normalize_bic(bic)
    return None if value is None else value[4:6]


# --- occupied regions in text ----------------------------------------------------------------

# English street words that, written right after a place name, make it a street name
# ("Sevastopol Street", "Mariupol Ave"). Slavic street words come before the name and name it
# by an adjective ("ул. Донецкая", "Sevastopolska St"), so they need no rule of their own; a
# Cyrillic address such as "г. Донецк ул. Артема" must still match.
_STREET_WORDS = frozenset(
    {"street", "st", "str", "road", "rd", "avenue", "ave", "lane", "ln", "boulevard", "blvd"}
    | {"square", "sq", "drive", "dr", "highway", "hwy", "embankment"}
)
# A word with its inner apostrophes (People's, Donets'k, Кам'янка); fold removes them.
_WORD = re.compile(r"[\w'’ʼ`´]+")
_CLOSE_GAP = re.compile(r"^[ \t]*$")


@dataclass(frozen=True)
class _Place:
    regions: tuple[str, ...]
    kind: PlaceKind
    name: str
    tokens: tuple[str, ...]
    precise: bool
    unless_with: frozenset[str]


@dataclass(frozen=True)
class _PlaceIndex:
    # first folded token -> places starting with it, longest first
    by_first_token: dict[str, list[_Place]]
    by_spelling: dict[str, _Place]


@dataclass(frozen=True)
class _Word:
    token: str
    start: int
    end: int


@cache
def _places() -> _PlaceIndex:
    by_first: dict[str, list[_Place]] = {}
    by_spelling: dict[str, _Place] = {}
    for row in _read_data(PLACES_FILE):
        for spelling in _split(row["spellings"]):
            place = _Place(
                regions=tuple(_split(row["regions"])),
                kind=PlaceKind(row["kind"]),
                name=row["place"],
                tokens=tuple(fold(spelling).split()),
                precise=row["precise"] == "yes",
                unless_with=frozenset(fold(word) for word in _split(row["unless_with"])),
            )
            by_first.setdefault(place.tokens[0], []).append(place)
            by_spelling.setdefault(" ".join(place.tokens), place)
    for places in by_first.values():
        places.sort(key=lambda place: len(place.tokens), reverse=True)
    return _PlaceIndex(by_first_token=by_first, by_spelling=by_spelling)


def _words(text: str) -> list[_Word]:
    words: list[_Word] = []
    for match in _WORD.finditer(text):
        # One written word may fold into several tokens (a ligature, a digit run).
        for token in fold(match.group()).split():
            words.append(_Word(token, match.start(), match.end()))
    return words


def _is_street_name(text: str, words: list[_Word], end: int) -> bool:
    """Whether the words up to `end` are followed directly (no comma) by a street word."""
    if end >= len(words) or words[end].token not in _STREET_WORDS:
        return False
    return _CLOSE_GAP.match(text[words[end - 1].end : words[end].start]) is not None


def _place_at(words: list[_Word], start: int, context: frozenset[str]) -> _Place | None:
    for place in _places().by_first_token.get(words[start].token, []):
        size = len(place.tokens)
        if tuple(word.token for word in words[start : start + size]) != place.tokens:
            continue
        if place.unless_with & context:
            continue
        return place
    return None


def region_matches(text: str | None) -> list[RegionMatch]:
    """Occupied Ukrainian regions named in a text, each once, in order of first mention.

    A region named several times keeps its most specific evidence: a precise match (a city,
    Crimea, an occupation entity) wins over an oblast-only one, then the first one wins.
    """
    if not text:
        return []
    words = _words(text)
    context = frozenset(word.token for word in words)
    found: dict[str, RegionMatch] = {}
    index = 0
    while index < len(words):
        place = _place_at(words, index, context)
        if place is None:
            index += 1
            continue
        end = index + len(place.tokens)
        if not _is_street_name(text, words, end):
            matched = text[words[index].start : words[end - 1].end]
            for region in place.regions:
                _keep_best(found, _region_match(region, place, matched))
        index = end
    return list(found.values())


def _region_match(region: str, place: _Place, matched: str) -> RegionMatch:
    row = _by_code()[region]
    return RegionMatch(
        region=row,
        matched=matched,
        place=place.name,
        kind=place.kind,
        oblast_only=not place.precise,
    )


def _keep_best(found: dict[str, RegionMatch], candidate: RegionMatch) -> None:
    code = candidate.region.code
    current = found.get(code)
    if current is None or (current.oblast_only and not candidate.oblast_only):
        found[code] = candidate


def regions_in_text(text: str | None) -> list[Jurisdiction]:
    """The occupied regions a text names (see `region_matches` for the evidence)."""
    return [match.region for match in region_matches(text)]
