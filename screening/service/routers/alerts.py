"""``/alerts``: recorded alerts, one alert's detail, and analysts' decisions on it.

Decisions are appended to an alert's history and never changed, and each is recorded under
the name of the API key that made it: the key is the only identity the service can vouch for.
Alert ids are 1 to `MAX_DB_INTEGER` (422 outside). The records module is imported here at module
level: `screening.service.app` answers 501 for these paths when an installation lacks it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query

from screening.service.deps import Caller, ServiceDep
from screening.service.errors import problems
from screening.service.models import MAX_DB_INTEGER, DecisionRequest
from screening.workflow.recorder import (
    AlertDetail,
    AlertInfo,
    AlertStatus,
    DecisionInfo,
    Disposition,
)

router = APIRouter(prefix="/alerts", tags=["alerts"])

AlertId = Annotated[int, Path(ge=1, le=MAX_DB_INTEGER, description="An alert's id")]


@router.get("", responses=problems(401, 422, 501))
def alerts(
    _: Caller,
    service: ServiceDep,
    status: AlertStatus | None = None,
    # No NUL: PostgreSQL refuses it even in a query parameter (a 500 otherwise).
    customer_ref: Annotated[str | None, Query(max_length=200, pattern=r"^[^\x00]*$")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_DB_INTEGER)] = 0,
) -> list[AlertInfo]:
    """Alerts, oldest first; filter by status (open, pending, suppressed, decided) or customer."""
    return service.recorder().alerts(
        status=status, customer_ref=customer_ref, limit=limit, offset=offset
    )


@router.get("/{alert_id}", responses=problems(401, 404, 422, 501))
def alert(alert_id: AlertId, _: Caller, service: ServiceDep) -> AlertDetail:
    """One alert with its hit, query, list versions and decision history."""
    detail = service.recorder().alert(alert_id)
    if detail is None:
        raise HTTPException(404, f"no alert {alert_id}")
    return detail


@router.post(
    "/{alert_id}/decisions", status_code=201, responses=problems(400, 401, 403, 404, 413, 422, 501)
)
def decide(
    alert_id: AlertId, request: DecisionRequest, analyst: Caller, service: ServiceDep
) -> DecisionInfo:
    """Append a decision to an alert's history; past decisions are never changed.

    The decision's analyst is the name of the API key in ``X-API-Key``. The body's optional
    ``analyst``, kept for older clients, must be that same name: any other is refused with 403,
    so that no key holder can file a decision in someone else's name.
    """
    if request.analyst is not None and request.analyst.strip() != analyst:
        raise HTTPException(
            403,
            f"analyst {request.analyst!r} is not this API key's name {analyst!r}: "
            "decisions are recorded under the key's name (leave analyst out)",
        )
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
        return recorder.decide(alert_id, disposition, reason=request.reason, analyst=analyst)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
