"""``POST /screen`` and ``POST /screen/batch``: names against the loaded lists.

A result is the Python API's `ScreeningResult`; with ``record`` the screening is stored and
its review/match hits open alerts (a batch is stored as one run with counts).
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from pydantic import ValidationError

from screening.matching.results import Query, ScreeningResult, Thresholds
from screening.matching.screener import QueryError, parse_schema
from screening.service.deps import Caller, Service, ServiceDep
from screening.service.errors import errors_text, problems
from screening.service.models import (
    BatchRequest,
    BatchResponse,
    ItemError,
    Recorded,
    ScreenRequest,
    ScreenResponse,
    fields_of,
)

router = APIRouter(tags=["screening"], responses=problems(400, 401, 413, 422, 501, 503))


@router.post("/screen")
def screen(request: ScreenRequest, requested_by: Caller, service: ServiceDep) -> ScreenResponse:
    """Screen one party; the same result model as `Screener.screen_query`."""
    result = _screen_one(service, request, request.thresholds)
    recorded = None
    if request.record:
        recorded = _record(service, result, request.customer_ref, requested_by, None)
    return ScreenResponse(**fields_of(result), recorded=recorded)


@router.post("/screen/batch")
def screen_batch(request: BatchRequest, requested_by: Caller, service: ServiceDep) -> BatchResponse:
    """Up to 1000 parties, answered in order; an unusable item gets an error entry."""
    service.require_lists()
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
            results.append(ItemError(index=position, error=errors_text(exc.errors())))
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
        results.append(ScreenResponse(**fields_of(result), recorded=recorded))
    if run_id is not None:
        service.recorder().finish_run(run_id, counts)
    return BatchResponse(results=results, counts=counts, run_id=run_id)


def _screen_one(
    service: Service, request: ScreenRequest, thresholds: Thresholds | None
) -> ScreeningResult:
    service.require_lists()
    try:
        query = Query(
            name=request.name,
            type=parse_schema(request.type),
            country=request.country,
            birth_date=request.birth_date,
            identifiers=[*request.identifiers],  # a list of the strict subclass
            sources=request.sources,
            lists=request.lists,
        )
        return service.screener.screen_query(query, thresholds)
    except QueryError as exc:
        raise HTTPException(422, str(exc)) from None
    except ValidationError as exc:  # e.g. an unknown list name
        raise HTTPException(422, errors_text(exc.errors())) from None


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
    return Recorded.of(stored)
