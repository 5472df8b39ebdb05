"""Errors as JSON ``{"detail": "<one line for a person>"}``, validation errors included.

FastAPI's own 422 body is a list of error objects; the service answers with one readable
``detail`` line (``body.name: Field required``) and keeps the list under ``errors``. Every
``detail`` is one line: a message or a field name may carry a caller's line breaks (an unknown
field named ``"a\\nb"``, a library message quoting its input), and a detail is read in logs and
terminals where a second line could pass for another entry.

`Problem` is that body's model and `problems` declares the error answers a route can give, so
that the OpenAPI document lists every status the service answers with, and its shape.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from fastapi import Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

# Control characters that str.split() does not treat as whitespace (NUL, ESC, DEL, C1...).
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class Problem(BaseModel):
    """An error answer: what went wrong, on one line for a person."""

    detail: str
    errors: list[dict[str, Any]] | None = Field(
        default=None,
        description="A request that did not validate (422): each error's location and message",
    )


# What each error status means in this service, as the OpenAPI document shows it.
PROBLEMS = {
    400: "A body that is not JSON",
    401: "Missing, unknown or revoked API key in X-API-Key",
    403: "A decision in the name of another analyst than the API key's",
    404: "No such alert",
    413: "Request body above the service's size limit",
    422: "A value that cannot be understood (unknown field or type, unreadable date, bad range)",
    501: "Screening records are not available in this installation",
    503: "No list is loaded yet",
}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` of a route that can answer with these error statuses."""
    return {status: {"model": Problem, "description": PROBLEMS[status]} for status in statuses}


def one_line(text: str) -> str:
    """`text` on one line: line breaks and runs of whitespace become one space, and any other
    control character is shown escaped (``\\x1b``)."""
    joined = " ".join(text.split())
    return CONTROL.sub(lambda found: repr(found.group())[1:-1], joined)


async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
    """The 422 answer for a request FastAPI could not validate."""
    return JSONResponse(
        {"detail": errors_text(exc.errors()), "errors": _jsonable(exc.errors())}, status_code=422
    )


async def http_error(request: Request, exc: HTTPException) -> Response:
    """FastAPI's answer for an `HTTPException`, with its detail on one line."""
    if isinstance(exc.detail, str):
        exc = HTTPException(exc.status_code, one_line(exc.detail), exc.headers)
    return await http_exception_handler(request, exc)


def errors_text(errors: Iterable[Any]) -> str:
    """Pydantic errors as one line: ``location: message; ...``."""
    parts = []
    for error in errors:
        location = ".".join(_location_part(part) for part in error.get("loc", ()))
        message = str(error.get("msg", "")).removeprefix("Value error, ")
        parts.append(f"{location}: {message}" if location else message)
    return one_line("; ".join(parts))


def _location_part(part: object) -> str:
    # A field name is the caller's text: one with a line break or a control character is
    # quoted (repr), so that the reader sees exactly which name was refused.
    text = str(part)
    return text if text.isprintable() else repr(text)


def _jsonable(errors: Iterable[Any]) -> Any:
    # The offending input is left out: it can be large, and the caller has it.
    kept = [{k: v for k, v in error.items() if k != "input"} for error in errors]
    return json.loads(json.dumps(kept, default=str))
