"""Analysts' decisions on alerts, supervisors' four-eyes reviews of them, and their export.

Decisions are append-only: `DecisionLog.decide` only ever inserts, a second decision on an
alert is a new row, and the database refuses UPDATE and DELETE on the table (migration 0002),
so the history an auditor exports is the history that happened.

Four-eyes (``COALITION_FOUR_EYES=1``, or ``decide(..., four_eyes=True)``): a decision is stored
with ``needs_approval`` and takes effect only when a supervisor or admin other than its analyst
approves it (`DecisionLog.review`). A review is a row of its own (append-only too, one per
decision), never a change to the decision: the decision's `DecisionState` is derived from it.
A rejected decision leaves the alert open again. While a decision awaits review, its alert
takes no new decision: the reviewer decides on what the analyst saw.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from enum import StrEnum
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from screening import settings
from screening.workflow.schema import Alert, AlertDecision, DecisionReview, utc_now
from screening.workflow.users import REVIEWER_ROLES, Role


class Disposition(StrEnum):
    """What an analyst decided about an alert."""

    TRUE_MATCH = "true_match"
    FALSE_POSITIVE = "false_positive"
    ESCALATED = "escalated"


class DecisionState(StrEnum):
    """Whether a decision is in effect: ``final`` (no approval needed), ``pending`` (awaits a
    supervisor), ``approved`` (in effect since its review) or ``rejected`` (never in effect)."""

    FINAL = "final"
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class ReviewInfo(BaseModel):
    id: int
    decision_id: int
    approved: bool
    reviewer: str
    reason: str
    reviewed_at: dt.datetime


class DecisionInfo(BaseModel):
    id: int
    alert_id: int
    disposition: Disposition
    reason: str
    analyst: str
    decided_at: dt.datetime
    state: DecisionState = DecisionState.FINAL
    reviews: list[ReviewInfo] = []


# The columns of `DecisionLog.export_decisions` rows, in file order.
EXPORT_COLUMNS = (
    "decision_id",
    "alert_id",
    "decided_at",
    "disposition",
    "reason",
    "analyst",
    "customer_ref",
    "source",
    "entry_id",
    "listed_name",
    "score",
    "alert_decision",
    "entity_fingerprint",
    "list_version",
    "screening_id",
    "alert_created_at",
    # Four-eyes (migration 0005): the decision's state and its review, empty when it has none.
    "state",
    "reviewer",
    "review_reason",
    "reviewed_at",
)


class DecisionLog:
    """Records and exports analysts' decisions. Every call uses its own session."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def decide(
        self,
        alert_id: int,
        disposition: Disposition | str,
        *,
        reason: str,
        analyst: str,
        four_eyes: bool | None = None,
    ) -> DecisionInfo:
        """Record an analyst's disposition. Inserts only: earlier decisions stay as they were.

        With `four_eyes` (None: ``COALITION_FOUR_EYES=1``) the decision is pending until a
        supervisor reviews it. ValueError while the alert's latest decision is pending.
        """
        if four_eyes is None:
            four_eyes = settings.get("COALITION_FOUR_EYES") == "1"
        try:
            chosen = Disposition(disposition)
        except ValueError:
            allowed = ", ".join(d.value for d in Disposition)
            raise ValueError(f"unknown disposition {disposition!r}: use {allowed}") from None
        if not reason.strip():
            raise ValueError("a decision needs a reason")
        if not analyst.strip():
            raise ValueError("a decision needs the analyst's name")
        with Session(self.engine) as session, session.begin():
            if session.get(Alert, alert_id) is None:
                raise ValueError(f"no alert {alert_id}")
            waiting = _pending_decision(session, alert_id)
            if waiting is not None:
                raise ValueError(
                    f"decision {waiting} on alert {alert_id} awaits a supervisor's review"
                )
            decision = AlertDecision(
                alert_id=alert_id,
                disposition=chosen.value,
                reason=reason.strip(),
                analyst=analyst.strip(),
                decided_at=utc_now(),
                needs_approval=four_eyes,
            )
            session.add(decision)
            session.flush()
            return decision_info(decision, [])

    def review(
        self,
        decision_id: int,
        *,
        approve: bool,
        reviewer: str,
        reviewer_role: Role | str,
        reason: str,
    ) -> ReviewInfo:
        """Approve or reject a pending decision (appends a review; the decision is unchanged).

        PermissionError when the reviewer is neither supervisor nor admin, or made the
        decision; ValueError for an unknown decision, one that is not pending, or a rejection
        without a reason.
        """
        try:
            role = Role(reviewer_role)
        except ValueError:
            raise PermissionError(f"unknown role {reviewer_role!r} may not review") from None
        if role not in REVIEWER_ROLES:
            raise PermissionError(f"a {role.value} may not review decisions")
        reviewer = reviewer.strip()
        if not reviewer:
            raise ValueError("a review needs the reviewer's name")
        if not approve and not reason.strip():
            raise ValueError("a rejection needs a reason")
        with Session(self.engine) as session, session.begin():
            decision = session.get(AlertDecision, decision_id)
            if decision is None:
                raise ValueError(f"no decision {decision_id}")
            # Case-blind: "Ana" approving "ana"'s decision is still the same pair of eyes.
            if decision.analyst.casefold() == reviewer.casefold():
                raise PermissionError(
                    f"{reviewer} made decision {decision_id} and may not review it"
                )
            if not decision.needs_approval:
                raise ValueError(f"decision {decision_id} is final: it needs no review")
            if _reviews(session, [decision_id]).get(decision_id):
                raise ValueError(f"decision {decision_id} has already been reviewed")
            row = DecisionReview(
                decision_id=decision_id,
                approved=approve,
                reviewer=reviewer,
                reason=reason.strip(),
                reviewed_at=utc_now(),
            )
            session.add(row)
            try:
                session.flush()
            except IntegrityError:  # another supervisor's review won the race
                raise ValueError(f"decision {decision_id} has already been reviewed") from None
            return review_info(row)

    def decision(self, decision_id: int) -> DecisionInfo | None:
        """One decision with its state and reviews."""
        with Session(self.engine) as session:
            row = session.get(AlertDecision, decision_id)
            if row is None:
                return None
            return decision_info(row, _reviews(session, [decision_id]).get(decision_id, []))

    def export_decisions(self) -> Iterator[dict[str, Any]]:
        """Every decision ever made, oldest first, with the alert it decided."""
        query = (
            select(AlertDecision, Alert, DecisionReview)
            .join(Alert, Alert.id == AlertDecision.alert_id)
            .outerjoin(DecisionReview, DecisionReview.decision_id == AlertDecision.id)
            .order_by(AlertDecision.id)
            .execution_options(yield_per=500)
        )
        with Session(self.engine) as session:
            for decision, alert, review in session.execute(query):
                reviews = [] if review is None else [review_info(review)]
                yield {
                    "decision_id": decision.id,
                    "alert_id": alert.id,
                    "decided_at": decision.decided_at.isoformat(),
                    "disposition": decision.disposition,
                    "reason": decision.reason,
                    "analyst": decision.analyst,
                    "customer_ref": alert.customer_ref,
                    "source": alert.source,
                    "entry_id": alert.entry_id,
                    "listed_name": str(alert.hit.get("name", "")),
                    "score": alert.score,
                    "alert_decision": alert.decision,
                    "entity_fingerprint": alert.entity_fingerprint,
                    "list_version": alert.version_id,
                    "screening_id": alert.screening_id,
                    "alert_created_at": alert.created_at.isoformat(),
                    "state": decision_state(decision.needs_approval, reviews).value,
                    "reviewer": None if review is None else review.reviewer,
                    "review_reason": None if review is None else review.reason,
                    "reviewed_at": None if review is None else review.reviewed_at.isoformat(),
                }


