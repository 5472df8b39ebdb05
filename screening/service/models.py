"""Request and response models of the HTTP service (the shapes of its OpenAPI document).

Results reuse the Python API's models (`ScreeningResult`, `TxResult`) and add ``recorded``
when the request asked for the screening to be stored.

Request models refuse fields they do not know (``extra="forbid"``, nested models included): a
misspelt ``countyr`` would otherwise screen without the country and answer as if it had been
used. What may reach the database is refused when the database could not take it: numbers
(ids, offsets) above `MAX_DB_INTEGER` would overflow inside the driver, and text holding a NUL
character is refused by PostgreSQL; either is a 422 here rather than a 500 when recorded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from lists.model import Source
from screening.batch.payments import PaymentResult
from screening.coalition.rules import TxResult
from screening.matching.results import QueryIdentifier, ScreeningResult, Thresholds
from screening.workflow.decisions import Disposition

if TYPE_CHECKING:
    from screening.workflow.recorder import RecordedScreening

MAX_BATCH_ITEMS = 1000
# The largest integer SQLite and PostgreSQL (BIGINT) store: ids and offsets above it overflow.
MAX_DB_INTEGER = 2**63 - 1


NUL_REFUSED = "text with a NUL character (\\x00) cannot be stored"


def holds_nul(value: object) -> bool:
    """Whether a string in `value` (a JSON value: keys, items, nested values) holds a NUL."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(holds_nul(key) or holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(holds_nul(item) for item in value)
    return False


class RequestModel(BaseModel):
    """A request body: an unknown field is refused (422), never ignored, and so is text that
    holds a NUL character."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*")
    @classmethod
    def _storable_text(cls, value: Any) -> Any:
        # Strings only: a batch's raw items are checked as each is validated on its own.
        if isinstance(value, str) and holds_nul(value):
            raise ValueError(NUL_REFUSED)
        return value


class StrictIdentifier(QueryIdentifier, RequestModel):
    """`QueryIdentifier` in a request body: unknown fields and NUL characters refused."""


class StrictThresholds(Thresholds):
    """`Thresholds` in a request body: unknown fields refused (a misspelt ``reveiw`` would
    otherwise leave the default in force)."""

    model_config = ConfigDict(extra="forbid")


class ScreenRequest(RequestModel):
    """One party to screen; ``record`` stores the screening and opens alerts for its hits."""

    name: str = Field(min_length=1, max_length=500)
    type: str | None = Field(
        default=None, description="person, organization, vessel or aircraft (or a synonym)"
    )
    country: str | None = Field(default=None, description="ISO alpha-2 or a country name")
    birth_date: str | None = Field(default=None, description="YYYY-MM-DD, YYYY-MM or YYYY")
    identifiers: list[StrictIdentifier] = Field(default_factory=list)
    sources: list[Source] | None = Field(default=None, description="default: every list")
    lists: list[str] | None = Field(
        default=None,
        description="Sources or datasets (ofac, ofac_consolidated, us_csl_el ...); default: all",
    )
    thresholds: StrictThresholds | None = None
    customer_ref: str | None = Field(default=None, max_length=200)
    record: bool = False


class Recorded(BaseModel):
    """What `record=true` stored: the screening record and the alerts it opened."""

    screening_id: int
    alert_ids: list[int]

    @classmethod
    def of(cls, stored: RecordedScreening) -> Recorded:
        return cls(screening_id=stored.screening_id, alert_ids=[a.id for a in stored.alerts])


class ScreenResponse(ScreeningResult):
    """The Python API's `ScreeningResult`, plus ``recorded`` when the request asked for it."""

    recorded: Recorded | None = None


class BatchRequest(RequestModel):
    items: list[Any] = Field(max_length=MAX_BATCH_ITEMS, description="Objects like /screen's body")
    thresholds: StrictThresholds | None = None
    record: bool = False


class ItemError(BaseModel):
    index: int
    error: str


class BatchResponse(BaseModel):
    results: list[ScreenResponse | ItemError] = Field(
        description="One entry per item, in order: a result or an error for an unusable item"
    )
    counts: dict[str, int]
    run_id: int | None = None


class TxResponse(TxResult):
    recorded: Recorded | None = None


class PaymentResponse(PaymentResult):
    """One transaction of a payment message (`screening.batch.payments.PaymentResult`), plus
    ``recorded`` when the request asked for it."""

    recorded: Recorded | None = None


class Health(BaseModel):
    status: str
    index_loaded: bool = Field(description="An index of at least one list version is in use")
    refresh_error: str | None = Field(
        default=None, description="Why the last pick-up of new list versions failed, if it did"
    )
    lists: list[dict[str, Any]]


class DecisionRequest(RequestModel):
    """A decision on an alert. The decider is the API key's name, never a name in the body."""

    # Text, not the enum: the route answers an unknown value with its own one-line 422; the
    # document still lists the values a client may send.
    disposition: str = Field(
        description="true_match, false_positive or escalated",
        json_schema_extra={"enum": [disposition.value for disposition in Disposition]},
    )
    reason: str = Field(min_length=1, max_length=4000)
    analyst: str | None = Field(
        default=None,
        max_length=200,
        description="Optional, for older clients: must be the API key's name (else 403)",
    )


def fields_of(model: BaseModel) -> dict[str, Any]:
    """A model's fields as attributes (not re-validated dicts), for a subclass' constructor."""
    return {name: getattr(model, name) for name in type(model).model_fields}
