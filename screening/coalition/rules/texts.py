"""Free-text rule: listed names and identifiers written inside a payment's free text.

The texts are a message's `Transaction.texts` (remittance information, fields 70/72/77B,
instructions for agents, purpose, regulatory reporting) and the flat ``goods_description``.
Each is scanned by `PartyScreener.scan_text`: listed names found by a word-window scan of the
name index (anchored on distinctive words, so ordinary text stays quiet), and BICs, IMO numbers
and crypto addresses of listed entities. Occupied places named in the same texts are the
jurisdiction rule's (SANCTIONED_JURISDICTION), not this one's.

Grading is a party hit's (`hit_severity`): a match on a binding list blocks, a possible match
on it asks for review (high), a list that does not bind asks for review at most (medium,
low). A name found in text is graded like one in a party field because the scan already
demands that the listed name account for every word of the window, and a payment "for" a
listed party involves that party whatever field names it; an exact listed identifier (BIC,
IMO number, crypto address) is a match by construction.
"""

from __future__ import annotations

from collections.abc import Iterator

from screening.coalition.rules.context import RuleContext
from screening.coalition.rules.parties import hit_flag
from screening.coalition.rules.registry import TEXT_SANCTIONS_HIT, Flag, Severity, rule
from screening.coalition.transactions import Transaction
from screening.matching.results import Decision

GOODS_FIELD = "goods_description"


def _texts(tx: Transaction) -> Iterator[tuple[str, str, str]]:
    """(field, kind, text) of every free text."""
    for text in tx.texts:
        yield text.field, text.kind.value, text.text
    if tx.goods_description:
        yield GOODS_FIELD, "goods", tx.goods_description


@rule(
    TEXT_SANCTIONS_HIT,
    Severity.CRITICAL,
    "A free text of the payment (remittance information, fields 70/72/77B, instructions, "
    "the goods description) names a listed entity or carries a listed BIC, IMO number or "
    "crypto address.",
    "Stripping a listed party from the party fields while naming it in the remittance or "
    "instruction text is a known way around payment filters; the transparency standards "
    "expect the whole message, free text included, to be screened. A listed name or "
    "identifier in the text is graded like a party hit: a binding match blocks.",
    ("BACKGROUND", "WOLFSBERG_PTS_2023", "BCBS_COVER_2009"),
)
def text_sanctions_hit(tx: Transaction, ctx: RuleContext) -> list[Flag]:
    flags: list[Flag] = []
    for field, kind, text in _texts(tx):
        for found in ctx.screener.scan_text(text, ctx.lists, ctx.thresholds):
            hit = found.hit
            if hit.decision is Decision.CLEAR:
                continue
            evidence = {
                "field": field,
                "text_kind": kind,
                "found_kind": found.kind,
                "matched_text": found.matched_text,
                "start": found.start,
                "end": found.end,
            }
            subject = f"{found.kind} {found.matched_text!r} in {field}"
            flags.append(hit_flag(ctx, TEXT_SANCTIONS_HIT, hit, subject, evidence))
    return flags
