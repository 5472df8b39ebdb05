"""Error answers are one line: `one_line`, and the handler every `HTTPException` goes through."""

from __future__ import annotations

import asyncio
import json

from fastapi import HTTPException
from starlette.requests import Request

from screening.service.errors import errors_text, http_error, one_line


def test_one_line() -> None:
    assert one_line("first line\nsecond\r\n\tthird  ") == "first line second third"
    assert one_line("a\x00b\x1b[31mc\x7f") == "a\\x00b\\x1b[31mc\\x7f"
    assert one_line("unchanged 'quoted' text") == "unchanged 'quoted' text"


def test_http_error_detail_is_one_line() -> None:
    """A library message with a line break reached the caller as a two-line detail."""
    request = Request({"type": "http", "method": "GET", "path": "/", "headers": []})
    raised = HTTPException(422, "unreadable value:\n  line 2", headers={"X-Why": "test"})
    answer = asyncio.run(http_error(request, raised))
    assert answer.status_code == 422
    assert json.loads(answer.body) == {"detail": "unreadable value: line 2"}
    assert answer.headers["x-why"] == "test"


def test_errors_text_quotes_field_names_with_control_characters() -> None:
    errors = [
        {"loc": ("body", "a\nb"), "msg": "Extra inputs are not permitted"},
        {"loc": ("body", "items", 0), "msg": "Value error, first\nsecond"},
    ]
    assert errors_text(errors) == (
        "body.'a\\nb': Extra inputs are not permitted; body.items.0: first second"
    )
