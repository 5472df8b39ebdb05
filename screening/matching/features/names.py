"""The name score: the query's words aligned with a listed name's, then capped.

Each step is its own declared feature; `screening.matching.algorithm.name_score` applies them in
order: word alignment, names written together, exact name, generic words, one-word query.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from rapidfuzz.distance import Levenshtein

from lists.model import Schema
from screening.matching.features.model import Constant, Feature, QueryFacts, Stage
from screening.matching.features.tokens import SimilarityRow, similarity_rows
from screening.matching.index import GENERIC_SHARE
from screening.matching.normalize import (
    KIND_INITIAL,
    KIND_LEGAL_FORM,
    Token,
    is_ideographic,
)
from screening.matching.results import FeatureScore, TokenMatch

INITIAL_EVIDENCE = 0.8
LEGAL_FORM_WEIGHT = 0.15
QUERY_SIDE_PERSON = 0.65
QUERY_SIDE_OTHER = 0.45
ABBREVIATED_LISTED_WEIGHT = 0.3
JOINED_MIN_LENGTH = 6
JOINED_FLOOR = 0.9
JOINED_DISCOUNT = 0.97
JOINED_SHORT_WORD = 2
EXACT_NAME_SCORE = 1.0
INEXACT_CEILING = 0.995
DISTINCTIVE_LENGTH = 3
IDEOGRAPHIC_DISTINCTIVE_LENGTH = 4
DISTINCTIVE_EXACT_WORDS = 3
WORD_FOR_WORD_MIN = 2
GENERIC_CEILING = 0.55
ONE_WORD_FACTOR = 0.9


# One aligned token pair: (query token, listed token or None, similarity, how, weight).
Alignment = tuple[str, str | None, float, str, float]
# Token similarities already computed for one query: id(listed token) -> its meetings with the
# query's words (`SimilarityRow`). Keyed by identity: the index shares one object per distinct
# word, and the memo lives no longer than the query, while the listed tokens stay alive.
SimilarityMemo = dict[int, SimilarityRow]


@dataclass(frozen=True, slots=True)
class NameScore:
    score: float
    alignment: list[Alignment]
    # What the name-stage rules that cap a score did to it (listed in the hit's explanation).
    caps: tuple[FeatureScore, ...] = ()

    def explain(self) -> list[TokenMatch]:
        """The alignment as explanation records (built only for reported hits: it is slow)."""
        return [
            TokenMatch(
                query=q,
                listed=listed,
                similarity=round(similarity, 3),
                how=how,
                weight=round(weight, 2),
            )
            for q, listed, similarity, how, weight in self.alignment
        ]


class AlignedWords(NamedTuple):
    """The word alignment of a query and a listed name, as the caps read it."""

    score: float
    matches: list[Alignment]
    pairs: dict[int, tuple[int, float, str]]  # query position -> (listed position, sim, how)
    listed_weights: list[float]
    listed_total: float


def align_words(
    query: Sequence[Token],
    listed: Sequence[Token],
    weights: Mapping[str, float],
    unknown_weight: float,
    memo: SimilarityMemo | None = None,
    person: bool = False,
) -> AlignedWords:
    """Weighted alignment of the query's words with the listed name's words, in 0..1.

    Each query word is paired with at most one listed word, most similar pairs first. A word
    weighs its rarity in the lists (inverse document frequency of its phonetic form), so that
    rare words decide and generic ones (BANK, AL) barely count; legal forms weigh
    LEGAL_FORM_WEIGHT of a word never seen, and a paired initial proves INITIAL_EVIDENCE of its
    similarity. The score mixes the weighted share of the query that met the listed name and the
    weighted share of the listed name that met the query: the query side weighs more for a
    listed person (QUERY_SIDE_PERSON: middle names and patronymics are often left out of a
    query) than for a company (QUERY_SIDE_OTHER: "PLUS" is not "FRUIT PLUS"). A query written
    with initials leaves a listed person's given names out on purpose (SURNAME F for a name of
    four words): the listed words it does not mention then weigh ABBREVIATED_LISTED_WEIGHT of
    their rarity (a company's single letters, the Y of COLLAZO Y SORIA, are no initials).
    """

    # A word's weight, written out where it is needed (a nested function was a call per word).
    legal_form_weight = LEGAL_FORM_WEIGHT * unknown_weight
    weight_of = weights.get
    listed_weights = [
        legal_form_weight if t.kind == KIND_LEGAL_FORM else weight_of(t.phonetic, unknown_weight)
        for t in listed
    ]
    rows = _rows(query, listed, {} if memo is None else memo)
    # Most similar first, then the heavier listed word, then query and listed position: the
    # positions make every key distinct (`how` is never compared).
    candidates = [
        (-similarity, -listed_weights[li], qi, li, how)
        for li, row in enumerate(rows)
        for qi, similarity, how in row
    ]
    candidates.sort()
    pairs: dict[int, tuple[int, float, str]] = {}
    used_listed: set[int] = set()
    for negative_similarity, _w, qi, li, how in candidates:
        if qi in pairs or li in used_listed:
            continue
        pairs[qi] = (li, -negative_similarity, how)
        used_listed.add(li)

    matches: list[Alignment] = []
    query_total = query_met = 0.0
    for qi, q in enumerate(query):
        if qi in pairs:
            li, similarity, how = pairs[qi]
            w = listed_weights[li]
            evidence = similarity * (INITIAL_EVIDENCE if how == "initial" else 1.0)
            query_total += w
            query_met += w * evidence
            matches.append((q.text, listed[li].text, similarity, how, w))
        else:
            kind = q.kind
            if kind == KIND_INITIAL:
                w = 1.0
            elif kind == KIND_LEGAL_FORM:
                w = legal_form_weight
            else:
                w = weight_of(q.phonetic, unknown_weight)
            query_total += w
            matches.append((q.text, None, 0.0, "missing", w))
    listed_total = sum(listed_weights)
    if person and any(t.kind == KIND_INITIAL for t in query):
        listed_total -= (1 - ABBREVIATED_LISTED_WEIGHT) * sum(
            w for li, w in enumerate(listed_weights) if li not in used_listed
        )
    listed_met = 0.0
    for li, similarity, how in pairs.values():
        listed_met += (
            listed_weights[li] * similarity * (INITIAL_EVIDENCE if how == "initial" else 1.0)
        )
    query_side = QUERY_SIDE_PERSON if person else QUERY_SIDE_OTHER
    score = query_side * _share(query_met, query_total) + (1 - query_side) * _share(
        listed_met, listed_total
    )
    return AlignedWords(score, matches, pairs, listed_weights, listed_total)


def alignment_ceiling(
    query: Sequence[Token],
    listed: Sequence[Token],
    weights: dict[str, float],
    unknown_weight: float,
    memo: SimilarityMemo,
    person: bool,
) -> float:
    """An upper bound of `align_words`'s score, from the word similarities alone (no feature).

    The screener skips the full alignment and explanation of a name whose bound cannot reach
    the report threshold. Each side's share is at most the best share any set of met words
    could give: a word meets at most its best similarity, weighs at most its heaviest partner,
    and the words that meet nothing count in full. The word similarities come from `memo`
    (computed there when missing), which the alignment reuses. Keep in step with `align_words`
    (a test checks that the bound holds).
    """
    # (the screener calls this for every candidate name: loops by position rather than `zip`,
    # whose iterator is an object made per loop, and constants read once a call)
    best_met = [0.0] * len(query)
    heaviest = [0.0] * len(query)
    listed_items: list[tuple[float, float]] = []
    listed_unmet = 0.0
    legal_form_weight = LEGAL_FORM_WEIGHT * unknown_weight
    legal_form = KIND_LEGAL_FORM
    try:
        rows = [memo[id(lt)] for lt in listed]
    except KeyError:
        rows = _rows(query, listed, memo)
    for li in range(len(listed)):
        lt = listed[li]
        w = legal_form_weight if lt.kind == legal_form else weights.get(lt.phonetic, unknown_weight)
        if w < 0:
            return 1.0  # the bound holds for positive weights only
        row = rows[li]
        if not row:
            listed_unmet += w
            continue
        best = 0.0
        for qi, similarity, _how in row:
            if similarity > best:
                best = similarity
            if similarity > best_met[qi]:
                best_met[qi] = similarity
            if w > heaviest[qi]:
                heaviest[qi] = w
        listed_items.append((best, w))
    query_items: list[tuple[float, float]] = []
    query_unmet = 0.0
    initials = False
    initial = KIND_INITIAL
    for qi in range(len(query)):
        q = query[qi]
        kind = q.kind
        if kind == initial:
            initials = True
        met = best_met[qi]
        if met > 0:
            query_items.append((met, heaviest[qi]))
        elif kind == initial:
            query_unmet += 1.0
        elif kind == legal_form:
            query_unmet += legal_form_weight
        else:
            query_unmet += weights.get(q.phonetic, unknown_weight)
    if person and initials:
        listed_unmet *= ABBREVIATED_LISTED_WEIGHT
    if query_unmet < 0:
        return 1.0
    if not listed_items:
        return 0.0  # no word met: both shares are 0 (as `_best_share` of no items)
    query_side = QUERY_SIDE_PERSON if person else QUERY_SIDE_OTHER
    return query_side * _best_share(query_items, query_unmet) + (1 - query_side) * _best_share(
        listed_items, listed_unmet
    )


def remember_similarities(
    query: Sequence[Token], names: Iterable[Sequence[Token]], memo: SimilarityMemo
) -> None:
    """Compute into `memo`, in one batch, the similarities of the words of these listed names
    (the query's candidates) that it does not have yet: one pre-filter call instead of one per
    name (see `similarity_rows`)."""
    missing = {id(token): token for tokens in names for token in tokens}
    if memo:
        missing = {key: token for key, token in missing.items() if key not in memo}
    if missing:
        memo.update(zip(missing, similarity_rows(query, list(missing.values())), strict=True))


def _rows(
    query: Sequence[Token], listed: Sequence[Token], memo: SimilarityMemo
) -> list[SimilarityRow]:
    """Each listed word's row of similarities, from `memo`, computing (into it) what is missing."""
    try:
        return [memo[id(lt)] for lt in listed]
    except KeyError:
        remember_similarities(query, (listed,), memo)
        return [memo[id(lt)] for lt in listed]


def _best_share(items: list[tuple[float, float]], unmet: float) -> float:
    """max over sets S of items of sum(s * w) / (sum(w) + unmet): a prefix of the items by
    similarity, best first, is always the best set."""
    best = met = total = 0.0
    for similarity, weight in sorted(items, reverse=True):
        met += similarity * weight
        total += weight
        if total + unmet > 0:
            share = met / (total + unmet)
            if share > best:  # (`max`, without its call: this runs for every candidate name)
                best = share
    return best


def _share(met: float, total: float) -> float:
    return met / total if total > 0 else 0.0


def joined_score(query: Sequence[Token], listed: Sequence[Token]) -> float | None:
    """The names written together (GAZPROM BANK / GAZPROMBANK), when one side splits what the
    other joins.

    Applies when the two names have different numbers of words (legal forms aside) and both,
    written together, have at least JOINED_MIN_LENGTH letters; their edit similarity must reach
    JOINED_FLOOR and counts JOINED_DISCOUNT of itself. When either has a word of
    JOINED_SHORT_WORD letters or fewer (I&S, S 7, K), written together they must be the same:
    such a word is letters or a number, and a different one is another name, not a typo. It
    replaces the word alignment's score when higher, and such a meeting is distinctive (see the
    generic-words cap).
    """
    return joined_words_score(joined_words(query), joined_words(listed))


# A name as the joined-name feature reads it (`joined_words`).
JoinedWords = tuple[int, str, bool]


def joined_words_score(query: JoinedWords, listed: JoinedWords) -> float | None:
    """`joined_score` of two names' `joined_words` (the screener makes the query's once)."""
    query_count, a, query_short = query
    listed_count, b, listed_short = listed
    if query_count == listed_count or not query_count or not listed_count:
        return None
    shorter, longer = sorted((len(a), len(b)))
    if shorter < JOINED_MIN_LENGTH:
        return None
    if (query_short or listed_short) and a != b:
        return None  # S 7 ENGINEERING is not SSL ENGINEERING: letters are not typos
    # The edit similarity is at most shorter / longer (the length difference is edits): a
    # ratio clearly below the floor need not be computed (the margin keeps ratios at the floor).
    if shorter < JOINED_FLOOR * longer - 1e-6:
        return None
    similarity = Levenshtein.normalized_similarity(a, b)
    return similarity * JOINED_DISCOUNT if similarity >= JOINED_FLOOR else None


def joined_words(tokens: Sequence[Token]) -> JoinedWords:
    """(words that are not legal forms, those words written together, whether one of them has
    JOINED_SHORT_WORD letters or fewer). The screener remembers them for the listed names it
    bounds (`screener.ActiveLists.joined`)."""
    words = [t for t in tokens if t.kind != KIND_LEGAL_FORM]
    together = "".join([t.phonetic for t in words])  # `joined`, on the words already chosen
    return len(words), together, any(len(t.text) <= JOINED_SHORT_WORD for t in words)


def joined_alignment(
    query: Sequence[Token], listed: Sequence[Token], together: float, listed_total: float
) -> list[Alignment]:
    """The explanation of a joined meeting: the whole names as one pair."""
    return [
        (
            " ".join(t.text for t in query),
            " ".join(t.text for t in listed),
            together,
            "joined",
            listed_total,
        )
    ]


def is_exact_name(query: Sequence[Token], listed: Sequence[Token], aligned: AlignedWords) -> bool:
    """A name is exact when it has the listed name's words, as many and each met exactly.

    An exact name scores EXACT_NAME_SCORE whatever the words' rarity; every other name is capped
    at INEXACT_CEILING, so that only the listed spelling itself reaches the top score.
    """
    return len(query) == len(listed) and all(
        aligned.pairs.get(i, (0, 0.0, ""))[2] == "exact" for i in range(len(query))
    )


def is_distinctive(
    listed: Sequence[Token],
    aligned: AlignedWords,
    generic_below: float,
    distinctive_length: int,
    joined_met: bool,
) -> bool:
    """A name meets on distinctive evidence, or its score is capped at GENERIC_CEILING.

    Distinctive: DISTINCTIVE_EXACT_WORDS or more words meet exactly; or the names meet word
    for word, with WORD_FOR_WORD_MIN words or more and no initial (Khalil MANSOUR and the
    listed Khalil MANSUR: written alike, the name would be exact whatever its words); or a word
    that is not an initial nor a legal form, is not generic in the lists (not on more than
    GENERIC_SHARE of the names: BANK, TRADING, AL, BIN, MOHAMMED ...) and has at least
    DISTINCTIVE_LENGTH letters meets ("mn", "bal" never make a match alone); or the names meet
    written together. Queries in
    Chinese or Korean script need IDEOGRAPHIC_DISTINCTIVE_LENGTH letters: their syllables (jin,
    ho, yu) are words of their own and collide across unrelated names.
    """
    pairs = aligned.pairs
    exact_words = sum(1 for _li, _sim, how in pairs.values() if how == "exact")
    word_for_word = (
        len(listed) >= WORD_FOR_WORD_MIN
        and len(pairs) == len(listed) == len(aligned.matches)
        and all(how != "initial" for _li, _sim, how in pairs.values())
    )
    return (
        exact_words >= DISTINCTIVE_EXACT_WORDS
        or word_for_word
        or any(
            pairs[qi][2] != "initial"
            and listed[pairs[qi][0]].kind != KIND_LEGAL_FORM
            and aligned.listed_weights[pairs[qi][0]] >= generic_below
            and len(listed[pairs[qi][0]].text) >= distinctive_length
            for qi in pairs
        )
        or joined_met
    )


def distinctive_length(name: str) -> int:
    """The letters a word needs to be distinctive, by the script the query is written in."""
    return IDEOGRAPHIC_DISTINCTIVE_LENGTH if is_ideographic(name) else DISTINCTIVE_LENGTH


def one_word_factor(query: QueryFacts) -> float:
    """A one-word query (THOMAS, PERRIN) is ambiguous unless it is the whole listed name exactly.

    Its score is multiplied by ONE_WORD_FACTOR (legal forms do not count as words). Vessel
    queries are exempt: vessel names are often one word.
    """
    if query.schema is Schema.VESSEL:
        return 1.0
    if sum(1 for t in query.tokens if t.kind != KIND_LEGAL_FORM) == 1:
        return ONE_WORD_FACTOR
    return 1.0


WORD_ALIGNMENT = Feature(
    name="word_alignment",
    title="Words aligned by rarity",
    stage=Stage.NAME,
    function=align_words,
    constants=(
        Constant(
            "INITIAL_EVIDENCE",
            INITIAL_EVIDENCE,
            "share of its similarity a paired initial counts: an initial proves little",
        ),
        Constant(
            "LEGAL_FORM_WEIGHT",
            LEGAL_FORM_WEIGHT,
            "weight of a legal form relative to a word never seen: it helps rank, never matches",
        ),
        Constant(
            "QUERY_SIDE_PERSON",
            QUERY_SIDE_PERSON,
            "weight of the query's side of the score when the listed party is a person",
        ),
        Constant(
            "QUERY_SIDE_OTHER",
            QUERY_SIDE_OTHER,
            "weight of the query's side of the score for organizations, vessels, aircraft",
        ),
        Constant(
            "ABBREVIATED_LISTED_WEIGHT",
            ABBREVIATED_LISTED_WEIGHT,
            "share of their rarity a listed person's unmentioned words weigh beside initials",
        ),
    ),
)

JOINED_NAME = Feature(
    name="joined_name",
    title="Names written together",
    stage=Stage.NAME,
    function=joined_score,
    constants=(
        Constant(
            "JOINED_MIN_LENGTH",
            JOINED_MIN_LENGTH,
            "letters both names need, written together, to be compared that way",
        ),
        Constant(
            "JOINED_FLOOR",
            JOINED_FLOOR,
            "edit similarity of the joined names below which they do not meet",
        ),
        Constant(
            "JOINED_DISCOUNT",
            JOINED_DISCOUNT,
            "share of its edit similarity a joined meeting keeps",
        ),
        Constant(
            "JOINED_SHORT_WORD",
            JOINED_SHORT_WORD,
            "letters at most of a word that makes a joined meeting exact-only",
        ),
    ),
)

EXACT_NAME = Feature(
    name="exact_name",
    title="Exact name",
    stage=Stage.CAP,
    function=is_exact_name,
    constants=(
        Constant("EXACT_NAME_SCORE", EXACT_NAME_SCORE, "name score of an exact name"),
        Constant("INEXACT_CEILING", INEXACT_CEILING, "highest name score of any other name"),
    ),
)

GENERIC_WORDS = Feature(
    name="generic_words",
    title="Generic words cap",
    stage=Stage.CAP,
    function=is_distinctive,
    constants=(
        Constant(
            "DISTINCTIVE_EXACT_WORDS",
            DISTINCTIVE_EXACT_WORDS,
            "words meeting exactly that are distinctive together, however generic each is",
        ),
        Constant(
            "WORD_FOR_WORD_MIN",
            WORD_FOR_WORD_MIN,
            "words two names need to be distinctive by meeting word for word",
        ),
        Constant(
            "DISTINCTIVE_LENGTH",
            DISTINCTIVE_LENGTH,
            "letters a matched word needs to be distinctive",
        ),
        Constant(
            "IDEOGRAPHIC_DISTINCTIVE_LENGTH",
            IDEOGRAPHIC_DISTINCTIVE_LENGTH,
            "... when the query is written in Chinese, Japanese or Korean script",
        ),
        Constant(
            "GENERIC_SHARE",
            GENERIC_SHARE,
            "share of the listed names a word is on above which it is generic (in the index)",
        ),
        Constant(
            "GENERIC_CEILING",
            GENERIC_CEILING,
            "highest name score when no distinctive evidence meets (below the report threshold)",
        ),
    ),
)

ONE_WORD = Feature(
    name="one_word",
    title="One-word query",
    stage=Stage.CAP,
    function=one_word_factor,
    constants=(
        Constant(
            "ONE_WORD_FACTOR", ONE_WORD_FACTOR, "factor on the name score of a one-word query"
        ),
    ),
)
