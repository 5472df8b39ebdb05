"""Agent rule: every bank that carries a payment, caught by its BIC or by its name.

The agents are `Transaction.all_agents()`: the flat BIC columns (originator_bic,
beneficiary_bic, intermediary_bics), then every agent of a payment message (instructing and
instructed agents, debtor and creditor agents, intermediaries, previous instructing agents,
reimbursement agents, sender and receiver, the underlying agents of a cover payment).

- A BIC (8 or 11 characters, ``XXX`` branch or not) is looked up among the SWIFT/BIC
  identifiers of listed entities (`PartyScreener.screen_identifier`, which compares the
  8-character institution code: ``ATBANL2AXXX`` finds the listed ``ATBANL2A``).
- A name is screened like a party's, with the agent's country (address, else BIC country),
  **also when a BIC is given**: a message can carry a clean BIC next to a listed bank's name
  (or the other way round), and the two disagreeing is itself what an analyst must see. A
  listed entry already caught by the agent's BIC is not flagged a second time by its name.
"""

from __future__ import annotations

from lists.model import Schema
from screening.coalition.participants import Participant
from screening.coalition.rules.context import RuleContext, participant_places
from screening.coalition.rules.parties import hit_flag, party_query, screen_name
from screening.coalition.rules.registry import AGENT_SANCTIONS_HIT, Flag, Severity, rule
from screening.coalition.transactions import Transaction
from screening.matching.results import Decision, Hit, ScreeningResult

BIC_KIND = "bic"


def _agent_country(agent: Participant) -> str | None:
    # Any of the agent's places will do for the name screening; the BIC's is the last resort.
    places = list(participant_places(agent))
    return places[0].code if places else None


def _flag(ctx: RuleContext, agent: Participant, hit: Hit, matched_on: str) -> Flag:
    field = agent.location(matched_on)
    value = agent.bic if matched_on == BIC_KIND else agent.name
    subject = f"{agent.role} {matched_on} {value!r} ({field})"
    evidence = {
        "role": agent.role,
        "field": field,
        "matched_on": matched_on,
        "bic": agent.bic,
        "name": agent.name,
    }
    return hit_flag(ctx, AGENT_SANCTIONS_HIT, hit, subject, evidence)


@rule(
    AGENT_SANCTIONS_HIT,
    Severity.CRITICAL,
    "An agent bank of the payment is listed: its BIC is a listed entity's SWIFT/BIC "
    "(institution code compared), or its name matches a listed entry.",
    "A listed bank anywhere in the payment chain (ordering, intermediary, correspondent or "
    "beneficiary bank) exposes the institution as much as a listed customer: a binding listing "
    "blocks, a possible name match or a non-binding list asks for review. Cover and serial "
    "payments carry the banks by BIC, so the BIC must be screened, not only the names.",
    ("BACKGROUND", "BCBS_COVER_2009", "WOLFSBERG_PTS_2023"),
)
def agent_sanctions_hit(tx: Transaction, ctx: RuleContext) -> list[Flag]:
    flags: list[Flag] = []
    cache: dict[str, ScreeningResult] = {}
    for agent in tx.all_agents():
        caught: set[tuple[str, str]] = set()
        if agent.bic:
            for hit in ctx.screener.screen_identifier(BIC_KIND, agent.bic, ctx.lists):
                caught.add((hit.dataset, hit.entry_id))
                flags.append(_flag(ctx, agent, hit, BIC_KIND))
        if agent.name:
            query = party_query(
                agent.name, _agent_country(agent), ctx.lists, schema=Schema.ORGANIZATION
            )
            for hit in screen_name(ctx, query, cache).hits:
                if hit.decision is Decision.CLEAR or (hit.dataset, hit.entry_id) in caught:
                    continue
                flags.append(_flag(ctx, agent, hit, "name"))
    return flags
