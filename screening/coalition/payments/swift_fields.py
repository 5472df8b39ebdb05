"""Decoding the party, agent, amount and free-text fields of a SWIFT MT message (block 4).

`swift_mt` cuts a message into fields; this module turns one field's lines into the shared
model (`Participant`, `TextField`), or raises `FieldError` naming the offending line. Field
formats follow the SWIFT MT Standards (Category 1 and 2, "Field Specifications"):

* Option A (``50A``, ``52A`` … ``58A``, ``59A``): an optional party-identifier line
  (``/account``, ``/C/account``, ``//clearing code``) and a BIC (8 or 11 characters).
* Option B (``53B``, ``54B``, ``55B``, ``57B``): an optional party-identifier line and a location.
* Option C (``56C``, ``57C``): a party-identifier line only.
* Option D, ``50K`` and ``59``: an optional party-identifier line, then up to 4×35 characters of
  name and address. The name is the first line; see `split_name` for when it takes the next.
* Option F (``50F``, ``59F``): structured lines. Line 1 is ``/account`` or a party identifier
  ``CODE/country/identifier`` (ARNU alien registration, CCPT passport, CUST customer, DRLC
  driving licence, EMPL employer, NIDN national identity, SOSE social security, TXID tax id;
  CUST, DRLC and EMPL add ``/issuer`` before the identifier). Then numbered lines: ``1/`` name
  (repeated lines joined), ``2/`` address line, ``3/`` country and town (``3/GB/LONDON``;
  a repeated ``3/`` continues the town), ``4/`` date of birth (YYYYMMDD), ``5/`` place of birth
  (country/town), ``6/`` customer identification (country/issuer/number), ``7/`` national
  identity number (country/number), ``8/`` continuation of the identifier of line 1, 6 or 7.

Every value carries its location, ``:59F: line 2`` (``lines 2-3`` when it spans lines); the
line numbers count within the field, from 1. A cover payment's sequence B prefixes ``B/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from screening.coalition.jurisdictions import normalize_bic, resolve_country
from screening.coalition.participants import Address, Participant, PartyIdentifier
from screening.matching.vocabulary import legal_forms

LINE_WIDTH = 35  # the x-character width of a name-and-address line (4*35x)

# A BIC as the network writes it in option A: ISO 9362 allows digits in the first four
# characters since 2014 (a test BIC such as CP01AA89787 occurs in the samples); the country is
# checked by the screening rules, not here.
_OPTION_A_BIC = re.compile(r"[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?")
_DEBIT_CREDIT_ACCOUNT = re.compile(r"/[CD]/(?P<account>.+)")
_NUMBERED_LINE = re.compile(r"(?P<number>[1-8])/(?P<text>.*)")
_PARTY_ID = re.compile(r"(?P<code>[A-Z]{4})/(?P<country>[A-Z]{2})/(?P<rest>.+)")
_COUNTRY_TEXT = re.compile(r"(?P<country>[A-Z]{2})(?:/(?P<text>.*))?")
_AMOUNT = r"(?P<amount>[0-9]{1,15},[0-9]*)"
_FIELD_32A = re.compile(r"(?P<date>[0-9]{6})(?P<currency>[A-Z]{3})" + _AMOUNT)
_FIELD_33B = re.compile(r"(?P<currency>[A-Z]{3})" + _AMOUNT)
_CODEWORD = re.compile(r"/(?P<code>[A-Z0-9]{1,8})/(?P<text>.*)")
_WORD = re.compile(r"[a-z0-9]+")

# 50F line 1 identifier codes (SWIFT field 50F, "Code" table) and their kind in the model.
_ID_KINDS = {
    "ARNU": "alien_registration",
    "CCPT": "passport",
    "CUST": "customer",
    "DRLC": "drivers_licence",
    "EMPL": "employer",
    "NIDN": "national_id",
    "SOSE": "social_security",
    "TXID": "tax_id",
}
_ID_WITH_ISSUER = frozenset({"CUST", "DRLC", "EMPL"})  # country/issuer/identifier


class FieldError(ValueError):
    """A field whose content does not follow its format; ``line`` counts within the field."""

    def __init__(self, field: MtField, line: int | None, reason: str) -> None:
        self.field = field
        self.line = line
        where = f":{field.tag}:" if line is None else f":{field.tag}: line {line}"
        super().__init__(f"{where} {reason}")


@dataclass(frozen=True, slots=True)
class MtField:
    """One field of block 4: its tag (``59F``), its lines and where it stands."""

    tag: str
    lines: tuple[str, ...]
    file_line: int  # line of the file the tag is on, for error messages
    sequence: str = ""  # "B" for a cover payment's underlying customer credit transfer

    @property
    def option(self) -> str:
        """The option letter (``F`` of ``59F``), empty for a plain ``59``."""
        return self.tag[2:]

    def where(self, first: int | None = None, last: int | None = None) -> str:
        """The location of the field, or of its lines ``first``-``last`` (from 1)."""
        prefix = f"{self.sequence}/" if self.sequence else ""
        base = f"{prefix}:{self.tag}:"
        if first is None:
            return base
        if last is None or last == first:
            return f"{base} line {first}"
        return f"{base} lines {first}-{last}"

    def text(self) -> str:
        """The field's lines as one text, the line breaks as spaces (ISO 20022 does the same)."""
        return " ".join(line.strip() for line in self.lines if line.strip())


