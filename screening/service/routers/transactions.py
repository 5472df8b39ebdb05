"""``POST /transactions/screen``: one transaction through the coalition rules.

The body is a transaction's fields (`pydoc screening.coalition.transactions`); the institution
profile is one of the presets by name, never a path (a path would let a caller read files on
the server). A field the transaction model does not know is refused (422) like in every other
request body: a misspelt ``beneficiary_contry`` would otherwise screen without the country;
text holding a NUL character is refused too (PostgreSQL cannot store it when recorded).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from lists.datasets import UnknownDatasetError, list_names
from screening.coalition.profiles import DEFAULT_PROFILE, PRESETS
from screening.coalition.rules import screen_transaction
from screening.coalition.transactions import Transaction, build_transaction
from screening.service.deps import Caller, ServiceDep
from screening.service.errors import problems
from screening.service.models import NUL_REFUSED, Recorded, TxResponse, fields_of, holds_nul

router = APIRouter(tags=["screening"], responses=problems(400, 401, 413, 422, 501, 503))

ListsParam = Annotated[
    list[str] | None,
    Query(description="Screen parties only against these sources or datasets (repeatable)"),
]
ProfileName = Annotated[str, Query(description=f"Institution profile: {', '.join(PRESETS)}")]
# The body is read as a mapping (the route words its own 422 for unknown fields and NULs); the
# document shows the transaction's fields, and that no other field is accepted.
TRANSACTION_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {**Transaction.model_json_schema(), "additionalProperties": False}
            }
        },
    }
}


@router.post("/transactions/screen", openapi_extra=TRANSACTION_BODY)
def transactions_screen(
    transaction: dict[str, Any],
    requested_by: Caller,
    service: ServiceDep,
    profile: ProfileName = DEFAULT_PROFILE,
    record: bool = False,
    lists: ListsParam = None,
) -> TxResponse:
    """Screen one transaction (fields as in `pydoc screening.coalition.transactions`)."""
    if profile not in PRESETS:
        raise HTTPException(422, f"unknown profile {profile!r}: use {', '.join(PRESETS)}")
    unknown = sorted(set(transaction) - set(Transaction.model_fields))
    if unknown:
        raise HTTPException(
            422,
            f"unknown transaction field{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(map(repr, unknown))}: "
            "see `pydoc screening.coalition.transactions` for the fields",
        )
    if holds_nul(transaction):
        raise HTTPException(422, f"body: {NUL_REFUSED}")
    # Checked here, not only when a party is screened: a transaction without party names would
    # otherwise answer clear to a misspelt (or blank) list name.
    try:
        names = None if lists is None else list_names(lists)
    except UnknownDatasetError as exc:
        raise HTTPException(422, str(exc)) from None
    service.require_lists()
    try:
        tx = build_transaction(transaction)
        result = screen_transaction(tx, service.screener, PRESETS[profile], lists=names)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
    recorded = None
    if record:
        stored = service.recorder().record_transaction(
            result, tx_id=tx.tx_id, query=transaction, requested_by=requested_by
        )
        recorded = Recorded.of(stored)
    return TxResponse(**fields_of(result), recorded=recorded)
