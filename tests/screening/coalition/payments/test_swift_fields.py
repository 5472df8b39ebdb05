"""Decoding single MT fields: structured 50F/59F, option A/B/C/D, the name rule, field 72, 32A."""

from __future__ import annotations

from decimal import Decimal

import pytest

from screening.coalition.participants import Address, Participant, PartyIdentifier
from screening.coalition.payments.swift_fields import (
    FieldError,
    MtField,
    currency_amount,
    instructing_institutions,
    join_name,
    participant,
    split_name,
    value_date_amount,
)


def field(tag: str, *lines: str, sequence: str = "") -> MtField:
    return MtField(tag, lines, 100, sequence)


def test_50f_every_numbered_line() -> None:
    full = field(
        "50F",
        "CUST/GB/COMPANIESHOUSE/12345",
        "1/JOHN",
        "1/SMITH",
        "2/1 HIGH STREET",
        "3/GB/LONDON",
        "4/19700131",
        "5/GB/LEEDS",
        "7/GB/AB123456",
        "8/C",
    )
    assert participant(full, "debtor") == Participant(
        role="debtor",
        name="JOHN SMITH",
        address=Address(lines=["1 HIGH STREET"], town="LONDON", country="GB"),
        country="GB",
        birth_date="1970-01-31",
        birth_place="LEEDS, GB",
        identifiers=[
            PartyIdentifier(kind="customer", value="12345", issuer="GB/COMPANIESHOUSE"),
            PartyIdentifier(kind="national_id", value="AB123456C", issuer="GB"),
        ],
        locations={
            "party": ":50F:",
            "name": ":50F: lines 2-3",
            "address": ":50F: lines 4-5",
            "country": ":50F: line 5",
            "birth": ":50F: lines 6-7",
            "identifiers": ":50F: lines 1-9",
        },
    )


def test_50f_customer_number_line_6_and_town_continued() -> None:
    party = participant(
        field(
            "50F",
            "/DE44500105175407324931",
            "1/ACME",
            "3/DE/FRANKFURT",
            "3/AM MAIN",
            "6/DE/BANK/99",
        ),
        "debtor",
    )
    assert party.account == "DE44500105175407324931"
    assert party.address == Address(town="FRANKFURT AM MAIN", country="DE")
    assert party.identifiers == [PartyIdentifier(kind="customer", value="99", issuer="DE/BANK")]


def test_a_full_name_line_wraps_without_a_space() -> None:
    first = "1/" + "A" * 33
    assert participant(field("59F", first, "1/BC LTD"), "creditor").name == "A" * 33 + "BC LTD"
    assert join_name(["X" * 35, "YZ"]) == "X" * 35 + "YZ"
    assert join_name(["ACME", "CO LTD"]) == "ACME CO LTD"


def test_split_name_rule() -> None:
    assert split_name(["RASA ENGINEERING SERVICES (PVT) L", "NO 852-60"]) == 1
    assert split_name(["KATAYAMA CHAIN THAILAND", "CO LTD", "BANGKOK"]) == 2
    assert split_name(["ACME TRADING LTD", "HOLDINGS LTD"]) == 1  # the name already ended
    assert split_name(["X" * 35, "YZ TRADING", "1 MAIN ST"]) == 2
    assert split_name(["X" * 35, "12 MAIN ST"]) == 1  # a street number is not the name
    assert split_name(["ACME", "SRI LANKA"]) == 1


def test_options_b_c_and_d() -> None:
    assert participant(field("57B", "/C/12345", "LONDON"), "creditor_agent") == Participant(
        role="creditor_agent",
        account="12345",
        address=Address(lines=["LONDON"]),
        locations={"party": ":57B:", "account": ":57B: line 1", "address": ":57B: line 2"},
    )
    clearing = participant(field("56C", "//FW021000018"), "intermediary_agent_1")
    assert clearing.identifiers == [PartyIdentifier(kind="clearing_code", value="FW021000018")]
    bank = participant(field("52D", "EXAMPLE BANK", "1 BANK STREET"), "debtor_agent")
    assert (bank.name, bank.address) == ("EXAMPLE BANK", Address(lines=["1 BANK STREET"]))
    assert bank.locations["name"] == ":52D: line 1"


def test_locations_in_sequence_b() -> None:
    seq_b = field("59F", "/1", "1/A", "2/B", sequence="B")
    assert seq_b.where() == "B/:59F:"
    assert seq_b.where(2, 3) == "B/:59F: lines 2-3"
    assert participant(seq_b, "underlying_creditor").locations["name"] == "B/:59F: line 2"


@pytest.mark.parametrize(
    ("mt_field", "message"),
    [
        (field("57A", "/123"), ":57A: line 2 needs one BIC line after the optional account"),
        (field("57A", "NOT A BIC"), ":57A: line 1 'NOT A BIC' is not a BIC"),
        (field("57C", "/123", "EXTRA"), ":57C: line 2 option C has only the party-identifier line"),
        (field("59", "/123"), ":59: line 2 has no name"),
        (
            field("50F", "XXXX/GB/1", "1/A"),
            ":50F: line 1 'XXXX/GB/1' is neither /account nor CODE/country/identifier",
        ),
        (field("50F", "/1", "NAME"), ":50F: line 2 'NAME' is not a numbered line (1/ to 8/)"),
        (field("50F", "/1", "2/STREET"), ":50F: has no name line (1/)"),
        (
            field("50F", "1/A", "4/19701301"),
            ":50F: line 2 '19701301' is not a date of birth (YYYYMMDD)",
        ),
        (field("50F", "1/A", "6/GB/123"), ":50F: line 2 6/ needs country/issuer/number"),
        (
            field("50F", "1/A", "8/MORE"),
            ":50F: line 2 8/ continues an identifier but none precedes it",
        ),
        (field("59F", "1/A", "3/ZZ/TOWN"), ":59F: line 2 'ZZ' is not an ISO country code"),
    ],
)
def test_malformed_fields_raise_field_error(mt_field: MtField, message: str) -> None:
    with pytest.raises(FieldError) as caught:
        participant(mt_field, "debtor")
    assert str(caught.value) == message


def test_field_72_instructing_institutions() -> None:
    entries = instructing_institutions(
        field(
            "72", "/INS/ABNANL2A", "/ACC/PAY BY CHEQUE", "//QUICKLY", "/INS/SOME BANK", "//LONDON"
        )
    )
    assert [(e.bic, e.name, e.address, e.first, e.last) for e in entries] == [
        ("ABNANL2A", None, [], 1, 1),
        (None, "SOME BANK", ["LONDON"], 4, 5),
    ]


def test_amount_fields() -> None:
    assert value_date_amount(field("32A", "240229USD1234,5")) == (
        "2024-02-29",
        "USD",
        Decimal("1234.5"),
    )
    assert currency_amount(field("33B", "EUR100,")) == ("EUR", Decimal("100"))
    with pytest.raises(FieldError, match="not date"):
        value_date_amount(field("32A", "240229USD1234.50"))
    with pytest.raises(FieldError, match="not a currency"):
        currency_amount(field("33B", "EUR"))
