"""Recording screenings: a name screening or a transaction screening, and the alerts it opens.

Every recorded screening keeps its query, the list versions it ran against, the full result
(hits with their explanations) and its decision (a transaction's outcome). A name screening
with a customer reference also brings the customer book up to date.

A transaction (a flat row or a payment message) opens an alert for every flag of a sanctions
hit rule (`SANCTIONS_HIT_RULES`: a listed party, a listed agent bank by BIC or name, a listed
name or identifier inside free text), each naming the listed entry it hit. With a customer
reference, the record and its alerts are the customer's (listed by customer, good-guy
suppression as for name screenings), but the customer book is left alone: a payment names
several parties, and which of them is the bank's customer is the caller's knowledge, not the
message's.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from screening.coalition.rules import (
    AGENT_SANCTIONS_HIT,
    PARTY_SANCTIONS_HIT,
    TEXT_SANCTIONS_HIT,
    Flag,
    TxResult,
)
from screening.matching.results import ScreeningResult
from screening.workflow.alerts import ALERTING, AlertInfo, open_alert
from screening.workflow.customers import refresh_from_screening
from screening.workflow.schema import ScreeningRecord, utc_now

# The rules whose flags are list hits (their evidence names the entry, its list version and
# the hit's own decision): each such flag opens an alert.
SANCTIONS_HIT_RULES = frozenset({PARTY_SANCTIONS_HIT, AGENT_SANCTIONS_HIT, TEXT_SANCTIONS_HIT})


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
        customer_ref: str | None = None,
    ) -> RecordedScreening:
        """Store one transaction screening; each sanctions hit flag opens an alert.

        The alerts are the customer's when `customer_ref` is given (and then suppressed when
        the customer's pair was cleared before); without one they are never suppressed.
        """
        customer_ref = customer_ref.strip() if customer_ref else None
        hits = [flag for flag in result.flags if is_list_hit(flag)]
        with Session(self.engine) as session, session.begin():
            record = ScreeningRecord(
                run_id=run_id,
                kind="transaction",
                customer_ref=customer_ref,
                query={"tx_id": tx_id, **query},
                list_versions=[v.version_id for v in result.list_versions],
                decision=result.decision.value,
                top_score=max((float(f.evidence["score"]) for f in hits), default=None),
                result=result.model_dump(mode="json"),
                created_at=utc_now(),
                requested_by=requested_by,
            )
            session.add(record)
            session.flush()
            alerts = [
                open_alert(
                    session,
                    record,
                    customer_ref,
                    alert_hit(flag),
                    int(flag.evidence["list_version"]),
                )
                for flag in hits
            ]
            return RecordedScreening(screening_id=record.id, alerts=alerts)


def is_list_hit(flag: Flag) -> bool:
    """Whether a transaction flag is a hit on a listed entry that an analyst must decide."""
    return flag.rule in SANCTIONS_HIT_RULES and bool(flag.evidence)


def alert_hit(flag: Flag) -> dict[str, Any]:
    """The alert's hit for a sanctions hit flag: its evidence, named and decided as a hit.

    ``name`` is the listed name (the evidence's own ``name`` is the screened party's or bank's,
    kept in the record's result); ``decision`` is the hit's (match or review), not the flag's.
    """
    evidence = flag.evidence
    return {
        **evidence,
        "name": evidence.get("listed_name", ""),
        "decision": evidence["hit_decision"],
        "rule": flag.rule,
        "severity": flag.severity.value,
        "message": flag.message,
    }
