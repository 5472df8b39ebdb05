"""What the rules share for one transaction: the screener, the profile and cached lookups.

`PartyScreener` is the one thing the rules need of a screener: a name screening
(`screen_query`), a look-up of listed entities by an identifier (`screen_identifier`: BICs
compared on their 8-character institution code) and a scan of free text for listed names and
identifiers (`scan_text`). `screening.Screener` fits it, so the rules depend on no layer
above them.

The helpers give every party and agent of a transaction, flat CSV columns and message
participants alike, the same treatment: the places it names with the field each came from
(`participant_places`) and the one country its name is screened with (`participant_country`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol, runtime_checkable

from screening.coalition.goods import HsVerdict, HsVerdictKind, check_hs
from screening.coalition.jurisdictions import Role, country_of_bic, resolve_code, roles_of
from screening.coalition.participants import Participant
from screening.coalition.profiles import InstitutionProfile, nexus_facts
from screening.coalition.transactions import COUNTRY_FIELDS, Transaction
from screening.matching.results import Hit, ListVersionRef, Query, ScreeningResult, Thresholds
from screening.matching.textscan import TextHit


@runtime_checkable
class PartyScreener(Protocol):
    """Screens names, identifiers and free text against the loaded lists."""

    def screen_query(
        self, query: Query, thresholds: Thresholds | None = None
    ) -> ScreeningResult: ...

    def screen_identifier(
        self, kind: str, value: str, lists: list[str] | None = None
    ) -> list[Hit]: ...

    def scan_text(
        self, text: str, lists: list[str] | None = None, thresholds: Thresholds | None = None
    ) -> Sequence[TextHit]: ...


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
        """The datasets that bind the institution for this transaction, with the reason.

        Every country the transaction names counts: the flat country fields and transit
        countries, and each message party's and agent's countries (residence, address, IBAN);
        every BIC counts by its country (flat BIC columns and message agents).
        """
        tx = self.tx
        countries: list[str | None] = [getattr(tx, name) for name in COUNTRY_FIELDS]
        countries += tx.transit_countries
        bics: list[str | None] = [tx.originator_bic, tx.beneficiary_bic, *tx.intermediary_bics]
        for participant in (*tx.parties, *tx.agents):
            for place in participant_places(participant):
                if place.attribute == "bic":
                    bics.append(participant.bic)
                else:
                    countries.append(place.code)
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


# -- participants ----------------------------------------------------------------------------

# ISO 13616: two letters of country, two check digits, up to 30 letters and digits.
_IBAN_MIN, _IBAN_MAX = 15, 34


def iban_country(account: str | None) -> str | None:
    """The country (ISO alpha-2) of an account that is a valid IBAN, else None.

    Only a checksum-valid IBAN gives a country: an account number that merely starts with two
    letters (``GB12 ...`` typed by hand, a proprietary id) must not invent one.
    """
    if not account:
        return None
    value = "".join(account.split()).upper().lstrip("/")
    if not (_IBAN_MIN <= len(value) <= _IBAN_MAX and value.isascii() and value.isalnum()):
        return None
    if not (value[:2].isalpha() and value[2:4].isdigit()):
        return None
    # Move the first four characters to the end, letters to numbers (A=10 ... Z=35): mod 97 = 1.
    digits = "".join(str(int(char, 36)) for char in value[4:] + value[:4])
    if int(digits) % 97 != 1:
        return None
    return resolve_code(value[:2])


@dataclass(frozen=True, slots=True)
class Place:
    """A country a participant names, which attribute named it and the message field."""

    attribute: str  # "country", "address", "account" or "bic"
    field: str
    code: str


def participant_places(participant: Participant) -> Iterator[Place]:
    """The participant's countries: residence, address country, IBAN country, BIC country.

    Codes the jurisdiction table cannot resolve are left out here (the readers validate
    countries; an unknown code is no place to report).
    """
    address_country = participant.address.country if participant.address else None
    for attribute, code in (
        ("country", resolve_code(participant.country)),
        ("address", resolve_code(address_country)),
        ("account", iban_country(participant.account)),
        ("bic", country_of_bic(participant.bic)),
    ):
        if code:
            yield Place(attribute, participant.location(attribute), code)


def participant_country(participant: Participant) -> str | None:
    """The country a party's name is screened with: residence, else address, else IBAN."""
    for place in participant_places(participant):
        if place.attribute != "bic":
            return place.code
    return None
