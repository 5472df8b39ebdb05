"""Screening records, alerts, append-only decisions and good-guy suppression (SQLite and
PostgreSQL), on small self-written list versions so that an entry can be changed at will.
Real-list re-screening is in test_rescreen.py."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from lists.base import ListFile, ListFormat, ReadReport
from lists.model import Entity, Source
from screening import Screener
from screening.coalition.rules import (
    CHPL_VIA_HUB,
    PARTY_SANCTIONS_HIT,
    Flag,
    Severity,
    TxOutcome,
    TxResult,
)
from screening.store import ListStore
from screening.store.schema import StoredEntity
from screening.workflow.recorder import AlertStatus, CustomerInfo, Disposition, Recorder
from screening.workflow.rescreen import record_batch
from screening.workflow.schema import (
    Alert,
    AlertDecision,
    Customer,
    ScreeningRecord,
    ScreeningRun,
)


def _read(path: Path, report: ReadReport) -> Iterator[Entity]:
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        record = json.loads(line)
        yield Entity.model_validate(
            {**record, "ref": {"format": "t", "file": path.name, "record": str(number)}}
        )


TEST_FORMAT = ListFormat(
    name="test-jsonl",
    source=Source.UN,
    description="JSON lines, one canonical entity per line (tests only)",
    sniff=lambda head: False,
    published=lambda path: dt.date.fromisoformat(path.with_suffix(".date").read_text()),
    entities=_read,
)

PETROV: dict[str, object] = {
    "source": "un",
    "entry_id": "1",
    "schema": "person",
    "names": [{"full": "IVAN PETROV"}],
}
SMIRNOVA: dict[str, object] = {
    "source": "un",
    "entry_id": "2",
    "schema": "person",
    "names": [{"full": "OLGA SMIRNOVA"}],
}


def _load(store: ListStore, tmp_path: Path, day: str, records: list[dict[str, object]]) -> int:
    path = tmp_path / f"un-{day}.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    path.with_suffix(".date").write_text(day)
    listed = ListFile(path=path, format=TEST_FORMAT, published=dt.date.fromisoformat(day))
    return store.load(listed).version.id


@pytest.fixture
def screener(store: ListStore, tmp_path: Path) -> Screener:
    _load(store, tmp_path, "2026-01-01", [PETROV, SMIRNOVA])
    return Screener(store, index_dir=tmp_path / "index")


def test_record_screening_stores_query_versions_result_and_opens_an_alert(
    store: ListStore, screener: Screener
) -> None:
    recorder = Recorder(store)
    result = screener.screen("Ivan Petrov", type="person", country="RU")
    recorded = recorder.record_screening(result, customer_ref="C-1", requested_by="kyc")
    [alert] = recorded.alerts
    assert (alert.source, alert.entry_id, alert.name) == ("un", "1", "IVAN PETROV")
    assert alert.dataset == "un_sc"  # the list the hit was on, kept with the alert
    assert (alert.status, alert.customer_ref, alert.suppressed_by) == (
        AlertStatus.OPEN,
        "C-1",
        None,
    )
    version = screener.versions[0].id
    with Session(store.engine) as session:
        record = session.get(ScreeningRecord, recorded.screening_id)
        assert record is not None
        assert record.query["name"] == "Ivan Petrov" and record.query["type"] == "person"
        assert record.list_versions == [version]
        assert record.decision == result.decision.value == "match"
        assert record.top_score == result.hits[0].score
        assert record.result["hits"][0]["explanation"]["tokens"][0]["listed"] is not None
        assert record.requested_by == "kyc" and record.kind == "name"
        fingerprint = session.scalar(
            select(StoredEntity.fingerprint).where(
                StoredEntity.version_id == version, StoredEntity.entry_id == "1"
            )
        )
        customer = session.scalar(select(Customer).where(Customer.customer_ref == "C-1"))
        assert customer is not None
        assert (customer.name, customer.schema, customer.country) == ("Ivan Petrov", "person", "RU")
        assert customer.registered_from == "screening"
    detail = recorder.alert(alert.id)
    assert detail is not None
    assert detail.hit["explanation"]["matched_name"] == "IVAN PETROV"
    assert detail.query["name"] == "Ivan Petrov" and detail.list_versions == [version]
    assert detail.decisions == []
    with Session(store.engine) as session:
        stored = session.get(Alert, alert.id)
        assert stored is not None and stored.entity_fingerprint == fingerprint


def test_a_clear_screening_is_recorded_without_alerts(store: ListStore, screener: Screener) -> None:
    recorder = Recorder(store)
    result = screener.screen("Maria Gonzalez Lopez", type="person")
    recorded = recorder.record_screening(result, customer_ref=None, requested_by="kyc")
    assert result.decision.value == "clear" and recorded.alerts == []
    assert recorder.alerts() == []


def test_false_positive_suppresses_the_pair_until_the_entry_changes(
    store: ListStore, screener: Screener, tmp_path: Path
) -> None:
    recorder = Recorder(store)

    def screen(customer: str | None) -> AlertStatus:
        result = screener.screen("Ivan Petrov", type="person")
        [alert] = recorder.record_screening(result, customer_ref=customer, requested_by="t").alerts
        return alert.status

    assert screen("C-1") is AlertStatus.OPEN
    [first] = recorder.alerts(customer_ref="C-1")
    decision = recorder.decide(
        first.id, Disposition.FALSE_POSITIVE, reason="born 1990, listed 1960", analyst="ana"
    )
    assert screen("C-1") is AlertStatus.SUPPRESSED
    [suppressed] = recorder.alerts(status=AlertStatus.SUPPRESSED)
    assert suppressed.suppressed_by == decision.id and suppressed.customer_ref == "C-1"
    # another customer, and a screening without a customer, are not suppressed
    assert screen("C-2") is AlertStatus.OPEN
    assert screen(None) is AlertStatus.OPEN
    # the entry changes in a newer version: its fingerprint changes and the pair alerts again
    changed: dict[str, object] = {**PETROV, "birth_dates": [{"precision": "year", "year": 1960}]}
    _load(store, tmp_path, "2026-02-01", [changed, SMIRNOVA])
    assert screener.refresh()
    assert screen("C-1") is AlertStatus.OPEN
    # an entry left unchanged by a newer version keeps its suppression
    result = screener.screen("Olga Smirnova", type="person")
    [olga] = recorder.record_screening(result, customer_ref="C-9", requested_by="t").alerts
    recorder.decide(olga.id, "false_positive", reason="other Olga", analyst="ana")
    chen: dict[str, object] = {
        "source": "un",
        "entry_id": "4",
        "schema": "person",
        "names": [{"full": "CHEN WEI"}],
    }
    _load(store, tmp_path, "2026-03-01", [changed, SMIRNOVA, chen])
    assert screener.refresh()
    result = screener.screen("Olga Smirnova", type="person")
    [again] = recorder.record_screening(result, customer_ref="C-9", requested_by="t").alerts
    assert again.status is AlertStatus.SUPPRESSED
    assert [a.status for a in recorder.alerts(customer_ref="C-1")] == [
        AlertStatus.DECIDED,
        AlertStatus.SUPPRESSED,
        AlertStatus.OPEN,
    ]


def test_a_later_true_match_withdraws_the_suppression(store: ListStore, screener: Screener) -> None:
    recorder = Recorder(store)
    result = screener.screen("Ivan Petrov", type="person")
    [alert] = recorder.record_screening(result, customer_ref="C-1", requested_by="t").alerts
    recorder.decide(alert.id, Disposition.FALSE_POSITIVE, reason="looked wrong", analyst="ana")
    recorder.decide(alert.id, Disposition.TRUE_MATCH, reason="passport matches", analyst="bo")
    [again] = recorder.record_screening(result, customer_ref="C-1", requested_by="t").alerts
    assert again.status is AlertStatus.OPEN and again.suppressed_by is None


def test_decisions_are_append_only(store: ListStore, screener: Screener) -> None:
    recorder = Recorder(store)
    result = screener.screen("Ivan Petrov", type="person")
    [alert] = recorder.record_screening(result, customer_ref="C-1", requested_by="t").alerts
    first = recorder.decide(alert.id, Disposition.ESCALATED, reason="unsure", analyst="ana")
    second = recorder.decide(alert.id, "true_match", reason="  same passport ", analyst="bo")
    assert second.id > first.id
    detail = recorder.alert(alert.id)
    assert detail is not None
    assert [(d.disposition, d.reason, d.analyst) for d in detail.decisions] == [
        (Disposition.ESCALATED, "unsure", "ana"),
        (Disposition.TRUE_MATCH, "same passport", "bo"),
    ]
    assert detail.status is AlertStatus.DECIDED
    assert detail.last_disposition is Disposition.TRUE_MATCH
    assert [a.id for a in recorder.alerts(status=AlertStatus.DECIDED)] == [alert.id]
    assert [a.id for a in recorder.alerts(status="decided")] == [alert.id]  # type: ignore[arg-type]
    assert recorder.alerts(status=AlertStatus.OPEN) == []
    history = list(recorder.export_decisions())
    assert [(h["decision_id"], h["disposition"]) for h in history] == [
        (first.id, "escalated"),
        (second.id, "true_match"),
    ]
    assert history[0]["customer_ref"] == "C-1" and history[0]["entry_id"] == "1"
    # the API offers no way to change the past ...
    assert not [
        name
        for name in dir(recorder)
        if name.startswith(("update", "delete", "edit", "remove", "undo", "revoke"))
    ]
    # ... and the database refuses it too
    for statement in (
        "UPDATE alert_decisions SET disposition = 'false_positive'",
        "DELETE FROM alert_decisions",
    ):
        with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
            conn.execute(text(statement))
    with Session(store.engine) as session:
        rows = session.scalars(select(AlertDecision.disposition).order_by(AlertDecision.id))
        assert list(rows) == ["escalated", "true_match"]


def test_decide_refuses_unknown_alerts_and_missing_reason_or_analyst(
    store: ListStore, screener: Screener
) -> None:
    recorder = Recorder(store)
    result = screener.screen("Ivan Petrov", type="person")
    [alert] = recorder.record_screening(result, customer_ref=None, requested_by="t").alerts
    with pytest.raises(ValueError, match="no alert 999"):
        recorder.decide(999, Disposition.TRUE_MATCH, reason="x", analyst="y")
    with pytest.raises(ValueError, match="reason"):
        recorder.decide(alert.id, Disposition.TRUE_MATCH, reason=" ", analyst="y")
    with pytest.raises(ValueError, match="analyst"):
        recorder.decide(alert.id, Disposition.TRUE_MATCH, reason="x", analyst="")
    with pytest.raises(ValueError, match="unknown disposition"):
        recorder.decide(alert.id, "cleared", reason="x", analyst="y")
    assert list(recorder.export_decisions()) == []
    assert recorder.alert(999) is None


def test_runs_and_transactions_are_recorded(store: ListStore, screener: Screener) -> None:
    recorder = Recorder(store)
    run = recorder.start_run("transaction", input_name="tx.csv", requested_by="ops")
    hit = screener.screen("Ivan Petrov", type="person").hits[0]
    flag = Flag(
        rule=PARTY_SANCTIONS_HIT,
        severity=Severity.CRITICAL,
        message="beneficiary 'Ivan Petrov' match",
        evidence={
            "party": "beneficiary",
            "name": "Ivan Petrov",
            "source": "un",
            "entry_id": "1",
            "listed_name": hit.name,
            "score": hit.score,
            "hit_decision": hit.decision.value,
            "list_version": hit.list_version,
        },
        binding=True,
    )
    other = Flag(rule=CHPL_VIA_HUB, severity=Severity.HIGH, message="goods", evidence={})
    result = TxResult(
        tx_id="T-1", decision=TxOutcome.BLOCK, risk_score=92, flags=[flag, other], list_versions=[]
    )
    recorded = recorder.record_transaction(
        result,
        tx_id="T-1",
        query={"beneficiary_name": "Ivan Petrov"},
        requested_by="ops",
        run_id=run,
    )
    [alert] = recorded.alerts
    assert (alert.entry_id, alert.name, alert.decision, alert.customer_ref) == (
        "1",
        "IVAN PETROV",
        "match",
        None,
    )
    recorder.finish_run(run, {"rows": 1, "block": 1})
    assert recorder.last_run("transaction") == (run, [screener.versions[0].id])
    with Session(store.engine) as session:
        record = session.get(ScreeningRecord, recorded.screening_id)
        assert record is not None
        assert record.kind == "transaction" and record.run_id == run
        assert record.query == {"tx_id": "T-1", "beneficiary_name": "Ivan Petrov"}
        assert record.decision == "block" and record.top_score == hit.score


def test_a_batch_run_records_every_row_and_its_counts(
    store: ListStore, screener: Screener, tmp_path: Path
) -> None:
    recorder = Recorder(store)
    path = tmp_path / "batch.csv"
    path.write_text(
        "customer_ref,name,type\n"
        "C-1,Ivan Petrov,person\n"
        ",Olga Smirnova,person\n"
        "C-3,Maria Gonzalez Lopez,person\n"
        "C-4,Nobody,spaceship\n"
        "\n"
    )
    report = record_batch(recorder, screener, path, requested_by="ops")
    assert (report.rows, report.screened, report.alerts, report.suppressed) == (4, 3, 2, 0)
    assert report.decisions == {"match": 2, "clear": 1}
    assert len(report.errors) == 1 and "line 5" in report.errors[0]
    assert "spaceship" in report.errors[0]
    assert _pairs_of(recorder) == {("C-1", "1"), (None, "2")}
    assert {c.customer_ref for c in recorder.customers()} == {"C-1", "C-3"}
    assert recorder.last_run("batch") == (report.run_id, [screener.versions[0].id])
    with Session(store.engine) as session:
        records = session.scalars(
            select(ScreeningRecord).where(ScreeningRecord.run_id == report.run_id)
        ).all()
        assert [r.customer_ref for r in records] == ["C-1", None, "C-3"]
        run = session.get(ScreeningRun, report.run_id)
        assert run is not None and run.kind == "batch" and run.input_name == str(path)
        assert run.counts["screened"] == 3 and run.finished_at is not None


def _pairs_of(recorder: Recorder) -> set[tuple[str | None, str]]:
    return {(a.customer_ref, a.entry_id) for a in recorder.alerts()}


RACERS = 8


def _all_at_once(work: Callable[[int], object]) -> list[object]:
    """`work(i)` in RACERS threads released together; their results, or the exceptions raised."""
    barrier = threading.Barrier(RACERS)

    def run(index: int) -> object:
        barrier.wait(timeout=60)
        try:
            return work(index)
        except Exception as exc:  # returned, so that the test shows every failure
            return exc

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        return list(pool.map(run, range(RACERS)))


def test_concurrent_screenings_of_a_new_customer_are_all_recorded(
    store: ListStore, screener: Screener
) -> None:
    """A look-up then INSERT of the customer failed all racers but one with IntegrityError."""
    recorder = Recorder(store)
    result = screener.screen("Ivan Petrov", type="person", country="RU")
    outcomes = _all_at_once(
        lambda i: recorder.record_screening(result, customer_ref="NEW-1", requested_by=f"t{i}")
    )
    assert [o for o in outcomes if isinstance(o, Exception)] == []
    with Session(store.engine) as session:
        screenings = session.scalars(
            select(ScreeningRecord.requested_by).where(ScreeningRecord.customer_ref == "NEW-1")
        )
        assert sorted(screenings) == sorted(f"t{i}" for i in range(RACERS))
        customers = session.scalars(select(Customer).where(Customer.customer_ref == "NEW-1"))
        [customer] = customers.all()
        assert (customer.name, customer.country, customer.registered_from) == (
            "Ivan Petrov",
            "RU",
            "screening",
        )
    # Every screening opened its alert (the first one open, none lost).
    assert len(recorder.alerts(customer_ref="NEW-1")) == RACERS


def test_concurrent_registrations_of_a_new_customer(store: ListStore) -> None:
    recorder = Recorder(store)
    outcomes = _all_at_once(
        lambda i: recorder.register_customer(
            CustomerInfo(customer_ref="NEW-2", name=f"Name {i}", registered_from="api")
        )
    )
    assert sorted(map(repr, outcomes)) == ["False"] * (RACERS - 1) + ["True"]
    [customer] = recorder.customers()
    assert customer.customer_ref == "NEW-2" and customer.registered_from == "api"
    assert customer.name in {f"Name {i}" for i in range(RACERS)}


def test_a_registration_updates_details_and_keeps_the_origin(
    store: ListStore, screener: Screener
) -> None:
    recorder = Recorder(store)
    result = screener.screen("Ivan Petrov", type="person", country="RU")
    recorder.record_screening(result, customer_ref="C-9", requested_by="t")
    with Session(store.engine) as session:
        joined = session.scalars(select(Customer).where(Customer.customer_ref == "C-9")).one()
        joined_at = joined.registered_at
    updated = CustomerInfo(
        customer_ref="C-9", name="Ivan Petrov Jr", country="KZ", registered_from="csv", active=False
    )
    assert recorder.register_customer(updated) is False
    [customer] = recorder.customers(active_only=False)
    assert (customer.name, customer.country, customer.active) == ("Ivan Petrov Jr", "KZ", False)
    assert customer.registered_from == "screening"
    # A later screening refreshes the details but leaves the activity as registered.
    recorder.record_screening(result, customer_ref="C-9", requested_by="t")
    [customer] = recorder.customers(active_only=False)
    assert (customer.name, customer.country, customer.active) == ("Ivan Petrov", "RU", False)
    with Session(store.engine) as session:
        stored = session.scalars(select(Customer).where(Customer.customer_ref == "C-9")).one()
        assert stored.registered_at == joined_at
