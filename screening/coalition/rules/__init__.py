"""Transaction rules: explained flags, one outcome and one risk score per transaction.

Importing this package registers every rule. Modules:

- `registry`: rule ids, `Severity`, `Flag`, the `Rule` record, `RULES`, the `rule` decorator,
  and `decide` (outcome block/review/clear and risk score 0..100 from the flags).
- `context`: `RuleContext`, what the rules share for one transaction (screener, profile,
  cached CHPL verdicts and binding lists), and the places each party or agent names.
- one module per rule family: `parties` (PARTY_SANCTIONS_HIT), `agents` (AGENT_SANCTIONS_HIT:
  agent banks by BIC and name), `texts` (TEXT_SANCTIONS_HIT: names and identifiers inside free
  text), `jurisdictions` (SANCTIONED_JURISDICTION), `goods` (CHPL_VIA_HUB, CHPL_TO_SANCTIONED,
  CHPL_CORE_VIA_PIVOT), `end_use` (HUB_DESTINATION_RUSSIAN_END_USER), `transparency`
  (PAYMENT_TRANSPARENCY: FATF R.16 on payment messages).
- `screen`: `screen_transaction` runs every registered rule; `TxResult`.

docs/rules.md documents every rule. Rules are risk signals, not legal determinations: a CHPL
code raises diligence but does not by itself mean a licence is needed, and a transshipment hub
is named by the authorities as a diversion route, not as a wrongdoer (reference/README.md).

Vocabulary: a name screening's `Decision` is match/review/clear; a transaction's `TxOutcome`
is block/review/clear; an analyst's `Disposition` (workflow) decides an alert.
"""

from __future__ import annotations

# The family modules register their rules when imported; registry.RULE_ORDER fixes the order.
from screening.coalition.rules import (
    agents,
    end_use,
    goods,
    jurisdictions,
    parties,
    texts,
    transparency,
)
from screening.coalition.rules.context import PartyScreener, RuleContext
from screening.coalition.rules.registry import (
    AGENT_SANCTIONS_HIT,
    CHPL_CORE_VIA_PIVOT,
    CHPL_TO_SANCTIONED,
    CHPL_VIA_HUB,
    FURTHER_FLAG_SHARE,
    HUB_DESTINATION_RUSSIAN_END_USER,
    PARTY_SANCTIONS_HIT,
    PAYMENT_TRANSPARENCY,
    RULE_ORDER,
    RULES,
    SANCTIONED_JURISDICTION,
    SEVERITY_POINTS,
    TEXT_SANCTIONS_HIT,
    Flag,
    Rule,
    RuleCheck,
    Severity,
    TxOutcome,
    decide,
    rule,
)
from screening.coalition.rules.screen import TxResult, screen_transaction

__all__ = [
    "AGENT_SANCTIONS_HIT",
    "CHPL_CORE_VIA_PIVOT",
    "CHPL_TO_SANCTIONED",
    "CHPL_VIA_HUB",
    "FURTHER_FLAG_SHARE",
    "HUB_DESTINATION_RUSSIAN_END_USER",
    "PARTY_SANCTIONS_HIT",
    "PAYMENT_TRANSPARENCY",
    "RULES",
    "RULE_ORDER",
    "SANCTIONED_JURISDICTION",
    "SEVERITY_POINTS",
    "TEXT_SANCTIONS_HIT",
    "Flag",
    "PartyScreener",
    "Rule",
    "RuleCheck",
    "RuleContext",
    "Severity",
    "TxOutcome",
    "TxResult",
    "agents",
    "decide",
    "end_use",
    "goods",
    "jurisdictions",
    "parties",
    "rule",
    "screen_transaction",
    "texts",
    "transparency",
]
