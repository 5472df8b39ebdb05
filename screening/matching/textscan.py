"""Listed names, BICs, IMO numbers and crypto addresses found inside free text.

Payment messages carry free text (remittance information, MT fields 70, 72 and 77B,
instructions for agents) where a listed party can be named in passing: "PAYMENT TO AMSTERDAM
TRADE BANK N.V. INV 77". A text is not a name, so it cannot be screened whole; `scan_text`
looks for the parts of it that are:

- **Names**, by a word-window scan anchored on distinctive words. An anchor is a word that is
  itself a word of some listed name and rare among listed names (not generic: see
  `NameIndex.generic_below`), not a legal form and not a number, so ordinary payment words
  (INVOICE, PAYMENT, GOODS, SALARY) never start a look. Around each anchor, the window grows
  over the neighbouring words that belong to one of the listed names holding the anchor (same
  phonetic form or skeleton, or one typo away); a run of words that written together is a
  whole listed name (the index's ``j:`` key) is a window too, for names made only of common
  words. A legal form right before or after (OOO ..., ... N.V.) joins the window. Each window
  is screened with the screener's normal scoring, as a name of its own, and a hit counts when
  its decision is review or match, the listed name accounts for every word of the window, and
  the window holds every distinctive word of the listed name (so "... AND SONS" is not TALIB
  AND SONS). A window of one word counts only for a full match of five letters or more, never
  on a person's alias, and for a vessel only after a ship prefix (MV AMBER: AMBER, DANIEL and
  LINDA are listed vessels and everyday first names).
- **BICs** (whole upper-case words of 8 or 11 characters), **IMO numbers** ("IMO 9562233")
  and **crypto addresses** (by shape), each looked up among the listed identifiers
  (`screening.matching.lookup`): a word that merely looks like a BIC but is no listed BIC, or
  an address that differs from a listed one by case where case matters, stays quiet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field
from rapidfuzz.distance import OSA

from lists.model import IdentifierType, Schema
from lists.values.identifiers import bic_mentions, crypto_mentions, imo_mention_spans
from screening.matching.index import NameIndex
from screening.matching.lookup import allowed_datasets, identifier_hits
from screening.matching.normalize import Token, TokenKind, fold, phonetic, skeleton, tokenize
from screening.matching.results import Decision, Hit, Query, Thresholds
from screening.matching.vocabulary import legal_forms, vessel_prefixes

if TYPE_CHECKING:
    from screening.matching.screener import Screener

TextHitKind = Literal["name", "bic", "imo", "crypto"]

# Listed names holding one anchor word that are read to grow its window; a distinctive word is
# on at most `GENERIC_SHARE` of names (about 80), so this cap is rarely reached.
MAX_NAMES_PER_ANCHOR = 200
# The longest window screened, in words (listed names longer than this are met by their part).
MAX_WINDOW_WORDS = 12
# The longest window screened, in characters (the longest name a `Query` takes).
MAX_WINDOW_CHARS = 500
# Words before or after a window that may hold its legal form ("N . V .", "S . A . S", "CO LTD").
LEGAL_FORM_WORDS = 4
# Shortest anchor word: two-letter words (AL, EL, DE) are particles, never distinctive.
MIN_ANCHOR_LENGTH = 3
# Shortest one-word window reported (in letters): shorter single words are mostly acronyms.
MIN_ONE_WORD_LENGTH = 5
# Shortest joined form looked up (the index's own limit for joined names).
MIN_JOINED_LENGTH = 6
# A neighbouring word this long or longer may differ from the listed word by one typo.
MIN_TYPO_LENGTH = 5

# Words of a text, with where they are written: letters and digits of any script, with the
# apostrophes of romanised Arabic and Korean kept inside the word (ZA'RURAH, 'ALI, SO'NG), as
# `fold` drops them from listed names too.
_WORD = re.compile(r"(?:['’‘`´ʻʼ](?=[^\W_]))?[^\W_]+(?:['’‘`´ʻʼ][^\W_]+)*")


class TextHit(BaseModel):
    """A listed party found inside a free text, with where."""

    start: int = Field(ge=0, description="Offset of the first character found in the text")
    end: int = Field(ge=0, description="Offset just after the last character found")
    matched_text: str = Field(description="The text found: a name, a BIC, an IMO mention ...")
    kind: TextHitKind
    hit: Hit


class _Word:
    """One word of the text: its span and how the index spells it."""

    __slots__ = ("end", "folded", "phonetic", "skeleton", "start")

    def __init__(self, start: int, end: int, folded: str) -> None:
        self.start, self.end, self.folded = start, end, folded
        self.phonetic = phonetic(folded)
        self.skeleton = skeleton(folded)


def scan_text(
    screener: Screener,
    text: str,
    lists: Iterable[str] | None = None,
    thresholds: Thresholds | None = None,
) -> list[TextHit]:
    """Listed names, BICs, IMO numbers and crypto addresses inside `text`, in text order.

    `lists` restricts the lists searched (sources or datasets, as for `Query.lists`);
    `thresholds` default to the screener's. Names found are reported at review or match; an
    identifier found is a match.
    """
    chosen = list(lists) if lists is not None else None
    allowed = allowed_datasets(chosen)
    index = screener.index
    found = [
        *_name_hits(screener, index, text, chosen, thresholds or screener.thresholds),
        *_identifier_text_hits(index, text, allowed),
    ]
    return sorted(found, key=lambda h: (h.start, h.end, h.kind, h.hit.source.value, h.hit.entry_id))


# -- names ------------------------------------------------------------------------------------


def _words(text: str) -> list[_Word]:
    words = []
    for match in _WORD.finditer(text):
        folded = fold(match.group())
        # A word that folds to several (ideographs, one syllable each) is kept as one piece.
        words.append(_Word(match.start(), match.end(), folded.replace(" ", "")))
    return words


def is_anchor(index: NameIndex, word: str) -> bool:
    """Whether a folded word can start a name window: a listed word, rare among listed names,
    not a number and not a legal form."""
    if len(word) < MIN_ANCHOR_LENGTH or word.isdigit():
        return False
    weight = index.weights.get(phonetic(word))
    if weight is None or weight < index.generic_below:
        return False
    tokens = tokenize(word)
    return bool(tokens) and tokens[0].kind == TokenKind.WORD


def _belongs(word: _Word, listed: tuple[Token, ...]) -> bool:
    """Whether a text word is one of a listed name's words (as the index would meet it)."""
    for token in listed:
        if word.phonetic == token.phonetic or (
            len(word.skeleton) >= 3 and word.skeleton == token.skeleton
        ):
            return True
        if (
            len(word.folded) >= MIN_TYPO_LENGTH
            and abs(len(word.folded) - len(token.text)) <= 1
            and OSA.distance(word.folded, token.text, score_cutoff=1) <= 1
        ):
            return True
    return False


