"""The declared feature set: complete, documented, and the generated docs/matching.md current."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from types import ModuleType

import pytest

from lists.model import Schema, Source
from lists.values.dates import parse_partial_date
from screening.matching import algorithm
from screening.matching.algorithm import ADJUSTMENTS, FEATURES, MAX_BONUS, describe, final_score
from screening.matching.features import (
    acronyms,
    given_names,
    initials,
    names,
    patronymics,
    secondary,
    tokens,
    whole_names,
)
from screening.matching.features.model import Effect, QueryFacts
from screening.matching.index import IndexedEntity, ListedDate
from screening.matching.results import FeatureScore
from tests.conftest import PROJECT_ROOT

FEATURE_MODULES: tuple[ModuleType, ...] = (
    tokens,
    acronyms,
    given_names,
    patronymics,
    names,
    initials,
    whole_names,
    secondary,
)


def _module_constants(module: ModuleType) -> dict[str, float]:
    """Module-level UPPER_CASE numbers: the tuning constants a feature module holds."""
    return {
        name: value
        for name, value in vars(module).items()
        if name.isupper() and isinstance(value, int | float) and not isinstance(value, bool)
    }


def test_docs_matching_md_is_the_generated_description() -> None:
    committed = (PROJECT_ROOT / "docs" / "matching.md").read_text(encoding="utf-8")
    assert committed == describe(), (
        f"docs/matching.md is stale: regenerate it with `{algorithm.REGENERATE}`"
    )


def test_every_feature_and_every_constant_is_documented() -> None:
    assert len({f.name for f in FEATURES}) == len(FEATURES), "feature names must be unique"
    for feature in FEATURES:
        assert feature.title.strip(), feature.name
        # a docstring that says why, not a one-word label
        assert len(feature.doc.split()) >= 15, f"{feature.name} needs a docstring"
        for constant in feature.constants:
            assert len(constant.doc.split()) >= 3, f"{feature.name}.{constant.name} needs a doc"


def test_every_module_constant_is_declared_once_with_its_value() -> None:
    declared: dict[str, float] = {}
    for feature in FEATURES:
        for constant in feature.constants:
            assert constant.name not in declared, f"{constant.name} declared twice"
            declared[constant.name] = constant.value
    in_modules: dict[str, float] = {}
    for module in FEATURE_MODULES:
        in_modules.update(_module_constants(module))
    assert set(declared) == set(in_modules), (
        "constants not declared by a feature: "
        f"{sorted(set(in_modules) - set(declared))}; declared but not in a module: "
        f"{sorted(set(declared) - set(in_modules))}"
    )
    assert declared == in_modules


def test_each_declared_constant_belongs_to_its_features_module() -> None:
    for feature in FEATURES:
        module = sys.modules[feature.function.__module__]
        for constant in feature.constants:
            assert getattr(module, constant.name) == constant.value, constant.name


def test_max_bonus_is_the_sum_of_each_adjustments_largest_delta() -> None:
    derived = 0.0
    for feature in ADJUSTMENTS:
        deltas = [c.value for c in feature.constants if c.effect is Effect.DELTA]
        derived += max([0.0, *deltas])
    assert derived == MAX_BONUS
    # By hand from the declarations: the same birth day (+0.05) and a listed country (+0.03);
    # the type and identifier features only take away (a shared identifier settles instead).
    assert pytest.approx(secondary.BIRTH_DAY_MATCH + secondary.COUNTRY_MATCH) == MAX_BONUS
    assert pytest.approx(0.08) == MAX_BONUS


def _listed(schema: Schema) -> IndexedEntity:
    return IndexedEntity(
        source=Source.OFAC,
        dataset="ofac_sdn",
        entry_id="1",
        schema=schema,
        name="X",
        programs=(),
        birth_dates=(ListedDate(1970, 1970, dt.date(1970, 5, 1), "1970-05-01"),),
        countries=frozenset({"RU"}),
        identifiers=frozenset({("imo", "9690212")}),
        version_id=1,
    )


def test_each_adjustment_reports_under_its_declared_name() -> None:
    facts = QueryFacts(
        tokens=(),
        schema=Schema.ORGANIZATION,
        country="RU",
        birth_date=parse_partial_date("1970-05-01"),
        identifiers=(("imo", "9690212"),),
        distinctive_length=names.DISTINCTIVE_LENGTH,
    )
    said = algorithm.adjustments(facts, _listed(Schema.PERSON))
    assert [s.feature for s in said] == [f.name for f in ADJUSTMENTS]
    assert [s.delta for s in said] == [
        secondary.SCHEMA_CLASH,
        secondary.BIRTH_DAY_MATCH,
        secondary.COUNTRY_MATCH,
        secondary.SHARED_IDENTIFIER_SCORE,
    ]


def test_a_shared_identifier_settles_the_score_whatever_else_is_said() -> None:
    said = [
        FeatureScore(feature="schema", delta=secondary.SCHEMA_CLASH, detail=""),
        FeatureScore(feature="identifier", delta=secondary.SHARED_IDENTIFIER_SCORE, detail=""),
    ]
    assert final_score(0.3, said) == secondary.SHARED_IDENTIFIER_SCORE
    # without it the deltas add up and the score stays in 0..1
    assert final_score(0.3, said[:1]) == 0.0
    country = FeatureScore(feature="country", delta=secondary.COUNTRY_MATCH, detail="")
    assert final_score(0.81234, [country]) == 0.8423


def test_the_description_names_every_feature_and_constant() -> None:
    text = describe()
    for feature in FEATURES:
        assert f"(`{feature.name}`)" in text
        for constant in feature.constants:
            assert f"| `{constant.name}` |" in text


def test_the_module_entry_writes_the_description(tmp_path: Path) -> None:
    target = tmp_path / "matching.md"
    assert algorithm.main(["--output", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == describe()
