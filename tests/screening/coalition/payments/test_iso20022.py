"""The ISO 20022 reader on every shared sample, on bad input and on a large generated file.

Expected values are read off the sample files themselves (the file is named in each test).
Transaction counts are measured independently of the reader: `EXPECTED_TRANSACTIONS` was
counted with ``grep -c '<[a-zA-Z:]*CdtTrfTxInf>' mx/*.xml`` (1 in each of the 23 files) and the
test counts again with a plain lxml XPath on local names (`_xpath_count`).
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from screening.coalition.participants import (
    Address,
    AgentRole,
    Participant,
    PartyIdentifier,
    PartyRole,
    TextKind,
)
from screening.coalition.payments import MessageTransaction, iso20022
from screening.coalition.payments.iso20022_parts import continues_name
from screening.coalition.transactions import Transaction
from tests.conftest import SHARED_LISTS

MX = SHARED_LISTS.parent / "payments" / "mx"

# grep -c '<[a-zA-Z:]*CdtTrfTxInf>' on each file (opening tags, any namespace prefix).
EXPECTED_TRANSACTIONS = {
    "cbpr_c.53.5_pacs.008.001.08_AtoB.xml": 1,
    "cbpr_c.56.4.1_pacs.009.001.11_ADV_BtoE.xml": 1,
    "cbpr_p.2.1.2_pacs.008.001.12_AtoB_intrmyagt.xml": 1,
    "cbpr_p.2.1.2_pacs.008.001.12_BtoC.xml": 1,
    "cbpr_p.2.2.1_pacs.009.001.11_BtoC_rmtinf.xml": 1,
    "cbpr_p.2.3.1.b_pacs.008.001.12_AtoD_cover.xml": 1,
    "cbpr_p.2.3.1.b_pacs.009.001.11_COV_AtoB.xml": 1,
    "cbpr_p.2.3.1.b_pacs.009.001.11_COV_CtoD.xml": 1,
    "cbprur_pacs.008.001.08_MAX_all_elements.xml": 1,
    "cbprur_pacs.008.001.08_hybrid_address_XSD-INVALID-order.xml": 1,
    "cbprur_pacs.009.001.08_COV.xml": 1,
    "cbprur_pacs.009.001.08_COV_MAX_all_elements.xml": 1,
    "cbprur_pain.001.001.09_MAX_ultimate_parties_intrmy1-3.xml": 1,
    "cbprur_pain.001.001.09_initgpty_ustrd.xml": 1,
    "gs_pain.001.001.08_initgpty_ctgypurp.xml": 1,
    "hvps_c.29.1.1_pacs.008.001.12_BtoC_MI.xml": 1,
    "pacs008lib_pacs.008.001.09.xml": 1,
    "pacs008lib_pacs.008.001.10.xml": 1,
    "pacs008lib_pacs.008.001.13.xml": 1,
    "translated_from_mt103_a2014_pacs.008.001.08_adrline_name_overflow.xml": 1,
    "translated_from_mt103_fin2_pacs.008.001.08_57D_name_addr.xml": 1,
    "translated_from_mt103_p.2.1.2_pacs.008.001.08_AtoB.xml": 1,
    "translated_from_mt202cov_c.29.2.2_pacs.009.001.08_COV.xml": 1,
}


def _xpath_count(path: Path) -> int:
    tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    return int(tree.xpath("count(//*[local-name()='CdtTrfTxInf'])"))


def _records(data: bytes, name: str = "msg.xml") -> list[MessageTransaction]:
    return list(iso20022.read(io.BytesIO(data), name))


def _read(file_name: str) -> Transaction:
    with (MX / file_name).open("rb") as handle:
        records = list(iso20022.read(handle, file_name))
    assert len(records) == 1 and records[0].error is None, records
    transaction = records[0].transaction
    assert transaction is not None
    return transaction


def _by_role(participants: list[Participant]) -> dict[str, Participant]:
    found = {p.role: p for p in participants}
    assert len(found) == len(participants), "a role appears twice"
    return found


def _words(text: str) -> list[str]:
    return text.split()


def _bics(participants: list[Participant]) -> list[tuple[str, str | None]]:
    return [(p.role, p.bic) for p in participants]


# --- every sample --------------------------------------------------------------------------


def test_the_sample_folder_holds_the_files_counted() -> None:
    # PROVENANCE.md's table lists these 23 mx/ files (the issue text says 25).
    assert sorted(p.name for p in MX.glob("*.xml")) == sorted(EXPECTED_TRANSACTIONS)


@pytest.mark.parametrize("file_name", sorted(EXPECTED_TRANSACTIONS))
def test_every_sample_parses_with_its_transaction_count(file_name: str) -> None:
    path = MX / file_name
    assert _xpath_count(path) == EXPECTED_TRANSACTIONS[file_name]
    with path.open("rb") as handle:
        records = list(iso20022.read(handle, file_name))
    assert [r.error for r in records] == [None] * EXPECTED_TRANSACTIONS[file_name]
    assert [r.index for r in records] == list(range(len(records)))
    # The file names carry the Document namespace's message type.
    assert all(r.message_type and r.message_type in file_name for r in records)
    assert all(r.transaction and r.transaction.tx_id == r.tx_id for r in records)


def test_sniff_takes_iso20022_xml_only() -> None:
    head = (MX / "cbpr_c.53.5_pacs.008.001.08_AtoB.xml").read_bytes()[:16384]
    assert iso20022.sniff(head)
    assert iso20022.sniff(b'\xef\xbb\xbf  <Document xmlns="urn:iso:std:iso:20022:tech:xsd:')
    assert not iso20022.sniff(b"{1:F01ABCDLKLXAXXX0000000000}{2:I103MHCBJPJTXXXXN}{4:\r\n")
    assert not iso20022.sniff(b'<?xml version="1.0"?><sdnList xmlns="urn:other"/>')


def test_versions_of_every_family_are_read() -> None:
    types = {_read(name).message_type for name in EXPECTED_TRANSACTIONS}
    pacs008 = {f"pacs.008.001.{v}" for v in ("08", "09", "10", "12", "13")}
    others = {"pacs.009.001.08", "pacs.009.001.11", "pain.001.001.08", "pain.001.001.09"}
    assert types == pacs008 | others


# --- what each sample says -------------------------------------------------------------------


def test_pacs008_v12_with_intermediary_and_header_saying_v08() -> None:
    # The header's MsgDefIdr says pacs.008.001.08; the Document namespace says .12 and wins.
    tx = _read("cbpr_p.2.1.2_pacs.008.001.12_AtoB_intrmyagt.xml")
    assert tx.message_type == "pacs.008.001.12"
    assert (tx.msg_id, tx.tx_id) == ("A2B0506272708", "E2E04044506271305")
    assert tx.end_to_end_id == "E2E04044506271305"
    assert tx.uetr == "174c245f-2682-4291-ad67-2a41e530cd27"
    assert (tx.amount, tx.currency, tx.cover) == (Decimal("136500"), "USD", False)
    assert _bics(tx.agents) == [
        ("sender", "CHASGB2LXXX"),
        ("receiver", "CHASUS33XXX"),
        ("instructing_agent", "CHASGB2LXXX"),
        ("instructed_agent", "CHASUS33XXX"),
        ("intermediary_agent_1", "ANBTUS44XXX"),
        ("debtor_agent", "CHASGB2LXXX"),
        ("creditor_agent", "HNBAUS51XXX"),
    ]
    agents = _by_role(tx.agents)
    assert agents["intermediary_agent_1"].location("bic") == (
        "CdtTrfTxInf[0]/IntrmyAgt1/FinInstnId/BICFI"
    )
    assert agents["sender"].location("bic") == "AppHdr/Fr/FIId/FinInstnId/BICFI"
    parties = _by_role(tx.parties)
    debtor, creditor = parties["debtor"], parties["creditor"]
    assert debtor.name == "GB Engineering"  # the file has a trailing space
    assert debtor.address == Address(street="Industrial Park", town="Cambridge", country="GB")
    assert debtor.country == "GB"
    assert debtor.account == "96325874"
    assert debtor.location("account") == "CdtTrfTxInf[0]/DbtrAcct/Id/Othr/Id"
    assert creditor.name == "US Engines"
    assert creditor.location("name") == "CdtTrfTxInf[0]/Cdtr/Nm"
    assert creditor.location("country") == "CdtTrfTxInf[0]/Cdtr/PstlAdr/Ctry"
    assert creditor.address == Address(street="20 Main St", town="Casper WY", country="US")
    assert creditor.account == "254178963"
    assert tx.texts == []


def test_pacs009_cov_underlying_customer_transfer() -> None:
    tx = _read("cbpr_p.2.3.1.b_pacs.009.001.11_COV_AtoB.xml")
    assert (tx.message_type, tx.cover) == ("pacs.009.001.11", True)
    assert (tx.amount, tx.currency) == (Decimal("591636"), "DKK")
    # In pacs.009 the debtor and creditor are banks: read with their BIC.
    assert _bics(tx.parties) == [
        ("debtor", "CLYDGB2S"),
        ("creditor", "BSCHGB2L"),
        ("underlying_debtor", None),
        ("underlying_creditor", None),
    ]
    parties = _by_role(tx.parties)
    assert parties["debtor"].location("bic") == "CdtTrfTxInf[0]/Dbtr/FinInstnId/BICFI"
    debtor, creditor = parties["underlying_debtor"], parties["underlying_creditor"]
    assert (debtor.name, debtor.country) == ("A Debiter", "GB")
    assert debtor.address == Address(street="High Street", town="Epping London", country="GB")
    assert debtor.location("name") == "CdtTrfTxInf[0]/UndrlygCstmrCdtTrf/Dbtr/Nm"
    assert (creditor.name, creditor.country) == ("B Creditor Co", "ES")
    assert creditor.address is not None and creditor.address.town == "Barcelona"
    assert _bics(tx.agents)[-4:] == [
        ("debtor_agent", "BOFSGB2L"),
        ("creditor_agent", "BSCHESMM"),
        ("underlying_debtor_agent", "CLYDGB2S"),
        ("underlying_creditor_agent", "BSCHGB2L"),
    ]
    assert _by_role(tx.agents)["underlying_creditor_agent"].location("bic") == (
        "CdtTrfTxInf[0]/UndrlygCstmrCdtTrf/CdtrAgt/FinInstnId/BICFI"
    )


def test_translated_pacs009_cov_underlying_accounts_and_hybrid_addresses() -> None:
    tx = _read("translated_from_mt202cov_c.29.2.2_pacs.009.001.08_COV.xml")
    assert tx.cover
    parties = _by_role(tx.parties)
    debtor = parties["underlying_debtor"]
    assert (debtor.name, debtor.account) == ("Debtor Co", "25698745")
    assert debtor.location("account") == ("CdtTrfTxInf[0]/UndrlygCstmrCdtTrf/DbtrAcct/Id/Othr/Id")
    assert debtor.address == Address(lines=["High Street"], town="Epping", country="GB")
    assert parties["underlying_creditor"].account == "65479512"
    assert _by_role(tx.agents)["previous_instructing_agent_1"].bic == "INGBROBUXXX"


def test_pacs009_advice_reimbursement_agents_from_the_group_header() -> None:
    tx = _read("cbpr_c.56.4.1_pacs.009.001.11_ADV_BtoE.xml")
    assert not tx.cover  # an advice (business service swift.cbprplus.adv.02), no underlying
    agents = _by_role(tx.agents)
    assert agents["instructing_reimbursement_agent"].bic == "TDOMCATT"
    assert agents["instructed_reimbursement_agent"].bic == "ROYCCAT2"
    assert agents["instructed_reimbursement_agent"].location("bic") == (
        "GrpHdr/SttlmInf/InstdRmbrsmntAgt/FinInstnId/BICFI"
    )
    assert _by_role(tx.parties)["debtor"].bic == "HKBCCATTCLS"


def test_translated_mt103_name_overflow_and_placeholders() -> None:
    tx = _read("translated_from_mt103_a2014_pacs.008.001.08_adrline_name_overflow.xml")
    # EndToEndId is the NOTPROVIDED placeholder: kept as given, the tx_id falls to the UETR.
    assert tx.end_to_end_id == "NOTPROVIDED"
    assert tx.tx_id == "09797101-a670-4e81-98ed-34b409736402"
    parties = _by_role(tx.parties)
    creditor = parties["creditor"]
    # MT 59: SHASHU LANXI SHANYE / MACHINERY CO LTD / MACHINERY CO LTD.
    assert creditor.name == "SHASHU LANXI SHANYE MACHINERY CO LTD"
    assert creditor.location("name") == (
        "CdtTrfTxInf[0]/Cdtr/Nm + CdtTrfTxInf[0]/Cdtr/PstlAdr/AdrLine[0]"
    )
    assert creditor.address == Address(lines=["MACHINERY CO LTD"])
    debtor = parties["debtor"]
    # 33 characters, and the next line is a street number: not joined.
    assert debtor.name == "RASA ENGINEERING SERVICES (PVT) L"
    assert debtor.address == Address(lines=["NO 852-60", "SHARUK PURA", "SRI LANKA"])
    assert debtor.account == "100811000148"
    agents = _by_role(tx.agents)
    previous = agents["previous_instructing_agent_1"]  # MT 72 /INS/JKKILKOKSIKF
    assert (previous.name, previous.bic) == ("JKKILKOKSIKF", None)
    assert previous.address == Address(lines=["NOTPROVIDED"])
    assert agents["debtor_agent"].account == "CGC BRANHC"
    assert agents["creditor_agent"].bic == "ICBKCNBJZJP"
    assert [(t.field, t.kind, t.text) for t in tx.texts] == [
        (
            "CdtTrfTxInf[0]/RmtInf/Ustrd[0]",
            TextKind.REMITTANCE,
            "IMPORT OF GOOD INV NO : 1526395 INV DATE : 10.10.2025 LKMIOP",
        )
    ]


def test_translated_mt103_57d_bank_by_name_and_three_previous_agents() -> None:
    tx = _read("translated_from_mt103_fin2_pacs.008.001.08_57D_name_addr.xml")
    agents = _by_role(tx.agents)
    creditor_agent = agents["creditor_agent"]
    assert (creditor_agent.name, creditor_agent.bic) == ("COMMERCIAL BANK", None)
    assert creditor_agent.address == Address(lines=["GALLE RD COLOMBO 03"])
    assert creditor_agent.account == "KOL BRANCH"
    assert [agents[f"previous_instructing_agent_{n}"].name for n in (1, 2, 3)] == [
        "FUL PAY",
        "CHGS",
        "PAY",
    ]
    intermediary = agents["intermediary_agent_1"]
    assert (intermediary.bic, intermediary.account) == ("CITIUS33XXX", "123456")
    assert intermediary.location("account") == "CdtTrfTxInf[0]/IntrmyAgt1Acct/Id/Othr/Id"
    creditor = _by_role(tx.parties)["creditor"]
    assert creditor.name == "LNM"  # next line NO450 has a digit: not joined
    assert creditor.account == "LK123456"


def test_hybrid_address_keeps_structured_parts_and_lines() -> None:
    tx = _read("cbprur_pacs.008.001.08_hybrid_address_XSD-INVALID-order.xml")
    debtor = _by_role(tx.parties)["debtor"]
    assert debtor.address == Address(
        lines=["Suite 4"], street="High Street", town="London", country="GB"
    )
    assert _by_role(tx.parties)["creditor"].name == "Beta Creditor GmbH"
    assert tx.tx_id == "E2E-0001"


def test_pain001_payment_information_applies_to_its_transaction() -> None:
    tx = _read("gs_pain.001.001.08_initgpty_ctgypurp.xml")
    assert (tx.message_type, tx.msg_id, tx.tx_id) == (
        "pain.001.001.08",
        "test-160620",
        "test-160620",
    )
    assert (tx.amount, tx.currency) == (Decimal("10"), "GBP")
    parties = _by_role(tx.parties)
    initiating = parties["initiating_party"]
    assert initiating.name == "TXB Test Account"
    assert initiating.identifiers == [PartyIdentifier(kind="other", value="uktestdda")]
    assert initiating.location("name") == "GrpHdr/InitgPty/Nm"
    debtor = parties["debtor"]
    assert debtor.name == "UFXQHBE"
    assert debtor.location("name") == "PmtInf[0]/Dbtr/Nm"
    assert debtor.address == Address(
        street="DBTR LUEZOF", building="88", post_code="052", town="VVR MBDB", country="QA"
    )
    assert (debtor.account, debtor.location("account")) == (
        "50000970",
        "PmtInf[0]/DbtrAcct/Id/Othr/Id",
    )
    creditor = parties["creditor"]
    assert creditor.name == "Creditor account name"
    assert creditor.location("name") == "PmtInf[0]/CdtTrfTxInf[0]/Cdtr/Nm"
    assert _bics(tx.agents) == [("debtor_agent", "GSLDGB20"), ("creditor_agent", "BARCGB22")]
    assert _by_role(tx.agents)["debtor_agent"].location("bic") == (
        "PmtInf[0]/DbtrAgt/FinInstnId/BICFI"
    )
    assert [(t.field, t.kind, t.text) for t in tx.texts] == [
        (
            "PmtInf[0]/CdtTrfTxInf[0]/RmtInf/Ustrd[0]",
            TextKind.REMITTANCE,
            "USD Payment from USD account",
        ),
        ("PmtInf[0]/CdtTrfTxInf[0]/Purp/Prtry", TextKind.PURPOSE, "Purpose of payment"),
        ("PmtInf[0]/CdtTrfTxInf[0]/PmtTpInf/CtgyPurp/Prtry", TextKind.PURPOSE, "Tax Payment"),
    ]


def test_pain001_iban_accounts() -> None:
    tx = _read("cbprur_pain.001.001.09_initgpty_ustrd.xml")
    parties = _by_role(tx.parties)
    assert parties["initiating_party"].name == "Initiating Party Ltd"
    debtor, creditor = parties["debtor"], parties["creditor"]
    assert (debtor.account, debtor.location("account")) == (
        "GB29NWBK60161331926819",
        "PmtInf[0]/DbtrAcct/Id/IBAN",
    )
    assert creditor.account == "DE89370400440532013000"
    assert (tx.amount, tx.currency) == (Decimal("1000.00"), "EUR")
    assert [t.text for t in tx.texts] == ["Invoice 12345"]


def test_pacs008_max_every_agent_role_and_party_detail() -> None:
    tx = _read("cbprur_pacs.008.001.08_MAX_all_elements.xml")
    assert [a.role for a in tx.agents] == _words(
        """
        sender receiver instructing_reimbursement_agent instructed_reimbursement_agent
        third_reimbursement_agent previous_instructing_agent_1 previous_instructing_agent_2
        previous_instructing_agent_3 instructing_agent instructed_agent intermediary_agent_1
        intermediary_agent_2 intermediary_agent_3 debtor_agent creditor_agent
        """
    )
    assert [p.role for p in tx.parties] == _words(
        "ultimate_debtor initiating_party debtor creditor ultimate_creditor"
    )
    debtor_agent = _by_role(tx.agents)["debtor_agent"]
    assert (debtor_agent.bic, debtor_agent.lei, debtor_agent.name) == (
        "ABCDGBEFXXX",
        "097900YZ01234567EF25",
        "EXNm",
    )
    assert PartyIdentifier(kind="clearing_member", value="EXMmbId", issuer="EXCd") in (
        debtor_agent.identifiers
    )
    debtor = _by_role(tx.parties)["debtor"]
    assert (debtor.name, debtor.country, debtor.birth_date) == ("EXNm", "GB", "2026-01-01")
    assert debtor.birth_place == "EXCityOfBirth, EXPrvcOfBirth, GB"
    assert debtor.identifiers == [PartyIdentifier(kind="EXCd", value="EXId", issuer="EXIssr")]
    assert debtor.address is not None
    assert debtor.address.street == "EXStrtNm"
    # Parts without a field of their own stay as lines (a district is a place to search).
    assert debtor.address.lines == _words(
        "EXAdrLine EXDept EXSubDept EXBldgNm EXFlr EXPstBx EXRoom EXTwnLctnNm EXDstrctNm"
    )
    assert [(t.field, t.kind) for t in tx.texts] == [
        ("CdtTrfTxInf[0]/InstrForCdtrAgt[0]/InstrInf", TextKind.INSTRUCTION),
        ("CdtTrfTxInf[0]/InstrForNxtAgt[0]/InstrInf", TextKind.INSTRUCTION),
        ("CdtTrfTxInf[0]/RgltryRptg[0]/Authrty/Nm", TextKind.REGULATORY),
        ("CdtTrfTxInf[0]/RgltryRptg[0]/Dtls[0]/Inf[0]", TextKind.REGULATORY),
        ("CdtTrfTxInf[0]/Purp/Cd", TextKind.PURPOSE),
        ("CdtTrfTxInf[0]/PmtTpInf/CtgyPurp/Cd", TextKind.PURPOSE),
    ]


def test_pacs009_cov_max_every_underlying_role() -> None:
    tx = _read("cbprur_pacs.009.001.08_COV_MAX_all_elements.xml")
    assert tx.cover
    assert [p.role for p in tx.parties] == _words(
        """
        debtor creditor underlying_ultimate_debtor underlying_initiating_party underlying_debtor
        underlying_creditor underlying_ultimate_creditor
        """
    )
    underlying_agents = [a.role for a in tx.agents if a.role.startswith("underlying")]
    assert underlying_agents == [
        "underlying_debtor_agent",
        *["underlying_previous_instructing_agent"] * 3,
        *["underlying_intermediary_agent"] * 3,
        "underlying_creditor_agent",
    ]
    assert [a.locations["party"] for a in tx.agents if a.role.endswith("intermediary_agent")] == [
        f"CdtTrfTxInf[0]/UndrlygCstmrCdtTrf/IntrmyAgt{n}" for n in (1, 2, 3)
    ]
    assert {t.field for t in tx.texts if "UndrlygCstmrCdtTrf" in t.field} == {
        "CdtTrfTxInf[0]/UndrlygCstmrCdtTrf/InstrForCdtrAgt[0]/InstrInf",
        "CdtTrfTxInf[0]/UndrlygCstmrCdtTrf/InstrForNxtAgt[0]/InstrInf",
        "CdtTrfTxInf[0]/UndrlygCstmrCdtTrf/RmtInf/Ustrd[0]",
    }


def test_pain001_max_transaction_ultimate_debtor_replaces_the_payment_one() -> None:
    tx = _read("cbprur_pain.001.001.09_MAX_ultimate_parties_intrmy1-3.xml")
    ultimate = [p for p in tx.parties if p.role == PartyRole.ULTIMATE_DEBTOR]
    assert [p.locations["party"] for p in ultimate] == ["PmtInf[0]/CdtTrfTxInf[0]/UltmtDbtr"]
    assert [a.role for a in tx.agents] == _words(
        """
        sender receiver debtor_agent intermediary_agent_1 intermediary_agent_2
        intermediary_agent_3 creditor_agent
        """
    )
    kinds = {(t.field, t.kind) for t in tx.texts}
    assert ("PmtInf[0]/InstrForDbtrAgt", TextKind.INSTRUCTION) in kinds
    assert ("PmtInf[0]/CdtTrfTxInf[0]/InstrForDbtrAgt", TextKind.INSTRUCTION) in kinds


# --- generated messages ----------------------------------------------------------------------

NS = "urn:iso:std:iso:20022:tech:xsd:"


def _tx_xml(number: int, creditor_bic: str = "COBADEFF") -> str:
    return (
        f"<CdtTrfTxInf><PmtId><EndToEndId>E2E-{number}</EndToEndId></PmtId>"
        f'<IntrBkSttlmAmt Ccy="EUR">{number}.50</IntrBkSttlmAmt>'
        f"<Dbtr><Nm>Debtor {number}</Nm></Dbtr>"
        f"<CdtrAgt><FinInstnId><BICFI>{creditor_bic}</BICFI></FinInstnId></CdtrAgt>"
        f"<Cdtr><Nm>Creditor {number}</Nm></Cdtr></CdtTrfTxInf>"
    )


def _pacs008(transactions: str, version: str = "pacs.008.001.10", header: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Envelope>{header}'
        f'<Document xmlns="{NS}{version}"><FIToFICstmrCdtTrf>'
        "<GrpHdr><MsgId>GEN-1</MsgId><NbOfTxs>1</NbOfTxs>"
        "<InstgAgt><FinInstnId><BICFI>DEUTDEFF</BICFI></FinInstnId></InstgAgt></GrpHdr>\n"
        f"{transactions}\n</FIToFICstmrCdtTrf></Document></Envelope>"
    ).encode()


def test_group_header_agents_apply_to_every_transaction() -> None:
    records = _records(_pacs008("\n".join(_tx_xml(n) for n in range(3))))
    assert [r.tx_id for r in records] == ["E2E-0", "E2E-1", "E2E-2"]
    for position, record in enumerate(records):
        assert record.transaction is not None
        instructing = _by_role(record.transaction.agents)["instructing_agent"]
        assert (instructing.bic, instructing.location("bic")) == (
            "DEUTDEFF",
            "GrpHdr/InstgAgt/FinInstnId/BICFI",
        )
        creditor = _by_role(record.transaction.parties)["creditor"]
        assert creditor.location("name") == f"CdtTrfTxInf[{position}]/Cdtr/Nm"


def test_header_message_definition_disagreeing_with_the_namespace() -> None:
    header = f'<AppHdr xmlns="{NS}head.001.001.02"><MsgDefIdr>pacs.009.001.08</MsgDefIdr></AppHdr>'
    records = _records(_pacs008(_tx_xml(1), "pacs.008.001.10", header))
    assert [r.message_type for r in records] == ["pacs.008.001.10"]
    assert records[0].transaction is not None
    assert records[0].transaction.message_type == "pacs.008.001.10"


def test_a_bad_transaction_is_an_error_and_reading_goes_on() -> None:
    body = "\n".join([_tx_xml(0), _tx_xml(1, creditor_bic="NOT-A-BIC"), _tx_xml(2)])
    records = _records(_pacs008(body), "bulk.xml")
    assert [r.index for r in records] == [0, 1, 2]
    assert [r.error is None for r in records] == [True, False, True]
    assert records[1].error == (
        "bulk.xml:4: CdtTrfTxInf[1]/CdtrAgt/FinInstnId/BICFI: 'NOT-A-BIC' is not a valid BIC "
        "(4 letters, a country code, 2 or 5 more characters)"
    )
    assert (records[1].tx_id, records[1].msg_id) == ("E2E-1", "GEN-1")


def test_line_numbers_count_leading_blank_lines() -> None:
    body = "\n".join([_tx_xml(0), _tx_xml(1, creditor_bic="NOT-A-BIC")])
    records = _records(b"\n\n" + _pacs008(body), "padded.xml")
    assert records[1].error is not None
    assert records[1].error.startswith("padded.xml:6: CdtTrfTxInf[1]/CdtrAgt/FinInstnId/BICFI")


def test_missing_amount_and_unknown_country_are_errors() -> None:
    no_amount = _tx_xml(0).replace('<IntrBkSttlmAmt Ccy="EUR">0.50</IntrBkSttlmAmt>', "")
    bad_country = _tx_xml(1).replace(
        "<Nm>Creditor 1</Nm>", "<Nm>Creditor 1</Nm><PstlAdr><Ctry>ZZ</Ctry></PstlAdr>"
    )
    records = _records(_pacs008(f"{no_amount}\n{bad_country}"), "m.xml")
    assert records[0].error == "m.xml:3: CdtTrfTxInf[0]/IntrBkSttlmAmt: missing: no amount"
    assert records[1].error is not None
    assert records[1].error.startswith("m.xml:4: CdtTrfTxInf[1]/Cdtr/PstlAdr/Ctry: ")
    assert "'ZZ'" in records[1].error


def test_placeholders_are_kept_as_given() -> None:
    body = _tx_xml(0).replace("<Nm>Creditor 0</Nm>", "<Nm>NOTPROVIDED</Nm>")
    body = body.replace("<EndToEndId>E2E-0</EndToEndId>", "<EndToEndId>NOTPROVIDED</EndToEndId>")
    (record,) = _records(_pacs008(body))
    assert record.transaction is not None
    assert _by_role(record.transaction.parties)["creditor"].name == "NOTPROVIDED"
    assert record.transaction.end_to_end_id == "NOTPROVIDED"
    assert record.tx_id == "GEN-1/0"  # no usable id: message id and position


def test_structured_remittance_texts() -> None:
    remittance = (
        "<RmtInf><Ustrd>first</Ustrd><Ustrd>second</Ustrd><Strd>"
        "<RfrdDocInf><Nb>INV-9</Nb></RfrdDocInf><CdtrRefInf><Ref>RF18</Ref></CdtrRefInf>"
        "<Invcr><Nm>Seller Ltd</Nm></Invcr><AddtlRmtInf>more text</AddtlRmtInf></Strd></RmtInf>"
    )
    body = _tx_xml(0).replace("</CdtTrfTxInf>", f"{remittance}</CdtTrfTxInf>")
    (record,) = _records(_pacs008(body))
    assert record.transaction is not None
    base = "CdtTrfTxInf[0]/RmtInf"
    assert [(t.field, t.text) for t in record.transaction.texts] == [
        (f"{base}/Ustrd[0]", "first"),
        (f"{base}/Ustrd[1]", "second"),
        (f"{base}/Strd[0]/RfrdDocInf[0]/Nb", "INV-9"),
        (f"{base}/Strd[0]/CdtrRefInf/Ref", "RF18"),
        (f"{base}/Strd[0]/Invcr/Nm", "Seller Ltd"),
        (f"{base}/Strd[0]/AddtlRmtInf[0]", "more text"),
    ]
    assert {t.kind for t in record.transaction.texts} == {TextKind.REMITTANCE}


@pytest.mark.parametrize(
    ("name", "line", "expected"),
    [
        ("SHASHU LANXI SHANYE", "MACHINERY CO LTD", True),  # legal form carried over
        ("A" * 34 + "B", "TRADING HOUSE", True),  # the 35-character MT line was full
        ("SHASHU LANXI SHANYE", "NO 852-60", False),  # a street number
        ("OPTIMA TECHNOLOGIES (PVT) LTD", "COTTA ROAD", False),  # name already complete
        ("US Engines", "Industrial Park", False),  # no sign of a continuation
    ],
)
def test_name_overflow_rule(name: str, line: str, expected: bool) -> None:
    assert continues_name(name, line) is expected


# --- bad input -----------------------------------------------------------------------------


def _only_error(data: bytes, name: str = "bad.xml") -> str:
    records = _records(data, name)
    assert len(records) == 1 and records[0].transaction is None, records
    assert records[0].error is not None
    return records[0].error


def test_truncated_xml_keeps_the_transactions_before_it() -> None:
    data = _pacs008("\n".join(_tx_xml(n) for n in range(3)))
    cut = data[: data.index(b"E2E-2")]
    records = _records(cut, "cut.xml")
    assert [r.tx_id for r in records[:2]] == ["E2E-0", "E2E-1"]
    assert len(records) == 3 and records[2].transaction is None
    assert records[2].error is not None
    assert records[2].error.startswith("cut.xml:5: malformed XML: ")


def test_truncated_real_sample() -> None:
    data = (MX / "cbpr_p.2.1.2_pacs.008.001.12_AtoB_intrmyagt.xml").read_bytes()
    error = _only_error(data[: len(data) // 2], "half.xml")
    assert error.startswith("half.xml:") and "malformed XML" in error


def test_external_entity_is_refused_as_a_dtd() -> None:
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        + _pacs008(_tx_xml(0).replace("Creditor 0", "&xxe;")).split(b"?>", 1)[1]
    )
    error = _only_error(data, "xxe.xml")
    assert error.startswith("xxe.xml:2: refused: the file has a DTD")


def test_billion_laughs_is_refused_as_a_dtd() -> None:
    entities = '<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10)
    )
    data = f'<?xml version="1.0"?>\n<!DOCTYPE Document [{entities}]>\n<Document>&l9;</Document>'
    assert "refused: the file has a DTD" in _only_error(data.encode())


def test_a_dtd_past_the_first_bytes_is_refused_too() -> None:
    padding = b"<!--" + b"x" * (iso20022.HEAD_BYTES + 10) + b"-->\n"
    data = padding + b"<!DOCTYPE Document>\n" + _pacs008(_tx_xml(0)).split(b"?>", 1)[1]
    assert "refused: the file has a DTD" in _only_error(data)


def test_unsupported_iso_message() -> None:
    data = (
        f'<Document xmlns="{NS}camt.053.001.08"><BkToCstmrStmt><GrpHdr><MsgId>S1</MsgId>'
        "</GrpHdr></BkToCstmrStmt></Document>"
    ).encode()
    records = _records(data, "stmt.xml")
    assert len(records) == 1
    assert records[0].message_type == "camt.053.001.08"
    assert records[0].error == (
        "stmt.xml:1: unsupported message type camt.053.001.08 "
        "(read here: pacs.008, pacs.009, pain.001)"
    )


def test_unknown_namespace_and_no_document() -> None:
    error = _only_error(b'<Document xmlns="urn:example:payments"><X/></Document>', "u.xml")
    assert error == "u.xml:1: unknown namespace 'urn:example:payments': not an ISO 20022 Document"
    header_only = f'<AppHdr xmlns="{NS}head.001.001.02"/>'.encode()
    assert _only_error(header_only, "h.xml") == "h.xml: no ISO 20022 Document in the file"


def test_a_message_without_transactions() -> None:
    data = f'<Document xmlns="{NS}pacs.008.001.08"><FIToFICstmrCdtTrf><GrpHdr>'
    data += "<MsgId>M0</MsgId></GrpHdr></FIToFICstmrCdtTrf></Document>"
    assert _only_error(data.encode(), "e.xml") == (
        "e.xml:1: pacs.008.001.08 message without any CdtTrfTxInf"
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "empty.xml: the file is empty"),
        (b"  \n\t", "empty.xml: the file is empty"),
        (b"\x00\x01\x02PK\x03\x04 binary", "empty.xml:1: not XML: the content does not start"),
        (b"<Envelope><unclosed", "empty.xml:1: malformed XML: "),
    ],
)
def test_empty_and_non_xml_content(data: bytes, expected: str) -> None:
    assert _only_error(data, "empty.xml").startswith(expected)


# --- streaming -----------------------------------------------------------------------------


def test_a_large_file_is_streamed_in_order(tmp_path: Path) -> None:
    count = 20_000
    path = tmp_path / "large.xml"
    head, tail = _pacs008("@@").split(b"@@")
    with path.open("wb") as handle:  # written piece by piece, as a bank's batch would be
        handle.write(head)
        for number in range(count):
            handle.write(_tx_xml(number).encode() + b"\n")
        handle.write(tail)
    seen = 0
    with path.open("rb") as handle:
        for record in iso20022.read(handle, "large.xml"):
            assert record.error is None
            assert (record.index, record.tx_id) == (seen, f"E2E-{seen}")
            seen += 1
    assert seen == count


def test_agent_roles_cover_the_model() -> None:
    # Every agent role a message can carry has a reader mapping (the flat-CSV and MT-only
    # roles aside), so a new role in the model is noticed here.
    mapped = (
        set(iso20022.AGENT_ROLES.values())
        | set(iso20022.UNDERLYING_AGENT_ROLES.values())
        | set(iso20022.REIMBURSEMENT_AGENT_ROLES.values())
        | set(iso20022.HEADER_AGENT_ROLES.values())
    )
    unmapped = {AgentRole.ORIGINATOR_BANK, AgentRole.BENEFICIARY_BANK, AgentRole.INTERMEDIARY}
    assert mapped == set(AgentRole) - unmapped
