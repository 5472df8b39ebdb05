"""The scoring algorithm: the declared features, in order, and the one place that combines them.

``FEATURES`` lists every piece of scoring evidence (`screening.matching.features`); the screener
scores a candidate with `name_score` (the name features) and `final_score` over `adjustments`
(the secondary features), and nothing else adds to a score. `describe` renders the algorithm as
Markdown from the features' docstrings and constants; ``docs/matching.md`` is its output::

    python -m screening.matching.algorithm --output docs/matching.md
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from lists.model import Schema
from screening.matching.features.acronyms import ACRONYM_WORDS
from screening.matching.features.given_names import GIVEN_NAMES, GIVEN_NAMES_FILE, given_name_groups
from screening.matching.features.initials import INITIALS, initials_distinctive
from screening.matching.features.model import Effect, Feature, QueryFacts, Stage, docstring
from screening.matching.features.names import (
    EXACT_NAME,
    EXACT_NAME_SCORE,
    GENERIC_CEILING,
    GENERIC_WORDS,
    INEXACT_CEILING,
    JOINED_NAME,
    ONE_WORD,
    WORD_ALIGNMENT,
    AlignedWords,
    NameScore,
    SimilarityMemo,
    align_words,
    is_distinctive,
    is_exact_name,
    joined_alignment,
    joined_score,
    one_word_factor,
)
from screening.matching.features.patronymics import PATRONYMICS, SURNAME_ENDING
from screening.matching.features.secondary import BIRTH_DATE, COUNTRY, IDENTIFIER, SCHEMA
from screening.matching.features.tokens import TOKEN_SIMILARITY
from screening.matching.features.whole_names import ACRONYM_NAME, VESSEL_NAME, Cap
from screening.matching.index import IndexedEntity, NameIndex
from screening.matching.normalize import Token
from screening.matching.results import FeatureScore, Thresholds
from screening.matching.vocabulary import (
    HONORIFICS_FILE,
    KANA_FILE,
    LEGAL_FORMS_FILE,
    VESSEL_PREFIXES_FILE,
    honorifics,
    kana_hepburn,
    legal_forms,
    vessel_prefixes,
)

Adjustment = Feature[Callable[[QueryFacts, IndexedEntity], FeatureScore | None]]
WholeNameRule = Feature[
    Callable[[QueryFacts, Sequence[Token], AlignedWords, Schema | None, bool], Cap | None]
]

# The rules that cap the name of a vessel or an acronym, in the order they are applied.
WHOLE_NAME_RULES: tuple[WholeNameRule, ...] = (VESSEL_NAME, ACRONYM_NAME)

# The secondary features, in the order their explanations are listed.
ADJUSTMENTS: tuple[Adjustment, ...] = (SCHEMA, BIRTH_DATE, COUNTRY, IDENTIFIER)
# Every feature, in the order the scorer applies them.
FEATURES: tuple[Feature[Any], ...] = (
    TOKEN_SIMILARITY,
    ACRONYM_WORDS,
    GIVEN_NAMES,
    SURNAME_ENDING,
    PATRONYMICS,
    WORD_ALIGNMENT,
    JOINED_NAME,
    EXACT_NAME,
    GENERIC_WORDS,
    INITIALS,
    ONE_WORD,
    *WHOLE_NAME_RULES,
    *ADJUSTMENTS,
)

# The most the secondary features can add together (each its largest delta): a name scoring
# below the report threshold by more than this cannot be reported, unless an identifier
# settles the score.
MAX_BONUS = sum(feature.max_delta for feature in ADJUSTMENTS)
# Features that can settle the score outright, with the score they settle it at.
_SETTLING = {
    feature.name: constant.value
    for feature in ADJUSTMENTS
    for constant in feature.constants
    if constant.effect is Effect.SETTLES
}


def name_score(
    query: QueryFacts,
    listed: Sequence[Token],
    index: NameIndex,
    memo: SimilarityMemo | None = None,
    person: bool = False,
    listed_schema: Schema | None = None,
) -> NameScore:
    """The name score of a query against one listed name (0..1), and its word alignment.

    The words are aligned (word alignment); when the names meet better written together, that
    score and explanation replace it. An exact name scores EXACT_NAME_SCORE and nothing else
    applies. Otherwise a name without distinctive evidence is capped (generic words; a name
    written with initials brings its own: initials), a one-word query is discounted (one-word
    query), the result is capped at INEXACT_CEILING, and the
    whole-name rules (a vessel's name, an acronym) cap it further, each cap listed in the hit's
    explanation. A listed party's score is its best-scoring name.
    """
    person = person or listed_schema is Schema.PERSON
    tokens = query.tokens
    if not tokens or not listed:
        return NameScore(0.0, [])
    aligned = align_words(tokens, listed, index.weights, index.unknown_weight, memo, person)
    score, matches = aligned.score, aligned.matches
    together = joined_score(tokens, listed)
    if together is not None and together > score:
        score = together
        matches = joined_alignment(tokens, listed, together, aligned.listed_total)
    if is_exact_name(tokens, listed, aligned):
        return NameScore(EXACT_NAME_SCORE, matches)
    joined_met = together is not None and together >= score
    if not (
        is_distinctive(listed, aligned, index.generic_below, query.distinctive_length, joined_met)
        or initials_distinctive(tokens, listed, aligned, index.generic_below, person)
    ):
        score = min(score, GENERIC_CEILING)
    score = min(score * one_word_factor(query), INEXACT_CEILING)
    caps = []
    for rule in WHOLE_NAME_RULES:
        cap = rule.function(query, listed, aligned, listed_schema, joined_met)
        if cap is not None and score > cap[0]:
            caps.append(FeatureScore(feature=rule.name, delta=round(cap[0] - score, 4),
                                     detail=f"{cap[1]} (in the name score)"))  # fmt: skip
            score = cap[0]
    return NameScore(score, matches, tuple(caps))


def adjustments(query: QueryFacts, listed: IndexedEntity) -> list[FeatureScore]:
    """What each secondary feature says about a listed party (those with no say are left out)."""
    said = []
    for feature in ADJUSTMENTS:
        score = feature.function(query, listed)
        if score is not None:
            said.append(score)
    return said


def final_score(name: float, said: Sequence[FeatureScore]) -> float:
    """The listed party's score: its name score plus every secondary feature's delta, kept in
    0..1 and rounded to four decimals; a feature that settles the score (a shared identifier)
    sets it instead."""
    settled = [
        value
        for score in said
        if (value := _SETTLING.get(score.feature)) is not None and score.delta >= value
    ]
    total = max(settled) if settled else name + sum(score.delta for score in said)
    return round(max(0.0, min(1.0, total)), 4)


# -- the generated description ----------------------------------------------------------------

_STAGE_TITLES = {
    Stage.TOKEN: "Words",
    Stage.NAME: "The name score",
    Stage.CAP: "Caps on the name score",
    Stage.ADJUSTMENT: "Secondary attributes",
}
REGENERATE = "python -m screening.matching.algorithm --output docs/matching.md"


def _number(value: float, effect: Effect) -> str:
    text = f"{value:g}"
    return f"+{text}" if effect is Effect.DELTA and value > 0 else text


def _feature_section(number: int, feature: Feature[Any]) -> list[str]:
    lines = [f"### {number}. {feature.title} (`{feature.name}`)", "", feature.doc, ""]
    if feature.constants:
        lines += ["| constant | value | effect | meaning |", "|---|---|---|---|"]
        lines += [
            f"| `{c.name}` | {_number(c.value, c.effect)} | {c.effect.value} | {c.doc} |"
            for c in feature.constants
        ]
        lines.append("")
    return lines


def describe() -> str:
    """The matching algorithm as Markdown, built from the declared features (docs/matching.md)."""
    thresholds = Thresholds()
    lines = [
        "# How names are matched",
        "",
        f"Generated from the declared features (`screening/matching/features/`) by `{REGENERATE}`;",
        "do not edit by hand. Every number below is a named constant of the code.",
        "",
        "## Decision",
        "",
        "| threshold | default | meaning |",
        "|---|---|---|",
    ]
    for field, info in Thresholds.model_fields.items():
        lines.append(f"| `{field}` | {getattr(thresholds, field):g} | {info.description} |")
    lines += [
        "",
        "The defaults can be overridden per run or by `COALITION_MATCH_THRESHOLD`, "
        "`COALITION_REVIEW_THRESHOLD` and `COALITION_REPORT_THRESHOLD`.",
        "",
        "## How the features combine",
        "",
        docstring(name_score),
        "",
        docstring(final_score),
        "",
        f"The secondary features can add at most **{MAX_BONUS:g}** together (`MAX_BONUS`, the "
        "sum of each one's largest delta): a name scoring further below the report threshold "
        "is not scored further, unless the query gives identifiers.",
        "",
        "## Reference word tables",
        "",
        "Normalisation (`screening/matching/normalize.py`) folds every name to lower-case Latin "
        "and reads its word tables from package data (`screening/data/`):",
        "",
        f"- `{LEGAL_FORMS_FILE}`: {len(legal_forms().by_words)} legal-form phrases, each "
        "replaced by a canonical form and weighted as a legal form;",
        f"- `{HONORIFICS_FILE}`: {len(honorifics())} titles dropped from names of three words "
        "or more (not from organizations' names);",
        f"- `{VESSEL_PREFIXES_FILE}`: "
        f"{len(vessel_prefixes().single) + len(vessel_prefixes().pairs)} ship-type prefixes "
        "dropped in front of vessel names;",
        f"- `{KANA_FILE}`: {len(kana_hepburn())} katakana syllables and their passport Hepburn "
        "spelling (MOFA; kana for foreign sounds from Cabinet Notice 2 of 1991): a run of kana "
        "folds to one word (ノビコムバンク -> nobikomubanku), see `romanize_kana`;",
        f"- `{GIVEN_NAMES_FILE}`: {len(given_name_groups())} spellings of "
        f"{len(set(given_name_groups().values()))} given names in other languages and "
        "romanisations, each with its source (given names).",
        "",
        "## Features",
        "",
    ]
    number = 0
    for stage in Stage:
        lines += [f"### {_STAGE_TITLES[stage]}", ""]
        for feature in (f for f in FEATURES if f.stage is stage):
            number += 1
            section = _feature_section(number, feature)
            section[0] = "#" + section[0]
            lines += section
    return "\n".join(lines).rstrip() + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Print the description, or write it to --output (how docs/matching.md is regenerated)."""
    parser = argparse.ArgumentParser(
        prog="python -m screening.matching.algorithm", description=main.__doc__
    )
    parser.add_argument("--output", type=Path, help="file to write (default: standard output)")
    options = parser.parse_args(argv)
    text = describe()
    if options.output is None:
        sys.stdout.write(text)
    else:
        options.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
