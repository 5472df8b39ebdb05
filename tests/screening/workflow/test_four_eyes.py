"""Four-eyes decisions (SQLite and PostgreSQL): an analyst's disposition stays pending until a
supervisor other than its analyst approves or rejects it; reviews are append-only."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from screening import Screener
from screening.store import ListStore
from screening.workflow.recorder import (
    EXPORT_COLUMNS,
    AlertStatus,
    DecisionState,
    Disposition,
    Recorder,
)
from tests.screening.workflow.test_recorder import PETROV, SMIRNOVA, _load


@pytest.fixture
def screener(store: ListStore, tmp_path: Path) -> Screener:
    _load(store, tmp_path, "2026-01-01", [PETROV, SMIRNOVA])
    return Screener(store, index_dir=tmp_path / "index")


def _alert(recorder: Recorder, screener: Screener, customer_ref: str | None = "C-1") -> int:
    result = screener.screen("Ivan Petrov", type="person")
    [alert] = recorder.record_screening(result, customer_ref=customer_ref, requested_by="t").alerts
    return alert.id


def _status(recorder: Recorder, alert_id: int) -> AlertStatus:
    detail = recorder.alert(alert_id)
    assert detail is not None
    return detail.status


def test_a_pending_decision_takes_effect_only_when_approved(
    store: ListStore,
    screener: Screener,
) -> None:
    recorder = Recorder(store)
    alert_id = _alert(recorder, screener)
    decision = recorder.decide(
        alert_id, Disposition.FALSE_POSITIVE, reason="born 1990", analyst="ana", four_eyes=True
    )
    assert (decision.state, decision.reviews) == (DecisionState.PENDING, [])
    assert _status(recorder, alert_id) is AlertStatus.PENDING
    assert recorder.status_counts()[AlertStatus.PENDING] == 1
    assert [a.id for a in recorder.alerts(status=AlertStatus.PENDING)] == [alert_id]
    assert recorder.alerts(status=AlertStatus.DECIDED) == []
    # While it waits, the alert takes no other decision.
    with pytest.raises(ValueError, match="awaits a supervisor's review"):
        recorder.decide(alert_id, "true_match", reason="x", analyst="bo", four_eyes=True)
    # A pending false positive clears nobody yet: the pair alerts again, open.
    assert _status(recorder, _alert(recorder, screener)) is AlertStatus.OPEN

    review = recorder.review(
        decision.id, approve=True, reviewer="sam", reviewer_role="supervisor", reason="agreed"
    )
    assert (review.decision_id, review.approved, review.reviewer, review.reason) == (
        decision.id,
        True,
        "sam",
        "agreed",
    )
    detail = recorder.alert(alert_id)
    assert detail is not None and detail.status is AlertStatus.DECIDED
    [shown] = detail.decisions
    assert shown.state is DecisionState.APPROVED and shown.reviews == [review]
    assert recorder.status_counts()[AlertStatus.PENDING] == 0
    # Approved, the false positive now clears the pair.
    assert _status(recorder, _alert(recorder, screener)) is AlertStatus.SUPPRESSED
    with pytest.raises(ValueError, match="already been reviewed"):
        recorder.review(
            decision.id, approve=False, reviewer="max", reviewer_role="admin", reason="no"
        )


def test_a_rejected_decision_leaves_the_alert_open_again(
    store: ListStore,
    screener: Screener,
) -> None:
    recorder = Recorder(store)
    alert_id = _alert(recorder, screener)
    decision = recorder.decide(
        alert_id, "false_positive", reason="looks different", analyst="ana", four_eyes=True
    )
    with pytest.raises(ValueError, match="rejection needs a reason"):
        recorder.review(
            decision.id, approve=False, reviewer="sam", reviewer_role="admin", reason=""
        )
    recorder.review(
        decision.id, approve=False, reviewer="sam", reviewer_role="admin", reason="same DOB"
    )
    assert _status(recorder, alert_id) is AlertStatus.OPEN
    assert [a.id for a in recorder.alerts(status=AlertStatus.OPEN)] == [alert_id]
    # A rejected false positive clears nobody, and the alert can be decided anew.
    assert _status(recorder, _alert(recorder, screener)) is AlertStatus.OPEN
    again = recorder.decide(alert_id, "true_match", reason="same DOB", analyst="ana")
    assert again.state is DecisionState.FINAL
    assert _status(recorder, alert_id) is AlertStatus.DECIDED
    states = [d.state for d in recorder.alert(alert_id).decisions]  # type: ignore[union-attr]
    assert states == [DecisionState.REJECTED, DecisionState.FINAL]


def test_nobody_reviews_their_own_decision_and_analysts_review_nothing(
    store: ListStore,
    screener: Screener,
) -> None:
    recorder = Recorder(store)
    alert_id = _alert(recorder, screener)
    decision = recorder.decide(
        alert_id, "escalated", reason="unsure", analyst="sam", four_eyes=True
    )
    for reviewer in ("sam", "SAM"):
        with pytest.raises(PermissionError, match="may not review it"):
            recorder.review(
                decision.id, approve=True, reviewer=reviewer, reviewer_role="admin", reason="ok"
            )
    with pytest.raises(PermissionError, match="analyst may not review"):
        recorder.review(
            decision.id, approve=True, reviewer="ana", reviewer_role="analyst", reason="ok"
        )
    with pytest.raises(PermissionError, match="unknown role"):
        recorder.review(decision.id, approve=True, reviewer="x", reviewer_role="boss", reason="ok")
    with pytest.raises(ValueError, match="no decision 9999"):
        recorder.review(9999, approve=True, reviewer="max", reviewer_role="admin", reason="ok")
    assert _status(recorder, alert_id) is AlertStatus.PENDING
    assert recorder.decision(decision.id).reviews == []  # type: ignore[union-attr]


def test_a_final_decision_needs_no_review_and_the_setting_decides_the_default(
    store: ListStore,
    screener: Screener,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    recorder = Recorder(store)
    first, second = _alert(recorder, screener, "C-1"), _alert(recorder, screener, "C-2")
    monkeypatch.delenv("COALITION_FOUR_EYES", raising=False)
    final = recorder.decide(first, "true_match", reason="same passport", analyst="ana")
    assert final.state is DecisionState.FINAL
    with pytest.raises(ValueError, match="is final"):
        recorder.review(final.id, approve=True, reviewer="sam", reviewer_role="admin", reason="")
    monkeypatch.setenv("COALITION_FOUR_EYES", "1")
    pending = recorder.decide(second, "true_match", reason="same passport", analyst="ana")
    assert pending.state is DecisionState.PENDING
    assert recorder.status_counts() == {
        AlertStatus.OPEN: 0,
        AlertStatus.PENDING: 1,
        AlertStatus.SUPPRESSED: 0,
        AlertStatus.DECIDED: 1,
    }


def test_reviews_are_exported_and_append_only_in_the_database(
    store: ListStore,
    screener: Screener,
) -> None:
    recorder = Recorder(store)
    alert_id = _alert(recorder, screener)
    final = recorder.decide(alert_id, "escalated", reason="unsure", analyst="ana")
    pending = recorder.decide(alert_id, "true_match", reason="id", analyst="ana", four_eyes=True)
    review = recorder.review(
        pending.id, approve=True, reviewer="sam", reviewer_role="supervisor", reason="agreed"
    )
    # The existing columns keep their order; the review's come last.
    assert EXPORT_COLUMNS[:16] == (
        "decision_id", "alert_id", "decided_at", "disposition", "reason", "analyst",
        "customer_ref", "source", "entry_id", "listed_name", "score", "alert_decision",
        "entity_fingerprint", "list_version", "screening_id", "alert_created_at",
    )  # fmt: skip
    assert EXPORT_COLUMNS[16:] == ("state", "reviewer", "review_reason", "reviewed_at")
    rows = list(recorder.export_decisions())
    assert [tuple(row) for row in rows] == [EXPORT_COLUMNS, EXPORT_COLUMNS]
    assert [(r["decision_id"], r["state"], r["reviewer"], r["review_reason"]) for r in rows] == [
        (final.id, "final", None, None),
        (pending.id, "approved", "sam", "agreed"),
    ]
    assert rows[1]["reviewed_at"] == review.reviewed_at.isoformat()

    for statement in (
        "UPDATE decision_reviews SET approved = NOT approved",
        "UPDATE decision_reviews SET reason = 'changed'",
        "DELETE FROM decision_reviews",
    ):
        with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as connection:
            connection.execute(text(statement))
    with store.engine.connect() as connection:
        stored = connection.execute(text("SELECT reviewer, reason FROM decision_reviews")).all()
    assert stored == [("sam", "agreed")]
    # The decision itself is untouched by its review (and stays unchangeable).
    with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as connection:
        connection.execute(text("UPDATE alert_decisions SET needs_approval = false"))