def _windows(index: NameIndex, words: list[_Word]) -> set[tuple[int, int]]:
    """Word ranges [first, last] worth screening.

    Around each anchor, the neighbours that belong to a listed name holding the anchor; and
    every run of words that, written together, is a whole listed name of several words (the
    index's ``j:`` key), which finds names made only of common words (TRADE POINT
    INTERNATIONAL, MUHAMMAD 'ALI, RA-72963) that no anchor starts.
    """
    windows: set[tuple[int, int]] = set()
    for position, word in enumerate(words):
        if is_anchor(index, word.folded):
            for name_id in index.posting("t:" + word.phonetic)[:MAX_NAMES_PER_ANCHOR]:
                windows.add(_grown(words, position, index.names[name_id].tokens))
        together = word.phonetic
        for last in range(position + 1, min(position + MAX_WINDOW_WORDS, len(words))):
            together += words[last].phonetic
            if len(together) >= MIN_JOINED_LENGTH and index.posting("j:" + together):
                windows.add((position, last))
    return windows


def _grown(words: list[_Word], position: int, listed: tuple[Token, ...]) -> tuple[int, int]:
    """The range around `position` over the neighbours that are words of the listed name, and
    over a legal-form word between two of them (SAHAND ... COMPANY (SAPICO))."""
    first = last = position
    while first > 0 and last - first < MAX_WINDOW_WORDS:
        if _belongs(words[first - 1], listed):
            first -= 1
        elif first > 1 and _is_legal_word(words[first - 1]) and _belongs(words[first - 2], listed):
            first -= 2
        else:
            break
    while last + 1 < len(words) and last - first < MAX_WINDOW_WORDS:
        if _belongs(words[last + 1], listed):
            last += 1
        elif (
            last + 2 < len(words)
            and _is_legal_word(words[last + 1])
            and _belongs(words[last + 2], listed)
        ):
            last += 2
        else:
            break
    return first, last


def _is_legal_word(word: _Word) -> bool:
    return (word.folded,) in legal_forms().by_words


def _non_legal_words(text: str) -> int:
    """How many words of a name are neither legal forms nor initials."""
    return sum(1 for t in tokenize(text) if t.kind == TokenKind.WORD)


def _widened(text: str, words: list[_Word], first: int, last: int) -> tuple[int, int]:
    """The window moved over a legal form right after it (N.V., LLC) or right before it (OOO,
    JOINT STOCK COMPANY), which belong to the name but are no listed words of their own."""
    core = _non_legal_words(text[words[first].start : words[last].end])

    def legal_form_added(a: int, b: int, at: int) -> bool:
        tokens = tokenize(text[words[a].start : words[b].end])
        return (
            bool(tokens)
            and tokens[at].kind == TokenKind.LEGAL_FORM
            and (_non_legal_words(text[words[a].start : words[b].end]) == core)
        )

    after = range(min(LEGAL_FORM_WORDS, len(words) - 1 - last), 0, -1)
    last += next((extra for extra in after if legal_form_added(first, last + extra, -1)), 0)
    before = range(min(LEGAL_FORM_WORDS, first), 0, -1)
    first -= next((extra for extra in before if legal_form_added(first - extra, last, 0)), 0)
    return first, last


