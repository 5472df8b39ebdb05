"""What the rules share for one transaction: the screener, the profile and cached lookups.

`PartyScreener` is the one thing the rules need of a name screener; `screening.Screener` and
the batch runner's `QueryScreener` both fit it, so the rules depend on no layer above them.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import Protocol

from screening.coalition.goods import HsVerdict, HsVerdictKind, check_hs
from screening.coalition.jurisdictions import Role, roles_of
from screening.coalition.profiles import InstitutionProfile, nexus_facts
from screening.coalition.transactions import COUNTRY_FIELDS, Transaction
from screening.matching.results import ListVersionRef, Query, ScreeningResult, Thresholds


class PartyScreener(Protocol):
    """Screens one party's name against the loaded lists."""

    def screen_query(
        self, query: Query, thresholds: Thresholds | None = None
    ) -> ScreeningResult: ...


class RuleContext:
    """What rules share for one transaction: the screener, the profile and cached lookups."""

    def __init__(
        self,
        tx: Transaction,
        screener: PartyScreener,
        profile: InstitutionProfile,
        thresholds: Thresholds | None = None,
        lists: list[str] | None = None,
    ) -> None:
        self.tx = tx
        self.screener = screener
        self.profile = profile
        self.thresholds = thresholds
        # Sources or datasets the parties are screened against (None: every loaded list).
        self.lists = lists
        # Filled by the party rule from the first screening: the versions the result cites.
        self.list_versions: list[ListVersionRef] = []

    @cached_property
    def chpl(self) -> list[HsVerdict]:
        """Verdicts of the codes that are (possibly) on the CHPL, in input order."""
        verdicts = (check_hs(code) for code in self.tx.hs_codes)
        return [v for v in verdicts if v.verdict is not HsVerdictKind.NOT_LISTED]

    @cached_property
    def binding(self) -> dict[str, str]:
        """The datasets that bind the institution for this transaction, with the reason."""
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


def has_role(code: str | None, role: Role) -> bool:
    """Whether a country or region code (None: not given) has the role."""
    return code is not None and role in roles_of(code)


def places_evidence(places: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    """(field, code) pairs as evidence: ``[{"field": ..., "code": ...}]``."""
    return [{"field": field, "code": code} for field, code in places]
