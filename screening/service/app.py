"""The HTTP service (`coalition serve`): screening, lists, alerts and decisions over JSON.

Every endpoint but ``/health`` and the OpenAPI document needs an API key in ``X-API-Key``
(`coalition keys create NAME`). One `Screener` is shared by all requests; a watcher thread
polls the store every ``refresh_seconds`` and swaps in the index of newly loaded list
versions, so requests never wait for an index build and always see one consistent index.

Errors are JSON ``{"detail": "<one line for a person>"}``: 401 missing or bad key, 404 unknown
alert, 413 body above ``max_body_bytes``, 422 a value that cannot be understood (unknown type,
unreadable birth date, bad transaction field), 501 alerts when the records module is absent,
503 screening while no list is loaded.
"""

import json
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request, Security
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyHeader
from pydantic import BaseModel, Field, ValidationError

from lists.model import Source
from screening.coalition.profiles import DEFAULT_PROFILE, PRESETS
from screening.coalition.rules import TxResult, screen_transaction
from screening.coalition.transactions import build_transaction
from screening.matching.results import Query as ScreeningQuery
from screening.matching.results import QueryIdentifier, ScreeningResult, Thresholds
from screening.matching.screener import QueryError, Screener, parse_schema
from screening.store import ListStore, SourceStatus, VersionInfo
from screening.workflow.keys import ApiKeys

if TYPE_CHECKING:
    from screening.workflow.recorder import Recorder

DEFAULT_MAX_BODY_BYTES = 1 << 20
DEFAULT_REFRESH_SECONDS = 2.0
MAX_BATCH_ITEMS = 1000

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


# -- request and response models ------------------------------------------------------------


class ScreenRequest(BaseModel):
    """One party to screen; ``record`` stores the screening and opens alerts for its hits."""

    name: str = Field(min_length=1, max_length=500)
    type: str | None = Field(
        default=None, description="person, organization, vessel or aircraft (or a synonym)"
    )
    country: str | None = Field(default=None, description="ISO alpha-2 or a country name")
    birth_date: str | None = Field(default=None, description="YYYY-MM-DD, YYYY-MM or YYYY")
    identifiers: list[QueryIdentifier] = Field(default_factory=list)
    sources: list[Source] | None = Field(default=None, description="default: every list")
    thresholds: Thresholds | None = None
    customer_ref: str | None = Field(default=None, max_length=200)
    record: bool = False


class Recorded(BaseModel):
    """What `record=true` stored: the screening record and the alerts it opened."""

    screening_id: int
    alert_ids: list[int]


class ScreenResponse(ScreeningResult):
    """The Python API's `ScreeningResult`, plus ``recorded`` when the request asked for it."""

    recorded: Recorded | None = None


class BatchRequest(BaseModel):
    items: list[Any] = Field(max_length=MAX_BATCH_ITEMS, description="Objects like /screen's body")
    thresholds: Thresholds | None = None
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


class Health(BaseModel):
    status: str
    index_loaded: bool = Field(description="An index of at least one list version is in use")
    refresh_error: str | None = Field(
        default=None, description="Why the last pick-up of new list versions failed, if it did"
    )
    lists: list[dict[str, Any]]


class DecisionRequest(BaseModel):
    disposition: str = Field(description="true_match, false_positive or escalated")
    reason: str = Field(min_length=1, max_length=4000)
    analyst: str = Field(min_length=1, max_length=200)


# -- request size limit ---------------------------------------------------------------------


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


# -- list freshness -------------------------------------------------------------------------


class Refresher:
    """Polls the store and swaps in new list versions off the request path."""

    def __init__(self, screener: Screener, interval: float) -> None:
        self.screener = screener
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_error: str | None = None

    def start(self) -> None:
        if self.interval <= 0 or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="list-refresher", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.screener.refresh()
                self.last_error = None
            except Exception as exc:  # a failed refresh keeps serving the previous index
                self.last_error = f"{type(exc).__name__}: {exc}"


# -- the application ------------------------------------------------------------------------


class Service:
    """What the endpoints share: the store, the screener, the keys and the recorder."""

    def __init__(self, store: ListStore, screener: Screener, refresh_seconds: float) -> None:
        self.store = store
        self.screener = screener
        self.keys = ApiKeys(store)
        self.refresher = Refresher(screener, refresh_seconds)
        self._recorder: Recorder | None = None
        self._recorder_lock = threading.Lock()

    def recorder(self) -> "Recorder":
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


