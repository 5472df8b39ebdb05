"""The parties, agent banks and free texts of a payment, each with the message field it came from.

A flat transaction row (`screening.coalition.transactions`) names an originator, a beneficiary,
an end user and some BICs. A payment message says much more: debtor and creditor, ultimate
parties, the initiating party, the underlying customer parties of a cover payment, up to nine
agent banks in named roles, structured and unstructured addresses, accounts and free text.
This module is that richer shape, shared by the ISO 20022 and SWIFT MT readers
(`screening.coalition.payments`) and the rules that screen it.

Every value keeps where it came from (`Participant.locations`, `TextField.field`): an XPath-like
path for ISO 20022 (``CdtTrfTxInf[0]/Cdtr/Nm``) or the MT tag and line (``:59F: line 1``), so a
flag can name the field an analyst has to look at.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class PartyRole(StrEnum):
    """Roles of the (non-bank or bank) parties to a payment.

    ``originator``/``beneficiary``/``end_user`` are the flat CSV columns; the others are the
    ISO 20022 element names (MT: 50a ordering customer = debtor, 59a beneficiary customer =
    creditor, 58a beneficiary institution = creditor of an MT202). ``underlying_*`` are the
    parties of a cover payment's underlying customer credit transfer (pacs.009 COV
    ``UndrlygCstmrCdtTrf``, MT202COV/MT205COV sequence B).
    """

    ORIGINATOR = "originator"
    BENEFICIARY = "beneficiary"
    END_USER = "end_user"
    DEBTOR = "debtor"
    CREDITOR = "creditor"
    ULTIMATE_DEBTOR = "ultimate_debtor"
    ULTIMATE_CREDITOR = "ultimate_creditor"
    INITIATING_PARTY = "initiating_party"
    UNDERLYING_DEBTOR = "underlying_debtor"
    UNDERLYING_CREDITOR = "underlying_creditor"
    UNDERLYING_ULTIMATE_DEBTOR = "underlying_ultimate_debtor"
    UNDERLYING_ULTIMATE_CREDITOR = "underlying_ultimate_creditor"
    UNDERLYING_INITIATING_PARTY = "underlying_initiating_party"


# The roles a transparency check needs to find (originator side, beneficiary side).
ORIGINATOR_ROLES = frozenset({PartyRole.ORIGINATOR, PartyRole.DEBTOR, PartyRole.UNDERLYING_DEBTOR})
BENEFICIARY_ROLES = frozenset(
    {PartyRole.BENEFICIARY, PartyRole.CREDITOR, PartyRole.UNDERLYING_CREDITOR}
)


class AgentRole(StrEnum):
    """Roles of the banks that carry a payment (ISO 20022 names; MT fields in brackets).

    MT mapping: block 1/2 sender/receiver; 52a ordering institution = debtor agent; 53a
    sender's correspondent and 54a receiver's correspondent = instructing/instructed
    reimbursement agents; 55a third reimbursement institution; 56a intermediary = intermediary
    agent 1; 57a account with institution = creditor agent.
    """

    ORIGINATOR_BANK = "originator_bank"  # flat CSV: originator_bic
    BENEFICIARY_BANK = "beneficiary_bank"  # flat CSV: beneficiary_bic
    INTERMEDIARY = "intermediary"  # flat CSV: intermediary_bics
    SENDER = "sender"
    RECEIVER = "receiver"
    INSTRUCTING_AGENT = "instructing_agent"
    INSTRUCTED_AGENT = "instructed_agent"
    DEBTOR_AGENT = "debtor_agent"
    CREDITOR_AGENT = "creditor_agent"
    INTERMEDIARY_AGENT_1 = "intermediary_agent_1"
    INTERMEDIARY_AGENT_2 = "intermediary_agent_2"
    INTERMEDIARY_AGENT_3 = "intermediary_agent_3"
    PREVIOUS_INSTRUCTING_AGENT_1 = "previous_instructing_agent_1"
    PREVIOUS_INSTRUCTING_AGENT_2 = "previous_instructing_agent_2"
    PREVIOUS_INSTRUCTING_AGENT_3 = "previous_instructing_agent_3"
    INSTRUCTING_REIMBURSEMENT_AGENT = "instructing_reimbursement_agent"
    INSTRUCTED_REIMBURSEMENT_AGENT = "instructed_reimbursement_agent"
    THIRD_REIMBURSEMENT_AGENT = "third_reimbursement_agent"
    # The agents of a cover payment's underlying customer credit transfer.
    UNDERLYING_DEBTOR_AGENT = "underlying_debtor_agent"
    UNDERLYING_CREDITOR_AGENT = "underlying_creditor_agent"
    UNDERLYING_INTERMEDIARY_AGENT = "underlying_intermediary_agent"
    UNDERLYING_PREVIOUS_INSTRUCTING_AGENT = "underlying_previous_instructing_agent"


class TextKind(StrEnum):
    """What a free-text field is for."""

    REMITTANCE = "remittance"  # RmtInf/Ustrd, MT :70:
    INSTRUCTION = "instruction"  # InstrForCdtrAgt/InstrForNxtAgt, MT :72:
    REGULATORY = "regulatory"  # RgltryRptg, MT :77B:
    PURPOSE = "purpose"  # Purp, CtgyPurp
    OTHER = "other"


class Address(BaseModel):
    """A postal address: structured parts, unstructured lines, or both (a hybrid address)."""

    model_config = ConfigDict(frozen=True)

    lines: list[str] = Field(default_factory=list)
    street: str | None = None
    building: str | None = None
    post_code: str | None = None
    town: str | None = None
    subdivision: str | None = None
    country: str | None = None  # ISO alpha-2 as given by the message (validated by readers)

    def text(self) -> str:
        """Every part of the address in one line, for the place search."""
        parts = [
            *self.lines,
            self.street,
            self.building,
            self.post_code,
            self.town,
            self.subdivision,
        ]
        return ", ".join(part for part in parts if part)


class PartyIdentifier(BaseModel):
    """An identifier of a party: ``kind`` such as ``passport``, ``national_id``, ``lei``,
    ``customer``, ``tax_id``, ``bic`` or the message's own scheme code; ``issuer`` (often a
    country) when the message gives one."""

    model_config = ConfigDict(frozen=True)

    kind: str
    value: str
    issuer: str | None = None


class Participant(BaseModel):
    """One party or agent of a payment.

    ``role`` is a `PartyRole` or `AgentRole` value. ``name`` is the whole name, already joined
    when the message spreads it over several lines (MT 4x35) or lets it overflow into an
    address line. ``bic`` is upper case without spaces, 8 or 11 characters as given.
    ``country`` is the party's country as ISO alpha-2 (address country, else the country of
    residence); an account's country (IBAN) stays with the account. ``locations`` maps an
    attribute name (``name``, ``bic``, ``address``, ``account``, ``country``, ``birth``,
    ``identifiers``) to the field it came from.
    """

    model_config = ConfigDict(frozen=True)

    role: str
    name: str | None = None
    bic: str | None = None
    lei: str | None = None
    account: str | None = None
    address: Address | None = None
    country: str | None = None
    birth_date: str | None = None  # ISO date as given (YYYY-MM-DD)
    birth_place: str | None = None  # "town, country" as given
    identifiers: list[PartyIdentifier] = Field(default_factory=list)
    locations: dict[str, str] = Field(default_factory=dict)

    def location(self, attribute: str) -> str:
        """Where `attribute` came from; the participant's own location if not recorded."""
        return self.locations.get(attribute) or self.locations.get("party", self.role)


class TextField(BaseModel):
    """A free-text field of a message (remittance information, instructions …)."""

    model_config = ConfigDict(frozen=True)

    field: str
    kind: TextKind
    text: str
