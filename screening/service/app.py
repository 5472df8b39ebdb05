"""The HTTP service (`coalition serve`): screening, lists, alerts and decisions over JSON.

`create_app` builds the application: the shared `Service` (deps.py), the body-size
middleware, the error handler, and one router per area (routers/). Every endpoint but
``/health``, ``/algorithm`` and the OpenAPI document needs an API key in ``X-API-Key``
(`coalition keys create NAME`). One `Screener` is shared by all requests; a watcher thread
(refresh.py) polls the store every ``refresh_seconds`` and swaps in the index of newly loaded
list versions, so requests never wait for an index build and always see one consistent index.
There are no ``/docs`` or ``/redoc`` pages: they load their scripts from a CDN.

Errors are JSON ``{"detail": "<one line for a person>"}``, declared per route in the OpenAPI
document (errors.py `problems`): 400 a body that is not JSON, 401 missing or bad key, 403 a
decision in another analyst's name, 404 unknown alert, 413 body above ``max_body_bytes``, 422 a
value that cannot be understood (unknown type, unreadable birth date, bad transaction field,
unknown field, id out of range), 501 alerts when the records module is absent, 503 screening
while no list is loaded.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, FastAPI, HTTPException
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from screening import settings
from screening.matching.screener import Screener
from screening.service.deps import DEFAULT_MAX_BODY_BYTES, BodyLimit, Service
from screening.service.errors import http_error, problems, validation_error
from screening.service.refresh import DEFAULT_REFRESH_SECONDS
from screening.service.routers import lists as lists_routes
from screening.service.routers import payments as payments_routes
from screening.service.routers import screening as screening_routes
from screening.service.routers import system as system_routes
from screening.service.routers import transactions as transactions_routes
from screening.service.ui import mount_ui
from screening.store import ListStore

RECORDS_MODULE = "screening.workflow.recorder"


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
        summary=(
            "Sanctions screening against the coalition's lists "
            "(OFAC, UK, EU, UN, CA, AU, JP, US CSL)"
        ),
        version=settings.version(),
        lifespan=lifespan,
        # No Swagger UI or ReDoc: their pages load scripts from a CDN, which an offline install
        # must not fetch. The OpenAPI document stays at /openapi.json for any local viewer.
        docs_url=None,
        redoc_url=None,
    )
    app.state.service = service
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    app.add_exception_handler(RequestValidationError, validation_error)  # type: ignore[arg-type]
    # Starlette's class, not FastAPI's subclass: its own 404/405 answers get one line too.
    app.add_exception_handler(StarletteHTTPException, http_error)  # type: ignore[arg-type]
    routers = (system_routes, screening_routes, transactions_routes, payments_routes, lists_routes)
    for router in (module.router for module in routers):
        app.include_router(router)
    app.include_router(_alerts_router())
    mount_ui(app)  # the analysts' pages under /ui (docs/ui.md)
    return app


def _alerts_router() -> APIRouter:
    """The alert routes, or 501 answers at their paths when the records module is absent."""
    try:
        from screening.service.routers import alerts as alerts_routes
    except ModuleNotFoundError as exc:
        # Only the records module's absence: any other import error is a bug to surface.
        if exc.name != RECORDS_MODULE:
            raise
        return _unavailable_alerts()
    return alerts_routes.router


def _unavailable_alerts() -> APIRouter:
    def unavailable() -> None:
        raise HTTPException(501, "alerts need screening records, absent from this installation")

    router = APIRouter(prefix="/alerts", tags=["alerts"], responses=problems(501))
    router.add_api_route("", unavailable, methods=["GET"])
    router.add_api_route("/{alert_id}", unavailable, methods=["GET"])
    router.add_api_route("/{alert_id}/decisions", unavailable, methods=["POST"])
    return router