def create_app(
    db_url: str | None = None,
    *,
    index_dir: Path | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    refresh_seconds: float = DEFAULT_REFRESH_SECONDS,
) -> FastAPI:
    """The service over the store at `db_url` (default: $COALITION_DB or the user data dir)."""
    store = ListStore(db_url)
    service = Service(store, Screener(store, index_dir=index_dir), refresh_seconds)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        service.refresher.start()
        try:
            yield
        finally:
            service.refresher.stop()

    app = FastAPI(
        title="coalition-screening",
        summary="Sanctions screening against the OFAC, UK, EU and UN lists",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.service = service
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    _routes(app, service)
    return app


async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
    return JSONResponse(
        {"detail": _errors_text(exc.errors()), "errors": _jsonable(exc.errors())}, status_code=422
    )


def _errors_text(errors: Any) -> str:
    parts = []
    for error in errors:
        location = ".".join(str(part) for part in error.get("loc", ()))
        message = str(error.get("msg", "")).removeprefix("Value error, ")
        parts.append(f"{location}: {message}" if location else message)
    return "; ".join(parts)


def _jsonable(errors: Any) -> Any:
    # The offending input is left out: it can be large, and the caller has it.
    kept = [{k: v for k, v in error.items() if k != "input"} for error in errors]
    return json.loads(json.dumps(kept, default=str))


def _routes(app: FastAPI, service: Service) -> None:
    api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False)

    def caller(key: Annotated[str | None, Security(api_key_header)]) -> str:
        name = service.keys.verify(key)
        if name is None:
            detail = "missing X-API-Key header" if not key else "invalid or revoked API key"
            raise HTTPException(401, detail, headers={"WWW-Authenticate": "X-API-Key"})
        return name

    Caller = Annotated[str, Depends(caller)]

    @app.get("/health", tags=["service"])
    def health() -> Health:
        """Liveness and the list versions in use (no key needed)."""
        screener = service.screener
        return Health(
            refresh_error=service.refresher.last_error,
            status="ok",
            index_loaded=bool(screener.versions),
            lists=[
                {"source": v.source, "version_id": v.id, "published_on": v.published_on}
                for v in screener.versions
            ],
        )

    @app.post("/screen", tags=["screening"])
    def screen(request: ScreenRequest, requested_by: Caller) -> ScreenResponse:
        """Screen one party; the same result model as `Screener.screen_query`."""
        result = _screen_one(service, request, request.thresholds)
        recorded = None
        if request.record:
            recorded = _record(service, result, request.customer_ref, requested_by, None)
        return ScreenResponse(**_fields(result), recorded=recorded)

    @app.post("/screen/batch", tags=["screening"])
    def screen_batch(request: BatchRequest, requested_by: Caller) -> BatchResponse:
        """Up to 1000 parties, answered in order; an unusable item gets an error entry."""
        _require_lists(service)
        run_id = None
        if request.record:
            run_id = service.recorder().start_run(
                "api-batch", input_name=None, requested_by=requested_by
            )
        results: list[ScreenResponse | ItemError] = []
        counts = {"items": len(request.items), "match": 0, "review": 0, "clear": 0, "error": 0}
        for position, raw in enumerate(request.items):
            try:
                item = ScreenRequest.model_validate(raw)
                result = _screen_one(service, item, item.thresholds or request.thresholds)
            except ValidationError as exc:
                results.append(ItemError(index=position, error=_errors_text(exc.errors())))
                counts["error"] += 1
                continue
            except HTTPException as exc:
                results.append(ItemError(index=position, error=str(exc.detail)))
                counts["error"] += 1
                continue
            recorded = None
            if request.record:
                recorded = _record(service, result, item.customer_ref, requested_by, run_id)
            counts[result.decision.value] += 1
            results.append(ScreenResponse(**_fields(result), recorded=recorded))
        if run_id is not None:
            service.recorder().finish_run(run_id, counts)
        return BatchResponse(results=results, counts=counts, run_id=run_id)

    @app.post("/transactions/screen", tags=["screening"])
    def transactions_screen(
        transaction: dict[str, Any],
        requested_by: Caller,
        profile: Annotated[
            str, Query(description=f"Institution profile: {', '.join(PRESETS)}")
        ] = DEFAULT_PROFILE,
        record: bool = False,
    ) -> TxResponse:
        """Screen one transaction (fields as in `pydoc screening.coalition.transactions`)."""
        if profile not in PRESETS:
            # Only the presets: a path would let a caller read files on the server.
            raise HTTPException(422, f"unknown profile {profile!r}: use {', '.join(PRESETS)}")
        _require_lists(service)
        try:
            tx = build_transaction(transaction)
            result = screen_transaction(tx, service.screener, PRESETS[profile])
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from None
        recorded = None
        if record:
            stored = service.recorder().record_transaction(
                result, tx_id=tx.tx_id, query=transaction, requested_by=requested_by
            )
            recorded = Recorded(
                screening_id=stored.screening_id, alert_ids=[a.id for a in stored.alerts]
            )
        return TxResponse(**_fields(result), recorded=recorded)

    @app.get("/lists/status", tags=["lists"])
    def lists_status(_: Caller) -> list[SourceStatus]:
        """Per source: the active version, how many versions are stored, and staleness."""
        return service.store.status()

    @app.get("/lists/versions", tags=["lists"])
    def lists_versions(_: Caller, source: Source | None = None) -> list[VersionInfo]:
        """Stored versions, newest publication first."""
        return service.store.versions(source)

    try:
        _alert_routes(app, service, Caller)
    except ImportError:  # an installation without the records module
        _no_alert_routes(app)


