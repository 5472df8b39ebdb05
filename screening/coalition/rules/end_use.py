"""End-use rule: a transshipment hub declared as destination while a Russian or Belarusian
party receives the goods or the money."""

from __future__ import annotations

from screening.coalition.goods import HsVerdictKind
from screening.coalition.jurisdictions import Role, country_of_bic
from screening.coalition.rules.context import RuleContext, has_role, places_evidence
from screening.coalition.rules.goods import goods_evidence
from screening.coalition.rules.registry import (
    HUB_DESTINATION_RUSSIAN_END_USER,
    Flag,
    Severity,
    rule,
)
from screening.coalition.transactions import Transaction

RUSSIA_BELARUS = frozenset({"RU", "BY"})


@rule(
    HUB_DESTINATION_RUSSIAN_END_USER,
    Severity.CRITICAL,
    "Declared destination a transshipment hub while the end user or beneficiary is in Russia "
    "or Belarus: block with CHPL goods listed, else review.",
    "Declaring a hub as destination while a Russian or Belarusian party receives the goods or "
    "the money is a red flag of diversion named in the FinCEN/BIS alerts.",
    ("FINCEN_BIS_2022", "FINCEN_BIS_2023_05", "BMGE_2022"),
)
def hub_destination_russian_end_user(tx: Transaction, ctx: RuleContext) -> list[Flag]:
    destination = tx.destination_country
    if not has_role(destination, Role.TRANSSHIPMENT_HUB):
        return []
    parties = [
        (name, code)
        for name, code in (
            ("end_user_country", tx.end_user_country),
            ("beneficiary_country", tx.beneficiary_country),
            ("beneficiary_bic", country_of_bic(tx.beneficiary_bic) if tx.beneficiary_bic else None),
        )
        if code in RUSSIA_BELARUS
    ]
    if not parties:
        return []
    listed = [v for v in ctx.chpl if v.verdict is HsVerdictKind.LISTED]
    return [
        Flag(
            rule=HUB_DESTINATION_RUSSIAN_END_USER,
            severity=Severity.CRITICAL if listed else Severity.HIGH,
            message=f"destination {destination} (hub) but "
            + ", ".join(f"{name} {code}" for name, code in parties),
            evidence={
                "destination_country": destination,
                "russian_or_belarusian": places_evidence(parties),
                "goods": goods_evidence(ctx.chpl),
            },
        )
    ]
