"""What keeps the ISO 20022 reader fast must not change what it reads.

- A file read whole by the first read is parsed with events for the reader's tags only; a
  longer one gets every event (streaming). The same messages give the same records either way:
  each case is read as it is and again padded past `iso20022.HEAD_BYTES` with a comment before
  the root element, on the same line (so line numbers stay), which takes it down the streaming
  path.
- Banks are kept by their XML, place, role and account (`iso20022_parts.institution`): the
  same bank at another place, or with another BIC, is read afresh.
- The child look-ups of `lists.xml` used on the hot path answer as the older helpers do.
"""

from __future__ import annotations

import io

import pytest
from lxml import etree

from lists.xml import child_text, children, first_child, iter_children, text_of
from screening.coalition.payments import MessageTransaction, iso20022
from tests.screening.coalition.payments.support import PACS008, sample_text

NS = "urn:iso:std:iso:20022:tech:xsd:"
PAIN = f"{NS}pain.001.001.09"


def _records(data: bytes) -> list[MessageTransaction]:
    return list(iso20022.read(io.BytesIO(data), "m.xml"))


def _padded(data: bytes) -> bytes:
    padding = b"<!--" + b"p" * iso20022.HEAD_BYTES + b"-->"
    # After the XML declaration, which must come first.
    split = data.index(b"?>") + 2 if data.startswith(b"<?xml") else 0
    return data[:split] + padding + data[split:]


def _pain001() -> bytes:
    # Two PmtInf blocks; the second's ultimate debtor is replaced by a transaction's own.
    def transaction(number: int, extra: str = "") -> str:
        return (
            f"<CdtTrfTxInf><PmtId><EndToEndId>P-{number}</EndToEndId></PmtId>"
            f'<Amt><InstdAmt Ccy="EUR">{number}.00</InstdAmt></Amt>{extra}'
            f"<Cdtr><Nm>Creditor {number}</Nm></Cdtr>"
            f"<RmtInf><Ustrd>Invoice {number}</Ustrd></RmtInf></CdtTrfTxInf>"
        )

    def payment(number: int, transactions: str) -> str:
        return (
            f"<PmtInf><PmtInfId>PI-{number}</PmtInfId><Dbtr><Nm>Debtor {number}</Nm></Dbtr>"
            "<UltmtDbtr><Nm>Group Holding</Nm></UltmtDbtr>"
            "<DbtrAgt><FinInstnId><BICFI>DEUTDEFF</BICFI></FinInstnId></DbtrAgt>"
            f"{transactions}</PmtInf>"
        )

    own = "<UltmtDbtr><Nm>Own Ultimate</Nm></UltmtDbtr>"
    body = payment(0, transaction(0) + transaction(1)) + payment(1, transaction(2, own))
    return (
        f'<Document xmlns="{PAIN}"><CstmrCdtTrfInitn><GrpHdr><MsgId>PAIN-1</MsgId>'
        "<InitgPty><Nm>Initiator</Nm></InitgPty></GrpHdr>"
        f"{body}</CstmrCdtTrfInitn></Document>"
    ).encode()


def _skipped_then_read() -> bytes:
    # An unsupported Document (skipped, its elements freed) before a pacs.008 in one envelope.
    return (
        f'<Envelope><Document xmlns="{NS}camt.053.001.08"><BkToCstmrStmt><GrpHdr>'
        "<MsgId>S1</MsgId></GrpHdr><CdtTrfTxInf/></BkToCstmrStmt></Document>"
        f'<Document xmlns="{NS}pacs.008.001.08"><FIToFICstmrCdtTrf><GrpHdr>'
        "<MsgId>M2</MsgId></GrpHdr><CdtTrfTxInf><PmtId><EndToEndId>E-1</EndToEndId></PmtId>"
        '<IntrBkSttlmAmt Ccy="EUR">5</IntrBkSttlmAmt><Dbtr><Nm>A</Nm></Dbtr>'
        "<Cdtr><Nm>B</Nm></Cdtr></CdtTrfTxInf></FIToFICstmrCdtTrf></Document></Envelope>"
    ).encode()