def _alert_routes(app: FastAPI, service: Service, Caller: Any) -> None:
    from screening.workflow.recorder import (
        AlertDetail,
        AlertInfo,
        AlertStatus,
        DecisionInfo,
        Disposition,
    )

    @app.get("/alerts", tags=["alerts"])
    def alerts(
        _: Caller,
        status: AlertStatus | None = None,
        customer_ref: str | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> list[AlertInfo]:
        """Alerts, oldest first; filter by status (open, suppressed, decided) or customer."""
        return service.recorder().alerts(
            status=status, customer_ref=customer_ref, limit=limit, offset=offset
        )

    @app.get("/alerts/{alert_id}", tags=["alerts"])
    def alert(alert_id: int, _: Caller) -> AlertDetail:
        """One alert with its hit, query, list versions and decision history."""
        detail = service.recorder().alert(alert_id)
        if detail is None:
            raise HTTPException(404, f"no alert {alert_id}")
        return detail

    @app.post("/alerts/{alert_id}/decisions", tags=["alerts"], status_code=201)
    def decide(alert_id: int, request: DecisionRequest, _: Caller) -> DecisionInfo:
        """Append a decision to an alert's history; past decisions are never changed."""
        recorder = service.recorder()
        try:
            disposition = Disposition(request.disposition)
        except ValueError:
            raise HTTPException(
                422,
                f"unknown disposition {request.disposition!r}: "
                "use true_match, false_positive or escalated",
            ) from None
        if recorder.alert(alert_id) is None:
            raise HTTPException(404, f"no alert {alert_id}")
        try:
            return recorder.decide(
                alert_id, disposition, reason=request.reason, analyst=request.analyst
            )
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from None


def _no_alert_routes(app: FastAPI) -> None:
    def unavailable() -> None:
        raise HTTPException(501, "alerts need screening records, absent from this installation")

    app.add_api_route("/alerts", unavailable, methods=["GET"], tags=["alerts"])
    app.add_api_route("/alerts/{alert_id}", unavailable, methods=["GET"], tags=["alerts"])
    app.add_api_route(
        "/alerts/{alert_id}/decisions", unavailable, methods=["POST"], tags=["alerts"]
    )


def _require_lists(service: Service) -> None:
    if not service.screener.versions:
        raise HTTPException(
            503, "no lists are loaded: run `coalition lists load PATH` or `coalition lists update`"
        )


def _fields(model: BaseModel) -> dict[str, Any]:
    """A model's fields as attributes (not re-validated dicts), for a subclass' constructor."""
    return {name: getattr(model, name) for name in type(model).model_fields}


def _screen_one(
    service: Service, request: ScreenRequest, thresholds: Thresholds | None
) -> ScreeningResult:
    _require_lists(service)
    try:
        query = ScreeningQuery(
            name=request.name,
            type=parse_schema(request.type),
            country=request.country,
            birth_date=request.birth_date,
            identifiers=request.identifiers,
            sources=request.sources,
        )
        return service.screener.screen_query(query, thresholds)
    except QueryError as exc:
        raise HTTPException(422, str(exc)) from None


def _record(
    service: Service,
    result: ScreeningResult,
    customer_ref: str | None,
    requested_by: str,
    run_id: int | None,
) -> Recorded:
    stored = service.recorder().record_screening(
        result, customer_ref=customer_ref, requested_by=requested_by, run_id=run_id
    )
    return Recorded(screening_id=stored.screening_id, alert_ids=[a.id for a in stored.alerts])
