"""Transparency rule (FATF Recommendation 16, Wolfsberg): who pays whom must be in the message.

Runs on payment messages only (`Transaction.message_type` set); a flat CSV row is not a
payment message and is left alone.

- **Customer credit transfers** (pacs.008, pain.001, MT103): the originator (debtor) and the
  beneficiary (creditor) must be there and named. A party counts as identified by a name that
  is not a placeholder, or by a BIC or LEI (an organisation identified by its identifier).
- **Cover payments** (pacs.009 COV, MT202COV/MT205COV): the underlying customer credit
  transfer's debtor and creditor must be there and named (same test). Plain bank-to-bank
  transfers (pacs.009, MT202, MT205 without COV) carry no customer and are not checked: R.16
  leaves transfers between institutions on their own behalf out of scope.
- **Placeholders** (`PLACEHOLDER_NAMES`): a name made only of such words (``NOTPROVIDED``,
  ``/NOTPROVIDED``, ``UNKNOWN``, ``N/A``, ``XXX``...) or with no letter at all is a name
  withheld, not a name.
- **Accounts** are not checked: R.16 accepts a unique transaction reference instead of an
  account number, and every MT (field 20) and ISO 20022 message (MsgId, EndToEndId, UETR)
  carries one, so ``/NOTPROVIDED`` as an account (CBPR+ MT202COV samples) is no finding.

Grading: a missing or placeholder originator/beneficiary and a cover payment without its
underlying customers are high (review: R.16 asks for risk-based handling, such as asking the
sending bank, rejecting or suspending, not an automatic block).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from screening.coalition.participants import Participant, PartyRole
from screening.coalition.rules.context import RuleContext
from screening.coalition.rules.registry import PAYMENT_TRANSPARENCY, Flag, Severity, rule
from screening.coalition.transactions import Transaction

# Values that stand for a withheld name, compared upper-case with punctuation and spaces
# removed ("N/A" -> "NA", "/NOTPROVIDED" and "Not provided" -> "NOTPROVIDED"), or word by word
# ("UNKNOWN UNKNOWN"). A name made only of these is implausible, while "Unknown Pleasures Ltd"
# still has a real word and passes.
PLACEHOLDER_NAMES = frozenset(
    {"NOTPROVIDED", "NOTAVAILABLE", "NOTAPPLICABLE", "NOTGIVEN", "NOTKNOWN", "UNKNOWN"}
    | {"NA", "NONE", "NIL", "NULL", "TBA", "TBD", "UNDISCLOSED", "UNSPECIFIED", "WITHHELD"}
    | {"NAME", "CUSTOMER", "BENEFICIARY", "ORIGINATOR", "DEBTOR", "CREDITOR"}
)
_ONLY_X = re.compile(r"X{2,}")
_TOKEN = re.compile(r"[^\W_]+")

# Message types that carry a customer credit transfer (prefixes of `Transaction.message_type`).
CUSTOMER_TRANSFERS = ("pacs.008", "pain.001", "MT103")


def is_placeholder(text: str | None) -> bool:
    """Whether a value is a withheld value rather than content (module docstring)."""
    if text is None:
        return False
    if not any(char.isalpha() for char in text):
        return True  # "-", "...", "0000": no name at all
    tokens = _TOKEN.findall(text.upper())
    if "".join(tokens) in PLACEHOLDER_NAMES:
        return True
    return all(token in PLACEHOLDER_NAMES or _ONLY_X.fullmatch(token) for token in tokens)


@dataclass(frozen=True, slots=True)
class Side:
    """The originator or the beneficiary side: the roles that fill it, where it is expected."""

    label: str
    roles: frozenset[PartyRole]
    mx_field: str
    mt_field: str


ORIGINATOR = Side(
    "originator", frozenset({PartyRole.ORIGINATOR, PartyRole.DEBTOR}), "Dbtr", ":50a:"
)
BENEFICIARY = Side(
    "beneficiary", frozenset({PartyRole.BENEFICIARY, PartyRole.CREDITOR}), "Cdtr", ":59a:"
)
UNDERLYING_ORIGINATOR = Side(
    "underlying originator",
    frozenset({PartyRole.UNDERLYING_DEBTOR}),
    "UndrlygCstmrCdtTrf/Dbtr",
    "B/:50a:",
)
UNDERLYING_BENEFICIARY = Side(
    "underlying beneficiary",
    frozenset({PartyRole.UNDERLYING_CREDITOR}),
    "UndrlygCstmrCdtTrf/Cdtr",
    "B/:59a:",
)


def _expected_field(tx: Transaction, side: Side) -> str:
    """Where the missing party belongs, in the message's own notation."""
    if (tx.message_type or "").upper().startswith("MT"):
        return side.mt_field
    # The transaction's own prefix (CdtTrfTxInf[2]/), taken from any participant it has.
    for participant in (*tx.parties, *tx.agents):
        for location in participant.locations.values():
            if location.startswith("CdtTrfTxInf["):
                return f"{location.split('/', 1)[0]}/{side.mx_field}"
    return side.mx_field


