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

import codecs
import json
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pycountry
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from screening.batch.names import BatchInputError, CsvInput, MissingColumnError
from screening.coalition.goods import check_hs
from screening.coalition.jurisdictions import normalize_bic as normalize_jur_bic
from screening.coalition.jurisdictions import resolve_code

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

_JSON_CHUNK = 64 * 1024
_MAX_JSON_RECORD = 1024 * 1024


class TxInputError(BatchInputError):
    """The transaction file cannot be read as a whole (see `BatchInputError`)."""


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

    def flat(self) -> dict[str, str]:
        """Every field as text, lists joined with ``;`` (the CSV echo of a JSON input)."""
        values: dict[str, str] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, list):
                values[name] = f"{LIST_SEPARATOR} ".join(value)
            else:
                values[name] = "" if value is None else str(value)
        return values


TRANSACTION_FIELDS: tuple[str, ...] = tuple(Transaction.model_fields)


@dataclass(slots=True)
class TxRow:
    """One input row: the transaction, or the reason it could not be read."""

    number: int  # 1-based data row (CSV: header is row 0, blank rows count) or JSON record
    values: dict[str, str]  # as read, for echoing back in CSV output
    transaction: Transaction | None = None
    problem: str | None = None
    line: int | None = None

    @property
    def tx_id(self) -> str | None:
        if self.transaction is not None:
            return self.transaction.tx_id
        raw = self.values.get("tx_id", "").strip()
        return raw or None


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


def _row(number: int, values: dict[str, str], raw: Mapping[str, Any], line: int | None) -> TxRow:
    try:
        return TxRow(number, values, build_transaction(raw), line=line)
    except ValueError as exc:
        return TxRow(number, values, problem=str(exc), line=line)


# -- CSV -------------------------------------------------------------------------------------


def _canonical(header_cell: str) -> str:
    return re.sub(r"[\s\-]+", "_", unicodedata.normalize("NFKC", header_cell).strip().casefold())


class TxCsvInput:
    """A transaction CSV: `CsvInput` plus the mapping of its columns to Transaction fields."""

    def __init__(self, path: Path) -> None:
        self.table = CsvInput(path)
        self.fields: dict[str, str] = {}  # row key -> Transaction field
        for key in self.table.keys:
            name = _canonical(key)
            if name in TRANSACTION_FIELDS and name not in self.fields.values():
                self.fields[key] = name
        if "tx_id" not in self.fields.values():
            self.table.close()
            raise MissingColumnError("tx_id", "no tx_id column", self.table.header)

    @property
    def header(self) -> list[str]:
        return self.table.header

    @property
    def keys(self) -> list[str]:
        return self.table.keys

    @property
    def delimiter(self) -> str:
        return self.table.delimiter

    def rows(self) -> Iterator[TxRow | None]:
        """Each data row; None for a blank row (it keeps its number)."""
        for row in self.table.rows():
            if row.is_blank:
                yield None
                continue
            if row.problem:
                yield TxRow(row.number, row.values, problem=row.problem, line=row.line)
                continue
            raw = {
                self.fields[key]: value for key, value in row.values.items() if key in self.fields
            }
            yield _row(row.number, row.values, raw, row.line)

    def close(self) -> None:
        self.table.close()


# -- JSON ------------------------------------------------------------------------------------


def _json_values(record: Mapping[str, Any]) -> dict[str, str]:
    values: dict[str, str] = {}
    for key, value in record.items():
        if isinstance(value, list):
            values[str(key)] = f"{LIST_SEPARATOR} ".join(str(item) for item in value)
        elif value is None:
            values[str(key)] = ""
        else:
            values[str(key)] = str(value)
    return values


def _json_record(number: int, record: Any, line: int | None) -> TxRow:
    if not isinstance(record, dict):
        problem = f"expected a JSON object, got {type(record).__name__}"
        return TxRow(number, {}, problem=problem, line=line)
    return _row(number, _json_values(record), record, line)


def _loads(text: str) -> Any:
    return json.loads(text, parse_float=Decimal)