# --- amounts -------------------------------------------------------------------------------


def _amount(text: str) -> Decimal:
    # The comma is the decimal mark and always present ("100," is 100).
    return Decimal(text.replace(",", "."))


def value_date_amount(field: MtField) -> tuple[str, str, Decimal]:
    """Field 32A: (value date as YYYY-MM-DD, currency, amount)."""
    match = _FIELD_32A.fullmatch(field.lines[0].strip()) if len(field.lines) == 1 else None
    if match is None:
        raise FieldError(field, 1, "is not date (YYMMDD), currency and amount (1234,56)")
    try:
        date = datetime.strptime(match["date"], "%y%m%d").date().isoformat()
    except ValueError:
        raise FieldError(field, 1, f"has no valid date {match['date']!r} (YYMMDD)") from None
    return date, match["currency"], _amount(match["amount"])


def currency_amount(field: MtField) -> tuple[str, Decimal]:
    """Field 33B (or 32B): (currency, amount)."""
    match = _FIELD_33B.fullmatch(field.lines[0].strip()) if len(field.lines) == 1 else None
    if match is None:
        raise FieldError(field, 1, "is not a currency and an amount (USD1234,56)")
    return match["currency"], _amount(match["amount"])


# --- names and addresses -------------------------------------------------------------------


def ends_with_legal_form(text: str) -> bool:
    """Does the text end with a legal form of ``screening/data/legal_forms.csv`` (CO LTD, SA)?"""
    words = _WORD.findall(text.lower())
    forms = legal_forms()
    return any(
        tuple(words[-size:]) in forms.by_words
        for size in range(1, min(forms.longest, len(words)) + 1)
    )


def split_name(lines: list[str]) -> int:
    """How many of the name-and-address lines (4*35x) make up the name: 1 or more.

    MT gives no marker between a name and its address, so the rule is conservative:
    the name is the first line, and it takes the next line only when

    1. the line before is full (35 characters): the sender's software wrapped the name
       (``FOO DIRECT III FONDO DE PENSIONES I`` + ``BEX 99``), unless the next line starts
       with a digit (a street number); a wrapped name is joined without a space, as the wrap
       may cut a word; or
    2. the next line has no digit and ends with a legal form while the name so far does not
       (``KATAYAMA CHAIN THAILAND`` + ``CO LTD``; ``SHASHU LANXI SHANYE`` + ``MACHINERY CO LTD``):
       an address line does not end in ``LTD``. Joined with a space.

    Anything else is address (``RASA ENGINEERING SERVICES (PVT) L`` + ``NO 852-60``).
    """
    used = 1
    while used < len(lines):
        previous, following = lines[used - 1], lines[used].strip()
        if not following:
            break
        wrapped = len(previous) >= LINE_WIDTH and not following[0].isdigit()
        suffix = (
            not any(ch.isdigit() for ch in following)
            and ends_with_legal_form(following)
            and not ends_with_legal_form(" ".join(line.strip() for line in lines[:used]))
        )
        if not (wrapped or suffix):
            break
        used += 1
    return used


def join_name(lines: list[str], width: int = LINE_WIDTH) -> str:
    """Name lines as one name: after a full (wrapped) line, the next is joined without a space."""
    name = ""
    for position, line in enumerate(lines):
        if position and len(lines[position - 1]) < width:
            name += " "
        # A full line keeps a trailing space: it is the space between two words.
        name += line.strip() if len(line) < width else line.lstrip()
    return name.strip()


def _identifier_line(line: str) -> tuple[str | None, list[PartyIdentifier]]:
    """A party-identifier line: ``//code`` (clearing code), ``/C/account``, ``/account``."""
    text = line.strip()
    if text.startswith("//"):
        return None, [PartyIdentifier(kind="clearing_code", value=text[2:])]
    match = _DEBIT_CREDIT_ACCOUNT.fullmatch(text)
    return (match["account"] if match else text[1:]), []


def _account_locations(
    field: MtField, account: str | None, ids: list[PartyIdentifier]
) -> dict[str, str]:
    locations = {"party": field.where()}
    if account is not None:
        locations["account"] = field.where(1)
    if ids:
        locations["identifiers"] = field.where(1)
    return locations


