"""The payment-message rules on small transactions built here, screened against the real OFAC
SDN list (`../shared/data/lists/ofac/sdn.csv`).

The listed entries used, read from sdn.csv by eye (``grep -n`` on the ids):

- 34705 "AMSTERDAM TRADE BANK NV", remarks "SWIFT/BIC ATBANL2A" (a listed bank, by its BIC);
- 12927 "MAHAN AIR" (a listed company, as creditor);
- 18547 "AWAN, Paul Malong" (a listed person, named inside remittance text).

The profile is ``us_bank``, for which OFAC binds always, so a match blocks.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lists import open_list
from screening.coalition.participants import (
    Address,
    AgentRole,
    Participant,
    PartyRole,
    TextField,
    TextKind,
)
from screening.coalition.payments.reader import read_payment_bytes, read_payments
from screening.coalition.profiles import PRESETS
from screening.coalition.rules import (
    AGENT_SANCTIONS_HIT,
    PARTY_SANCTIONS_HIT,
    PAYMENT_TRANSPARENCY,
    SANCTIONED_JURISDICTION,
    TEXT_SANCTIONS_HIT,
    Flag,
    RuleContext,
    Severity,
    TxOutcome,
    TxResult,
    screen_transaction,
)
from screening.coalition.rules.context import iban_country
from screening.coalition.rules.transparency import is_placeholder
from screening.coalition.transactions import Transaction, build_transaction
from screening.matching.screener import Screener
from screening.store import ListStore
from tests.screening.coalition.payments.support import CASES, MT103, PACS008, sample_text

TX = "CdtTrfTxInf[0]"
LISTED_BIC = "ATBANL2AXXX"


@pytest.fixture(scope="module")
def screener(shared_lists: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Screener]:
    folder = tmp_path_factory.mktemp("payment-rules")
    store = ListStore(f"sqlite:///{folder / 'lists.db'}")
    store.load(open_list(shared_lists / "ofac" / "sdn.csv"))
    yield Screener(store, index_dir=folder / "index")
    store.engine.dispose()


def party(role: PartyRole, name: str | None, **values: Any) -> Participant:
    """A message party whose fields sit where a pacs.008 puts them."""
    element = {"debtor": "Dbtr", "creditor": "Cdtr"}.get(role.value, role.value)
    locations = {"party": f"{TX}/{element}", "name": f"{TX}/{element}/Nm"}
    locations |= {"address": f"{TX}/{element}/PstlAdr", "account": f"{TX}/{element}Acct/Id"}
    return Participant(role=role.value, name=name, locations=locations, **values)


def agent(role: AgentRole, bic: str | None = None, name: str | None = None) -> Participant:
    element = {"creditor_agent": "CdtrAgt", "debtor_agent": "DbtrAgt"}[role.value]
    locations = {
        "party": f"{TX}/{element}",
        "bic": f"{TX}/{element}/FinInstnId/BICFI",
        "name": f"{TX}/{element}/FinInstnId/Nm",
    }
    return Participant(role=role.value, bic=bic, name=name, locations=locations)


DEBTOR = party(PartyRole.DEBTOR, "Acme Engineering Ltd", country="GB")
CREDITOR = party(PartyRole.CREDITOR, "Casper Engines Inc", country="US")


def pacs008(**values: Any) -> Transaction:
    """A pacs.008 transaction with a clean debtor and creditor unless `values` say otherwise."""
    base: dict[str, Any] = {
        "tx_id": "E2E-1",
        "amount": "1000",
        "currency": "USD",
        "message_type": "pacs.008.001.12",
        "uetr": "8a562c67-ca16-48ba-b074-65581be6f001",
        "parties": [DEBTOR, CREDITOR],
    }
    return build_transaction(base | values)


def screen(screener: Screener, tx: Transaction, profile: str = "us_bank") -> TxResult:
    return screen_transaction(tx, screener, PRESETS[profile])


def only(result: TxResult, rule_id: str) -> list[Flag]:
    return [flag for flag in result.flags if flag.rule == rule_id]


# -- parties ---------------------------------------------------------------------------------


def test_a_clean_message_is_clear(screener: Screener) -> None:
    result = screen(screener, pacs008(agents=[agent(AgentRole.CREDITOR_AGENT, "HNBAUS51XXX")]))
    assert (result.decision, result.flags) == (TxOutcome.CLEAR, [])


def test_a_listed_creditor_blocks_and_names_its_field(screener: Screener) -> None:
    creditor = party(PartyRole.CREDITOR, "MAHAN AIR", country="IR")
    result = screen(screener, pacs008(parties=[DEBTOR, creditor]))
    [flag] = only(result, PARTY_SANCTIONS_HIT)
    assert (flag.severity, flag.binding) == (Severity.CRITICAL, True)
    evidence = flag.evidence
    assert (evidence["role"], evidence["field"], evidence["party"]) == (
        "creditor",
        f"{TX}/Cdtr/Nm",
        "creditor",
    )
    assert (evidence["dataset"], evidence["entry_id"], evidence["country"]) == (
        "ofac_sdn",
        "12927",
        "IR",
    )
    assert f"({TX}/Cdtr/Nm)" in flag.message
    assert result.decision is TxOutcome.BLOCK


def test_every_party_role_is_screened_with_its_iban_country(screener: Screener) -> None:
    # An ultimate creditor, known only by name and an Iranian IBAN (valid checksum).
    ultimate = party(PartyRole.ULTIMATE_CREDITOR, "MAHAN AIR", account="IR062960000000100324200001")
    result = screen(screener, pacs008(parties=[DEBTOR, CREDITOR, ultimate]))
    [flag] = only(result, PARTY_SANCTIONS_HIT)
    assert (flag.evidence["role"], flag.evidence["country"]) == ("ultimate_creditor", "IR")
    # The IBAN's country is a place of the transaction too.
    [place] = only(result, SANCTIONED_JURISDICTION)
    assert (place.evidence["jurisdiction"], place.evidence["found_in"]) == (
        "IR",
        [f"{TX}/ultimate_creditorAcct/Id"],
    )


def test_a_flat_party_keeps_its_evidence_and_gains_role_and_field(screener: Screener) -> None:
    tx = build_transaction({"tx_id": "F", "currency": "USD", "beneficiary_name": "MAHAN AIR"})
    [flag] = screen(screener, tx).flags
    assert flag.message.startswith("beneficiary 'MAHAN AIR' match: ofac_sdn:12927 MAHAN AIR")
    assert (flag.evidence["party"], flag.evidence["role"], flag.evidence["field"]) == (
        "beneficiary",
        "beneficiary",
        "beneficiary_name",
    )


# -- agents ----------------------------------------------------------------------------------


def test_a_listed_bic_as_creditor_agent_blocks(screener: Screener) -> None:
    result = screen(screener, pacs008(agents=[agent(AgentRole.CREDITOR_AGENT, LISTED_BIC)]))
    [flag] = only(result, AGENT_SANCTIONS_HIT)
    assert (flag.severity, flag.binding) == (Severity.CRITICAL, True)
    assert flag.evidence["field"] == f"{TX}/CdtrAgt/FinInstnId/BICFI"
    assert (flag.evidence["role"], flag.evidence["matched_on"], flag.evidence["bic"]) == (
        "creditor_agent",
        "bic",
        LISTED_BIC,
    )
    assert (flag.evidence["entry_id"], flag.evidence["listed_name"]) == (
        "34705",
        "AMSTERDAM TRADE BANK NV",
    )
    assert f"{TX}/CdtrAgt/FinInstnId/BICFI" in flag.message
    assert result.decision is TxOutcome.BLOCK


def test_a_listed_bic_in_a_flat_column_is_caught_too(screener: Screener) -> None:
    tx = build_transaction({"tx_id": "F", "currency": "USD", "beneficiary_bic": "ATBANL2A"})
    [flag] = screen(screener, tx).flags
    assert (flag.rule, flag.severity, flag.evidence["field"]) == (
        AGENT_SANCTIONS_HIT,
        Severity.CRITICAL,
        "beneficiary_bic",
    )


def test_an_agent_caught_by_bic_is_not_flagged_again_by_its_name(screener: Screener) -> None:
    both = agent(AgentRole.CREDITOR_AGENT, LISTED_BIC, "Amsterdam Trade Bank N.V.")
    flags = only(screen(screener, pacs008(agents=[both])), AGENT_SANCTIONS_HIT)
    assert [(f.evidence["matched_on"], f.evidence["entry_id"]) for f in flags] == [("bic", "34705")]


def test_an_agent_without_bic_is_screened_by_name(screener: Screener) -> None:
    named = agent(AgentRole.DEBTOR_AGENT, name="Amsterdam Trade Bank NV")
    [flag] = only(screen(screener, pacs008(agents=[named])), AGENT_SANCTIONS_HIT)
    assert (flag.evidence["matched_on"], flag.evidence["field"], flag.evidence["entry_id"]) == (
        "name",
        f"{TX}/DbtrAgt/FinInstnId/Nm",
        "34705",
    )
    assert flag.severity is Severity.CRITICAL


def test_an_agent_bic_in_russia_is_a_jurisdiction_flag_too(screener: Screener) -> None:
    # Sberbank: sdn.csv entry 17018, remarks "SWIFT/BIC SABRRUMM"; its BIC country is RU.
    result = screen(screener, pacs008(agents=[agent(AgentRole.CREDITOR_AGENT, "SABRRUMMXXX")]))
    bank, place = result.flags
    assert (bank.rule, bank.evidence["entry_id"]) == (AGENT_SANCTIONS_HIT, "17018")
    assert (place.rule, place.severity) == (SANCTIONED_JURISDICTION, Severity.CRITICAL)
    assert place.evidence["found_in"] == [f"{TX}/CdtrAgt/FinInstnId/BICFI"]


# -- addresses -------------------------------------------------------------------------------


def test_simferopol_in_an_address_line_blocks(screener: Screener) -> None:
    address = Address(lines=["ul. Kirova 12", "Simferopol"], country="UA")
    creditor = party(PartyRole.CREDITOR, "Ivan Petrenko", address=address, country="UA")
    result = screen(screener, pacs008(parties=[DEBTOR, creditor]))
    [flag] = only(result, SANCTIONED_JURISDICTION)
    assert (flag.severity, flag.evidence["jurisdiction"]) == (Severity.CRITICAL, "UA-43")
    assert flag.evidence["found_in"] == [f"{TX}/Cdtr/PstlAdr"]
    assert flag.evidence["matched_text"] == ["Simferopol"]
    assert result.decision is TxOutcome.BLOCK


def test_a_structured_town_in_an_oblast_asks_for_review(screener: Screener) -> None:
    address = Address(town="Zaporizhzhia oblast", country="UA")
    creditor = party(PartyRole.CREDITOR, "Olena Koval", address=address)
    [flag] = only(screen(screener, pacs008(parties=[DEBTOR, creditor])), SANCTIONED_JURISDICTION)
    assert (flag.severity, flag.evidence["oblast_only"]) == (Severity.HIGH, True)


# -- free text -------------------------------------------------------------------------------


def test_a_listed_name_in_remittance_text_blocks(screener: Screener) -> None:
    text = TextField(field=":70:", kind=TextKind.REMITTANCE, text="INVOICE 7 FOR PAUL MALONG AWAN")
    result = screen(screener, pacs008(message_type="MT103", texts=[text]))
    [flag] = only(result, TEXT_SANCTIONS_HIT)
    assert (flag.severity, flag.binding) == (Severity.CRITICAL, True)
    evidence = flag.evidence
    assert (evidence["field"], evidence["text_kind"], evidence["found_kind"]) == (
        ":70:",
        "remittance",
        "name",
    )
    assert (evidence["matched_text"], evidence["start"], evidence["end"]) == (
        "PAUL MALONG AWAN",
        14,
        30,
    )
    assert evidence["entry_id"] == "18547"
    assert "in :70:" in flag.message
    assert result.decision is TxOutcome.BLOCK


def test_a_listed_bic_in_instructions_and_a_place_in_text(screener: Screener) -> None:
    texts = [
        TextField(field=":72:", kind=TextKind.INSTRUCTION, text="/ACC/PAY VIA ATBANL2A"),
        TextField(field=f"{TX}/RmtInf/Ustrd", kind=TextKind.REMITTANCE, text="goods to Melitopol"),
    ]
    result = screen(screener, pacs008(texts=texts))
    [text_flag] = only(result, TEXT_SANCTIONS_HIT)
    assert (text_flag.evidence["found_kind"], text_flag.evidence["entry_id"]) == ("bic", "34705")
    assert text_flag.severity is Severity.CRITICAL
    [place] = only(result, SANCTIONED_JURISDICTION)
    assert (place.evidence["jurisdiction"], place.evidence["found_in"]) == (
        "UA-23",
        [f"{TX}/RmtInf/Ustrd"],
    )


def test_ordinary_remittance_text_stays_quiet(screener: Screener) -> None:
    text = TextField(field=":70:", kind=TextKind.REMITTANCE, text="/ROC/E2E04044506271305")
    assert screen(screener, pacs008(texts=[text])).flags == []


def test_the_goods_description_of_a_flat_row_is_scanned(screener: Screener) -> None:
    tx = build_transaction(
        {"tx_id": "G", "currency": "USD", "goods_description": "spares for MAHAN AIR fleet"}
    )
    [flag] = screen(screener, tx).flags
    assert (flag.rule, flag.evidence["field"], flag.evidence["entry_id"]) == (
        TEXT_SANCTIONS_HIT,
        "goods_description",
        "12927",
    )


# -- transparency ----------------------------------------------------------------------------


def test_a_stripped_originator_asks_for_review(screener: Screener) -> None:
    stripped = party(PartyRole.DEBTOR, "/NOTPROVIDED")
    result = screen(screener, pacs008(parties=[stripped, CREDITOR]))
    [flag] = result.flags
    assert (flag.rule, flag.severity) == (PAYMENT_TRANSPARENCY, Severity.HIGH)
    assert (flag.evidence["issue"], flag.evidence["field"], flag.evidence["value"]) == (
        "placeholder",
        f"{TX}/Dbtr/Nm",
        "/NOTPROVIDED",
    )
    assert (result.decision, result.risk_score) == (TxOutcome.REVIEW, 50)


def test_a_missing_beneficiary_is_named_where_it_belongs(screener: Screener) -> None:
    mx = screen(screener, pacs008(parties=[DEBTOR]))
    mt = screen(screener, pacs008(message_type="MT103", parties=[]))
    assert [(f.evidence["issue"], f.evidence["field"]) for f in mx.flags] == [
        ("missing", f"{TX}/Cdtr")
    ]
    assert [(f.evidence["side"], f.evidence["field"]) for f in mt.flags] == [
        ("originator", ":50a:"),
        ("beneficiary", ":59a:"),
    ]


def test_a_cover_payment_without_underlying_customers_asks_for_review(
    screener: Screener,
) -> None:
    bank = Participant(role="debtor", bic="CLYDGB2S", locations={"bic": f"{TX}/Dbtr/FinInstnId"})
    cov = pacs008(message_type="pacs.009.001.11", cover=True, parties=[bank])
    [flag] = screen(screener, cov).flags
    assert (flag.rule, flag.severity, flag.evidence["issue"]) == (
        PAYMENT_TRANSPARENCY,
        Severity.HIGH,
        "cover without underlying customer",
    )
    assert flag.evidence["missing"] == ["underlying originator", "underlying beneficiary"]
    assert flag.evidence["missing_fields"] == [
        f"{TX}/UndrlygCstmrCdtTrf/Dbtr",
        f"{TX}/UndrlygCstmrCdtTrf/Cdtr",
    ]


def test_a_cover_payment_with_its_customers_is_clear_despite_no_account(
    screener: Screener,
) -> None:
    # As in mt202cov_p.2.3.1.b_AtoB_seqB_50F_59F.fin: "/NOTPROVIDED" stands for the account.
    debtor = Participant(
        role="underlying_debtor",
        name="A Debiter",
        account="/NOTPROVIDED",
        locations={"name": "B/:50F: line 1", "account": "B/:50F:"},
    )
    creditor = Participant(role="underlying_creditor", name="B Creditor Co")
    cov = pacs008(message_type="MT202COV", cover=True, parties=[debtor, creditor], uetr=None)
    assert screen(screener, cov).flags == []
    # The same cover payment with a withheld underlying creditor name is flagged.
    withheld = creditor.model_copy(update={"name": "UNKNOWN", "locations": {"name": "B/:59:"}})
    [flag] = screen(screener, cov.model_copy(update={"parties": [debtor, withheld]})).flags
    assert (flag.severity, flag.evidence["side"], flag.evidence["field"]) == (
        Severity.HIGH,
        "underlying beneficiary",
        "B/:59:",
    )


def test_a_plain_bank_transfer_is_not_checked(screener: Screener) -> None:
    assert screen(screener, pacs008(message_type="MT202", parties=[])).flags == []


@pytest.mark.parametrize(
    ("text", "placeholder"),
    [
        ("NOTPROVIDED", True),
        ("/NOTPROVIDED", True),
        ("Not Provided", True),
        ("UNKNOWN UNKNOWN", True),
        ("N/A", True),
        ("XXX", True),
        ("xxxx xx", True),
        ("-", True),
        ("12345", True),
        ("Unknown Pleasures Ltd", False),
        ("A Debiter", False),
        ("Nina Xu", False),
        (None, False),
    ],
)
def test_placeholders(text: str | None, placeholder: bool) -> None:
    assert is_placeholder(text) is placeholder


# -- binding and IBANs -----------------------------------------------------------------------


def test_a_message_agent_bic_and_iban_give_an_eu_nexus(screener: Screener) -> None:
    by_bic = pacs008(currency="GBP", agents=[agent(AgentRole.CREDITOR_AGENT, "COBADEFFXXX")])
    assert RuleContext(by_bic, screener, PRESETS["uk_bank"]).binding["eu_fsf"] == "EU nexus: DE"
    payee = party(PartyRole.CREDITOR, "Hans Weber", account="DE89370400440532013000")
    by_iban = pacs008(currency="GBP", parties=[DEBTOR, payee])
    assert RuleContext(by_iban, screener, PRESETS["uk_bank"]).binding["eu_fsf"] == "EU nexus: DE"
    clean = pacs008(currency="GBP")
    assert "eu_fsf" not in RuleContext(clean, screener, PRESETS["uk_bank"]).binding


@pytest.mark.parametrize(
    ("account", "country"),
    [
        ("DE89370400440532013000", "DE"),
        ("GB29 NWBK 6016 1331 9268 19", "GB"),
        ("/BY13NBRB3600900000002Z00AB00", "BY"),
        ("DE89370400440532013001", None),  # checksum off by one
        ("12345678", None),
        ("/NOTPROVIDED", None),
        (None, None),
    ],
)
def test_iban_country(account: str | None, country: str | None) -> None:
    assert iban_country(account) == country


# -- the real samples ------------------------------------------------------------------------

SAMPLES = Path(__file__).resolve().parents[5] / "shared" / "data" / "payments"


def test_every_real_sample_is_clear(screener: Screener) -> None:
    # 23 ISO 20022 files with one CdtTrfTxInf each (grep -o '<[a-zA-Z0-9:]*CdtTrfTxInf[ >]'),
    # 32 MT messages (grep -o '{2:[IO]': 16 .fin files, 3 + 13 in the two RJE files). None
    # names a listed party, bank or sanctioned place, and every customer transfer has its
    # originator and beneficiary, so no rule may fire: a flag here is a false positive.
    files = sorted((SAMPLES / "mx").glob("*.xml")) + sorted((SAMPLES / "mt").glob("*.*"))
    screened = 0
    for path in files:
        for message in read_payments(path):
            assert message.transaction is not None, (path.name, message.error)
            result = screen(screener, message.transaction)
            assert result.flags == [], (path.name, message.index, result.flags)
            screened += 1
    assert screened == 55


# -- every flag names its field --------------------------------------------------------------


def test_every_flag_of_the_injected_cases_names_its_field(screener: Screener) -> None:
    # The injected cases of the interface tests (support.CASES: a listed creditor, a listed
    # BIC, an occupied-region address, a listed name in remittance text, a stripped
    # originator), each in the pacs.008 and the MT103 sample, read as a bank would send them.
    seen: set[str] = set()
    for label, (rule_id, _, edit_mx, edit_mt) in CASES.items():
        for sample, edit in ((PACS008, edit_mx), (MT103, edit_mt)):
            [message] = read_payment_bytes(edit(sample_text(sample)).encode(), label)
            assert message.transaction is not None, (label, message.error)
            flags = screen(screener, message.transaction).flags
            assert rule_id in {flag.rule for flag in flags}, (label, sample.name)
            for flag in flags:
                field = flag.evidence.get("field")
                assert isinstance(field, str) and field.strip(), (label, flag)
                seen.add(flag.rule)
    # Every payment rule fired somewhere, so none went unchecked.
    assert seen >= {
        PARTY_SANCTIONS_HIT,
        AGENT_SANCTIONS_HIT,
        TEXT_SANCTIONS_HIT,
        SANCTIONED_JURISDICTION,
        PAYMENT_TRANSPARENCY,
    }


def test_a_jurisdiction_found_in_several_fields_names_the_first(screener: Screener) -> None:
    creditor = party(
        PartyRole.CREDITOR,
        "Black Sea Traders",
        address=Address(lines=["12 Lenina St", "Simferopol"]),
    )
    texts = [TextField(field=f"{TX}/RmtInf/Ustrd[0]", kind=TextKind.REMITTANCE, text="CRIMEA")]
    [place] = only(
        screen(screener, pacs008(parties=[DEBTOR, creditor], texts=texts)),
        SANCTIONED_JURISDICTION,
    )
    assert place.evidence["found_in"] == [f"{TX}/Cdtr/PstlAdr", f"{TX}/RmtInf/Ustrd[0]"]
    assert place.evidence["field"] == f"{TX}/Cdtr/PstlAdr"
