"""Alerts: opened by review/match hits, listed and shown with their decisions, and good-guy
suppression.

Each hit with decision review or match opens an `Alert` (`open_alert`), tied to the listed
entry's fingerprint in the version that was screened. An alert's status is derived, never
stored: ``decided`` when it has any decision, ``suppressed`` when it was born suppressed and
nobody has decided it since, else ``open``.

Good-guy suppression: when the newest decision on the earlier alerts for the same customer and
the same listed entry (source, entry_id) with the same entity fingerprint is a false positive,
a new alert for that pair is stored with ``suppressed_by`` = that decision's id. It is still
listed (status ``suppressed``), so nothing disappears. A new list version that changes the
entry changes its fingerprint, and the pair alerts again (open). Screenings without a customer
reference are never suppressed: there is no party to remember.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Engine, Select, and_, exists, select
from sqlalchemy.orm import Session

from screening.matching.results import Decision
from screening.store.schema import StoredEntity
from screening.workflow.decisions import DecisionInfo, Disposition, decision_info
from screening.workflow.schema import Alert, AlertDecision, ScreeningRecord

# A hit with one of these decisions opens an alert; clear hits are only kept in the record.
ALERTING = frozenset({Decision.MATCH.value, Decision.REVIEW.value})


class AlertStatus(StrEnum):
    OPEN = "open"
    SUPPRESSED = "suppressed"
    DECIDED = "decided"


class AlertInfo(BaseModel):
    id: int
    screening_id: int
    customer_ref: str | None
    source: str
    # The list the hit was on; None for alerts recorded before datasets existed (migration 0003).
    dataset: str | None
    entry_id: str
    name: str
    score: float
    decision: str
    status: AlertStatus
    created_at: dt.datetime
    suppressed_by: int | None
    last_disposition: Disposition | None


class AlertDetail(AlertInfo):
    hit: dict[str, Any]
    query: dict[str, Any]
    list_versions: list[int]
    decisions: list[DecisionInfo]


class AlertQueue:
    """Lists and shows alerts with their derived status. Every call uses its own session."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def alerts(
        self,
        *,
        status: AlertStatus | None = None,
        customer_ref: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[AlertInfo]:
        """Alerts, oldest first, optionally by derived status and customer."""
        query = _alert_rows().order_by(Alert.id).limit(limit).offset(offset)
        if customer_ref is not None:
            query = query.where(Alert.customer_ref == customer_ref)
        if status is not None:
            query = query.where(_status_filter(AlertStatus(status)))  # a plain string works too
        with Session(self.engine) as session:
            return [
                _alert_info(row[0], decided=row[1] is not None, last=row[1])
                for row in session.execute(query)
            ]

    def alert(self, alert_id: int) -> AlertDetail | None:
        """One alert with its hit, the screened query and every decision, oldest first."""
        with Session(self.engine) as session:
            row = session.execute(_alert_rows().where(Alert.id == alert_id)).first()
            if row is None:
                return None
            alert, last = row[0], row[1]
            record = session.get(ScreeningRecord, alert.screening_id)
            assert record is not None  # foreign key
            decisions = session.scalars(
                select(AlertDecision)
                .where(AlertDecision.alert_id == alert_id)
                .order_by(AlertDecision.id)
            )
            info = _alert_info(alert, decided=last is not None, last=last)
            return AlertDetail(
                **info.model_dump(),
                hit=alert.hit,
                query=record.query,
                list_versions=list(record.list_versions),
                decisions=[decision_info(d) for d in decisions],
            )


def open_alert(
    session: Session,
    record: ScreeningRecord,
    customer_ref: str | None,
    hit: dict[str, Any],
    version_id: int,
) -> AlertInfo:
    """Store an alert for a hit of `record`, suppressed if the customer's pair was cleared."""
    source, entry_id = str(hit["source"]), str(hit["entry_id"])
    fingerprint = session.scalar(
        select(StoredEntity.fingerprint).where(
            StoredEntity.version_id == version_id, StoredEntity.entry_id == entry_id
        )
    )
    if fingerprint is None:
        raise ValueError(f"{source}:{entry_id} is not in list version {version_id}")
    suppressed_by = (
        _false_positive(session, customer_ref, source, entry_id, fingerprint)
        if customer_ref
        else None
    )
    alert = Alert(
        screening_id=record.id,
        customer_ref=customer_ref,
        source=source,
        entry_id=entry_id,
        entity_fingerprint=fingerprint,
        version_id=version_id,
        score=float(hit["score"]),
        decision=str(hit["decision"]),
        hit=hit,
        created_at=record.created_at,
        suppressed_by=suppressed_by,
    )
    session.add(alert)
    session.flush()
    return _alert_info(alert, decided=False, last=None)


def _false_positive(
    session: Session, customer_ref: str, source: str, entry_id: str, fingerprint: str
) -> int | None:
    """The id of the newest decision on the pair, if it is a false positive.

    Only the newest decision counts: an analyst who later called an alert of the same pair a
    true match, or escalated it, has withdrawn the all-clear.
    """
    newest = session.execute(
        select(AlertDecision.id, AlertDecision.disposition)
        .join(Alert, Alert.id == AlertDecision.alert_id)
        .where(
            Alert.customer_ref == customer_ref,
            Alert.source == source,
            Alert.entry_id == entry_id,
            Alert.entity_fingerprint == fingerprint,
        )
        .order_by(AlertDecision.id.desc())
        .limit(1)
    ).first()
    if newest is not None and newest[1] == Disposition.FALSE_POSITIVE.value:
        return int(newest[0])
    return None


def _latest_disposition() -> Any:
    return (
        select(AlertDecision.disposition)
        .where(AlertDecision.alert_id == Alert.id)
        .order_by(AlertDecision.id.desc())
        .limit(1)
        .correlate(Alert)
        .scalar_subquery()
    )


def _alert_rows() -> Select[Any]:
    """Each alert with its newest disposition (None: undecided)."""
    return select(Alert, _latest_disposition())


def _status_filter(status: AlertStatus) -> ColumnElement[bool]:
    decided = exists().where(AlertDecision.alert_id == Alert.id)
    if status is AlertStatus.DECIDED:
        return decided
    if status is AlertStatus.SUPPRESSED:
        return and_(Alert.suppressed_by.is_not(None), ~decided)
    return and_(Alert.suppressed_by.is_(None), ~decided)


def _status(decided: bool, suppressed_by: int | None) -> AlertStatus:
    if decided:
        return AlertStatus.DECIDED
    return AlertStatus.SUPPRESSED if suppressed_by is not None else AlertStatus.OPEN


def _alert_info(alert: Alert, *, decided: bool, last: str | None) -> AlertInfo:
    return AlertInfo(
        id=alert.id,
        screening_id=alert.screening_id,
        customer_ref=alert.customer_ref,
        source=alert.source,
        dataset=str(alert.hit["dataset"]) if alert.hit.get("dataset") else None,
        entry_id=alert.entry_id,
        name=str(alert.hit.get("name", "")),
        score=alert.score,
        decision=alert.decision,
        status=_status(decided, alert.suppressed_by),
        created_at=alert.created_at,
        suppressed_by=alert.suppressed_by,
        last_disposition=Disposition(last) if last else None,
    )