def _identified(party: Participant) -> bool:
    named = bool(party.name) and not is_placeholder(party.name)
    return named or bool(party.bic) or bool(party.lei)


def _flag(severity: Severity, message: str, **evidence: object) -> Flag:
    return Flag(rule=PAYMENT_TRANSPARENCY, severity=severity, message=message, evidence=evidence)


def _side_flags(tx: Transaction, side: Side) -> Iterator[Flag]:
    parties = [party for party in tx.all_parties() if party.role in side.roles]
    if not parties:
        field = _expected_field(tx, side)
        message = f"{side.label} missing ({field})"
        yield _flag(Severity.HIGH, message, issue="missing", side=side.label, field=field)
    for party in parties:
        if not _identified(party):
            field = party.location("name")
            issue = "placeholder" if party.name else "no name"
            message = f"{side.label} {party.role} {issue}: {party.name!r} ({field})"
            yield _flag(
                Severity.HIGH,
                message,
                issue=issue,
                side=side.label,
                field=field,
                value=party.name,
                role=party.role,
            )


@rule(
    PAYMENT_TRANSPARENCY,
    Severity.HIGH,
    "A payment message without its originator or beneficiary, with a placeholder instead of "
    "a name (NOTPROVIDED, UNKNOWN, N/A, XXX), or a cover payment without its underlying "
    "customer information.",
    "FATF Recommendation 16 requires the originator's and beneficiary's names (and account or "
    "a unique reference) to travel with every wire transfer and asks intermediary and "
    "beneficiary institutions to detect transfers lacking them and handle them risk-based; "
    "the Basel Committee and Wolfsberg ask cover intermediaries to check that the customer "
    "fields are not blank or meaningless. Missing information asks for review, not a block.",
    ("FATF_R16", "WOLFSBERG_PTS_2023", "BCBS_COVER_2009"),
)
def payment_transparency(tx: Transaction, ctx: RuleContext) -> list[Flag]:
    message_type = tx.message_type
    if not message_type:
        return []
    flags: list[Flag] = []
    if message_type.startswith(CUSTOMER_TRANSFERS):
        for side in (ORIGINATOR, BENEFICIARY):
            flags.extend(_side_flags(tx, side))
    if tx.cover:
        underlying = (UNDERLYING_ORIGINATOR, UNDERLYING_BENEFICIARY)
        missing = [s for s in underlying if not any(p.role in s.roles for p in tx.parties)]
        if missing:
            fields = [_expected_field(tx, side) for side in missing]
            flags.append(
                _flag(
                    Severity.HIGH,
                    "cover payment without its underlying customer information: "
                    + ", ".join(f"{s.label} ({f})" for s, f in zip(missing, fields, strict=True)),
                    issue="cover without underlying customer",
                    field=fields[0],
                    missing=[side.label for side in missing],
                    missing_fields=fields,
                )
            )
        for side in underlying:
            if side not in missing:
                flags.extend(_side_flags(tx, side))
    return flags
