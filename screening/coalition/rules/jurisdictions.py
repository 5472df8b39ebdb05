"""Jurisdiction rule: a sanctioned country or occupied region anywhere in the transaction.

`exposures` lists every place a transaction names, with the field it came from: the flat
country fields, BIC countries and regions named in the flat addresses or the goods
description; then, for a payment message, every party's and agent's countries (residence,
address country, IBAN country, BIC country), the occupied places named in their addresses
(structured town and subdivision, free address lines) and in the message's free texts.
`code_exposure` tells whether a code is precise or only an oblast, which the goods rules reuse.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from screening.coalition.jurisdictions import Role, country_of_bic, jurisdiction, region_matches
from screening.coalition.participants import Participant
from screening.coalition.rules.context import RuleContext, has_role, participant_places
from screening.coalition.rules.registry import SANCTIONED_JURISDICTION, Flag, Severity, rule
from screening.coalition.transactions import ADDRESS_FIELDS, COUNTRY_FIELDS, Transaction


@dataclass(frozen=True, slots=True)
class Exposure:
    field: str
    code: str
    precise: bool  # False: only an oblast is named (README caveat: review, not block)
    matched: str | None = None  # the words of a free text that named the region


def code_exposure(field_name: str, code: str) -> Exposure:
    """A code given in a field; a region code is precise unless only its oblast is known."""
    place = jurisdiction(code)
    if place is not None and place.code_type == "iso3166-2":
        matches = region_matches(code)
        return Exposure(field_name, code, precise=bool(matches) and not matches[0].oblast_only)
    return Exposure(field_name, code, precise=True)


def exposures(tx: Transaction) -> Iterator[Exposure]:
    """Every country, BIC country and region named in text, with the field it came from."""
    for name in COUNTRY_FIELDS:
        if code := getattr(tx, name):
            yield code_exposure(name, code)
    for index, code in enumerate(tx.transit_countries):
        yield code_exposure(f"transit_countries[{index}]", code)
    bics = [("originator_bic", tx.originator_bic), ("beneficiary_bic", tx.beneficiary_bic)]
    bics += [(f"intermediary_bics[{i}]", bic) for i, bic in enumerate(tx.intermediary_bics)]
    for name, bic in bics:
        if bic and (country := country_of_bic(bic)):
            yield Exposure(name, country, precise=True)
    for name in (*ADDRESS_FIELDS, "goods_description"):
        yield from text_exposures(name, getattr(tx, name))
    for participant in (*tx.parties, *tx.agents):
        yield from participant_exposures(participant)
    for text in tx.texts:
        yield from text_exposures(text.field, text.text)


def text_exposures(field_name: str, text: str | None) -> Iterator[Exposure]:
    """The occupied regions a text names."""
    for match in region_matches(text):
        yield Exposure(field_name, match.region.code, not match.oblast_only, match.matched)


def participant_exposures(participant: Participant) -> Iterator[Exposure]:
    """A message party's or agent's countries, and the occupied places its address names."""
    for place in participant_places(participant):
        yield code_exposure(place.field, place.code)
    if participant.address is not None:
        field_name = participant.location("address")
        yield from text_exposures(field_name, participant.address.text())


@rule(
    SANCTIONED_JURISDICTION,
    Severity.CRITICAL,
    "A country field, a BIC's or IBAN's country, an address, the goods description or a "
    "payment message's free text names a sanctioned jurisdiction.",
    "Russia, Belarus, Iran, North Korea, Cuba and the occupied Ukrainian regions are under "
    "coalition or comprehensive measures: exposure blocks (the profile's "
    "blocked_jurisdictions). Syria asks for review (its sanctions were largely lifted in 2025, "
    "to be re-verified), and so does an occupied region known only by its oblast (code or "
    "oblast name): the oblasts are partly under Ukrainian control.",
    ("EAR_746_1", "FR_2023_10774", "BACKGROUND"),
)
def sanctioned_jurisdiction(tx: Transaction, ctx: RuleContext) -> list[Flag]:
    found: dict[str, list[Exposure]] = {}
    for exposure in exposures(tx):
        if has_role(exposure.code, Role.SANCTIONED):
            found.setdefault(exposure.code, []).append(exposure)
    flags = []
    for code, seen in found.items():
        place = jurisdiction(code)
        blocked = code in ctx.profile.blocked_jurisdictions
        precise = any(exposure.precise for exposure in seen)
        fields = list(dict.fromkeys(exposure.field for exposure in seen))
        flags.append(
            Flag(
                rule=SANCTIONED_JURISDICTION,
                severity=Severity.CRITICAL if blocked and precise else Severity.HIGH,
                message=f"{place.name if place else code} ({code}) in {', '.join(fields)}"
                + ("" if precise else " (oblast only: review)"),
                evidence={
                    # Like every rule's flag: the (first) field it came from; all of them in
                    # found_in, in the order the transaction names them.
                    "field": fields[0],
                    "jurisdiction": code,
                    "name": place.name if place else None,
                    "program": place.program if place else None,
                    "found_in": fields,
                    "matched_text": [e.matched for e in seen if e.matched],
                    "oblast_only": not precise,
                    "blocked_by_profile": blocked,
                    "sources": place.sources if place else [],
                },
            )
        )
    return flags
