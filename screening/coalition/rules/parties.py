"""Party rule: every party of a transaction screened against every loaded list.

The parties are `Transaction.all_parties()`: the flat originator, beneficiary and end user
columns, then every party of a payment message (debtor, creditor, ultimate and initiating
parties, the underlying customer parties of a cover payment). `hit_flag` grades and explains
a list hit the same way for the agent and text rules; `screen_name` screens each distinct name
once per transaction.
"""

from __future__ import annotations

from typing import Any

from lists.model import Schema
from screening.coalition.participants import Participant
from screening.coalition.rules.context import RuleContext, participant_country
from screening.coalition.rules.registry import PARTY_SANCTIONS_HIT, Flag, Severity, rule
from screening.coalition.transactions import Transaction
from screening.matching.results import Decision, Hit, Query, ScreeningResult


def party_query(
    name: str,
    country: str | None,
    lists: list[str] | None,
    schema: Schema | None = None,
    birth_date: str | None = None,
) -> Query:
    """The query for one party or agent name."""
    # Regions (UA-43) screen with their country: the lists give countries, not oblasts.
    parent = country.split("-", 1)[0] if country else None
    values = {"name": name, "type": schema, "country": parent, "lists": lists}
    if birth_date:
        values["birth_date"] = birth_date
    return Query.model_validate(values)


def hit_severity(hit: Hit, binding: bool) -> Severity:
    """A match on a binding list is critical, a possible match high; not binding: medium, low."""
    if binding:
        return Severity.CRITICAL if hit.decision is Decision.MATCH else Severity.HIGH
    return Severity.MEDIUM if hit.decision is Decision.MATCH else Severity.LOW


def hit_evidence(hit: Hit, reason: str | None) -> dict[str, Any]:
    """What a flag says of the listed entry it hit, and whether (why) its list binds."""
    return {
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
    }


def hit_flag(
    ctx: RuleContext,
    rule_id: str,
    hit: Hit,
    subject: str,
    evidence: dict[str, Any],
    trailing: dict[str, Any] | None = None,
) -> Flag:
    """A flag for one list hit: `subject` says what was screened and where, `evidence` and
    `trailing` come before and after the hit's own evidence."""
    reason = ctx.binding.get(hit.dataset)
    binding = f"binding ({reason})" if reason is not None else "list not binding"
    return Flag(
        rule=rule_id,
        severity=hit_severity(hit, reason is not None),
        binding=reason is not None,
        message=(
            f"{subject} {hit.decision.value}: {hit.dataset}:{hit.entry_id} {hit.name} "
            f"({hit.score:.2f}); {binding}"
        ),
        evidence={**evidence, **hit_evidence(hit, reason), **(trailing or {})},
    )


def screen_name(
    ctx: RuleContext, query: Query, cache: dict[str, ScreeningResult]
) -> ScreeningResult:
    """Screen a query once per transaction (the same name often fills several roles)."""
    key = query.model_dump_json()
    if key not in cache:
        cache[key] = ctx.screener.screen_query(query, ctx.thresholds)
        ctx.list_versions = ctx.list_versions or cache[key].list_versions
    return cache[key]


def _is_flat(party: Participant) -> bool:
    # The flat columns name themselves (originator_name); a message field is worth saying.
    return party.location("name") == f"{party.role}_name"


@rule(
    PARTY_SANCTIONS_HIT,
    Severity.CRITICAL,
    "A party (originator, beneficiary, end user; a message's debtor, creditor, ultimate, "
    "initiating or underlying party) matches an entry on a sanctions list.",
    "Dealing with a listed person is prohibited by the lists that bind the institution (a "
    "match blocks, a possible match asks for review); a listing by another coalition member "
    "is a strong risk signal but not law for the institution, so it asks for review only.",
    ("BACKGROUND", "FATF_R16", "WOLFSBERG_PTS_2023"),
)
def party_sanctions_hit(tx: Transaction, ctx: RuleContext) -> list[Flag]:
    flags: list[Flag] = []
    cache: dict[str, ScreeningResult] = {}
    for party in tx.all_parties():
        name = party.name
        if not name:
            continue
        flat = _is_flat(party)
        country = party.country if flat else participant_country(party)
        query = party_query(name, country, ctx.lists, birth_date=party.birth_date)
        field = party.location("name")
        where = "" if flat else f" ({field})"
        for hit in screen_name(ctx, query, cache).hits:
            if hit.decision is Decision.CLEAR:
                continue
            flags.append(
                hit_flag(
                    ctx,
                    PARTY_SANCTIONS_HIT,
                    hit,
                    f"{party.role} {name!r}{where}",
                    {"party": party.role, "name": name, "country": country},
                    {"role": party.role, "field": field},
                )
            )
    return flags
