"""Pinned given-name table (`screening.matching.features.given_names`)."""

from __future__ import annotations

from screening.matching.features import given_names
from screening.matching.features.tokens import token_similarity
from screening.matching.normalize import tokenize


def test_national_forms_of_one_given_name_score_GIVEN_NAME_SIMILARITY() -> None:
    assert given_names.GIVEN_NAME_SIMILARITY == 0.93
    mykola, nikolay = tokenize("Mykola")[0], tokenize("Nikolay")[0]
    assert token_similarity(mykola, nikolay) == (0.93, "romanization")