def decision_state(needs_approval: bool, reviews: list[ReviewInfo]) -> DecisionState:
    if not needs_approval:
        return DecisionState.FINAL
    if not reviews:
        return DecisionState.PENDING
    return DecisionState.APPROVED if reviews[-1].approved else DecisionState.REJECTED


def review_info(row: DecisionReview) -> ReviewInfo:
    return ReviewInfo(
        id=row.id,
        decision_id=row.decision_id,
        approved=row.approved,
        reviewer=row.reviewer,
        reason=row.reason,
        reviewed_at=row.reviewed_at,
    )


def decision_info(row: AlertDecision, reviews: list[ReviewInfo]) -> DecisionInfo:
    return DecisionInfo(
        id=row.id,
        alert_id=row.alert_id,
        disposition=Disposition(row.disposition),
        reason=row.reason,
        analyst=row.analyst,
        decided_at=row.decided_at,
        state=decision_state(row.needs_approval, reviews),
        reviews=reviews,
    )


def decision_infos(session: Session, rows: list[AlertDecision]) -> list[DecisionInfo]:
    """`rows` with their reviews (one query for all of them)."""
    reviews = _reviews(session, [row.id for row in rows])
    return [decision_info(row, reviews.get(row.id, [])) for row in rows]


def _reviews(session: Session, decision_ids: list[int]) -> dict[int, list[ReviewInfo]]:
    found: dict[int, list[ReviewInfo]] = {}
    if not decision_ids:
        return found
    query = (
        select(DecisionReview)
        .where(DecisionReview.decision_id.in_(decision_ids))
        .order_by(DecisionReview.id)
    )
    for row in session.scalars(query):
        found.setdefault(row.decision_id, []).append(review_info(row))
    return found


def _pending_decision(session: Session, alert_id: int) -> int | None:
    """The id of the alert's latest decision when it awaits review, else None."""
    latest = session.execute(
        select(AlertDecision.id, AlertDecision.needs_approval)
        .where(AlertDecision.alert_id == alert_id)
        .order_by(AlertDecision.id.desc())
        .limit(1)
    ).first()
    if latest is None or not latest[1]:
        return None
    reviewed = session.scalar(
        select(DecisionReview.id).where(DecisionReview.decision_id == latest[0])
    )
    return None if reviewed is not None else int(latest[0])
