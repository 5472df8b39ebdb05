"""Country names and codes, in every spelling the lists use, to ISO 3166-1 alpha-2.

`countrynames` (maintained by OpenSanctions) knows the many English, French and local names
and the odd forms sanctions lists use ("Korea, North", "Iran (Islamic Republic of)"); pycountry
adds the alpha-3 codes. Sub-national codes such as Crimea's ``UA-CRI`` resolve to their country.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import countrynames
import pycountry

# Values the lists use to say "no country"; they must not become a code.
_UNKNOWN = {"", "00", "-0-", "unknown", "undetermined", "stateless", "n/a", "none", "-"}

# Historical or non-ISO codes that countrynames returns, mapped to the code a screener needs.
_LEGACY = {"SUHH": "SU", "CSHH": "CS", "YUCS": "YU", "DDDE": "DE", "XK": "XK"}

_PAREN = re.compile(r"\s*\([^)]*\)\s*$")

# Spellings countrynames does not know, as the lists write them. Looked up first: the bracket
# fallback below would read OFSI's "Congo (Democratic Republic)" as "Congo" (CG).
_ALIASES = {
    "congo (democratic republic)": "CD",
    "occupied palestinian territories": "PS",
    "gaza": "PS",
    "libyan arab jamahiriya": "LY",
}
# The same, compared on letters only ("U.A.E." = "u a e", "Türkiye" = "turkiye").
_LETTER_ALIASES = {
    "uae": "AE",
    "u a e": "AE",
    "emirates": "AE",
    "usa": "US",
    "u s a": "US",
    "u s": "US",
    "chinese taipei": "TW",
    "republic of turkiye": "TR",
    "republic of turkey": "TR",
}
_NOT_LETTERS = re.compile(r"[^a-z]+")


def _letters(value: str) -> str:
    plain = unicodedata.normalize("NFKD", value.lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return _NOT_LETTERS.sub(" ", plain).strip()


# Large enough for every distinct word of the loaded lists' names (about 22,000): the
# analytics' country-in-name check asks for each, and a smaller cache thrashed (4-5 s a build).
@lru_cache(maxsize=65536)
def to_iso2(text: str | None) -> str | None:
    """The ISO alpha-2 code for a country name or code, or None when it is not a country."""
    if text is None:
        return None
    value = " ".join(text.split()).strip(" .,;")
    if value.lower() in _UNKNOWN:
        return None
    if value.lower() in _ALIASES:
        return _ALIASES[value.lower()]
    letters = _letters(value)
    if letters in _LETTER_ALIASES:
        return _LETTER_ALIASES[letters]
    code = _lookup(value)
    if code is None and _PAREN.search(value):
        # "Russia (Moscow)" or "Iran (Islamic Republic of)": try without the bracket.
        code = _lookup(_PAREN.sub("", value))
    return code


def _lookup(value: str) -> str | None:
    if len(value) == 3 and value.isalpha() and value.isupper():
        country = pycountry.countries.get(alpha_3=value)
        if country is not None:
            return str(country.alpha_2)
    code = countrynames.to_code(value, fuzzy=False)
    if code is None:
        return None
    code = _LEGACY.get(code, code)
    if "-" in code:  # a subdivision such as UA-CRI
        code = code.split("-", 1)[0]
    if len(code) != 2:
        return None
    return code.upper()


def split_countries(text: str | None) -> list[str]:
    """Codes for a field that may list several countries ("1) Iraq 2) Syria", "Iran; Iraq")."""
    if not text:
        return []
    parts = re.split(r"\s*(?:\d+\)\s*|;|/|\|)\s*", text)
    codes: list[str] = []
    for part in parts:
        code = to_iso2(part)
        if code and code not in codes:
            codes.append(code)
    return codes
