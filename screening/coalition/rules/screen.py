"""Screen one transaction: run every registered rule and compose the outcome and risk score."""

from __future__ import annotations

from pydantic import BaseModel, Field

from screening.coalition.profiles import InstitutionProfile
from screening.coalition.rules.context import PartyScreener, RuleContext
from screening.coalition.rules.registry import RULES, Flag, TxOutcome, decide
from screening.coalition.transactions import Transaction
from screening.matching.results import ListVersionRef, Thresholds


class TxResult(BaseModel):
    """One screened transaction; ``decision`` is its outcome (the JSON name is kept)."""

    tx_id: str
    decision: TxOutcome
    risk_score: int = Field(ge=0, le=100)
    flags: list[Flag]
    list_versions: list[ListVersionRef] = Field(default_factory=list)


def screen_transaction(
    tx: Transaction,
    screener: PartyScreener,
    profile: InstitutionProfile,
    thresholds: Thresholds | None = None,
    lists: list[str] | None = None,
) -> TxResult:
    """Run every rule; raises ValueError only for a value the screener rejects.

    `lists` restricts party screening to these sources or datasets (default: every list).
    """
    ctx = RuleContext(tx, screener, profile, thresholds, lists)
    flags = [flag for registered in RULES.values() for flag in registered.check(tx, ctx)]
    outcome, score = decide(flags)
    return TxResult(
        tx_id=tx.tx_id,
        decision=outcome,
        risk_score=score,
        flags=flags,
        list_versions=ctx.list_versions,
    )
