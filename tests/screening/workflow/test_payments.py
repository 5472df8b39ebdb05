"""Recording a screened payment (SQLite and PostgreSQL): every sanctions hit rule opens an alert
naming the listed entry (a party, an agent bank by BIC, a name inside free text), the record
and its alerts belong to the customer given, and decisions on them work as on party alerts.

The list is self-written (`test_recorder._load`): IVAN PETROV (un 1) and a bank, ACME
SANCTIONED BANK (un 3), whose SWIFT/BIC ``ACMEGB2L`` the payments carry in the 11-character
form ``ACMEGB2LXXX``, so the institution-code comparison is exercised too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from screening import Screener
from screening.coalition.participants import (
    AgentRole,
    Participant,
    PartyRole,
    TextField,
    TextKind,
)
from screening.coalition.profiles import PRESETS
from screening.coalition.rules import (
    AGENT_SANCTIONS_HIT,
    PARTY_SANCTIONS_HIT,
    TEXT_SANCTIONS_HIT,
    TxResult,
    screen_transaction,
)
from screening.coalition.transactions import Transaction
from screening.store import ListStore
from screening.workflow.recorder import AlertStatus, Disposition, Recorder
from screening.workflow.schema import Customer, ScreeningRecord
from tests.screening.workflow.test_recorder import PETROV, _load

BANK: dict[str, object] = {
    "source": "un",
    "entry_id": "3",
    "schema": "organization",
    "names": [{"full": "ACME SANCTIONED BANK"}],
    "identifiers": [{"type": "bic", "value": "ACMEGB2L"}],
}
TX = "CdtTrfTxInf[0]"
CLEAN_DEBTOR = "Maria Gonzalez Lopez"


@pytest.fixture
def screener(store: ListStore, tmp_path: Path) -> Screener:
    _load(store, tmp_path, "2026-01-01", [PETROV, BANK])
    return Screener(store, index_dir=tmp_path / "index")


def payment(
    creditor: str = "Ivan Petrov",
    creditor_agent_bic: str = "ACMEGB2LXXX",
    remittance: str | None = None,
) -> Transaction:
    """A pacs.008-shaped transaction: a debtor, a creditor, the creditor's bank by BIC."""
    parties = [
        Participant(
            role=PartyRole.DEBTOR.value,
            name=CLEAN_DEBTOR,
            locations={"name": f"{TX}/Dbtr/Nm"},
        ),
        Participant(
            role=PartyRole.CREDITOR.value, name=creditor, locations={"name": f"{TX}/Cdtr/Nm"}
        ),
    ]
    agents = [
        Participant(
            role=AgentRole.CREDITOR_AGENT.value,
            bic=creditor_agent_bic,
            locations={"bic": f"{TX}/CdtrAgt/FinInstnId/BICFI"},
        )
    ]
    texts = (
        []
        if remittance is None
        else [TextField(field=f"{TX}/RmtInf/Ustrd[0]", kind=TextKind.REMITTANCE, text=remittance)]
    )
    return Transaction.model_validate(
        {
            "tx_id": "E2E-1",
            "amount": "1000",
            "currency": "EUR",
            "message_type": "pacs.008.001.12",
            "msg_id": "MSG-1",
            "parties": parties,
            "agents": agents,
            "texts": texts,
        }
    )


def screened(screener: Screener, tx: Transaction) -> TxResult:
    return screen_transaction(tx, screener, PRESETS["uk_bank"])


