"""Secondary attributes that add to or take from the name score: type, birth date, country,
identifiers. Each returns a `FeatureScore` (its delta and why) or None when it has no say."""

from __future__ import annotations

from lists.model import IdentifierType, Schema
from screening.matching.features.model import Constant, Effect, Feature, QueryFacts, Stage
from screening.matching.index import IndexedEntity
from screening.matching.results import FeatureScore

SCHEMA_CLASH = -1.0
SCHEMA_MISMATCH = -0.05
BIRTH_DAY_MATCH = 0.05
BIRTH_YEAR_MATCH = 0.02
BIRTH_YEAR_TOLERANCE = 1
BIRTH_YEAR_NEAR = 0.0
BIRTH_YEAR_CLASH = -0.15
COUNTRY_MATCH = 0.03
COUNTRY_CLASH = -0.05
SHARED_IDENTIFIER_SCORE = 1.0
IDENTIFIER_CLASH = -0.20


def schema_feature(query: QueryFacts, listed: IndexedEntity) -> FeatureScore | None:
    """People never match companies or ships (SCHEMA_CLASH); any other difference of type costs
    a little (SCHEMA_MISMATCH: the UN and the EU list ships as organizations). No say when the
    query gives no type."""
    if query.schema is None or query.schema is listed.schema:
        return None
    if Schema.PERSON in (query.schema, listed.schema):
        return FeatureScore(
            feature="schema",
            delta=SCHEMA_CLASH,
            detail=f"a {listed.schema.value} is not a {query.schema.value}",
        )
    return FeatureScore(
        feature="schema",
        delta=SCHEMA_MISMATCH,
        detail=f"listed as {listed.schema.value}, screened as {query.schema.value}",
    )


def birth_date_feature(query: QueryFacts, listed: IndexedEntity) -> FeatureScore | None:
    """A matching birth date adds a little; a listed birth date years away takes a lot.

    Only for listed people with a birth date, and queries with at least a birth year.
    Authorities often know only the year or a span, so years are compared: the same day adds
    BIRTH_DAY_MATCH, a shared year BIRTH_YEAR_MATCH, a year within BIRTH_YEAR_TOLERANCE
    BIRTH_YEAR_NEAR; further apart costs BIRTH_YEAR_CLASH (a different person who shares the
    name is the usual false alert).
    """
    birth = query.birth_date
    dates = listed.birth_dates
    if birth is None or birth.year is None or not dates or listed.schema is not Schema.PERSON:
        return None
    query_years = set(birth.years())
    exact = birth.as_date()
    if exact is not None and any(d.day == exact for d in dates):
        return FeatureScore(
            feature="birth_date", delta=BIRTH_DAY_MATCH, detail=f"born {exact}, as listed"
        )
    listed_years = {y for d in dates for y in range(d.first_year, d.last_year + 1)}
    if query_years & listed_years:
        return FeatureScore(
            feature="birth_date",
            delta=BIRTH_YEAR_MATCH,
            detail=f"birth year {birth.year} as listed",
        )
    if any(abs(q - y) <= BIRTH_YEAR_TOLERANCE for q in query_years for y in listed_years):
        return FeatureScore(
            feature="birth_date",
            delta=BIRTH_YEAR_NEAR,
            detail="birth year within one year of the listed",
        )
    shown = ", ".join(sorted({d.text for d in dates}))
    return FeatureScore(
        feature="birth_date",
        delta=BIRTH_YEAR_CLASH,
        detail=f"born {birth.year}; listed birth dates {shown}",
    )


def country_feature(query: QueryFacts, listed: IndexedEntity) -> FeatureScore | None:
    """The query's country among the listed party's countries (nationalities, citizenships,
    countries, addresses) adds COUNTRY_MATCH; absent from them costs COUNTRY_CLASH."""
    country, countries = query.country, listed.countries
    if country is None or not countries:
        return None
    if country in countries:
        return FeatureScore(
            feature="country", delta=COUNTRY_MATCH, detail=f"{country} is a listed country"
        )
    shown = ", ".join(sorted(countries))
    return FeatureScore(
        feature="country", delta=COUNTRY_CLASH, detail=f"{country} is not among the listed {shown}"
    )


