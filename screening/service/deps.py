"""What the routers share: the `Service` state, the API-key caller, the store and the screener.

One `Service` is built per application (`create_app`) and kept in ``app.state.service``; the
routers reach it, and the parts of it they need, through the dependencies below, so a router
module holds only its routes. `BodyLimit` is the middleware that refuses an oversized body
before any route reads it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, HTTPException, Request, Security
from fastapi.security import APIKeyHeader

from screening.matching.screener import Screener
from screening.service.refresh import Refresher
from screening.store import ListStore
from screening.workflow.keys import ApiKeys

if TYPE_CHECKING:
    from screening.workflow.recorder import Recorder

DEFAULT_MAX_BODY_BYTES = 1 << 20


class Service:
    """What the endpoints share: the store, the screener, the keys and the recorder."""

    def __init__(self, store: ListStore, screener: Screener, refresh_seconds: float) -> None:
        self.store = store
        self.screener = screener
        self.keys = ApiKeys(store)
        self.refresher = Refresher(screener, refresh_seconds)
        self._recorder: Recorder | None = None
        self._recorder_lock = threading.Lock()

    def recorder(self) -> Recorder:
        """The store's `Recorder` (imported on first use); 501 when that module is absent."""
        if self._recorder is None:
            with self._recorder_lock:
                if self._recorder is None:
                    try:
                        from screening.workflow.recorder import Recorder
                    except ImportError:
                        raise HTTPException(
                            501, "screening records are not available in this installation"
                        ) from None
                    self._recorder = Recorder(self.store)
        return self._recorder

    def require_lists(self) -> None:
        """503 while no list version is loaded: a screening against nothing would be clear."""
        if not self.screener.versions:
            raise HTTPException(
                503,
                "no lists are loaded: run `coalition lists load PATH` or `coalition lists update`",
            )


def get_service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


def get_store(service: Annotated[Service, Depends(get_service)]) -> ListStore:
    return service.store


def get_screener(service: Annotated[Service, Depends(get_service)]) -> Screener:
    return service.screener


# auto_error=False: a missing key is answered by `caller` with the service's own 401 message.
api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False)


def caller(
    service: Annotated[Service, Depends(get_service)],
    key: Annotated[str | None, Security(api_key_header)],
) -> str:
    """The name of the API key in ``X-API-Key``; 401 when it is missing, unknown or revoked."""
    name = service.keys.verify(key)
    if name is None:
        detail = "missing X-API-Key header" if not key else "invalid or revoked API key"
        raise HTTPException(401, detail, headers={"WWW-Authenticate": "X-API-Key"})
    return name


ServiceDep = Annotated[Service, Depends(get_service)]
StoreDep = Annotated[ListStore, Depends(get_store)]
ScreenerDep = Annotated[Screener, Depends(get_screener)]
Caller = Annotated[str, Depends(caller)]


# -- request size limit ---------------------------------------------------------------------

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyLimit:
    """413 for a body above `max_bytes`, by Content-Length or by the bytes actually sent.

    The body is buffered here (at most `max_bytes`), so a chunked body is cut off before the
    application reads it, and the application sees it as one message.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._too_large(send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break  # the client went away; the application will notice
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._too_large(send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, send: Send) -> None:
        body = json.dumps({"detail": f"request body larger than {self.max_bytes} bytes"}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers", []):
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
