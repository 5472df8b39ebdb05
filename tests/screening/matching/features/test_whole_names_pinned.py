"""Pinned whole-name caps (`screening.matching.features.whole_names`): vessels and acronyms.

Every word of the hand-made index is unknown (weight 1.0) and distinctive, so the uncapped
scores are worked out by hand: a company's two-word query meeting its one listed word scores
0.45 * 1/2 + 0.55 * 1/1 = 0.775. Literal numbers, never expressions of the constants.
"""

from __future__ import annotations

from lists.model import Schema
from screening.matching.algorithm import name_score
from screening.matching.features import whole_names
from screening.matching.features.model import QueryFacts
from screening.matching.index import NameIndex
from screening.matching.normalize import tokenize

PLAIN = NameIndex(version_key="pinned")


def scored(query: str, listed: str, listed_schema: Schema, query_schema: Schema | None = None
           ) -> tuple[float, list[str]]:  # fmt: skip
    facts = QueryFacts(
        tokens=tokenize(query, query_schema),
        schema=query_schema,
        country=None,
        birth_date=None,
        identifiers=(),
        distinctive_length=3,
    )
    result = name_score(facts, tokenize(listed, listed_schema), PLAIN, listed_schema=listed_schema)
    # (rounded to nine decimals: the literals below are exact to far more than a step)
    return round(result.score, 9), [cap.feature for cap in result.caps]


def test_a_vessel_name_with_an_extra_word_is_capped_at_VESSEL_EXTRA_WORDS_CEILING() -> None:
    assert whole_names.VESSEL_EXTRA_WORDS_CEILING == 0.7
    capped = scored("Atlantic Fortune", "Fortune", Schema.VESSEL, Schema.VESSEL)
    assert capped == (0.7, ["vessel_name"])
    # the same words for a company: 0.775, uncapped
    assert scored("Atlantic Fortune", "Fortune", Schema.ORGANIZATION) == (
        0.775,
        [],
    )


def test_a_one_word_company_name_of_ACRONYM_MAX_LETTERS_letters_is_an_acronym() -> None:
    assert whole_names.ACRONYM_MAX_LETTERS == 4
    # MIRA has 4 letters: an acronym, the extra word caps the name
    assert scored("Mira Technologies", "Mira", Schema.ORGANIZATION) == (
        0.7,
        ["acronym_name"],
    )
    # ALPHA has 5: a word, 0.775 uncapped
    assert scored("Alpha Technologies", "Alpha", Schema.ORGANIZATION) == (
        0.775,
        [],
    )


def test_more_than_an_acronym_is_capped_at_ACRONYM_CEILING() -> None:
    assert whole_names.ACRONYM_CEILING == 0.7
    assert scored("Mira Technologies", "Mira", Schema.ORGANIZATION)[0] == 0.7
