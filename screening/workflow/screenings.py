"""Recording screenings: a name screening or a transaction screening, and the alerts it opens.

Every recorded screening keeps its query, the list versions it ran against, the full result
(hits with their explanations) and its decision (a transaction's outcome). A name screening
with a customer reference also brings the customer book up to date.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from screening.coalition.rules import PARTY_SANCTIONS_HIT, TxResult
from screening.matching.results import ScreeningResult
from screening.workflow.alerts import ALERTING, AlertInfo, open_alert
from screening.workflow.customers import refresh_from_screening
from screening.workflow.schema import ScreeningRecord, utc_now


class RecordedScreening(BaseModel):
    screening_id: int
    alerts: list[AlertInfo]


class ScreeningLog:
    """Stores screenings and opens their alerts. Every call uses its own session."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

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
                refresh_from_screening(session, customer_ref, result.query)
            record = ScreeningRecord(
                run_id=run_id,
                kind="name",
                customer_ref=customer_ref,
                query=query,
                list_versions=[v.version_id for v in result.list_versions],
                decision=result.decision.value,
                top_score=result.hits[0].score if result.hits else None,
                result=result.model_dump(mode="json", by_alias=True),
                created_at=utc_now(),
                requested_by=requested_by,
            )
            session.add(record)
            session.flush()
            alerts = [
                open_alert(session, record, customer_ref, hit, hit["list_version"])
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
            flag for flag in result.flags if flag.rule == PARTY_SANCTIONS_HIT and flag.evidence
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
                created_at=utc_now(),
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
                alerts.append(open_alert(session, record, None, hit, int(evidence["list_version"])))
            return RecordedScreening(screening_id=record.id, alerts=alerts)
