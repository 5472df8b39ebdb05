"""The SWIFT MT reader on the 18 real samples (16 FIN files, 2 RJE bulk files) and on bad input.

Expected values are read off the sample files by eye (``cat -A``) and, for the p.2.1.2 MT103,
off its ISO 20022 twin ``mx/translated_from_mt103_p.2.1.2_pacs.008.001.08_AtoB.xml``.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest

from screening.coalition.participants import Address, Participant, PartyIdentifier, TextKind
from screening.coalition.payments import MessageTransaction, swift_mt
from screening.coalition.transactions import Transaction
from tests.screening.coalition.payments.support import MT

FIN_FILES = sorted(MT.glob("*.fin"))
RJE_FILES = sorted(MT.glob("*.rje"))
ACK_RJE = MT / "prowide_MT103-bulk-with-ack_field433.rje"
BULK_RJE = MT / "prowide_MT103-out-ack_bulk.rje"


def records(data: bytes, name: str = "test.fin") -> list[MessageTransaction]:
    return list(swift_mt.read(io.BytesIO(data), name))


def read_file(path: Path) -> list[MessageTransaction]:
    with path.open("rb") as stream:
        return list(swift_mt.read(stream, path.name))


def only_transaction(path: Path) -> Transaction:
    (record,) = read_file(path)
    assert record.error is None, record.error
    assert record.transaction is not None
    return record.transaction


def by_role(participants: list[Participant]) -> dict[str, Participant]:
    roles = [p.role for p in participants]
    assert len(roles) == len(set(roles)), roles
    return {p.role: p for p in participants}


def bic_agent(role: str, bic: str, where: str) -> Participant:
    return Participant(role=role, bic=bic, locations={"party": where, "bic": where})


# --- every sample -------------------------------------------------------------------------


def test_the_samples_are_all_there() -> None:
    assert len(FIN_FILES) == 16
    assert len(RJE_FILES) == 2


@pytest.mark.parametrize("path", FIN_FILES + RJE_FILES, ids=lambda p: p.name)
def test_every_sample_parses_and_sniffs(path: Path) -> None:
    assert swift_mt.sniff(path.read_bytes()[:1024])
    found = read_file(path)
    assert found
    assert [r.error for r in found] == [None] * len(found)
    assert [r.index for r in found] == list(range(len(found)))
    for record in found:
        assert record.transaction is not None
        assert record.tx_id == record.msg_id == record.transaction.tx_id
        assert record.message_type == record.transaction.message_type


@pytest.mark.parametrize("path", FIN_FILES, ids=lambda p: p.name)
def test_one_transaction_per_fin_file(path: Path) -> None:
    assert len(read_file(path)) == 1


def test_transactions_per_rje_file() -> None:
    # Measured with `grep -o '{2:' FILE | wc -l`: every message has one application header
    # (block 2), the ACK system messages have none (`grep -o '{1:F21' FILE | wc -l`: 3 and 0).
    assert len(read_file(ACK_RJE)) == 3
    assert len(read_file(BULK_RJE)) == 13


def test_message_types_of_the_samples() -> None:
    types = {path.name: only_transaction(path).message_type for path in FIN_FILES}
    assert list(types.values()).count("MT103") == 8
    assert list(types.values()).count("MT202") == 3
    assert list(types.values()).count("MT202COV") == 4
    assert types["mt205cov_p.4.3.2_AtoB.fin"] == "MT205COV"


@pytest.mark.parametrize("path", FIN_FILES + RJE_FILES, ids=lambda p: p.name)
def test_lf_and_crlf_give_the_same_result(path: Path) -> None:
    data = path.read_bytes()
    lf = data.replace(b"\r\n", b"\n")
    crlf = lf.replace(b"\n", b"\r\n")
    assert records(lf, path.name) == records(crlf, path.name) == read_file(path)


# --- MT103 with 50F/59F: the p.2.1.2 use case and its ISO 20022 twin ----------------------


def test_mt103_50f_59f_matches_its_iso20022_twin() -> None:
    tx = only_transaction(MT / "mt103_p.2.1.2_AtoB_50F_56A_57A_59F_70.fin")
    # MX twin: MsgId/InstrId A2B0506272708, EndToEndId E2E04044506271305, UETR 174c…, USD 136500.
    assert (tx.tx_id, tx.msg_id) == ("A2B0506272708", "A2B0506272708")
    assert tx.end_to_end_id == "E2E04044506271305"
    assert tx.uetr == "174c245f-2682-4291-ad67-2a41e530cd27"
    assert (tx.amount, tx.currency, tx.cover) == (Decimal("136500"), "USD", False)
    # MX twin: Dbtr Nm "GB Engineering " (the MT line's trailing space), TwnNm Cambridge,
    # Ctry GB, AdrLine Industrial Park, DbtrAcct 96325874; Cdtr US Engines, Casper WY, US,
    # 20 Main St, CdtrAcct 254178963.
    assert tx.parties == [
        Participant(
            role="debtor",
            name="GB Engineering",
            account="96325874",
            address=Address(lines=["Industrial Park"], town="Cambridge", country="GB"),
            country="GB",
            locations={
                "party": ":50F:",
                "name": ":50F: line 2",
                "account": ":50F: line 1",
                "address": ":50F: lines 3-4",
                "country": ":50F: line 4",
            },
        ),
        Participant(
            role="creditor",
            name="US Engines",
            account="254178963",
            address=Address(lines=["20 Main St"], town="Casper WY", country="US"),
            country="US",
            locations={
                "party": ":59F:",
                "name": ":59F: line 2",
                "account": ":59F: line 1",
                "address": ":59F: lines 3-4",
                "country": ":59F: line 4",
            },
        ),
    ]
    # MX twin: InstgAgt CHASGB2LXXX, InstdAgt CHASUS33XXX, DbtrAgt CHASGB2LXXX,
    # IntrmyAgt1 ANBTUS44XXX, CdtrAgt HNBAUS51XXX. Output message: block 2 names the sender.
    assert tx.agents == [
        bic_agent("sender", "CHASGB2LXXX", "{2:}"),
        bic_agent("receiver", "CHASUS33XXX", "{1:}"),
        bic_agent("debtor_agent", "CHASGB2LXXX", ":52A:"),
        bic_agent("intermediary_agent_1", "ANBTUS44XXX", ":56A:"),
        bic_agent("creditor_agent", "HNBAUS51XXX", ":57A:"),
    ]
    # MX twin: RmtInf/Ustrd "/ROC/E2E04044506271305"; 71A SHA is ChrgBr SHAR.
    assert [(t.field, t.kind, t.text) for t in tx.texts] == [
        (":70:", TextKind.REMITTANCE, "/ROC/E2E04044506271305"),
        (":71A:", TextKind.OTHER, "SHA"),
    ]
    assert tx.originator_name is None and tx.beneficiary_name is None  # no flat duplicates


def test_59f_without_account_and_50a_customer_bic() -> None:
    tx = only_transaction(MT / "mt103_p.2.1.2_BtoA_return_50A_59F_72RETN.fin")
    parties = by_role(tx.parties)
    assert parties["debtor"] == bic_agent("debtor", "ANBTUS44XXX", ":50A:")
    creditor = parties["creditor"]
    assert (creditor.name, creditor.account, creditor.country) == ("GB Engineering", None, "GB")
    assert creditor.locations["name"] == ":59F: line 1"
    assert tx.texts[-1].text == "/RETN/99 /AC04/ /MREF/A2B0506272708 /TREF/E2E040445062713+"
    assert tx.texts[-1].field == ":72:"


# --- MT103 with 50K/59: name and address lines ---------------------------------------------


def test_50k_59_name_overflow_and_previous_instructing_agent() -> None:
    tx = only_transaction(MT / "mt103_custom_a2014_50K_59_70_72.fin")
    parties = by_role(tx.parties)
    # MX twin (adrline_name_overflow): Dbtr Nm "RASA ENGINEERING SERVICES (PVT) L", AdrLine
    # NO 852-60 / SHARUK PURA / SRI LANKA; the creditor's name overflows into AdrLine there,
    # here the legal-form rule joins "MACHINERY CO LTD" to the name.
    assert parties["debtor"] == Participant(
        role="debtor",
        name="RASA ENGINEERING SERVICES (PVT) L",
        account="100811000148",
        address=Address(lines=["NO 852-60", "SHARUK PURA", "SRI LANKA"]),
        locations={
            "party": ":50K:",
            "account": ":50K: line 1",
            "name": ":50K: line 2",
            "address": ":50K: lines 3-5",
        },
    )
    assert parties["creditor"] == Participant(
        role="creditor",
        name="SHASHU LANXI SHANYE MACHINERY CO LTD",
        account="2563529",
        address=Address(lines=["MACHINERY CO LTD"]),
        locations={
            "party": ":59:",
            "account": ":59: line 1",
            "name": ":59: lines 2-3",
            "address": ":59: line 4",
        },
    )
    agents = by_role(tx.agents)
    # MX twin: DbtrAgt ABCDLKLXXXX with DbtrAgtAcct "CGC BRANHC"; PrvsInstgAgt1 Nm JKKILKOKSIKF;
    # InstgAgt ABCDLKLXXXX (block 1 F01ABCDLKLXAXXX: terminal letter A dropped).
    assert agents["sender"].bic == "ABCDLKLXXXX"
    assert agents["receiver"].bic == "MHCBJPJTXXX"
    assert (agents["debtor_agent"].bic, agents["debtor_agent"].account) == (
        "ABCDLKLXXXX",
        "CGC BRANHC",
    )
    assert agents["previous_instructing_agent_1"] == Participant(
        role="previous_instructing_agent_1",
        name="JKKILKOKSIKF",
        locations={"party": ":72: line 1", "name": ":72: line 1"},
    )
    # MX twin: Ustrd "IMPORT OF GOOD INV NO : 1526395 INV DATE : 10.10.2025 LKMIOP".
    assert tx.texts[0].text == "IMPORT OF GOOD INV NO : 1526395 INV DATE : 10.10.2025 LKMIOP"


def test_57d_agent_name_address_and_three_previous_agents() -> None:
    tx = only_transaction(MT / "mt103_custom_fin2_50K_56A_57D_59_72.fin")
    agents = by_role(tx.agents)
    # MX twin (57D_name_addr): CdtrAgt Nm COMMERCIAL BANK, AdrLine GALLE RD COLOMBO 03,
    # CdtrAgtAcct KOL BRANCH; IntrmyAgt1 CITIUS33XXX with account 123456; PrvsInstgAgt1-3
    # FUL PAY, CHGS, PAY.
    assert agents["creditor_agent"] == Participant(
        role="creditor_agent",
        name="COMMERCIAL BANK",
        account="KOL BRANCH",
        address=Address(lines=["GALLE RD COLOMBO 03"]),
        locations={
            "party": ":57D:",
            "account": ":57D: line 1",
            "name": ":57D: line 2",
            "address": ":57D: line 3",
        },
    )
    assert (agents["intermediary_agent_1"].bic, agents["intermediary_agent_1"].account) == (
        "CITIUS33XXX",
        "123456",
    )
    names = [agents[f"previous_instructing_agent_{n}"].name for n in (1, 2, 3)]
    assert names == ["FUL PAY", "CHGS", "PAY"]
    creditor = by_role(tx.parties)["creditor"]
    # MX twin: Cdtr Nm LNM, AdrLine NO450 / GALLE RD COLOMBO 03 SL / 123456, account LK123456.
    assert (creditor.name, creditor.account) == ("LNM", "LK123456")
    assert creditor.address == Address(lines=["NO450", "GALLE RD COLOMBO 03 SL", "123456"])
    assert [t.text for t in tx.texts] == [
        "TEST 123 456 789",
        "OUR",
        "/INS/FUL PAY /INS/CHGS /INS/PAY",
    ]


def test_23e_codes_and_legal_form_continuation() -> None:
    tx = only_transaction(MT / "mt103_custom_23E_50K_59_70_72.fin")
    assert by_role(tx.parties)["creditor"].name == "KATAYAMA CHAIN THAILAND CO LTD"
    assert [(t.field, t.kind, t.text) for t in tx.texts] == [
        (":23E:", TextKind.INSTRUCTION, "SDVA"),
        (":23E:", TextKind.INSTRUCTION, "CORT"),
        (":23E:", TextKind.INSTRUCTION, "INTC"),
        (
            ":70:",
            TextKind.REMITTANCE,
            "IMPORT OF ROLLER CHAINS INV NIO : SO2508107SRI INV DATE : 26.08.2025",
        ),
        (":71A:", TextKind.OTHER, "BEN"),
        (":72:", TextKind.INSTRUCTION, "/SVCLVL/SDVAa /LOCINS/0090"),
    ]
    assert (tx.amount, tx.currency) == (Decimal("7138.40"), "USD")
    # Input message: block 1 is the sender (ABCDLKL0 + XXX), block 2 the receiver.
    assert by_role(tx.agents)["sender"].bic == "ABCDLKL0XXX"
    assert by_role(tx.agents)["receiver"].bic == "HANYUS33XXX"


def test_reimbursement_agents_and_notprovided_account() -> None:
    tx = only_transaction(MT / "mt103_p.2.3.1.b_AtoD_cover_53A_54A.fin")
    agents = by_role(tx.agents)
    assert agents["instructing_reimbursement_agent"].bic == "BOFSGB2L"
    assert agents["instructed_reimbursement_agent"].bic == "BSCHESMM"
    assert by_role(tx.parties)["debtor"].account == "NOTPROVIDED"
    assert tx.end_to_end_id == "pacs008EndToEndId-001"


# --- MT202, MT202COV, MT205COV -------------------------------------------------------------


def test_mt202_beneficiary_institution_and_ins_bic() -> None:
    tx = only_transaction(MT / "mt202_pc.09.1.1_AtoB_53A.fin")
    assert (tx.message_type, tx.cover, tx.end_to_end_id) == ("MT202", False, "pacs009EndToEnd")
    assert (tx.amount, tx.currency) == (Decimal("654489.98"), "EUR")
    # 52A is the debtor of an MT202 (pacs.009 Dbtr), 58A the creditor.
    assert tx.parties == [
        bic_agent("debtor", "RBOSGB2LXXX", ":52A:"),
        bic_agent("creditor", "EVSEFIHHXXX", ":58A:"),
    ]
    assert tx.agents == [
        bic_agent("sender", "NDEAFIHHXXX", "{2:}"),
        bic_agent("receiver", "HELSFIHHXXX", "{1:}"),
        bic_agent("instructing_reimbursement_agent", "CP01AA89787", ":53A:"),
        bic_agent("creditor_agent", "HELSFIHHXXX", ":57A:"),
        Participant(
            role="previous_instructing_agent_1",
            bic="ABNANL2AXXX",
            locations={"party": ":72: line 1", "bic": ":72: line 1"},
        ),
    ]
    assert [(t.field, t.kind, t.text) for t in tx.texts] == [
        (":72:", TextKind.INSTRUCTION, "/INS/ABNANL2AXXX /BNF/Invoice: 456464-9663"),
    ]


def test_mt202_58d_and_block1_without_application_id() -> None:
    # Block 1 is "ABCDLKLXXXXX0000000000" (no F01): the address is still read.
    tx = only_transaction(MT / "mt202_custom_fin1_56A_57A_58D_72.fin")
    assert by_role(tx.agents)["sender"].bic == "ABCDLKLXXXX"
    assert by_role(tx.parties)["creditor"] == Participant(
        role="creditor",
        name="INTERNATIONAL BANKING DEPARTME",
        account="MUFG LTD/",
        address=Address(lines=["FEDERAL TOWERS MARINE DRIVE", "ERNAKULAM 682031"]),
        locations={
            "party": ":58D:",
            "account": ":58D: line 1",
            "name": ":58D: line 2",
            "address": ":58D: lines 3-4",
        },
    )


def test_mt202cov_sequence_b_gives_the_underlying_customer_transfer() -> None:
    tx = only_transaction(MT / "mt202cov_c.29.2.2_AtoB.fin")
    assert (tx.message_type, tx.cover) == ("MT202COV", True)
    assert tx.end_to_end_id == "pcs008bzmsgidr-1"
    # MX twin (pacs.009.001.08 COV): Dbtr MYMBGB2LXXX, Cdtr GEBABEBBXXX, CdtrAgt RZBRROBUXXX,
    # PrvsInstgAgt1 INGBROBUXXX; UndrlygCstmrCdtTrf: Dbtr Debtor Co (Epping, GB, High Street,
    # account 25698745), DbtrAgt MYMBGB2LXXX, CdtrAgt GEBABEBBXXX, Cdtr Ardent Finance
    # (Bucharest, RO, Main Street, account 65479512).
    assert [(p.role, p.bic, p.name) for p in tx.parties] == [
        ("debtor", "MYMBGB2LXXX", None),
        ("creditor", "GEBABEBBXXX", None),
        ("underlying_debtor", None, "Debtor Co"),
        ("underlying_creditor", None, "Ardent Finance"),
    ]
    underlying = by_role(tx.parties)["underlying_creditor"]
    assert underlying == Participant(
        role="underlying_creditor",
        name="Ardent Finance",
        account="65479512",
        address=Address(lines=["Main Street"], town="Bucharest", country="RO"),
        country="RO",
        locations={
            "party": "B/:59F:",
            "name": "B/:59F: line 2",
            "account": "B/:59F: line 1",
            "address": "B/:59F: lines 3-4",
            "country": "B/:59F: line 4",
        },
    )
    assert [(a.role, a.bic, a.location("bic")) for a in tx.agents] == [
        ("sender", "MYMBGB2LXXX", "{2:}"),
        ("receiver", "INGBROBUXXX", "{1:}"),
        ("creditor_agent", "RZBRROBUXXX", ":57A:"),
        ("previous_instructing_agent_1", "INGBROBUXXX", ":72: line 1"),
        ("underlying_debtor_agent", "MYMBGB2LXXX", "B/:52A:"),
        ("underlying_creditor_agent", "GEBABEBBXXX", "B/:57A:"),
    ]


def test_mt205cov_option_a_with_accounts() -> None:
    tx = only_transaction(MT / "mt205cov_p.4.3.2_AtoB.fin")
    parties = by_role(tx.parties)
    assert (parties["debtor"].bic, parties["debtor"].account) == ("CLYDGB2S", "2020-08-10")
    assert (parties["creditor"].bic, parties["creditor"].account) == ("CAIXESBB", "BOFSGB2L")
    assert parties["underlying_debtor"].name == "A Investor"
    assert parties["underlying_creditor"].address == Address(
        lines=["Las Ramblas"], town="Barcelona", country="ES"
    )
    assert (tx.amount, tx.currency, tx.cover) == (Decimal("35612.21"), "EUR", True)


# --- RJE bulk files -------------------------------------------------------------------------


def test_rje_with_ack_blocks_and_field_433() -> None:
    reader = swift_mt.MtReader(ACK_RJE.name)
    with ACK_RJE.open("rb") as stream:
        found = list(reader.read(stream))
    # `grep -o '{451:0}' FILE | wc -l` gives 3: three ACKs, skipped and counted.
    assert (reader.acknowledgements, reader.rejections) == (3, 0)
    assert [(r.index, r.tx_id) for r in found] == [
        (0, "234234233"),
        (1, "C4772342333"),
        (2, "201904250034434"),
    ]
    first = found[0].transaction
    assert first is not None
    assert by_role(first.parties)["debtor"] == Participant(
        role="debtor",
        name="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        account="0000000000",
        address=Address(lines=["NO. 62/64 FOO ROAD BENIN CITY", "EDO STATE"]),
        locations={
            "party": ":50K:",
            "account": ":50K: line 1",
            "name": ":50K: line 2",
            "address": ":50K: lines 3-4",
        },
    )
    agents = by_role(first.agents)
    # Output message: block 2 MIR holds BBBBUS33BXXX (terminal B dropped), block 1 AAAAUSLAAXXX.
    assert agents["sender"].bic == "BBBBUS33XXX"
    assert agents["receiver"].bic == "AAAAUSLAXXX"
    assert agents["instructing_reimbursement_agent"] == Participant(
        role="instructing_reimbursement_agent",
        account="00000000000000",
        locations={"party": ":53B:", "account": ":53B: line 1"},
    )
    # /INS/ with a // continuation: the name, then the continuation with digits as address.
    assert agents["previous_instructing_agent_1"] == Participant(
        role="previous_instructing_agent_1",
        name="DEUTSCHE BANK TRUST CO.",
        address=Address(lines=["AMERICAS NEW YORK, NY 10015"]),
        locations={"party": ":72: lines 1-2", "name": ":72: line 1", "address": ":72: line 2"},
    )
    assert (first.amount, first.currency, first.uetr) == (Decimal("3700"), "USD", None)


def test_rje_bulk_file_in_order() -> None:
    found = read_file(BULK_RJE)
    # `grep -o ':20:[^\r]*' FILE`, in file order.
    assert [r.tx_id for r in found] == [
        "22342343",
        "INGDESMM",
        "INGDESMM",
        "FOODESMM",
        "OMF000000724103",
        "530165650050",
        "0061350113089906",
        "0061350113089908",
        "0061350113089907",
        "AMLX985338-D4E5E",
        "0061350113089903",
        "0061350113089904",
        "0061350113089905",
    ]
    transactions = [r.transaction for r in found]
    assert all(t is not None for t in transactions)
    first, third, tenth = transactions[0], transactions[2], transactions[9]
    assert first is not None and third is not None and tenth is not None
    # A full 35-character line wraps the name: "...PENSIONES I" + "BEX 99".
    assert by_role(third.parties)["creditor"].name == "FOO DIRECT III FONDO DE PENSIONES IBEX 99"
    assert by_role(third.parties)["creditor"].locations["name"] == ":59: lines 2-3"
    debtor_agent = by_role(first.agents)["debtor_agent"]
    assert (debtor_agent.name, debtor_agent.address) == (
        "NORTH FOO BANK",
        Address(lines=["999 BROAD FOO RD", "MELVILLE, NY 11747"]),
    )
    assert by_role(tenth.agents)["instructed_reimbursement_agent"].identifiers == [
        PartyIdentifier(kind="clearing_code", value="RT")
    ]


# --- a synthetic input message -----------------------------------------------------------


def test_input_message_50f_with_identifiers() -> None:
    fields = ":50F:CCPT/DE/C01X00T47\r\n1/ERIKA MUSTERMANN\r\n4/19640812\r\n3/DE/BERLIN\r\n"
    text = (
        "{1:F01BANKBEBBAXXX0000000000}{2:I103BANKDEFFXXXXN}{4:\r\n"
        ":20:REF1\r\n:32A:240131EUR1000,50\r\n" + fields + "-}"
    )
    (record,) = records(text.encode("ascii"))
    assert record.transaction is not None
    (debtor,) = record.transaction.parties
    assert (debtor.name, debtor.birth_date, debtor.country) == (
        "ERIKA MUSTERMANN",
        "1964-08-12",
        "DE",
    )
    assert debtor.identifiers == [PartyIdentifier(kind="passport", value="C01X00T47", issuer="DE")]
    agents = by_role(record.transaction.agents)
    # Input message: block 1 BANKBEBBAXXX is the sender (terminal letter A dropped), block 2
    # the receiver.
    assert (agents["sender"].bic, agents["receiver"].bic) == ("BANKBEBBXXX", "BANKDEFFXXX")
    assert (record.transaction.amount, record.transaction.currency) == (Decimal("1000.50"), "EUR")
    assert record.transaction.uetr is None


# --- bad input: one error record each, naming the file and the line -------------------------

SAMPLE = (MT / "mt103_p.2.1.2_AtoB_50F_56A_57A_59F_70.fin").read_bytes()


def single_error(data: bytes, name: str = "bad.fin") -> MessageTransaction:
    (record,) = records(data, name)
    assert record.transaction is None
    assert record.error is not None
    return record


def edited(old: bytes, new: bytes) -> bytes:
    assert old in SAMPLE
    return SAMPLE.replace(old, new)


BAD_INPUT = {
    "empty": (b"", "line 1: empty file: no SWIFT MT message"),
    "blank": (b"\r\n  \r\n", "line 1: empty file: no SWIFT MT message"),
    "not MT": (b"<Document/>", "line 1: not a SWIFT MT message (no {1: block)"),
    "no block 4": (SAMPLE[: SAMPLE.index(b"{4:")], "line 1: no block 4 (text)"),
    "unterminated": (edited(b"-}", b""), "line 1: block 4 is not terminated (no '-}' line)"),
    "broken tag": (edited(b":59F:/2", b":5X:/2"), "line 13: broken field tag ':5X:'"),
    "no 20": (edited(b":20:A2B0506272708\r\n", b""), "line 1: mandatory field 20 missing"),
    "no 32A": (edited(b":32A:210511USD136500,\r\n", b""), "line 1: mandatory field 32A missing"),
    "bad 32A date": (
        edited(b":32A:210511", b":32A:210532"),
        "line 4: :32A: line 1 has no valid date '210532' (YYMMDD)",
    ),
    "undecodable": (
        edited(b"1/US Engines", b"1/US Engin\xe9s"),
        "line 14: undecodable byte 0xe9 (MT text is ASCII)",
    ),
    "bad country": (
        edited(b"3/US/Casper WY", b"3/QQ/Casper WY"),
        "line 16: :59F: line 4 'QQ' is not an ISO country code",
    ),
    "bad BIC": (
        edited(b":57A:HNBAUS51XXX", b":57A:HNB-US51"),
        "line 12: :57A: line 1 'HNB-US51' is not a BIC",
    ),
    "bad option": (edited(b":57A:", b":57E:"), "line 12: :57E: option 'E' is not allowed here"),
    "MT940": (edited(b"{2:O103", b"{2:O940"), "line 1: unsupported message type MT940"),
    "no type": (
        edited(b"{2:O1031013", b"{2:"),
        "line 1: block 2 '210511CHASGB2LXXXX00' names no message type",
    ),
}


@pytest.mark.parametrize(("data", "expected"), BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_gives_one_error_record(data: bytes, expected: str) -> None:
    assert single_error(data).error == f"bad.fin {expected}"


def test_error_records_keep_the_type_and_reference() -> None:
    record = single_error(SAMPLE.replace(b"{2:O103", b"{2:O940"))
    assert (record.index, record.message_type, record.msg_id, record.tx_id) == (
        0,
        "MT940",
        "A2B0506272708",
        "A2B0506272708",
    )
    record = single_error(SAMPLE[: SAMPLE.index(b"{4:")])
    assert (record.message_type, record.msg_id) == ("MT103", None)


def test_reading_goes_on_after_a_bad_message() -> None:
    bad = SAMPLE.replace(b":59F:/254178963", b":5X:/254178963")
    data = b"$".join([SAMPLE, bad, b"garbage here\n", SAMPLE.replace(b"A2B0506272708", b"NEXT")])
    found = records(data, "bulk.rje")
    assert [(r.index, r.tx_id, r.error) for r in found] == [
        (0, "A2B0506272708", None),
        (1, "A2B0506272708", "bulk.rje line 31: broken field tag ':5X:'"),
        (2, None, "bulk.rje line 37: not SWIFT MT block text: 'garbage here'"),
        (3, "NEXT", None),
    ]


def test_sequence_b_refuses_a_field_it_does_not_have() -> None:
    data = (MT / "mt202cov_c.29.2.2_AtoB.fin").read_bytes()
    bad = data.replace(b":57A:GEBABEBBXXX", b":58A:GEBABEBBXXX")
    assert single_error(bad).error == "bad.fin line 14: :58A: is not allowed in sequence B"


def test_nak_is_counted_as_a_rejection() -> None:
    nak = b"{1:F21BANKBEBBAXXX0000000000}{4:{177:2401311200}{451:1}{405:H01}}"
    reader = swift_mt.MtReader("nak.rje")
    found = list(reader.read(io.BytesIO(nak + SAMPLE)))
    assert (reader.acknowledgements, reader.rejections) == (0, 1)
    assert [r.tx_id for r in found] == ["A2B0506272708"]


def test_oversized_message_is_refused_and_reading_goes_on() -> None:
    huge = SAMPLE.replace(b":71A:SHA", b":70:" + b"A" * (swift_mt.MAX_MESSAGE_BYTES + 1))
    found = records(huge + b"$" + SAMPLE, "big.rje")
    assert (
        found[0].error == f"big.rje line 1: message larger than {swift_mt.MAX_MESSAGE_BYTES} bytes"
    )
    assert found[1].tx_id == "A2B0506272708"


class CountingStream(io.BytesIO):
    """Counts the bytes handed out, to show that reading is message by message."""

    handed_out = 0

    def readline(self, size: int | None = -1) -> bytes:
        line = super().readline(size)
        self.handed_out += len(line)
        return line


def test_rje_is_streamed_message_by_message() -> None:
    data = b"$\n".join([SAMPLE] * 2000)
    stream = CountingStream(data)
    found = swift_mt.read(stream, "many.rje")
    first = next(found)
    assert first.tx_id == "A2B0506272708"
    assert stream.handed_out < 2 * len(SAMPLE) + 10  # one message and the next line or so
    assert sum(1 for _ in found) == 1999


def test_sniff() -> None:
    assert swift_mt.sniff(b"{1:F01BANKBEBBAXXX0000000000}")
    assert swift_mt.sniff(b"\xef\xbb\xbf\r\n${1:F21BANK")
    assert not swift_mt.sniff(b"<?xml version='1.0'?><Document/>")
    assert not swift_mt.sniff(b"")
    assert not swift_mt.sniff(b"tx_id,amount\n")
