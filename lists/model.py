"""The canonical entity model that every list adapter produces and every other part reads.

One model for all four authorities, so that the store, the matcher and the coalition layer never
need to know which file an entity came from. Values are kept as the authority wrote them (after
whitespace clean-up); interpretation (country codes, date precision, identifier types) is added
alongside, never instead of, the original text.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class Source(StrEnum):
    """The authority that publishes a list. Coalition membership is decided per source.

    One source may publish several lists (OFAC's SDN and non-SDN lists, the UK's OFSI and FCDO
    lists, the CSL's sub-lists): each is a *dataset* of its own, see `lists.datasets`.
    """

    OFAC = "ofac"
    UK = "uk"
    EU = "eu"
    UN = "un"
    CA = "ca"
    AU = "au"
    JP = "jp"
    US_CSL = "us_csl"


class Schema(StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"
    VESSEL = "vessel"
    AIRCRAFT = "aircraft"


class NameKind(StrEnum):
    """How much weight an authority puts on a name.

    Weak aliases (OFAC "weak a.k.a.", UK/UN "low quality") are listed so that a name that shows up
    in a payment can be investigated, but authorities say they should not produce a hit alone.
    """

    PRIMARY = "primary"
    ALIAS = "alias"
    WEAK_ALIAS = "weak_alias"
    FORMER = "former"


class DatePrecision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    RANGE = "range"


class IdentifierType(StrEnum):
    PASSPORT = "passport"
    NATIONAL_ID = "national_id"
    TAX_ID = "tax_id"
    REGISTRATION_NUMBER = "registration_number"
    IMO = "imo"
    MMSI = "mmsi"
    BIC = "bic"
    CRYPTO_ADDRESS = "crypto_address"
    AIRCRAFT_REGISTRATION = "aircraft_registration"
    AIRCRAFT_SERIAL = "aircraft_serial"
    CALL_SIGN = "call_sign"
    EMAIL = "email"
    PHONE = "phone"
    WEBSITE = "website"
    UN_REFERENCE = "un_reference"
    OTHER = "other"


_STRICT = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=True)


class Name(BaseModel):
    model_config = _STRICT

    full: str = Field(min_length=1, description="The whole name as listed, whitespace collapsed.")
    kind: NameKind = NameKind.PRIMARY
    first: str | None = None
    middle: str | None = None
    last: str | None = None
    script: str | None = Field(
        default=None, description="ISO 15924 script code (Latn, Cyrl, Arab, ...) when known."
    )
    language: str | None = Field(
        default=None, description="ISO 639-1 language code when the file gives one."
    )

    @field_validator("full", "first", "middle", "last", mode="before")
    @classmethod
    def _collapse_whitespace(cls, value: str | None) -> str | None:
        # Lists carry double spaces and stray line breaks inside names; they are never meaningful.
        if value is None:
            return None
        collapsed = " ".join(str(value).split())
        return collapsed or None


class PartialDate(BaseModel):
    """A date that an authority may know only to the month, the year or a span of years."""

    model_config = _STRICT

    precision: DatePrecision
    year: int | None = None
    month: int | None = Field(default=None, ge=1, le=12)
    day: int | None = Field(default=None, ge=1, le=31)
    year_to: int | None = Field(default=None, description="Last year of a RANGE.")
    circa: bool = False
    text: str | None = Field(default=None, description="The value as written in the file.")

    @model_validator(mode="after")
    def _fields_match_precision(self) -> PartialDate:
        need = {
            DatePrecision.DAY: (self.year, self.month, self.day),
            DatePrecision.MONTH: (self.year, self.month),
            DatePrecision.YEAR: (self.year,),
            DatePrecision.RANGE: (self.year, self.year_to),
        }[self.precision]
        if any(part is None for part in need):
            raise ValueError(f"a {self.precision.value} date needs {len(need)} parts")
        return self

    def as_date(self) -> dt.date | None:
        if self.precision is DatePrecision.DAY:
            assert self.year and self.month and self.day
            return dt.date(self.year, self.month, self.day)
        return None

    def years(self) -> range:
        """The years this date may fall in, for comparison with a query's birth year."""
        assert self.year is not None
        return range(self.year, (self.year_to or self.year) + 1)


class Address(BaseModel):
    model_config = _STRICT

    lines: list[str] = Field(default_factory=list)
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2.")
    country_text: str | None = Field(default=None, description="Country as written in the file.")

    @field_validator("country")
    @classmethod
    def _iso2(cls, value: str | None) -> str | None:
        return _check_iso2(value)


class Identifier(BaseModel):
    model_config = _STRICT

    type: IdentifierType
    value: str = Field(min_length=1)
    country: str | None = Field(default=None, description="Issuing country, ISO alpha-2.")
    label: str | None = Field(
        default=None, description="The identifier's type as the file names it (kept for 'other')."
    )
    note: str | None = None

    @field_validator("country")
    @classmethod
    def _iso2(cls, value: str | None) -> str | None:
        return _check_iso2(value)


class SourceRef(BaseModel):
    """Where in the official file this entity came from, so an analyst can find the record."""

    model_config = _STRICT

    format: str
    file: str
    record: str = Field(description="Line number, record index or key that locates the record.")


class Entity(BaseModel):
    # ``schema`` would shadow a BaseModel attribute, so the field is ``schema_`` in Python and
    # ``schema`` in JSON and in constructor keywords.
    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, populate_by_name=True, serialize_by_alias=True
    )

    source: Source
    dataset: str = Field(
        default="",
        description=(
            "The list within the source (`lists.datasets`), e.g. ofac_sdn or ofac_consolidated; "
            "empty means the source's only dataset, filled in by validation."
        ),
    )
    entry_id: str = Field(min_length=1, description="The list's own stable id for the entry.")
    schema_: Schema = Field(alias="schema")
    names: list[Name] = Field(min_length=1)
    birth_dates: list[PartialDate] = Field(default_factory=list)
    birth_places: list[str] = Field(default_factory=list)
    nationalities: list[str] = Field(default_factory=list, description="ISO alpha-2.")
    citizenships: list[str] = Field(default_factory=list, description="ISO alpha-2.")
    countries: list[str] = Field(
        default_factory=list,
        description="Other country links (vessel flag, registration, 'country' column), ISO-2.",
    )
    addresses: list[Address] = Field(default_factory=list)
    identifiers: list[Identifier] = Field(default_factory=list)
    programs: list[str] = Field(default_factory=list)
    listed_on: dt.date | None = None
    gender: str | None = None
    remarks: list[str] = Field(default_factory=list)
    related: list[str] = Field(
        default_factory=list, description="Other parties the entry is linked to, as written."
    )
    links: list[str] = Field(
        default_factory=list,
        description=(
            "Web pages the authority gives for the entry (e.g. the INTERPOL-UN Security Council "
            "Special Notice); not part of the entry's content fingerprint."
        ),
    )
    ref: SourceRef

    @field_validator("nationalities", "citizenships", "countries")
    @classmethod
    def _iso2_list(cls, values: list[str]) -> list[str]:
        return [_check_iso2(v) or "" for v in values]

    @model_validator(mode="after")
    def _known_dataset(self) -> Entity:
        # Imported here: lists.datasets imports Source from this module.
        from lists.datasets import dataset_for

        self.dataset = dataset_for(self.source, self.dataset).id
        return self

    @property
    def primary_name(self) -> str:
        for name in self.names:
            if name.kind is NameKind.PRIMARY:
                return name.full
        return self.names[0].full


def _check_iso2(value: str | None) -> str | None:
    if value is None:
        return None
    if len(value) != 2 or not value.isascii() or not value.isupper():
        raise ValueError(f"not an ISO 3166-1 alpha-2 code: {value!r}")
    return value
