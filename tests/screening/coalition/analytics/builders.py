"""A hand-built `CoalitionData` whose every figure can be worked out on paper.

Seven parties, members US, UK, EU, CA and UN (scope "russia": programs naming Russia):

=====  ================================  =========================================  ========
party  listings (member, date, basis)    in the russia scope                        countries
=====  ================================  =========================================  ========
C1     US 2022-02-24 official,           all three                                  RU
       UK 2022-03-10 official,
       CA 2022-02-24 official
C2     US 2022-04-06 official,           both (a person)
       UK 2022-04-06 first_seen
C3     US 2023-01-01 official            yes (only US)                              AE
C4     UK 2022-05-01 official,           both; joined by a 0.91 name link           TR, RU
       EU 2022-06-30 official
C5     US 2022-09-15 *unknown* basis,    both (a vessel); the US date is not a      —
       UK 2022-10-01 official            designation date (oldest loaded version)
C6     UK 2022-07-01 official            no (Belarus program)                       CN
C7     UK 2022-03-01 official, delisted  UK only: the UN listing is under UN-DPRK    —
       2024-01-10; UN 2006-10-14
=====  ================================  =========================================  ========

One uncertain name link (0.70) joins the US listing of C3 and the UK listing of C7.
"""

from __future__ import annotations

import datetime as dt

from lists.model import Schema, Source
from screening.coalition.analytics.model import (
    Cluster,
    CoalitionData,
    DateBasis,
    Link,
    LinkMethod,
    Listing,
)

DATASETS = {"US": "ofac_sdn", "UK": "uk_ofsi", "EU": "eu_fsf", "CA": "ca_sema", "UN": "un_sc"}
SOURCES = {"US": Source.OFAC, "UK": Source.UK, "EU": Source.EU, "CA": Source.CA, "UN": Source.UN}
PROGRAMS = {"US": "RUSSIA-EO14024", "UK": "Russia", "EU": "RUSSIA 269/2014", "CA": "Russia"}


class ProgramScope:
    """A scope holding the listings one of whose programs names a word (case folded)."""

    def __init__(self, name: str, word: str) -> None:
        self._name = name
        self._word = word.casefold()

    @property
    def name(self) -> str:
        return self._name

    def contains(self, listing: Listing) -> bool:
        return any(self._word in program.casefold() for program in listing.programs)


RUSSIA = ProgramScope("russia", "russia")


def listing(
    member: str,
    party: str,
    listed_on: str | None,
    basis: DateBasis = DateBasis.OFFICIAL,
    *,
    schema: Schema = Schema.ORGANIZATION,
    programs: list[str] | None = None,
    countries: list[str] | None = None,
    delisted_on: str | None = None,
) -> Listing:
    return Listing(
        source=SOURCES[member],
        member=member,
        dataset=DATASETS[member],
        entry_id=party,
        name=f"Party {party}",
        schema=schema,
        programs=programs if programs is not None else [PROGRAMS[member]],
        listed_on=dt.date.fromisoformat(listed_on) if listed_on else None,
        date_basis=basis,
        delisted_on=dt.date.fromisoformat(delisted_on) if delisted_on else None,
        countries=countries or [],
        identifiers=[f"test:{member}-{party}"],
    )


def cluster(*listings: Listing, links: list[Link] | None = None) -> Cluster:
    keys = sorted(item.key for item in listings)
    if links is None:
        links = [
            Link(a=keys[0], b=key, method=LinkMethod.IDENTIFIER, evidence="test id", score=1.0)
            for key in keys[1:]
        ]
    return Cluster(id=keys[0], listings=list(listings), links=links)


def coalition() -> CoalitionData:
    c4_link = Link(
        a="eu_fsf:C4", b="uk_ofsi:C4", method=LinkMethod.NAME, evidence="name 0.91", score=0.91
    )
    clusters = [
        cluster(
            listing("US", "C1", "2022-02-24", countries=["RU"]),
            listing("UK", "C1", "2022-03-10", countries=["RU"]),
            listing("CA", "C1", "2022-02-24"),
        ),
        cluster(
            listing("US", "C2", "2022-04-06", schema=Schema.PERSON),
            listing("UK", "C2", "2022-04-06", DateBasis.FIRST_SEEN, schema=Schema.PERSON),
        ),
        cluster(listing("US", "C3", "2023-01-01", countries=["AE"])),
        cluster(
            listing("UK", "C4", "2022-05-01", countries=["TR", "RU"]),
            listing("EU", "C4", "2022-06-30"),
            links=[c4_link],
        ),
        cluster(
            listing("US", "C5", "2022-09-15", DateBasis.UNKNOWN, schema=Schema.VESSEL),
            listing("UK", "C5", "2022-10-01", schema=Schema.VESSEL),
        ),
        cluster(listing("UK", "C6", "2022-07-01", programs=["Belarus"], countries=["CN"])),
        cluster(
            listing("UK", "C7", "2022-03-01", delisted_on="2024-01-10"),
            listing("UN", "C7", "2006-10-14", programs=["UN-DPRK"]),
        ),
    ]
    uncertain = Link(
        a="ofac_sdn:C3", b="uk_ofsi:C7", method=LinkMethod.NAME, evidence="name 0.70", score=0.7
    )
    return CoalitionData(
        clusters=clusters,
        uncertain=[uncertain],
        datasets=sorted(DATASETS.values()),
        members=["US", "UK", "EU", "CA", "UN"],
    )