def participant(field: MtField, role: str) -> Participant:
    """A party or agent field in any option (A, B, C, D, F, K or none) as a `Participant`."""
    option = field.option
    if option == "F":
        return structured_party(field, role)
    lines = list(field.lines)
    account: str | None = None
    identifiers: list[PartyIdentifier] = []
    first = 1
    # Option C is the identifier line alone; in the others it is optional and starts with "/".
    if lines and (option == "C" or lines[0].startswith("/")):
        account, identifiers = _identifier_line(lines[0])
        lines, first = lines[1:], 2
    locations = _account_locations(field, account, identifiers)
    values: dict[str, object] = {"account": account or None, "identifiers": identifiers}
    if option == "A":
        if len(lines) != 1:
            raise FieldError(field, first, "needs one BIC line after the optional account")
        bic = "".join(lines[0].split()).upper()
        if not _OPTION_A_BIC.fullmatch(bic):
            raise FieldError(field, first, f"{lines[0].strip()!r} is not a BIC")
        values["bic"] = bic
        locations["bic"] = field.where()
    elif option == "B":
        if len(lines) > 1:
            raise FieldError(field, first + 1, "option B has one location line")
        if lines and lines[0].strip():
            values["address"] = Address(lines=[lines[0].strip()])
            locations["address"] = field.where(first)
    elif option == "C":
        if lines:
            raise FieldError(field, first, "option C has only the party-identifier line")
    elif option in ("", "D", "K"):
        if not lines or not lines[0].strip():
            raise FieldError(field, first, "has no name")
        used = split_name(lines)
        values["name"] = join_name(lines[:used])
        locations["name"] = field.where(first, first + used - 1)
        address = [line.strip() for line in lines[used:] if line.strip()]
        if address:
            values["address"] = Address(lines=address)
            locations["address"] = field.where(first + used, first + len(lines) - 1)
    else:
        raise FieldError(field, None, f"option {option} is not a known option of this field")
    return Participant.model_validate({"role": role, "locations": locations, **values})


def _country(field: MtField, line: int, code: str) -> str:
    country = resolve_country(code) if re.fullmatch(r"[A-Z]{2}", code) else None
    if country is None:
        raise FieldError(field, line, f"{code!r} is not an ISO country code")
    return country


@dataclass
class _Structured:
    """The parts of a 50F/59F field as they are read, with the field lines they came from."""

    name: list[tuple[int, str]]
    address: list[tuple[int, str]]
    town: list[tuple[int, str]]
    country: str | None = None
    birth_date: str | None = None
    birth_place: str | None = None
    birth_lines: tuple[int, ...] = ()
    identifier_lines: tuple[int, ...] = ()


def _first_line_identifier(field: MtField, text: str) -> tuple[str | None, PartyIdentifier | None]:
    if text.startswith("/"):
        return text[1:], None
    match = _PARTY_ID.fullmatch(text)
    if match is None or match["code"] not in _ID_KINDS:
        raise FieldError(field, 1, f"{text!r} is neither /account nor CODE/country/identifier")
    country = _country(field, 1, match["country"])
    issuer, value = country, match["rest"]
    if match["code"] in _ID_WITH_ISSUER and "/" in value:
        authority, value = value.split("/", 1)
        issuer = f"{country}/{authority}"
    return None, PartyIdentifier(kind=_ID_KINDS[match["code"]], value=value, issuer=issuer)


def _numbered(
    field: MtField,
    line: int,
    number: str,
    text: str,
    parts: _Structured,
    ids: list[PartyIdentifier],
) -> None:
    if number == "1":
        parts.name.append((line, text))
    elif number == "2":
        parts.address.append((line, text))
    elif number == "3":
        if parts.country is None:
            match = _COUNTRY_TEXT.fullmatch(text.strip())
            if match is None:
                raise FieldError(field, line, "3/ needs a country code (3/GB/LONDON)")
            parts.country = _country(field, line, match["country"])
            text = match["text"] or ""
        parts.town.append((line, text))
    elif number == "4":
        try:
            parts.birth_date = datetime.strptime(text.strip(), "%Y%m%d").date().isoformat()
        except ValueError:
            raise FieldError(field, line, f"{text!r} is not a date of birth (YYYYMMDD)") from None
        parts.birth_lines += (line,)
    elif number == "5":
        match = _COUNTRY_TEXT.fullmatch(text.strip())
        if match is None:
            raise FieldError(field, line, "5/ needs country/town of birth")
        country = _country(field, line, match["country"])
        parts.birth_place = f"{match['text']}, {country}" if match["text"] else country
        parts.birth_lines += (line,)
    elif number in ("6", "7"):
        pieces = text.strip().split("/", 2 if number == "6" else 1)
        if len(pieces) != (3 if number == "6" else 2) or not pieces[-1]:
            shape = "country/issuer/number" if number == "6" else "country/number"
            raise FieldError(field, line, f"{number}/ needs {shape}")
        country = _country(field, line, pieces[0])
        issuer = f"{country}/{pieces[1]}" if number == "6" else country
        kind = "customer" if number == "6" else "national_id"
        ids.append(PartyIdentifier(kind=kind, value=pieces[-1], issuer=issuer))
        parts.identifier_lines += (line,)
    else:  # 8/: the identifier of line 1, 6 or 7 goes on
        if not ids:
            raise FieldError(field, line, "8/ continues an identifier but none precedes it")
        last = ids.pop()
        ids.append(last.model_copy(update={"value": last.value + text.strip()}))
        parts.identifier_lines += (line,)