def _after_vessel_prefix(words: list[_Word], first: int) -> bool:
    """Whether the words right before the window mark a ship (MV, M/T, TANKER ...)."""
    prefixes = vessel_prefixes()
    before = [w.folded for w in words[max(first - 2, 0) : first]]
    return bool(before) and (
        before[-1] in prefixes.single or (len(before) == 2 and tuple(before) in prefixes.pairs)
    )


def _name_hits(
    screener: Screener,
    index: NameIndex,
    text: str,
    lists: list[str] | None,
    thresholds: Thresholds,
) -> Iterator[TextHit]:
    words = _words(text)
    best: dict[tuple[str, str], TextHit] = {}
    for window_first, window_last in sorted(_windows(index, words)):
        first, last = _widened(text, words, window_first, window_last)
        start, end = words[first].start, words[last].end
        if end - start > MAX_WINDOW_CHARS:
            continue  # no listed name is that long; `Query` would refuse it
        window = text[start:end]
        one_word = _non_legal_words(window) == 1
        result = screener.screen_query(Query(name=window, lists=lists), thresholds)
        for hit in result.hits:
            if hit.decision is Decision.CLEAR or not _covers(hit):
                continue
            if not _meets_distinctive_words(index, hit):
                continue
            if one_word and not _one_word_counts(hit, window, _after_vessel_prefix(words, first)):
                continue
            key = (hit.dataset, hit.entry_id)
            found = TextHit(start=start, end=end, matched_text=window, kind="name", hit=hit)
            kept = best.get(key)
            # One finding per listed party: the best score, then the longest window.
            if kept is None or (hit.score, end - start) > (kept.hit.score, kept.end - kept.start):
                best[key] = found
    yield from best.values()


def _covers(hit: Hit) -> bool:
    """Whether the listed name accounts for every word of the window."""
    return all(t.how != "missing" for t in hit.explanation.tokens)


def _meets_distinctive_words(index: NameIndex, hit: Hit) -> bool:
    """Whether the window meets every distinctive word of the listed name.

    A text that holds only the common part of a listed name ("... AND SONS" of TALIB AND SONS,
    "LUIS ANGEL" of Luis Angel MONTENEGRO ESPINOZA) names someone else: the name screener
    gives such partial names a review score, which in a free text is noise.
    """
    met = {t.listed for t in hit.explanation.tokens if t.listed is not None}
    # Read like the window was (no type): an honorific inside an organization's name (BANDAR
    # IMAM ...) is dropped from both.
    for token in tokenize(hit.explanation.matched_name):
        if token.kind != TokenKind.WORD or token.text in met:
            continue
        if index.weights.get(token.phonetic, index.unknown_weight) >= index.generic_below:
            return False
    return True


def _one_word_counts(hit: Hit, window: str, vessel_marked: bool) -> bool:
    """Whether a one-word window is reported for this hit.

    One word of a text is most often an ordinary word, or a name that lists also carry as a
    person's alias (MARTIN, GREEN), an acronym (SARA, LET) or a vessel's name (DANIEL, LINDA,
    AMBER). Only a full match (decision match) of at least MIN_ONE_WORD_LENGTH letters counts;
    a person only by their primary name (SHAMSUDDIN); a vessel only when the text marks a ship
    right before it (MV AMBER, M/T LINDA: the vessel-prefix table).
    """
    letters = sum(1 for c in fold(window) if c.isalnum())
    if hit.decision is not Decision.MATCH or letters < MIN_ONE_WORD_LENGTH:
        return False
    if hit.schema_ is Schema.PERSON:
        return hit.explanation.matched_name == hit.name
    return vessel_marked or hit.schema_ is not Schema.VESSEL


# -- identifiers ------------------------------------------------------------------------------


def _identifier_text_hits(
    index: NameIndex, text: str, allowed: frozenset[str] | None
) -> Iterator[TextHit]:
    mentions: list[tuple[int, int, TextHitKind, IdentifierType, str]] = []
    mentions += [(s, e, "bic", IdentifierType.BIC, text[s:e]) for s, e, _ in bic_mentions(text)]
    mentions += [(s, e, "imo", IdentifierType.IMO, m.number) for s, e, m in imo_mention_spans(text)]
    mentions += [
        (s, e, "crypto", IdentifierType.CRYPTO_ADDRESS, v) for s, e, v in crypto_mentions(text)
    ]
    for start, end, kind, identifier_type, value in mentions:
        for hit in identifier_hits(index, identifier_type, value, allowed):
            yield TextHit(start=start, end=end, matched_text=text[start:end], kind=kind, hit=hit)
