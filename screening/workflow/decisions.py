"""Analysts' decisions on alerts: append-only, and exported whole for the auditor.

Decisions are append-only: `DecisionLog.decide` only ever inserts, a second decision on an
alert is a new row, and the database refuses UPDATE and DELETE on the table (migration 0002),
so the history an auditor exports is the history that happened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from enum import StrEnum
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from screening.workflow.schema import Alert, AlertDecision, utc_now


class Disposition(StrEnum):
    """What an analyst decided about an alert."""

    TRUE_MATCH = "true_match"
    FALSE_POSITIVE = "false_positive"
    ESCALATED = "escalated"


class DecisionInfo(BaseModel):
    id: int
    alert_id: int
    disposition: Disposition
    reason: str
    analyst: str
    decided_at: dt.datetime


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
)


class DecisionLog:
    """Records and exports analysts' decisions. Every call uses its own session."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def decide(
        self, alert_id: int, disposition: Disposition | str, *, reason: str, analyst: str
    ) -> DecisionInfo:
        """Record an analyst's disposition. Inserts only: earlier decisions stay as they were."""
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
            decision = AlertDecision(
                alert_id=alert_id,
                disposition=chosen.value,
                reason=reason.strip(),
                analyst=analyst.strip(),
                decided_at=utc_now(),
            )
            session.add(decision)
            session.flush()
            return decision_info(decision)

    def export_decisions(self) -> Iterator[dict[str, Any]]:
        """Every decision ever made, oldest first, with the alert it decided."""
        query = (
            select(AlertDecision, Alert)
            .join(Alert, Alert.id == AlertDecision.alert_id)
            .order_by(AlertDecision.id)
            .execution_options(yield_per=500)
        )
        with Session(self.engine) as session:
            for decision, alert in session.execute(query):
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
                }


def decision_info(row: AlertDecision) -> DecisionInfo:
    return DecisionInfo(
        id=row.id,
        alert_id=row.alert_id,
        disposition=Disposition(row.disposition),
        reason=row.reason,
        analyst=row.analyst,
        decided_at=row.decided_at,
    )
