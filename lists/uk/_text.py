"""Text helpers shared by the UK readers: OFSI and FCDO write several values into one cell.

Both UK publishers number multiple values inside one field ("(1) Iraq (2) Syria", "a) French,
b) Tunisian"), put document numbers inside free text ("Passport No: 592667 (Qatari passport
issued on 3 May 2007)") and name the issuing country in words. These helpers take such text
apart without guessing beyond what the text says; callers keep the original text alongside.
"""

from __future__ import annotations

import re

from lists.model import PartialDate
from lists.values.countries import to_iso2
from lists.values.dates import parse_partial_date

# "(1) ", "1) ", "(a) ", "a) " at the start of the text or after a space or punctuation.
_LIST_MARKER = re.compile(r"(?:^|(?<=[\s.,;:]))\(?(?:[1-9]\d?|[a-h])\)\s*")


def clean(value: object) -> str:
    """A cell's text with every run of whitespace (line breaks, no-break spaces) made one space."""
    if not value:
        return ""  # most cells are empty: the common case first
    return " ".join(str(value).split())


def split_numbered(text: str) -> list[str]:
    """The items of a numbered field ("(1) Mullah (2) Maulavi"); the whole text when unnumbered."""
    if not _LIST_MARKER.search(text):
        return [text] if text else []
    items = [item.strip(" .,;") for item in _LIST_MARKER.split(text)]
    return [item for item in items if item]


# --- countries -------------------------------------------------------------------------------

_COUNTRY_SEPARATORS = re.compile(r"\s*(?:[.,;/]|\band\b)\s*")


def countries_in(text: str) -> tuple[list[str], bool]:
    """ISO codes of every country a nationality-like field names, and whether all were read.

    "(1) Russia. (2) Ukraine", "a) French, b) Tunisian", "Estonia, Russia" and "Germany. Russia"
    all give two codes. A piece that is not a country ("Possibly Ethiopian") makes the second
    value False so that the caller keeps the raw text.
    """
    codes: list[str] = []
    complete = True
    for item in split_numbered(text):
        found = _item_countries(item)
        if not found:
            complete = False
        for code in found:
            if code not in codes:
                codes.append(code)
    return codes, complete


def _item_countries(item: str) -> list[str]:
    code = to_iso2(item)
    if code:
        return [code]
    pieces = [piece for piece in _COUNTRY_SEPARATORS.split(item) if piece]
    codes = [to_iso2(piece) for piece in pieces]
    if len(pieces) > 1 and all(codes):
        return [code for code in codes if code]
    return []


# The country that issued a document, as the details text names it: "Iraq. Issued on ...",
# "Tunisian number, issued ...", "Afghan national ID card", "(CAR Diplomatic)", "Country: Russia".
_LEADING_COUNTRY = re.compile(
    r"^\(?\s*([A-Za-z][A-Za-z .'’-]*?)\s*(?:\)|\.|,|;|:|$|\s+(?:number|passport|national|"
    r"diplomatic|service|official|issued|expire[sd]?|expiry|identity|id\b|identification|"
    r"citizen|birth|driv|inn|tin|tax|fiscal|social|alien|registration|civil|residen))",
    re.I,
)
_LABELLED_COUNTRY = re.compile(
    r"(?:country(?: of issue)?\s*:|place of issue\s*:|issued in)\s*([A-Za-z][A-Za-z .'’-]+)", re.I
)
_BRACKETED = re.compile(r"\(([^()]+)\)")


def issuing_country(details: str | None) -> str | None:
    """ISO code of the country a document's details name as its issuer, if they name one."""
    if not details:
        return None
    candidates = [match.group(1) for match in _LABELLED_COUNTRY.finditer(details)]
    candidates.append(details)
    candidates.extend(match.group(1) for match in _BRACKETED.finditer(details))
    for candidate in candidates:
        leading = _LEADING_COUNTRY.match(candidate.strip())
        if leading:
            code = to_iso2(leading.group(1))
            if code:
                return code
    return None


# --- identifiers in free text ------------------------------------------------------------------

# A document or registration number: at least 5 characters with a digit, optionally led by up to
# four capital letters ("DA0001564", "SE-011697", "05AT521433"). Dates never qualify.
_DOCUMENT_NUMBER = re.compile(r"\b(?=[A-Z-]{0,5}\d)[A-Z]{0,4}-?\d[0-9A-Z-]{4,}\b")
_MMSI_MENTION = re.compile(r"\bMMSI\)?(?:\s*(?:number|no)\.?)?\)?\s*:?\s*(\d{9})(?!\d)", re.I)
# A UN reference number: "QDi.246", "KPe.064", and the older "QE.A.146.14" and "E.99.II.9".
UN_REFERENCE_TOKEN = r"[A-Za-z]{1,4}(?:\.[A-Za-z0-9]+)*\.[A-Za-z0-9]*\d[A-Za-z0-9]*"
# "UN Ref QDe.004", "UN REF:QE.A.146.14", "UN Ref No. YEi.001", "UN Reference KPi.048".
_UN_REFERENCE_MENTION = re.compile(
    rf"\bUN\s*Ref(?:erence)?(?:\s*(?:No|Number)\.?)?\s*[:.]?\s*({UN_REFERENCE_TOKEN})", re.I
)
_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


def document_number(text: str) -> str | None:
    """The first thing in `text` that looks like a document or registration number."""
    match = _DOCUMENT_NUMBER.search(text)
    return match.group(0) if match else None


def mmsi_numbers(text: str) -> list[str]:
    return list(dict.fromkeys(match.group(1) for match in _MMSI_MENTION.finditer(text)))


def un_references(text: str) -> list[str]:
    """UN reference numbers stated as "UN Ref ..." in free text (pre-2022 OFSI layout)."""
    return list(dict.fromkeys(match.group(1) for match in _UN_REFERENCE_MENTION.finditer(text)))


def emails(text: str) -> list[str]:
    return list(dict.fromkeys(_EMAIL.findall(text)))


# --- dates -----------------------------------------------------------------------------------

_MONTH_YEAR = re.compile(r"^(\d{1,2})/(\d{4})$")


def birth_date(text: str) -> PartialDate | None:
    """A UK date of birth: "12/05/1958", "00/00/1980", "dd/mm/1945", "dd/09/1958", "05/1962"."""
    value = text.strip()
    month_year = _MONTH_YEAR.match(value)
    if month_year:
        date = parse_partial_date(f"00/{month_year.group(1)}/{month_year.group(2)}")
        return date.model_copy(update={"text": value}) if date else None
    return parse_partial_date(value)


# --- scripts -------------------------------------------------------------------------------

# OFSI's "Non-Latin Script Type" values (misspellings included) as ISO 15924 codes.
_SCRIPT_NAMES = {
    "cyrillic": "Cyrl",
    "cryillic": "Cyrl",
    "cyrilic": "Cyrl",
    "russian": "Cyrl",
    "arabic": "Arab",
    "persian": "Arab",
    "farsi": "Arab",
    "chinese": "Hani",
    "hangul": "Hang",
    "korean": "Hang",
    "georgian": "Geor",
    "hebrew": "Hebr",
    "greek": "Grek",
    "thai": "Thai",
    "burmese": "Mymr",
    "myanmar": "Mymr",
    "armenian": "Armn",
}


def script_code(name: str) -> str | None:
    """ISO 15924 code for a script as OFSI names it ("Cyrillic", "Cryillic", "Persian")."""
    return _SCRIPT_NAMES.get(name.strip().lower()) if name else None
