"""Alerts: opened by review/match hits, listed, counted and shown with their decisions and the
listed entity's record, and good-guy suppression.

Each hit with decision review or match opens an `Alert` (`open_alert`), tied to the listed
entry's fingerprint in the version that was screened. An alert's status is derived, never
stored, from its latest decision: ``decided`` when that decision is final or approved,
``pending`` when it awaits a four-eyes review, ``open`` when it was rejected (the alert is open
again) or when there is no decision, unless the alert was born ``suppressed``.

Good-guy suppression: when the newest decision in effect on the earlier alerts for the same
customer and the same listed entry (source, entry_id) with the same entity fingerprint is a
false positive, a new alert for that pair is stored with ``suppressed_by`` = that decision's id.
A decision is in effect when it is final or approved: a pending or rejected false positive
clears nobody. The alert is still listed (status ``suppressed``), so nothing disappears. A new
list version that changes the entry changes its fingerprint, and the pair alerts again (open).
Screenings without a customer reference are never suppressed: there is no party to remember.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Engine, Select, case, false, func, select, true
from sqlalchemy.orm import Session, aliased

from lists.model import Entity
from screening.matching.results import Decision
from screening.store.schema import StoredEntity
from screening.workflow.decisions import DecisionInfo, Disposition, decision_infos
from screening.workflow.schema import Alert, AlertDecision, DecisionReview, ScreeningRecord

# A hit with one of these decisions opens an alert; clear hits are only kept in the record.
ALERTING = frozenset({Decision.MATCH.value, Decision.REVIEW.value})


class AlertStatus(StrEnum):
    OPEN = "open"
    PENDING = "pending"
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
    # The listed entity's canonical record from the version the alert cites (names,
    # identifiers, addresses, programs, listing dates); None once that version was deleted.
    entity: dict[str, Any] | None = None


class AlertQueue:
    """Lists, counts and shows alerts with their derived status. Every call uses its own
    session.

    The filters of `alerts`, `count` and `status_counts` are the same: `customer_ref`,
    `dataset` (the hit's list, e.g. ``un_sc``), `min_score` and `max_score` (inclusive),
    `created_before` and `created_after` (exclusive; timezone-aware).
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def alerts(
        self,
        *,
        status: AlertStatus | None = None,
        customer_ref: str | None = None,
        dataset: str | None = None,
        min_score: float | None = None,
        max_score: float | None = None,
        created_before: dt.datetime | None = None,
        created_after: dt.datetime | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[AlertInfo]:
        """Alerts, oldest first, optionally by derived status and the filters above."""
        rows = _AlertRows()
        query = rows.select().order_by(Alert.id).limit(limit).offset(offset)
        query = query.where(
            *_filters(customer_ref, dataset, min_score, max_score, created_before, created_after)
        )
        if status is not None:
            query = query.where(rows.status == AlertStatus(status).value)  # a string works too
        with Session(self.engine) as session:
            return [_alert_info(row[0], row[2], row[1]) for row in session.execute(query)]

    def count(
        self,
        *,
        status: AlertStatus | None = None,
        customer_ref: str | None = None,
        dataset: str | None = None,
        min_score: float | None = None,
        max_score: float | None = None,
        created_before: dt.datetime | None = None,
        created_after: dt.datetime | None = None,
    ) -> int:
        """How many alerts `alerts` would list with these filters and no limit."""
        filters = _filters(
            customer_ref, dataset, min_score, max_score, created_before, created_after
        )
        if status is None:
            query = select(func.count(Alert.id)).where(*filters)
        else:
            rows = _AlertRows()
            listed = rows.select().where(*filters, rows.status == AlertStatus(status).value)
            query = select(func.count()).select_from(listed.subquery())
        with Session(self.engine) as session:
            return int(session.scalar(query) or 0)

    def status_counts(
        self,
        *,
        customer_ref: str | None = None,
        dataset: str | None = None,
        min_score: float | None = None,
        max_score: float | None = None,
        created_before: dt.datetime | None = None,
        created_after: dt.datetime | None = None,
    ) -> dict[AlertStatus, int]:
        """The number of alerts of each status (every status, zero included) with the filters."""
        rows = _AlertRows()
        # Grouped outside a subquery: PostgreSQL would not see a CASE with bound parameters in
        # the SELECT and the same CASE in the GROUP BY as one expression.
        statuses = (
            rows.select()
            .where(
                *_filters(
                    customer_ref, dataset, min_score, max_score, created_before, created_after
                )
            )
            .subquery()
        )
        query = select(statuses.c.status, func.count()).group_by(statuses.c.status)
        counts = dict.fromkeys(AlertStatus, 0)
        with Session(self.engine) as session:
            for status, number in session.execute(query):
                counts[AlertStatus(status)] = int(number)
        return counts

    def alert(self, alert_id: int) -> AlertDetail | None:
        """One alert with its hit, the screened query, the listed entity's record and every
        decision with its reviews, oldest first."""
        rows = _AlertRows()
        with Session(self.engine) as session:
            row = session.execute(rows.select().where(Alert.id == alert_id)).first()
            if row is None:
                return None
            alert = row[0]
            record = session.get(ScreeningRecord, alert.screening_id)
            assert record is not None  # foreign key
            decisions = session.scalars(
                select(AlertDecision)
                .where(AlertDecision.alert_id == alert_id)
                .order_by(AlertDecision.id)
            ).all()
            document = session.scalar(
                select(StoredEntity.document).where(
                    StoredEntity.version_id == alert.version_id,
                    StoredEntity.entry_id == alert.entry_id,
                )
            )
            info = _alert_info(alert, row[2], row[1])
            return AlertDetail(
                **info.model_dump(),
                hit=alert.hit,
                query=record.query,
                list_versions=list(record.list_versions),
                decisions=decision_infos(session, list(decisions)),
                # Through the model, so the record reads as every other canonical entity does.
                entity=None
                if document is None
                else Entity.model_validate(document).model_dump(mode="json"),
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
    return _alert_info(alert, _status(alert.suppressed_by), None)


def _false_positive(
    session: Session, customer_ref: str, source: str, entry_id: str, fingerprint: str
) -> int | None:
    """The id of the newest decision in effect on the pair, if it is a false positive.

    Only the newest decision in effect counts: an analyst who later called an alert of the
    same pair a true match, or escalated it, has withdrawn the all-clear. A pending decision
    counts as withdrawing it too (nobody has cleared the pair yet); a rejected one never
    happened as far as the pair is concerned.
    """
    rejected = (
        select(DecisionReview.id)
        .where(DecisionReview.decision_id == AlertDecision.id, DecisionReview.approved == false())
        .exists()
    )
    newest = session.execute(
        select(AlertDecision.id, AlertDecision.disposition, AlertDecision.needs_approval)
        .join(Alert, Alert.id == AlertDecision.alert_id)
        .where(
            Alert.customer_ref == customer_ref,
            Alert.source == source,
            Alert.entry_id == entry_id,
            Alert.entity_fingerprint == fingerprint,
            ~rejected,
        )
        .order_by(AlertDecision.id.desc())
        .limit(1)
    ).first()
    if newest is None or newest[1] != Disposition.FALSE_POSITIVE.value:
        return None
    if newest[2]:  # four-eyes: the rejected ones are excluded, so approved or pending
        approved = session.scalar(
            select(DecisionReview.id).where(DecisionReview.decision_id == newest[0])
        )
        if approved is None:
            return None
    return int(newest[0])


class _AlertRows:
    """Each alert with its latest decision's disposition and the alert's derived status (the
    `status` column, usable in WHERE and, through a subquery, in GROUP BY)."""

    def __init__(self) -> None:
        self.latest = aliased(AlertDecision, name="latest_decision")
        self.review = aliased(DecisionReview, name="latest_review")
        latest, review = self.latest, self.review
        undecided = latest.id.is_(None)
        self.status: ColumnElement[str] = case(
            (undecided & Alert.suppressed_by.is_not(None), AlertStatus.SUPPRESSED.value),
            (undecided, AlertStatus.OPEN.value),
            (latest.needs_approval == false(), AlertStatus.DECIDED.value),
            (review.id.is_(None), AlertStatus.PENDING.value),
            (review.approved == true(), AlertStatus.DECIDED.value),
            else_=AlertStatus.OPEN.value,  # rejected: open again
        ).label("status")

    def select(self) -> Select[Alert, str, str]:
        newest_id = (
            select(func.max(AlertDecision.id))
            .where(AlertDecision.alert_id == Alert.id)
            .correlate(Alert)
            .scalar_subquery()
        )
        return (
            select(Alert, self.latest.disposition, self.status)
            .outerjoin(self.latest, self.latest.id == newest_id)
            .outerjoin(self.review, self.review.decision_id == self.latest.id)
        )


def _filters(
    customer_ref: str | None,
    dataset: str | None,
    min_score: float | None,
    max_score: float | None,
    created_before: dt.datetime | None,
    created_after: dt.datetime | None,
) -> list[ColumnElement[bool]]:
    """The WHERE clauses of the queue's filters (all of them must hold)."""
    for moment, name in ((created_before, "created_before"), (created_after, "created_after")):
        if moment is not None and moment.tzinfo is None:
            raise ValueError(f"{name} must be timezone-aware")
    clauses: list[ColumnElement[bool]] = []
    if customer_ref is not None:
        clauses.append(Alert.customer_ref == customer_ref)
    if dataset is not None:
        clauses.append(Alert.hit["dataset"].as_string() == dataset)
    if min_score is not None:
        clauses.append(Alert.score >= min_score)
    if max_score is not None:
        clauses.append(Alert.score <= max_score)
    if created_before is not None:
        clauses.append(Alert.created_at < created_before)
    if created_after is not None:
        clauses.append(Alert.created_at > created_after)
    return clauses


def _status(suppressed_by: int | None) -> AlertStatus:
    return AlertStatus.SUPPRESSED if suppressed_by is not None else AlertStatus.OPEN


def _alert_info(alert: Alert, status: str, last: str | None) -> AlertInfo:
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
        status=AlertStatus(status),
        created_at=alert.created_at,
        suppressed_by=alert.suppressed_by,
        last_disposition=Disposition(last) if last else None,
    )
