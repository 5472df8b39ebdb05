"""The speed-ups of the matcher change no answer.

- `alignment_ceiling` bounds `align_words`'s score from above, for any words and weights
  (property test): the screener skips names whose bound is below the report threshold, and
  would drop a real hit if the bound were ever lower than the score.
- Screening with the bound gives exactly the answers of screening without it, on real lists.
- The persisted index keeps one token tuple per distinct name (the per-query name-score memo
  relies on it) and does not persist the cache of reached names.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lists import open_list
from screening import Screener
from screening.matching import screener as screener_module
from screening.matching.algorithm import name_score
from screening.matching.features.names import align_words, alignment_ceiling
from screening.matching.index import NameIndex
from screening.matching.normalize import Token, TokenKind, phonetic, skeleton
from screening.store import ListStore

_WORDS = st.text(alphabet="abdehikmnorsty", min_size=1, max_size=7)
_KINDS = st.sampled_from([TokenKind.WORD, TokenKind.WORD, TokenKind.LEGAL_FORM])


@st.composite
def _tokens(draw: st.DrawFn) -> tuple[Token, ...]:
    tokens = []
    for _ in range(draw(st.integers(min_value=1, max_value=5))):
        text = draw(_WORDS)
        kind = TokenKind.INITIAL if len(text) == 1 else draw(_KINDS)
        tokens.append(Token(text, kind.value, phonetic(text), skeleton(text)))
    return tuple(tokens)


@settings(max_examples=600, deadline=None)
@given(
    query=_tokens(),
    listed=_tokens(),
    weights=st.dictionaries(_WORDS, st.floats(min_value=0.01, max_value=12.0), max_size=12),
    unknown=st.floats(min_value=0.5, max_value=12.0),
    person=st.booleans(),
)
def test_the_ceiling_is_never_below_the_alignment(
    query: tuple[Token, ...],
    listed: tuple[Token, ...],
    weights: dict[str, float],
    unknown: float,
    person: bool,
) -> None:
    aligned = align_words(query, listed, weights, unknown, {}, person)
    ceiling = alignment_ceiling(query, listed, weights, unknown, {}, person, {})
    assert aligned.score <= ceiling + screener_module.CEILING_MARGIN


def test_a_word_met_by_nothing_lowers_the_ceiling() -> None:
    # The bound must be useful, not just safe: "ivanov petrov" against "ivanov sidorov" can
    # score at most half of each side (equal weights, one of two words met).
    query = tuple(Token(w, "word", phonetic(w), skeleton(w)) for w in ("ivanov", "petrov"))
    listed = tuple(Token(w, "word", phonetic(w), skeleton(w)) for w in ("ivanov", "sidorov"))
    weights = {phonetic(w): 5.0 for w in ("ivanov", "petrov", "sidorov")}
    assert alignment_ceiling(query, listed, weights, 9.0, {}, True, {}) == pytest.approx(0.5)


@pytest.fixture(scope="module")
def screener(tmp_path_factory: pytest.TempPathFactory, shared_lists: Path) -> Screener:
    folder = tmp_path_factory.mktemp("speed")
    store = ListStore(f"sqlite:///{folder / 'lists.db'}")
    assert store.load(open_list(shared_lists / "un/consolidated.xml")).status == "loaded"
    return Screener(store, index_dir=folder / "index")


def _queries(index: NameIndex) -> list[tuple[str, str | None]]:
    """Variants of every 25th listed name: as listed, a word dropped, a letter changed, a
    word added, and the name's words with another name's surname (near the threshold)."""
    queries: list[tuple[str, str | None]] = []
    names = index.names[::25]
    for number, name in enumerate(names):
        words = name.full.split()
        kind = index.entities[name.entity].schema.value
        other = names[(number + 1) % len(names)].full.split()[-1]
        queries += [
            (name.full, kind),
            (" ".join(words[1:]) or name.full, None),
            (name.full[:-2] + "x" + name.full[-1:], kind),
            (name.full + " trading", None),
            (" ".join([*words[:-1], other]), kind),
        ]
    return queries


def test_screening_with_the_ceiling_answers_as_without_it(
    screener: Screener, monkeypatch: pytest.MonkeyPatch
) -> None:
    queries = _queries(screener.index)
    with_ceiling = [screener.screen(name, type=kind).model_dump() for name, kind in queries]
    aligned = 0
    original = name_score

    def counting(*args: object, **kwargs: object) -> object:
        nonlocal aligned
        aligned += 1
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(screener_module, "name_score", counting)
    for name, kind in queries:
        screener.screen(name, type=kind)
    pruned_alignments = aligned
    monkeypatch.setattr(screener_module, "alignment_ceiling", lambda *args: 1.0)
    aligned = 0
    without = [screener.screen(name, type=kind).model_dump() for name, kind in queries]
    # Five variants of each of 167 sampled UN names (835 queries, counted when written);
    # hits of every decision among them.
    assert len(queries) > 800
    assert {h["decision"] for r in with_ceiling for h in r["hits"]} == {"match", "review", "clear"}
    assert with_ceiling == without
    # ... and the bound spared most full alignments (else it would be no speed-up).
    assert pruned_alignments < aligned / 2


def test_the_persisted_index_shares_name_tuples_and_forgets_reached_names(
    screener: Screener, tmp_path: Path
) -> None:
    index = screener.index
    query = index.names[0].tokens
    before = index.candidates(query, 20)
    assert index._reached  # the words of the query are remembered ...
    index.save(tmp_path / "index.pickle")
    loaded = NameIndex.load(tmp_path / "index.pickle")
    assert loaded is not None
    assert loaded._reached == {}  # ... but not persisted
    assert loaded.candidates(query, 20) == before
    by_tokens: dict[tuple[Token, ...], int] = {}
    shared = 0
    for name in loaded.names:
        first = by_tokens.setdefault(name.tokens, id(name.tokens))
        shared += first != id(name.tokens)
    assert shared == 0  # equal names are one tuple
    assert len(by_tokens) < len(loaded.names)  # and the UN list has equal names (aliases)
