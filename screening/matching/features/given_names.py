"""Given names that are one name in different languages or romanisations (Nikolay/Mykola).

Phonetic keys absorb spelling differences of one romanisation (Aleksandr/Alexander) but not
the names' national forms: the Ukrainian Mykola is the Russian Nikolay, the Persian Reza the
Arabic Rida, and no letter rule maps one to the other. ``screening/data/given_names.csv`` lists
them, each row with its source (BGN/PCGN, the Ukrainian national system, ICAO 9303, ALA-LC ...).
The table is keyed by phonetic form, so every spelling of a listed form belongs to its group.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources

from screening.matching.features.model import Constant, Feature, Stage
from screening.matching.normalize import Token, phonetic
from screening.matching.vocabulary import DATA_PACKAGE, VocabularyError

GIVEN_NAMES_FILE = "given_names.csv"
GIVEN_NAME_SIMILARITY = 0.93


@cache
def given_name_groups() -> dict[str, str]:
    """Phonetic form of each name in ``given_names.csv`` -> its group (a malformed row raises)."""
    text = resources.files(DATA_PACKAGE).joinpath(GIVEN_NAMES_FILE).read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    groups: dict[str, str] = {}
    for row in reader:
        group, name, source = (row.get(c, "").strip() for c in ("group", "name", "source"))
        if not (group and name and source) or len(name.split()) != 1:
            raise VocabularyError(
                f"{GIVEN_NAMES_FILE} line {reader.line_num}: needs group, one-word name, source"
            )
        key = phonetic(name)
        if groups.setdefault(key, group) != group:
            raise VocabularyError(
                f"{GIVEN_NAMES_FILE} line {reader.line_num}: {name!r} is in two groups"
            )
    if not groups:
        raise VocabularyError(f"{GIVEN_NAMES_FILE}: no names")
    return groups


def same_given_name(query: Token, listed: Token) -> bool:
    """Two words are one given name when the table puts their phonetic forms in one group.

    Such words meet as a *romanization* with GIVEN_NAME_SIMILARITY: a little below two
    spellings of one form (ROMANIZATION), since a national form is a choice the list did not
    make.
    """
    groups = given_name_groups()
    group = groups.get(query.phonetic)
    return group is not None and group == groups.get(listed.phonetic)


GIVEN_NAMES = Feature(
    name="given_names",
    title="Given names in another language",
    stage=Stage.TOKEN,
    function=same_given_name,
    constants=(
        Constant(
            "GIVEN_NAME_SIMILARITY",
            GIVEN_NAME_SIMILARITY,
            "similarity of two national forms of one given name (Mykola ~ Nikolay)",
        ),
    ),
)
