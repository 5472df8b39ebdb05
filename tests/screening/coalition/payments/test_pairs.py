"""The same payment in both formats (the 8 MT <-> MX pairs of ../shared/data/payments/
PROVENANCE.md) reads and screens the same.

Compared per pair: the parties (role, name); the agent banks' BICs (on their 8-character
institution code: MT block 1/2 addresses carry a 12th terminal character and translations
drop or add the ``XXX`` branch); the agents named without a BIC; the remittance text
(whitespace normalised); and, with OFAC SDN, UK OFSI and UN loaded, the decision and the hits
(rule, severity, listed entry). Where the translation genuinely changes the message, the test
states the difference instead of skipping it:

- MX names the instructing and instructed agents (``InstgAgt``/``InstdAgt``); MT carries them
  as the sender and receiver of blocks 1 and 2.
- MT field 71A (details of charges, SHA/OUR/BEN) is read as an ``other`` text; MX carries the
  same as the ``ChrgBr`` code, which is no free text.
- MT field 72 ``/INS/x`` (instructing institution) becomes an MX previous instructing agent (or
  the debtor agent of a COV): its ``x`` is an MX agent's BIC or name, not an MX text.
- MX -> MT translation puts ``/ROC/`` and the MX EndToEndId into field 70 when the MX message
  has no remittance information.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from screening.batch.payments import PaymentResult, screen_payment
from screening.coalition.participants import TextKind
from screening.coalition.payments.reader import read_payment_bytes, read_payments
from screening.coalition.transactions import Transaction
from screening.matching.screener import Screener
from tests.screening.coalition.payments.support import (
    PAYMENTS,
    UN_LISTED,
    full_lists_store,
    replaced,
    sample_text,
)

PAIRS = re.findall(
    r"^\| `(mt/[^`]+)` \| `(mx/[^`]+)` \|$",
    (PAYMENTS / "PROVENANCE.md").read_text(encoding="utf-8"),
    re.MULTILINE,
)
PAIR_IDS = [mt.split("/")[1].removesuffix(".fin") for mt, _ in PAIRS]


def test_provenance_lists_eight_pairs() -> None:
    assert len(PAIRS) == 8


def transaction(relative: str) -> Transaction:
    (item,) = read_payments(PAYMENTS / relative)
    assert item.transaction is not None, item.error
    return item.transaction


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(("mt", "mx"), PAIRS, ids=PAIR_IDS)
def test_the_same_parties(mt: str, mx: str) -> None:
    def parties(tx: Transaction) -> list[tuple[str, str | None]]:
        return sorted((party.role, party.name) for party in tx.parties)

    assert parties(transaction(mt)) == parties(transaction(mx))
    assert parties(transaction(mt)), "a pair without parties would compare nothing"


@pytest.mark.parametrize(("mt", "mx"), PAIRS, ids=PAIR_IDS)
def test_the_same_agent_banks(mt: str, mx: str) -> None:
    mt_tx, mx_tx = transaction(mt), transaction(mx)

    def bics(tx: Transaction) -> set[str]:
        return {agent.bic[:8] for agent in tx.agents if agent.bic}

    def named(tx: Transaction) -> set[tuple[str, str]]:
        return {(a.role, a.name) for a in tx.agents if a.name and not a.bic}

    assert bics(mt_tx) == bics(mx_tx)
    assert named(mt_tx) == named(mx_tx)
    # MX's instructing/instructed agents are MT's sender/receiver (blocks 1 and 2).
    mt_roles = {a.role: a.bic[:8] for a in mt_tx.agents if a.bic}
    mx_roles = {a.role: a.bic[:8] for a in mx_tx.agents if a.bic}
    assert mx_roles["instructing_agent"] == mt_roles["sender"]
    assert mx_roles["instructed_agent"] == mt_roles["receiver"]
    assert "instructing_agent" not in mt_roles and "instructed_agent" not in mt_roles


@pytest.mark.parametrize(("mt", "mx"), PAIRS, ids=PAIR_IDS)
def test_the_same_texts(mt: str, mx: str) -> None:
    mt_tx, mx_tx = transaction(mt), transaction(mx)

    def texts(tx: Transaction, kind: TextKind) -> list[str]:
        return [words(text.text) for text in tx.texts if text.kind is kind]

    mt_remittance = texts(mt_tx, TextKind.REMITTANCE)
    mx_remittance = texts(mx_tx, TextKind.REMITTANCE)
    if mt_remittance and not mx_remittance:
        # MX -> MT: the EndToEndId carried in field 70 (module docstring).
        assert mt_remittance == [f"/ROC/{mx_tx.end_to_end_id}"]
    else:
        assert mt_remittance == mx_remittance
    # 72 /INS/x: x is an MX agent, not an MX text.
    mx_agents = {a.bic for a in mx_tx.agents} | {a.name for a in mx_tx.agents}
    for instruction in texts(mt_tx, TextKind.INSTRUCTION):
        for code in re.findall(r"/INS/([^/]+)", instruction):
            assert code.strip() in mx_agents
    assert texts(mx_tx, TextKind.INSTRUCTION) == []
    # 71A: the charges code, MT only.
    others = [t for t in mt_tx.texts if t.kind is TextKind.OTHER]
    assert all(t.field == ":71A:" and t.text in ("SHA", "OUR", "BEN") for t in others)
    assert [t for t in mx_tx.texts if t.kind is TextKind.OTHER] == []


@pytest.fixture(scope="module")
def screener(tmp_path_factory: pytest.TempPathFactory) -> Screener:
    url, index = full_lists_store(tmp_path_factory)
    return Screener.open(url, index_dir=index)


def hits(result: PaymentResult) -> list[tuple[str, str, object, object]]:
    return sorted(
        (f.rule, f.severity.value, f.evidence.get("source"), f.evidence.get("entry_id"))
        for f in result.flags
    )


@pytest.mark.parametrize(("mt", "mx"), PAIRS, ids=PAIR_IDS)
def test_the_same_hits(mt: str, mx: str, screener: Screener) -> None:
    (mt_result,) = screen_payment(PAYMENTS / mt, screener=screener)
    (mx_result,) = screen_payment(PAYMENTS / mx, screener=screener)
    assert mt_result.error is None and mx_result.error is None
    assert mt_result.decision == mx_result.decision
    assert hits(mt_result) == hits(mx_result)


@pytest.mark.parametrize(("mt", "mx"), PAIRS[:2], ids=PAIR_IDS[:2])
def test_a_listed_creditor_is_the_same_hit_in_both_formats(
    mt: str, mx: str, screener: Screener
) -> None:
    # The real pairs are clear; the same listed name put in both makes the hits comparable.
    mt_text = replaced(sample_text(PAYMENTS / mt), "1/US Engines", f"1/{UN_LISTED}")
    mx_text = replaced(sample_text(PAYMENTS / mx), "Nm>US Engines<", f"Nm>{UN_LISTED}<")
    (mt_result,) = screen_payment(mt_text, screener=screener)
    (mx_result,) = screen_payment(mx_text, screener=screener)
    assert mt_result.decision == mx_result.decision == "block"
    assert hits(mt_result) == hits(mx_result)
    assert ("PARTY_SANCTIONS_HIT", "critical", "un", "6908714") in hits(mt_result)


def test_the_readers_agree_on_the_pair_ids() -> None:
    # Field 20 of the MT is the MX MsgId in the MX -> MT pairs (Swift's translation rule).
    (mt_item,) = read_payment_bytes((PAYMENTS / PAIRS[1][0]).read_bytes(), "mt")
    (mx_item,) = read_payments(Path(PAYMENTS / PAIRS[1][1]))
    assert mt_item.msg_id == mx_item.msg_id == "A2B0506272708"
