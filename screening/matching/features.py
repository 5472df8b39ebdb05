"""Small scoring functions, each documented, each returning a number and its explanation.

The screener composes them in one place (`screening.matching.screener`): the name score first,
then the
secondary features (birth date, country, identifiers, schema) add to or take from it. A new kind
of evidence is a new function here, not a new branch in the screener.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from rapidfuzz.distance import OSA, Levenshtein

from lists.model import PartialDate, Schema
from screening.matching.index import ListedDate
from screening.matching.normalize import Token, TokenKind, joined
from screening.matching.results import FeatureScore, TokenMatch

# Token similarity by how two tokens meet (see `token_similarity`).
EXACT = 1.0
ROMANIZATION = 0.96
SHORT_ROMANIZATION = 0.85
SKELETON = 0.90
INITIAL = 0.90
FUZZY_FLOOR = 0.75  # below this normalised edit similarity two tokens do not meet
SHORT_FUZZY_FLOOR = 0.80  # ... and for words of five letters or fewer
FIRST_LETTER_FACTOR = 0.9

# An initial stands for a name but proves little: its match counts this much of the name.
INITIAL_EVIDENCE = 0.8
# Legal forms help rank but never make a match: their weight relative to a rare word.
LEGAL_FORM_WEIGHT = 0.15
# Weight of the query's side vs the listed side of the name score: a listed middle name or
# patronymic left out of a query costs less than a query word the listed name does not have.
QUERY_SIDE = {True: 0.65, False: 0.45}  # by "is the listed party a person"
# Matched words shorter than this never make a match alone ("mn", "bal"), unless three or more
# words meet exactly. Queries in Chinese or Korean script need 4: their syllables (jin, ho, yu)
# are words of their own and collide across unrelated names.
DISTINCTIVE_LENGTH = 3
IDEOGRAPHIC_DISTINCTIVE_LENGTH = 4
# A query written with initials leaves given names out on purpose: the listed words it does not
# mention weigh this much of their rarity on the listed side of the score.
ABBREVIATED_LISTED_WEIGHT = 0.5
# A one-word query (THOMAS, PERRIN) is ambiguous unless it is the whole listed name exactly.
ONE_WORD_FACTOR = 0.9
# Score ceiling when only generic words (BANK, TRADING, AL, BIN ...) meet.
GENERIC_CEILING = 0.55


# One aligned token pair: (query token, listed token or None, similarity, how, weight).
Alignment = tuple[str, str | None, float, str, float]


@dataclass(frozen=True, slots=True)
class NameScore:
    score: float
    alignment: list[Alignment]

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


def token_similarity(query: Token, listed: Token) -> tuple[float, str]:
    """How alike two tokens are, and how they met.

    exact (same folded text) > romanization (same phonetic form: Aleksandr/Alexander) >
    skeleton (same consonants: Mohammed/Muhammad/mhmd) > initial (V ~ Vladimir) > fuzzy
    (normalised edit similarity of the phonetic forms, at least FUZZY_FLOOR).
    """
    if query.text == listed.text:
        return EXACT, "exact"
    if query.phonetic == listed.phonetic:
        # Very short words share a phonetic form too easily (Webb ~ VEB, Ball ~ BAL).
        if len(listed.text) <= 3 or len(query.text) <= 3:
            return SHORT_ROMANIZATION, "romanization"
        return ROMANIZATION, "romanization"
    if query.kind == TokenKind.INITIAL or listed.kind == TokenKind.INITIAL:
        if query.text[0] == listed.text[0]:
            return INITIAL, "initial"
        return 0.0, "missing"
    if len(query.skeleton) >= 4 and query.skeleton == listed.skeleton:
        # Same consonants: a romanisation of the same name when only vowels change
        # (Mohamed/Muhamad) or one side has none (unvocalised Arabic "mhmd"); not when a
        # syllable is added (Putin/Potanin) or the words just share consonants
        # (Cardoso/Credisa). Acronyms (BNK) have too few consonants to qualify.
        unvocalised = query.phonetic == query.skeleton or listed.phonetic == listed.skeleton
        vowels_only = len(query.phonetic) == len(listed.phonetic) and (
            Levenshtein.normalized_similarity(query.phonetic, listed.phonetic) >= 0.6
        )
        if unvocalised or vowels_only:
            return SKELETON, "romanization"
    if min(len(query.text), len(listed.text)) < 4:
        return 0.0, "missing"
    # Typos are edits of the written word (transpositions count once); romanisations are
    # closer in phonetic form: take the better of the two.
    short = min(len(query.text), len(listed.text)) <= 5
    similarity = OSA.normalized_similarity(query.text, listed.text)
    if not short:
        # (phonetic forms of short words are too close: yang ~ liang)
        similarity = max(similarity, OSA.normalized_similarity(query.phonetic, listed.phonetic))
    if query.text[0] != listed.text[0] and query.phonetic[0] != listed.phonetic[0]:
        # Typos seldom hit the first letter; names that differ there are usually other names
        # (Kasim / Basim).
        similarity *= FIRST_LETTER_FACTOR
    if similarity >= (SHORT_FUZZY_FLOOR if short else FUZZY_FLOOR):
        return similarity * 0.97, "fuzzy"
    return 0.0, "missing"


def name_score(
    query: Sequence[Token],
    listed: Sequence[Token],
    weights: Mapping[str, float],
    unknown_weight: float,
    generic_below: float,
    memo: dict[tuple[int, int], tuple[float, str]] | None = None,
    person: bool = False,
    one_word_penalty: bool = True,
    distinctive_length: int = DISTINCTIVE_LENGTH,
) -> NameScore:
    """Weighted token alignment of a query name and a listed name, in 0..1.

    Each query token is paired with at most one listed token (best pairs first). A token's
    weight is its rarity in the lists (inverse document frequency of its phonetic form), so
    that rare words decide and generic ones (BANK, LLC, AL) barely count; legal forms weigh
    LEGAL_FORM_WEIGHT of a rare word. The score mixes the weighted share of the query that met
    the listed name (QUERY_SIDE) and the weighted share of the listed name that met the query.
    Written-together forms (GAZPROMBANK / GAZPROM BANK) meet as one token ("joined").
    `memo` caches token similarities across the candidate names of one query.
    """
    if not query or not listed:
        return NameScore(0.0, [])

    def weight(token: Token, default: float) -> float:
        if token.kind == TokenKind.LEGAL_FORM:
            return LEGAL_FORM_WEIGHT * unknown_weight
        return weights.get(token.phonetic, default)

    listed_weights = [weight(t, unknown_weight) for t in listed]
    pairs = []
    for qi, q in enumerate(query):
        for li, lt in enumerate(listed):
            if memo is None:
                similarity, how = token_similarity(q, lt)
            else:
                key = (qi, id(lt))
                found = memo.get(key)
                if found is None:
                    found = memo[key] = token_similarity(q, lt)
                similarity, how = found
            if similarity > 0:
                pairs.append((similarity, listed_weights[li], qi, li, how))
    pairs.sort(key=lambda p: (-p[0], -p[1]))
    used_q: dict[int, tuple[int, float, str]] = {}
    used_l: set[int] = set()
    for similarity, _w, qi, li, how in pairs:
        if qi in used_q or li in used_l:
            continue
        used_q[qi] = (li, similarity, how)
        used_l.add(li)

    matches: list[Alignment] = []
    query_total = query_met = 0.0
    for qi, q in enumerate(query):
        if qi in used_q:
            li, similarity, how = used_q[qi]
            w = listed_weights[li]
            evidence = similarity * (INITIAL_EVIDENCE if how == "initial" else 1.0)
            query_total += w
            query_met += w * evidence
            matches.append((q.text, listed[li].text, similarity, how, w))
        else:
            w = weight(q, unknown_weight) if q.kind != TokenKind.INITIAL else 1.0
            query_total += w
            matches.append((q.text, None, 0.0, "missing", w))
    listed_total = sum(listed_weights)
    if any(t.kind == TokenKind.INITIAL for t in query):
        listed_total -= (1 - ABBREVIATED_LISTED_WEIGHT) * sum(
            w for li, w in enumerate(listed_weights) if li not in used_l
        )
    listed_met = 0.0
    for li, similarity, how in used_q.values():
        listed_met += (
            listed_weights[li] * similarity * (INITIAL_EVIDENCE if how == "initial" else 1.0)
        )
    # A listed person's middle names and patronymics are often left out of a query; a listed
    # company's words rarely are ("PLUS" is not "FRUIT PLUS").
    query_side = QUERY_SIDE[person]
    score = query_side * _share(query_met, query_total) + (1 - query_side) * _share(
        listed_met, listed_total
    )

    together = _joined_score(query, listed)
    if together is not None and together > score:
        score = together
        matches = [
            (
                " ".join(t.text for t in query),
                " ".join(t.text for t in listed),
                together,
                "joined",
                listed_total,
            )
        ]

    exact = len(query) == len(listed) and all(
        used_q.get(i, (0, 0.0, ""))[2] == "exact" for i in range(len(query))
    )
    if exact:
        return NameScore(1.0, matches)
    exact_words = sum(1 for _li, _sim, how in used_q.values() if how == "exact")
    distinctive = (
        exact_words >= 3
        or any(
            used_q[qi][2] != "initial"
            and listed[used_q[qi][0]].kind != TokenKind.LEGAL_FORM
            and listed_weights[used_q[qi][0]] >= generic_below
            and len(listed[used_q[qi][0]].text) >= distinctive_length
            for qi in used_q
        )
        or (together is not None and together >= score)
    )
    if not distinctive:
        score = min(score, GENERIC_CEILING)
    if one_word_penalty and sum(1 for t in query if t.kind != TokenKind.LEGAL_FORM) == 1:
        score *= ONE_WORD_FACTOR
    return NameScore(min(score, 0.995), matches)


def _share(met: float, total: float) -> float:
    return met / total if total > 0 else 0.0


def _joined_score(query: Sequence[Token], listed: Sequence[Token]) -> float | None:
    """Similarity of the names written together, when one side splits what the other joins."""
    query_words = [t for t in query if t.kind != TokenKind.LEGAL_FORM]
    listed_words = [t for t in listed if t.kind != TokenKind.LEGAL_FORM]
    if len(query_words) == len(listed_words) or not query_words or not listed_words:
        return None
    a, b = joined(tuple(query_words)), joined(tuple(listed_words))
    if min(len(a), len(b)) < 6:
        return None
    similarity = Levenshtein.normalized_similarity(a, b)
    return similarity * 0.97 if similarity >= 0.9 else None


def birth_date_feature(
    query: PartialDate | None, listed: Sequence[ListedDate]
) -> FeatureScore | None:
    """A matching birth date adds a little; a listed birth date years away takes a lot.

    Authorities often know only the year or a span, so years are compared: a day-exact match
    +0.05, the same year +0.02, within one year nothing, further apart -0.15 (a different person
    who shares a name is the usual false alert).
    """
    if query is None or query.year is None or not listed:
        return None
    query_years = set(query.years())
    exact = query.as_date()
    if exact is not None and any(d.day == exact for d in listed):
        return FeatureScore(feature="birth_date", delta=0.05, detail=f"born {exact}, as listed")
    listed_years = {y for d in listed for y in range(d.first_year, d.last_year + 1)}
    if query_years & listed_years:
        return FeatureScore(
            feature="birth_date", delta=0.02, detail=f"birth year {query.year} as listed"
        )
    if any(abs(q - y) <= 1 for q in query_years for y in listed_years):
        return FeatureScore(
            feature="birth_date", delta=0.0, detail="birth year within one year of the listed"
        )
    shown = ", ".join(sorted({d.text for d in listed}))
    return FeatureScore(
        feature="birth_date", delta=-0.15, detail=f"born {query.year}; listed birth dates {shown}"
    )


def country_feature(query: str | None, listed: AbstractSet[str]) -> FeatureScore | None:
    """The query's country among the listed party's countries +0.03; absent from them -0.05."""
    if query is None or not listed:
        return None
    if query in listed:
        return FeatureScore(feature="country", delta=0.03, detail=f"{query} is a listed country")
    shown = ", ".join(sorted(listed))
    return FeatureScore(
        feature="country", delta=-0.05, detail=f"{query} is not among the listed {shown}"
    )


def identifier_feature(
    query: Sequence[tuple[str, str]], listed: AbstractSet[tuple[str, str]]
) -> FeatureScore | None:
    """An identifier the listed party also has is decisive; the same type with another value
    (another IMO number, another passport) speaks against the match (-0.20)."""
    if not query:
        return None
    shared = [pair for pair in query if pair in listed]
    if shared:
        kind, value = shared[0]
        return FeatureScore(
            feature="identifier", delta=1.0, detail=f"{kind} {value} is listed for this party"
        )
    listed_types = {kind for kind, _ in listed}
    clashing = [kind for kind, _ in query if kind in listed_types]
    if clashing:
        return FeatureScore(
            feature="identifier",
            delta=-0.20,
            detail=f"{clashing[0]} given differs from the listed {clashing[0]}",
        )
    return None


def schema_feature(query: Schema | None, listed: Schema) -> FeatureScore | None:
    """People never match companies or ships; an organization for a vessel query costs a little
    (the UN and the EU list ships as organizations)."""
    if query is None or query is listed:
        return None
    if Schema.PERSON in (query, listed):
        return FeatureScore(
            feature="schema", delta=-1.0, detail=f"a {listed.value} is not a {query.value}"
        )
    return FeatureScore(
        feature="schema", delta=-0.05, detail=f"listed as {listed.value}, screened as {query.value}"
    )
