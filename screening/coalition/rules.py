"""Transaction rules: explained flags, one decision and one risk score per transaction.

Each rule is a small function ``(transaction, context) -> list[Flag]`` registered in `RULES`
with an id, the highest severity it raises, a one-line doc, its rationale and the ids of its
sources (reference/sources.csv, shipped as screening/data/sources.csv). docs/rules.md lists
them all; `screen_transaction` runs them all and composes the outcome in `decide`:

- decision: ``block`` when any flag is ``critical``; else ``review`` when there is any flag
  (``high``, ``medium`` or ``low``); else ``clear``.
- risk_score (0..100): the points of the most severe flag plus a quarter of the points of
  every other flag, capped at 100, rounded to an integer. Points: critical 80, high 50,
  medium 30, low 15. So a clear transaction scores 0, a single low flag 15, a single high
  flag 50, and any block at least 80; more evidence only ever raises the score.

Rules are risk signals, not legal determinations: a CHPL code raises diligence but does not by
itself mean a licence is needed, and a transshipment hub is named by the authorities as a
diversion route, not as a wrongdoer (reference/README.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Any

from pydantic import BaseModel, Field

from lists.model import Source
from screening.batch.names import (
    QueryScreener,
)
from screening.coalition.goods import TIER_RANK, HsVerdict, HsVerdictKind, check_hs
from screening.coalition.jurisdictions import (
    Role,
    country_of_bic,
    jurisdiction,
    region_matches,
    roles_of,
)
from screening.coalition.profiles import InstitutionProfile, nexus_facts
from screening.coalition.transactions import (
    ADDRESS_FIELDS,
    COUNTRY_FIELDS,
    Transaction,
)
from screening.matching.results import Decision, Hit, ListVersionRef, Query, Thresholds

RUSSIA_BELARUS = frozenset({"RU", "BY"})


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class TxDecision(StrEnum):
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


class TxResult(BaseModel):
    tx_id: str
    decision: TxDecision
    risk_score: int = Field(ge=0, le=100)
    flags: list[Flag]
    list_versions: list[ListVersionRef] = Field(default_factory=list)


def decide(flags: Iterable[Flag]) -> tuple[TxDecision, int]:
    """The decision and risk score for a transaction's flags (module docstring)."""
    flags = list(flags)
    if not flags:
        return TxDecision.CLEAR, 0
    points = sorted((SEVERITY_POINTS[flag.severity] for flag in flags), reverse=True)
    score = min(100, round(points[0] + FURTHER_FLAG_SHARE * sum(points[1:])))
    if any(flag.severity is Severity.CRITICAL for flag in flags):
        return TxDecision.BLOCK, score
    return TxDecision.REVIEW, score


# -- context ---------------------------------------------------------------------------------


class RuleContext:
    """What rules share for one transaction: the screener, the profile and cached lookups."""

    def __init__(
        self,
        tx: Transaction,
        screener: QueryScreener,
        profile: InstitutionProfile,
        thresholds: Thresholds | None = None,
    ) -> None:
        self.tx = tx
        self.screener = screener
        self.profile = profile
        self.thresholds = thresholds
        self.list_versions: list[ListVersionRef] = []

    @cached_property
    def chpl(self) -> list[HsVerdict]:
        """Verdicts of the codes that are (possibly) on the CHPL, in input order."""
        verdicts = (check_hs(code) for code in self.tx.hs_codes)
        return [v for v in verdicts if v.verdict is not HsVerdictKind.NOT_LISTED]

    @cached_property
    def binding(self) -> dict[Source, str]:
        tx = self.tx
        countries = [getattr(tx, name) for name in COUNTRY_FIELDS] + list(tx.transit_countries)
        bics = [tx.originator_bic, tx.beneficiary_bic, *tx.intermediary_bics]
        return self.profile.binding_reasons(nexus_facts(tx.currency, countries, bics))

    def route(self) -> list[tuple[str, str]]:
        """(field, code) of the goods' route after the origin: transit countries, destination."""
        route = [(f"transit_countries[{i}]", c) for i, c in enumerate(self.tx.transit_countries)]
        if self.tx.destination_country:
            route.append(("destination_country", self.tx.destination_country))
        return route


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
    def register(check: RuleCheck) -> RuleCheck:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} registered twice")
        RULES[rule_id] = Rule(rule_id, severity, doc, rationale, sources, check)
        return check

    return register


# -- helpers ---------------------------------------------------------------------------------


def tier_severity(verdict: HsVerdict) -> Severity:
    """Tiers 1-2 high, tier 3 medium, tier 4 low; a possible match one step lower."""
    best = min(verdict.tiers, key=TIER_RANK.__getitem__)
    major = best.split(".", 1)[0]
    severity = (
        Severity.HIGH if major in ("1", "2") else Severity.MEDIUM if major == "3" else Severity.LOW
    )
    return severity if verdict.verdict is HsVerdictKind.LISTED else step_down(severity)


