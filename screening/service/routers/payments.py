"""``POST /payments/screen``: a raw payment message (ISO 20022 or SWIFT MT) through the rules.

The body is the message as a bank sends it, with Content-Type ``application/xml`` (or
``text/xml``) or ``text/plain``; any other type is refused (415) before anything is read. The
format is found from the content, not from the type (`screening.coalition.payments.reader`),
so an MT message sent as XML by mistake is still read. The answer is one result per
transaction, in order (`PaymentResponse`).

A message that cannot be read in full (not a payment message, truncated XML, an MT without
block 4, a DTD or entity) is refused as a whole: 422 with the reason on one line, nothing
screened or recorded, so a client never acts on half a bulk file. The body is capped by the
service's ``--max-body`` limit (413), like every body. ``record=true`` stores each transaction
as a transaction screening (query: the message ids, ``customer`` and the transaction read
from the message) and opens an alert per sanctions hit: a listed party, a listed agent bank
(by BIC or name) or a listed name or identifier in free text
(`screening.workflow.screenings.SANCTIONS_HIT_RULES`). With ``customer``, the screening and
its alerts are that customer's, as for a name screening recorded with a customer reference
(``GET /alerts?customer_ref=...``; good-guy suppression applies).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from lists.datasets import UnknownDatasetError, list_names
from screening.batch.payments import PaymentResult, screen_message
from screening.coalition.payments import MessageTransaction
from screening.coalition.payments.reader import read_payment_bytes
from screening.coalition.profiles import DEFAULT_PROFILE, PRESETS
from screening.coalition.rules import TxOutcome, TxResult
from screening.service.deps import Caller, ServiceDep
from screening.service.errors import Problem, problems
from screening.service.models import NUL_REFUSED, PaymentResponse, Recorded, fields_of
from screening.service.routers.transactions import ListsParam, ProfileName

MESSAGE_TYPES = ("application/xml", "text/xml", "text/plain")
MESSAGE_NAME = "message"  # how results and reasons name the body
UNSUPPORTED: dict[int | str, dict[str, Any]] = {
    415: {
        "model": Problem,
        "description": f"A body that is not {', '.join(MESSAGE_TYPES)}",
    }
}
# The body is read raw (not JSON); the document shows the media types the route takes.
MESSAGE_BODY = {
    "requestBody": {
        "required": True,
        "description": "One ISO 20022 message (or BAH + Document) or SWIFT MT message / RJE file",
        "content": {media: {"schema": {"type": "string"}} for media in MESSAGE_TYPES},
    }
}

router = APIRouter(
    tags=["screening"], responses={**problems(401, 413, 422, 501, 503), **UNSUPPORTED}
)


async def message_body(request: Request) -> bytes:
    """The raw body, once its Content-Type is one a payment message is sent with (else 415)."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in MESSAGE_TYPES:
        shown = repr(media) if media else "none"
        raise HTTPException(415, f"Content-Type {shown}: send {' or '.join(MESSAGE_TYPES)}")
    return await request.body()


MessageBody = Annotated[bytes, Depends(message_body)]
Customer = Annotated[
    str | None,
    Query(max_length=200, description="Customer reference kept with a recorded screening"),
]


@router.post("/payments/screen", openapi_extra=MESSAGE_BODY)
def payments_screen(
    body: MessageBody,
    requested_by: Caller,
    service: ServiceDep,
    profile: ProfileName = DEFAULT_PROFILE,
    record: bool = False,
    customer: Customer = None,
    lists: ListsParam = None,
) -> list[PaymentResponse]:
    """Screen one payment message: one result per transaction (docs/payments.md)."""
    if profile not in PRESETS:
        raise HTTPException(422, f"unknown profile {profile!r}: use {', '.join(PRESETS)}")
    try:
        names = None if lists is None else list_names(lists)
    except UnknownDatasetError as exc:
        raise HTTPException(422, str(exc)) from None
    if b"\x00" in body or (customer is not None and "\x00" in customer):
        raise HTTPException(422, f"body: {NUL_REFUSED}")
    items = list(read_payment_bytes(body, MESSAGE_NAME))
    unreadable = [item.error or "unreadable message" for item in items if item.transaction is None]
    if unreadable:
        more = f" (and {len(unreadable) - 1} more)" if len(unreadable) > 1 else ""
        raise HTTPException(422, unreadable[0] + more)
    service.require_lists()
    profile_used = PRESETS[profile]
    results = [
        screen_message(item, MESSAGE_NAME, service.screener, profile_used, None, names)
        for item in items
    ]
    failed = [result.error for result in results if result.error is not None]
    if failed:
        raise HTTPException(422, failed[0])
    return [
        PaymentResponse(
            **fields_of(result),
            recorded=_record(service, item, result, customer, requested_by) if record else None,
        )
        for item, result in zip(items, results, strict=True)
    ]


def _record(
    service: ServiceDep,
    item: MessageTransaction,
    result: PaymentResult,
    customer: str | None,
    requested_by: str,
) -> Recorded:
    """Store one screened transaction and open its alerts (`ScreeningLog.record_transaction`)."""
    assert item.transaction is not None  # only read transactions are screened
    outcome = TxResult(
        tx_id=item.transaction.tx_id,
        decision=TxOutcome(result.decision),
        risk_score=result.risk_score or 0,
        flags=result.flags,
        list_versions=result.list_versions,
    )
    query = {
        "message_type": item.message_type,
        "msg_id": item.msg_id,
        "index": item.index,
        "customer": customer,
        "transaction": item.transaction.model_dump(mode="json", exclude_defaults=True),
    }
    stored = service.recorder().record_transaction(
        outcome,
        tx_id=item.transaction.tx_id,
        query=query,
        requested_by=requested_by,
        customer_ref=customer,
    )
    return Recorded.of(stored)