CASES = {
    "pacs.008 sample with its header": sample_text(PACS008).encode(),
    "pain.001, two payment blocks": _pain001(),
    "a skipped Document, then a read one": _skipped_then_read(),
    "truncated": sample_text(PACS008).encode()[:1500],
}


@pytest.mark.parametrize("label", list(CASES))
def test_whole_and_streamed_files_give_the_same_records(label: str) -> None:
    data = CASES[label]
    whole = _records(data)
    assert _records(_padded(data)) == whole
    errors = [record.error is not None for record in whole]
    expected = {
        "pacs.008 sample with its header": [False],
        "pain.001, two payment blocks": [False, False, False],
        "a skipped Document, then a read one": [True, False],
        "truncated": [True],
    }
    assert errors == expected[label]


def test_the_pain001_case_reads_what_its_blocks_say() -> None:
    # The cases above compare the two paths; this pins what both read.
    records = _records(_pain001())
    assert [r.tx_id for r in records] == ["P-0", "P-1", "P-2"]
    ultimate = []
    for record in records:
        assert record.transaction is not None
        ultimate += [p.name for p in record.transaction.parties if p.role == "ultimate_debtor"]
    assert ultimate == ["Group Holding", "Group Holding", "Own Ultimate"]


def _creditor_agent(data: bytes) -> tuple[str | None, dict[str, str]]:
    [record] = _records(data)
    assert record.transaction is not None
    [agent] = [a for a in record.transaction.agents if a.role == "creditor_agent"]
    return agent.bic, agent.locations


def test_a_kept_bank_is_only_reused_for_the_same_xml_at_the_same_place() -> None:
    text = sample_text(PACS008)
    first = _creditor_agent(text.encode())
    assert _creditor_agent(text.encode()) == first
    assert first[0] == "HNBAUS51XXX"
    other_bic = text.replace("<BICFI>HNBAUS51XXX</BICFI>", "<BICFI>COBADEFFXXX</BICFI>")
    assert _creditor_agent(other_bic.encode())[0] == "COBADEFFXXX"
    # The same bank XML in a second transaction: same BIC, the second transaction's fields.
    start, end = text.index("<CdtTrfTxInf>"), text.index("</CdtTrfTxInf>") + len("</CdtTrfTxInf>")
    second = text[start:end].replace("E2E04044506271305", "E2E-SECOND")
    records = _records((text[:end] + second + text[end:]).encode())
    locations = [
        agent.locations["bic"]
        for record in records
        if record.transaction is not None
        for agent in record.transaction.agents
        if agent.role == "creditor_agent"
    ]
    assert locations == [
        "CdtTrfTxInf[0]/CdtrAgt/FinInstnId/BICFI",
        "CdtTrfTxInf[1]/CdtrAgt/FinInstnId/BICFI",
    ]


def test_a_bad_bank_is_an_error_each_time() -> None:
    broken = sample_text(PACS008).replace("<BICFI>HNBAUS51XXX</BICFI>", "<BICFI>NOT A BIC</BICFI>")
    for _ in range(2):
        [record] = _records(broken.encode())
        assert record.transaction is None
        assert record.error is not None and "CdtrAgt/FinInstnId/BICFI" in record.error


def test_the_fast_child_lookups_answer_as_the_older_helpers() -> None:
    element = etree.fromstring(
        b'<a xmlns="urn:x"><!--c--><b> 1  x </b><c/><b xmlns="">2</b><?pi x?>'
        b'<p:b xmlns:p="urn:y">3</p:b><Nm>  </Nm></a>'
    )
    for name in ("b", "c", "Nm", "missing"):
        assert list(iter_children(element, name)) == children(element, name)
        assert first_child(element, name) is next(iter(children(element, name)), None)
        assert child_text(element, name) == text_of(element, name)
    assert [e.text for e in iter_children(element, "b")] == [" 1  x ", "2", "3"]
    assert child_text(element, "b") == "1 x" and child_text(element, "Nm") is None