def goods_evidence(verdicts: Iterable[HsVerdict]) -> list[dict[str, Any]]:
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


def _places(places: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"field": field, "code": code} for field, code in places]


def _has_role(code: str | None, role: Role) -> bool:
    return code is not None and role in roles_of(code)


# -- party screening -------------------------------------------------------------------------

PARTIES = ("originator", "beneficiary", "end_user")


def _party_query(name: str, country: str | None) -> Query:
    # Regions (UA-43) screen with their country: the lists give countries, not oblasts.
    parent = country.split("-", 1)[0] if country else None
    return Query.model_validate({"name": name, "type": None, "country": parent})


def _hit_severity(hit: Hit, binding: bool) -> Severity:
    if binding:
        return Severity.CRITICAL if hit.decision is Decision.MATCH else Severity.HIGH
    return Severity.MEDIUM if hit.decision is Decision.MATCH else Severity.LOW


@rule(
    "PARTY_SANCTIONS_HIT",
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
        result = ctx.screener.screen_query(_party_query(name, country), ctx.thresholds)
        ctx.list_versions = ctx.list_versions or result.list_versions
        for hit in result.hits:
            if hit.decision is Decision.CLEAR:
                continue
            reason = ctx.binding.get(hit.source)
            binding = reason is not None
            flags.append(
                Flag(
                    rule="PARTY_SANCTIONS_HIT",
                    severity=_hit_severity(hit, binding),
                    binding=binding,
                    message=(
                        f"{party} {name!r} {hit.decision.value}: {hit.source.value}:"
                        f"{hit.entry_id} {hit.name} ({hit.score:.2f}); "
                        + (f"binding ({reason})" if binding else "list not binding")
                    ),
                    evidence={
                        "party": party,
                        "name": name,
                        "country": country,
                        "source": hit.source.value,
                        "entry_id": hit.entry_id,
                        "listed_name": hit.name,
                        "matched_name": hit.matched_name,
                        "score": round(hit.score, 4),
                        "hit_decision": hit.decision.value,
                        "programs": hit.programs,
                        "list_version": hit.list_version,
                        "also_listed": [
                            f"{ref.source.value}:{ref.entry_id}" for ref in hit.also_listed
                        ],
                        "binding_reason": reason,
                    },
                )
            )
    return flags


# -- jurisdictions ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Exposure:
    field: str
    code: str
    precise: bool  # False: only an oblast is named (README caveat: review, not block)
    matched: str | None = None  # the words of a free text that named the region


def _code_exposure(field_name: str, code: str) -> Exposure:
    place = jurisdiction(code)
    if place is not None and place.code_type == "iso3166-2":
        matches = region_matches(code)
        return Exposure(field_name, code, precise=bool(matches) and not matches[0].oblast_only)
    return Exposure(field_name, code, precise=True)


def exposures(tx: Transaction) -> Iterator[Exposure]:
    """Every country, BIC country and region named in text, with the field it came from."""
    for name in COUNTRY_FIELDS:
        if code := getattr(tx, name):
            yield _code_exposure(name, code)
    for index, code in enumerate(tx.transit_countries):
        yield _code_exposure(f"transit_countries[{index}]", code)
    bics = [("originator_bic", tx.originator_bic), ("beneficiary_bic", tx.beneficiary_bic)]
    bics += [(f"intermediary_bics[{i}]", bic) for i, bic in enumerate(tx.intermediary_bics)]
    for name, bic in bics:
        if bic and (country := country_of_bic(bic)):
            yield Exposure(name, country, precise=True)
    for name in (*ADDRESS_FIELDS, "goods_description"):
        for match in region_matches(getattr(tx, name)):
            yield Exposure(name, match.region.code, not match.oblast_only, match.matched)


@rule(
    "SANCTIONED_JURISDICTION",
    Severity.CRITICAL,
    "A country field, a BIC's country or an address/goods text names a sanctioned jurisdiction.",
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
        if _has_role(exposure.code, Role.SANCTIONED):
            found.setdefault(exposure.code, []).append(exposure)
    flags = []
    for code, seen in found.items():
        place = jurisdiction(code)
        blocked = code in ctx.profile.blocked_jurisdictions
        precise = any(exposure.precise for exposure in seen)
        fields = list(dict.fromkeys(exposure.field for exposure in seen))
        flags.append(
            Flag(
                rule="SANCTIONED_JURISDICTION",
                severity=Severity.CRITICAL if blocked and precise else Severity.HIGH,
                message=f"{place.name if place else code} ({code}) in {', '.join(fields)}"
                + ("" if precise else " (oblast only: review)"),
                evidence={
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


# -- goods -----------------------------------------------------------------------------------


@rule(
    "CHPL_VIA_HUB",
    Severity.HIGH,
    "CHPL goods shipped to or through a transshipment hub; tiers 1-2 high, 3 medium, 4 low, "
    "a possible (heading-level or HS 2017) match one step lower.",
    "BIS and FinCEN name these jurisdictions as common transshipment points for controlled "
    "goods bound for Russia and Belarus; the CHPL items are the ones Russia seeks most "
    "(tiers 1-2 highest). A signal for diligence (end-use statements), not an accusation.",
    ("FINCEN_BIS_2022", "BMGE_2022", "BIS_CHPL_2024", "EU_CHPL_2024", "KELLEYDRYE_BIS_BP"),
)
def chpl_via_hub(tx: Transaction, ctx: RuleContext) -> list[Flag]:
    hubs = [(f, c) for f, c in ctx.route() if _has_role(c, Role.TRANSSHIPMENT_HUB)]
    if not ctx.chpl or not hubs:
        return []
    return [
        Flag(
            rule="CHPL_VIA_HUB",
            severity=most_severe(tier_severity(v) for v in ctx.chpl),
            message=f"CHPL goods {_codes_text(ctx.chpl)} via hub "
            + ", ".join(code for _, code in hubs),
            evidence={"goods": goods_evidence(ctx.chpl), "hubs": _places(hubs)},
        )
    ]


@rule(
    "CHPL_TO_SANCTIONED",
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
        if _has_role(code := getattr(tx, name), Role.SANCTIONED)
    ]
    if not ctx.chpl or not places:
        return []
    blocked = [
        code
        for name, code in places
        if code in ctx.profile.blocked_jurisdictions and _code_exposure(name, code).precise
    ]
    listed = any(v.verdict is HsVerdictKind.LISTED for v in ctx.chpl)
    return [
        Flag(
            rule="CHPL_TO_SANCTIONED",
            severity=Severity.CRITICAL if listed and blocked else Severity.HIGH,
            message=f"CHPL goods {_codes_text(ctx.chpl)} to "
            + ", ".join(f"{code} ({name})" for name, code in places),
            evidence={"goods": goods_evidence(ctx.chpl), "sanctioned": _places(places)},
        )
    ]


@rule(
    "CHPL_CORE_VIA_PIVOT",
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
    pivots = [(f, c) for f, c in ctx.route() if _has_role(c, Role.PERIPHERAL_PIVOT)]
    if (
        not ctx.chpl
        or not pivots
        or not _has_role(origin, Role.COALITION_CORE)
        or final is None
        or _has_role(final, Role.COALITION_CORE)
        or final in {code for _, code in pivots}
    ):
        return []
    return [
        Flag(
            rule="CHPL_CORE_VIA_PIVOT",
            severity=most_severe(tier_severity(v) for v in ctx.chpl),
            message=f"CHPL goods {_codes_text(ctx.chpl)} from {origin} via pivot "
            + ", ".join(code for _, code in pivots)
            + f" to {final}",
            evidence={
                "goods": goods_evidence(ctx.chpl),
                "origin_country": origin,
                "pivots": _places(pivots),
                "final_destination": {"field": final_field, "code": final},
            },
        )
    ]


@rule(
    "HUB_DESTINATION_RUSSIAN_END_USER",
    Severity.CRITICAL,
    "Declared destination a transshipment hub while the end user or beneficiary is in Russia "
    "or Belarus: block with CHPL goods listed, else review.",
    "Declaring a hub as destination while a Russian or Belarusian party receives the goods or "
    "the money is a red flag of diversion named in the FinCEN/BIS alerts.",
    ("FINCEN_BIS_2022", "FINCEN_BIS_2023_05", "BMGE_2022"),
)
def hub_destination_russian_end_user(tx: Transaction, ctx: RuleContext) -> list[Flag]:
    destination = tx.destination_country
    if not _has_role(destination, Role.TRANSSHIPMENT_HUB):
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
            rule="HUB_DESTINATION_RUSSIAN_END_USER",
            severity=Severity.CRITICAL if listed else Severity.HIGH,
            message=f"destination {destination} (hub) but "
            + ", ".join(f"{name} {code}" for name, code in parties),
            evidence={
                "destination_country": destination,
                "russian_or_belarusian": _places(parties),
                "goods": goods_evidence(ctx.chpl),
            },
        )
    ]


# -- screening -------------------------------------------------------------------------------


def screen_transaction(
    tx: Transaction,
    screener: QueryScreener,
    profile: InstitutionProfile,
    thresholds: Thresholds | None = None,
) -> TxResult:
    """Run every rule; raises ValueError only for a value the screener rejects."""
    ctx = RuleContext(tx, screener, profile, thresholds)
    flags = [flag for registered in RULES.values() for flag in registered.check(tx, ctx)]
    decision, score = decide(flags)
    return TxResult(
        tx_id=tx.tx_id,
        decision=decision,
        risk_score=score,
        flags=flags,
        list_versions=ctx.list_versions,
    )