def test_a_listed_bic_opens_one_alert_naming_the_bank(store: ListStore, screener: Screener) -> None:
    recorder = Recorder(store)
    result = screened(screener, payment(creditor="Clean Trading Ltd"))
    assert [flag.rule for flag in result.flags] == [AGENT_SANCTIONS_HIT]
    recorded = recorder.record_transaction(
        result,
        tx_id="E2E-1",
        query={"msg_id": "MSG-1"},
        requested_by="payments",
        customer_ref=" C-PAY ",
    )
    [alert] = recorded.alerts
    assert (alert.source, alert.dataset, alert.entry_id, alert.name) == (
        "un",
        "un_sc",
        "3",
        "ACME SANCTIONED BANK",
    )
    assert (alert.decision, alert.score, alert.status, alert.customer_ref) == (
        "match",
        1.0,
        AlertStatus.OPEN,
        "C-PAY",
    )
    detail = recorder.alert(alert.id)
    assert detail is not None
    assert detail.hit["rule"] == AGENT_SANCTIONS_HIT
    assert detail.hit["field"] == f"{TX}/CdtrAgt/FinInstnId/BICFI"
    assert detail.hit["bic"] == "ACMEGB2LXXX"
    assert detail.query == {"tx_id": "E2E-1", "msg_id": "MSG-1"}
    assert [a.id for a in recorder.alerts(customer_ref="C-PAY")] == [alert.id]
    with Session(store.engine) as session:
        record = session.get(ScreeningRecord, recorded.screening_id)
        assert record is not None
        assert (record.kind, record.customer_ref, record.top_score) == ("transaction", "C-PAY", 1.0)
        # A payment names several parties: the customer book is not filled from it.
        assert session.scalars(select(Customer)).all() == []


def test_party_agent_and_text_hits_each_open_an_alert(store: ListStore, screener: Screener) -> None:
    recorder = Recorder(store)
    tx = payment(remittance="PAYMENT VIA ACMEGB2L FOR INVOICE 7")
    result = screened(screener, tx)
    hits = [f for f in result.flags if f.rule != "SANCTIONED_JURISDICTION"]
    assert sorted(f.rule for f in hits) == sorted(
        [PARTY_SANCTIONS_HIT, AGENT_SANCTIONS_HIT, TEXT_SANCTIONS_HIT]
    )
    recorded = recorder.record_transaction(
        result, tx_id="E2E-1", query={}, requested_by="payments", customer_ref="C-PAY"
    )
    found = {
        (detail.hit["rule"], detail.entry_id, detail.hit["field"])
        for alert in recorded.alerts
        if (detail := recorder.alert(alert.id)) is not None
    }
    assert found == {
        (PARTY_SANCTIONS_HIT, "1", f"{TX}/Cdtr/Nm"),
        (AGENT_SANCTIONS_HIT, "3", f"{TX}/CdtrAgt/FinInstnId/BICFI"),
        (TEXT_SANCTIONS_HIT, "3", f"{TX}/RmtInf/Ustrd[0]"),
    }


def test_decisions_on_a_payment_alert_work_as_on_party_alerts(
    store: ListStore, screener: Screener
) -> None:
    recorder = Recorder(store)

    def record(customer: str | None) -> AlertStatus:
        result = screened(screener, payment(creditor="Clean Trading Ltd"))
        [alert] = recorder.record_transaction(
            result, tx_id="E2E-1", query={}, requested_by="t", customer_ref=customer
        ).alerts
        return alert.status

    assert record("C-PAY") is AlertStatus.OPEN
    [first] = recorder.alerts(customer_ref="C-PAY")
    decision = recorder.decide(
        first.id, Disposition.FALSE_POSITIVE, reason="BIC of the branch, not listed", analyst="ana"
    )
    detail = recorder.alert(first.id)
    assert detail is not None and detail.status is AlertStatus.DECIDED
    assert [(d.disposition, d.analyst) for d in detail.decisions] == [
        (Disposition.FALSE_POSITIVE, "ana")
    ]
    # The same customer's next payment to the bank is suppressed by that decision ...
    assert record("C-PAY") is AlertStatus.SUPPRESSED
    [suppressed] = recorder.alerts(status=AlertStatus.SUPPRESSED)
    assert suppressed.suppressed_by == decision.id
    # ... another customer's, and one recorded without a customer, are not.
    assert record("C-OTHER") is AlertStatus.OPEN
    assert record(None) is AlertStatus.OPEN
    # A later true match withdraws the all-clear.
    recorder.decide(first.id, Disposition.TRUE_MATCH, reason="it is the bank", analyst="bo")
    assert record("C-PAY") is AlertStatus.OPEN
