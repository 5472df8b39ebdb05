"""Party rule: the originator, beneficiary and end user screened against every loaded list."""

from __future__ import annotations

from screening.coalition.rules.context import RuleContext
from screening.coalition.rules.registry import PARTY_SANCTIONS_HIT, Flag, Severity, rule
from screening.coalition.transactions import Transaction
from screening.matching.results import Decision, Hit, Query

PARTIES = ("originator", "beneficiary", "end_user")


def _party_query(name: str, country: str | None, lists: list[str] | None) -> Query:
    # Regions (UA-43) screen with their country: the lists give countries, not oblasts.
    parent = country.split("-", 1)[0] if country else None
    return Query.model_validate({"name": name, "type": None, "country": parent, "lists": lists})


def _hit_severity(hit: Hit, binding: bool) -> Severity:
    if binding:
        return Severity.CRITICAL if hit.decision is Decision.MATCH else Severity.HIGH
    return Severity.MEDIUM if hit.decision is Decision.MATCH else Severity.LOW


@rule(
    PARTY_SANCTIONS_HIT,
    Severity.CRITICAL,
    "Originator, beneficiary or end user matches an entry on a sanctions list.",
    "Dealing with a listed person is prohibited by the lists that bind the institution (a "
    "match blocks, a possible match asks for review); a listing by another coalition member "
    "is a strong risk signal but not law for the institution, so it asks for review only.",
    ("BACKGROUND",),
)
def party_sanctions_hit(tx: Transaction, ctx: RuleContext) -> list[Flag]:
    flags: list[Flag] = []
    for party in PARTIES:
        name = getattr(tx, f"{party}_name")
        if not name:
            continue
        country = getattr(tx, f"{party}_country")
        result = ctx.screener.screen_query(_party_query(name, country, ctx.lists), ctx.thresholds)
        ctx.list_versions = ctx.list_versions or result.list_versions
        for hit in result.hits:
            if hit.decision is Decision.CLEAR:
                continue
            reason = ctx.binding.get(hit.dataset)
            binding = reason is not None
            flags.append(
                Flag(
                    rule=PARTY_SANCTIONS_HIT,
                    severity=_hit_severity(hit, binding),
                    binding=binding,
                    message=(
                        f"{party} {name!r} {hit.decision.value}: {hit.dataset}:"
                        f"{hit.entry_id} {hit.name} ({hit.score:.2f}); "
                        + (f"binding ({reason})" if binding else "list not binding")
                    ),
                    evidence={
                        "party": party,
                        "name": name,
                        "country": country,
                        "source": hit.source.value,
                        "dataset": hit.dataset,
                        "entry_id": hit.entry_id,
                        "listed_on": hit.listed_on.isoformat() if hit.listed_on else None,
                        "listed_name": hit.name,
                        "matched_name": hit.matched_name,
                        "score": round(hit.score, 4),
                        "hit_decision": hit.decision.value,
                        "programs": hit.programs,
                        "list_version": hit.list_version,
                        "also_listed": [f"{ref.dataset}:{ref.entry_id}" for ref in hit.also_listed],
                        "binding_reason": reason,
                    },
                )
            )
    return flags
