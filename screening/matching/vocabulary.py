"""The word tables of name normalisation, read once from package data.

The tables are data, not code (``screening/data/``, described in ``screening/data/MATCHING.md``):

- ``legal_forms.csv``: legal-form phrases as they fold (``obshchestvo s ogranichennoy
  otvetstvennostyu``, ``ooo``, ``sp z o o``) and the one canonical form each stands for;
- ``honorifics.csv``: titles and honorifics in front of person names (never part of the identity);
- ``vessel_prefixes.csv``: ship-type prefixes in front of vessel names (M/V, MT, LPG);
- ``kana_hepburn.csv``: each katakana syllable (one kana, or a kana and a small kana) and its
  passport Hepburn romanisation (``ノ`` no, ``シャ`` sha, ``ヴィ`` vi), with the source of each row.

Each file is read on first use and kept (``functools.cache``). A malformed file is a packaging
error: it raises `VocabularyError` naming the file and line rather than match with part of a table.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from functools import cache
from importlib import resources
from typing import NamedTuple

DATA_PACKAGE = "screening.data"
LEGAL_FORMS_FILE = "legal_forms.csv"
HONORIFICS_FILE = "honorifics.csv"
VESSEL_PREFIXES_FILE = "vessel_prefixes.csv"
KANA_FILE = "kana_hepburn.csv"


class VocabularyError(ValueError):
    """A word table in screening/data is malformed (file and line in the message)."""


class LegalForms(NamedTuple):
    """The legal-form table shaped for matching word by word."""

    by_words: dict[tuple[str, ...], str]  # folded phrase, split into words -> canonical form
    longest: int  # words in the longest phrase
    long_words: frozenset[str]  # words of six letters or more, for correcting typos in them


class VesselPrefixes(NamedTuple):
    single: frozenset[str]  # one-word prefixes (mv, mt, lpg, tanker)
    pairs: frozenset[tuple[str, str]]  # two one-letter words (M/V folds to "m v")


def _read_text(filename: str) -> str:
    return resources.files(DATA_PACKAGE).joinpath(filename).read_text(encoding="utf-8")


def _rows(filename: str, columns: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) of a package CSV; every listed column must be present and non-empty."""
    reader = csv.DictReader(io.StringIO(_read_text(filename)))
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        raise VocabularyError(f"{filename}: header lacks column(s) {', '.join(missing)}")
    for row in reader:
        for column in columns:
            value = row.get(column)
            if value is None or not value.strip():
                raise VocabularyError(f"{filename} line {reader.line_num}: empty {column}")
        yield reader.line_num, {c: row[c].strip() for c in columns}


@cache
def legal_forms() -> LegalForms:
    """The legal-form phrases of ``legal_forms.csv``; a phrase listed twice is an error."""
    by_words: dict[tuple[str, ...], str] = {}
    for line, row in _rows(LEGAL_FORMS_FILE, ("phrase", "canonical")):
        words = tuple(row["phrase"].split())
        if words in by_words:
            raise VocabularyError(f"{LEGAL_FORMS_FILE} line {line}: {row['phrase']!r} listed twice")
        by_words[words] = row["canonical"]
    if not by_words:
        raise VocabularyError(f"{LEGAL_FORMS_FILE}: no legal forms")
    return LegalForms(
        by_words=by_words,
        longest=max(len(words) for words in by_words),
        long_words=frozenset(w for words in by_words for w in words if len(w) >= 6),
    )


@cache
def honorifics() -> frozenset[str]:
    """The titles of ``honorifics.csv`` (folded, one word each)."""
    words = set()
    for line, row in _rows(HONORIFICS_FILE, ("word",)):
        if len(row["word"].split()) != 1:
            raise VocabularyError(f"{HONORIFICS_FILE} line {line}: {row['word']!r} is not one word")
        words.add(row["word"])
    return frozenset(words)


@cache
def vessel_prefixes() -> VesselPrefixes:
    """The prefixes of ``vessel_prefixes.csv``: one word, or two one-letter words (``m v``)."""
    single: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    for line, row in _rows(VESSEL_PREFIXES_FILE, ("prefix",)):
        words = row["prefix"].split()
        if len(words) == 1:
            single.add(words[0])
        elif len(words) == 2 and all(len(w) == 1 for w in words):
            pairs.add((words[0], words[1]))
        else:
            raise VocabularyError(
                f"{VESSEL_PREFIXES_FILE} line {line}: {row['prefix']!r} is neither one word "
                "nor two letters"
            )
    return VesselPrefixes(frozenset(single), frozenset(pairs))


@cache
def kana_hepburn() -> dict[str, str]:
    """Katakana syllable (one or two characters) -> its Hepburn spelling, from ``kana_hepburn.csv``.

    A syllable listed twice, or of more than two characters, is an error.
    """
    table: dict[str, str] = {}
    for line, row in _rows(KANA_FILE, ("kana", "latin", "source")):
        kana, latin = row["kana"], row["latin"]
        if len(kana) > 2 or kana in table or not latin.isascii() or not latin.isalpha():
            raise VocabularyError(
                f"{KANA_FILE} line {line}: {kana!r} {latin!r} is not a new syllable"
            )
        table[kana] = latin
    if not table:
        raise VocabularyError(f"{KANA_FILE}: no syllables")
    return table
