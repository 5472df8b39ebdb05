"""The rule registry: rule ids, severities, flags, and the outcome and risk score they compose.

A rule is a function ``(transaction, context) -> list[Flag]`` registered in `RULES` with the
`rule` decorator, together with its id, the highest severity it raises, a one-line doc, its
rationale and the ids of its sources (screening/data/sources.csv: reference/sources.csv, then
the payment-transparency sources the payment rules cite). Rules run, and their flags appear,
in `RULE_ORDER`, whatever order their modules are imported in. `decide` composes a
transaction's flags:

- outcome: ``block`` when any flag is ``critical``; else ``review`` when there is any flag
  (``high``, ``medium`` or ``low``); else ``clear``.
- risk_score (0..100): the points of the most severe flag plus a quarter of the points of
  every other flag, capped at 100, rounded to an integer. Points: critical 80, high 50,
  medium 30, low 15. So a clear transaction scores 0, a single low flag 15, a single high
  flag 50, and any block at least 80; more evidence only ever raises the score.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from screening.coalition.rules.context import RuleContext
from screening.coalition.transactions import Transaction

# -- rule ids --------------------------------------------------------------------------------
# Other code (the workflow's alerts, the docs test) names rules through these constants.

PARTY_SANCTIONS_HIT = "PARTY_SANCTIONS_HIT"
SANCTIONED_JURISDICTION = "SANCTIONED_JURISDICTION"
CHPL_VIA_HUB = "CHPL_VIA_HUB"
CHPL_TO_SANCTIONED = "CHPL_TO_SANCTIONED"
CHPL_CORE_VIA_PIVOT = "CHPL_CORE_VIA_PIVOT"
HUB_DESTINATION_RUSSIAN_END_USER = "HUB_DESTINATION_RUSSIAN_END_USER"
# Payment messages (screening.coalition.payments): agent banks, free text, transparency.
AGENT_SANCTIONS_HIT = "AGENT_SANCTIONS_HIT"
TEXT_SANCTIONS_HIT = "TEXT_SANCTIONS_HIT"
PAYMENT_TRANSPARENCY = "PAYMENT_TRANSPARENCY"

# The order rules run in, hence the order of a result's flags (kept stable for the outputs).
RULE_ORDER: tuple[str, ...] = (
    PARTY_SANCTIONS_HIT,
    AGENT_SANCTIONS_HIT,
    TEXT_SANCTIONS_HIT,
    SANCTIONED_JURISDICTION,
    CHPL_VIA_HUB,
    CHPL_TO_SANCTIONED,
    CHPL_CORE_VIA_PIVOT,
    HUB_DESTINATION_RUSSIAN_END_USER,
    PAYMENT_TRANSPARENCY,
)

# -- severities and the outcome --------------------------------------------------------------


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class TxOutcome(StrEnum):
    """What happens to a transaction (its JSON field is still called ``decision``)."""

    BLOCK = "block"
    REVIEW = "review"
    CLEAR = "clear"


SEVERITY_POINTS: dict[Severity, int] = {
    Severity.CRITICAL: 80,
    Severity.HIGH: 50,
    Severity.MEDIUM: 30,
    Severity.LOW: 15,
}
_ORDER = [Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL]
# Flags after the most severe one add this share of their points.
FURTHER_FLAG_SHARE = 0.25


def step_down(severity: Severity) -> Severity:
    """One level lower, never below low."""
    return _ORDER[max(0, _ORDER.index(severity) - 1)]


def most_severe(severities: Iterable[Severity]) -> Severity:
    return max(severities, key=_ORDER.index)


class Flag(BaseModel):
    """One finding: which rule, how severe, what it saw, and whether the list binds."""

    rule: str
    severity: Severity
    message: str
    evidence: dict[str, Any]
    binding: bool | None = Field(
        default=None, description="list hits: does the list bind the institution; else None"
    )

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "binding": self.binding,
            "evidence": self.evidence,
        }


def decide(flags: Iterable[Flag]) -> tuple[TxOutcome, int]:
    """The outcome and risk score for a transaction's flags (module docstring)."""
    flags = list(flags)
    if not flags:
        return TxOutcome.CLEAR, 0
    points = sorted((SEVERITY_POINTS[flag.severity] for flag in flags), reverse=True)
    score = min(100, round(points[0] + FURTHER_FLAG_SHARE * sum(points[1:])))
    if any(flag.severity is Severity.CRITICAL for flag in flags):
        return TxOutcome.BLOCK, score
    return TxOutcome.REVIEW, score


# -- registry --------------------------------------------------------------------------------

RuleCheck = Callable[[Transaction, RuleContext], list[Flag]]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity  # the highest it raises; the doc says how it grades
    doc: str
    rationale: str
    sources: tuple[str, ...]
    check: RuleCheck


RULES: dict[str, Rule] = {}


def rule(
    rule_id: str, severity: Severity, doc: str, rationale: str, sources: tuple[str, ...]
) -> Callable[[RuleCheck], RuleCheck]:
    """Register the decorated check under `rule_id`, which must be declared in `RULE_ORDER`."""

    def register(check: RuleCheck) -> RuleCheck:
        if rule_id not in RULE_ORDER:
            raise ValueError(f"rule {rule_id} is not declared in RULE_ORDER")
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} registered twice")
        RULES[rule_id] = Rule(rule_id, severity, doc, rationale, sources, check)
        ordered = sorted(RULES.values(), key=lambda registered: RULE_ORDER.index(registered.id))
        RULES.clear()
        RULES.update((registered.id, registered) for registered in ordered)
        return check

    return register