def read_jsonl(path: Path) -> Iterator[TxRow]:
    """One row per non-blank line; a line that is not UTF-8 or not a JSON object is an error row."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise TxInputError(f"{path}: {exc.strerror or exc}") from None
    with handle:
        number = 0
        for line_number, raw in enumerate(handle, 1):
            if line_number == 1:
                raw = raw.removeprefix(codecs.BOM_UTF8)
            if not raw.strip():
                continue
            number += 1
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                problem = f"not UTF-8 (byte 0x{raw[exc.start]:02X} at column {exc.start + 1})"
                yield TxRow(number, {}, problem=problem, line=line_number)
                continue
            try:
                record = _loads(line)
            except json.JSONDecodeError as exc:
                yield TxRow(number, {}, problem=f"not valid JSON: {exc.msg}", line=line_number)
                continue
            yield _json_record(number, record, line_number)


def read_json_array(path: Path) -> Iterator[TxRow]:
    """The elements of a top-level JSON array (or one object), decoded one at a time."""
    decoder = json.JSONDecoder(parse_float=Decimal)
    try:
        handle = path.open(encoding="utf-8-sig")
    except OSError as exc:
        raise TxInputError(f"{path}: {exc.strerror or exc}") from None
    with handle:
        buffer, eof, offset = "", False, 0  # offset: characters dropped before buffer

        def fill() -> bool:
            nonlocal buffer, eof
            try:
                chunk = handle.read(_JSON_CHUNK)
            except UnicodeDecodeError as exc:
                raise TxInputError(f"{path}: not UTF-8 ({exc})") from None
            eof = not chunk
            buffer += chunk
            return bool(chunk)

        def skip_space() -> None:
            nonlocal buffer, offset
            while True:
                stripped = buffer.lstrip()
                offset += len(buffer) - len(stripped)
                buffer = stripped
                if buffer or not fill():
                    return

        skip_space()
        if not buffer:
            raise TxInputError(f"{path}: the file is empty")
        if buffer[0] == "{":
            # One object, not an array: one transaction.
            while not eof:
                fill()
            try:
                record = decoder.decode(buffer)
            except json.JSONDecodeError as exc:
                raise TxInputError(f"{path}: not valid JSON: {exc}") from None
            yield _json_record(1, record, None)
            return
        if buffer[0] != "[":
            raise TxInputError(f"{path}: expected a JSON array of transactions")
        buffer, offset = buffer[1:], offset + 1
        number = 0
        while True:
            skip_space()
            if not buffer:
                raise TxInputError(f"{path}: the JSON array is not closed (file truncated?)")
            if buffer[0] == "]":
                return
            if number and buffer[0] == ",":
                buffer, offset = buffer[1:], offset + 1
                skip_space()
            elif number:
                raise TxInputError(f"{path}: character {offset}: expected ',' or ']'")
            while True:
                try:
                    record, end = decoder.raw_decode(buffer)
                    break
                except json.JSONDecodeError as exc:
                    if eof or len(buffer) > _MAX_JSON_RECORD:
                        raise TxInputError(
                            f"{path}: element {number + 1} (character {offset + exc.pos}): "
                            f"not valid JSON: {exc.msg}"
                        ) from None
                    fill()
            number += 1
            buffer, offset = buffer[end:], offset + end
            yield _json_record(number, record, None)


# -- any file --------------------------------------------------------------------------------


def input_kind(path: Path) -> str:
    """csv, jsonl or json, by the extension (anything else is read as CSV)."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".json":
        return "json"
    return "csv"


class TxInput:
    """An open transaction file of any kind: header, delimiter, progress and rows in order."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.kind = input_kind(path)
        try:
            self.total_bytes = path.stat().st_size
        except OSError as exc:
            raise TxInputError(f"{path}: {exc.strerror or exc}") from None
        self._csv = TxCsvInput(path) if self.kind == "csv" else None
        self.blank = 0
        self._json_rows = 0

    @property
    def header(self) -> list[str]:
        """Columns to echo in CSV output: the CSV header, or the model's fields for JSON."""
        return self._csv.header if self._csv else list(TRANSACTION_FIELDS)

    @property
    def keys(self) -> list[str]:
        return self._csv.keys if self._csv else list(TRANSACTION_FIELDS)

    @property
    def delimiter(self) -> str:
        return self._csv.delimiter if self._csv else ","

    @property
    def encoding(self) -> str:
        return self._csv.table.encoding if self._csv else "utf-8"

    @property
    def bytes_read(self) -> int:
        if self._csv:
            return self._csv.table.bytes_read
        return self.total_bytes if self._json_rows else 0

    def rows(self) -> Iterator[TxRow]:
        """Every transaction row in order; blank CSV rows are counted in `blank`, not yielded."""
        if self._csv is not None:
            for row in self._csv.rows():
                if row is None:
                    self.blank += 1
                else:
                    yield row
            return
        reader = read_jsonl if self.kind == "jsonl" else read_json_array
        for row in reader(self.path):
            self._json_rows += 1
            yield row

    def close(self) -> None:
        if self._csv is not None:
            self._csv.close()

    def __enter__(self) -> TxInput:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_transactions(path: Path) -> Iterator[TxRow]:
    """Every transaction row of a CSV, JSONL or JSON file, in order (blank CSV rows skipped).

    Raises `TxInputError`/`BatchInputError` for the file as a whole: before the first row,
    or, for a JSON array, where the array stops being readable.
    """
    with TxInput(path) as table:
        yield from table.rows()
