"""The bank's audit trail behind one object: `Recorder` composes the workflow's services.

    >>> from screening.workflow.recorder import Recorder, Disposition
    >>> recorder = Recorder(store)
    >>> recorded = recorder.record_screening(result, customer_ref="C-001", requested_by="kyc")
    >>> recorder.decide(recorded.alerts[0].id, Disposition.FALSE_POSITIVE,
    ...                 reason="other person: born 1990", analyst="a.smith")

Each method is one service's own, documented there: `RunLog` (runs),
`ScreeningLog` (recording screenings and opening alerts), `AlertQueue` (listing, counting and
showing alerts, good-guy suppression), `DecisionLog` (append-only decisions, their four-eyes
reviews and their export) and
`CustomerBook` (the customer register). The models are re-exported here for the callers that
import them from this module.
"""

from __future__ import annotations

from screening.store import ListStore
from screening.workflow.alerts import ALERTING, AlertDetail, AlertInfo, AlertQueue, AlertStatus
from screening.workflow.customers import CustomerBook, CustomerInfo
from screening.workflow.decisions import (
    EXPORT_COLUMNS,
    DecisionInfo,
    DecisionLog,
    DecisionState,
    Disposition,
    ReviewInfo,
)
from screening.workflow.runs import RunLog
from screening.workflow.screenings import RecordedScreening, ScreeningLog

__all__ = [
    "ALERTING",
    "EXPORT_COLUMNS",
    "AlertDetail",
    "AlertInfo",
    "AlertStatus",
    "CustomerInfo",
    "DecisionInfo",
    "DecisionState",
    "Disposition",
    "RecordedScreening",
    "Recorder",
    "ReviewInfo",
]


class Recorder:
    """Stores screenings, alerts and decisions in the list store's database. Thread-safe:
    every call uses its own session."""

    def __init__(self, store: ListStore) -> None:
        self.store = store
        self.engine = store.engine
        self.run_log = RunLog(store)
        self.screening_log = ScreeningLog(self.engine)
        self.alert_queue = AlertQueue(self.engine)
        self.decision_log = DecisionLog(self.engine)
        self.customer_book = CustomerBook(self.engine)
        # The methods are the services' own (same signatures and docs), not copies of them.
        self.start_run = self.run_log.start_run
        self.finish_run = self.run_log.finish_run
        self.last_run = self.run_log.last_run
        self.interrupted_run = self.run_log.interrupted_run
        self.screened_customers = self.run_log.screened_customers
        self.record_screening = self.screening_log.record_screening
        self.record_transaction = self.screening_log.record_transaction
        self.register_customer = self.customer_book.register_customer
        self.customers = self.customer_book.customers
        self.alerts = self.alert_queue.alerts
        self.alert = self.alert_queue.alert
        self.count_alerts = self.alert_queue.count
        self.status_counts = self.alert_queue.status_counts
        self.decide = self.decision_log.decide
        self.review = self.decision_log.review
        self.decision = self.decision_log.decision
        self.export_decisions = self.decision_log.export_decisions
