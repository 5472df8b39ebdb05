"""Screening records, alerts and analysts' decisions: the bank's audit trail.

    >>> from screening.workflow.recorder import Recorder, Disposition
    >>> recorder = Recorder(store)
    >>> recorded = recorder.record_screening(result, customer_ref="C-001", requested_by="kyc")
    >>> recorder.decide(recorded.alerts[0].id, Disposition.FALSE_POSITIVE,
    ...                 reason="other person: born 1990", analyst="a.smith")

Every recorded screening keeps its query, the list versions it ran against, the full result
(hits with their explanations) and its decision. Each hit with decision review or match opens
an `Alert`, tied to the listed entry's fingerprint in the version that was screened.

Decisions are append-only: `decide` only ever inserts, a second decision on an alert is a new
row, and the database refuses UPDATE and DELETE on the table (migration 0002), so the history
an auditor exports is the history that happened. An alert's status is derived, never stored:
``decided`` when it has any decision, ``suppressed`` when it was born suppressed and nobody has
decided it since, else ``open``.

Good-guy suppression: when the newest decision on the earlier alerts for the same customer and
the same listed entry (source, entry_id) with the same entity fingerprint is a false positive,
a new alert for that pair is stored with ``suppressed_by`` = that decision's id. It is still
listed (status ``suppressed``), so nothing disappears. A new list version that changes the
entry changes its fingerprint, and the pair alerts again (open). Screenings without a customer
reference are never suppressed: there is no party to remember.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, and_, exists, select
from sqlalchemy.orm import Session

from screening.matching.results import Decision, Query, ScreeningResult
from screening.store import ListStore
from screening.store.schema import StoredEntity
from screening.workflow.schema import (
    Alert,
    AlertDecision,
    Customer,
    ScreeningRecord,
    ScreeningRun,
)

if TYPE_CHECKING:
    from screening.coalition.rules import TxResult

# A hit with one of these decisions opens an alert; clear hits are only kept in the record.
ALERTING = frozenset({Decision.MATCH.value, Decision.REVIEW.value})
PARTY_HIT_RULE = "PARTY_SANCTIONS_HIT"


class AlertStatus(StrEnum):
    OPEN = "open"
    SUPPRESSED = "suppressed"
    DECIDED = "decided"


class Disposition(StrEnum):
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


class AlertInfo(BaseModel):
    id: int
    screening_id: int
    customer_ref: str | None
    source: str
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


class RecordedScreening(BaseModel):
    screening_id: int
    alerts: list[AlertInfo]


class CustomerInfo(BaseModel):
    customer_ref: str
    name: str
    schema_: str | None = None
    country: str | None = None
    birth_date: str | None = None
    registered_from: str
    active: bool = True

    def query(self) -> Query:
        return Query.model_validate(
            {
                "name": self.name,
                "type": self.schema_,
                "country": self.country,
                "birth_date": self.birth_date,
            }
        )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _status(decided: bool, suppressed_by: int | None) -> AlertStatus:
    if decided:
        return AlertStatus.DECIDED
    return AlertStatus.SUPPRESSED if suppressed_by is not None else AlertStatus.OPEN


class Recorder:
    """Stores screenings, alerts and decisions in the list store's database. Thread-safe:
    every call uses its own session."""

    def __init__(self, store: ListStore) -> None:
        self.store = store
        self.engine = store.engine

    # -- runs ------------------------------------------------------------------------------

    def start_run(self, kind: str, *, input_name: str | None, requested_by: str) -> int:
        """A batch, transaction batch or rescreen run; its list versions are the active ones."""
        versions = [v.id for v in self.store.active_versions()]
        with Session(self.engine) as session, session.begin():
            run = ScreeningRun(
                kind=kind,
                started_at=_now(),
                input_name=input_name,
                requested_by=requested_by,
                list_versions=versions,
                counts={},
            )
            session.add(run)
            session.flush()
            return run.id

    def finish_run(
        self, run_id: int, counts: dict[str, Any], list_versions: list[int] | None = None
    ) -> None:
        with Session(self.engine) as session, session.begin():
            run = session.get(ScreeningRun, run_id)
            if run is None:
                raise ValueError(f"no screening run {run_id}")
            run.finished_at = _now()
            run.counts = counts
            if list_versions is not None:
                run.list_versions = list_versions

    # -- recording -------------------------------------------------------------------------

    def record_screening(
        self,
        result: ScreeningResult,
        *,
        customer_ref: str | None,
        requested_by: str,
        run_id: int | None = None,
    ) -> RecordedScreening:
        """Store one name screening and open an alert per review/match hit."""
        customer_ref = customer_ref.strip() if customer_ref else None
        query = result.query.model_dump(mode="json", by_alias=True)
        hits = [hit.model_dump(mode="json", by_alias=True) for hit in result.hits]
        with Session(self.engine) as session, session.begin():
            if customer_ref:
                self._refresh_customer(session, customer_ref, result.query)
            record = ScreeningRecord(
                run_id=run_id,
                kind="name",
                customer_ref=customer_ref,
                query=query,
                list_versions=[v.version_id for v in result.list_versions],
                decision=result.decision.value,
                top_score=result.hits[0].score if result.hits else None,
                result=result.model_dump(mode="json", by_alias=True),
                created_at=_now(),
                requested_by=requested_by,
            )
            session.add(record)
            session.flush()
            alerts = [
                self._open_alert(session, record, customer_ref, hit, hit["list_version"])
                for hit in hits
                if hit["decision"] in ALERTING
            ]
            return RecordedScreening(screening_id=record.id, alerts=alerts)

    def record_transaction(
        self,
        result: TxResult,
        *,
        tx_id: str,
        query: dict[str, Any],
        requested_by: str,
        run_id: int | None = None,
    ) -> RecordedScreening:
        """Store one transaction screening; each party sanctions hit opens an alert.

        Transactions have no customer reference, so their alerts are never suppressed.
        """
        party_hits = [
            flag for flag in result.flags if flag.rule == PARTY_HIT_RULE and flag.evidence
        ]
        with Session(self.engine) as session, session.begin():
            record = ScreeningRecord(
                run_id=run_id,
                kind="transaction",
                customer_ref=None,
                query={"tx_id": tx_id, **query},
                list_versions=[v.version_id for v in result.list_versions],
                decision=result.decision.value,
                top_score=max((float(f.evidence["score"]) for f in party_hits), default=None),
                result=result.model_dump(mode="json"),
                created_at=_now(),
                requested_by=requested_by,
            )
            session.add(record)
            session.flush()
            alerts = []
            for flag in party_hits:
                evidence = flag.evidence
                hit = {
                    **evidence,
                    "name": evidence.get("listed_name", ""),
                    "decision": evidence["hit_decision"],
                    "rule": flag.rule,
                    "severity": flag.severity.value,
                    "message": flag.message,
                }
                alerts.append(
                    self._open_alert(session, record, None, hit, int(evidence["list_version"]))
                )
            return RecordedScreening(screening_id=record.id, alerts=alerts)

    def _open_alert(
        self,
        session: Session,
        record: ScreeningRecord,
        customer_ref: str | None,
        hit: dict[str, Any],
        version_id: int,
    ) -> AlertInfo:
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

    def _refresh_customer(self, session: Session, customer_ref: str, query: Query) -> None:
        """A screened party joins the book, or its details are brought up to date."""
        values = {
            "name": query.name,
            "schema": query.schema_.value if query.schema_ else None,
            "country": query.country,
            "birth_date": query.birth_date,
        }
        customer = session.scalar(select(Customer).where(Customer.customer_ref == customer_ref))
        if customer is None:
            session.add(
                Customer(
                    customer_ref=customer_ref,
                    registered_from="screening",
                    registered_at=_now(),
                    active=True,
                    **values,
                )
            )
            return
        for key, value in values.items():
            setattr(customer, key, value)

    # -- customers -------------------------------------------------------------------------

    def register_customer(self, customer: CustomerInfo) -> bool:
        """Insert or update a customer by reference; returns True when it is new.

        An update keeps the first registration's origin and time.
        """
        with Session(self.engine) as session, session.begin():
            row = session.scalar(
                select(Customer).where(Customer.customer_ref == customer.customer_ref)
            )
            if row is None:
                session.add(
                    Customer(
                        customer_ref=customer.customer_ref,
                        name=customer.name,
                        schema=customer.schema_,
                        country=customer.country,
                        birth_date=customer.birth_date,
                        registered_from=customer.registered_from,
                        registered_at=_now(),
                        active=customer.active,
                    )
                )
                return True
            row.name = customer.name
            row.schema = customer.schema_
            row.country = customer.country
            row.birth_date = customer.birth_date
            row.active = customer.active
            return False

    def customers(self, *, active_only: bool = True) -> list[CustomerInfo]:
        query = select(Customer).order_by(Customer.customer_ref)
        if active_only:
            query = query.where(Customer.active.is_(True))
        with Session(self.engine) as session:
            return [
                CustomerInfo(
                    customer_ref=row.customer_ref,
                    name=row.name,
                    schema_=row.schema,
                    country=row.country,
                    birth_date=row.birth_date,
                    registered_from=row.registered_from,
                    active=row.active,
                )
                for row in session.scalars(query)
            ]

    def last_run(self, kind: str) -> tuple[int, list[int]] | None:
        """The newest finished run of a kind: (id, list version ids it ran against)."""
        query = (
            select(ScreeningRun.id, ScreeningRun.list_versions)
            .where(ScreeningRun.kind == kind, ScreeningRun.finished_at.is_not(None))
            .order_by(ScreeningRun.id.desc())
            .limit(1)
        )
        with Session(self.engine) as session:
            row = session.execute(query).first()
            return (row[0], list(row[1])) if row else None

    # -- alerts and decisions --------------------------------------------------------------

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
                decisions=[_decision_info(d) for d in decisions],
            )

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
                decided_at=_now(),
            )
            session.add(decision)
            session.flush()
            return _decision_info(decision)

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
    return select(Alert, _latest_disposition())


def _status_filter(status: AlertStatus) -> ColumnElement[bool]:
    decided = exists().where(AlertDecision.alert_id == Alert.id)
    if status is AlertStatus.DECIDED:
        return decided
    if status is AlertStatus.SUPPRESSED:
        return and_(Alert.suppressed_by.is_not(None), ~decided)
    return and_(Alert.suppressed_by.is_(None), ~decided)


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


def _alert_info(alert: Alert, *, decided: bool, last: str | None) -> AlertInfo:
    return AlertInfo(
        id=alert.id,
        screening_id=alert.screening_id,
        customer_ref=alert.customer_ref,
        source=alert.source,
        entry_id=alert.entry_id,
        name=str(alert.hit.get("name", "")),
        score=alert.score,
        decision=alert.decision,
        status=_status(decided, alert.suppressed_by),
        created_at=alert.created_at,
        suppressed_by=alert.suppressed_by,
        last_disposition=Disposition(last) if last else None,
    )


def _decision_info(row: AlertDecision) -> DecisionInfo:
    return DecisionInfo(
        id=row.id,
        alert_id=row.alert_id,
        disposition=Disposition(row.disposition),
        reason=row.reason,
        analyst=row.analyst,
        decided_at=row.decided_at,
    )
