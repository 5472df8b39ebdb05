"""``/ui/screen``: a name, or a pasted payment message, against the loaded lists, explained.

Nothing is recorded: this is the analyst's look-up (recorded screenings come in through the
API, the batch runner and re-screening). A query the matcher cannot read, or a message that
is not a payment message, comes back as the same page with the reason.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from screening.batch.payments import screen_payment
from screening.matching.results import Query
from screening.matching.screener import QueryError, parse_schema
from screening.service.deps import ServiceDep
from screening.service.errors import errors_text
from screening.service.ui.forms import optional_text
from screening.service.ui.pages import CheckedForm, PageRoute, SignedInDep, render

router = APIRouter(prefix="/ui", route_class=PageRoute, include_in_schema=False)

SCHEMA_CHOICES = ("any", "person", "organization", "vessel")


@router.get("/screen")
def screen_page(request: Request, _: SignedInDep) -> HTMLResponse:
    return render(request, "screen.html", _context({}))


@router.post("/screen")
def screen(
    request: Request, fields: CheckedForm, _: SignedInDep, service: ServiceDep
) -> HTMLResponse:
    context = _context(fields)
    schema = fields.get("schema", "any").strip()
    try:
        service.require_lists()
        query = Query(
            name=fields.get("name", "").strip(),
            type=None if schema in ("", "any") else parse_schema(schema),
            country=optional_text(fields, "country", "Country"),
            birth_date=optional_text(fields, "birth_date", "Birth date"),
        )
        result = service.screener.screen_query(query)
    except HTTPException as exc:  # no list loaded yet
        return render(request, "screen.html", {**context, "message": exc.detail}, exc.status_code)
    except ValidationError as exc:
        message = errors_text(exc.errors())
        return render(request, "screen.html", {**context, "message": message}, 400)
    except (QueryError, ValueError) as exc:
        return render(request, "screen.html", {**context, "message": str(exc)}, 400)
    return render(request, "screen.html", {**context, "result": result})


@router.post("/screen/payment")
def screen_payment_message(
    request: Request, fields: CheckedForm, _: SignedInDep, service: ServiceDep
) -> HTMLResponse:
    context = _context(fields)
    message = fields.get("message", "")
    try:
        service.require_lists()
    except HTTPException as exc:
        return render(request, "screen.html", {**context, "message": exc.detail}, exc.status_code)
    if not message.strip():
        return render(request, "screen.html", {**context, "message": "Paste a message."}, 400)
    # An unreadable message gives results with an `error`, shown per transaction.
    payments = screen_payment(message, screener=service.screener)
    return render(request, "screen.html", {**context, "payments": payments})


def _context(fields: dict[str, str]) -> dict[str, Any]:
    return {
        "form": fields,
        "schemas": SCHEMA_CHOICES,
        "result": None,
        "payments": None,
    }