def identifier_feature(query: QueryFacts, listed: IndexedEntity) -> FeatureScore | None:
    """An identifier the listed party also has is decisive: the score becomes
    SHARED_IDENTIFIER_SCORE. The same type with another value (another IMO number, another
    passport) speaks against the match (IDENTIFIER_CLASH)."""
    if not query.identifiers:
        return None
    shared = [pair for pair in query.identifiers if pair in listed.identifiers]
    if shared:
        kind, value = shared[0]
        # Both sides hold the BIC's institution code: say that any office of it counts.
        scope = " (institution code: every branch)" if kind == IdentifierType.BIC.value else ""
        return FeatureScore(
            feature="identifier",
            delta=SHARED_IDENTIFIER_SCORE,
            detail=f"{kind} {value}{scope} is listed for this party",
        )
    listed_types = {kind for kind, _ in listed.identifiers}
    clashing = [kind for kind, _ in query.identifiers if kind in listed_types]
    if clashing:
        return FeatureScore(
            feature="identifier",
            delta=IDENTIFIER_CLASH,
            detail=f"{clashing[0]} given differs from the listed {clashing[0]}",
        )
    return None


SCHEMA = Feature(
    name="schema",
    title="Type of party",
    stage=Stage.ADJUSTMENT,
    function=schema_feature,
    constants=(
        Constant(
            "SCHEMA_CLASH",
            SCHEMA_CLASH,
            "a person screened against a non-person, or the reverse",
            Effect.DELTA,
        ),
        Constant(
            "SCHEMA_MISMATCH",
            SCHEMA_MISMATCH,
            "another difference of type (organization for vessel ...)",
            Effect.DELTA,
        ),
    ),
)

BIRTH_DATE = Feature(
    name="birth_date",
    title="Birth date",
    stage=Stage.ADJUSTMENT,
    function=birth_date_feature,
    constants=(
        Constant("BIRTH_DAY_MATCH", BIRTH_DAY_MATCH, "the same day as listed", Effect.DELTA),
        Constant(
            "BIRTH_YEAR_MATCH", BIRTH_YEAR_MATCH, "a birth year the listing has", Effect.DELTA
        ),
        Constant(
            "BIRTH_YEAR_TOLERANCE",
            BIRTH_YEAR_TOLERANCE,
            "years apart still counted as near: neither added nor taken",
        ),
        Constant(
            "BIRTH_YEAR_NEAR", BIRTH_YEAR_NEAR, "a birth year that near a listed one", Effect.DELTA
        ),
        Constant(
            "BIRTH_YEAR_CLASH",
            BIRTH_YEAR_CLASH,
            "every listed birth year further away",
            Effect.DELTA,
        ),
    ),
)

COUNTRY = Feature(
    name="country",
    title="Country",
    stage=Stage.ADJUSTMENT,
    function=country_feature,
    constants=(
        Constant("COUNTRY_MATCH", COUNTRY_MATCH, "the country is the listed party's", Effect.DELTA),
        Constant("COUNTRY_CLASH", COUNTRY_CLASH, "the country is not among them", Effect.DELTA),
    ),
)

IDENTIFIER = Feature(
    name="identifier",
    title="Identifiers",
    stage=Stage.ADJUSTMENT,
    function=identifier_feature,
    constants=(
        Constant(
            "SHARED_IDENTIFIER_SCORE",
            SHARED_IDENTIFIER_SCORE,
            "the score when the listed party has an identifier of the query",
            Effect.SETTLES,
        ),
        Constant(
            "IDENTIFIER_CLASH",
            IDENTIFIER_CLASH,
            "the listed party has the type of identifier with another value",
            Effect.DELTA,
        ),
    ),
)
