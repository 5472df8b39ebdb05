"""``/ui/alerts``: the queue, one alert, deciding it, and four-eyes reviews of decisions.

The analyst recorded on a decision or review is the session's user, whatever a form posts:
there is no analyst field to trust. A library refusal (ValueError: no reason given, a decision
already awaiting review; PermissionError: reviewing one's own decision, or an analyst
reviewing) comes back as the alert's page with the message (403 for a permission).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from screening.matching.explain import stored_explanation, stored_timeline
from screening.service.deps import ServiceDep
from screening.service.ui.forms import (
    ANY,
    PAGE_SIZE,
    QUEUE_FIELDS,
    STATUS_CHOICES,
    QueueFilter,
    page_count,
    positive_id,
)
from screening.service.ui.pages import (
    CheckedForm,
    Fields,
    PageError,
    PageRoute,
    SignedIn,
    SignedInDep,
    redirect,
    render,
)
from screening.workflow.alerts import AlertDetail, AlertStatus
from screening.workflow.decisions import DecisionInfo, DecisionState, Disposition

router = APIRouter(prefix="/ui", route_class=PageRoute, include_in_schema=False)


@router.get("/alerts")
def queue(request: Request, _: SignedInDep, service: ServiceDep) -> HTMLResponse:
    alert_queue = service.recorder().alert_queue
    datasets = sorted({s.dataset for s in service.store.status() if s.dataset})
    values = {field: request.query_params.get(field, "") for field in (*QUEUE_FIELDS, "page")}
    context: dict[str, Any] = {
        "values": values,
        "datasets": datasets,
        "statuses": STATUS_CHOICES,
        "any": ANY,
        "alerts": None,
    }
    try:
        chosen = QueueFilter.parse(values, datasets)
    except ValueError as exc:
        return render(request, "queue.html", {**context, "message": str(exc)}, 400)
    filters: dict[str, Any] = chosen.library_filters(dt.datetime.now(dt.UTC))
    status = None if chosen.status == "all" else AlertStatus(chosen.status)
    total = alert_queue.count(status=status, **filters)
    pages = page_count(total)
    alerts = alert_queue.alerts(
        status=status, limit=PAGE_SIZE, offset=(chosen.page - 1) * PAGE_SIZE, **filters
    )
    counts = alert_queue.status_counts(**filters)
    context |= {
        "alerts": alerts,
        "counts": [(s.value, counts.get(s, 0)) for s in AlertStatus],
        "total": total,
        "page": chosen.page,
        "pages": pages,
        "previous": chosen.query(chosen.page - 1) if chosen.page > 1 else None,
        "next": chosen.query(chosen.page + 1) if chosen.page < pages else None,
    }
    return render(request, "queue.html", context)


@router.get("/alerts/{alert_id}")
def alert_page(alert_id: str, request: Request, who: SignedInDep, service: ServiceDep) -> Response:
    detail = _detail(service, alert_id)
    return render(request, "alert.html", _alert_context(detail, who, {}))


@router.post("/alerts/{alert_id}/decide")
def decide(
    alert_id: str, request: Request, fields: CheckedForm, who: SignedInDep, service: ServiceDep
) -> Response:
    detail = _detail(service, alert_id)
    try:
        decision = service.recorder().decision_log.decide(
            detail.id,
            fields.get("disposition", ""),
            reason=fields.get("reason", ""),
            analyst=who.name,  # the session's user: a posted "analyst" is never read
        )
    except ValueError as exc:
        context = {**_alert_context(detail, who, fields), "message": str(exc)}
        return render(request, "alert.html", context, 422)
    flash = "pending" if decision.state == DecisionState.PENDING else "decided"
    return redirect(f"/ui/alerts/{detail.id}", flash)


@router.post("/decisions/{decision_id}/review")
def review(
    decision_id: str, request: Request, fields: CheckedForm, who: SignedInDep, service: ServiceDep
) -> Response:
    number = positive_id(decision_id)
    if number is None:
        raise PageError(404, f"No decision {decision_id}.")
    # The alert only tells where to go back to; the decision itself is found by its id.
    alert_id = positive_id(fields.get("alert_id", ""))
    verdict = fields.get("verdict", "")
    try:
        if verdict not in ("approve", "reject"):
            raise ValueError("Choose Approve or Reject.")
        service.recorder().decision_log.review(
            number,
            approve=verdict == "approve",
            reviewer=who.name,
            reviewer_role=who.session.user.role,
            reason=fields.get("reason", ""),
        )
    except (ValueError, PermissionError) as exc:
        status = 403 if isinstance(exc, PermissionError) else 422
        if alert_id is None:
            raise PageError(status, str(exc)) from None
        detail = _detail(service, str(alert_id))
        context = {**_alert_context(detail, who, fields), "message": str(exc)}
        return render(request, "alert.html", context, status)
    target = f"/ui/alerts/{alert_id}" if alert_id is not None else "/ui/alerts"
    return redirect(target, "approved" if verdict == "approve" else "rejected")


def _detail(service: ServiceDep, alert_id: str) -> AlertDetail:
    number = positive_id(alert_id)
    detail = service.recorder().alert_queue.alert(number) if number is not None else None
    if detail is None:
        raise PageError(404, f"No alert {alert_id}.")
    return detail


def _alert_context(detail: AlertDetail, who: SignedIn, fields: Fields) -> dict[str, Any]:
    """What the alert page shows, and which of the decide and review forms it offers."""
    try:
        explanation, explanation_note = stored_explanation(detail.hit), None
    except ValueError as exc:
        explanation, explanation_note = None, str(exc)
    pending = _awaiting_review(detail.decisions)
    return {
        "alert": detail,
        "hit": detail.hit,
        "query_items": [(k, v) for k, v in detail.query.items() if v not in (None, "", [], {})],
        "explanation": explanation,
        "explanation_note": explanation_note,
        "entity": detail.entity,
        "also_listed": detail.hit.get("also_listed") or [],
        "timeline": stored_timeline(detail.hit),
        "dispositions": [d.value for d in Disposition],
        "pending": pending,
        # Nobody approves their own decision (names compared as the library does, without
        # regard to case); the library refuses it too.
        "can_review": pending is not None
        and who.reviewer
        and pending.analyst.casefold() != who.name.casefold(),
        "form": fields,
    }


def _awaiting_review(decisions: list[DecisionInfo]) -> DecisionInfo | None:
    latest = decisions[-1] if decisions else None
    return latest if latest is not None and latest.state == DecisionState.PENDING else None