def _span(field: MtField, lines: list[int] | tuple[int, ...]) -> str:
    return field.where(min(lines), max(lines))


def structured_party(field: MtField, role: str) -> Participant:
    """A 50F or 59F field (numbered lines) as a `Participant`."""
    lines = list(field.lines)
    if not lines:
        raise FieldError(field, None, "is empty")
    account: str | None = None
    ids: list[PartyIdentifier] = []
    parts = _Structured(name=[], address=[], town=[])
    start = 0
    if not _NUMBERED_LINE.fullmatch(lines[0]):
        account, identifier = _first_line_identifier(field, lines[0].strip())
        if identifier is not None:
            ids.append(identifier)
            parts.identifier_lines += (1,)
        start = 1
    for line_number, line in enumerate(lines[start:], start + 1):
        match = _NUMBERED_LINE.fullmatch(line)
        if match is None:
            raise FieldError(field, line_number, f"{line!r} is not a numbered line (1/ to 8/)")
        _numbered(field, line_number, match["number"], match["text"], parts, ids)
    if not parts.name:
        raise FieldError(field, None, "has no name line (1/)")
    locations = {"party": field.where(), "name": _span(field, [n for n, _ in parts.name])}
    if account is not None:
        locations["account"] = field.where(1)
    address: Address | None = None
    address_lines = [n for n, _ in parts.address + parts.town]
    if address_lines:
        town = " ".join(text.strip() for _, text in parts.town if text.strip())
        address = Address(
            lines=[text.strip() for _, text in parts.address if text.strip()],
            town=town or None,
            country=parts.country,
        )
        locations["address"] = _span(field, address_lines)
    if parts.country is not None:
        locations["country"] = field.where(parts.town[0][0])
    if parts.birth_lines:
        locations["birth"] = _span(field, parts.birth_lines)
    if parts.identifier_lines:
        locations["identifiers"] = _span(field, parts.identifier_lines)
    return Participant(
        role=role,
        # A name line is "1/" and 33 characters: a full one wraps like a 35x line.
        name=join_name([text for _, text in parts.name], width=LINE_WIDTH - 2),
        account=account or None,
        address=address,
        country=parts.country,
        birth_date=parts.birth_date,
        birth_place=parts.birth_place,
        identifiers=ids,
        locations=locations,
    )


# --- field 72 -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PreviousAgent:
    """A ``/INS/`` entry of field 72: the instructing institution before the sender."""

    bic: str | None
    name: str | None
    address: list[str]
    first: int  # field lines, from 1
    last: int


def instructing_institutions(field: MtField) -> list[PreviousAgent]:
    """The ``/INS/`` entries of a field 72, each with its ``//`` continuation lines.

    An entry that is a well-formed BIC is a BIC; anything else is a name, split from its
    continuation lines by `split_name` (``/INS/DEUTSCHE BANK TRUST CO.`` +
    ``//AMERICAS NEW YORK, NY 10015``: the second line has digits, so it is address).
    """
    entries: list[tuple[int, list[str]]] = []
    current: list[str] | None = None
    for line_number, line in enumerate(field.lines, 1):
        match = _CODEWORD.fullmatch(line.strip())
        if line.startswith("//") and current is not None:
            current.append(line[2:])
        elif match is not None:
            current = [match["text"]] if match["code"] == "INS" else None
            if current is not None:
                entries.append((line_number, current))
        else:
            current = None
    agents = []
    for first, texts in entries:
        last = first + len(texts) - 1
        value = texts[0].strip()
        bic = normalize_bic(value) if " " not in value else None
        if bic is not None:
            agents.append(
                PreviousAgent(bic, None, [t.strip() for t in texts[1:] if t.strip()], first, last)
            )
        elif value:
            used = split_name(texts)
            address = [t.strip() for t in texts[used:] if t.strip()]
            agents.append(PreviousAgent(None, join_name(texts[:used]), address, first, last))
    return agents
