"""Pinned decisions: the match / review / report bands and the penalties that move a hit.

A screener over three hand-made listed parties (no list file: the scores are worked out by
hand). An exact name scores 1.0 and every secondary feature adds its declared delta, so each
query below lands on a literal score: exactly at a band's threshold, or just below it. The
bands are ``>=`` (a score equal to the threshold is in the band), the defaults are 0.9 / 0.75
/ 0.6, and a country or identifier that differs from the listing costs 0.05 / 0.2. The
feature constants themselves are pinned in ``tests/screening/matching/features``;
`bench/mutations.py` checks that changing any of them, or flipping a comparison, fails a test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError

from lists.base import ListFile, ListFormat, ReadReport
from lists.model import Entity, Identifier, IdentifierType, Name, Schema, Source, SourceRef
from lists.values.dates import parse_partial_date
from screening import Decision, Screener, Thresholds
from screening.matching.results import Hit
from screening.store import ListStore

PERSON = "Ivan Petrovich ZORBAXOV"  # born 1970-05-01, Russian, passport AB123456
VESSEL_OWNER = "QUELVARA MARITIME"  # an organization of Panama, registration RN-1
GENERIC = "ALPHA BETA GAMMA DELTA"  # an organization of Germany; every word is generic here


def _entity(entry_id: str, name: str, schema: Schema, **fields: object) -> Entity:
    return Entity(
        source=Source.UN,
        entry_id=entry_id,
        schema=schema,
        names=[Name(full=name)],
        ref=SourceRef(format="hand-made", file="test_pinned.py", record=entry_id),
        **fields,  # type: ignore[arg-type]
    )


ENTITIES = (
    _entity("1", PERSON, Schema.PERSON,
            birth_dates=[parse_partial_date("1970-05-01")], nationalities=["RU"],
            identifiers=[Identifier(type=IdentifierType.PASSPORT, value="AB123456")]),
    _entity("2", VESSEL_OWNER, Schema.ORGANIZATION, countries=["PA"],
            identifiers=[Identifier(type=IdentifierType.REGISTRATION_NUMBER, value="RN-1")]),
    _entity("3", GENERIC, Schema.ORGANIZATION, countries=["DE"]),
)  # fmt: skip


def _hand_made_entities(path: Path, report: ReadReport) -> Iterator[Entity]:
    yield from ENTITIES


HAND_MADE = ListFormat(
    name="hand-made",
    source=Source.UN,
    description="the entities of test_pinned.py",
    sniff=lambda head: False,
    published=lambda path: None,
    entities=_hand_made_entities,
)


@pytest.fixture(scope="module")
def screener(tmp_path_factory: pytest.TempPathFactory) -> Screener:
    folder = tmp_path_factory.mktemp("pinned")
    listed = folder / "hand-made.jsonl"  # (the store keys a version on its file's hash)
    listed.write_text("\n".join(e.model_dump_json() for e in ENTITIES), encoding="utf-8")
    store = ListStore(f"sqlite:///{folder / 'lists.db'}")
    loaded = store.load(ListFile(path=listed, format=HAND_MADE, published=dt.date(2026, 1, 1)))
    assert loaded.status == "loaded"
    return Screener(store, index_dir=folder / "index")


def hit(screener: Screener, listed: str, thresholds: Thresholds | None = None, *,
        name: str | None = None, **query: object) -> Hit | None:  # fmt: skip
    """The hit on the listed party called `listed` when screening `name` (by default the
    listed name itself), or None when it is not reported."""
    result = screener.screen(name or listed, thresholds=thresholds, **query)  # type: ignore[arg-type]
    hits = [h for h in result.hits if h.name == listed]
    assert len(hits) <= 1
    return hits[0] if hits else None


def scored(screener: Screener, listed: str, thresholds: Thresholds | None = None, *,
           name: str | None = None, **query: object) -> tuple[float, Decision]:  # fmt: skip
    found = hit(screener, listed, thresholds, name=name, **query)
    assert found is not None, f"{listed} not reported"
    return found.score, found.decision


def test_the_default_thresholds_are_match_0_9_review_0_75_report_0_6() -> None:
    assert Thresholds() == Thresholds(match=0.9, review=0.75, report=0.6)


def test_thresholds_may_be_equal_but_not_out_of_order() -> None:
    assert Thresholds(report=0.8, review=0.8, match=0.8).review == 0.8
    with pytest.raises(ValidationError):
        Thresholds(report=0.8, review=0.7, match=0.9)


def test_a_country_not_listed_costs_0_05(screener: Screener) -> None:
    assert scored(screener, PERSON, type="person") == (1.0, Decision.MATCH)
    assert scored(screener, PERSON, type="person", country="FR") == (0.95, Decision.MATCH)


def test_another_passport_costs_0_2(screener: Screener) -> None:
    passport = [("passport", "ZZ999999")]
    assert scored(screener, PERSON, type="person", identifiers=passport) == (0.8, Decision.REVIEW)


def test_a_shared_identifier_is_a_match_whatever_the_name(screener: Screener) -> None:
    passport = [("passport", "AB 123456")]
    got = scored(screener, PERSON, name="Olga Someone", type="person", identifiers=passport)
    assert got == (1.0, Decision.MATCH)


def test_a_score_of_exactly_0_9_is_a_match(screener: Screener) -> None:
    # listed as an organization, screened as a vessel (-0.05), in another country (-0.05)
    assert scored(screener, VESSEL_OWNER, type="vessel", country="FR") == (0.9, Decision.MATCH)


def test_a_score_just_below_0_9_is_a_review(screener: Screener) -> None:
    # born ten years apart (-0.15), of the listed country (+0.03)
    got = scored(screener, PERSON, type="person", birth_date="1980", country="RU")
    assert got == (0.88, Decision.REVIEW)


def test_a_score_of_exactly_0_75_is_a_review(screener: Screener) -> None:
    passport = [("passport", "ZZ999999")]
    got = scored(screener, PERSON, type="person", country="FR", identifiers=passport)
    assert got == (0.75, Decision.REVIEW)


def test_a_score_just_below_0_75_is_reported_clear(screener: Screener) -> None:
    registration = [("registration_number", "RN-2")]
    got = scored(screener, VESSEL_OWNER, type="vessel", country="FR", identifiers=registration)
    assert got == (0.7, Decision.CLEAR)


def test_a_score_of_exactly_0_6_is_reported(screener: Screener) -> None:
    passport = [("passport", "ZZ999999")]
    got = scored(screener, PERSON, type="person", country="FR", birth_date="1980",
                 identifiers=passport)  # fmt: skip
    assert got == (0.6, Decision.CLEAR)


def test_a_score_just_below_0_6_is_not_reported(screener: Screener) -> None:
    # two generic words of four: 0.725, capped at 0.55; a listed country +0.03 = 0.58
    assert hit(screener, GENERIC, name="Alpha Beta", type="organization", country="DE") is None
    lower = Thresholds(report=0.58, review=0.75, match=0.9)
    got = scored(screener, GENERIC, lower, name="Alpha Beta", type="organization", country="DE")
    assert got == (0.58, Decision.CLEAR)


@pytest.mark.parametrize(
    ("thresholds", "decision"),
    [
        (Thresholds(report=0.6, review=0.75, match=0.95), Decision.MATCH),
        (Thresholds(report=0.6, review=0.75, match=0.9501), Decision.REVIEW),
        (Thresholds(report=0.6, review=0.95, match=0.99), Decision.REVIEW),
        (Thresholds(report=0.6, review=0.9501, match=0.99), Decision.CLEAR),
        (Thresholds(report=0.95, review=0.99, match=0.99), Decision.CLEAR),
    ],
)
def test_each_band_includes_its_threshold(
    screener: Screener, thresholds: Thresholds, decision: Decision
) -> None:
    assert scored(screener, PERSON, thresholds, type="person", country="FR") == (0.95, decision)
    just_above = Thresholds(report=0.9501, review=0.99, match=0.99)
    assert hit(screener, PERSON, just_above, type="person", country="FR") is None


def test_the_hand_made_index_holds_three_names(screener: Screener) -> None:
    assert len(screener.index.names) == 3
    # words on more than 0.2 % of 3 names are generic: log((3 + 1) / (0.002 * 3 + 0.5))
    assert screener.index.generic_below == pytest.approx(2.0675129708, abs=1e-9)
