"""Transactions to screen (payments and the trade behind them) and the readers for their files.

The model is `Transaction`; `read_transactions(path)` streams the rows of a CSV, JSONL or JSON
file, one `TxRow` each, in order, with either the validated transaction or the reason the row
could not be read (the run goes on).

Flat CSV format (one transaction per row; the header names the columns, any case; only
``tx_id`` is required, absent columns are empty; unknown columns are kept and echoed back):

=====================  ==============================================================
column                 value
=====================  ==============================================================
tx_id                  the caller's reference (required, non-empty)
amount                 decimal, ``.`` as decimal point (``1250.00``; ``1,250.00`` and
                       ``1 250,00`` are refused: ambiguous); not negative
currency               ISO 4217 code (``usd`` is read as ``USD``)
originator_name        ordering party; screened against the lists
originator_country     ISO alpha-2, alpha-3 or a country name; also an ISO 3166-2 code
                       or name of an occupied Ukrainian region (``UA-43``, ``Crimea``)
originator_bic         8 or 11 character BIC (spaces ignored); its country counts
originator_address     free text, searched for occupied Ukrainian regions and cities
beneficiary_name/_country/_bic/_address   the same for the beneficiary
intermediary_bics      BICs of correspondent/intermediary banks, ``;``-separated
origin_country         where the goods come from
transit_countries      countries the goods pass through, ``;``-separated, in order
destination_country    declared destination of the goods
end_user_name/_country/_address           declared end user of the goods
hs_codes               HS/CN/HTS codes, ``;``-separated (``8542.31; 85423190``)
goods_description      free text, searched for occupied regions like the addresses
=====================  ==============================================================

Empty cells mean "not given". Lists are ``;``-separated inside their cell (the file's own
delimiter is sniffed as for `coalition batch`: comma, semicolon, tab or pipe; with a
semicolon-delimited file, quote list cells). Encoding and delimiter detection, the streaming
reader and the per-row problems (wrong field count, undecodable bytes, an unbalanced quote)
are those of `screening.batch.names.CsvInput`.

JSON input (UTF-8, a byte order mark allowed): ``.jsonl``/``.ndjson`` is one JSON object per
line; ``.json`` is an array of objects (or a single object). Keys are the column names above;
list fields may be JSON arrays or ``;``-separated strings; amount may be a string or a number
(a number is read from its JSON text, so ``0.1`` stays exactly 0.1). Both are streamed: one
object is held at a time. A line of JSONL that is not UTF-8 or not a JSON object is an error
row; in a ``.json`` array a malformed element ends the input (the position is reported), as
the next element cannot be found reliably.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import pycountry
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from screening.coalition.goods import check_hs
from screening.coalition.jurisdictions import normalize_bic as normalize_jur_bic
from screening.coalition.jurisdictions import resolve_code
from screening.coalition.participants import (
    AgentRole,
    Participant,
    PartyRole,
    TextField,
)

LIST_SEPARATOR = ";"
MAX_NAME_LENGTH = 500

LIST_FIELDS = ("intermediary_bics", "transit_countries", "hs_codes")
COUNTRY_FIELDS = (
    "originator_country",
    "beneficiary_country",
    "origin_country",
    "destination_country",
    "end_user_country",
)
BIC_FIELDS = ("originator_bic", "beneficiary_bic")
ADDRESS_FIELDS = ("originator_address", "beneficiary_address", "end_user_address")


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _as_list(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]
    if isinstance(value, list):
        return [str(item).strip() for item in value if str(item).strip()]
    return value


def normalize_country(value: str) -> str:
    """ISO alpha-2, or the ISO 3166-2 code of an occupied region; ValueError if unknown.

    A region code or name (``UA-43``, ``Crimea``, ``Sevastopol``) keeps the region, so that
    the rules see the occupied region rather than just Ukraine.
    """
    code = resolve_code(value)
    if code is None:
        raise ValueError(f"unknown country {value!r}: give an ISO code or a country name")
    return code


def normalize_bic(value: str) -> str:
    bic = normalize_jur_bic(value)
    if bic is None:
        raise ValueError(
            f"{value!r} is not a valid BIC (4 letters, a country code, 2 or 5 more characters)"
        )
    return bic


def parse_amount(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError("amount must be a number")
    if isinstance(value, int | Decimal):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip()
        if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", text):
            raise ValueError(
                f"unreadable amount {value!r}: digits with an optional '.' decimal point"
            )
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"unreadable amount {value!r}") from None
    else:
        raise ValueError(f"unreadable amount {value!r}")
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"amount {value!r} must be a finite number, not negative")
    return amount


class Transaction(BaseModel):
    """One payment and the trade it pays for. Countries are ISO alpha-2 (or region codes)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    tx_id: str = Field(min_length=1)
    amount: Decimal | None = None
    currency: str | None = None
    originator_name: str | None = Field(default=None, max_length=MAX_NAME_LENGTH)
    originator_country: str | None = None
    originator_bic: str | None = None
    originator_address: str | None = None
    beneficiary_name: str | None = Field(default=None, max_length=MAX_NAME_LENGTH)
    beneficiary_country: str | None = None
    beneficiary_bic: str | None = None
    beneficiary_address: str | None = None
    intermediary_bics: list[str] = Field(default_factory=list)
    origin_country: str | None = None
    transit_countries: list[str] = Field(default_factory=list)
    destination_country: str | None = None
    end_user_name: str | None = Field(default=None, max_length=MAX_NAME_LENGTH)
    end_user_country: str | None = None
    end_user_address: str | None = None
    hs_codes: list[str] = Field(default_factory=list)
    goods_description: str | None = None
    # -- filled by the payment-message readers (screening.coalition.payments), not the CSV ----
    message_type: str | None = None  # "pacs.008.001.12", "MT103"
    msg_id: str | None = None  # GrpHdr/MsgId or MT field 20
    end_to_end_id: str | None = None
    uetr: str | None = None  # UETR (ISO 20022) or MT block 3 field 121
    cover: bool = False  # a cover payment (pacs.009 COV, MT202COV/MT205COV)
    parties: list[Participant] = Field(default_factory=list)
    agents: list[Participant] = Field(default_factory=list)
    texts: list[TextField] = Field(default_factory=list)

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        return _blank_to_none(value)

    @field_validator(*LIST_FIELDS, mode="before")
    @classmethod
    def _split_list(cls, value: Any) -> Any:
        return _as_list(value)

    @field_validator("tx_id", mode="before")
    @classmethod
    def _tx_id_text(cls, value: Any) -> Any:
        # JSON ids are often numbers; the id is text everywhere else.
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise ValueError("empty tx_id: every transaction needs one")
        return value

    @field_validator("amount", mode="before")
    @classmethod
    def _amount(cls, value: Any) -> Decimal | None:
        return None if value is None else parse_amount(value)

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str | None) -> str | None:
        if value is None:
            return None
        code = value.upper()
        if pycountry.currencies.get(alpha_3=code) is None:
            raise ValueError(f"unknown currency {value!r}: give an ISO 4217 code such as USD")
        return code

    @field_validator(*COUNTRY_FIELDS)
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        return None if value is None else normalize_country(value)

    @field_validator("transit_countries")
    @classmethod
    def _countries(cls, values: list[str]) -> list[str]:
        return [normalize_country(value) for value in values]

    @field_validator(*BIC_FIELDS)
    @classmethod
    def _bic(cls, value: str | None) -> str | None:
        return None if value is None else normalize_bic(value)

    @field_validator("intermediary_bics")
    @classmethod
    def _bics(cls, values: list[str]) -> list[str]:
        return [normalize_bic(value) for value in values]

    @field_validator("hs_codes")
    @classmethod
    def _hs_codes(cls, values: list[str]) -> list[str]:
        for code in values:
            verdict = check_hs(code)  # raises ValueError (HsCodeError) for unreadable codes
            if verdict.normalized is None:
                raise ValueError(f"unreadable HS code {code!r}: {verdict.reason}")
        return values

    def all_parties(self) -> list[Participant]:
        """The flat originator, beneficiary and end user, then the message's parties."""
        flat = [
            Participant(
                role=role.value,
                name=getattr(self, f"{role.value}_name"),
                country=getattr(self, f"{role.value}_country"),
                locations={
                    "party": role.value,
                    "name": f"{role.value}_name",
                    "country": f"{role.value}_country",
                },
            )
            for role in (PartyRole.ORIGINATOR, PartyRole.BENEFICIARY, PartyRole.END_USER)
            if getattr(self, f"{role.value}_name") or getattr(self, f"{role.value}_country")
        ]
        return flat + list(self.parties)

    def all_agents(self) -> list[Participant]:
        """The flat BIC columns as agents, then the message's agents."""
        flat: list[Participant] = []
        for role, field in (
            (AgentRole.ORIGINATOR_BANK, "originator_bic"),
            (AgentRole.BENEFICIARY_BANK, "beneficiary_bic"),
        ):
            bic = getattr(self, field)
            if bic:
                flat.append(Participant(role=role.value, bic=bic, locations={"bic": field}))
        flat.extend(
            Participant(
                role=AgentRole.INTERMEDIARY.value,
                bic=bic,
                locations={"bic": f"intermediary_bics[{position}]"},
            )
            for position, bic in enumerate(self.intermediary_bics)
        )
        return flat + list(self.agents)

    def flat(self) -> dict[str, str]:
        """Every flat field as text, lists joined with ``;`` (the CSV echo of a JSON input).

        The message parts (`MESSAGE_FIELDS`) are not columns and are left out."""
        values: dict[str, str] = {}
        for name in FLAT_FIELDS:
            value = getattr(self, name)
            if isinstance(value, list):
                values[name] = f"{LIST_SEPARATOR} ".join(value)
            else:
                values[name] = "" if value is None else str(value)
        return values


# Filled only by the payment-message readers: not columns of the flat CSV/JSON format.
MESSAGE_FIELDS = (
    "message_type",
    "msg_id",
    "end_to_end_id",
    "uetr",
    "cover",
    "parties",
    "agents",
    "texts",
)
# The columns of the flat CSV/JSON format and of its echo.
FLAT_FIELDS: tuple[str, ...] = tuple(
    name for name in Transaction.model_fields if name not in MESSAGE_FIELDS
)
TRANSACTION_FIELDS = FLAT_FIELDS


def validation_reason(exc: ValidationError) -> str:
    """A one-line reason for a person: field: message; ..."""
    parts = []
    for error in exc.errors():
        location = ".".join(str(part) for part in error["loc"])
        message = str(error["msg"]).removeprefix("Value error, ")
        parts.append(f"{location}: {message}" if location else message)
    return "; ".join(parts)


def build_transaction(values: Mapping[str, Any]) -> Transaction:
    """A validated transaction; raises ValueError with a one-line reason."""
    try:
        return Transaction.model_validate(dict(values))
    except ValidationError as exc:
        raise ValueError(validation_reason(exc)) from None
