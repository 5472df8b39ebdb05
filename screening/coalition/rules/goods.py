"""Goods rules: Common High Priority List (CHPL) items via a hub, to a sanctioned jurisdiction,
or from the coalition core through a peripheral pivot.

A CHPL code raises diligence but does not by itself mean a licence is needed; a transshipment
hub is named by the authorities as a diversion route, not as a wrongdoer.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from screening.coalition.goods import TIER_RANK, HsVerdict, HsVerdictKind
from screening.coalition.jurisdictions import Role
from screening.coalition.rules.context import RuleContext, has_role, places_evidence
from screening.coalition.rules.jurisdictions import code_exposure
from screening.coalition.rules.registry import (
    CHPL_CORE_VIA_PIVOT,
    CHPL_TO_SANCTIONED,
    CHPL_VIA_HUB,
    Flag,
    Severity,
    most_severe,
    rule,
    step_down,
)
from screening.coalition.transactions import Transaction


def tier_severity(verdict: HsVerdict) -> Severity:
    """Tiers 1-2 high, tier 3 medium, tier 4 low; a possible match one step lower."""
    best = min(verdict.tiers, key=TIER_RANK.__getitem__)
    major = best.split(".", 1)[0]
    severity = (
        Severity.HIGH if major in ("1", "2") else Severity.MEDIUM if major == "3" else Severity.LOW
    )
    return severity if verdict.verdict is HsVerdictKind.LISTED else step_down(severity)


def goods_evidence(verdicts: Iterable[HsVerdict]) -> list[dict[str, Any]]:
    """The CHPL verdicts as evidence: code, normalised code, verdict, tiers, CHPL lines."""
    return [
        {
            "code": v.code,
            "normalized": v.normalized,
            "verdict": v.verdict.value,
            "tiers": v.tiers,
            "chpl_codes": [entry.hs_code for entry in v.matches],
        }
        for v in verdicts
    ]


def _codes_text(verdicts: Iterable[HsVerdict]) -> str:
    return ", ".join(f"{v.code} ({v.verdict.value}, tier {'/'.join(v.tiers)})" for v in verdicts)


@rule(
    CHPL_VIA_HUB,
    Severity.HIGH,
    "CHPL goods shipped to or through a transshipment hub; tiers 1-2 high, 3 medium, 4 low, "
    "a possible (heading-level or HS 2017) match one step lower.",
    "BIS and FinCEN name these jurisdictions as common transshipment points for controlled "
    "goods bound for Russia and Belarus; the CHPL items are the ones Russia seeks most "
    "(tiers 1-2 highest). A signal for diligence (end-use statements), not an accusation.",
    ("FINCEN_BIS_2022", "BMGE_2022", "BIS_CHPL_2024", "EU_CHPL_2024", "KELLEYDRYE_BIS_BP"),
)
def chpl_via_hub(tx: Transaction, ctx: RuleContext) -> list[Flag]:
    hubs = [(f, c) for f, c in ctx.route() if has_role(c, Role.TRANSSHIPMENT_HUB)]
    if not ctx.chpl or not hubs:
        return []
    return [
        Flag(
            rule=CHPL_VIA_HUB,
            severity=most_severe(tier_severity(v) for v in ctx.chpl),
            message=f"CHPL goods {_codes_text(ctx.chpl)} via hub "
            + ", ".join(code for _, code in hubs),
            evidence={"goods": goods_evidence(ctx.chpl), "hubs": places_evidence(hubs)},
        )
    ]


@rule(
    CHPL_TO_SANCTIONED,
    Severity.CRITICAL,
    "CHPL goods whose destination or end user is in a sanctioned jurisdiction.",
    "Exporting the high-priority items to Russia, Belarus or another sanctioned jurisdiction "
    "is what the controls prohibit: listed goods to a blocked jurisdiction block; a possible "
    "match, Syria or an occupied region known only by its oblast asks for review.",
    ("BIS_CHPL_2024", "EU_CHPL_2024", "E5_2023", "EAR_746_1", "FR_2023_10774"),
)
def chpl_to_sanctioned(tx: Transaction, ctx: RuleContext) -> list[Flag]:
    places = [
        (name, code)
        for name in ("destination_country", "end_user_country")
        if has_role(code := getattr(tx, name), Role.SANCTIONED)
    ]
    if not ctx.chpl or not places:
        return []
    blocked = [
        code
        for name, code in places
        if code in ctx.profile.blocked_jurisdictions and code_exposure(name, code).precise
    ]
    listed = any(v.verdict is HsVerdictKind.LISTED for v in ctx.chpl)
    return [
        Flag(
            rule=CHPL_TO_SANCTIONED,
            severity=Severity.CRITICAL if listed and blocked else Severity.HIGH,
            message=f"CHPL goods {_codes_text(ctx.chpl)} to "
            + ", ".join(f"{code} ({name})" for name, code in places),
            evidence={"goods": goods_evidence(ctx.chpl), "sanctioned": places_evidence(places)},
        )
    ]


@rule(
    CHPL_CORE_VIA_PIVOT,
    Severity.HIGH,
    "CHPL goods from a coalition-core origin re-exported through a peripheral pivot "
    "(Singapore, UAE, Turkey) to a third country; graded by tier like CHPL_VIA_HUB.",
    "Coalition-made items reach Russia through a few peripheral hubs that re-export them; "
    "goods from the coalition routed through a pivot on to a non-coalition country are the "
    "pattern. The pivot role is an analytical judgment, not an official designation.",
    ("ANALYSIS", "KSE_CHP", "EAR_SUPP3_746", "GECC_STEPTOE_2023", "FINCEN_BIS_2022"),
)
def chpl_core_via_pivot(tx: Transaction, ctx: RuleContext) -> list[Flag]:
    origin = tx.origin_country
    final_field = "end_user_country" if tx.end_user_country else "destination_country"
    final = tx.end_user_country or tx.destination_country
    pivots = [(f, c) for f, c in ctx.route() if has_role(c, Role.PERIPHERAL_PIVOT)]
    if (
        not ctx.chpl
        or not pivots
        or not has_role(origin, Role.COALITION_CORE)
        or final is None
        or has_role(final, Role.COALITION_CORE)
        or final in {code for _, code in pivots}
    ):
        return []
    return [
        Flag(
            rule=CHPL_CORE_VIA_PIVOT,
            severity=most_severe(tier_severity(v) for v in ctx.chpl),
            message=f"CHPL goods {_codes_text(ctx.chpl)} from {origin} via pivot "
            + ", ".join(code for _, code in pivots)
            + f" to {final}",
            evidence={
                "goods": goods_evidence(ctx.chpl),
                "origin_country": origin,
                "pivots": places_evidence(pivots),
                "final_destination": {"field": final_field, "code": final},
            },
        )
    ]
