"""Posting keys and posting-list arithmetic of the name index (`screening.matching.index`).

A listed word is filed under keys (its phonetic and written forms, its consonant skeleton, its
one-letter deletions), a query word looked up by keys that meet those of any listed word one
typo away (a symmetric-delete neighbourhood). Posting lists are ascending arrays of name ids;
`best_first` and `best_met_few` rank the names a query reached.
"""

from __future__ import annotations

from array import array

import numpy as np
import numpy.typing as npt

from screening.matching.normalize import KIND_INITIAL, Token

IdArray = npt.NDArray[np.int32]
NO_NAMES: IdArray = np.zeros(0, dtype=np.int32)
MIN_DELETE_LENGTH = 5


def best_first(names: IdArray, rank: npt.NDArray[np.float64], count: int) -> npt.NDArray[np.intp]:
    """The positions of the `count` best names, best first: the higher rank, then the higher
    name id. A long list is cut at the count-th rank first (every name of that rank kept, so the
    order of the cut list's head is the full sort's)."""
    if len(rank) > 2 * count:
        # (array methods where numpy has them: its np.* functions add a Python-level wrapper)
        ranks = rank.copy()
        ranks.partition(len(rank) - count)
        cut = ranks[len(rank) - count]
        kept: npt.NDArray[np.intp] = (rank >= cut).nonzero()[0]
        return kept[np.lexsort((names[kept], rank[kept]))[::-1][:count]]
    return np.lexsort((names, rank))[::-1][:count]


def best_met_few(
    reached: list[IdArray],
    weights: list[float],
    query_weight: float,
    name_weights: array[float],
    count: int,
) -> list[int]:
    """`best_first` of the reached names ranked as `NameIndex._met` ranks them, for a few: the
    weight each name met summed in a dict (in the order of the query's words, as there), then
    sorted. The same floating-point operations in the same order, hence the same names."""
    met: dict[int, float] = {}
    for names, weight in zip(reached, weights, strict=True):
        for name in names.tolist():
            met[name] = met.get(name, 0.0) + weight
    rank = {name: total / (query_weight + name_weights[name] + 1e-9) for name, total in met.items()}
    cut = 0.0
    if len(rank) > count:
        # The count-th best rank: floats sort much faster than (rank, name) pairs; only the
        # names at or above it (every name of that rank) are sorted by pair.
        ranks = sorted(rank.values())
        cut = ranks[len(ranks) - count]
    ranked = sorted([(r, name) for name, r in rank.items() if r >= cut], reverse=True)
    return [name for _, name in ranked[:count]]


def union(postings: list[IdArray]) -> IdArray:
    """The names on any of these posting lists, ascending (each list is ascending, no repeat)."""
    if not postings:
        return NO_NAMES
    if len(postings) == 1:
        return postings[0]
    # (np.unique's steps for a small integer array, without its general machinery)
    names = np.concatenate(postings)
    names.sort()
    keep = np.empty(len(names), dtype=bool)
    keep[0] = True
    np.not_equal(names[1:], names[:-1], out=keep[1:])
    return names[keep]


def token_keys(token: Token) -> list[str]:
    """The posting keys of a listed word: its phonetic and written forms (as themselves, t:,
    and in the deletion neighbourhood, d:), its consonant skeleton, the one-letter deletions of
    both forms."""
    keys = ["t:" + token.phonetic, "t:" + token.text]
    if len(token.skeleton) >= 3:
        keys.append("s:" + token.skeleton)
    for form in {token.phonetic, token.text}:
        # The form itself is a neighbour of the query words it is one deletion of (and
        # `query_keys` then looks a query word's deletions up once, by d: only).
        if len(form) >= MIN_DELETE_LENGTH - 2:
            keys.append("d:" + form)
        # Deletions of both forms: typos are edits of the written word, which the phonetic
        # form can move further apart (khaddur/khadrdur -> hadur/hadrdur).
        if len(form) >= MIN_DELETE_LENGTH:
            keys.extend("d:" + variant for variant in deletions(form))
    return keys


def query_keys(token: Token) -> list[str]:
    """The keys a query word is looked up by, its own forms (t:phonetic, t:text) first, then its
    spelling neighbours' (skeleton, deletions: any single typo meets a listed word's keys)."""
    if token.kind == KIND_INITIAL:
        return []
    keys = ["t:" + token.phonetic, "t:" + token.text]
    if len(token.skeleton) >= 3:
        keys.append("s:" + token.skeleton)
    for form in {token.phonetic, token.text}:
        if len(form) >= MIN_DELETE_LENGTH - 1:
            # symmetric delete: the query word is a listed deletion, a query deletion is a
            # listed word or one of its deletions (both filed under d:, `token_keys`)
            keys.append("d:" + form)
            keys.extend(["d:" + variant for variant in deletions(form)])
    return keys


def deletions(word: str) -> set[str]:
    """The word with each one of its letters left out."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))}
