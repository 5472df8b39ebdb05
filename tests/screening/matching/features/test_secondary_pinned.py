"""Pinned secondary features (`screening.matching.features.secondary`): exact deltas.

Each feature is called directly with a hand-made listed party and query; the deltas, and the
final scores `screening.matching.algorithm.final_score` makes of them, are literal numbers.
"""

from __future__ import annotations

import datetime as dt

from lists.model import Schema, Source
from lists.values.dates import parse_partial_date
from screening.matching.algorithm import final_score
from screening.matching.features import secondary
from screening.matching.features.model import QueryFacts
from screening.matching.index import IndexedEntity, ListedDate
from screening.matching.results import FeatureScore

LISTED_PERSON = IndexedEntity(
    source=Source.UN,
    dataset="un_consolidated",
    entry_id="1",
    schema=Schema.PERSON,
    name="Ivan Petrovich ZORBAXOV",
    programs=(),
    birth_dates=(ListedDate(1970, 1970, dt.date(1970, 5, 1), "1970-05-01"),),
    countries=frozenset({"RU"}),
    identifiers=frozenset({("passport", "AB123456")}),
    version_id=1,
)
LISTED_COMPANY = LISTED_PERSON._replace(schema=Schema.ORGANIZATION, birth_dates=())


def query(
    schema: Schema | None = Schema.PERSON,
    country: str | None = None,
    birth: str | None = None,
    identifiers: tuple[tuple[str, str], ...] = (),
) -> QueryFacts:
    return QueryFacts(
        tokens=(),
        schema=schema,
        country=country,
        birth_date=parse_partial_date(birth) if birth else None,
        identifiers=identifiers,
        distinctive_length=3,
    )


def said(score: FeatureScore | None) -> FeatureScore:
    """What a feature said (it must have a say in these tests)."""
    assert score is not None
    return score


def delta(score: FeatureScore | None) -> float:
    return said(score).delta


def test_a_person_against_a_company_costs_SCHEMA_CLASH() -> None:
    assert secondary.SCHEMA_CLASH == -1.0
    assert delta(secondary.schema_feature(query(Schema.PERSON), LISTED_COMPANY)) == -1.0


def test_another_type_of_party_costs_SCHEMA_MISMATCH() -> None:
    assert secondary.SCHEMA_MISMATCH == -0.05
    feature = secondary.schema_feature(query(Schema.VESSEL), LISTED_COMPANY)
    assert delta(feature) == -0.05
    assert final_score(0.9, [said(feature)]) == 0.85


def test_the_listed_birth_day_adds_BIRTH_DAY_MATCH() -> None:
    assert secondary.BIRTH_DAY_MATCH == 0.05
    feature = secondary.birth_date_feature(query(birth="1970-05-01"), LISTED_PERSON)
    assert delta(feature) == 0.05
    assert final_score(0.9, [said(feature)]) == 0.95


def test_a_listed_birth_year_adds_BIRTH_YEAR_MATCH() -> None:
    assert secondary.BIRTH_YEAR_MATCH == 0.02
    feature = secondary.birth_date_feature(query(birth="1970"), LISTED_PERSON)
    assert delta(feature) == 0.02
    assert final_score(0.9, [said(feature)]) == 0.92


def test_a_year_within_BIRTH_YEAR_TOLERANCE_is_near_and_adds_BIRTH_YEAR_NEAR() -> None:
    assert secondary.BIRTH_YEAR_TOLERANCE == 1
    assert secondary.BIRTH_YEAR_NEAR == 0.0
    near = secondary.birth_date_feature(query(birth="1971"), LISTED_PERSON)
    assert near is not None and near.detail.startswith("birth year within")
    assert near.delta == 0.0
    assert final_score(0.9, [near]) == 0.9
    # two years away is a clash
    assert delta(secondary.birth_date_feature(query(birth="1972"), LISTED_PERSON)) == -0.15


def test_a_listed_birth_year_further_away_costs_BIRTH_YEAR_CLASH() -> None:
    assert secondary.BIRTH_YEAR_CLASH == -0.15
    feature = secondary.birth_date_feature(query(birth="1980-02-03"), LISTED_PERSON)
    assert delta(feature) == -0.15
    assert final_score(0.9, [said(feature)]) == 0.75


def test_a_listed_country_adds_COUNTRY_MATCH() -> None:
    assert secondary.COUNTRY_MATCH == 0.03
    feature = secondary.country_feature(query(country="RU"), LISTED_PERSON)
    assert delta(feature) == 0.03
    assert final_score(0.9, [said(feature)]) == 0.93


def test_a_country_not_listed_costs_COUNTRY_CLASH() -> None:
    assert secondary.COUNTRY_CLASH == -0.05
    feature = secondary.country_feature(query(country="FR"), LISTED_PERSON)
    assert delta(feature) == -0.05
    assert final_score(0.9, [said(feature)]) == 0.85


def test_a_shared_identifier_settles_the_score_at_SHARED_IDENTIFIER_SCORE() -> None:
    assert secondary.SHARED_IDENTIFIER_SCORE == 1.0
    shared = secondary.identifier_feature(
        query(identifiers=(("passport", "AB123456"),)), LISTED_PERSON
    )
    assert delta(shared) == 1.0
    clash = secondary.schema_feature(query(Schema.ORGANIZATION), LISTED_PERSON)
    # settled at 1.0 whatever else is said (a sum would be 0.3 + 1 - 1 = 0.3)
    assert final_score(0.3, [said(clash), said(shared)]) == 1.0


def test_another_identifier_of_the_listed_type_costs_IDENTIFIER_CLASH() -> None:
    assert secondary.IDENTIFIER_CLASH == -0.2
    feature = secondary.identifier_feature(
        query(identifiers=(("passport", "ZZ999999"),)), LISTED_PERSON
    )
    assert delta(feature) == -0.2
    assert final_score(0.9, [said(feature)]) == 0.7
