"""Names that are only themselves whole: vessel names and acronyms.

Most names survive extra words: "ROSNEFT TRADING" may well be the listed ROSNEFT, and the word
alignment lets the listed side weigh most for companies. Two kinds of name do not: a ship's name
is its whole name, and a short one-word company name is an acronym, which means nothing once
other words stand beside it. Each rule caps the name score below the review threshold and says
so in the hit's explanation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lists.model import Schema
from screening.matching.features.model import Constant, Feature, QueryFacts, Stage
from screening.matching.features.names import AlignedWords
from screening.matching.normalize import KIND_LEGAL_FORM, Token

VESSEL_EXTRA_WORDS_CEILING = 0.70
ACRONYM_MAX_LETTERS = 4
ACRONYM_CEILING = 0.70

# (the score it is capped at, why) when a rule applies.
Cap = tuple[float, str]


# A ship's number: digits or a Roman numeral (I to XXXIX), as sister ships are numbered.
_SHIP_NUMBER = re.compile(r"\d+|x{0,3}(ix|iv|v?i{0,3})")


def _unmet_query_words(
    query: QueryFacts,
    aligned: AlignedWords,
    initials_meet: bool = True,
    numbers_exact: bool = False,
) -> list[str]:
    return [
        t.text
        for i, t in enumerate(query.tokens)
        if t.kind != KIND_LEGAL_FORM
        and (
            i not in aligned.pairs
            or (not initials_meet and aligned.pairs[i][2] == "initial")
            or (numbers_exact and aligned.pairs[i][2] != "exact" and _SHIP_NUMBER.fullmatch(t.text))
        )
    ]


def vessel_extra_words(
    query: QueryFacts,
    listed: Sequence[Token],
    aligned: AlignedWords,
    listed_schema: Schema | None,
    joined_met: bool,
) -> Cap | None:
    """A vessel's name is its whole name: NEW FORTUNE, ATLANTIC FORTUNE and FORTUNE II are
    other ships than the listed FORTUNE (sister ships are named so).

    When the query or the listed party is a vessel and a query word (legal forms aside) meets
    no listed word, the name score is capped at VESSEL_EXTRA_WORDS_CEILING (reported, below
    review). A ship's number (digits, or a Roman numeral: EAST STAR I, SILVIA II) meets only
    itself: SILVIA II is the sister ship of the listed SILVIA I, not a spelling of it. Ship-type
    prefixes (MV, M/T) are not words of the name and never count; names met written together
    (joined) have no unmet word.
    """
    if Schema.VESSEL not in (query.schema, listed_schema) or joined_met:
        return None
    extra = _unmet_query_words(query, aligned, initials_meet=False, numbers_exact=True)
    if not extra:
        return None
    return VESSEL_EXTRA_WORDS_CEILING, f"the vessel name has no {' '.join(extra).upper()}"


def acronym_alone(
    query: QueryFacts,
    listed: Sequence[Token],
    aligned: AlignedWords,
    listed_schema: Schema | None,
    joined_met: bool,
) -> Cap | None:
    """A listed name that is one word of ACRONYM_MAX_LETTERS letters or fewer (ETA, MIRA,
    SPIR, IGG: legal forms aside) is an acronym, and only a query that is that acronym,
    letter for letter, meets it: KSS TECHNOLOGIES GMBH is not the listed KSS, and SPEER AG
    does not sound like SPIR (acronyms are spelt, not pronounced).

    Otherwise the name score is capped at ACRONYM_CEILING. Persons are exempt (a one-word
    alias of a person is a nickname, which the word alignment weighs already).
    """
    if listed_schema is None or listed_schema is Schema.PERSON or joined_met:
        return None
    words = [t for t in listed if t.kind != KIND_LEGAL_FORM]
    if len(words) != 1 or len(words[0].text) > ACRONYM_MAX_LETTERS:
        return None
    extra = _unmet_query_words(query, aligned)
    met_exactly = any(how == "exact" for _li, _sim, how in aligned.pairs.values())
    if not extra and met_exactly:
        return None
    acronym = words[0].text.upper()
    if extra:
        return ACRONYM_CEILING, f"{acronym} is an acronym; the query adds {' '.join(extra).upper()}"
    return ACRONYM_CEILING, f"{acronym} is an acronym, not spelt so in the query"


VESSEL_NAME = Feature(
    name="vessel_name",
    title="A vessel's name is whole",
    stage=Stage.CAP,
    function=vessel_extra_words,
    constants=(
        Constant(
            "VESSEL_EXTRA_WORDS_CEILING",
            VESSEL_EXTRA_WORDS_CEILING,
            "highest name score of a vessel name with a word the other lacks (below review)",
        ),
    ),
)

ACRONYM_NAME = Feature(
    name="acronym_name",
    title="An acronym is only itself",
    stage=Stage.CAP,
    function=acronym_alone,
    constants=(
        Constant(
            "ACRONYM_MAX_LETTERS",
            ACRONYM_MAX_LETTERS,
            "letters at most of a one-word listed name read as an acronym",
        ),
        Constant(
            "ACRONYM_CEILING",
            ACRONYM_CEILING,
            "highest name score of a query that is more than, or not exactly, an acronym",
        ),
    ),
)
